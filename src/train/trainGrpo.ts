// The RL stage of RM-R1 (method doc §3, §4): GRPO with the verifiable +1/−1 reward, or PPO with a
// critic, on judge prompts.
//
// One step: B prompts; n rollouts each from the current policy; reward = `rlReward` (the reference's
// tail-80 tagged-verdict check); advantages (GRPO: group-normalised; PPO: GAE with γ = λ = 1 on the
// critic's values, whitened); old-policy log-probabilities from the trainer's own forward pass;
// reference log-probabilities from a frozen copy of the starting model; then for each mini-batch of
// prompts, micro-batches of responses accumulate the gradient of the clipped surrogate (ε 0.2,
// token-level mean) plus klCoef · low_var_kl, clipped to norm 1, and AdamW updates with a constant
// learning rate. No entropy bonus. Optionally, every `devEvery` steps a dev set is judged greedily
// and the best checkpoint kept (`best/`), starting with the initial model.
//
// Wanted from src/native (native-core): (1) the exact per-token entropy of the policy's distribution
// from `NativeModel.forward` (the logits are computed there), so the `entropy` metric need not be
// the Monte-Carlo estimate −mean log p(sampled); (2) in `generateTokens`, one prefill shared by the
// n samples of a prompt (copying its KV cache), which would cut rollout prefill by about n×.
import {join} from "node:path";
import {ConfigError, InvalidInput} from "../errors.js";
import {deriveSeed} from "../protocol/rng.js";
import {rlReward} from "../protocol/extractors.js";
import type {ProfileName} from "../protocol/profiles.js";
import type {KernelRuntime} from "../native/kernels/KernelRuntime.js";
import {AdamW} from "../native/model/AdamW.js";
import type {NativeModel} from "../native/model/NativeModel.js";
import {ByteTokenizer} from "../native/tokenizer/ByteTokenizer.js";
import {gae, groupAdvantages, mixedGroups, whiten} from "./advantages.js";
import {EpochSampler} from "./EpochSampler.js";
import {aggregationWeights, clippedValueLoss, policyLoss, type PolicyLossInput} from "./policyLoss.js";
import {getPreset, grpoPresets, type GrpoPreset, type TrainPresetName} from "./presets.js";
import {readRlPrompts, type RlOrder, type RlPrompt} from "./rlData.js";
import {GgufRolloutSampler, type Rollout, type RolloutBackend, type RolloutPrompt, type RolloutSampler} from "./rollouts.js";
import {NativeRolloutSampler} from "./NativeRolloutSampler.js";
import {ScalarHead} from "./ScalarHead.js";
import {constantSchedule, learningRate} from "./schedules.js";
import {TrainRun, type RunOptions, type StepMetrics} from "./TrainRun.js";
import {definedOnly, loadNativeModel, openRuntime, Owned, saveFinalModel, secondsSince, SkippedRows} from "./trainSupport.js";

/** The RL algorithm. */
export type RlAlgorithm = "grpo" | "ppo";

/** Options of `trainGrpo`. Hyper-parameters left out come from the preset. */
export interface GrpoOptions extends RunOptions, Partial<GrpoPreset> {
    /** Checkpoint directory of the starting policy (also the frozen reference model). */
    model: string;
    /** RL prompts: RM-R1 rows `{context_messages, winner}` or preference pairs in any shape the data layer reads. */
    data: string;
    /** `grpo` (the reference) or `ppo` (value-head critic, GAE). Defaults to `"grpo"`. */
    algo?: RlAlgorithm;
    /** `paper` (verl as RM-R1 ran it) or `tiny` (0.87M model on 2 cores). Defaults to `"paper"`. */
    preset?: TrainPresetName;
    /** Stop after this many steps. Defaults to all epochs. */
    maxSteps?: number;
    /** Prompt profile for rendering preference pairs. Defaults to `"tiny"`. */
    profile?: ProfileName;
    /** A/B placement of rendered pairs. Defaults to `"alternate"` (the reference's mix_data.py). */
    order?: RlOrder;
    /** Where rollouts are sampled. Defaults to `"native"`. */
    rollout?: RolloutBackend;
    /** Dev prompts for keep-best checkpointing (same formats as `data`). Defaults to none. */
    devData?: string;
    /** Judge the dev set every N steps (greedy) and keep the best model in `best/`. Defaults to `10`. */
    devEvery?: number;
    /** Most dev prompts used. Defaults to `100`. */
    devMax?: number;
    /** Fail on the first bad or over-long row instead of skipping it. Defaults to `false`. */
    strict?: boolean;
    /** Kernel threads. Defaults to the shared runtime. */
    threads?: number;
    /** Also write `model.gguf` into the final model folder. Defaults to `false`. */
    gguf?: boolean;
}

