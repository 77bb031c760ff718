// Elo ratings from a list of matches: the online update chess and early Chatbot Arena used. Elo
// depends on the order matches are replayed in; `permutations` averages over seeded random orders
// to remove that, and `bradleyTerry` gives the order-free maximum-likelihood answer.
import {Rng} from "../protocol/rng.js";
import {checkCandidateCount} from "./MatchResult.js";
import type {MatchResult} from "./MatchResult.js";

export interface EloOptions {
    /** Update step K. Defaults to `32`. */
    k?: number;
    /** Starting rating. Defaults to `1000`. */
    initial?: number;
    /** Rating difference at which the expected score is 10:1. Defaults to `400`. */
    scale?: number;
    /** Average over this many seeded random replay orders; 0 replays the matches in the given order. Defaults to `0`. */
    permutations?: number;
    /** Seed of the replay orders. Defaults to `0`. */
    seed?: number;
}

/**
 * Elo rating per candidate after replaying `matches`: for each, E = 1 / (1 + 10^((R_b − R_a)/scale)),
 * R_a += K (s − E), R_b −= K (s − E). Ties score 0.5; matches without a verdict are skipped.
 */
export function eloRatings(n: number, matches: readonly MatchResult[], options: EloOptions = {}): number[] {
    checkCandidateCount(n);
    const played = matches.filter((m) => m.score != null);
    const permutations = options.permutations ?? 0;
    if (permutations <= 0) return replay(n, played, options);
    const rng = new Rng(options.seed ?? 0);
    const sum = new Array<number>(n).fill(0);
    for (let p = 0; p < permutations; p++) {
        const ratings = replay(n, rng.shuffle([...played]), options);
        for (let i = 0; i < n; i++) sum[i] += ratings[i];
    }
    return sum.map((s) => s / permutations);
}

function replay(n: number, matches: readonly MatchResult[], options: EloOptions): number[] {
    const k = options.k ?? 32;
    const scale = options.scale ?? 400;
    const ratings = new Array<number>(n).fill(options.initial ?? 1000);
    for (const m of matches) {
        const expected = 1 / (1 + 10 ** ((ratings[m.b] - ratings[m.a]) / scale));
        const delta = k * (m.score! - expected);
        ratings[m.a] += delta;
        ratings[m.b] -= delta;
    }
    return ratings;
}
