// Sample-line validation (every bad line names file:line and the field), outcomes under both error
// rules, and the paper's overall average.
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {InvalidInput, NotFound} from "../errors.js";
import {paperTable1, releasedResults} from "./publishedResults.js";
import {parseSample, readSamples, sampleOutcome, verdictOutcome} from "./samples.js";
import {allScores, paperAverage, scoreSamplesFile} from "./scoreSamples.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-bench-samples-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

function bad(value: unknown): string {
    try {
        parseSample(value, "s.jsonl:3");
    } catch (e) {
        expect(e).toBeInstanceOf(InvalidInput);
        return (e as Error).message;
    }
    throw new Error("expected InvalidInput");
}

describe("parseSample", () => {
    it("accepts the minimal lines of each benchmark", () => {
        expect(parseSample({benchmark: "rewardbench", id: 3692, subset: "donotanswer", outcome: 1})).toMatchObject({id: "3692", item_id: "3692", outcome: 1});
        expect(parseSample({benchmark: "rm-bench", id: 8, domain: "safety-refuse", chosen_style: 2, rejected_style: 0, outcome: 0}))
            .toMatchObject({scoring_domain: "safety", rotation: 2, index: 2});
        expect(parseSample({benchmark: "rm-bench", id: 8, domain: "chat", chosen_style: "concise", rejected_style: "detailed_markdown", outcome: 1}))
            .toMatchObject({chosen_style: 0, rejected_style: 2, rotation: 3});
        expect(parseSample({benchmark: "rmb", kind: "bon", id: "u1", category_path: "BoN_set/Helpfulness/Chat/Discussion", loser_index: 1, outcome: 0.5}))
            .toMatchObject({goal: "Helpfulness", loser_index: 1});
    });

    it("names the line and the field of each mistake", () => {
        expect(bad(null)).toMatch(/^s\.jsonl:3: a sample line must be a JSON object/);
        expect(bad({benchmark: "reward-bench", id: 1, outcome: 1})).toMatch(/^s\.jsonl:3: 'benchmark' must be one of rewardbench, rm-bench, rmb, got "reward-bench"/);
        expect(bad({benchmark: "rewardbench", subset: "donotanswer", outcome: 1})).toMatch(/'id' is missing/);
        expect(bad({benchmark: "rewardbench", id: 1, subset: "donotanswer", outcome: 0.7})).toMatch(/'outcome' must be 1, 0\.5 or 0, got 0\.7/);
        expect(bad({benchmark: "rewardbench", id: 1, subset: "donotanswer", outcome: true})).toMatch(/'outcome' must be 1, 0\.5 or 0, got true/);
        expect(bad({benchmark: "rm-bench", id: 1, domain: "legal", chosen_style: 0, rejected_style: 0, outcome: 1})).toMatch(/'domain' must start with chat, math, code or safety/);
        expect(bad({benchmark: "rm-bench", id: 1, domain: "chat", chosen_style: 3, rejected_style: 0, outcome: 1})).toMatch(/'chosen_style' must be 0, 1 or 2/);
        expect(bad({benchmark: "rm-bench", id: 1, domain: "chat", chosen_style: 1, rejected_style: 0, index: 0, outcome: 1})).toMatch(/'index' 0 must equal chosen_style 1/);
        expect(bad({benchmark: "rmb", kind: "bon", id: "u", category_path: "BoN_set/Helpfulness/Chat/Discussion", outcome: 1})).toMatch(/'loser_index' .* must be an integer >= 0 for kind bon/);
        expect(bad({benchmark: "rmb", kind: "pairwise", id: "u", category_path: "BoN_set/Helpfulness/Chat/Discussion", outcome: 1})).toMatch(/'kind' is "pairwise" but category_path .* is in the BoN set/);
        expect(bad({benchmark: "rmb", kind: "pairwise", id: "u", category_path: "Helpfulness/Chat", outcome: 1})).toMatch(/'category_path' must look like Pairwise_set/);
        expect(bad({benchmark: "rmb", kind: "bon", id: "u", category_path: "BoN_set/Harmlessness/S1", loser_index: 2, losers: 2, outcome: 1})).toMatch(/'losers' .* must be an integer > loser_index 2/);
    });

    it("checks a verdict against the outcome", () => {
        const line = {benchmark: "rewardbench", id: 1, subset: "donotanswer"};
        expect(bad({...line, verdict: "B", chosen_position: "A", outcome: 1})).toMatch(/'outcome' 1 contradicts verdict B with the chosen reply at A \(expected 0\)/);
        expect(bad({...line, verdict: "tie", outcome: 1})).toMatch(/contradicts verdict tie/);
        expect(bad({...line, verdict: "error", outcome: 1})).toMatch(/contradicts verdict error/);
        expect(bad({...line, verdict: "C", outcome: 0})).toMatch(/'verdict' must be one of A, B, tie, error/);
        expect(parseSample({...line, verdict: "B", chosen_position: "B", outcome: 1}).outcome).toBe(1);
    });

    it("applies the error rule only to error verdicts", () => {
        const line = {benchmark: "rewardbench", id: 1, subset: "donotanswer"};
        const err = parseSample({...line, verdict: "error", outcome: 0});
        expect([sampleOutcome(err, "r1"), sampleOutcome(err, "original")]).toEqual([0, 0.5]);
        // A line written under the original rule (error → 0.5) scores 0 under r1.
        expect(sampleOutcome(parseSample({...line, verdict: "error", outcome: 0.5}), "r1")).toBe(0);
        const plain = parseSample({...line, outcome: 0});
        expect(sampleOutcome(plain, "original")).toBe(0);
        expect([verdictOutcome("A", "A"), verdictOutcome("B", "A"), verdictOutcome("tie", "A"), verdictOutcome("error", "B"), verdictOutcome("error", "B", "original")]).toEqual([1, 0, 0.5, 0, 0.5]);
    });
});

