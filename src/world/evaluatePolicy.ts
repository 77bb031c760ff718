// The base model's accuracy as a policy of the world (issue 10, "The base model"): it answers
// held-out `Compute …` and `List …` questions (test split only, so the base never saw them) and each
// reply is scored with `scorePolicyReply` (the exact final answer; a valid list). `Compute` is
// answered greedily. `List` is sampled at temperature 1, several times per question: the base learnt
// a distribution over items, whose argmax is one item, so a greedy list repeats it (`cat, cat`) —
// measured on the shipped base, 0% valid greedy lists against most sampled lists valid.
import {Rng, deriveSeed} from "../protocol/rng.js";
import {generateTokens} from "../native/generate/generateTokens.js";
import type {NativeModel} from "../native/model/NativeModel.js";
import {ByteTokenizer} from "../native/tokenizer/ByteTokenizer.js";
import {randomQuestion, worldFamilies, worldLevels} from "./levels.js";
import type {WorldFamily, WorldLevel} from "./levels.js";
import {policyAccuracy, scorePolicyReply} from "./policyAccuracy.js";
import type {PolicyAccuracyRow} from "./policyAccuracy.js";
import {questionSplit} from "./splits.js";
import type {WorldSplit} from "./splits.js";

/** Options of `evaluatePolicy`. */
export interface EvaluatePolicyOptions {
    /** Questions per family and level (fewer when the split has fewer distinct questions, as level-1 lists). Defaults to `100`. */
    perCell?: number;
    /** Seed of the question draw. Defaults to `0`. */
    seed?: number;
    /** Split the questions come from. Defaults to `"test"`. */
    split?: WorldSplit;
    /** Levels to ask. Defaults to `[1, 2, 3]`. */
    levels?: readonly WorldLevel[];
    /** New tokens per reply. Defaults to `96`. */
    maxTokens?: number;
    /** Sampled replies (temperature 1) per `List` question. Defaults to `10`. */
    listSamples?: number;
}

/** One scored policy reply. */
export interface PolicySample {
    question: string;
    reply: string;
    family: WorldFamily;
    level: WorldLevel;
    correct: boolean;
    /** `ok` or what is wrong (see `scorePolicyReply`). */
    reason: string;
}

/** What `evaluatePolicy` returns. */
export interface PolicyEvaluation {
    samples: PolicySample[];
    rows: PolicyAccuracyRow[];
}

/**
 * Distinct questions of `split` per family and level: up to `perCell` drawn at random (the
 * level-1 list space has only 4 test questions, so that cell is small).
 */
export function policyQuestions(options: EvaluatePolicyOptions = {}): {question: string, family: WorldFamily, level: WorldLevel}[] {
    const perCell = options.perCell ?? 100;
    const split = options.split ?? "test";
    const out: {question: string, family: WorldFamily, level: WorldLevel}[] = [];
    for (const family of worldFamilies) {
        for (const level of options.levels ?? worldLevels) {
            const rng = new Rng(deriveSeed(options.seed ?? 0, `policy-eval|${family}|${level}|${split}`));
            const seen = new Set<string>();
            for (let draws = 0; draws < 200 * perCell && seen.size < perCell; draws++) {
                const q = randomQuestion(family, level, rng);
                if (seen.has(q) || questionSplit(q) !== split) continue;
                seen.add(q);
                out.push({question: q, family, level});
            }
        }
    }
    return out;
}

/** Answer the held-out questions (`Compute` greedily, `List` sampled `listSamples` times) with `model` and score every reply. */
export async function evaluatePolicy(model: NativeModel, options: EvaluatePolicyOptions = {}): Promise<PolicyEvaluation> {
    const tokenizer = new ByteTokenizer();
    const questions = policyQuestions(options);
    const arith = questions.filter((q) => q.family === "arith");
    const lists = questions.filter((q) => q.family === "lists").flatMap((q) => Array.from({length: options.listSamples ?? 10}, () => q));
    const answer = async (qs: typeof questions, temperature: number): Promise<PolicySample[]> => {
        const prompts = qs.map((q) => tokenizer.applyChatTemplate([{role: "user", content: q.question}]));
        const generated = await generateTokens(model, prompts, {temperature, maxTokens: options.maxTokens ?? 96, seed: options.seed ?? 0});
        return qs.map((q, i): PolicySample => {
            const reply = tokenizer.decode(generated[i].tokens);
            const score = scorePolicyReply(q.question, reply);
            return {...q, reply, correct: score.correct, reason: score.reason};
        });
    };
    const samples = [...await answer(arith, 0), ...await answer(lists, 1)];
    return {samples, rows: policyAccuracy(samples)};
}

/** Policy accuracy rows as a Markdown table. */
export function formatPolicyAccuracy(rows: readonly PolicyAccuracyRow[]): string {
    const lines = ["| family | level | n | correct | accuracy % |", "|---|---|---|---|---|"];
    for (const r of rows) lines.push(`| ${r.family} | ${r.level} | ${r.n} | ${r.correct} | ${(100 * r.accuracy).toFixed(1)} |`);
    return lines.join("\n") + "\n";
}
