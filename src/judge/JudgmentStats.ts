// The summary of a judging run, folded one judgment at a time (a run can be larger than memory):
// accuracy when labels are known, position consistency and position bias, parse failures, tokens,
// cost. Definitions are in docs/judging.md ("The summary").
import type {Judgment} from "./Judgment.js";

export interface JudgeSummary {
    judgments: number;
    /** Judgments of labelled pairs. */
    labelled: number;
    /** Fraction of labelled judgments that preferred the chosen reply (ties and errors count as wrong). */
    accuracy: number | null;
    /** Mean benchmark outcome of labelled judgments: ties score 0.5 (RewardBench's rule). */
    score: number | null;
    verdicts: {A: number, B: number, tie: number, error: number};
    /** Fraction of judgments with verdict `tie`. */
    tie_rate: number | null;
    /** Fraction of judgments with no usable verdict (verdict `error`). */
    error_rate: number | null;
    /** `both` policy: of the judgments whose two orders both gave a verdict, the fraction that agree. */
    position_consistency: number | null;
    /** Judgments that `position_consistency` is computed over. */
    consistency_pairs: number;
    position_bias: {
        /** Judge calls (orders) counted: one per order per judgment. */
        passes: number;
        /** Of the orders with an A or B verdict, the fraction that said A. */
        a_rate: number | null;
        /** `a_rate − 0.5`: above 0 the judge favours position A. */
        a_rate_delta: number | null;
        /** Accuracy over labelled orders with the chosen reply in A. */
        accuracy_chosen_in_a: number | null;
        /** Accuracy over labelled orders with the chosen reply in B. */
        accuracy_chosen_in_b: number | null;
        /** `accuracy_chosen_in_a − accuracy_chosen_in_b`: the position-bias delta. */
        accuracy_delta: number | null;
    };
    /** Generated outputs, re-samples included. */
    outputs: number;
    /** Fraction of outputs with no verdict (before re-sampling rescued any). */
    parse_failure_rate: number | null;
    /** Outputs that were re-samples of an unparsable output. */
    resampled: number;
    /** Mean `confidence` over judgments that have one, and how many do. */
    confidence: {judgments: number, mean: number | null};
    /** Labelled judgments with `p_chosen`: mean squared error of p_chosen against 1 (lower is better calibrated). */
    brier: number | null;
    tokens: {prompt: number, completion: number};
    /** Summed cost in US dollars, null when the engine reported no price. */
    cost_usd: number | null;
    /** Engine calls answered from the response cache. */
    cached_calls: number;
    /** Wall time per judgment in milliseconds. */
    latency_ms: {mean: number | null, p50: number | null};
}

/** Accumulates a `JudgeSummary` over judgments added one by one. */
export class JudgmentStats {
    private n = 0;
    private labelled = 0;
    private correct = 0;
    private outcome = 0;
    private readonly verdicts = {A: 0, B: 0, tie: 0, error: 0};
    private consistencyPairs = 0;
    private consistent = 0;
    private passes = 0;
    private passA = 0;
    private passAB = 0;
    private readonly byChosen = {A: {n: 0, correct: 0}, B: {n: 0, correct: 0}};
    private outputs = 0;
    private failures = 0;
    private resampled = 0;
    private confidenceN = 0;
    private confidenceSum = 0;
    private brierN = 0;
    private brierSum = 0;
    private promptTokens = 0;
    private completionTokens = 0;
    private cost: number | null = null;
    private cached = 0;
    private readonly latencies: number[] = [];

    add(j: Judgment): void {
        this.n++;
        this.verdicts[j.verdict]++;
        if (j.correct != null) {
            this.labelled++;
            if (j.correct) this.correct++;
            this.outcome += j.outcome ?? 0;
        }
        if (j.consistent != null) {
            this.consistencyPairs++;
            if (j.consistent) this.consistent++;
        }
        for (const p of j.passes) {
            this.passes++;
            if (p.verdict === "A" || p.verdict === "B") {
                this.passAB++;
                if (p.verdict === "A") this.passA++;
            }
            if (j.correct != null) {
                const side = this.byChosen[p.position];
                side.n++;
                if (p.preferred === "chosen") side.correct++;
            }
        }
        for (const o of j.outputs) {
            this.outputs++;
            if (o.verdict === "error") this.failures++;
            if (o.attempt > 0) this.resampled++;
        }
        if (j.confidence != null) {
            this.confidenceN++;
            this.confidenceSum += j.confidence;
        }
        if (j.p_chosen != null) {
            this.brierN++;
            this.brierSum += (1 - j.p_chosen) ** 2;
        }
        this.promptTokens += j.usage.promptTokens;
        this.completionTokens += j.usage.completionTokens;
        if (j.usage.costUsd != null) this.cost = (this.cost ?? 0) + j.usage.costUsd;
        this.cached += j.cached;
        this.latencies.push(j.latencyMs);
    }

    summary(): JudgeSummary {
        const ratio = (a: number, b: number) => b > 0 ? a / b : null;
        const aRate = ratio(this.passA, this.passAB);
        const inA = ratio(this.byChosen.A.correct, this.byChosen.A.n);
        const inB = ratio(this.byChosen.B.correct, this.byChosen.B.n);
        const sorted = [...this.latencies].sort((x, y) => x - y);
        return {
            judgments: this.n,
            labelled: this.labelled,
            accuracy: ratio(this.correct, this.labelled),
            score: ratio(this.outcome, this.labelled),
            verdicts: {...this.verdicts},
            tie_rate: ratio(this.verdicts.tie, this.n),
            error_rate: ratio(this.verdicts.error, this.n),
            position_consistency: ratio(this.consistent, this.consistencyPairs),
            consistency_pairs: this.consistencyPairs,
            position_bias: {
                passes: this.passes,
                a_rate: aRate,
                a_rate_delta: aRate == null ? null : aRate - 0.5,
                accuracy_chosen_in_a: inA,
                accuracy_chosen_in_b: inB,
                accuracy_delta: inA == null || inB == null ? null : inA - inB
            },
            outputs: this.outputs,
            parse_failure_rate: ratio(this.failures, this.outputs),
            resampled: this.resampled,
            confidence: {judgments: this.confidenceN, mean: ratio(this.confidenceSum, this.confidenceN)},
            brier: ratio(this.brierSum, this.brierN),
            tokens: {prompt: this.promptTokens, completion: this.completionTokens},
            cost_usd: this.cost,
            cached_calls: this.cached,
            latency_ms: {
                mean: ratio(this.latencies.reduce((s, x) => s + x, 0), this.latencies.length),
                p50: sorted.length === 0 ? null : sorted.length % 2 === 1
                    ? sorted[(sorted.length - 1) / 2]
                    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2
            }
        };
    }
}

/** The summary of a list of judgments. */
export function summarizeJudgments(judgments: Iterable<Judgment>): JudgeSummary {
    const stats = new JudgmentStats();
    for (const j of judgments) stats.add(j);
    return stats.summary();
}