/** What `trainGrpo` returns. */
export interface GrpoResult {
    runDir: string;
    /** The final policy (`<out>/model`). */
    modelDir: string;
    /** The best policy on the dev set (`<out>/best`), when `devData` was given. */
    bestDir: string | null;
    steps: number;
    metrics: {
        /** Last step; `kl` is NaN without a reference model (klCoef 0). */
        reward: number, accuracy: number, kl: number,
        /** Mean reward over the first and last `min(5, steps/2)` steps. */
        firstReward: number, lastReward: number,
        initialDevAccuracy: number | null, bestDevAccuracy: number | null, bestStep: number | null
    };
    skipped: {badRows: number, overlong: number};
}

const tokenizer = new ByteTokenizer();

interface TokenPrompt extends RlPrompt {
    tokens: Uint16Array;
}

/** One response of a step, with everything the update needs. */
interface Sample {
    prompt: number;
    /** Prompt and response tokens. */
    tokens: Uint16Array;
    promptLength: number;
    responseLength: number;
    reward: number;
    oldLogp: Float32Array;
    refLogp?: Float32Array;
    /** GRPO: one value; PPO: per token. */
    advantages: Float64Array | number;
    /** PPO: critic values and returns per response token. */
    values?: Float32Array;
    returns?: Float64Array;
}

/** Run (or resume) GRPO or PPO. */
export async function trainGrpo(options: GrpoOptions): Promise<GrpoResult> {
    const preset = getPreset(grpoPresets, options.preset ?? "paper");
    const hp: GrpoPreset = {...preset, ...definedOnly(options, Object.keys(preset) as (keyof GrpoPreset)[])};
    const {runtime, close} = await openRuntime(options.threads);
    const owned = new Owned();
    try {
        return await runRl(options, hp, runtime, owned);
    } finally {
        owned.dispose();
        await close();
    }
}

async function readPrompts(source: string, options: GrpoOptions, hp: GrpoPreset, skipped: SkippedRows): Promise<TokenPrompt[]> {
    const out: TokenPrompt[] = [];
    for await (const p of readRlPrompts(source, {profile: options.profile ?? "tiny", order: options.order ?? "alternate", seed: hp.seed, onBadRow: (e, row) => skipped.bad.add(e, row.location)})) {
        const tokens = Uint16Array.from(tokenizer.applyChatTemplate(p.messages, {addGenerationPrompt: true}));
        if (tokens.length > hp.maxPromptTokens) {
            skipped.addOverlong(p.location, `prompt has ${tokens.length} tokens, more than --max-prompt-tokens ${hp.maxPromptTokens}`);
            continue;
        }
        out.push({...p, tokens});
    }
    return out;
}

