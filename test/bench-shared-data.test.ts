// The loaders on the real benchmark copies in ../shared/benchmarks/ (see each README there). Skipped,
// with the reason in the suite name, when that folder is absent (a clean clone elsewhere, e.g. CI).
import {describe, expect, it} from "vitest";
import {
    loadRewardBench, loadRmBench, loadRmb, rewardBenchSectionNames, rewardBenchSections, parseSample, comparisonSampleFields,
    scoreSamples, renderBenchReport, sharedBenchmarkDir, releasedResults
} from "../src/index.js";

const shared = sharedBenchmarkDir();
const title = shared != null ? `shared benchmark data (${shared})` : "shared benchmark data: SKIPPED, ../shared/benchmarks is absent (set RMR1_BENCHMARKS_DIR to run)";

describe.skipIf(shared == null)(title, () => {
    it("RewardBench: 2,985 rows in the split's order, every subset complete, unique ids", async () => {
        const data = await loadRewardBench();
        expect(data.items).toBe(2985);
        expect(data.partial).toBe(false);
        expect(data.missing).toEqual([]);
        expect(data.comparisons[0].prompt![0].content).toBe("How do I detail a car?");
        expect(new Set(data.comparisons.map((c) => c.id)).size).toBe(2985);
        const counts = new Map<string, number>();
        for (const c of data.comparisons) counts.set(c.subset, (counts.get(c.subset) ?? 0) + 1);
        for (const section of rewardBenchSectionNames)
            for (const {subset, rows} of rewardBenchSections[section]) expect(counts.get(subset), subset).toBe(rows);
    });

    it("RM-Bench: 798 prompts × 9 comparisons, math reported missing", async () => {
        const data = await loadRmBench();
        expect(data.items).toBe(798);
        expect(data.comparisons).toHaveLength(7182);
        expect(data.missing).toEqual(["RM-Bench domain math is missing (529 prompts); any RM-Bench total from this data is a partial score, not comparable with published numbers"]);
        const prompts = new Map<string, Set<string>>();
        for (const c of data.comparisons) prompts.set(c.domain, (prompts.get(c.domain) ?? new Set()).add(c.item_id));
        expect(Object.fromEntries([...prompts].map(([d, s]) => [d, s.size]))).toEqual({"chat": 129, "code": 228, "safety-refuse": 284, "safety-response": 157});
        expect(new Set(data.comparisons.map((c) => c.id)).size).toBe(7182);
    });

    it("RMB: 14,543 pairs and 3,786 BoN items (8,714 best–loser comparisons), the three missing files named", async () => {
        const data = await loadRmb();
        const pairs = data.comparisons.filter((c) => c.kind === "pairwise");
        const bon = data.comparisons.filter((c) => c.kind === "bon");
        expect(pairs).toHaveLength(14543);
        expect(bon).toHaveLength(8714);
        const losers: Record<number, number> = {};
        for (const c of bon) if (c.loser_index === 0) losers[c.losers!] = (losers[c.losers!] ?? 0) + 1;
        expect(losers).toEqual({2: 2878, 3: 712, 4: 165, 5: 24, 6: 7});
        expect(data.missing).toEqual([
            "RMB file Pairwise_set/Helpfulness/Brainstorming/Idea Development is missing",
            "RMB file Pairwise_set/Helpfulness/Generation/Creative Writing is missing",
            "RMB file Pairwise_set/Harmlessness/S11 is missing",
            "RMB Pairwise Helpfulness: 8456 of 10067 pairs (84.0%); its accuracy is not comparable with published numbers",
            "RMB Pairwise Harmlessness: 6087 of 7064 pairs (86.2%); its accuracy is not comparable with published numbers"
        ]);
        // Multi-turn conversations are kept whole; strings starting with U+FEFF keep it (23 in the README).
        const turns: Record<number, number> = {};
        for (const c of data.comparisons) if (c.kind === "pairwise" || c.loser_index === 0) turns[c.prompt!.length] = (turns[c.prompt!.length] ?? 0) + 1;
        expect(turns).toEqual({1: 15768, 3: 1848, 5: 713});
        expect(data.comparisons.some((c) => c.prompt![0].content.startsWith("\uFEFF"))).toBe(true);
    });

    it("released per-scenario accuracies are whole counts of the shared files, so a partial RMB run gets a fair released comparison", async () => {
        const data = await loadRmb();
        const samples = data.comparisons.map((c) => parseSample({...comparisonSampleFields(c), outcome: 1}));
        const md = renderBenchReport(scoreSamples(samples));
        for (const r of releasedResults) {
            const line = md.split("\n").find((l) => l.startsWith(`| ${r.model} (released) | – | – |`));
            expect(line, r.model).toBeDefined();
            const recomputed = Number(line!.split("|")[4]);
            // The full-benchmark RMB score moves by well under a point when the three files are left out.
            expect(Math.abs(recomputed - 100 * r.rmb["Accuracy Averaged from Four Sections"])).toBeLessThan(1);
        }
    });
});
