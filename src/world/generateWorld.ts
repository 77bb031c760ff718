// The world's preference pairs (issue 10), in the TRL conversational convention with the record
// fields of the data layer: `{id, prompt: [user], chosen: [assistant], rejected: [assistant],
// source: "world", domain, meta: {family, level, kind, …}}`.
//
// Item i of a run depends only on (seed, split, i) and the family/level options, never on the items
// before it (except that exact duplicates are skipped), so the first 100 items of `n: 1000` are the
// items of `n: 100`, and ids are stable.
import {InvalidInput} from "../errors.js";
import {Rng, deriveSeed} from "../protocol/rng.js";
import type {PreferenceRecord} from "../data/PreferenceRecord.js";
import type {Message} from "../protocol/types.js";
import {evaluationSteps, finalValue, formatArithQuestion, formatArithReply} from "./arith.js";
import {arithMistake} from "./arithMistakes.js";
import type {ArithMistakeKind} from "./arithMistakes.js";
import {randomExpression, randomListSpec, worldFamilies, worldLevels} from "./levels.js";
import type {WorldFamily, WorldLevel} from "./levels.js";
import {formatListQuestion, listViolation, validList} from "./lists.js";
import type {ListSpec, ListViolationKind} from "./lists.js";
import {questionSplit} from "./splits.js";
import type {WorldSplit} from "./splits.js";

/** What a world pair records about itself (a type alias, so it is a `PreferenceRecord` meta object). */
export type WorldPairMeta = {
    family: WorldFamily;
    level: WorldLevel;
    /** The rejected reply's mistake (arith) or broken constraint (lists). */
    kind: ArithMistakeKind | ListViolationKind;
    /** The split of the question (from `questionSplit`). */
    split: WorldSplit;
    /** arith: number of operators. */
    ops?: number;
    /** arith: whether both replies show their steps (else `Answer: N` only). */
    steps?: boolean;
    /** arith: the correct answer; lists: absent. */
    answer?: number;
    /** arith: the rejected reply's (wrong) answer. */
    wrongAnswer?: number;
    /** lists: the spec asked for. */
    list?: ListSpec;
    /** lists: the violation's variant (see `ListViolation.detail`). */
    detail?: string;
};

/** One world preference pair: a data-layer `PreferenceRecord` with every field set. */
export interface WorldPair extends PreferenceRecord {
    id: string;
    prompt: Message[];
    chosen: Message[];
    rejected: Message[];
    source: "world";
    /** `reasoning` for arith, `chat` for lists. */
    domain: "reasoning" | "chat";
    meta: WorldPairMeta;
}

export interface GenerateWorldOptions {
    /** Number of pairs. */
    n: number;
    /** Seed of the run. Defaults to `0`. */
    seed?: number;
    /** Family, or `all` for a fair coin per pair. Defaults to `"all"`. */
    family?: WorldFamily | "all";
    /** Level, or `mix` for a uniform draw per pair. Defaults to `1`. */
    level?: WorldLevel | "mix";
    /** Only questions of this split (see `questionSplit`), or `any`. Defaults to `"any"`. */
    split?: WorldSplit | "any";
    /** Skip pairs identical (prompt, chosen and rejected) to an earlier one. Defaults to `true`. */
    unique?: boolean;
}

