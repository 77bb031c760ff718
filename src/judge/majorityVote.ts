// Voting over k sampled verdicts of one judge call (voting@k, as RRM and DeepSeek-GRM scale judges at
// inference time). Unparsable samples do not vote; they are counted so the summary can report them.

/** A verdict as read from one output. */
export type SampleVerdict = "A" | "B" | "error";

/** A verdict after voting: `tie` when A and B got the same number of votes. */
export type VotedVerdict = "A" | "B" | "tie" | "error";

export interface VoteCount {
    A: number;
    B: number;
    error: number;
}

/**
 * The majority of `verdicts`. Errors abstain; equal A and B counts give `tie`; no valid vote at all
 * gives `error` (the reference's rule then scores the item as wrong).
 */
export function majorityVote(verdicts: readonly SampleVerdict[]): {verdict: VotedVerdict, votes: VoteCount} {
    const votes: VoteCount = {A: 0, B: 0, error: 0};
    for (const v of verdicts) votes[v]++;
    let verdict: VotedVerdict;
    if (votes.A === 0 && votes.B === 0) verdict = "error";
    else if (votes.A > votes.B) verdict = "A";
    else if (votes.B > votes.A) verdict = "B";
    else verdict = "tie";
    return {verdict, votes};
}
