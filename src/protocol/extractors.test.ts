import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {InvalidInput} from "../errors.js";
import {distillCorrect, evalVerdict, isWinnerLabel, rlReward, tailCodePoints} from "./extractors.js";
import {Rng} from "./rng.js";
import type {WinnerLabel} from "./types.js";

interface ExtractorCase {
    name: string;
    text: string;
    rl: Record<WinnerLabel, number>;
    eval: "A" | "B" | "error";
    distill: Record<WinnerLabel, boolean>;
}

// Made by test/fixtures/protocol/make_golden.py, which runs the reference's Python code (method doc §2.3).
const golden = JSON.parse(readFileSync(new URL("../../test/fixtures/protocol/extractors.golden.json", import.meta.url), "utf8")) as {
    cases: ExtractorCase[];
    rlRaisesOnLabels: string[];
};
const rows = golden.cases.map((c) => [c.name, c] as const);
const labels: WinnerLabel[] = ["model_a", "model_b"];

describe("extractors against the Python reference", () => {
    it("have at least 40 cases each", () => {
        expect(golden.cases.length).toBeGreaterThanOrEqual(40);
    });
    it.each(rows)("rl: %s", (_name, c) => {
        for (const label of labels) expect(rlReward(c.text, label)).toBe(c.rl[label]);
    });
    it.each(rows)("eval: %s", (_name, c) => {
        expect(evalVerdict(c.text)).toBe(c.eval);
    });
    it.each(rows)("distill: %s", (_name, c) => {
        for (const label of labels) expect(distillCorrect(c.text, label)).toBe(c.distill[label]);
    });
    it("rl rejects every label the reference rejects", () => {
        expect(golden.rlRaisesOnLabels.length).toBeGreaterThan(0);
        for (const label of golden.rlRaisesOnLabels) {
            expect(() => rlReward("<answer>[[A]]</answer>", label as WinnerLabel)).toThrow(InvalidInput);
            expect(() => distillCorrect("[[A]]", label as WinnerLabel)).toThrow(InvalidInput);
            expect(isWinnerLabel(label)).toBe(false);
        }
        expect(() => rlReward("", "model_c" as WinnerLabel)).toThrow(expect.objectContaining({field: "label"}));
    });
});

describe("tailCodePoints", () => {
    it("equals Array.from(s).slice(-n) on random strings with astral characters and lone surrogates", () => {
        const rng = new Rng(7);
        const alphabet = ["a", "\n", "é", "\u0301", "😀", "🇯🇵", "\ud83d", "\ude00", "<", "]", "｜"];
        for (let trial = 0; trial < 500; trial++) {
            let s = "";
            const length = Math.floor(rng.next() * 60);
            for (let i = 0; i < length; i++) s += alphabet[Math.floor(rng.next() * alphabet.length)];
            const n = Math.floor(rng.next() * 70);
            expect(tailCodePoints(s, n)).toBe(n === 0 ? "" : Array.from(s).slice(-n).join(""));
        }
    });
    it("handles n larger than the string and zero", () => {
        expect(tailCodePoints("ab😀", 10)).toBe("ab😀");
        expect(tailCodePoints("ab😀", 1)).toBe("😀");
        expect(tailCodePoints("ab😀", 0)).toBe("");
    });
});
