// Policy-pretraining data for the quickstart's base model (issue 10, "The base model"): instruct-style
// conversations a small model is trained on from scratch, so that it starts judge training the way
// RM-R1 starts from an instruct model — it already computes, lists, copies from its prompt and
// checks a reply against a request. Four tasks, in TRL's `{"messages": [...]}` form:
//
//   compute        Compute 47 + 38.                         → 47 + 38 = 85\nAnswer: 85
//   list           List 3 animals in lowercase, separated by commas.
//                                                           → cat, fox, owl
//   check-compute  Check: Compute 47 + 38.\nAnswer: 95      → 47 + 38 = 85\n95 bad
//   check-list     Check: List 2 colors in …\nred; blue     → red; blue\ncount 2 ok, case ok, sep bad, items ok
//
// The two check tasks build the skills the judge needs that a policy never exercises (calibration 2,
// §5–6: the judge must read a given reply and check it): their answers are written exactly as the
// judge's trace writes the same step (its solution then the quoted answer and ok/bad; the quoted
// list then the check line), half of the checked replies are correct and half carry one world
// mistake (three quarters of the checked lists: a list can break five rules). Questions come only
// from the train split of the world, so held-out questions are never seen by the base.
import {InvalidInput} from "../errors.js";
import {Rng, deriveSeed} from "../protocol/rng.js";
import type {Message} from "../protocol/types.js";
import {arithAnswerText, evaluationSteps, formatArithQuestion, formatArithReply, formatStep} from "./arith.js";
import {arithMistake} from "./arithMistakes.js";
import {randomExpression, randomListSpec, worldLevels} from "./levels.js";
import type {WorldFamily, WorldLevel} from "./levels.js";
import {checkList, formatListQuestion, listViolation, validList} from "./lists.js";
import {questionSplit} from "./splits.js";
import type {WorldSplit} from "./splits.js";
import {reportText} from "./worldTrace.js";

export const policyTasks = ["compute", "list", "check-compute", "check-list"] as const;

export type PolicyTask = typeof policyTasks[number];

/** One pretraining conversation. */
export interface PolicyExample {
    id: string;
    /** [user, assistant]: the model is trained on the assistant message. */
    messages: Message[];
    task: PolicyTask;
    family: WorldFamily;
    level: WorldLevel;
}

/**
 * Default task mix: 30% compute, 10% list, 30% check-compute, 30% check-list. Listing is learned
 * fast; computing and checking are what the judge builds on and what a base learns slowly
 * (docs/quickstart-notes.md: with 20% checks a base of 3,750 steps still never flagged a list's
 * case or separator).
 */
export const DEFAULT_POLICY_TASKS: Readonly<Record<PolicyTask, number>> = {"compute": 0.3, "list": 0.1, "check-compute": 0.3, "check-list": 0.3};

/** Default level mix: 70% level 1 (the quickstart trains its judges on level 1), 20% level 2, 10% level 3. */
export const DEFAULT_POLICY_LEVELS: Readonly<Record<WorldLevel, number>> = {1: 0.7, 2: 0.2, 3: 0.1};

/**
 * Default share of checked replies that carry a mistake: half for `check-compute` (the ok/bad
 * comparison learns from both), three quarters for `check-list` (a broken list breaks one of five
 * rules, so each rule is seen broken in 15% of list checks instead of 10%).
 */
export const DEFAULT_CHECK_WRONG: Readonly<Record<"check-compute" | "check-list", number>> = {"check-compute": 0.5, "check-list": 0.75};

export interface PolicyDataOptions {
    /** Number of conversations. */
    n: number;
    /** Seed of the stream (item i depends only on the seed and i). Defaults to `0`. */
    seed?: number;
    /** Weight of each task (normalised). Defaults to `DEFAULT_POLICY_TASKS`. */
    tasks?: Partial<Record<PolicyTask, number>>;
    /** Weight of each level (normalised). Defaults to `DEFAULT_POLICY_LEVELS`. */
    levels?: Partial<Record<WorldLevel, number>>;
    /** Questions only from this split of the world. Defaults to `"train"`. */
    split?: WorldSplit;
    /** Share of checked replies with a mistake, per check task. Defaults to `DEFAULT_CHECK_WRONG`. */
    checkWrong?: Partial<Record<"check-compute" | "check-list", number>>;
}