function validate(hp: GrpoPreset, maxSeqLen: number, algo: string): void {
    for (const k of ["batchSize", "miniBatchSize", "microBatchSize", "groupSize", "maxPromptTokens", "maxResponseTokens", "epochs", "ppoEpochs"] as const) {
        if (!Number.isInteger(hp[k]) || hp[k] < 1) throw new InvalidInput(`'${k}' must be a positive integer, got ${String(hp[k])}`, {field: k});
    }
    if (hp.batchSize % hp.miniBatchSize !== 0)
        throw new InvalidInput(`the batch of ${hp.batchSize} prompts does not split into mini-batches of ${hp.miniBatchSize}`, {field: "miniBatchSize"});
    if (hp.maxPromptTokens + hp.maxResponseTokens > maxSeqLen)
        throw new ConfigError(`max prompt (${hp.maxPromptTokens}) + max response (${hp.maxResponseTokens}) tokens exceed the model's maxSeqLen (${maxSeqLen}); lower --max-prompt-tokens or --max-response-tokens`);
    if (algo !== "grpo" && algo !== "ppo") throw new InvalidInput(`unknown --algo '${algo}'; use grpo or ppo`, {field: "algo"});
    if (!(hp.temperature > 0)) throw new InvalidInput("rollouts need temperature > 0 (sampling); got " + hp.temperature, {field: "temperature"});
    if (!(hp.topP > 0 && hp.topP <= 1)) throw new InvalidInput(`'topP' must be in (0, 1], got ${hp.topP}`, {field: "topP"});
    if (!(hp.klCoef >= 0)) throw new InvalidInput(`'klCoef' must be ≥ 0, got ${hp.klCoef}`, {field: "klCoef"});
}

