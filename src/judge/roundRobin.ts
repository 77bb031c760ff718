// Round-robin: every candidate against every other, n(n-1)/2 comparisons (RRM's ELO strategy).
// Costlier than a knockout but ranks everyone, and its matches feed Elo, Bradley–Terry and win rates.
import {checkCandidateCount} from "./MatchResult.js";
import type {CompareFn, MatchResult} from "./MatchResult.js";
import {mapConcurrent} from "./mapConcurrent.js";

export interface RoundRobinOptions {
    /** Names the item (its id) so match keys are unique across items. Defaults to `""`. */
    key?: string;
    /** Comparisons in flight at once. Defaults to `4`. */
    concurrency?: number;
}

/** A played match and what the judge recorded for it. */
export interface PlayedMatch<R = unknown> extends MatchResult {
    pA?: number;
    record?: R;
}

/**
 * Compare every pair `a < b` once (`a` shown first; the judge's order policy decides the positions),
 * in the order (0,1), (0,2), …, (1,2), …. Match keys are `<key>/<a>v<b>`.
 */
export async function roundRobin<R = unknown>(n: number, compare: CompareFn<R>, options: RoundRobinOptions = {}): Promise<PlayedMatch<R>[]> {
    checkCandidateCount(n);
    const key = options.key ?? "";
    const pairs: [number, number][] = [];
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) pairs.push([a, b]);
    return mapConcurrent(pairs, options.concurrency ?? 4, async ([a, b]) => {
        const c = await compare(a, b, `${key}/${a}v${b}`);
        return {a, b, score: c.score, pA: c.pA, record: c.record};
    });
}
