// Train / validation / test splits without overlap by prompt text.
//
// The world fixes one partition of its question space (`questionSplit`), the same for every level,
// seed and generator. So a test set generated with `split: "test"`, the judge's training pairs
// (`split: "train"`) and the policy-pretraining data of the shipped base model (train questions
// only) never share a question, without anyone passing the test file around.
// - `Compute …` questions (and any other text): a keyed hash of the text, 10% test, 10% validation.
// - `List …` questions: the space is tiny (level 1 has 2 counts × 4 categories × 2 cases × 2
//   separators = 32 questions), so a hash would hold out a lopsided handful. Instead a fixed
//   balanced design holds out, per count band (2–3 and 4–5), one question per category for test and
//   another for validation, covering both cases, both separators and both counts: 4 test, 4
//   validation and 24 train questions at level 1 (8 / 8 / 48 over all 64). The level-1 lists test
//   therefore asks combinations of count, category, case and separator the judge never saw
//   together in training (it saw each of them in other combinations).
// `splitByPrompt` applies the same partition to any records, grouping them by prompt text.
import {InvalidInput} from "../errors.js";
import {keyedUniform} from "../protocol/rng.js";
import type {Message} from "../protocol/types.js";
import {listCases, listSeparators, parseListQuestion} from "./lists.js";
import {listCategories} from "./words.js";

export type WorldSplit = "train" | "validation" | "test";

export const worldSplits: readonly WorldSplit[] = ["train", "validation", "test"];

/** Hash seed and held-out fractions of hashed questions. Fixed: changing it changes which questions the shipped base model never saw. */
export const WORLD_SPLIT = {seed: 20250610, validation: 0.1, test: 0.1} as const;

/** Options of a hashed prompt-disjoint split. */
export interface SplitOptions {
    /** Hash seed. Defaults to `WORLD_SPLIT.seed`. */
    seed?: number;
    /** Fraction of prompts in validation. Defaults to `0.1`. */
    validation?: number;
    /** Fraction of prompts in test. Defaults to `0.1`. */
    test?: number;
}

/** The world's split of a question (or any prompt text): the balanced design for `List …` questions of 2–5 items, else `hashSplit`. */
export function questionSplit(promptText: string): WorldSplit {
    const spec = parseListQuestion(promptText);
    if (spec == null || spec.n < 2 || spec.n > 5) return hashSplit(promptText);
    const band = spec.n >= 4 ? 1 : 0;
    const i = listCategories.indexOf(spec.category);
    const c = listCases.indexOf(spec.case);
    const s = listSeparators.indexOf(spec.sep);
    const m = (spec.n - 2) & 1;
    // Test question of category i in this band: case i&1 (flipped in band 1), separator (i>>1)&1,
    // count parity (i + (i>>1))&1; validation: the other case and separator, same count parity.
    const testCase = (i & 1) ^ band;
    const testSep = (i >> 1) & 1;
    const parity = (i + (i >> 1)) & 1;
    if (m !== parity) return "train";
    if (c === testCase && s === testSep) return "test";
    if (c !== testCase && s !== testSep) return "validation";
    return "train";
}

/** A hashed split of any text: `test` when its keyed hash is below `test`, then `validation`, else `train`. */
export function hashSplit(promptText: string, options: SplitOptions = {}): WorldSplit {
    const {seed, validation, test} = resolve(options);
    const u = keyedUniform(seed, promptText);
    if (u < test) return "test";
    if (u < test + validation) return "validation";
    return "train";
}

/** The prompt text of a record: its single user message, or every prompt message (`role: content`, one per line). */
export function recordPromptText(record: {prompt?: Message[], chosen?: Message[]}): string {
    const prompt = record.prompt ?? record.chosen?.slice(0, -1) ?? [];
    if (prompt.length === 1 && prompt[0].role === "user") return prompt[0].content;
    return prompt.map((m) => `${m.role}: ${m.content}`).join("\n");
}

/**
 * Split records into train / validation / test so that no prompt text is in two splits: each
 * record goes where `split(recordPromptText(record))` says (the world's `questionSplit` unless given, e.g.
 * `(t) => hashSplit(t, {test: 0.2})`). Records keep their order.
 */
export function splitByPrompt<T extends {prompt?: Message[], chosen?: Message[]}>(
    records: Iterable<T>,
    split: (promptText: string) => WorldSplit = questionSplit
): Record<WorldSplit, T[]> {
    const out: Record<WorldSplit, T[]> = {train: [], validation: [], test: []};
    for (const record of records) out[split(recordPromptText(record))].push(record);
    return out;
}

function resolve(options: SplitOptions): {seed: number, validation: number, test: number} {
    const seed = options.seed ?? WORLD_SPLIT.seed;
    const validation = options.validation ?? WORLD_SPLIT.validation;
    const test = options.test ?? WORLD_SPLIT.test;
    for (const [field, v] of [["validation", validation], ["test", test]] as const) {
        if (!Number.isFinite(v) || v < 0 || v > 1) throw new InvalidInput(`split fraction '${field}' must be in [0, 1], got ${v}`, {field});
    }
    if (validation + test > 1) throw new InvalidInput(`split fractions validation + test must be at most 1, got ${validation + test}`, {field: "test"});
    return {seed, validation, test};
}
