// Shared pieces of the training end-to-end tests: a freshly initialised small native model saved as
// a checkpoint, and a small judge task in the `tiny` profile.
//
// The task: "Which is good?" with the replies "good" and "bad" (the good one is the chosen reply),
// rendered with the tiny profile, A/B placed by a seeded coin. SFT rows target
// `<answer>[[X]]</answer>`; pairs are TRL rows for GRPO and Bradley–Terry.
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {Rng} from "../src/protocol/rng.js";
import {renderPair} from "../src/protocol/renderPair.js";
import type {PreferencePair} from "../src/protocol/types.js";
import {saveCheckpoint} from "../src/native/checkpoint/saveCheckpoint.js";
import type {KernelRuntime} from "../src/native/kernels/KernelRuntime.js";
import type {ModelConfig} from "../src/native/model/ModelConfig.js";
import {NativeModel} from "../src/native/model/NativeModel.js";

/** A 2-layer d32 decoder over the byte vocabulary (≈ 42k parameters). */
export const testModelConfig: ModelConfig = {
    vocabSize: 264, dModel: 32, nLayers: 2, nHeads: 2, nKvHeads: 2, dFF: 64, maxSeqLen: 128, ropeTheta: 10000, rmsNormEps: 1e-5, tiedEmbeddings: false
};

/** Save a seeded random model to `dir`. */
export async function saveRandomModel(dir: string, seed: number, runtime?: KernelRuntime, config: ModelConfig = testModelConfig): Promise<string> {
    const model = await NativeModel.init(config, {seed, runtime});
    await saveCheckpoint(dir, {config, params: model.paramMap()});
    model.dispose();
    return dir;
}

/** Options of `writeJudgeTask`. */
export interface JudgeTaskOptions {
    /** Rows to write. */
    n: number;
    seed: number;
    /** Fraction of SFT rows whose verdict is a coin flip instead of the correct one (1 teaches the format only). Defaults to `0`. */
    randomVerdicts?: number;
}

/** Write `sft.jsonl` (TRL messages) and `pairs.jsonl` (TRL pairs) under `dir`; returns their paths. */
export function writeJudgeTask(dir: string, options: JudgeTaskOptions): {sft: string, pairs: string} {
    const rng = new Rng(options.seed);
    const sft: string[] = [], pairs: string[] = [];
    for (let i = 0; i < options.n; i++) {
        const pair: PreferencePair = {
            prompt: [{role: "user", content: `Which is good? (item ${rng.int(0, 99)})`}],
            chosen: [{role: "assistant", content: "good"}],
            rejected: [{role: "assistant", content: "bad"}]
        };
        const rendered = renderPair(pair, rng.next() < 0.5 ? "chosen-first" : "chosen-second", {profile: "tiny"});
        const correct = rendered.label === "model_a" ? "A" : "B";
        const coin = rng.next() < 0.5 ? "A" : "B";
        const verdict = rng.next() < (options.randomVerdicts ?? 0) ? coin : correct;
        sft.push(JSON.stringify({messages: [...rendered.messages, {role: "assistant", content: `<answer>[[${verdict}]]</answer>`}]}));
        pairs.push(JSON.stringify({id: `p${i}`, ...pair}));
    }
    mkdirSync(dir, {recursive: true});
    const files = {sft: join(dir, "sft.jsonl"), pairs: join(dir, "pairs.jsonl")};
    writeFileSync(files.sft, sft.join("\n") + "\n");
    writeFileSync(files.pairs, pairs.join("\n") + "\n");
    return files;
}

/** The bytes of a model folder's weights. */
export function weightBytes(modelDir: string): Buffer {
    return readFileSync(join(modelDir, "model.safetensors"));
}

/** metrics.jsonl of a run, training steps only. */
export function stepMetrics(runDir: string): Record<string, number>[] {
    return readFileSync(join(runDir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, number>).filter((m) => m.step > 0);
}
