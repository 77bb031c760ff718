// The world's own judgement of two replies and the Chain-of-Rubrics trace the teacher writes.
//
// The traces use the RM-R1 tags and nothing else, as short as that structure allows (the length
// of a trace is what a small CPU model pays for on every training step; see docs/world.md):
//
//   <type>Reasoning</type>
//   <solution>Compute 47 + 38 * 2.
//   38 * 2 = 76
//   47 + 76 = 123</solution>
//   <eval><quote_A>123</quote_A>
//   47 + 76 = 123
//   123 ok
//   <quote_B>113</quote_B>
//   47 + 76 = 123
//   113 bad</eval>
//   <answer>[[A]]</answer>
//
//   <type>Chat</type>
//   <rubric>count 25%
//   case 25%
//   sep 25%
//   items 25%<justify>as asked</justify></rubric>
//   <eval>List 3 animals in lowercase, separated by commas.
//   <quote_A>cat, dog, fox</quote_A>
//   cat, dog, fox
//   count 3 ok, case ok, sep ok, items ok
//   <quote_B>cat; dog; fox</quote_B>
//   cat; dog; fox
//   count 3 ok, case ok, sep bad, items ok</eval>
//   <answer>[[A]]</answer>
//
// Why this shape (docs/quickstart-notes.md): every step the judge takes is written with the same
// local geometry as the policy-pretrained base's own tasks, so the base's skills transfer. It
// restates the question before working on it (a base computes right after `Compute …`), and each
// check repeats the solution's last step or the list right before its verdict, as the base's check
// tasks do. The arith judge built on this reaches the base's own accuracy once SFT replays the base's
// check tasks; the list checks do not transfer (a judge's list checks stay at chance).
import type {Rng} from "../protocol/rng.js";
import type {Position} from "../protocol/types.js";
import {arithAnswerText, evaluationSteps, finalValue, formatNumber, formatStep, parseArithQuestion} from "./arith.js";
import type {ArithStep, Expression} from "./arith.js";
import {carrySlips, digitSlips} from "./arithMistakes.js";
import {checkList, parseListQuestion} from "./lists.js";
import type {ListCheck, ListSpec} from "./lists.js";

/** A world question with the two replies to judge, as shown to the judge (A first). */
export interface WorldJudgeInput {
    question: string;
    answerA: string;
    answerB: string;
}

/** A parsed world question. */
export type WorldQuestion =
    | {family: "arith", expression: Expression}
    | {family: "lists", spec: ListSpec};

/** The family and parameters of a world question, or null when the text is not one. */
export function parseWorldQuestion(question: string): WorldQuestion | null {
    const expression = parseArithQuestion(question);
    if (expression != null) return {family: "arith", expression};
    const spec = parseListQuestion(question);
    return spec != null ? {family: "lists", spec} : null;
}

/** What one side of a list judgement reports: the four checks (the count as observed). */
export type ListReport = Pick<ListCheck, "count" | "countOk" | "caseOk" | "sepOk" | "itemsOk">;

/** The world's own judgement of a pair of replies. */
export type WorldJudgement =
    | {
        family: "arith";
        expression: Expression;
        /** The correct steps. */
        solution: ArithStep[];
        /** Each side's stated answer text (`-28`), or null when it states none. */
        answers: [string | null, string | null];
        ok: [boolean, boolean];
        /** The better side, or null when both or neither are correct. */
        verdict: Position | null;
    }
    | {
        family: "lists";
        spec: ListSpec;
        checks: [ListCheck, ListCheck];
        /** The side with fewer failed checks, or null on a tie. */
        verdict: Position | null;
    };

