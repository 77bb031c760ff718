// Held-out evaluation of the quickstart's reward models on world pairs. Generative judges (the
// reasoning RM, its SFT-only checkpoint, the direct RM) read each pair rendered with the `tiny`
// profile in a balanced A/B order and answer greedily; the verdict is the reference harness rule
// (`evalVerdict`: a bare [[A]] or [[B]] in the whole text, else a format failure). The scalar
// Bradley–Terry RM scores the two conversations; it prefers the higher score.
//
// Every judged pair becomes one line of a samples file (pair id, family, level, kind, where the
// chosen reply was, the raw output or the two scores, the verdict), so every number in the report
// can be traced back to the outputs.
import {evalVerdict} from "../protocol/extractors.js";
import {renderPair} from "../protocol/renderPair.js";
import type {PairOrder, Position} from "../protocol/types.js";
import {generateTokens} from "../native/generate/generateTokens.js";
import type {NativeModel} from "../native/model/NativeModel.js";
import {ByteTokenizer} from "../native/tokenizer/ByteTokenizer.js";
import type {BradleyTerryScorer} from "../train/BradleyTerryScorer.js";
import type {WorldPair} from "../world/generateWorld.js";
import type {WorldJudgedItem} from "../world/worldAccuracy.js";

/** One judged test pair. */
export interface JudgedSample extends WorldJudgedItem {
    id: string;
    /** The judge's output (generative RMs). */
    output?: string;
    /** The two scores (scalar RM). */
    scores?: {chosen: number, rejected: number};
}

/** Options of `judgeWithModel`. */
export interface JudgeWithModelOptions {
    /** New tokens per verdict. Defaults to `384`. */
    maxTokens?: number;
    /** Pairs decoded at once. Defaults to `64`. */
    batchSize?: number;
    /** Called after each batch with the number of pairs judged so far. */
    onProgress?: (done: number) => void;
}

const tokenizer = new ByteTokenizer();

/** Judge `pairs` greedily with a generative native model, each in its given order. */
export async function judgeWithModel(model: NativeModel, pairs: readonly WorldPair[], orders: ReadonlyMap<string, PairOrder>, options: JudgeWithModelOptions = {}): Promise<JudgedSample[]> {
    const out: JudgedSample[] = [];
    const chunk = Math.max(1, options.batchSize ?? 64) * 4;
    for (let i = 0; i < pairs.length; i += chunk) {
        const group = pairs.slice(i, i + chunk);
        const rendered = group.map((p) => renderPair(p, orderOf(orders, p.id), {profile: "tiny"}));
        const prompts = rendered.map((r) => tokenizer.applyChatTemplate(r.messages));
        const generated = await generateTokens(model, prompts, {temperature: 0, maxTokens: options.maxTokens ?? 384, batchSize: options.batchSize ?? 64, seed: 0});
        group.forEach((p, k) => {
            const output = tokenizer.decode(generated[k].tokens);
            const v = evalVerdict(output);
            out.push({...itemOf(p, rendered[k].chosenPosition), output, verdict: v === "error" ? "error" : v});
        });
        options.onProgress?.(out.length);
    }
    return out;
}

/** Judge `pairs` with a scalar reward model: the reply with the higher score wins (equal scores: a tie). */
export function judgeWithScorer(scorer: BradleyTerryScorer, pairs: readonly WorldPair[], orders: ReadonlyMap<string, PairOrder>): JudgedSample[] {
    const scores = scorer.scorePairs(pairs);
    return pairs.map((p, k) => {
        const chosenPosition = orderOf(orders, p.id) === "chosen-first" ? "A" : "B";
        const s = scores[k];
        const verdict: Position | "tie" = s.chosen === s.rejected ? "tie" : s.chosen > s.rejected ? chosenPosition : other(chosenPosition);
        return {...itemOf(p, chosenPosition), scores: s, verdict};
    });
}

function itemOf(p: WorldPair, chosenPosition: Position): Omit<JudgedSample, "verdict"> {
    return {id: p.id, family: p.meta.family, level: p.meta.level, kind: p.meta.kind, chosenPosition};
}

function orderOf(orders: ReadonlyMap<string, PairOrder>, id: string): PairOrder {
    const order = orders.get(id);
    if (order == null) throw new Error(`internal: no A/B order for test pair ${id}`);
    return order;
}

function other(p: Position): Position {
    return p === "A" ? "B" : "A";
}
