// Supervised fine-tuning of a native model on reasoning traces (RM-R1's distillation stage,
// method doc §5): next-token NLL on the response tokens only, micro-batches with gradient
// accumulation to a global batch, AdamW, cosine schedule with warm-up and a floor, gradient
// clipping, a held-out loss, resumable checkpoints.
//
// Packing: the native model takes every micro-batch as packed sequences with no padding and
// attention confined to each sequence, so several short examples share a micro-batch without
// attending to one another and without pad tokens (what OpenRLHF's `--packing_samples` does with
// flash-attention's varlen kernels).
import {join} from "node:path";
import {InvalidInput} from "../errors.js";
import type {KernelRuntime} from "../native/kernels/KernelRuntime.js";
import {AdamW} from "../native/model/AdamW.js";
import type {NativeModel} from "../native/model/NativeModel.js";
import {EpochSampler} from "./EpochSampler.js";
import {constantSchedule, cosineSchedule, learningRate, type LrSchedule} from "./schedules.js";
import {getPreset, sftPresets, type SftPreset, type TrainPresetName} from "./presets.js";
import type {LossAggregation} from "./policyLoss.js";
import {readSftExamples, tokenizeSft, type SftSequence} from "./sftData.js";
import {TrainRun, type RunOptions, type StepMetrics} from "./TrainRun.js";
import {definedOnly, isHeldOut, loadNativeModel, openRuntime, Owned, saveFinalModel, secondsSince, SkippedRows} from "./trainSupport.js";

/** Options of `trainSft`. Hyper-parameters left out come from the preset. */
export interface SftOptions extends RunOptions, Partial<SftPreset> {
    /** Checkpoint directory of the starting model. */
    model: string;
    /** Training data: a file, folder or `hf:` URI of SFT rows (see `sftExampleFromRow`). */
    data: string;
    /** Held-out data. Defaults to a seeded `evalFraction` of `data`. */
    evalData?: string;
    /** Fraction of `data` held out when `evalData` is absent (0 for none). Defaults to `0.05`. */
    evalFraction?: number;
    /** Most held-out examples used. Defaults to `256`. */
    evalMax?: number;
    /** Compute the held-out loss every N steps (and before the first and after the last). Defaults to `50`. */
    evalEvery?: number;
    /** Hyper-parameter preset: `paper` (OpenRLHF as RM-R1 ran it) or `tiny`. Defaults to `"paper"`. */
    preset?: TrainPresetName;
    /** Stop after this many optimizer steps. Defaults to all epochs. */
    maxSteps?: number;
    /** Longest example in tokens; longer ones are skipped and counted. Defaults to the model's `maxSeqLen`. */
    maxLen?: number;
    /** Also train on the `<|assistant|>` header token, as the reference's preprocessing does. Defaults to `false`. */
    trainOnHeader?: boolean;
    /** Fail on the first bad or over-long row instead of skipping it. Defaults to `false`. */
    strict?: boolean;
    /** Kernel threads. Defaults to the shared runtime (`RMR1_THREADS`, else all cores). */
    threads?: number;
    /** Also write `model.gguf` into the final model folder. Defaults to `false`. */
    gguf?: boolean;
}

/** What `trainSft` returns. */
export interface SftResult {
    runDir: string;
    /** The final model (`<out>/model`), loadable with `native:<dir>`. */
    modelDir: string;
    steps: number;
    /** Last step's metrics, plus the held-out loss before and after training. */
    metrics: {loss: number, evalLoss: number | null, initialEvalLoss: number | null, tokensPerSecond: number};
    skipped: {badRows: number, overlong: number};
}

/** Run (or resume) SFT. */
export async function trainSft(options: SftOptions): Promise<SftResult> {
    const preset = getPreset(sftPresets, options.preset ?? "paper");
    const hp: SftPreset = {...preset, ...definedOnly(options, Object.keys(preset) as (keyof SftPreset)[])};
    validate(hp);
    const {runtime, close} = await openRuntime(options.threads);
    const owned = new Owned();
    try {
        return await runSft(options, hp, runtime, owned);
    } finally {
        owned.dispose();
        await close();
    }
}

