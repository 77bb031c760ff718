// The unit of every ranking method: one comparison between two of n candidates (indices 0..n-1).
import {InvalidInput} from "../errors.js";

/**
 * The score of candidate `a` against `b`: 1 when `a` won, 0 when `b` won, 0.5 for a tie, null when
 * the judge gave no usable verdict (the match is then left out of ratings).
 */
export type MatchScore = 1 | 0.5 | 0 | null;

export interface MatchResult {
    a: number;
    b: number;
    score: MatchScore;
}

/** The outcome of asking a judge to compare candidates `a` and `b`. */
export interface Comparison<R = unknown> {
    /** Score of `a` (see `MatchScore`). */
    score: MatchScore;
    /** P(a is better than b) when the judge can say (token probabilities); used to break knockout ties. */
    pA?: number;
    /** What the judge recorded for this comparison (a `Judgment` for the real judge). */
    record?: R;
}

/**
 * Compare candidates `a` and `b` (a shown first). `key` names the match uniquely within the item,
 * so a seeded judge makes the same order choices for it every run.
 */
export type CompareFn<R = unknown> = (a: number, b: number, key: string) => Promise<Comparison<R>>;

/** Check that `n` is a usable number of candidates. */
export function checkCandidateCount(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new InvalidInput(`ranking needs at least one candidate, got ${n}`, {field: "candidates"});
}
