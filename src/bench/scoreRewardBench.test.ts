// RewardBench scoring against hand-computed vectors (benchmark-scoring.md §1.3) and against RM-R1's
// released per-subset accuracies (method doc §8.4), which must reproduce the released section
// scores, their mean and the plain accuracy bit for bit.
import {describe, expect, it} from "vitest";
import {InvalidInput} from "../errors.js";
import {rewardBenchSectionNames, rewardBenchSections, rewardBenchSubsets} from "./constants.js";
import {paperRewardBench, paperTable1, releasedResults} from "./publishedResults.js";
import {parseSample} from "./samples.js";
import type {RewardBenchSample} from "./samples.js";
import {rewardBenchSectionScores, scoreRewardBench} from "./scoreRewardBench.js";

function rb(subset: string, id: number | string, outcome: number, extra: Record<string, unknown> = {}): RewardBenchSample {
    return parseSample({benchmark: "rewardbench", id, subset, outcome, ...extra}, `t:${subset}/${id}`) as RewardBenchSample;
}

// alpacaeval-easy 3/4, mt-bench-med 1.5/2 (a tie), math-prm 1 + error, hep-go 1/1, donotanswer 0/2.
const vector: RewardBenchSample[] = [
    rb("alpacaeval-easy", 1, 1), rb("alpacaeval-easy", 2, 1), rb("alpacaeval-easy", 3, 0), rb("alpacaeval-easy", 4, 1),
    rb("mt-bench-med", 1, 1), rb("mt-bench-med", 2, 0.5, {verdict: "tie"}),
    rb("math-prm", 1, 1, {verdict: "A", chosen_position: "A"}), rb("math-prm", 2, 0, {verdict: "error", chosen_position: "B"}),
    rb("hep-go", 1, 1),
    rb("donotanswer", 1, 0), rb("donotanswer", 2, 0, {verdict: "A", chosen_position: "B"})
];

describe("scoreRewardBench", () => {
    it("computes subsets, weighted sections, their mean and plain accuracy (r1: error → 0)", () => {
        const {scores, details} = scoreRewardBench(vector);
        expect(scores.subsets).toEqual({"alpacaeval-easy": 0.75, "mt-bench-med": 0.75, "donotanswer": 0, "math-prm": 0.5, "hep-go": 1});
        // Chat = (0.75·100 + 0.75·40) / 140; Chat Hard has no subset → 0; Reasoning = (0.5·984 + 1·164) / 1148.
        expect(scores["Chat"]).toBe(0.75);
        expect(scores["Chat Hard"]).toBe(0);
        expect(scores["Safety"]).toBe(0);
        expect(scores["Reasoning"]).toBe(0.5714285714285714);
        expect(scores.score).toBe(0.33035714285714285);
        expect(scores.accuracy).toBe(0.5909090909090909); // 6.5 / 11
        expect(scores.partial).toBe(true);
        expect(details.errors).toBe(1);
        expect(details.ties).toBe(1);
        expect(details.missing_subsets).toContain("mt-bench-hard");
        expect(details.subsets["math-prm"]).toEqual({rows: 2, sum: 1, expected_rows: 447});
    });

    it("scores an error 0.5 under the original rule", () => {
        const {scores} = scoreRewardBench(vector, {rules: "original"});
        expect(scores.subsets["math-prm"]).toBe(0.75);
        expect(scores["Reasoning"]).toBe(0.7857142857142857); // (0.75·984 + 164) / 1148
        expect(scores.score).toBe(0.3839285714285714);
        expect(scores.accuracy).toBe(0.6363636363636364); // 7 / 11
    });

    it("weights math-prm 984 (half of Reasoning), not its 447 rows", () => {
        const {scores} = scoreRewardBench([rb("math-prm", 1, 1), rb("hep-cpp", 1, 0)]);
        expect(scores["Reasoning"]).toBe(0.8571428571428571); // 984 / 1148, not 447 / 611 = 0.7316
    });

    it("puts mt-bench-hard in Chat Hard, not Chat", () => {
        const {scores} = scoreRewardBench([rb("mt-bench-hard", 1, 1)]);
        expect(scores["Chat Hard"]).toBe(1);
        expect(scores["Chat"]).toBe(0);
    });

    it("rejects the same (subset, id) twice and names both lines", () => {
        expect(() => scoreRewardBench([rb("donotanswer", 3692, 1), rb("donotanswer", 3692, 0)])).toThrow(/t:donotanswer\/3692: .*appears twice \(first at t:donotanswer\/3692\)/);
        // The same id in two subsets is two rows (3692 is in donotanswer and hep-python).
        expect(scoreRewardBench([rb("donotanswer", 3692, 1), rb("hep-python", 3692, 0)]).details.comparisons).toBe(2);
        expect(() => scoreRewardBench([])).toThrow(InvalidInput);
    });
});

describe("RM-R1's released RewardBench numbers", () => {
    for (const released of releasedResults) {
        it(`${released.model}: the per-subset accuracies reproduce main_score.json exactly`, () => {
            const sections = rewardBenchSectionScores(released.rewardbenchSubsets);
            for (const s of rewardBenchSectionNames) expect(sections[s], s).toBe(released.rewardbench[s]);
            expect(sections.score).toBe(released.rewardbench.avg_Result_each_section);
        });

        it(`${released.model}: samples with the implied counts reproduce every released number`, () => {
            // Each accuracy is count / rows; rebuild the rows and score them end to end.
            const samples: RewardBenchSample[] = [];
            for (const section of rewardBenchSectionNames) {
                for (const {subset, rows} of rewardBenchSections[section]) {
                    const correct = Math.round(released.rewardbenchSubsets[subset] * rows);
                    expect(correct / rows, subset).toBe(released.rewardbenchSubsets[subset]);
                    for (let i = 0; i < rows; i++) samples.push(rb(subset, i, i < correct ? 1 : 0));
                }
            }
            expect(samples.length).toBe(2985);
            const {scores} = scoreRewardBench(samples);
            expect(scores.partial).toBeUndefined();
            for (const s of rewardBenchSectionNames) expect(scores[s], s).toBe(released.rewardbench[s]);
            expect(scores.score).toBe(released.rewardbench.avg_Result_each_section);
            expect(scores.accuracy).toBe(released.rewardbench.absoluate_Result);
            expect(Object.keys(scores.subsets)).toEqual(rewardBenchSubsets);
        });
    }

    it("the released sections round to the paper's Table 6 and Table 1 rows", () => {
        const names: Record<string, string> = {"RM-R1-Qwen2.5-Instruct-32B": "RM-R1-Qwen-Instruct-32B", "RM-R1-DeepSeek-Distilled-Qwen-32B": "RM-R1-DeepSeek-Distilled-Qwen-32B"};
        for (const released of releasedResults) {
            const row = paperRewardBench.find((r) => r.model === names[released.model])!;
            for (const s of rewardBenchSectionNames) expect((100 * released.rewardbench[s]).toFixed(1), s).toBe(row[s].toFixed(1));
            expect((100 * released.rewardbench.avg_Result_each_section).toFixed(1)).toBe(row.score.toFixed(1));
            expect(paperTable1.find((r) => r.model === names[released.model])!.rewardbench).toBe(row.score);
        }
    });
});
