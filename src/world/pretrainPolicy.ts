// `pretrainPolicy`: train the quickstart's small "instruct" base model from scratch as a policy of
// the world (issue 10, "The base model"). RM-R1 starts from an instruct model that already does
// arithmetic and follows instructions; a judge trained from random init learns the trace format
// long before the task (world-calibration.md), while a policy-pretrained base copies operands and
// computes (world-calibration-2.md). So the base is trained on `generatePolicyData` (compute, list
// and the two check tasks, levels 1–3, train questions only) with the SFT trainer, then scored as a
// policy on held-out questions.
//
//   out/
//     run.json              what was asked (kind "pretrain"), seeds
//     init/                 the seeded initial weights
//     policy-train.jsonl    the pretraining conversations (deterministic from the seed)
//     policy-validation.jsonl  held-out conversations (validation questions) for the held-out loss
//     train/                the SFT run: metrics.jsonl, resumable checkpoints, model/
//     model/                the base model; rmr1.json records the seed, data, steps, time and policy accuracy
//     policy-samples.jsonl  the replies to held-out questions (Compute greedy, List sampled), scored
//     scores.json, report.md
//
// Resumable: every piece is reused when present (the data files are complete or absent; the SFT
// run resumes from its last checkpoint).
import {existsSync} from "node:fs";
import {join} from "node:path";
import {InvalidInput} from "../errors.js";
import {RunDir} from "../data/RunDir.js";
import {writeJsonlOnce} from "../data/jsonl.js";
import {saveCheckpoint} from "../native/checkpoint/saveCheckpoint.js";
import {loadCheckpoint} from "../native/checkpoint/loadCheckpoint.js";
import {KernelRuntime} from "../native/kernels/KernelRuntime.js";
import {initParams} from "../native/model/initParams.js";
import {modelPresets, paramCount} from "../native/model/ModelConfig.js";
import type {ModelConfig} from "../native/model/ModelConfig.js";
import {NativeModel} from "../native/model/NativeModel.js";
import {trainSft} from "../train/trainSft.js";
import type {TrainProgress} from "../train/TrainRun.js";
import {tokenizeSft} from "../train/sftData.js";
import {accumulateNll} from "../train/trainSft.js";
import {evaluatePolicy, formatPolicyAccuracy} from "./evaluatePolicy.js";
import type {PolicySample} from "./evaluatePolicy.js";
import type {PolicyAccuracyRow} from "./policyAccuracy.js";
import {DEFAULT_POLICY_LEVELS, DEFAULT_POLICY_TASKS, generatePolicyData} from "./policyData.js";
import type {PolicyTask} from "./policyData.js";
import type {WorldLevel} from "./levels.js";

/** The base model's architecture: the `tiny` preset (d128, 4 layers, 871,552 parameters) with room for level-3 judge prompts. */
export const BASE_MODEL_CONFIG: ModelConfig = {...modelPresets.tiny, maxSeqLen: 768};

/** Hyper-parameters of the pretraining run. */
export interface PretrainHyperParams {
    /** Conversations per optimizer step. Defaults to `64` (calibration 2). */
    batchSize: number;
    /** Conversations per forward/backward. Defaults to `32`. */
    microBatchSize: number;
    /** Peak learning rate (3% warm-up, cosine to 10%). Defaults to `2e-3` (calibration 2). */
    lr: number;
    /** AdamW weight decay. Defaults to `0.1`. */
    weightDecay: number;
}

export const DEFAULT_PRETRAIN: Readonly<PretrainHyperParams> = {batchSize: 64, microBatchSize: 32, lr: 2e-3, weightDecay: 0.1};

/** Options of `pretrainPolicy`. */
export interface PretrainOptions extends Partial<PretrainHyperParams> {
    /** The run folder; resumed when it holds the same pretraining run. */
    out: string;
    /** Optimizer steps. Defaults to `steps` derived from `minutes`, else `3000`. */
    steps?: number;
    /** Train about this many minutes: the step count is set from a short timing of this machine (recorded). Defaults to none. */
    minutes?: number;
    /** Seed of the initial weights, the data and the data order. Defaults to `1`. */
    seed?: number;
    /** Model architecture. Defaults to `BASE_MODEL_CONFIG`. */
    config?: ModelConfig;
    /** Task mix of the pretraining data. Defaults to `DEFAULT_POLICY_TASKS`. */
    tasks?: Partial<Record<PolicyTask, number>>;
    /** Level mix. Defaults to `DEFAULT_POLICY_LEVELS`. */
    levels?: Partial<Record<WorldLevel, number>>;
    /** Held-out questions per family and level for the policy accuracy. Defaults to `100`. */
    evalPerCell?: number;
    /** Kernel threads. Defaults to the shared runtime. */
    threads?: number;
    /** Checkpoint every N steps. Defaults to `250`. */
    checkpointEvery?: number;
    /** Progress bar on stderr. Defaults to `false`. */
    progressBar?: boolean;
    /** Called after every optimizer step. */
    onProgress?: (progress: TrainProgress) => void;
    /** Stop after the current step (checkpoint saved; run again to resume). */
    signal?: AbortSignal;
    /** Command line for run.json. */
    command?: string;
    /** Called with one line per stage, for people. Defaults to none. */
    log?: (line: string) => void;
}

