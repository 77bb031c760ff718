// A scalar Bradley–Terry reward model, the classic baseline RM-R1 is compared with: the decoder
// plus a linear score head on the final hidden state of the last token of each conversation
// (`<|eos|>` of the byte chat template), trained with the pairwise logistic loss
// −log σ(s_chosen − s_rejected). It shares the SFT trainer's loop, schedule, checkpoints and resume.
import {join} from "node:path";
import {InvalidInput} from "../errors.js";
import {pairConversations} from "../protocol/renderPair.js";
import {readLocatedRecords} from "../data/readRecords.js";
import type {KernelRuntime} from "../native/kernels/KernelRuntime.js";
import {AdamW} from "../native/model/AdamW.js";
import type {NativeModel} from "../native/model/NativeModel.js";
import {ByteTokenizer} from "../native/tokenizer/ByteTokenizer.js";
import {EpochSampler} from "./EpochSampler.js";
import {ScalarHead} from "./ScalarHead.js";
import {constantSchedule, cosineSchedule, learningRate, type LrSchedule} from "./schedules.js";
import {TrainRun, type RunOptions, type StepMetrics} from "./TrainRun.js";
import {definedOnly, isHeldOut, loadNativeModel, openRuntime, Owned, saveFinalModel, secondsSince, SkippedRows} from "./trainSupport.js";

/** Hyper-parameters of `trainBradleyTerry` (the calibration's BT baseline by default). */
export interface BradleyTerryHyperParams {
    /** Peak learning rate. Defaults to `1e-3`. */
    lr: number;
    /** Pairs per optimizer step. Defaults to `16`. */
    batchSize: number;
    /** Pairs per micro-batch. Defaults to `16`. */
    microBatchSize: number;
    /** Passes over the data. Defaults to `1`. */
    epochs: number;
    /** Defaults to `"cosine"` (3 % warm-up, floor 0.1×). */
    schedule: "cosine" | "constant";
    /** Defaults to `0.03`. */
    warmupRatio: number;
    /** Defaults to `0.1`. */
    minLrRatio: number;
    /** Defaults to `0.9`. */
    beta1: number;
    /** Defaults to `0.95`. */
    beta2: number;
    /** Defaults to `0.1`. */
    weightDecay: number;
    /** Global gradient-norm clip (trunk and head together). Defaults to `1`. */
    gradClip: number;
    /** Seed of the data order, held-out split and head init. Defaults to `42`. */
    seed: number;
}

const btDefaults: BradleyTerryHyperParams = {
    lr: 1e-3, batchSize: 16, microBatchSize: 16, epochs: 1, schedule: "cosine", warmupRatio: 0.03, minLrRatio: 0.1,
    beta1: 0.9, beta2: 0.95, weightDecay: 0.1, gradClip: 1, seed: 42
};

/** Options of `trainBradleyTerry`. */
export interface BradleyTerryTrainOptions extends RunOptions, Partial<BradleyTerryHyperParams> {
    /** Checkpoint directory of the starting decoder. */
    model: string;
    /** Preference pairs in any shape the data layer reads. */
    data: string;
    /** Held-out pairs. Defaults to a seeded `evalFraction` of `data`. */
    evalData?: string;
    /** Defaults to `0.05`. */
    evalFraction?: number;
    /** Defaults to `256`. */
    evalMax?: number;
    /** Held-out accuracy every N steps (and before and after). Defaults to `50`. */
    evalEvery?: number;
    /** Stop after this many steps. Defaults to all epochs. */
    maxSteps?: number;
    /** Longest conversation in tokens. Defaults to the model's `maxSeqLen`. */
    maxLen?: number;
    /** Fail on the first bad or over-long pair. Defaults to `false`. */
    strict?: boolean;
    /** Kernel threads. Defaults to the shared runtime. */
    threads?: number;
}

