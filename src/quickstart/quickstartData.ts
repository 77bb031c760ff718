// The quickstart's data (stage 1): world pairs for judge training (distilled by the teacher; the
// same pairs train the scalar and direct baselines), GRPO prompts, a dev set for GRPO keep-best,
// and the held-out test set, every split drawn from its own part of the world's question space
// (`questionSplit`), so no test question is ever trained on, by the judge or by the shipped base.
import {existsSync, mkdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {writeJsonlOnce} from "../data/jsonl.js";
import {writeFileAtomic} from "../data/RunDir.js";
import {renderPair} from "../protocol/renderPair.js";
import type {PairOrder} from "../protocol/types.js";
import {generateWorldPairs} from "../world/generateWorld.js";
import type {WorldPair} from "../world/generateWorld.js";
import {worldFamilies, worldLevels} from "../world/levels.js";
import type {WorldLevel} from "../world/levels.js";
import type {WorldSplit} from "../world/splits.js";
import {balancedOrders} from "../world/worldAccuracy.js";
import {generatePolicyData} from "../world/policyData.js";
import {Rng, deriveSeed} from "../protocol/rng.js";

/** How many pairs of each split the quickstart generates. */
export interface QuickstartDataSpec {
    /** Judge training pairs (distillation, scalar and direct baselines). */
    trainPairs: number;
    /** Level mix of the training, GRPO and dev pairs (weights). */
    trainLevels: Partial<Record<WorldLevel, number>>;
    /** GRPO prompts (train questions, a different seed stream from the SFT pairs). */
    rlPairs: number;
    /** Dev pairs for GRPO keep-best (validation questions). */
    devPairs: number;
    /** Test pairs per family at each level (test questions). */
    testPerCell: Record<WorldLevel, number>;
}

/** Paths of the data files in `<out>/data`. */
export interface QuickstartDataFiles {
    train: string;
    rl: string;
    dev: string;
    test: string;
    /** The direct RM's SFT rows: the training pairs rendered, target `<answer>[[X]]</answer>`. */
    direct: string;
    /** The A/B order of every test pair (balanced per family, level and kind). */
    testOrders: string;
}

/** Pairs of `split` in the given level mix, families alternating (a fair split of n between arith and lists at each level). */
export function worldPairMix(options: {n: number, seed: number, split: WorldSplit, levels: Partial<Record<WorldLevel, number>>}): WorldPair[] {
    const entries = worldLevels.map((l) => [l, options.levels[l] ?? 0] as const).filter(([, w]) => w > 0);
    const total = entries.reduce((s, [, w]) => s + w, 0);
    const counts = entries.map(([l, w]) => [l, Math.round((options.n * w) / total)] as const);
    const perLevel = counts.map(([level, count]) => worldFamilies.map((family, f) => [...generateWorldPairs({
        n: Math.floor(count / 2) + (f === 0 ? count % 2 : 0), seed: options.seed, family, level, split: options.split
    })]));
    // Interleave in proportion (item i of a queue of k sits at (i + ½)/k), so any prefix has the same mix.
    const keyed = perLevel.flat().flatMap((q, qi) => q.map((pair, i) => ({pair, key: (i + 0.5) / q.length, qi})));
    keyed.sort((a, b) => a.key - b.key || a.qi - b.qi);
    return keyed.map((k) => k.pair);
}

/** Test pairs: `perCell[level]` per family and level, test questions only. */
export function worldTestPairs(seed: number, perCell: Record<WorldLevel, number>): WorldPair[] {
    return worldLevels.flatMap((level) => worldFamilies.flatMap((family) => perCell[level] > 0
        ? [...generateWorldPairs({n: perCell[level], seed, family, level, split: "test"})]
        : []));
}

/** Write every data file of the quickstart into `dir` (each written once: complete or absent). */
export function writeQuickstartData(dir: string, spec: QuickstartDataSpec, seed: number): QuickstartDataFiles {
    mkdirSync(dir, {recursive: true});
    const files: QuickstartDataFiles = {
        train: join(dir, "train.jsonl"), rl: join(dir, "rl.jsonl"), dev: join(dir, "dev.jsonl"), test: join(dir, "test.jsonl"),
        direct: join(dir, "direct-sft.jsonl"), testOrders: join(dir, "test-orders.json")
    };
    const train = worldPairMix({n: spec.trainPairs, seed, split: "train", levels: spec.trainLevels});
    writeJsonlOnce(files.train, () => train);
    writeJsonlOnce(files.rl, () => worldPairMix({n: spec.rlPairs, seed: seed + 1, split: "train", levels: spec.trainLevels}));
    writeJsonlOnce(files.dev, () => worldPairMix({n: spec.devPairs, seed, split: "validation", levels: spec.trainLevels}));
    const test = worldTestPairs(seed + 2, spec.testPerCell);
    writeJsonlOnce(files.test, () => test);
    if (!existsSync(files.testOrders)) writeFileAtomic(files.testOrders, JSON.stringify(Object.fromEntries(balancedOrders(test, seed)), null, 1) + "\n");
    // The direct RM sees the same pairs as the reasoning RM, chosen reply first in half of them.
    writeJsonlOnce(files.direct, () => {
        const orders = balancedOrders(train, seed + 3);
        return train.map((p) => {
            const r = renderPair(p, orders.get(p.id)!, {profile: "tiny"});
            return {id: p.id, context_messages: r.messages, winner: `<answer>[[${r.chosenPosition}]]</answer>`};
        });
    });
    return files;
}

/**
 * The SFT file of a generative judge: its rows (`{context_messages, winner}`) plus, as a fraction
 * `replay` of the result, the base model's own check tasks (`check-compute`, `check-list` at the
 * given levels, train questions), shuffled with `seed`. Replaying the base's data keeps the skills
 * the judge is built on: without it, SFT on traces alone overwrites them and the judge's own
 * solution copies a reply's number (docs/quickstart-notes.md §5: level-1 arith 78% → 92%).
 * Written once (complete or absent); returns the number of replayed rows.
 */
export function writeSftMix(rowsFile: string, out: string, options: {replay: number, seed: number, levels: Partial<Record<WorldLevel, number>>}): number {
    const rows = readFileSync(rowsFile, "utf8").split("\n").filter((l) => l !== "");
    const n = options.replay > 0 ? Math.round((rows.length * options.replay) / (1 - options.replay)) : 0;
    const replayed = [...generatePolicyData({n, seed: deriveSeed(options.seed, "quickstart-replay"), levels: options.levels, tasks: {"check-compute": 1, "check-list": 1}})]
        .map((e) => JSON.stringify({id: e.id, context_messages: [e.messages[0]], winner: e.messages[1].content}));
    const all = new Rng(deriveSeed(options.seed, "quickstart-replay-order")).shuffle([...rows, ...replayed]);
    writeJsonlOnce(out, () => all.map((l) => JSON.parse(l) as unknown));
    return n;
}

/** Read a JSONL file of world pairs written by `writeQuickstartData`. */
export function readWorldPairs(file: string): WorldPair[] {
    return readFileSync(file, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as WorldPair);
}

/** Read the test orders written by `writeQuickstartData`. */
export function readTestOrders(file: string): Map<string, PairOrder> {
    return new Map(Object.entries(JSON.parse(readFileSync(file, "utf8")) as Record<string, PairOrder>));
}
