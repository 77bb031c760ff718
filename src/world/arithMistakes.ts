// Plausible arithmetic mistakes for the `arith` family's rejected replies. Each is one slip in one
// step (or the precedence rule ignored), carried through every later step, and always changes the
// final answer:
// - `carry`: a carry dropped in an addition or a long multiplication, or a borrow forgotten in a
//   subtraction, in a column where it mattered (the result is off by that carry's place value);
// - `digit`: one digit of a step's result changed (a leading digit never becomes 0);
// - `sign`: the sign of a subtraction's result flipped (subtracting the wrong way round);
// - `precedence`: the expression evaluated left to right, ignoring that `*` binds tighter (only
//   offered when it mixes `*` with `+`/`-` and the value differs).
import type {Rng} from "../protocol/rng.js";
import {evaluationSteps, finalValue} from "./arith.js";
import type {ArithStep, Expression} from "./arith.js";

export const arithMistakeKinds = ["carry", "digit", "sign", "precedence"] as const;

export type ArithMistakeKind = typeof arithMistakeKinds[number];

export interface ArithMistake {
    kind: ArithMistakeKind;
    /** The mistaken steps, in the order the mistaken evaluation writes them. */
    steps: ArithStep[];
    /** The wrong final answer (never the correct one). */
    answer: number;
    /** Index of the slipped step (absent for `precedence`). */
    step?: number;
}

/** The mistake kinds that can change the answer of `expression`. `digit` is always possible. */
export function availableMistakeKinds(expression: Expression): ArithMistakeKind[] {
    const steps = evaluationSteps(expression);
    const kinds: ArithMistakeKind[] = [];
    if (steps.some((s) => carrySlips(s).length > 0)) kinds.push("carry");
    kinds.push("digit");
    if (steps.some((s) => s.op === "-" && s.result !== 0)) kinds.push("sign");
    if (precedenceDiffers(expression)) kinds.push("precedence");
    return kinds;
}

/**
 * One mistake for `expression`, its kind drawn uniformly from the kinds available (or `kind` when
 * given and available), the step and the slip uniformly among those of that kind. Retries the
 * draw when a slip would not change the final answer (a slipped factor later multiplied by 0).
 */
export function arithMistake(expression: Expression, rng: Rng, kind?: ArithMistakeKind): ArithMistake {
    const correct = evaluationSteps(expression);
    const answer = finalValue(correct);
    const kinds = availableMistakeKinds(expression);
    if (kind != null && !kinds.includes(kind)) throw new Error(`mistake kind '${kind}' is not possible for this expression`);
    for (let attempt = 0; attempt < 64; attempt++) {
        const k = kind ?? rng.pick(kinds);
        if (k === "precedence") {
            const steps = evaluationSteps(expression, {order: "left-to-right"});
            return {kind: k, steps, answer: finalValue(steps)};
        }
        const eligible = correct.map((s, i) => ({i, slips: slipsOf(k, s)})).filter((e) => e.slips.length > 0);
        if (eligible.length === 0) continue;
        const {i, slips} = rng.pick(eligible);
        const wrong = rng.pick(slips);
        const steps = evaluationSteps(expression, {override: {step: i, result: wrong}});
        if (finalValue(steps) !== answer) return {kind: k, steps, answer: finalValue(steps), step: i};
    }
    // A digit slip in the last step always changes the answer.
    const last = correct.length - 1;
    const wrong = rng.pick(digitSlips(correct[last].result));
    const steps = evaluationSteps(expression, {override: {step: last, result: wrong}});
    return {kind: "digit", steps, answer: finalValue(steps), step: last};
}

function slipsOf(kind: Exclude<ArithMistakeKind, "precedence">, step: ArithStep): number[] {
    if (kind === "carry") return carrySlips(step);
    if (kind === "digit") return digitSlips(step.result);
    return step.op === "-" && step.result !== 0 ? [-step.result] : [];
}

/** Whether ignoring precedence changes the value. */
function precedenceDiffers(expression: Expression): boolean {
    const ops = expression.ops;
    if (!ops.includes("*") || !ops.some((op) => op !== "*")) return false;
    return finalValue(evaluationSteps(expression, {order: "left-to-right"})) !== finalValue(evaluationSteps(expression));
}