/** What `trainBradleyTerry` returns. */
export interface BradleyTerryTrainResult {
    runDir: string;
    /** The reward model (`<out>/model`: the decoder plus `head.safetensors`); load it with `BradleyTerryScorer.load`. */
    modelDir: string;
    steps: number;
    metrics: {loss: number, evalLoss: number | null, evalAccuracy: number | null, initialEvalAccuracy: number | null};
    skipped: {badRows: number, overlong: number};
}

/** A tokenised pair: the two full conversations, each ending in `<|eos|>`. */
interface TokenPair {
    chosen: Uint16Array;
    rejected: Uint16Array;
}

/** Name of the score head's tensors in `head.safetensors`. */
export const SCORE_HEAD = "score";

const tokenizer = new ByteTokenizer();

/** Token ids of a whole conversation for scoring: the chat template without a generation prompt. */
export function conversationTokens(messages: Parameters<ByteTokenizer["applyChatTemplate"]>[0]): Uint16Array {
    return Uint16Array.from(tokenizer.applyChatTemplate(messages, {addGenerationPrompt: false}));
}

/** Train (or resume) a Bradley–Terry reward model. */
export async function trainBradleyTerry(options: BradleyTerryTrainOptions): Promise<BradleyTerryTrainResult> {
    const hp: BradleyTerryHyperParams = {...btDefaults, ...definedOnly(options, Object.keys(btDefaults) as (keyof BradleyTerryHyperParams)[])};
    const {runtime, close} = await openRuntime(options.threads);
    const owned = new Owned();
    try {
        return await runBradleyTerry(options, hp, runtime, owned);
    } finally {
        owned.dispose();
        await close();
    }
}

async function readPairs(source: string, maxLen: number, skipped: SkippedRows, onPair: (pair: TokenPair, index: number) => void): Promise<void> {
    let index = 0;
    for await (const {record, row} of readLocatedRecords(source, {onBadRow: (e, r) => skipped.bad.add(e, r.location)})) {
        let conv;
        try {
            conv = pairConversations(record);
        } catch (e) {
            if (e instanceof InvalidInput) {
                skipped.bad.add(new InvalidInput(e.message, {field: e.field, location: row.location}), row.location);
                continue;
            }
            throw e;
        }
        const pair = {chosen: conversationTokens(conv.chosen), rejected: conversationTokens(conv.rejected)};
        const longest = Math.max(pair.chosen.length, pair.rejected.length);
        if (longest > maxLen) {
            skipped.addOverlong(row.location, `a conversation has ${longest} tokens, more than --max-len ${maxLen}`);
            continue;
        }
        onPair(pair, index++);
    }
}