async function runSft(options: SftOptions, hp: SftPreset, runtime: KernelRuntime, owned: Owned): Promise<SftResult> {
    const model: NativeModel = owned.add((await loadNativeModel(options.model, runtime)).model);
    const maxLen = options.maxLen ?? model.config.maxSeqLen;
    if (maxLen > model.config.maxSeqLen)
        throw new InvalidInput(`--max-len ${maxLen} exceeds the model's maxSeqLen (${model.config.maxSeqLen})`, {field: "maxLen"});
    const skipped = new SkippedRows(options.strict === true);
    const evalFraction = options.evalData != null ? 0 : options.evalFraction ?? 0.05;
    const evalMax = options.evalMax ?? 256;
    const train: SftSequence[] = [];
    let heldOut: SftSequence[] = [];
    let index = 0;
    for await (const example of readSftExamples(options.data, {onBadRow: (e, row) => skipped.bad.add(e, row.location)})) {
        const seq = tokenizeSft(example, {trainOnHeader: options.trainOnHeader});
        const i = index++;
        if (seq.tokens.length > maxLen) {
            skipped.addOverlong(example.location, `example has ${seq.tokens.length} tokens, more than --max-len ${maxLen}`);
            continue;
        }
        if (isHeldOut(hp.seed, i, evalFraction)) heldOut.push(seq);
        else train.push(seq);
    }
    if (options.evalData != null) {
        for await (const example of readSftExamples(options.evalData, {onBadRow: (e, row) => skipped.bad.add(e, row.location)})) {
            const seq = tokenizeSft(example, {trainOnHeader: options.trainOnHeader});
            if (seq.tokens.length > maxLen) skipped.addOverlong(example.location, `example has ${seq.tokens.length} tokens, more than --max-len ${maxLen}`);
            else heldOut.push(seq);
        }
    }
    heldOut = heldOut.slice(0, evalMax);
    if (train.length === 0) throw skipped.noneUsable(options.data, "training examples");

    const sampler = new EpochSampler(train.length, hp.batchSize, {seed: hp.seed});
    const totalSteps = Math.min(options.maxSteps ?? Infinity, sampler.stepsPerEpoch * hp.epochs);
    const schedule: LrSchedule = hp.schedule === "cosine"
        ? cosineSchedule({peak: hp.lr, totalSteps, warmupRatio: hp.warmupRatio, minRatio: hp.minLrRatio})
        : constantSchedule(hp.lr);
    const config = {
        model: options.model, data: options.data, evalData: options.evalData ?? null, evalFraction, evalMax, evalEvery: options.evalEvery ?? 50,
        preset: options.preset ?? "paper", ...hp, maxSteps: options.maxSteps ?? null, totalSteps, maxLen, trainOnHeader: options.trainOnHeader === true,
        strict: options.strict === true, lrSchedule: schedule, trainExamples: train.length, heldOutExamples: heldOut.length,
        checkpointEvery: options.checkpointEvery ?? 50, keepCheckpoints: options.keepCheckpoints ?? 2
    };
    const run = await TrainRun.open("sft", config, {...options, seeds: {seed: hp.seed}, totalSteps});
    const optimizer = owned.add(new AdamW(model, {lr: hp.lr, beta1: hp.beta1, beta2: hp.beta2, weightDecay: hp.weightDecay}));
    let step = 0;
    let initialEvalLoss: number | null = null;
    if (run.resumed != null) {
        model.setParams(run.resumed.model.params);
        optimizer.setState({step: run.resumed.state.step, m: tensor(run.resumed.tensors, "adamw.m"), v: tensor(run.resumed.tensors, "adamw.v")});
        step = run.resumed.state.step;
        initialEvalLoss = (run.resumed.state.initialEvalLoss as number | null) ?? null;
    } else if (heldOut.length > 0) {
        initialEvalLoss = heldOutLoss(model, heldOut, hp.microBatchSize);
        run.logEvent({step: 0, evalLoss: initialEvalLoss});
    }
    const evalEvery = options.evalEvery ?? 50;
    const saveState = async (): Promise<void> => {
        const adam = optimizer.getState();
        await run.saveCheckpoint({
            config: model.config, params: model.paramMap(),
            tensors: new Map([["adamw.m", adam.m], ["adamw.v", adam.v]]),
            state: {step, seed: hp.seed, dataPosition: sampler.position(step), initialEvalLoss, skipped: skipped.summary()},
            extra: {seed: hp.seed, kind: "sft", parent: options.model}
        });
    };

    let last: StepMetrics | undefined;
    try {
        while (step < totalSteps) {
            const t0 = performance.now();
            const batch = sampler.batch(step).map((i) => train[i]);
            const lr = learningRate(schedule, step);
            model.zeroGrad();
            const {loss, trainedTokens, tokens} = accumulateNll(model, batch, hp.microBatchSize, hp.aggregation);
            const gradNorm = model.clipGradNorm(hp.gradClip);
            optimizer.step(lr);
            step++;
            const seconds = secondsSince(t0);
            const metrics: StepMetrics = {
                step, epoch: sampler.epochOf(step - 1), loss, lr, gradNorm, tokens, trainedTokens,
                tokensPerSecond: tokens / seconds, seconds
            };
            if (heldOut.length > 0 && (step % evalEvery === 0 || step === totalSteps)) metrics.evalLoss = heldOutLoss(model, heldOut, hp.microBatchSize);
            run.logStep(metrics, `loss ${loss.toFixed(4)}${metrics.evalLoss != null ? ` eval ${(metrics.evalLoss as number).toFixed(4)}` : ""}`);
            last = metrics;
            if (run.checkpointDue(step)) await saveState();
            run.throwIfAborted(step);
        }
    } catch (e) {
        run.close();
        throw e;
    }
    // A finished run started again: report its last logged step.
    if (last == null) last = run.dir.readLines<StepMetrics>("metrics.jsonl").filter((m) => m.step === step && m.loss != null).pop();
    const modelDir = join(run.dir.dir, "model");
    await saveFinalModel(modelDir, {config: model.config, params: model.paramMap()}, {seed: hp.seed, step, kind: "sft", parent: options.model}, {gguf: options.gguf});
    const result: SftResult = {
        runDir: run.dir.dir,
        modelDir,
        steps: step,
        metrics: {
            loss: (last?.loss as number) ?? NaN,
            evalLoss: (last?.evalLoss as number | undefined) ?? null,
            initialEvalLoss,
            tokensPerSecond: (last?.tokensPerSecond as number) ?? NaN
        },
        skipped: {badRows: skipped.bad.count, overlong: skipped.overlong.count}
    };
    run.dir.writeJson("scores.json", {...result.metrics, steps: step, skipped: skipped.summary()});
    run.close(`done: ${step} steps`);
    return result;
}