async function runRl(options: GrpoOptions, hp: GrpoPreset, runtime: KernelRuntime, owned: Owned): Promise<GrpoResult> {
    const algo = options.algo ?? "grpo";
    const policy = owned.add((await loadNativeModel(options.model, runtime)).model);
    validate(hp, policy.config.maxSeqLen, algo);
    const skipped = new SkippedRows(options.strict === true);
    const prompts = await readPrompts(options.data, options, hp, skipped);
    const dev = options.devData != null ? (await readPrompts(options.devData, options, hp, skipped)).slice(0, options.devMax ?? 100) : [];
    if (prompts.length === 0) throw skipped.noneUsable(options.data, "prompts");
    const sampler = new EpochSampler(prompts.length, hp.batchSize, {seed: hp.seed});
    const totalSteps = Math.min(options.maxSteps ?? Infinity, sampler.stepsPerEpoch * hp.epochs);
    const devEvery = options.devEvery ?? 10;
    const rolloutBackend = options.rollout ?? "native";
    const config = {
        model: options.model, data: options.data, algo, preset: options.preset ?? "paper", ...hp, maxSteps: options.maxSteps ?? null, totalSteps,
        profile: options.profile ?? "tiny", order: options.order ?? "alternate", rollout: rolloutBackend,
        devData: options.devData ?? null, devEvery, devMax: options.devMax ?? 100, strict: options.strict === true,
        lrSchedule: constantSchedule(hp.lr), prompts: prompts.length, devPrompts: dev.length,
        checkpointEvery: options.checkpointEvery ?? 50, keepCheckpoints: options.keepCheckpoints ?? 2
    };
    const run = await TrainRun.open(algo, config, {...options, seeds: {seed: hp.seed}, totalSteps});

    // The reference policy is the starting checkpoint, frozen (also on resume).
    const reference = hp.klCoef > 0 ? owned.add(policy.clone()) : undefined;
    const optimizer = owned.add(new AdamW(policy, {lr: hp.lr, beta1: hp.beta1, beta2: hp.beta2, weightDecay: hp.weightDecay}));
    const critic = algo === "ppo" ? owned.add(policy.clone()) : undefined;
    const criticOptimizer = critic != null ? owned.add(new AdamW(critic, {lr: hp.criticLr, beta1: hp.beta1, beta2: hp.beta2, weightDecay: hp.weightDecay})) : undefined;
    const valueHead = critic != null ? ScalarHead.init(policy.config.dModel, deriveSeed(hp.seed, "value-head")) : undefined;
    const rollouts: RolloutSampler = rolloutBackend === "gguf"
        ? new GgufRolloutSampler({contextSize: hp.maxPromptTokens + hp.maxResponseTokens})
        : new NativeRolloutSampler();

    try {
        let step = 0;
        let initialDevAccuracy: number | null = null;
        let best: {accuracy: number, step: number} | null = null;
        const bestDir = join(run.dir.dir, "best");
        const saveBest = async (accuracy: number): Promise<void> => {
            best = {accuracy, step};
            await saveFinalModel(bestDir, {config: policy.config, params: policy.paramMap()},
                {seed: hp.seed, step, kind: algo, parent: options.model, devAccuracy: accuracy});
        };
        if (run.resumed != null) {
            const t = run.resumed.tensors;
            policy.setParams(run.resumed.model.params);
            optimizer.setState({step: run.resumed.state.step, m: t.get("adamw.m")!, v: t.get("adamw.v")!});
            if (critic != null) {
                critic.setParams(new Map(critic.specs.map((s) => [s.name, t.get(`critic.${s.name}`)!])));
                criticOptimizer!.setState({step: run.resumed.state.step, m: t.get("critic.adamw.m")!, v: t.get("critic.adamw.v")!});
                valueHead!.setState(t, "value-head");
            }
            step = run.resumed.state.step;
            initialDevAccuracy = (run.resumed.state.initialDevAccuracy as number | null) ?? null;
            best = (run.resumed.state.best as {accuracy: number, step: number} | null) ?? null;
        } else if (dev.length > 0) {
            initialDevAccuracy = await devAccuracy(rollouts, policy, dev, hp);
            run.logEvent({step: 0, devAccuracy: initialDevAccuracy});
            await saveBest(initialDevAccuracy);
        }

        const saveState = async (): Promise<void> => {
            const adam = optimizer.getState();
            const tensors = new Map<string, Float32Array>([["adamw.m", adam.m], ["adamw.v", adam.v]]);
            if (critic != null) {
                for (const [name, data] of critic.paramMap()) tensors.set(`critic.${name}`, data);
                const cs = criticOptimizer!.getState();
                tensors.set("critic.adamw.m", cs.m);
                tensors.set("critic.adamw.v", cs.v);
                for (const [name, data] of valueHead!.state("value-head")) tensors.set(name, data);
            }
            await run.saveCheckpoint({
                config: policy.config, params: policy.paramMap(), tensors,
                state: {step, seed: hp.seed, dataPosition: sampler.position(step), initialDevAccuracy, best, skipped: skipped.summary()},
                extra: {seed: hp.seed, kind: algo, parent: options.model}
            });
        };

        while (step < totalSteps) {
            const t0 = performance.now();
            const batch = sampler.batch(step).map((i) => prompts[i]);
            const lr = learningRate(config.lrSchedule, step);

            // 1. Rollouts from the current policy.
            const rolloutPrompts: RolloutPrompt[] = batch.map((p) => ({messages: p.messages, tokens: p.tokens}));
            const sampled = await rollouts.sample(policy, rolloutPrompts, {
                n: hp.groupSize, temperature: hp.temperature, topP: hp.topP, maxNewTokens: hp.maxResponseTokens, seed: deriveSeed(hp.seed, `rollout-${step}`)
            });
            const rolloutSeconds = secondsSince(t0);

            // 2. Rewards.
            const t1 = performance.now();
            const samples: Sample[] = [];
            let correct = 0, formatFailures = 0, truncated = 0;
            const rolloutLines: Record<string, unknown>[] = [];
            batch.forEach((p, i) => sampled[i].forEach((r: Rollout) => {
                const text = tokenizer.decode(r.tokens);
                const reward = rlReward(text, p.label);
                rolloutLines.push({step: step + 1, id: p.id, prompt: p.messages, label: p.label, text, reward, truncated: r.truncated});
                if (reward === 1) correct++;
                if (rlReward(text, "model_a") === -1 && rlReward(text, "model_b") === -1) formatFailures++;
                if (r.truncated) truncated++;
                const tokens = new Uint16Array(p.tokens.length + r.tokens.length);
                tokens.set(p.tokens);
                tokens.set(r.tokens, p.tokens.length);
                samples.push({prompt: i, tokens, promptLength: p.tokens.length, responseLength: r.tokens.length, reward, oldLogp: new Float32Array(0), advantages: 0});
            }));

            // 3. Old-policy and reference log-probabilities, critic values.
            responseLogprobs(policy, samples, hp.microBatchSize, (s, lp) => (s.oldLogp = lp));
            if (reference != null) responseLogprobs(reference, samples, hp.microBatchSize, (s, lp) => (s.refLogp = lp));
            if (critic != null) responseValues(critic, valueHead!, samples, hp.microBatchSize);

            // 4. Advantages.
            const rewards = samples.map((s) => s.reward);
            if (algo === "grpo") {
                const adv = groupAdvantages(rewards, hp.groupSize, {norm: hp.advantageNorm});
                samples.forEach((s, k) => (s.advantages = adv[k]));
            } else {
                const advs = samples.map((s) => {
                    const tokenRewards = new Float64Array(s.responseLength);
                    tokenRewards[s.responseLength - 1] = s.reward;
                    const r = gae(tokenRewards, s.values!, 1, 1);
                    s.returns = r.returns;
                    return r.advantages;
                });
                whiten(advs);
                samples.forEach((s, k) => (s.advantages = advs[k]));
            }
            const logprobSeconds = secondsSince(t1);

            // 5. Updates: mini-batches of prompts, micro-batches of responses.
            const t2 = performance.now();
            const acc = {loss: 0, pg: 0, kl: 0, clipped: 0, tokens: 0, approxKl: 0, gradNorm: 0, updates: 0, valueLoss: 0, valueClipped: 0, criticGradNorm: 0};
            const perMini = hp.miniBatchSize * hp.groupSize;
            for (let epoch = 0; epoch < hp.ppoEpochs; epoch++) {
                for (let m0 = 0; m0 < samples.length; m0 += perMini) {
                    const mini = samples.slice(m0, m0 + perMini);
                    const weights = aggregationWeights(mini.map((s) => s.responseLength), hp.aggregation);
                    policy.zeroGrad();
                    for (let u0 = 0; u0 < mini.length; u0 += hp.microBatchSize) {
                        const micro = mini.slice(u0, u0 + hp.microBatchSize);
                        const r = policy.forward(micro.map((s) => s.tokens), {grad: true});
                        const inputs: PolicyLossInput[] = micro.map((s, b) => ({
                            logp: responseSlice(r.logprobs, r.rowStarts[b], s), oldLogp: s.oldLogp, refLogp: s.refLogp,
                            advantages: s.advantages, weight: weights[u0 + b]
                        }));
                        const loss = policyLoss(inputs, {clip: hp.clip, klCoef: hp.klCoef});
                        const g = new Float32Array(r.rows);
                        micro.forEach((s, b) => g.set(loss.grads[b], r.rowStarts[b] + s.promptLength));
                        policy.backward({logprobGrads: g});
                        acc.loss += loss.loss;
                        acc.pg += loss.pgLoss;
                        acc.kl += loss.kl;
                        acc.clipped += loss.clippedTokens;
                        acc.tokens += loss.tokens;
                        acc.approxKl += loss.approxKlSum;
                    }
                    acc.gradNorm += policy.clipGradNorm(hp.gradClip);
                    optimizer.step(lr);
                    acc.updates++;
                    if (critic != null) {
                        const v = criticUpdate(critic, criticOptimizer!, valueHead!, mini, weights, hp);
                        acc.valueLoss += v.loss;
                        acc.valueClipped += v.clipped;
                        acc.criticGradNorm += v.gradNorm;
                    }
                }
            }
            const updateSeconds = secondsSince(t2);
            step++;
            const responseTokens = samples.reduce((n, s) => n + s.responseLength, 0);
            const allTokens = samples.reduce((n, s) => n + s.tokens.length, 0);
            const oldLogpSum = samples.reduce((n, s) => n + s.oldLogp.reduce((a, b) => a + b, 0), 0);
            const seconds = secondsSince(t0);
            const metrics: StepMetrics = {
                step, epoch: sampler.epochOf(step - 1),
                reward: mean(rewards), accuracy: correct / samples.length, formatFailure: formatFailures / samples.length,
                mixedGroups: algo === "grpo" ? mixedGroups(rewards, hp.groupSize) / batch.length : null,
                // Each mini-batch's loss is a mean over its tokens; report their mean over the updates.
                loss: acc.loss / Math.max(1, acc.updates), pgLoss: acc.pg / Math.max(1, acc.updates), kl: reference != null ? acc.kl / Math.max(1, acc.updates) : null,
                clipFraction: acc.clipped / Math.max(1, acc.tokens), approxKl: acc.approxKl / Math.max(1, acc.tokens),
                // Monte-Carlo entropy: at temperature 1 / top-p 1 the sampled tokens come from the policy, so −mean log p estimates H.
                entropy: -oldLogpSum / Math.max(1, responseTokens),
                responseLength: responseTokens / samples.length, truncated: truncated / samples.length,
                lr, gradNorm: acc.gradNorm / Math.max(1, acc.updates),
                ...(critic != null ? {valueLoss: acc.valueLoss / Math.max(1, acc.updates), valueClipFraction: acc.valueClipped / Math.max(1, acc.tokens), criticGradNorm: acc.criticGradNorm / Math.max(1, acc.updates)} : {}),
                rolloutSeconds, logprobSeconds, updateSeconds, seconds,
                tokensPerSecond: allTokens * hp.ppoEpochs / updateSeconds, rolloutTokensPerSecond: responseTokens / rolloutSeconds
            };
            if (dev.length > 0 && (step % devEvery === 0 || step === totalSteps)) {
                metrics.devAccuracy = await devAccuracy(rollouts, policy, dev, hp);
                if (best == null || (metrics.devAccuracy as number) > (best as {accuracy: number}).accuracy) await saveBest(metrics.devAccuracy as number);
            }
            run.logRollouts(rolloutLines);
            run.logStep(metrics, `reward ${(metrics.reward as number).toFixed(3)}${metrics.kl != null ? ` kl ${(metrics.kl as number).toFixed(4)}` : ""}`);
            if (run.checkpointDue(step)) await saveState();
            run.throwIfAborted(step);
        }
        const modelDir = join(run.dir.dir, "model");
        await saveFinalModel(modelDir, {config: policy.config, params: policy.paramMap()}, {seed: hp.seed, step, kind: algo, parent: options.model}, {gguf: options.gguf});
        const lines = run.dir.readLines<StepMetrics>("metrics.jsonl").filter((m) => m.reward != null);
        const k = Math.max(1, Math.min(5, Math.floor(lines.length / 2)));
        const last = lines[lines.length - 1];
        const finalBest = best as {accuracy: number, step: number} | null;
        const result: GrpoResult = {
            runDir: run.dir.dir, modelDir, bestDir: dev.length > 0 ? bestDir : null, steps: step,
            metrics: {
                reward: (last?.reward as number) ?? NaN, accuracy: (last?.accuracy as number) ?? NaN, kl: (last?.kl as number) ?? NaN,
                firstReward: mean(lines.slice(0, k).map((m) => m.reward as number)), lastReward: mean(lines.slice(-k).map((m) => m.reward as number)),
                initialDevAccuracy, bestDevAccuracy: finalBest?.accuracy ?? null, bestStep: finalBest?.step ?? null
            },
            skipped: {badRows: skipped.bad.count, overlong: skipped.overlong.count}
        };
        run.dir.writeJson("scores.json", {...result.metrics, steps: step, skipped: skipped.summary()});
        run.close(`done: ${step} steps`);
        return result;
    } catch (e) {
        run.close();
        throw e;
    } finally {
        await rollouts.close();
    }
}