/** Generate `options.n` pretraining conversations. */
export function* generatePolicyData(options: PolicyDataOptions): Generator<PolicyExample> {
    const {n} = options;
    if (!Number.isInteger(n) || n < 0) throw new InvalidInput(`n must be a non-negative integer, got ${n}`, {field: "n"});
    const seed = options.seed ?? 0;
    const split = options.split ?? "train";
    const tasks = weights(options.tasks ?? DEFAULT_POLICY_TASKS, policyTasks, "tasks");
    const levels = weights(options.levels ?? DEFAULT_POLICY_LEVELS, worldLevels, "levels");
    const wrong = {...DEFAULT_CHECK_WRONG, ...options.checkWrong};
    for (const [task, p] of Object.entries(wrong)) {
        if (!(Number.isFinite(p) && p >= 0 && p <= 1)) throw new InvalidInput(`checkWrong.${task} must be a probability in [0, 1], got ${p}`, {field: `checkWrong.${task}`});
    }
    for (let index = 0; index < n; index++) {
        const rng = new Rng(deriveSeed(seed, `policy|${split}|${index}`));
        const task = draw(tasks, rng);
        const level = draw(levels, rng);
        yield policyExample(task, level, split, rng, `policy-s${seed}-${index}`, wrong);
    }
}

function policyExample(task: PolicyTask, level: WorldLevel, split: WorldSplit, rng: Rng, id: string, wrong: Record<"check-compute" | "check-list", number>): PolicyExample {
    if (task === "compute" || task === "check-compute") {
        const expression = inSplit(split, () => randomExpression(level, rng), formatArithQuestion);
        const question = formatArithQuestion(expression);
        const steps = evaluationSteps(expression);
        if (task === "compute") return example(id, task, "arith", level, question, formatArithReply(steps, true));
        const shown = rng.next() < wrong["check-compute"] ? arithMistake(expression, rng).steps : steps;
        const reply = formatArithReply(shown, rng.next() < 0.5);
        const stated = arithAnswerText(reply)!;
        const ok = shown === steps;
        return example(id, task, "arith", level, `Check: ${question}\n${reply}`, `${steps.map(formatStep).join("\n")}\n${stated} ${ok ? "ok" : "bad"}`);
    }
    const spec = inSplit(split, () => randomListSpec(level, rng), formatListQuestion);
    const question = formatListQuestion(spec);
    if (task === "list") return example(id, task, "lists", level, question, validList(spec, rng));
    const reply = rng.next() < wrong["check-list"] ? listViolation(spec, rng).reply : validList(spec, rng);
    return example(id, task, "lists", level, `Check: ${question}\n${reply}`, `${reply}\n${reportText(checkList(spec, reply))}`);
}

function example(id: string, task: PolicyTask, family: WorldFamily, level: WorldLevel, user: string, assistant: string): PolicyExample {
    return {id, messages: [{role: "user", content: user}, {role: "assistant", content: assistant}], task, family, level};
}

function inSplit<T>(split: WorldSplit, drawOne: () => T, text: (q: T) => string): T {
    for (let attempt = 0; attempt < 10_000; attempt++) {
        const q = drawOne();
        if (questionSplit(text(q)) === split) return q;
    }
    throw new Error(`internal: no question of split ${split} in 10000 draws`);
}

function weights<K extends string | number>(given: Partial<Record<K, number>>, keys: readonly K[], field: string): [K, number][] {
    const out: [K, number][] = [];
    for (const [key, value] of Object.entries(given) as [string, number][]) {
        const k = keys.find((x) => String(x) === key);
        if (k == null) throw new InvalidInput(`unknown ${field} key '${key}'; use ${keys.join(", ")}`, {field: `${field}.${key}`});
        if (!(Number.isFinite(value) && value >= 0)) throw new InvalidInput(`${field}.${key} must be a weight >= 0, got ${value}`, {field: `${field}.${key}`});
        if (value > 0) out.push([k, value]);
    }
    const total = out.reduce((s, [, v]) => s + v, 0);
    if (total <= 0) throw new InvalidInput(`${field} needs at least one positive weight`, {field});
    return out.map(([k, v]) => [k, v / total]);
}

function draw<K>(table: [K, number][], rng: Rng): K {
    let u = rng.next();
    for (const [k, p] of table) {
        u -= p;
        if (u < 0) return k;
    }
    return table[table.length - 1][0];
}