/**
 * Forward and backward over a global batch in micro-batches, adding gradients. `seq-mean`: every
 * example's mean NLL over its trained tokens, averaged over the batch (OpenRLHF with a micro-batch
 * of one); `token-mean`: the mean over all trained tokens of the batch. Either way the result does
 * not depend on the micro-batch size, up to float rounding.
 */
export function accumulateNll(model: NativeModel, batch: readonly SftSequence[], microBatchSize: number, aggregation: LossAggregation): {loss: number, trainedTokens: number, tokens: number} {
    const trainedOf = (s: SftSequence) => s.tokens.length - s.lossStart;
    const trainedTokens = batch.reduce((n, s) => n + trainedOf(s), 0);
    const tokens = batch.reduce((n, s) => n + s.tokens.length, 0);
    let loss = 0;
    for (let i = 0; i < batch.length; i += microBatchSize) {
        const micro = batch.slice(i, i + microBatchSize);
        const masks = micro.map((s) => {
            const w = aggregation === "seq-mean" ? 1 / (trainedOf(s) * batch.length) : 1;
            const m = new Float32Array(s.tokens.length);
            m.fill(w, s.lossStart);
            return m;
        });
        loss += model.nllLossAndGrad(micro.map((s) => s.tokens), masks, {normalizer: aggregation === "seq-mean" ? 1 : trainedTokens}).loss;
    }
    return {loss, trainedTokens, tokens};
}

/** Mean NLL per trained token over a held-out set (no gradients). */
export function heldOutLoss(model: NativeModel, examples: readonly SftSequence[], batchSize: number): number {
    let nll = 0, count = 0;
    for (let i = 0; i < examples.length; i += Math.max(1, batchSize)) {
        const chunk = examples.slice(i, i + Math.max(1, batchSize));
        const r = model.logprobs(chunk.map((s) => s.tokens));
        chunk.forEach((s, b) => {
            for (let t = s.lossStart; t < s.tokens.length; t++) nll -= r.logprobs[r.rowStarts[b] + t];
            count += s.tokens.length - s.lossStart;
        });
    }
    return count > 0 ? nll / count : NaN;
}

function tensor(tensors: Map<string, Float32Array>, name: string): Float32Array {
    const t = tensors.get(name);
    if (t == null) throw new InvalidInput(`the checkpoint has no '${name}' tensor; it was not written by this trainer`, {field: name});
    return t;
}

function validate(hp: SftPreset): void {
    const positiveInt: (keyof SftPreset)[] = ["batchSize", "microBatchSize", "epochs"];
    for (const k of positiveInt) {
        if (!Number.isInteger(hp[k]) || (hp[k] as number) < 1) throw new InvalidInput(`'${k}' must be a positive integer, got ${String(hp[k])}`, {field: k});
    }
    if (hp.aggregation !== "seq-mean" && hp.aggregation !== "token-mean") throw new InvalidInput(`'aggregation' must be seq-mean or token-mean, got '${hp.aggregation}'`, {field: "aggregation"});
    if (hp.schedule !== "cosine" && hp.schedule !== "constant") throw new InvalidInput(`'schedule' must be cosine or constant, got '${hp.schedule}'`, {field: "schedule"});
    if (!(hp.gradClip > 0)) throw new InvalidInput(`'gradClip' must be > 0, got ${hp.gradClip}`, {field: "gradClip"});
}
