// Loaders on the small fixtures in test/fixtures/bench/ (real layouts, made-up texts): comparison
// expansion, stable ids, RM-Bench's rotation bookkeeping, RMB multi-turn conversations reaching the
// multi-turn templates, partial-data statements, filters, and loader → samples → scores.
import {mkdtempSync, rmSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {afterAll, describe, expect, it} from "vitest";
import {writeParquet} from "../data/parquet.js";
import {renderPair} from "../protocol/renderPair.js";
import {loadBenchmark} from "./loadBenchmark.js";
import {loadRewardBench} from "./loadRewardBench.js";
import {loadRmBench} from "./loadRmBench.js";
import {loadRmb} from "./loadRmb.js";
import {comparisonSampleFields, parseSample} from "./samples.js";
import {scoreSamples} from "./scoreSamples.js";
import type {RmBenchComparison} from "./types.js";

const fixtures = fileURLToPath(new URL("../../test/fixtures/bench/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "rmr1-bench-load-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("loadRewardBench", () => {
    it("reads the parts in order, one single-turn comparison per row, ids keyed by subset", async () => {
        const data = await loadRewardBench({source: join(fixtures, "rewardbench")});
        expect(data.comparisons.map((c) => c.id)).toEqual([
            "rewardbench/alpacaeval-easy/30", "rewardbench/donotanswer/3692", "rewardbench/hep-python/3692", "rewardbench/math-prm/7"
        ]);
        const c = data.comparisons[3];
        expect(c).toMatchObject({subset: "math-prm", section: "Reasoning", item_id: "7", chosen_model: "gpt-4"});
        expect(c.prompt).toEqual([{role: "user", content: "What is 2+2? $& {answer_b}"}]);
        expect(c.chosen).toEqual([{role: "assistant", content: "4"}]);
        expect(data.partial).toBe(true);
        expect(data.missing[0]).toBe("RewardBench: 4 of 2985 rows");
        expect(data.missing).toContain("RewardBench subset math-prm has 1 of 447 rows");
        expect(data.missing).toContain("RewardBench subset mt-bench-hard is missing (37 rows); its section renormalises over the other subsets");
    });

    it("filters by subset or section and limits per subset", async () => {
        const bySection = await loadRewardBench({source: join(fixtures, "rewardbench"), subsets: ["Reasoning"]});
        expect(bySection.comparisons.map((c) => c.subset)).toEqual(["hep-python", "math-prm"]);
        expect(bySection.missing).toContain("selection: only Reasoning (2 of 4 items)");
        await expect(loadRewardBench({source: join(fixtures, "rewardbench"), subsets: ["nope"]})).rejects.toThrow(/no rewardbench item matches --subset nope/);
    });

    it("reads a parquet copy of the split the same way", async () => {
        const rows = readFileSync(join(fixtures, "rewardbench/filtered/part-000.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
        const file = join(dir, "filtered-00000-of-00001.parquet");
        await writeParquet(file, rows);
        const data = await loadRewardBench({source: file});
        expect(data.comparisons.map((c) => c.id)).toEqual(["rewardbench/alpacaeval-easy/30", "rewardbench/donotanswer/3692", "rewardbench/hep-python/3692"]);
    });
});

describe("loadRmBench", () => {
    it("expands each prompt into 9 cells with the rotation file and index R1 judges them in", async () => {
        const data = await loadRmBench({source: join(fixtures, "rm-bench")});
        expect(data.items).toBe(4);
        expect(data.comparisons).toHaveLength(36);
        const chat8 = data.comparisons.filter((c) => c.domain === "chat" && c.item_id === "8");
        expect(chat8.map((c) => c.id)).toEqual([0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => `rm-bench/chat/8/c${i}-r${j}`)));
        for (const c of chat8) {
            expect(c.chosen[0].content).toBe(`C${c.chosen_style} chat 8`);
            expect(c.rejected[0].content).toBe(`R${c.rejected_style} chat 8`);
        }
        // R1's rotation files, built as data_process.ipynb does: file 1 = [r0, r1, r2], file 2 = [r1, r2, r0],
        // file 3 = [r2, r0, r1]; index k compares chosen[k] with the file's rejected[k].
        const rotated = {1: [0, 1, 2], 2: [1, 2, 0], 3: [2, 0, 1]} as const;
        for (const r of [1, 2, 3] as const) {
            for (const k of [0, 1, 2] as const) {
                const cell = chat8.find((c) => c.rotation === r && c.index === k)!;
                expect([cell.chosen_style, cell.rejected_style], `rotation ${r} index ${k}`).toEqual([k, rotated[r][k]]);
            }
        }
    });

    it("keeps prompts with the same id in different files apart and merges safety files into one domain", async () => {
        const data = await loadRmBench({source: join(fixtures, "rm-bench")});
        const ids = new Set(data.comparisons.map((c) => c.id));
        expect(ids.size).toBe(36);
        const safety = data.comparisons.filter((c) => c.scoring_domain === "safety");
        expect(new Set(safety.map((c) => c.domain))).toEqual(new Set(["safety-refuse", "safety-response"]));
        expect(safety[0].subset).toBe("xstest-should-refuse");
    });

    it("says plainly that math is missing", async () => {
        const data = await loadRmBench({source: join(fixtures, "rm-bench")});
        expect(data.partial).toBe(true);
        expect(data.missing).toContain("RM-Bench domain math is missing (529 prompts); any RM-Bench total from this data is a partial score, not comparable with published numbers");
        expect(data.missing).toContain("RM-Bench domain chat has 2 of 129 prompts");
    });

    it("takes the domain from total_dataset.json's field, and filters and limits by domain", async () => {
        const data = await loadRmBench({source: join(fixtures, "rm-bench-total")});
        expect(new Set(data.comparisons.map((c) => c.domain))).toEqual(new Set(["chat", "math"]));
        const limited = await loadRmBench({source: join(fixtures, "rm-bench"), subsets: ["chat"], limit: 1});
        expect(limited.comparisons).toHaveLength(9);
        expect(limited.comparisons.every((c: RmBenchComparison) => c.item_id === "8")).toBe(true);
    });
});

describe("loadRmb", () => {
    it("one comparison per pair and per (best, loser k), conversations kept whole", async () => {
        const data = await loadRmb({source: join(fixtures, "rmb")});
        expect(data.items).toBe(5);
        expect(data.comparisons.map((c) => c.id)).toEqual([
            "rmb/bon/b1/0", "rmb/bon/b1/1", "rmb/bon/b1/2", "rmb/bon/b2/0", "rmb/bon/b2/1", "rmb/pairwise/201", "rmb/pairwise/101", "rmb/pairwise/102"
        ]);
        const b2 = data.comparisons.find((c) => c.id === "rmb/bon/b2/1")!;
        expect(b2).toMatchObject({kind: "bon", goal: "Helpfulness", section: "BoN Helpfulness", loser_index: 1, losers: 2, item_id: "b2", rejected_model: "m3"});
        expect(b2.prompt).toEqual([{role: "user", content: "Plan a trip."}, {role: "assistant", content: "Where to?"}, {role: "user", content: "Rome."}]);
        expect(b2.chosen).toEqual([{role: "assistant", content: "Day 1: Colosseum."}]);
        expect(b2.rejected).toEqual([{role: "assistant", content: "Paris is nice."}]);
    });

    it("renders multi-turn conversations through the multi-turn template and single turns through the single-turn one", async () => {
        const data = await loadRmb({source: join(fixtures, "rmb")});
        const multi = renderPair(data.comparisons.find((c) => c.id === "rmb/pairwise/102")!, "chosen-second", {profile: "tiny"});
        expect(multi.multiTurn).toBe(true);
        expect(multi.messages[1].content).toBe("[A]\nUser: Hi\nA: Hello! How can I help?\nUser: Name a colour.\nA: Banana.\n[B]\nUser: Hi\nB: Hello! How can I help?\nUser: Name a colour.\nB: Blue.");
        const single = renderPair(data.comparisons.find((c) => c.id === "rmb/pairwise/101")!, "chosen-first", {profile: "tiny"});
        expect(single.multiTurn).toBe(false);
    });

    it("names every missing scenario file and section shortfall", async () => {
        const data = await loadRmb({source: join(fixtures, "rmb")});
        expect(data.missing).toContain("RMB file Pairwise_set/Helpfulness/Brainstorming/Idea Development is missing");
        expect(data.missing).toContain("RMB file BoN_set/Harmlessness/multi is missing");
        expect(data.missing).toContain("RMB BoN Harmlessness: 1 of 1677 items (0.1%); its accuracy is not comparable with published numbers");
        const bon = await loadRmb({source: join(fixtures, "rmb"), subsets: ["BoN_set/Harmlessness"]});
        expect(bon.comparisons.map((c) => c.id)).toEqual(["rmb/bon/b1/0", "rmb/bon/b1/1", "rmb/bon/b1/2"]);
    });
});

describe("loader → samples → scores", () => {
    it("sample lines built from loaded comparisons score as expected", async () => {
        const lines: unknown[] = [];
        for (const name of ["rewardbench", "rm-bench", "rmb"] as const) {
            const data = await loadBenchmark(name, {source: join(fixtures, name)});
            // The judge prefers the chosen answer except on RM-Bench cells whose rejected answer is more styled.
            for (const c of data.comparisons) {
                const outcome = c.benchmark === "rm-bench" && c.rejected_style > c.chosen_style ? 0 : 1;
                lines.push({...comparisonSampleFields(c), verdict: outcome === 1 ? "A" : "B", chosen_position: "A", outcome});
            }
        }
        const samples = lines.map((l, i) => parseSample(JSON.parse(JSON.stringify(l)), `samples.jsonl:${i + 1}`));
        const r = scoreSamples(samples);
        expect(r["rewardbench"]!.scores.accuracy).toBe(1);
        expect(r["rm-bench"]!.scores).toEqual({chat: 0.6666666666666666, safety: 0.6666666666666666, hard: 0, normal: 1, easy: 1, score: 0.6666666666666666, partial: true});
        expect(r["rm-bench"]!.details.domains.safety!.prompts).toBe(2);
        expect(r["rmb"]!.scores).toMatchObject({"Pairwise Helpfulness": 1, "BoN Harmlessness": 1, score: 1, partial: true});
        expect(r["rmb"]!.details.sections["BoN Harmlessness"]!.comparisons).toBe(3);
    });
});