/** Judge a world pair by the world's rules; null when the question is not a world question. */
export function judgeWorldPair(input: WorldJudgeInput): WorldJudgement | null {
    const q = parseWorldQuestion(input.question);
    if (q == null) return null;
    if (q.family === "arith") {
        const solution = evaluationSteps(q.expression);
        const value = formatNumber(finalValue(solution));
        const answers: [string | null, string | null] = [arithAnswerText(input.answerA), arithAnswerText(input.answerB)];
        const ok: [boolean, boolean] = [answers[0] === value, answers[1] === value];
        return {family: "arith", expression: q.expression, solution, answers, ok, verdict: ok[0] === ok[1] ? null : ok[0] ? "A" : "B"};
    }
    const checks: [ListCheck, ListCheck] = [checkList(q.spec, input.answerA), checkList(q.spec, input.answerB)];
    const failedA = failures(checks[0]);
    const failedB = failures(checks[1]);
    return {family: "lists", spec: q.spec, checks, verdict: failedA === failedB ? null : failedA < failedB ? "A" : "B"};
}

/**
 * The trace for `judgement` that concludes `target`. When `target` is the world's verdict (or the
 * world sees a tie) it is the correct trace. Otherwise it is a plausible wrong judgement:
 * - arith: the judge's own solution slips (the same slip that produces the other side's answer
 *   when one exists: precedence ignored, a dropped carry, a sign or digit slip; else its last step
 *   lands on that answer), so it finds the wrong reply "ok" and the right one "bad";
 * - lists: the judge overlooks the broken rule on the worse side (a violated count is misread as
 *   the asked count) and wrongly fails one rule of the better side (drawn with `rng`).
 */
export function writeWorldTrace(input: WorldJudgeInput, judgement: WorldJudgement, target: Position, rng: Rng): string {
    const wrong = judgement.verdict != null && judgement.verdict !== target;
    if (judgement.family === "arith") {
        const quotes: [string, string] = [arithQuote(input.answerA, judgement.answers[0]), arithQuote(input.answerB, judgement.answers[1])];
        if (!wrong) return reasoningTrace(input.question, judgement.solution, quotes, judgement.ok, target);
        const t = target === "A" ? 0 : 1;
        const claimed = judgement.answers[t];
        const solution = claimed != null ? derivationOf(judgement.expression, Number(claimed)) : slippedLastStep(judgement.solution, rng);
        const value = formatNumber(finalValue(solution));
        const ok: [boolean, boolean] = [judgement.answers[0] === value, judgement.answers[1] === value];
        return reasoningTrace(input.question, solution, quotes, ok, target);
    }
    const quotes: [string, string] = [listQuote(input.answerA), listQuote(input.answerB)];
    const reports: [ListReport, ListReport] = [report(judgement.checks[0]), report(judgement.checks[1])];
    if (wrong) {
        const t = target === "A" ? 0 : 1;
        const n = judgement.spec.n;
        reports[t] = {count: reports[t].countOk ? reports[t].count : n, countOk: true, caseOk: true, sepOk: true, itemsOk: true};
        const other = reports[1 - t];
        const rule = rng.pick(["count", "case", "sep", "items"] as const);
        if (rule === "count") reports[1 - t] = {...other, count: n + (n > 1 && rng.next() < 0.5 ? -1 : 1), countOk: false};
        else reports[1 - t] = {...other, caseOk: other.caseOk && rule !== "case", sepOk: other.sepOk && rule !== "sep", itemsOk: other.itemsOk && rule !== "items"};
    }
    return chatTrace(input.question, quotes, reports, target);
}

/** The rubric every Chat trace writes: the four checks, equally weighted. */
export const LIST_RUBRIC = "count 25%\ncase 25%\nsep 25%\nitems 25%<justify>as asked</justify>";

/**
 * A Reasoning trace: the question restated, then the judge's solution steps; each reply's answer
 * quoted and checked, the check written exactly as the base model's `check-compute` task answers
 * (the solution's last step, then the answer with ok/bad); the verdict.
 */
