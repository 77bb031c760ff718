// Difficulty levels of the world (issue 10): what questions each level asks.
import type {Rng} from "../protocol/rng.js";
import {formatArithQuestion} from "./arith.js";
import type {ArithOp, Expression} from "./arith.js";
import {formatListQuestion, listCases, listSeparators} from "./lists.js";
import type {ListSpec} from "./lists.js";
import {listCategories} from "./words.js";

export type WorldLevel = 1 | 2 | 3;
export type WorldFamily = "arith" | "lists";

export const worldLevels: readonly WorldLevel[] = [1, 2, 3];
export const worldFamilies: readonly WorldFamily[] = ["arith", "lists"];

/** What a level asks. */
export interface LevelSpec {
    /** Operators per expression, inclusive range (drawn uniformly). */
    minOps: number;
    maxOps: number;
    /** Largest operand. */
    operandMax: number;
    /** Largest operand next to a `*`. */
    mulOperandMax: number;
    /** Items per list, inclusive range (drawn uniformly). */
    minItems: number;
    maxItems: number;
}

/**
 * Level 1: one operator, operands 0–99 (0–9 next to `*`), lists of 2–3 items. Level 2: one or two
 * operators, operands 0–999 (0–99 next to `*`), lists of 2–4. Level 3: the full grammar, one to three
 * operators, lists of 2–5.
 */
export const levelSpecs: Readonly<Record<WorldLevel, LevelSpec>> = {
    1: {minOps: 1, maxOps: 1, operandMax: 99, mulOperandMax: 9, minItems: 2, maxItems: 3},
    2: {minOps: 1, maxOps: 2, operandMax: 999, mulOperandMax: 99, minItems: 2, maxItems: 4},
    3: {minOps: 1, maxOps: 3, operandMax: 999, mulOperandMax: 99, minItems: 2, maxItems: 5}
};

const ops: readonly ArithOp[] = ["+", "-", "*"];

/** A random expression of `level`: operators uniform from `+ - *`, operands uniform in their range. */
export function randomExpression(level: WorldLevel, rng: Rng): Expression {
    const spec = levelSpecs[level];
    const count = rng.int(spec.minOps, spec.maxOps);
    const chosen: ArithOp[] = [];
    for (let i = 0; i < count; i++) chosen.push(rng.pick(ops));
    const operands: number[] = [];
    for (let i = 0; i <= count; i++) {
        const nextToMul = chosen[i - 1] === "*" || chosen[i] === "*";
        operands.push(rng.int(0, nextToMul ? spec.mulOperandMax : spec.operandMax));
    }
    return {operands, ops: chosen};
}

/** A random list spec of `level`: count uniform in range, category, case and separator uniform. */
export function randomListSpec(level: WorldLevel, rng: Rng): ListSpec {
    const spec = levelSpecs[level];
    return {
        n: rng.int(spec.minItems, spec.maxItems),
        category: rng.pick(listCategories),
        case: rng.pick(listCases),
        sep: rng.pick(listSeparators)
    };
}

/** A random question of `family` at `level`. */
export function randomQuestion(family: WorldFamily, level: WorldLevel, rng: Rng): string {
    return family === "arith" ? formatArithQuestion(randomExpression(level, rng)) : formatListQuestion(randomListSpec(level, rng));
}