/** Generate `options.n` world pairs. Throws `InvalidInput` when the asked space has fewer distinct pairs. */
export function* generateWorldPairs(options: GenerateWorldOptions): Generator<WorldPair> {
    const {n} = options;
    if (!Number.isInteger(n) || n < 0) throw new InvalidInput(`n must be a non-negative integer, got ${n}`, {field: "n"});
    const seed = options.seed ?? 0;
    const family = options.family ?? "all";
    const level = options.level ?? 1;
    const split = options.split ?? "any";
    if (family !== "all" && !worldFamilies.includes(family)) throw new InvalidInput(`unknown family '${String(family)}'; use arith, lists or all`, {field: "family"});
    if (level !== "mix" && !worldLevels.includes(level)) throw new InvalidInput(`unknown level '${String(level)}'; use 1, 2, 3 or mix`, {field: "level"});
    if (split !== "any" && !["train", "validation", "test"].includes(split)) throw new InvalidInput(`unknown split '${String(split)}'; use train, validation, test or any`, {field: "split"});
    const seen = new Set<string>();
    const maxAttempts = 50 * n + 1000;
    let emitted = 0;
    for (let index = 0; emitted < n; index++) {
        if (index >= maxAttempts)
            throw new InvalidInput(`only ${emitted} distinct pairs found after ${index} draws for family ${family}, level ${level}, split ${split}; ask for fewer (lower n) or a wider space`, {field: "n"});
        const pair = worldPair({seed, index, family, level, split});
        if (options.unique ?? true) {
            const key = JSON.stringify([pair.prompt, pair.chosen, pair.rejected]);
            if (seen.has(key)) continue;
            seen.add(key);
        }
        emitted++;
        yield pair;
    }
}

/** Item `index` of a run: its own RNG stream from (seed, split, index). */
export function worldPair(options: {seed: number, index: number, family: WorldFamily | "all", level: WorldLevel | "mix", split: WorldSplit | "any"}): WorldPair {
    const {seed, index, split} = options;
    const rng = new Rng(deriveSeed(seed, `world-pair|${split}|${index}`));
    const family: WorldFamily = options.family === "all" ? (rng.next() < 0.5 ? "arith" : "lists") : options.family;
    const level: WorldLevel = options.level === "mix" ? rng.pick(worldLevels) : options.level;
    const splitTag = split === "any" ? "" : `-${split}`;
    const id = `${family}-L${level}${splitTag}-s${seed}-${index}`;
    return family === "arith" ? arithPair(id, level, split, rng) : listsPair(id, level, split, rng);
}

/** Draw questions until one falls in `split` (every draw is from the level's distribution). */
function drawInSplit<T>(split: WorldSplit | "any", rng: Rng, draw: () => T, text: (q: T) => string): {question: T, split: WorldSplit} {
    for (let attempt = 0; attempt < 10_000; attempt++) {
        const question = draw();
        const s = questionSplit(text(question));
        if (split === "any" || s === split) return {question, split: s};
    }
    throw new Error(`internal: no question of split ${split} in 10000 draws`);
}

function arithPair(id: string, level: WorldLevel, split: WorldSplit | "any", rng: Rng): WorldPair {
    const {question: expression, split: actual} = drawInSplit(split, rng, () => randomExpression(level, rng), formatArithQuestion);
    const correct = evaluationSteps(expression);
    const mistake = arithMistake(expression, rng);
    const showSteps = rng.next() < 0.5;
    return {
        id,
        prompt: [{role: "user", content: formatArithQuestion(expression)}],
        chosen: [{role: "assistant", content: formatArithReply(correct, showSteps)}],
        rejected: [{role: "assistant", content: formatArithReply(mistake.steps, showSteps)}],
        source: "world",
        domain: "reasoning",
        meta: {
            family: "arith", level, kind: mistake.kind, split: actual, ops: expression.ops.length, steps: showSteps,
            answer: finalValue(correct), wrongAnswer: mistake.answer
        }
    };
}

function listsPair(id: string, level: WorldLevel, split: WorldSplit | "any", rng: Rng): WorldPair {
    const {question: spec, split: actual} = drawInSplit(split, rng, () => randomListSpec(level, rng), formatListQuestion);
    const chosen = validList(spec, rng);
    const violation = listViolation(spec, rng);
    return {
        id,
        prompt: [{role: "user", content: formatListQuestion(spec)}],
        chosen: [{role: "assistant", content: chosen}],
        rejected: [{role: "assistant", content: violation.reply}],
        source: "world",
        domain: "chat",
        meta: {family: "lists", level, kind: violation.kind, split: actual, list: spec, detail: violation.detail}
    };
}
