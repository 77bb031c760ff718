// The record of one judged pair: one line of `rmr1 judge` output (docs/judging.md, "Output lines").
// Field names of the pair-level facts are snake_case as in the other rmr1 sample files; `usage` and
// `latencyMs` follow the engine types they are summed from.
import type {FinishReason, Usage} from "../engines/Engine.js";
import type {CorResult} from "../protocol/parseCor.js";
import type {Position} from "../protocol/types.js";
import type {SampleVerdict, VoteCount, VotedVerdict} from "./majorityVote.js";
import type {OrderPolicy, TieFallback} from "./orderPolicy.js";
import type {ProfileName} from "../protocol/profiles.js";

/**
 * Which reply the judge preferred: `chosen`/`rejected` for a labelled pair, `first`/`second` for an
 * unlabelled one, `tie` (votes split, or the two orders disagreed), or null for no usable verdict.
 */
export type Preference = "chosen" | "rejected" | "first" | "second" | "tie" | null;

/** One generated output (one attempt of one sample of one order). */
export interface JudgeOutput {
    /** Where the chosen (or first) reply sat in this call. */
    position: Position;
    /** Sample index in the vote (0-based). */
    sample: number;
    /** 0 for the first try; 1.. for re-samples after an unparsable output. */
    attempt: number;
    /** The sampling seed sent to the engine. */
    seed: number;
    temperature: number;
    /** The raw output. */
    text: string;
    /** The verdict read from `text` (evalVerdict by default). */
    verdict: SampleVerdict;
    finish_reason: FinishReason;
    /** P(A) / (P(A) + P(B)) at the verdict token, when the engine gave logprobs. */
    p_a?: number;
}

/** The verdict of one order (after voting over its samples). */
export interface JudgmentPass {
    /** Where the chosen (or first) reply sat. */
    position: Position;
    verdict: VotedVerdict;
    preferred: Preference;
    votes: VoteCount;
    /** Mean P(A) over the samples that gave one. */
    p_a?: number;
}

/** The settings a judgment was made with; a resumed run must use the same. */
export interface JudgeSettings {
    engine: string;
    profile: ProfileName;
    order: OrderPolicy;
    seed: number;
    samples: number;
    temperature: number;
    resample: number;
    max_tokens?: number;
    tie_fallback?: TieFallback;
}

export interface Judgment {
    id: string;
    /**
     * The verdict in the frame of `chosen_position`/`first_position` (the first order judged):
     * `A`, `B`, `tie` or `error` (no usable verdict; scores as wrong, as in the reference).
     */
    verdict: VotedVerdict;
    /** Where the chosen reply sat (in the first order judged); null for an unlabelled pair. */
    chosen_position: Position | null;
    /** Unlabelled pairs: where the first candidate sat (in the first order judged). */
    first_position?: Position;
    preferred: Preference;
    /** Whether the chosen reply was preferred; null without a label. A tie or an error is not correct. */
    correct: boolean | null;
    /** Benchmark outcome: 1 correct, 0.5 tie, 0 wrong or error; null without a label. */
    outcome: 1 | 0.5 | 0 | null;
    /** `both` only: did the two orders prefer the same reply? Null when either order has no verdict. */
    consistent?: boolean | null;
    /** The probability of the preferred reply being better, from token probabilities (A/B verdicts only). */
    confidence?: number;
    /** Labelled pairs: P(chosen is better), averaged over orders and samples, when logprobs were available. */
    p_chosen?: number;
    /** Unlabelled pairs: P(first is better), likewise. */
    p_first?: number;
    /** One entry per order judged. */
    passes: JudgmentPass[];
    /** Every output generated, failed attempts included. */
    outputs: JudgeOutput[];
    /** The Chain-of-Rubrics sections of each output (parallel to `outputs`). */
    cor: CorResult[];
    /** Tokens and cost of every call made for this pair. */
    usage: Usage;
    /** Wall time of the judgment in milliseconds. */
    latencyMs: number;
    /** Calls answered from the response cache. */
    cached: number;
    /** The model that answered, as the engine reported it. */
    model: string;
    /** The server build (`system_fingerprint`), when the engine reports one. */
    system_fingerprint?: string;
    judge: JudgeSettings;
    /** Present (true) when the input had no id and `id` was derived from its content. */
    id_generated?: true;
}
