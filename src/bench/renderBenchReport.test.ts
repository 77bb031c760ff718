// report.md: the paper's layout, plain statements of partial data and of a non-reference order
// policy, and released numbers recomputed on a partial run's data.
import {describe, expect, it} from "vitest";
import {rewardBenchSectionNames, rewardBenchSections} from "./constants.js";
import {releasedResults} from "./publishedResults.js";
import {renderBenchReport} from "./renderBenchReport.js";
import {parseSample} from "./samples.js";
import type {BenchSample} from "./samples.js";
import {scoreSamples} from "./scoreSamples.js";

function rmBenchPrompts(domain: string, n: number, outcome = 1): BenchSample[] {
    const out: BenchSample[] = [];
    for (let p = 0; p < n; p++)
        for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) out.push(parseSample({benchmark: "rm-bench", id: p, domain, chosen_style: i, rejected_style: j, outcome}));
    return out;
}

function fullRewardBench(extra: Record<string, unknown> = {}): BenchSample[] {
    const out: BenchSample[] = [];
    for (const section of rewardBenchSectionNames)
        for (const {subset, rows} of rewardBenchSections[section]) for (let i = 0; i < rows; i++) out.push(parseSample({benchmark: "rewardbench", id: i, subset, outcome: i % 2, ...extra}));
    return out;
}

function fullRmb(): BenchSample[] {
    const out: BenchSample[] = [];
    const pairs = {Helpfulness: 10067, Harmlessness: 7064};
    const items = {Helpfulness: 2109, Harmlessness: 1677};
    for (const goal of ["Helpfulness", "Harmlessness"] as const) {
        for (let i = 0; i < pairs[goal]; i++) out.push(parseSample({benchmark: "rmb", kind: "pairwise", id: `${goal}${i}`, category_path: `Pairwise_set/${goal}/X`, outcome: 1}));
        for (let i = 0; i < items[goal]; i++)
            for (let k = 0; k < 2; k++) out.push(parseSample({benchmark: "rmb", kind: "bon", id: `${goal}${i}`, loser_index: k, category_path: `BoN_set/${goal}/X`, outcome: 1}));
    }
    return out;
}

describe("renderBenchReport", () => {
    it("says nothing is partial when every benchmark is complete, and fills the paper's Table 1 row", () => {
        const samples = [...fullRewardBench(), ...rmBenchPrompts("chat", 129), ...rmBenchPrompts("math", 529), ...rmBenchPrompts("code", 228), ...rmBenchPrompts("safety", 441), ...fullRmb()];
        const results = scoreSamples(samples);
        expect(results["rewardbench"]!.scores.partial).toBeUndefined();
        expect(results["rm-bench"]!.scores.partial).toBeUndefined();
        expect(results["rmb"]!.scores.partial).toBeUndefined();
        const md = renderBenchReport(results, {model: "m", seed: 7});
        expect(md).toContain("All scored benchmarks are complete and judged with the reference protocol.");
        expect(md).toContain("- A/B order: `random`, seed 7");
        const rb = (100 * results["rewardbench"]!.scores.score).toFixed(1);
        expect(md).toContain(`| **this run** | **m** | ${rb} | 100.0 | 100.0 | ${(100 * ((results["rewardbench"]!.scores.score + 1) + 1) / 3).toFixed(1)} |`);
        expect(md).not.toMatch(/\d\*/);
        expect(md).not.toContain("recomputed on this run's data");
    });

    it("states RM-Bench without math plainly and recomputes the released numbers on the same domains", () => {
        const results = scoreSamples([...rmBenchPrompts("chat", 129), ...rmBenchPrompts("code", 228), ...rmBenchPrompts("safety-refuse", 284), ...rmBenchPrompts("safety-response", 157)]);
        const md = renderBenchReport(results);
        expect(md).toContain("RM-Bench is partial: domain math missing, so every RM-Bench average is over 3 domains.");
        expect(md).toContain("Averages are over 3 domains (missing: math), never divided by 4.");
        expect(md).toContain("| **this run** | **this run** | – | 100.0* | – | – |");
        for (const r of releasedResults) {
            const x = r.rmBench;
            expect(md).toContain(`| ${r.model} (released) | – | ${(100 * (((x.chat + x.code) + x.safety) / 3)).toFixed(2)} | – | – |`);
        }
    });

    it("labels a non-reference order policy and a non-default error rule", () => {
        const results = scoreSamples(fullRewardBench({order_policy: "both"}));
        const md = renderBenchReport(results, {rules: "original"});
        expect(md).toContain("- A/B order: `both`");
        expect(md).toContain("The A/B order policy is `both`, not the reference protocol");
        expect(md).toContain("a verdict error scores 0.5, as in the original RewardBench");
    });

    it("lists the data notes the loaders gave", () => {
        const results = scoreSamples(rmBenchPrompts("chat", 1));
        const md = renderBenchReport(results, {dataNotes: ["RM-Bench domain math is missing (529 prompts)"]});
        expect(md).toContain("- RM-Bench domain math is missing (529 prompts)");
        expect(md).toContain("RM-Bench is partial: domains math, code, safety missing, so every RM-Bench average is over 1 domain; chat has 1 of 129 prompts.");
    });
});