function mean(xs: readonly number[]): number {
    return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The response part of a forward pass's per-token log-probs for one sample. */
function responseSlice(logprobs: Float32Array, rowStart: number, s: Sample): Float32Array {
    return logprobs.subarray(rowStart + s.promptLength, rowStart + s.promptLength + s.responseLength);
}

/** Log-probabilities of every sample's response tokens under `model` (no gradients). */
function responseLogprobs(model: NativeModel, samples: Sample[], microBatchSize: number, set: (s: Sample, lp: Float32Array) => void): void {
    for (let i = 0; i < samples.length; i += microBatchSize) {
        const micro = samples.slice(i, i + microBatchSize);
        const r = model.logprobs(micro.map((s) => s.tokens));
        micro.forEach((s, b) => set(s, Float32Array.from(responseSlice(r.logprobs, r.rowStarts[b], s))));
    }
}

/** PPO: the critic's value of the state before each response token (verl reads values[-R-1:-1]). */
function responseValues(critic: NativeModel, head: ScalarHead, samples: Sample[], microBatchSize: number): void {
    for (let i = 0; i < samples.length; i += microBatchSize) {
        const micro = samples.slice(i, i + microBatchSize);
        const r = critic.forward(micro.map((s) => s.tokens), {logits: false});
        micro.forEach((s, b) => {
            const v = new Float32Array(s.responseLength);
            for (let t = 0; t < s.responseLength; t++) v[t] = head.score(r.hidden, r.rowStarts[b] + s.promptLength - 1 + t);
            s.values = v;
        });
    }
}

/** PPO: one critic update on a mini-batch (clipped value loss, token-level mean). */
function criticUpdate(critic: NativeModel, optimizer: AdamW, head: ScalarHead, mini: Sample[], weights: Float64Array, hp: GrpoPreset): {loss: number, clipped: number, gradNorm: number} {
    critic.zeroGrad();
    head.zeroGrad();
    let loss = 0, clipped = 0;
    for (let u0 = 0; u0 < mini.length; u0 += hp.microBatchSize) {
        const micro = mini.slice(u0, u0 + hp.microBatchSize);
        const r = critic.forward(micro.map((s) => s.tokens), {grad: true, logits: false});
        const hiddenGrads = new Float32Array(r.hidden.length);
        micro.forEach((s, b) => {
            const w = weights[u0 + b];
            for (let t = 0; t < s.responseLength; t++) {
                const row = r.rowStarts[b] + s.promptLength - 1 + t;
                const v = clippedValueLoss(head.score(r.hidden, row), s.values![t], s.returns![t], hp.valueClip);
                loss += w * v.loss;
                if (v.clipped) clipped++;
                if (v.grad !== 0) head.backward(r.hidden, row, w * v.grad, hiddenGrads);
            }
        });
        critic.backward({hiddenGrads});
    }
    const gradNorm = Math.sqrt(critic.gradNorm() ** 2 + head.gradSquares());
    const coef = hp.gradClip / (gradNorm + 1e-6);
    if (coef < 1) {
        critic.scaleGrads(coef);
        head.scaleGrads(coef);
    }
    optimizer.step(hp.criticLr);
    head.step(hp.criticLr, hp);
    return {loss, clipped, gradNorm};
}

/** Dev accuracy: one greedy response per prompt, correct when `rlReward` gives +1. */
async function devAccuracy(rollouts: RolloutSampler, policy: NativeModel, dev: readonly TokenPrompt[], hp: GrpoPreset): Promise<number> {
    const sampled = await rollouts.sample(policy, dev.map((p) => ({messages: p.messages, tokens: p.tokens})), {
        n: 1, temperature: 0, topP: 1, maxNewTokens: hp.maxResponseTokens, seed: 0
    });
    let correct = 0;
    dev.forEach((p, i) => {
        if (rlReward(tokenizer.decode(sampled[i][0].tokens), p.label) === 1) correct++;
    });
    return correct / dev.length;
}