describe("readSamples / scoreSamplesFile", () => {
    it("reports an invalid line with its line number", async () => {
        const file = join(dir, "bad.jsonl");
        writeFileSync(file, [
            JSON.stringify({benchmark: "rewardbench", id: 1, subset: "donotanswer", outcome: 1}),
            "",
            JSON.stringify({benchmark: "rewardbench", id: 2, subset: "donotanswer", outcome: 2})
        ].join("\n") + "\n");
        await expect(readSamples(file)).rejects.toThrow(`${file}:3: 'outcome' must be 1, 0.5 or 0, got 2`);
        writeFileSync(file, "{\"benchmark\": \"rewardbench\",\n");
        await expect(readSamples(file)).rejects.toThrow(new RegExp(`^${file}:1: line is not valid JSON`));
        await expect(readSamples(join(dir, "absent.jsonl"))).rejects.toThrow(NotFound);
    });

    it("skips other benchmarks' lines when one is asked, and says when none is left", async () => {
        const file = join(dir, "mixed.jsonl");
        writeFileSync(file, [
            JSON.stringify({benchmark: "rewardbench", id: 1, subset: "donotanswer", outcome: 1}),
            JSON.stringify({benchmark: "rmb", kind: "pairwise", id: "p", category_path: "Pairwise_set/Harmlessness/S1", outcome: 0})
        ].join("\n") + "\n");
        const r = await scoreSamplesFile(file, "rewardbench");
        expect(r.skipped).toBe(1);
        expect(r.results["rewardbench"]!.scores.subsets).toEqual({"donotanswer": 1});
        await expect(scoreSamplesFile(file, "rm-bench")).rejects.toThrow(/has no rm-bench sample lines \(2 lines of other benchmarks\)/);
        const all = allScores((await scoreSamplesFile(file, "all")).results);
        expect(all.average).toBeUndefined();
        expect(all.partial).toBe(true);
        expect(Object.keys(all)).toEqual(["rewardbench", "rmb", "partial"]);
    });
});

describe("paperAverage", () => {
    it("the released 32B results average to the paper's Table 1 figures", () => {
        const names: Record<string, string> = {"RM-R1-Qwen2.5-Instruct-32B": "RM-R1-Qwen-Instruct-32B", "RM-R1-DeepSeek-Distilled-Qwen-32B": "RM-R1-DeepSeek-Distilled-Qwen-32B"};
        const got = releasedResults.map((r) => paperAverage(r.rewardbench.avg_Result_each_section, r.rmBench.total_avg_acc, r.rmb["Accuracy Averaged from Four Sections"]));
        expect(got).toEqual([0.8120566247016882, 0.8150218051209596]);
        for (const [k, r] of releasedResults.entries()) expect((100 * got[k]).toFixed(1)).toBe(paperTable1.find((p) => p.model === names[r.model])!.average!.toFixed(1));
    });
});
