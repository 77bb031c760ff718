import {describe, expect, it} from "vitest";
import {summarizeJudgments} from "./JudgmentStats.js";
import type {Judgment, JudgmentPass} from "./Judgment.js";

function judgment(over: Partial<Judgment>, passes: Partial<JudgmentPass>[], outputs: {verdict: "A" | "B" | "error", attempt?: number}[] = [{verdict: "A"}]): Judgment {
    return {
        id: "x", verdict: "A", chosen_position: "A", preferred: "chosen", correct: true, outcome: 1,
        passes: passes.map((p) => ({position: "A", verdict: "A", preferred: "chosen", votes: {A: 1, B: 0, error: 0}, ...p})),
        outputs: outputs.map((o, i) => ({position: "A", sample: i, attempt: o.attempt ?? 0, seed: 1, temperature: 0, text: "", verdict: o.verdict, finish_reason: "stop"})),
        cor: [], usage: {promptTokens: 10, completionTokens: 5}, latencyMs: 100, cached: 0, model: "m",
        judge: {engine: "e", profile: "tiny", order: "random", seed: 0, samples: 1, temperature: 0, resample: 0},
        ...over
    };
}

describe("summarizeJudgments", () => {
    it("computes accuracy, position bias and parse failures by hand", () => {
        const s = summarizeJudgments([
            // chosen in A, said A: correct.
            judgment({}, [{}]),
            // chosen in A, said A: correct, confidence 0.9, p_chosen 0.9.
            judgment({confidence: 0.9, p_chosen: 0.9, latencyMs: 300}, [{}]),
            // chosen in B, said A: wrong.
            judgment({verdict: "A", chosen_position: "B", preferred: "rejected", correct: false, outcome: 0, p_chosen: 0.4, usage: {promptTokens: 1, completionTokens: 1, costUsd: 0.5}},
                [{position: "B", verdict: "A", preferred: "rejected"}]),
            // chosen in B, no verdict after one re-sample: error.
            judgment({verdict: "error", chosen_position: "B", preferred: null, correct: false, outcome: 0},
                [{position: "B", verdict: "error", preferred: null}], [{verdict: "error"}, {verdict: "error", attempt: 1}])
        ]);
        expect(s.judgments).toBe(4);
        expect(s.accuracy).toBe(0.5);
        expect(s.score).toBe(0.5);
        expect(s.verdicts).toEqual({A: 3, B: 0, tie: 0, error: 1});
        expect(s.error_rate).toBe(0.25);
        // Three A/B passes, all A.
        expect(s.position_bias.a_rate).toBe(1);
        expect(s.position_bias.a_rate_delta).toBe(0.5);
        expect(s.position_bias.accuracy_chosen_in_a).toBe(1);
        expect(s.position_bias.accuracy_chosen_in_b).toBe(0);
        expect(s.position_bias.accuracy_delta).toBe(1);
        expect(s.outputs).toBe(5);
        expect(s.parse_failure_rate).toBe(2 / 5);
        expect(s.resampled).toBe(1);
        expect(s.confidence).toEqual({judgments: 1, mean: 0.9});
        expect(s.brier).toBeCloseTo(((0.1) ** 2 + (0.6) ** 2) / 2, 12);
        expect(s.tokens).toEqual({prompt: 31, completion: 16});
        expect(s.cost_usd).toBe(0.5);
        expect(s.latency_ms).toEqual({mean: 150, p50: 100});
        expect(s.position_consistency).toBeNull();
    });

    it("computes position consistency over both-order judgments with two verdicts", () => {
        const both = (consistent: boolean | null) => judgment({consistent}, [{position: "A"}, {position: "B", verdict: "B"}]);
        const s = summarizeJudgments([both(true), both(true), both(false), both(null)]);
        expect(s.position_consistency).toBe(2 / 3);
        expect(s.consistency_pairs).toBe(3);
        expect(s.position_bias.passes).toBe(8);
        expect(s.position_bias.a_rate).toBe(0.5);
        expect(s.cost_usd).toBeNull();
        expect(summarizeJudgments([]).accuracy).toBeNull();
    });
});