/**
 * The wrong results of `step` when one carry (or borrow) is forgotten, computed on the magnitudes as
 * written by hand: `a + b` with like signs adds magnitudes (dropping a carry subtracts its place
 * value), unlike signs subtract the smaller magnitude from the larger (forgetting a borrow adds its
 * place value), and `a * b` multiplies the longer magnitude by each digit of the shorter one
 * (dropping a carry between digit products subtracts carry × place value). Carries out of the
 * leftmost column are written down, not added, so forgetting them is not counted.
 */
export function carrySlips(step: ArithStep): number[] {
    const {left, op, right, result} = step;
    const sign = Math.sign(result);
    const magnitude = Math.abs(result);
    let amounts: number[];
    if (op === "*") {
        const [top, multiplier] = digitsOf(Math.abs(left)).length >= digitsOf(Math.abs(right)).length
            ? [Math.abs(left), Math.abs(right)] : [Math.abs(right), Math.abs(left)];
        amounts = multiplicationCarries(top, multiplier);
    } else {
        const signed = op === "+" ? right : -right;
        const x = Math.abs(left);
        const y = Math.abs(signed);
        if (left === 0 || signed === 0 || Math.sign(left) === Math.sign(signed)) {
            amounts = additionCarries(x, y).map((a) => -a);
        } else {
            amounts = subtractionBorrows(Math.max(x, y), Math.min(x, y));
        }
    }
    const slips = new Set<number>();
    for (const amount of amounts) {
        const wrong = sign * (magnitude + amount);
        if (wrong !== result) slips.add(wrong === 0 ? 0 : wrong);
    }
    return [...slips];
}

/** Place values of the carries in `x + y` that go into a column where `x` or `y` has a digit. */
function additionCarries(x: number, y: number): number[] {
    const dx = digitsOf(x);
    const dy = digitsOf(y);
    const len = Math.max(dx.length, dy.length);
    const out: number[] = [];
    let carry = 0;
    for (let j = 0; j < len; j++) {
        const s = (dx[j] ?? 0) + (dy[j] ?? 0) + carry;
        carry = s >= 10 ? 1 : 0;
        if (carry > 0 && j + 1 < len) out.push(10 ** (j + 1));
    }
    return out;
}

/** Place values of the borrows in `x - y` (x ≥ y ≥ 0): forgetting one leaves that column one too high. */
function subtractionBorrows(x: number, y: number): number[] {
    const dx = digitsOf(x);
    const dy = digitsOf(y);
    const out: number[] = [];
    let borrow = 0;
    for (let j = 0; j < dx.length; j++) {
        const d = dx[j] - borrow - (dy[j] ?? 0);
        borrow = d < 0 ? 1 : 0;
        if (borrow > 0) out.push(10 ** (j + 1));
    }
    return out;
}

/** Negative amounts (carry × place value) for each carry dropped inside one digit product of `top × multiplier`. */
function multiplicationCarries(top: number, multiplier: number): number[] {
    const dt = digitsOf(top);
    const dm = digitsOf(multiplier);
    const out: number[] = [];
    for (let i = 0; i < dm.length; i++) {
        let carry = 0;
        for (let j = 0; j < dt.length; j++) {
            const p = dt[j] * dm[i] + carry;
            carry = Math.floor(p / 10);
            if (carry > 0 && j + 1 < dt.length) out.push(-carry * 10 ** (j + 1 + i));
        }
    }
    return out;
}

/** Every value that differs from `value` in exactly one decimal digit (sign kept; no new leading zero). */
export function digitSlips(value: number): number[] {
    const text = String(Math.abs(value));
    const sign = value < 0 ? -1 : 1;
    const out: number[] = [];
    for (let p = 0; p < text.length; p++) {
        for (let d = 0; d <= 9; d++) {
            if (String(d) === text[p] || (p === 0 && d === 0 && text.length > 1)) continue;
            const wrong = sign * Number(text.slice(0, p) + d + text.slice(p + 1));
            out.push(wrong === 0 ? 0 : wrong);
        }
    }
    return out;
}

/** Decimal digits, least significant first (`[0]` for 0). */
function digitsOf(n: number): number[] {
    return [...String(n)].reverse().map(Number);
}
