import {describe, expect, it} from "vitest";
import {Rng} from "../protocol/rng.js";
import {
    arithAnswerText, evaluateExpression, evaluationSteps, formatArithQuestion, formatArithReply, formatExpression, formatStep, parseArithAnswer,
    parseArithQuestion, parseExpression
} from "./arith.js";
import type {Expression} from "./arith.js";
import {arithMistake, availableMistakeKinds, carrySlips, digitSlips} from "./arithMistakes.js";
import {randomExpression} from "./levels.js";

const expr = (text: string): Expression => parseExpression(text)!;

describe("arith rules", () => {
    it("parses and formats the world's exact spacing", () => {
        expect(parseArithQuestion("Compute 47 + 38 * 2.")).toEqual({operands: [47, 38, 2], ops: ["+", "*"]});
        expect(formatArithQuestion(expr("0 - 999 * 99 + 5"))).toBe("Compute 0 - 999 * 99 + 5.");
        for (const bad of ["Compute 47+38.", "Compute 47 + 38", "Compute 47.", "compute 1 + 2.", "Compute 1 / 2.", "Compute -1 + 2."])
            expect(parseArithQuestion(bad), bad).toBeNull();
    });

    it("evaluates every * first, left to right, then + and - left to right", () => {
        expect(evaluationSteps(expr("47 + 38 * 2")).map(formatStep)).toEqual(["38 * 2 = 76", "47 + 76 = 123"]);
        expect(evaluationSteps(expr("2 * 3 + 4 * 5")).map(formatStep)).toEqual(["2 * 3 = 6", "4 * 5 = 20", "6 + 20 = 26"]);
        expect(evaluationSteps(expr("12 - 47 * 3 - 5")).map(formatStep)).toEqual(["47 * 3 = 141", "12 - 141 = -129", "-129 - 5 = -134"]);
        expect(evaluationSteps(expr("10 - 20 + 5")).map(formatStep)).toEqual(["10 - 20 = -10", "-10 + 5 = -5"]);
        expect(evaluationSteps(expr("12 - 47 * 3"), {order: "left-to-right"}).map(formatStep)).toEqual(["12 - 47 = -35", "-35 * 3 = -105"]);
        expect(evaluateExpression(expr("99 * 99 * 99"))).toBe(970299);
        expect(evaluateExpression(expr("0 * 5 - 0"))).toBe(0);
    });

    it("carries an overridden step result through every later step", () => {
        const steps = evaluationSteps(expr("47 + 38 * 2"), {override: {step: 0, result: 66}});
        expect(steps.map(formatStep)).toEqual(["38 * 2 = 66", "47 + 66 = 113"]);
    });

    it("writes replies with or without steps and reads their answer back", () => {
        const steps = evaluationSteps(expr("3 - 31"));
        expect(formatArithReply(steps, true)).toBe("3 - 31 = -28\nAnswer: -28");
        expect(formatArithReply(steps, false)).toBe("Answer: -28");
        expect(parseArithAnswer("3 - 31 = -28\nAnswer: -28")).toBe(-28);
        expect(parseArithAnswer("  Answer: 0 \n")).toBe(0);
        expect(parseArithAnswer("Answer: -0")).toBe(0);
        expect(arithAnswerText("Answer: 5\nAnswer: 7")).toBe("7");
        expect(parseArithAnswer("The answer is 5")).toBeNull();
        expect(parseArithAnswer("Answer: 5.5")).toBeNull();
        expect(parseArithAnswer("")).toBeNull();
    });
});

describe("arith mistakes", () => {
    it("drops carries and forgets borrows where they happen, as written by hand", () => {
        // 85 + 38: the ones carry into the tens → 113; the tens carry out of the leftmost column is written, not added.
        expect(carrySlips({left: 85, op: "+", right: 38, result: 123})).toEqual([113]);
        // 52 - 17: the ones borrow from the tens → 45.
        expect(carrySlips({left: 52, op: "-", right: 17, result: 35})).toEqual([45]);
        // 17 - 52 = -(52 - 17) → -45.
        expect(carrySlips({left: 17, op: "-", right: 52, result: -35})).toEqual([-45]);
        // -35 + 12 = -(35 - 12): no borrow.
        expect(carrySlips({left: -35, op: "+", right: 12, result: -23})).toEqual([]);
        // 47 * 6: 7*6 = 42, carry 4 into 4*6 → dropping it gives 242.
        expect(carrySlips({left: 47, op: "*", right: 6, result: 282})).toEqual([242]);
        // 7 * 8: a single-digit product has no carry between digit products.
        expect(carrySlips({left: 7, op: "*", right: 8, result: 56})).toEqual([]);
        expect(carrySlips({left: 12, op: "+", right: 34, result: 46})).toEqual([]);
    });

    it("changes exactly one digit, never to a new leading zero", () => {
        const slips = digitSlips(-28);
        expect(slips).toHaveLength(8 + 9);
        expect(slips.every((v) => v < 0 && v !== -28)).toBe(true);
        expect(slips).not.toContain(-8);
        expect(digitSlips(0)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it("offers precedence only when mixing * with + or - changes the value, sign only for subtractions", () => {
        expect(availableMistakeKinds(expr("47 + 38 * 2"))).toContain("precedence");
        expect(availableMistakeKinds(expr("0 + 5 * 1"))).not.toContain("precedence"); // (0 + 5) * 1 = 5 = 0 + 5 * 1
        expect(availableMistakeKinds(expr("2 * 3 * 4"))).not.toContain("precedence");
        expect(availableMistakeKinds(expr("47 + 38"))).not.toContain("sign");
        expect(availableMistakeKinds(expr("47 - 38"))).toContain("sign");
        expect(availableMistakeKinds(expr("5 - 5"))).not.toContain("sign");
    });

    it("always changes the final answer, with one slip carried through (20,000 expressions over all levels)", () => {
        const rng = new Rng(7);
        const seen = new Set<string>();
        const problems: string[] = [];
        for (let i = 0; i < 20_000; i++) {
            const level = ([1, 2, 3] as const)[i % 3];
            const e = randomExpression(level, rng);
            const correct = evaluationSteps(e);
            const m = arithMistake(e, rng);
            seen.add(m.kind);
            const at = `${formatExpression(e)} (${m.kind})`;
            if (m.answer === evaluateExpression(e)) problems.push(`${at}: answer unchanged`);
            if (m.steps[m.steps.length - 1].result !== m.answer) problems.push(`${at}: answer is not the last step`);
            if (m.kind === "precedence") {
                if (JSON.stringify(m.steps) !== JSON.stringify(evaluationSteps(e, {order: "left-to-right"}))) problems.push(`${at}: not left to right`);
                continue;
            }
            // Exactly one step's result differs from what its own operands give; the steps before it are the correct ones.
            const wrongSteps = m.steps.filter((s) => evaluateExpression({operands: [s.left, s.right], ops: [s.op]}) !== s.result);
            if (wrongSteps.length !== 1) problems.push(`${at}: ${wrongSteps.length} wrong steps`);
            if (JSON.stringify(m.steps.slice(0, m.step)) !== JSON.stringify(correct.slice(0, m.step))) problems.push(`${at}: steps before the slip changed`);
        }
        expect(problems).toEqual([]);
        expect([...seen].sort()).toEqual(["carry", "digit", "precedence", "sign"]);
    });
});
