import {describe, expect, it} from "vitest";
import {Rng} from "../protocol/rng.js";
import {randomListSpec} from "./levels.js";
import {checkList, formatListQuestion, listViolation, listViolationKinds, parseListQuestion, validList} from "./lists.js";
import type {ListSpec} from "./lists.js";
import {categoryOf, listCategories, worldWords} from "./words.js";

const spec: ListSpec = {n: 3, category: "animals", case: "lowercase", sep: "commas"};

describe("world words", () => {
    it("ships the common words, each in exactly one category", () => {
        expect(categoryOf("cat")).toBe("animals");
        expect(categoryOf("RED")).toBe("colors");
        expect(categoryOf("apple")).toBe("fruits");
        expect(categoryOf("France")).toBe("countries");
        expect(categoryOf("orange")).toBeNull();
        const all = listCategories.flatMap((c) => worldWords[c]);
        expect(new Set(all).size).toBe(all.length);
        for (const c of listCategories) expect(worldWords[c].length).toBeGreaterThanOrEqual(8);
        expect(all.every((w) => /^[a-z]+$/.test(w))).toBe(true);
    });
});

describe("list questions and checks", () => {
    it("round-trips questions", () => {
        expect(formatListQuestion(spec)).toBe("List 3 animals in lowercase, separated by commas.");
        expect(parseListQuestion("List 3 animals in lowercase, separated by commas.")).toEqual(spec);
        expect(parseListQuestion("List 3 animals in lowercase, separated by dashes.")).toBeNull();
        expect(parseListQuestion("List three animals in lowercase, separated by commas.")).toBeNull();
    });

    it("checks count, case, separator and items independently", () => {
        const c = (reply: string, s: ListSpec = spec) => {
            const r = checkList(s, reply);
            return [r.count, r.countOk, r.caseOk, r.sepOk, r.itemsOk, r.valid];
        };
        expect(c("cat, dog, fox")).toEqual([3, true, true, true, true, true]);
        expect(c("  cat, dog, fox\n")).toEqual([3, true, true, true, true, true]);
        expect(c("cat, dog")).toEqual([2, false, true, true, true, false]);
        expect(c("cat, DOG, fox")).toEqual([3, true, false, true, true, false]);
        expect(c("Cat, Dog, Fox")).toEqual([3, true, false, true, true, false]);
        expect(c("cat; dog; fox")).toEqual([3, true, true, false, true, false]);
        expect(c("cat, dog; fox")).toEqual([3, true, true, false, true, false]);
        expect(c("cat,dog,fox")).toEqual([3, true, true, false, true, false]);
        expect(c("cat, red, fox")).toEqual([3, true, true, true, false, false]);
        expect(c("cat, dog, cat")).toEqual([3, true, true, true, false, false]);
        expect(c("cat, dog, CAT", {...spec, case: "lowercase"})).toEqual([3, true, false, true, false, false]);
        expect(c("CAT; DOG", {n: 2, category: "animals", case: "uppercase", sep: "semicolons"})).toEqual([2, true, true, true, true, true]);
        expect(c("")).toEqual([0, false, true, true, true, false]);
        expect(c("cat")).toEqual([1, false, true, true, true, false]);
    });

    it("valid lists are valid and violations break exactly the named rule (20,000 draws)", () => {
        const rng = new Rng(11);
        const counts: Record<string, number> = {};
        const problems: string[] = [];
        for (let i = 0; i < 20_000; i++) {
            const s = randomListSpec((([1, 2, 3] as const)[i % 3]), rng);
            const valid = validList(s, rng);
            if (!checkList(s, valid).valid) problems.push(`not valid: ${valid}`);
            const v = listViolation(s, rng);
            counts[v.kind] = (counts[v.kind] ?? 0) + 1;
            const r = checkList(s, v.reply);
            const failed = {count: !r.countOk, case: !r.caseOk, sep: !r.sepOk, items: !r.itemsOk};
            const rule = {count: "count", case: "case", separator: "sep", category: "items", repeat: "items"}[v.kind] as keyof typeof failed;
            const at = `${v.kind}/${v.detail}: ${v.reply} for ${formatListQuestion(s)}`;
            if (Object.values(failed).filter(Boolean).length !== 1 || !failed[rule]) problems.push(at);
            if (v.kind === "repeat" && r.count !== s.n) problems.push(`${at}: count changed`);
            if (v.kind === "category" && !r.items.some((w) => categoryOf(w) !== s.category)) problems.push(`${at}: no foreign item`);
        }
        expect(problems).toEqual([]);
        // Kinds are uniform: each within 10% of 4,000.
        for (const k of listViolationKinds) expect(Math.abs(counts[k] - 4000)).toBeLessThan(400);
    });
});
