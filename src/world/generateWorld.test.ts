import {describe, expect, it} from "vitest";
import {InvalidInput} from "../errors.js";
import {evaluateExpression, parseArithAnswer, parseArithQuestion} from "./arith.js";
import {generateWorldPairs} from "./generateWorld.js";
import type {WorldPair} from "./generateWorld.js";
import {levelSpecs} from "./levels.js";
import type {WorldLevel} from "./levels.js";
import {checkList, parseListQuestion} from "./lists.js";
import {questionSplit, recordPromptText} from "./splits.js";

const stepLine = /^(-?\d+) ([-+*]) (\d+) = (-?\d+)$/;

/** Every invariant of issue 10 that `p` breaks (plain checks: vitest's expect is too slow for 7,500 pairs × 30 checks). */
function problemsOf(p: WorldPair, level: WorldLevel): string[] {
    const problems: string[] = [];
    const check = (ok: boolean, what: string) => {
        if (!ok) problems.push(`${p.id}: ${what}`);
    };
    check(p.source === "world" && p.meta.level === level, "source/level");
    check(p.prompt.length === 1 && p.prompt[0].role === "user", "prompt is one user message");
    check(p.chosen.length === 1 && p.chosen[0].role === "assistant" && p.rejected.length === 1 && p.rejected[0].role === "assistant", "replies are one assistant message");
    const question = p.prompt[0].content;
    const chosen = p.chosen[0].content;
    const rejected = p.rejected[0].content;
    check(chosen !== rejected, "replies differ");
    check(p.meta.split === questionSplit(question), "meta.split");
    const spec = levelSpecs[level];
    if (p.meta.family === "arith") {
        check(p.domain === "reasoning", "domain");
        const e = parseArithQuestion(question);
        if (e == null) return [...problems, `${p.id}: question ${question}`];
        check(e.ops.length >= spec.minOps && e.ops.length <= spec.maxOps, "operator count");
        e.operands.forEach((v, i) => {
            const nextToMul = e.ops[i - 1] === "*" || e.ops[i] === "*";
            check(v <= (nextToMul ? spec.mulOperandMax : spec.operandMax), `operand ${v} in range`);
        });
        const value = evaluateExpression(e);
        check(parseArithAnswer(chosen) === value && p.meta.answer === value, "chosen answer correct");
        const wrong = parseArithAnswer(rejected);
        check(wrong != null && wrong !== value && p.meta.wrongAnswer === wrong, "rejected answer wrong");
        // Same shape on both sides: steps (one per operator, each a valid line) or the answer alone.
        const chosenLines = chosen.split("\n");
        const rejectedLines = rejected.split("\n");
        check(chosenLines.length === rejectedLines.length, "same shape");
        check(chosenLines.length === (p.meta.steps === true ? e.ops.length + 1 : 1), "steps shown as recorded");
        const lineOk = (line: string) => {
            const m = stepLine.exec(line);
            return m != null && evaluateExpression({operands: [Number(m[1]), Number(m[3])], ops: [m[2] as "+"]}) === Number(m[4]);
        };
        for (const line of chosenLines.slice(0, -1)) check(lineOk(line), `chosen step ${line}`);
        for (const line of rejectedLines.slice(0, -1)) check(stepLine.test(line), `rejected step ${line}`);
        // One slip: exactly one rejected step line is arithmetically wrong.
        if (p.meta.kind !== "precedence" && p.meta.steps === true)
            check(rejectedLines.slice(0, -1).filter((line) => !lineOk(line)).length === 1, "exactly one wrong step");
        check(!/-0\b|--/.test(chosen), "numbers written canonically");
    } else {
        check(p.domain === "chat", "domain");
        const s = parseListQuestion(question);
        if (s == null) return [...problems, `${p.id}: question ${question}`];
        check(JSON.stringify(s) === JSON.stringify(p.meta.list), "meta.list");
        check(s.n >= spec.minItems && s.n <= spec.maxItems, "item count in range");
        check(checkList(s, chosen).valid, "chosen valid");
        const r = checkList(s, rejected);
        check([r.countOk, r.caseOk, r.sepOk, r.itemsOk].filter((ok) => !ok).length === 1, "rejected breaks exactly one rule");
    }
    return problems;
}

