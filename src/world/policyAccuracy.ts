// The base model's own accuracy as a policy of the world: the exact final answer to `Compute …`
// (the number on the reply's last `Answer: N` line), a valid list for `List …` (all four checks of
// `checkList`, leading and trailing whitespace ignored).
import {InvalidInput} from "../errors.js";
import {evaluateExpression, formatNumber, parseArithAnswer} from "./arith.js";
import type {WorldFamily, WorldLevel} from "./levels.js";
import {checkList} from "./lists.js";
import {parseWorldQuestion} from "./worldTrace.js";

/** How one policy reply scored. */
export interface PolicyScore {
    family: WorldFamily;
    correct: boolean;
    /** `ok`, or what is wrong (`no Answer line`, `answer 95, expected 85`, `count 4, case`). */
    reason: string;
}

/** Score a reply to a world question; `InvalidInput` when the question is not one. */
export function scorePolicyReply(question: string, reply: string): PolicyScore {
    const q = parseWorldQuestion(question);
    if (q == null) throw new InvalidInput(`${JSON.stringify(question)} is not a world question ("Compute …." or "List ….")`, {field: "question"});
    if (q.family === "arith") {
        const expected = evaluateExpression(q.expression);
        const answer = parseArithAnswer(reply);
        if (answer == null) return {family: "arith", correct: false, reason: "no Answer line"};
        return answer === expected
            ? {family: "arith", correct: true, reason: "ok"}
            : {family: "arith", correct: false, reason: `answer ${formatNumber(answer)}, expected ${formatNumber(expected)}`};
    }
    const check = checkList(q.spec, reply.trim());
    if (check.valid) return {family: "lists", correct: true, reason: "ok"};
    const failed = [
        check.countOk ? null : `count ${check.count}`,
        check.caseOk ? null : "case",
        check.sepOk ? null : "sep",
        check.itemsOk ? null : "items"
    ].filter((s) => s != null);
    return {family: "lists", correct: false, reason: failed.join(", ")};
}

/** One row of a policy accuracy table. */
export interface PolicyAccuracyRow {
    family: WorldFamily | "all";
    level: WorldLevel | "all";
    n: number;
    correct: number;
    accuracy: number;
}

/**
 * Accuracy of policy replies overall, per family and per family and level (rows with n = 0 are
 * left out). A sample's level is the level it was generated at (a level-1 question is also a
 * valid level-2 question, so it cannot be read off the text).
 */
export function policyAccuracy(samples: Iterable<{question: string, reply: string, level?: WorldLevel}>): PolicyAccuracyRow[] {
    const scored = [...samples].map((s) => ({...scorePolicyReply(s.question, s.reply), level: s.level}));
    const rows: PolicyAccuracyRow[] = [];
    const add = (family: WorldFamily | "all", level: WorldLevel | "all") => {
        const group = scored.filter((s) => (family === "all" || s.family === family) && (level === "all" || s.level === level));
        if (group.length === 0) return;
        const correct = group.filter((s) => s.correct).length;
        rows.push({family, level, n: group.length, correct, accuracy: correct / group.length});
    };
    add("all", "all");
    for (const family of ["arith", "lists"] as const) {
        add(family, "all");
        for (const level of [1, 2, 3] as const) add(family, level);
    }
    return rows;
}
