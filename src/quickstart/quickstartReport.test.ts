import {describe, expect, it} from "vitest";
import type {Position} from "../protocol/types.js";
import type {JudgedSample} from "./evaluateWorldJudge.js";
import {readingNotes, quickstartReport, quickstartScores} from "./quickstartReport.js";
import type {QuickstartVariant} from "./quickstartReport.js";

/** 40 pairs per family at level 1 and 10 at level 2, chosen reply in A for exactly half of each. */
function pairs(): Omit<JudgedSample, "verdict">[] {
    const out: Omit<JudgedSample, "verdict">[] = [];
    for (const family of ["arith", "lists"] as const) {
        for (const [level, n] of [[1, 40], [2, 10]] as const) {
            for (let i = 0; i < n; i++) out.push({id: `${family}-${level}-${i}`, family, level, kind: "k", chosenPosition: i % 2 === 0 ? "A" : "B"});
        }
    }
    return out;
}

const other = (p: Position): Position => (p === "A" ? "B" : "A");

describe("quickstartScores", () => {
    const base = pairs();
    const samples = new Map<QuickstartVariant, JudgedSample[]>([
        // Right on arith, wrong on lists.
        ["scalar", base.map((p) => ({...p, verdict: p.family === "arith" ? p.chosenPosition : other(p.chosenPosition)}))],
        // Right on 3 of 4 level-1 items, format failure on the rest.
        ["sft", base.map((p, i) => ({...p, verdict: i % 4 === 3 ? "error" : p.chosenPosition}))],
        // Always right.
        ["reasoning", base.map((p) => ({...p, verdict: p.chosenPosition}))]
    ]);
    const scores = quickstartScores({
        out: "/tmp/qs", budget: "fast", seed: 1, samples, finalModelDir: "/tmp/qs/grpo/best", testFile: "/tmp/qs/data/test.jsonl",
        base: {dir: "/base", parameters: 10, pretrainingSeconds: 600, pretrainingSteps: 100, policyAccuracy: null},
        grpo: {steps: 3, initialDevAccuracy: 0.5, bestDevAccuracy: 0.6, bestStep: 2, firstReward: 0, lastReward: 0.5},
        distill: {kept: 10, keptPass1: 8, keptPass2: 2, dropped: 0}, stageSeconds: {sft: 60}, totalSeconds: 60, thisRunSeconds: 60
    });

    it("scores each variant per family and level, with the always-A baseline at exactly 50%", () => {
        expect(scores.variants.alwaysA!.levels["1"]).toMatchObject({average: 0.5, arith: {accuracy: 0.5, n: 40}, lists: {accuracy: 0.5}});
        expect(scores.variants.scalar!.levels["1"]).toMatchObject({average: 0.5, arith: {accuracy: 1}, lists: {accuracy: 0}});
        expect(scores.variants.sft!.levels["1"]!.arith!.accuracy).toBeCloseTo(0.75);
        expect(scores.variants.sft!.levels["1"]!.arith!.formatFailures).toBeCloseTo(0.25);
        expect(scores.variants.reasoning!.levels.all!.average).toBe(1);
        expect(scores.model).toBe("native:/tmp/qs/grpo/best");
        expect(scores.judgeCommand).toContain("rmr1 judge --model native:/tmp/qs/grpo/best --profile tiny");
    });

    it("checks the targets of issue 10", () => {
        const t = Object.fromEntries(scores.targets.map((x) => [x.name, x]));
        expect(t["SFT + GRPO, level-1 accuracy (average of arith and lists)"]).toMatchObject({value: 1, met: true});
        expect(t["GRPO gain over SFT only, level 1"].value).toBeCloseTo(0.25);
        expect(t["reasoning RM over scalar RM on arith, level 1"]).toMatchObject({value: 0, met: false});
    });

    it("writes the ablation table with every variant, best last", () => {
        const report = quickstartReport(scores);
        const table = report.split("\n").filter((l) => l.startsWith("| ") && l.includes("RM") || l.startsWith("| always"));
        expect(table[0]).toBe("| always answer A (baseline) | 50.0 | 50.0 | 50.0 | – |");
        expect(report).toContain("| scalar Bradley–Terry RM | 100.0 | 0.0 | 50.0 | – |");
        expect(report).toContain("| reasoning RM, distilled SFT only | 75.0 | 75.0 | 75.0 | 25.0 |");
        expect(report).toContain("| **reasoning RM, SFT + GRPO (RM-R1)** | 100.0 | 100.0 | **100.0** | 0.0 |");
        expect(report).toContain("| GRPO gain over SFT only, level 1 | +25.0 pts | ≥ +3 points | yes |");
        expect(report).toContain("native:/tmp/qs/grpo/best");
    });

    it("explains the table in sentences computed from it", () => {
        const report = quickstartReport(scores);
        expect(report).toContain("On arith that is worth 100.0% against 100.0% for the scalar RM");
        expect(report).toContain("(+0.0 points)");
        expect(report).not.toContain("near chance");
        const chance = structuredClone(scores);
        chance.variants.reasoning!.levels["1"]!.lists!.accuracy = 0.55;
        expect(readingNotes(chance).join("\n")).toContain("On lists it is near chance (55.0%)");
    });
});