/** What `pretrainPolicy` returns (also in `scores.json` and the model's `rmr1.json` under `pretraining`). */
export interface PretrainResult {
    /** The base model folder (`<out>/model`). */
    modelDir: string;
    seed: number;
    steps: number;
    examples: number;
    /** Sum of the training steps' wall seconds (over resumes). */
    trainSeconds: number;
    /** Final training loss and held-out loss (per trained token). */
    loss: number;
    evalLoss: number | null;
    tokensPerSecond: number;
    parameters: number;
    /** Greedy accuracy as a policy on held-out questions. */
    policyAccuracy: PolicyAccuracyRow[];
    /** How the step count was chosen (`steps`, or `minutes` with the measured seconds per step). */
    stepsFrom: {kind: "steps"} | {kind: "minutes", minutes: number, secondsPerStep: number};
}

/** Run (or resume) the pretraining of a base model. */
export async function pretrainPolicy(options: PretrainOptions): Promise<PretrainResult> {
    const hp: PretrainHyperParams = {
        batchSize: options.batchSize ?? DEFAULT_PRETRAIN.batchSize,
        microBatchSize: options.microBatchSize ?? DEFAULT_PRETRAIN.microBatchSize,
        lr: options.lr ?? DEFAULT_PRETRAIN.lr,
        weightDecay: options.weightDecay ?? DEFAULT_PRETRAIN.weightDecay
    };
    const seed = options.seed ?? 1;
    const config = options.config ?? BASE_MODEL_CONFIG;
    const tasks = options.tasks ?? DEFAULT_POLICY_TASKS;
    const levels = options.levels ?? DEFAULT_POLICY_LEVELS;
    const log = options.log ?? (() => {});
    if (options.steps != null && (!Number.isInteger(options.steps) || options.steps < 1))
        throw new InvalidInput(`steps must be a positive integer, got ${options.steps}`, {field: "steps"});
    if (options.minutes != null && !(options.minutes > 0)) throw new InvalidInput(`minutes must be > 0, got ${options.minutes}`, {field: "minutes"});
    const dir = RunDir.open(options.out);
    const initDir = join(dir.dir, "init");
    if (!existsSync(join(initDir, "model.safetensors"))) await saveCheckpoint(initDir, {config, params: initParams(config, seed), extra: {seed, step: 0, kind: "init"}});

    // The step count: given, decided by an earlier run of this folder, or from a timing.
    const previous = dir.readInfo();
    let steps: number;
    let stepsFrom: PretrainResult["stepsFrom"];
    if (previous != null && previous.kind === "pretrain" && typeof previous.config.steps === "number" && options.steps == null) {
        steps = previous.config.steps;
        stepsFrom = previous.config.stepsFrom as PretrainResult["stepsFrom"];
    } else if (options.steps != null || options.minutes == null) {
        steps = options.steps ?? 3000;
        stepsFrom = {kind: "steps"};
    } else {
        log("timing a few steps to turn --minutes into a step count ...");
        const secondsPerStep = await timeSteps(initDir, hp, seed, tasks, levels, options.threads);
        steps = Math.max(1, Math.floor((options.minutes * 60) / secondsPerStep));
        stepsFrom = {kind: "minutes", minutes: options.minutes, secondsPerStep};
        log(`${secondsPerStep.toFixed(2)} s/step → ${steps} steps`);
    }
    const examples = steps * hp.batchSize;
    dir.startOrResume({
        kind: "pretrain", command: options.command,
        config: {seed, steps, stepsFrom, ...hp, config, tasks, levels, examples},
        seeds: {seed}, startedAt: new Date().toISOString()
    }, ["seed", "steps", "batchSize", "microBatchSize", "lr", "weightDecay", "config", "tasks", "levels"]);

    const trainFile = join(dir.dir, "policy-train.jsonl");
    const validationFile = join(dir.dir, "policy-validation.jsonl");
    writeJsonlOnce(trainFile, () => generatePolicyData({n: examples, seed, tasks, levels, split: "train"}));
    writeJsonlOnce(validationFile, () => generatePolicyData({n: 256, seed, tasks, levels, split: "validation"}));
    log(`data: ${examples} conversations (train questions), 256 held out (validation questions)`);

    const sft = await trainSft({
        model: initDir, data: trainFile, evalData: validationFile, out: join(dir.dir, "train"),
        preset: "tiny", lr: hp.lr, batchSize: hp.batchSize, microBatchSize: hp.microBatchSize, weightDecay: hp.weightDecay,
        seed, maxSteps: steps, evalEvery: 250, checkpointEvery: options.checkpointEvery ?? 250, keepCheckpoints: 1,
        threads: options.threads, progressBar: options.progressBar, onProgress: options.onProgress, signal: options.signal, command: options.command
    });
    const metrics = dir.readLines<{step?: number, seconds?: number, loss?: number}>(join("train", "metrics.jsonl"));
    const trainSeconds = metrics.reduce((s, m) => s + (typeof m.seconds === "number" && m.loss != null ? m.seconds : 0), 0);

    log("scoring the base model as a policy on held-out questions ...");
    const loaded = await loadCheckpoint(sft.modelDir);
    const runtime = options.threads != null ? await KernelRuntime.create({threads: options.threads}) : await KernelRuntime.shared();
    const model = await NativeModel.fromParams(loaded.config, loaded.params, {runtime});
    let samples: PolicySample[];
    let rows: PolicyAccuracyRow[];
    try {
        ({samples, rows} = await evaluatePolicy(model, {perCell: options.evalPerCell ?? 100, seed}));
    } finally {
        model.dispose();
        if (options.threads != null) await runtime.close();
    }
    dir.writeText("policy-samples.jsonl", samples.map((s) => JSON.stringify(s) + "\n").join(""));
    const result: PretrainResult = {
        modelDir: join(dir.dir, "model"), seed, steps: sft.steps, examples, trainSeconds,
        loss: sft.metrics.loss, evalLoss: sft.metrics.evalLoss, tokensPerSecond: sft.metrics.tokensPerSecond,
        parameters: paramCount(config), policyAccuracy: rows, stepsFrom
    };
    await saveCheckpoint(result.modelDir, {
        config: loaded.config, params: loaded.params,
        extra: {
            seed, step: sft.steps, kind: "world-policy-base",
            pretraining: {
                steps: sft.steps, examples, batchSize: hp.batchSize, lr: hp.lr, trainSeconds, tasks, levels,
                data: `generatePolicyData({n: ${examples}, seed: ${seed}, split: "train"})`, loss: result.loss, evalLoss: result.evalLoss
            },
            policyAccuracy: rows
        }
    });
    dir.writeJson("scores.json", result);
    dir.writeText("report.md", pretrainReport(result));
    return result;
}