async function runBradleyTerry(options: BradleyTerryTrainOptions, hp: BradleyTerryHyperParams, runtime: KernelRuntime, owned: Owned): Promise<BradleyTerryTrainResult> {
    const model = owned.add((await loadNativeModel(options.model, runtime)).model);
    const maxLen = options.maxLen ?? model.config.maxSeqLen;
    const skipped = new SkippedRows(options.strict === true);
    const evalFraction = options.evalData != null ? 0 : options.evalFraction ?? 0.05;
    const train: TokenPair[] = [];
    let heldOut: TokenPair[] = [];
    await readPairs(options.data, maxLen, skipped, (p, i) => (isHeldOut(hp.seed, i, evalFraction) ? heldOut : train).push(p));
    if (options.evalData != null) await readPairs(options.evalData, maxLen, skipped, (p) => heldOut.push(p));
    heldOut = heldOut.slice(0, options.evalMax ?? 256);
    if (train.length === 0) throw skipped.noneUsable(options.data, "preference pairs");

    const sampler = new EpochSampler(train.length, hp.batchSize, {seed: hp.seed});
    const totalSteps = Math.min(options.maxSteps ?? Infinity, sampler.stepsPerEpoch * hp.epochs);
    const schedule: LrSchedule = hp.schedule === "cosine"
        ? cosineSchedule({peak: hp.lr, totalSteps, warmupRatio: hp.warmupRatio, minRatio: hp.minLrRatio})
        : constantSchedule(hp.lr);
    const evalEvery = options.evalEvery ?? 50;
    const config = {
        model: options.model, data: options.data, evalData: options.evalData ?? null, evalFraction, evalMax: options.evalMax ?? 256, evalEvery,
        ...hp, maxSteps: options.maxSteps ?? null, totalSteps, maxLen, strict: options.strict === true, lrSchedule: schedule,
        trainPairs: train.length, heldOutPairs: heldOut.length,
        checkpointEvery: options.checkpointEvery ?? 50, keepCheckpoints: options.keepCheckpoints ?? 2
    };
    const run = await TrainRun.open("bradley-terry", config, {...options, seeds: {seed: hp.seed}, totalSteps});
    const optimizer = owned.add(new AdamW(model, {lr: hp.lr, beta1: hp.beta1, beta2: hp.beta2, weightDecay: hp.weightDecay}));
    const head = ScalarHead.init(model.config.dModel, hp.seed);
    let step = 0;
    let initialEvalAccuracy: number | null = null;
    if (run.resumed != null) {
        model.setParams(run.resumed.model.params);
        const t = run.resumed.tensors;
        optimizer.setState({step: run.resumed.state.step, m: t.get("adamw.m")!, v: t.get("adamw.v")!});
        head.setState(t, "head");
        step = run.resumed.state.step;
        initialEvalAccuracy = (run.resumed.state.initialEvalAccuracy as number | null) ?? null;
    } else if (heldOut.length > 0) {
        const e = evaluatePairs(model, head, heldOut, hp.microBatchSize);
        initialEvalAccuracy = e.accuracy;
        run.logEvent({step: 0, evalLoss: e.loss, evalAccuracy: e.accuracy});
    }
    let last: StepMetrics | undefined;
    try {
        while (step < totalSteps) {
            const t0 = performance.now();
            const batch = sampler.batch(step).map((i) => train[i]);
            const lr = learningRate(schedule, step);
            model.zeroGrad();
            head.zeroGrad();
            let loss = 0, correct = 0, tokens = 0;
            for (let i = 0; i < batch.length; i += hp.microBatchSize) {
                const r = pairwiseStep(model, head, batch.slice(i, i + hp.microBatchSize), batch.length);
                loss += r.loss;
                correct += r.correct;
                tokens += r.tokens;
            }
            const gradNorm = Math.sqrt(model.gradNorm() ** 2 + head.gradSquares());
            const coef = hp.gradClip / (gradNorm + 1e-6);
            if (coef < 1) {
                model.scaleGrads(coef);
                head.scaleGrads(coef);
            }
            optimizer.step(lr);
            head.step(lr, hp);
            step++;
            const seconds = secondsSince(t0);
            const metrics: StepMetrics = {step, epoch: sampler.epochOf(step - 1), loss, accuracy: correct / batch.length, lr, gradNorm, tokens, tokensPerSecond: tokens / seconds, seconds};
            if (heldOut.length > 0 && (step % evalEvery === 0 || step === totalSteps)) {
                const e = evaluatePairs(model, head, heldOut, hp.microBatchSize);
                metrics.evalLoss = e.loss;
                metrics.evalAccuracy = e.accuracy;
            }
            run.logStep(metrics, `loss ${loss.toFixed(4)}${metrics.evalAccuracy != null ? ` eval acc ${(metrics.evalAccuracy as number).toFixed(3)}` : ""}`);
            last = metrics;
            if (run.checkpointDue(step)) {
                const adam = optimizer.getState();
                await run.saveCheckpoint({
                    config: model.config, params: model.paramMap(),
                    tensors: new Map([["adamw.m", adam.m], ["adamw.v", adam.v], ...head.state("head")]),
                    state: {step, seed: hp.seed, dataPosition: sampler.position(step), initialEvalAccuracy, skipped: skipped.summary()},
                    extra: {seed: hp.seed, kind: "bradley-terry", parent: options.model}
                });
            }
            run.throwIfAborted(step);
        }
    } catch (e) {
        run.close();
        throw e;
    }
    if (last == null) last = run.dir.readLines<StepMetrics>("metrics.jsonl").filter((m) => m.step === step && m.loss != null).pop();
    const modelDir = join(run.dir.dir, "model");
    await saveFinalModel(modelDir, {config: model.config, params: model.paramMap()},
        {seed: hp.seed, step, kind: "bradley-terry", head: SCORE_HEAD, parent: options.model}, {headTensors: head.exportTensors(SCORE_HEAD)});
    const result: BradleyTerryTrainResult = {
        runDir: run.dir.dir, modelDir, steps: step,
        metrics: {
            loss: (last?.loss as number) ?? NaN,
            evalLoss: (last?.evalLoss as number | undefined) ?? null,
            evalAccuracy: (last?.evalAccuracy as number | undefined) ?? null,
            initialEvalAccuracy
        },
        skipped: {badRows: skipped.bad.count, overlong: skipped.overlong.count}
    };
    run.dir.writeJson("scores.json", {...result.metrics, steps: step, skipped: skipped.summary()});
    run.close(`done: ${step} steps`);
    return result;
}