describe("generateWorldPairs", () => {
    it("keeps every invariant over 5,000 pairs at each level", () => {
        for (const level of [1, 2, 3] as const) {
            const kinds = new Map<string, number>();
            const problems: string[] = [];
            for (const p of generateWorldPairs({n: 5000, seed: 3, family: "all", level})) {
                problems.push(...problemsOf(p, level));
                const key = `${p.meta.family}/${p.meta.kind}`;
                kinds.set(key, (kinds.get(key) ?? 0) + 1);
            }
            expect(problems).toEqual([]);
            // Every list violation at every level; arith precedence needs two operators.
            for (const k of ["count", "case", "separator", "category", "repeat"]) expect(kinds.get(`lists/${k}`)).toBeGreaterThan(300);
            for (const k of ["carry", "digit", "sign"]) expect(kinds.get(`arith/${k}`)).toBeGreaterThan(150);
            if (level === 1) expect(kinds.has("arith/precedence")).toBe(false);
            else expect(kinds.get("arith/precedence")).toBeGreaterThan(50);
        }
    });

    it("is deterministic by seed, prefix-stable, and gives unique stable ids", () => {
        const a = [...generateWorldPairs({n: 300, seed: 5, level: "mix"})];
        const b = [...generateWorldPairs({n: 300, seed: 5, level: "mix"})];
        const prefix = [...generateWorldPairs({n: 100, seed: 5, level: "mix"})];
        const c = [...generateWorldPairs({n: 300, seed: 6, level: "mix"})];
        expect(b).toEqual(a);
        expect(prefix).toEqual(a.slice(0, 100));
        expect(c).not.toEqual(a);
        expect(new Set(a.map((p) => p.id)).size).toBe(300);
        expect(a[0].id).toMatch(/^(arith|lists)-L[123]-s5-0$/);
        expect(new Set(a.map((p) => p.meta.level))).toEqual(new Set([1, 2, 3]));
        const fam = a.filter((p) => p.meta.family === "arith").length;
        expect(fam).toBeGreaterThan(120);
        expect(fam).toBeLessThan(180);
    });

    it("skips duplicate pairs unless asked", () => {
        const key = (p: WorldPair) => JSON.stringify([p.prompt, p.chosen, p.rejected]);
        // Level-1 `*` has only 100 questions, so 2,000 draws repeat some pairs.
        const all = [...generateWorldPairs({n: 2000, seed: 1, family: "arith", level: 1, unique: false})].map(key);
        const unique = [...generateWorldPairs({n: 2000, seed: 1, family: "arith", level: 1})].map(key);
        expect(new Set(all).size).toBeLessThan(2000);
        expect(new Set(unique).size).toBe(2000);
    });

    it("draws questions of the asked split only, so train and test never share a prompt", () => {
        const train = [...generateWorldPairs({n: 3000, seed: 1, level: 1, split: "train"})];
        const test = [...generateWorldPairs({n: 600, seed: 1, level: 1, split: "test"})];
        expect(train.every((p) => p.meta.split === "train" && questionSplit(recordPromptText(p)) === "train")).toBe(true);
        expect(test.every((p) => p.meta.split === "test")).toBe(true);
        const trainPrompts = new Set(train.map(recordPromptText));
        expect(test.some((p) => trainPrompts.has(recordPromptText(p)))).toBe(false);
        expect(test[0].id).toContain("-test-");
        // The level-1 lists test questions: one per category, both cases, both separators, both counts.
        const listQuestions = new Set(test.filter((p) => p.meta.family === "lists").map(recordPromptText));
        expect(listQuestions.size).toBe(4);
    });

    it("rejects bad options with the field named", () => {
        expect(() => [...generateWorldPairs({n: -1})]).toThrow(InvalidInput);
        expect(() => [...generateWorldPairs({n: 1.5})]).toThrow(/n must be/);
        expect(() => [...generateWorldPairs({n: 1, family: "poems" as "arith"})]).toThrow(/unknown family/);
        expect(() => [...generateWorldPairs({n: 1, level: 4 as 1})]).toThrow(/unknown level/);
    });
});
