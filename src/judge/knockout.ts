// Knockout tournament over n candidates (RRM's best-of-N strategy): a seeded random bracket, n-1
// comparisons in ceil(log2 n) sequential rounds, the matches of a round judged concurrently. Cheapest way to
// find the best candidate; it ranks only the winner exactly (the others by the round they reached).
import {deriveSeed, keyedUniform, Rng} from "../protocol/rng.js";
import {checkCandidateCount} from "./MatchResult.js";
import type {CompareFn, MatchScore} from "./MatchResult.js";
import {mapConcurrent} from "./mapConcurrent.js";

export interface KnockoutOptions {
    /** Seed of the bracket draw and of coin tosses. Defaults to `0`. */
    seed?: number;
    /** Names the item (its id) so different items get different brackets under one seed. Defaults to `""`. */
    key?: string;
    /** Comparisons of one round in flight at once. Defaults to `4`. */
    concurrency?: number;
}

export interface KnockoutMatch<R = unknown> {
    /** 1-based round. */
    round: number;
    a: number;
    b: number;
    score: MatchScore;
    winner: number;
    /**
     * How the winner was decided: the judge's verdict; for a tie or an unusable verdict, the judge's
     * probability P(a better) when it gave one, else a seeded coin toss.
     */
    decidedBy: "verdict" | "confidence" | "coin";
    record?: R;
}

export interface KnockoutResult<R = unknown> {
    winner: number;
    /** Candidates best first: by the round they reached, then by bracket order. */
    ranking: number[];
    /** Round each candidate reached (1 = lost in the first round); the winner has `rounds + 1`. */
    reached: number[];
    /** Matches won per candidate (byes do not count). */
    wins: number[];
    rounds: number;
    /** Candidates that skipped the first round, so that every later round has a power-of-two field. */
    byes: number[];
    matches: KnockoutMatch<R>[];
}

/** Run a knockout tournament over candidates `0..n-1` with `compare`; exactly n-1 comparisons. */
export async function knockout<R = unknown>(n: number, compare: CompareFn<R>, options: KnockoutOptions = {}): Promise<KnockoutResult<R>> {
    checkCandidateCount(n);
    const seed = options.seed ?? 0;
    const key = options.key ?? "";
    const bracket = new Rng(deriveSeed(seed, `knockout\u0000${key}`)).shuffle(Array.from({length: n}, (_, i) => i));
    const rounds = Math.ceil(Math.log2(n));
    // Byes go to the first (2^rounds - n) entrants of the shuffled bracket: round 2 then has 2^(rounds-1).
    const byes = bracket.slice(0, 2 ** rounds - n);
    const reached = new Array<number>(n).fill(1);
    const wins = new Array<number>(n).fill(0);
    const matches: KnockoutMatch<R>[] = [];
    let field = bracket;
    for (let round = 1; field.length > 1; round++) {
        const free = round === 1 ? byes.length : 0;
        const advancing = field.slice(0, free);
        const pairs: [number, number][] = [];
        for (let i = free; i < field.length; i += 2) pairs.push([field[i], field[i + 1]]);
        const played = await mapConcurrent(pairs, options.concurrency ?? 4, async ([a, b], i) => {
            const matchKey = `${key}/r${round}m${i}`;
            const c = await compare(a, b, matchKey);
            let winner: number;
            let decidedBy: KnockoutMatch["decidedBy"] = "verdict";
            if (c.score === 1 || c.score === 0) {
                winner = c.score === 1 ? a : b;
            } else if (c.pA != null && c.pA !== 0.5) {
                winner = c.pA > 0.5 ? a : b;
                decidedBy = "confidence";
            } else {
                winner = keyedUniform(seed, `coin\u0000${matchKey}`) < 0.5 ? a : b;
                decidedBy = "coin";
            }
            return {round, a, b, score: c.score, winner, decidedBy, record: c.record} satisfies KnockoutMatch<R>;
        });
        for (const m of played) {
            matches.push(m);
            wins[m.winner]++;
            advancing.push(m.winner);
        }
        for (const e of advancing) reached[e] = round + 1;
        field = advancing;
    }
    const position = new Map(bracket.map((c, i) => [c, i]));
    const ranking = Array.from({length: n}, (_, i) => i)
        .sort((x, y) => reached[y] - reached[x] || position.get(x)! - position.get(y)!);
    return {winner: field[0], ranking, reached, wins, rounds, byes, matches};
}
