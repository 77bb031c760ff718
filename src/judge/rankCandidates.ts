// Ranking N candidate replies to one prompt with a pairwise judge: a knockout tournament (n−1
// comparisons, finds the best), or a round-robin (n(n−1)/2 comparisons) scored with Elo or
// Bradley–Terry. What `rmr1 rank` and best-of-N selection run.
import {InvalidInput} from "../errors.js";
import type {Usage} from "../engines/Engine.js";
import type {Message} from "../protocol/types.js";
import {bradleyTerry} from "./bradleyTerry.js";
import type {BradleyTerryOptions} from "./bradleyTerry.js";
import {eloRatings} from "./eloRatings.js";
import type {EloOptions} from "./eloRatings.js";
import type {Judge, JudgeCallOptions} from "./Judge.js";
import type {RankInput} from "./judgeInput.js";
import type {JudgeSettings, Judgment} from "./Judgment.js";
import {knockout} from "./knockout.js";
import type {KnockoutMatch} from "./knockout.js";
import type {MatchScore} from "./MatchResult.js";
import {roundRobin} from "./roundRobin.js";
import {winRates} from "./winRates.js";

/** `knockout`: n−1 comparisons, finds the best; `elo` / `bt`: round-robin, n(n−1)/2 comparisons, ranks everyone. */
export type RankMethod = "knockout" | "elo" | "bt";

export const rankMethods: readonly RankMethod[] = ["knockout", "elo", "bt"];

export function isRankMethod(s: string): s is RankMethod {
    return (rankMethods as readonly string[]).includes(s);
}

export interface RankOptions extends JudgeCallOptions {
    /** Ranking method. Defaults to `"knockout"`. */
    method?: RankMethod;
    /** Comparisons in flight at once. Defaults to `4`. */
    concurrency?: number;
    /** Elo settings for `elo`. Defaults to K 32, start 1000, averaged over 100 replay orders seeded by the judge's seed. */
    elo?: EloOptions;
    /** Bradley–Terry settings for `bt`. Defaults to prior 0.01. */
    bradleyTerry?: BradleyTerryOptions;
}

/** One comparison made while ranking. */
export interface RankComparison {
    a: number;
    b: number;
    /** Score of `a`: 1 won, 0 lost, 0.5 tie, null no verdict. */
    score: MatchScore;
    /** Knockout only: the round, the winner and how it was decided. */
    round?: number;
    winner?: number;
    decided_by?: KnockoutMatch["decidedBy"];
    judgment: Judgment;
}

export interface Ranking {
    id: string;
    method: RankMethod;
    /** Candidate indices, best first. */
    ranking: number[];
    best: number;
    /**
     * Per candidate: `knockout` the round reached (the winner has rounds + 1), `elo` the Elo rating,
     * `bt` the Bradley–Terry rating on the Elo scale (1000 + 400·log10(e)·θ).
     */
    scores: number[];
    /** Round-robin methods: win rate per candidate (ties half). */
    win_rates?: number[];
    /** `bt`: log-strength θ per candidate (mean 0). */
    bt_scores?: number[];
    comparisons: RankComparison[];
    usage: Usage;
    latencyMs: number;
    cached: number;
    judge: JudgeSettings;
    id_generated?: true;
}

/** Rank the candidates of one prompt with `judge` (see the file comment). */
export async function rankCandidates(judge: Judge, input: RankInput & {id: string}, options: RankOptions = {}): Promise<Ranking> {
    const started = performance.now();
    const method = options.method ?? "knockout";
    if (!isRankMethod(method)) throw new InvalidInput(`unknown rank method '${String(method)}'; use one of ${rankMethods.join(", ")}`, {field: "method"});
    const n = input.candidates.length;
    if (n < 1) throw new InvalidInput("'candidates' is empty; give at least one reply", {field: "candidates"});
    const compare = judge.comparer(input.prompt, input.candidates, {signal: options.signal});
    const seed = judge.settings.seed;
    let ranking: number[];
    let scores: number[];
    let comparisons: RankComparison[];
    const extra: Partial<Ranking> = {};
    if (method === "knockout") {
        const r = await knockout(n, compare, {seed, key: input.id, concurrency: options.concurrency});
        ranking = r.ranking;
        scores = r.reached;
        comparisons = r.matches.map((m) => ({a: m.a, b: m.b, score: m.score, round: m.round, winner: m.winner, decided_by: m.decidedBy, judgment: m.record!}));
    } else {
        const matches = await roundRobin(n, compare, {key: input.id, concurrency: options.concurrency});
        extra.win_rates = winRates(n, matches).map((w) => w.rate);
        if (method === "elo") {
            scores = eloRatings(n, matches, {permutations: 100, seed, ...options.elo});
        } else {
            const bt = bradleyTerry(n, matches, options.bradleyTerry);
            scores = bt.ratings;
            extra.bt_scores = bt.scores;
        }
        ranking = Array.from({length: n}, (_, i) => i).sort((x, y) => scores[y] - scores[x] || x - y);
        comparisons = matches.map((m) => ({a: m.a, b: m.b, score: m.score, judgment: m.record!}));
    }
    const usage: Usage = {promptTokens: 0, completionTokens: 0};
    let cached = 0;
    for (const c of comparisons) {
        usage.promptTokens += c.judgment.usage.promptTokens;
        usage.completionTokens += c.judgment.usage.completionTokens;
        if (c.judgment.usage.costUsd != null) usage.costUsd = (usage.costUsd ?? 0) + c.judgment.usage.costUsd;
        cached += c.judgment.cached;
    }
    return {
        id: input.id,
        method,
        ranking,
        best: ranking[0],
        scores,
        ...extra,
        comparisons,
        usage,
        latencyMs: Math.round(performance.now() - started),
        cached,
        judge: judge.settings
    };
}

/**
 * Best-of-N selection: the index of the best of `candidates` (replies to `prompt`), by a knockout
 * tournament unless `method` says otherwise, with the full `Ranking` for inspection.
 */
export async function bestOfN(judge: Judge, prompt: Message[], candidates: (Message[] | string)[], options: RankOptions & {id?: string} = {}): Promise<{best: number, ranking: Ranking}> {
    const ranking = await rankCandidates(judge, {id: options.id ?? "best-of-n", prompt, candidates}, options);
    return {best: ranking.best, ranking};
}
