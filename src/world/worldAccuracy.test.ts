import {describe, expect, it} from "vitest";
import {generateWorldPairs} from "./generateWorld.js";
import {formatListQuestion, listCases, listSeparators} from "./lists.js";
import {hashSplit, questionSplit, splitByPrompt} from "./splits.js";
import {balancedOrders, formatWorldAccuracy, worldAccuracy, worldAccuracyTable} from "./worldAccuracy.js";
import type {WorldJudgedItem} from "./worldAccuracy.js";
import {listCategories} from "./words.js";

describe("world accuracy tables", () => {
    const items: WorldJudgedItem[] = [
        {family: "arith", level: 1, kind: "digit", chosenPosition: "A", verdict: "A"},
        {family: "arith", level: 1, kind: "digit", chosenPosition: "B", verdict: "A"},
        {family: "arith", level: 1, kind: "carry", chosenPosition: "B", verdict: "B"},
        {family: "arith", level: 2, kind: "carry", chosenPosition: "A", verdict: "error"},
        {family: "lists", level: 1, kind: "case", chosenPosition: "A", verdict: "A"},
        {family: "lists", level: 1, kind: "case", chosenPosition: "A", verdict: null}
    ];

    it("counts accuracy, the always-A baseline and format failures per stratum", () => {
        const all = worldAccuracy(items, [])[0];
        expect(all).toMatchObject({family: "all", level: "all", kind: "all", n: 6, correct: 3, accuracy: 0.5, alwaysA: 4 / 6, formatFailures: 2 / 6});
        expect(all.ci95[0]).toBeLessThan(0.5);
        expect(all.ci95[1]).toBeGreaterThan(0.5);
        const byFamilyLevel = worldAccuracy(items, ["family", "level"]);
        expect(byFamilyLevel.map((r) => [r.family, r.level, r.n, r.correct, r.alwaysA])).toEqual([
            ["arith", 1, 3, 2, 1 / 3], ["arith", 2, 1, 0, 1], ["lists", 1, 2, 1, 1]
        ]);
        const table = worldAccuracyTable(items);
        expect(table.filter((r) => r.kind === "carry").map((r) => [r.level, r.n])).toEqual([["all", 2], [1, 1], [2, 1]]);
        const md = formatWorldAccuracy(table);
        expect(md.split("\n")[2]).toBe("| all | all | all | 6 | 50.0 | 18.8–81.2 | 66.7 | 33.3 |");
        expect(worldAccuracyTable([])).toEqual([]);
    });

    it("balances sides within every stratum", () => {
        const pairs = [...generateWorldPairs({n: 3001, seed: 4, level: "mix"})];
        const orders = balancedOrders(pairs, 7);
        expect(orders.size).toBe(pairs.length);
        const strata = new Map<string, [number, number]>();
        for (const p of pairs) {
            const key = `${p.meta.family}|${p.meta.level}|${p.meta.kind}`;
            const c = strata.get(key) ?? [0, 0];
            c[orders.get(p.id) === "chosen-first" ? 0 : 1]++;
            strata.set(key, c);
        }
        for (const [first, second] of strata.values()) expect(Math.abs(first - second)).toBeLessThanOrEqual(1);
        expect(balancedOrders(pairs, 7)).toEqual(orders);
        expect(balancedOrders(pairs, 8)).not.toEqual(orders);
    });
});

describe("world splits", () => {
    it("holds out a balanced design of list questions", () => {
        const bySplit: Record<string, string[]> = {train: [], validation: [], test: []};
        for (const n of [2, 3, 4, 5]) for (const category of listCategories) for (const c of listCases) for (const sep of listSeparators) {
            const q = formatListQuestion({n, category, case: c, sep});
            bySplit[questionSplit(q)].push(q);
        }
        expect([bySplit.train.length, bySplit.validation.length, bySplit.test.length]).toEqual([48, 8, 8]);
        for (const held of [bySplit.test, bySplit.validation]) {
            const level1 = held.filter((q) => /^List [23] /.test(q));
            expect(level1).toHaveLength(4);
            for (const word of [...listCategories, ...listCases, ...listSeparators, "List 2 ", "List 3 "])
                expect(level1.some((q) => q.includes(word)), word).toBe(true);
        }
    });

    it("hashes other prompts at the configured fractions and splits records without overlap", () => {
        const texts = Array.from({length: 20_000}, (_, i) => `Compute ${i} + 1.`);
        const counts = {train: 0, validation: 0, test: 0};
        for (const t of texts) counts[questionSplit(t)]++;
        expect(counts.test / texts.length).toBeCloseTo(0.1, 1);
        expect(counts.validation / texts.length).toBeCloseTo(0.1, 1);
        const custom = texts.filter((t) => hashSplit(t, {test: 0.3, validation: 0}) === "test").length / texts.length;
        expect(custom).toBeCloseTo(0.3, 1);
        expect(() => hashSplit("x", {test: 0.7, validation: 0.7})).toThrow(/at most 1/);

        const records = [...generateWorldPairs({n: 4000, seed: 9, level: 1})];
        const split = splitByPrompt(records);
        const prompts = (rs: typeof records) => new Set(rs.map((r) => r.prompt[0].content));
        const [train, validation, test] = [prompts(split.train), prompts(split.validation), prompts(split.test)];
        for (const q of test) expect(train.has(q) || validation.has(q)).toBe(false);
        for (const q of validation) expect(train.has(q)).toBe(false);
        expect(split.train.length + split.validation.length + split.test.length).toBe(records.length);
        expect(split.test.length).toBeGreaterThan(200);
    });
});