/** −log σ(Δ), stable for large |Δ|. */
function softplusNeg(delta: number): number {
    return delta > 0 ? Math.log1p(Math.exp(-delta)) : -delta + Math.log1p(Math.exp(delta));
}

/** Forward + backward of the mean pairwise loss over `pairs` (its share of a batch of `batchPairs`). */
function pairwiseStep(model: NativeModel, head: ScalarHead, pairs: readonly TokenPair[], batchPairs: number): {loss: number, correct: number, tokens: number} {
    const seqs = pairs.flatMap((p) => [p.chosen, p.rejected]);
    const r = model.forward(seqs, {grad: true, logits: false});
    const hiddenGrads = new Float32Array(r.hidden.length);
    let loss = 0, correct = 0;
    pairs.forEach((_, k) => {
        const rc = r.rowStarts[2 * k] + r.lengths[2 * k] - 1, rr = r.rowStarts[2 * k + 1] + r.lengths[2 * k + 1] - 1;
        const delta = head.score(r.hidden, rc) - head.score(r.hidden, rr);
        loss += softplusNeg(delta) / batchPairs;
        if (delta > 0) correct++;
        const g = -1 / (1 + Math.exp(delta)) / batchPairs; // d/dΔ of −log σ(Δ)
        head.backward(r.hidden, rc, g, hiddenGrads);
        head.backward(r.hidden, rr, -g, hiddenGrads);
    });
    model.backward({hiddenGrads});
    return {loss, correct, tokens: r.rows};
}

/** Held-out pairwise loss and accuracy P(s_chosen > s_rejected). */
export function evaluatePairs(model: NativeModel, head: ScalarHead, pairs: readonly TokenPair[], batchPairs: number): {loss: number, accuracy: number} {
    let loss = 0, correct = 0;
    for (let i = 0; i < pairs.length; i += Math.max(1, batchPairs)) {
        const chunk = pairs.slice(i, i + Math.max(1, batchPairs));
        const r = model.forward(chunk.flatMap((p) => [p.chosen, p.rejected]), {logits: false});
        chunk.forEach((_, k) => {
            const delta = head.score(r.hidden, r.rowStarts[2 * k] + r.lengths[2 * k] - 1) - head.score(r.hidden, r.rowStarts[2 * k + 1] + r.lengths[2 * k + 1] - 1);
            loss += softplusNeg(delta);
            if (delta > 0) correct++;
        });
    }
    return {loss: loss / pairs.length, accuracy: correct / pairs.length};
}
