// The quickstart's training and evaluation stages as functions of one context, so that the main
// process and the baselines' child process (quickstartWorker.ts) run the very same code.
import {mkdirSync} from "node:fs";
import {join} from "node:path";
import {RunDir} from "../data/RunDir.js";
import {loadCheckpoint} from "../native/checkpoint/loadCheckpoint.js";
import type {KernelRuntime} from "../native/kernels/KernelRuntime.js";
import {NativeModel} from "../native/model/NativeModel.js";
import {BradleyTerryScorer} from "../train/BradleyTerryScorer.js";
import {trainBradleyTerry} from "../train/trainBradleyTerry.js";
import {trainSft} from "../train/trainSft.js";
import type {TrainProgress} from "../train/TrainRun.js";
import {judgeWithModel, judgeWithScorer} from "./evaluateWorldJudge.js";
import type {JudgedSample} from "./evaluateWorldJudge.js";
import {readTestOrders, readWorldPairs, writeSftMix} from "./quickstartData.js";
import type {QuickstartDataFiles} from "./quickstartData.js";
import type {QuickstartPreset} from "./quickstartPresets.js";
import type {QuickstartVariant} from "./quickstartReport.js";

/** What every stage needs. */
export interface StageContext {
    out: string;
    seed: number;
    base: string;
    preset: QuickstartPreset;
    files: QuickstartDataFiles;
    runtime: KernelRuntime;
    /** Threads of the trainers' own runtimes (undefined: the shared one). */
    threads?: number;
    signal?: AbortSignal;
}

/** Progress of a stage: units done of a total, and a short note. */
export type StageProgress = (done: number, total: number, note: string) => void;

/** Options every trainer call shares. */
export function common(ctx: StageContext): {threads?: number, signal?: AbortSignal, checkpointEvery: number, keepCheckpoints: number} {
    return {threads: ctx.threads, signal: ctx.signal, checkpointEvery: 50, keepCheckpoints: 1};
}

/** A trainer's progress as a stage's. */
export function trainProgress(report: StageProgress): (p: TrainProgress) => void {
    return (p) => {
        const m = p.metrics;
        const note = typeof m.reward === "number"
            ? `reward ${m.reward.toFixed(2)}${typeof m.devAccuracy === "number" ? ` dev ${(100 * m.devAccuracy).toFixed(1)}%` : ""}`
            : typeof m.loss === "number" ? `loss ${m.loss.toFixed(3)}` : "";
        report(p.step, p.totalSteps, note);
    };
}

/** Scalar Bradley–Terry baseline: train on the judge's training pairs, then score the test set. */
export async function scalarStage(ctx: StageContext, report: StageProgress): Promise<Record<string, unknown>> {
    const p = ctx.preset.bt;
    const r = await trainBradleyTerry({
        ...common(ctx), model: ctx.base, data: ctx.files.train, out: join(ctx.out, "scalar"), maxSteps: p.steps, batchSize: p.batchSize,
        microBatchSize: p.batchSize, lr: p.lr, seed: ctx.seed, evalFraction: 0.02, evalMax: 64, evalEvery: 100, onProgress: trainProgress(report)
    });
    await evaluateVariant(ctx, "scalar", r.modelDir, report);
    return {modelDir: r.modelDir, steps: r.steps, loss: r.metrics.loss};
}

/** Direct generative baseline: SFT on verdict-only targets, then judge the test set. */
export async function directStage(ctx: StageContext, report: StageProgress): Promise<Record<string, unknown>> {
    const p = ctx.preset.direct;
    // The same replay of the base's check tasks as the reasoning RM's SFT, so the two differ only in their targets.
    const data = join(ctx.out, "data", "direct-sft-replay.jsonl");
    writeSftMix(ctx.files.direct, data, {replay: p.replay, seed: ctx.seed, levels: ctx.preset.data.trainLevels});
    const r = await trainSft({
        ...common(ctx), model: ctx.base, data, out: join(ctx.out, "direct"), preset: "tiny",
        maxSteps: p.steps, batchSize: p.batchSize, microBatchSize: p.microBatchSize, lr: p.lr,
        seed: ctx.seed, evalFraction: 0.02, evalMax: 64, evalEvery: 100, onProgress: trainProgress(report)
    });
    await evaluateVariant(ctx, "direct", r.modelDir, report);
    return {modelDir: r.modelDir, steps: r.steps, loss: r.metrics.loss};
}

/** Judge the test set with one variant and write `eval/<variant>.jsonl` (skipped when already written). */
export async function evaluateVariant(ctx: StageContext, variant: QuickstartVariant, modelDir: string, report: StageProgress): Promise<void> {
    const dir = RunDir.open(ctx.out);
    const file = `eval/${variant}.jsonl`;
    if (dir.exists(file)) return;
    mkdirSync(dir.path("eval"), {recursive: true});
    const test = readWorldPairs(ctx.files.test);
    const orders = readTestOrders(ctx.files.testOrders);
    let samples: JudgedSample[];
    report(0, test.length, `judging the test set: ${variant}`);
    if (variant === "scalar") {
        const scorer = await BradleyTerryScorer.load(modelDir, {runtime: ctx.runtime});
        try {
            samples = judgeWithScorer(scorer, test, orders);
        } finally {
            scorer.dispose();
        }
    } else {
        const loaded = await loadCheckpoint(modelDir);
        const model = await NativeModel.fromParams(loaded.config, loaded.params, {runtime: ctx.runtime});
        try {
            samples = await judgeWithModel(model, test, orders, {
                maxTokens: variant === "direct" ? 24 : ctx.preset.evalMaxTokens,
                onProgress: (n) => report(n, test.length, `judging the test set: ${variant}`)
            });
        } finally {
            model.dispose();
        }
    }
    dir.writeText(file, samples.map((s) => JSON.stringify(s) + "\n").join(""));
}