export function reasoningTrace(question: string, solution: ArithStep[], quotes: [string, string], ok: [boolean, boolean], verdict: Position): string {
    const last = formatStep(solution[solution.length - 1]);
    const check = (side: Position, i: 0 | 1) => `<quote_${side}>${quotes[i]}</quote_${side}>\n${last}\n${quotes[i]} ${okText(ok[i])}`;
    return "<type>Reasoning</type>\n" +
        `<solution>${question}\n${solution.map(formatStep).join("\n")}</solution>\n` +
        `<eval>${check("A", 0)}\n${check("B", 1)}</eval>\n` +
        `<answer>[[${verdict}]]</answer>`;
}

/**
 * A Chat trace: the list rubric; the request restated once, then each reply quoted and checked, the
 * check written exactly as the base model's `check-list` task answers (the list, then the check
 * line); the verdict.
 */
export function chatTrace(question: string, quotes: [string, string], reports: [ListReport, ListReport], verdict: Position): string {
    const check = (side: Position, i: 0 | 1) => `<quote_${side}>${quotes[i]}</quote_${side}>\n${quotes[i]}\n${reportText(reports[i])}`;
    return "<type>Chat</type>\n" +
        `<rubric>${LIST_RUBRIC}</rubric>\n` +
        `<eval>${question}\n${check("A", 0)}\n${check("B", 1)}</eval>\n` +
        `<answer>[[${verdict}]]</answer>`;
}

/** `count 3 ok, case ok, sep bad, items ok`: the line the judge writes after quoting a list (and the policy's list-check task answers). */
export function reportText(r: ListReport): string {
    return `count ${r.count} ${okText(r.countOk)}, case ${okText(r.caseOk)}, sep ${okText(r.sepOk)}, items ${okText(r.itemsOk)}`;
}

function okText(ok: boolean): string {
    return ok ? "ok" : "bad";
}

function report(check: ListCheck): ListReport {
    return {count: check.count, countOk: check.countOk, caseOk: check.caseOk, sepOk: check.sepOk, itemsOk: check.itemsOk};
}

function failures(check: ListCheck): number {
    return [check.countOk, check.caseOk, check.sepOk, check.itemsOk].filter((ok) => !ok).length;
}

/** What the judge quotes of an arith reply: its stated answer, else its last line (clipped). */
function arithQuote(reply: string, answer: string | null): string {
    if (answer != null) return answer;
    const lines = reply.trim().split("\n");
    return safeQuote(lines[lines.length - 1].trim());
}

/** What the judge quotes of a list reply: all of it (clipped when long). */
function listQuote(reply: string): string {
    return safeQuote(reply.trim());
}

/** A quote never contains a closing quote tag (which would end it early) and stays short. */
function safeQuote(text: string): string {
    const cut = text.indexOf("</");
    const clipped = cut >= 0 ? text.slice(0, cut) : text;
    return clipped.length > 120 ? clipped.slice(0, 120) : clipped;
}

/**
 * A derivation of `expression` that ends at `claimed` by one plausible slip: precedence ignored, or
 * one carry, sign or digit slip in one step (first match in evaluation order), else the correct
 * steps with the last result replaced by `claimed`.
 */
export function derivationOf(expression: Expression, claimed: number): ArithStep[] {
    const leftToRight = evaluationSteps(expression, {order: "left-to-right"});
    if (expression.ops.includes("*") && finalValue(leftToRight) === claimed) return leftToRight;
    const correct = evaluationSteps(expression);
    for (let i = 0; i < correct.length; i++) {
        const s = correct[i];
        const slips = [...carrySlips(s), ...(s.op === "-" && s.result !== 0 ? [-s.result] : []), ...digitSlips(s.result)];
        for (const wrong of slips) {
            const steps = evaluationSteps(expression, {override: {step: i, result: wrong}});
            if (finalValue(steps) === claimed) return steps;
        }
    }
    return evaluationSteps(expression, {override: {step: correct.length - 1, result: claimed}});
}

function slippedLastStep(solution: ArithStep[], rng: Rng): ArithStep[] {
    const last = solution[solution.length - 1];
    return [...solution.slice(0, -1), {...last, result: rng.pick(digitSlips(last.result))}];
}