/** The pretraining summary for people. */
export function pretrainReport(r: PretrainResult): string {
    return "# Base model pretraining (world policy)\n\n" +
        `${r.parameters.toLocaleString("en-US")} parameters, seed ${r.seed}: ${r.steps} steps, ${r.examples.toLocaleString("en-US")} conversations, ` +
        `${(r.trainSeconds / 60).toFixed(1)} min of training (${Math.round(r.tokensPerSecond).toLocaleString("en-US")} tokens/s at the end). ` +
        `Final loss ${r.loss.toFixed(4)}, held-out ${r.evalLoss?.toFixed(4) ?? "n/a"} nats per trained token.\n\n` +
        "## Accuracy as a policy (held-out questions: `Compute` greedy, `List` sampled 10 times at temperature 1)\n\n" +
        "Exact final answer for `Compute …`, a valid list (count, case, separator, distinct items of the category) for `List …`.\n\n" +
        formatPolicyAccuracy(r.policyAccuracy);
}

/** Median seconds of a few optimizer-sized forward/backward passes on a throwaway copy of the initial model. */
async function timeSteps(initDir: string, hp: PretrainHyperParams, seed: number, tasks: Partial<Record<PolicyTask, number>>,
    levels: Partial<Record<WorldLevel, number>>, threads: number | undefined): Promise<number> {
    const loaded = await loadCheckpoint(initDir);
    const runtime = threads != null ? await KernelRuntime.create({threads}) : await KernelRuntime.shared();
    const model = await NativeModel.fromParams(loaded.config, loaded.params, {runtime});
    try {
        const batch = [...generatePolicyData({n: hp.batchSize, seed: seed + 1, tasks, levels})].map((e, i) =>
            tokenizeSft({id: String(i), prompt: e.messages.slice(0, 1), response: e.messages[1].content, location: ""}));
        const times: number[] = [];
        for (let k = 0; k < 4; k++) {
            const t0 = performance.now();
            model.zeroGrad();
            accumulateNll(model, batch, hp.microBatchSize, "seq-mean");
            model.clipGradNorm(1);
            times.push((performance.now() - t0) / 1000);
        }
        times.sort((a, b) => a - b);
        // AdamW and bookkeeping add a little to each step.
        return times[Math.floor(times.length / 2)] * 1.05;
    } finally {
        model.dispose();
        if (threads != null) await runtime.close();
    }
}
