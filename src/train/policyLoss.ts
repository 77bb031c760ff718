// The RL stage's per-token losses and their gradients with respect to the policy's log-probability
// of each response token (the model's backward pass takes exactly that: dL/dlog p per token).
//
// - PPO clipped surrogate (verl `compute_policy_loss`): ratio = exp(logp − logp_old),
//   l = max(−A·ratio, −A·clip(ratio, 1 − ε, 1 + ε)); the gradient is −A·ratio where the unclipped
//   branch is the max and 0 where the clipped one is.
// - `low_var_kl` (verl `kl_penalty`, the k3 estimator): d = clamp(ref − logp, ±20),
//   kl = clamp(exp(d) − d − 1, −10, 10); dkl/dlogp = 1 − exp(d) inside both clamps, else 0.
// - Clipped value loss (verl `compute_value_loss`): ½·max((v − R)², (clip(v, v_old ± c) − R)²).
//
// Aggregation: `aggregationWeights` gives every token of a mini-batch its weight so that
// Σ weight·l is the token-level masked mean over the whole mini-batch (the reference's verl) or
// the paper's Eq. 9 (mean over each response's tokens, then over responses). Computing weights once
// per mini-batch keeps the loss independent of how it is split into micro-batches.
import {InvalidInput} from "../errors.js";

/** How per-token losses are averaged over a mini-batch. */
export type LossAggregation = "token-mean" | "seq-mean";

/** One token's clipped-surrogate loss and its derivative with respect to logp. */
export interface SurrogateTerm {
    loss: number;
    grad: number;
    ratio: number;
    /** Whether the clipped branch was taken (it counts toward the clip fraction). */
    clipped: boolean;
}

/** The PPO clipped surrogate for one token. */
export function clippedSurrogate(logp: number, oldLogp: number, advantage: number, clip = 0.2): SurrogateTerm {
    const ratio = Math.exp(logp - oldLogp);
    const unclipped = -advantage * ratio;
    const clippedRatio = Math.min(Math.max(ratio, 1 - clip), 1 + clip);
    const clippedLoss = -advantage * clippedRatio;
    // torch.max passes the gradient to the larger branch; where they tie both have the same slope.
    if (clippedLoss > unclipped) return {loss: clippedLoss, grad: 0, ratio, clipped: true};
    return {loss: unclipped, grad: -advantage * ratio, ratio, clipped: false};
}

/** The k3 (`low_var_kl`) estimate of KL(π‖π_ref) for one token and its derivative with respect to logp. */
export function lowVarKl(logp: number, refLogp: number): {kl: number, grad: number} {
    const raw = refLogp - logp;
    const d = Math.min(Math.max(raw, -20), 20);
    const e = Math.exp(d);
    const kl = e - d - 1;
    if (kl > 10 || kl < -10) return {kl: Math.min(Math.max(kl, -10), 10), grad: 0};
    if (raw > 20 || raw < -20) return {kl, grad: 0};
    return {kl, grad: 1 - e};
}

/** The clipped value loss for one token and its derivative with respect to the predicted value. */
export function clippedValueLoss(value: number, oldValue: number, ret: number, clip = 0.5): {loss: number, grad: number, clipped: boolean} {
    const clippedValue = Math.min(Math.max(value, oldValue - clip), oldValue + clip);
    const l1 = (value - ret) ** 2;
    const l2 = (clippedValue - ret) ** 2;
    if (l2 > l1) return {loss: 0.5 * l2, grad: 0, clipped: true};
    return {loss: 0.5 * l1, grad: value - ret, clipped: false};
}

/**
 * The weight of each token of each response in a mini-batch: 1/(total tokens) for `token-mean`;
 * 1/(|response| · responses) for `seq-mean`. Empty responses get weight 0.
 */
export function aggregationWeights(lengths: readonly number[], aggregation: LossAggregation): Float64Array {
    const out = new Float64Array(lengths.length);
    if (aggregation === "token-mean") {
        const total = lengths.reduce((a, b) => a + b, 0);
        if (total > 0) out.fill(1 / total);
        return out;
    }
    if (aggregation !== "seq-mean") throw new InvalidInput(`unknown loss aggregation '${String(aggregation)}'; use token-mean or seq-mean`, {field: "aggregation"});
    const nonEmpty = lengths.filter((n) => n > 0).length;
    lengths.forEach((n, i) => {
        out[i] = n > 0 ? 1 / (n * nonEmpty) : 0;
    });
    return out;
}

/** One response as the policy loss sees it: per-token log-probabilities under three policies. */
export interface PolicyLossInput {
    /** log π_θ(token) now, [n]. */
    logp: ArrayLike<number>;
    /** log π_old(token) when the rollout was taken, [n]. */
    oldLogp: ArrayLike<number>;
    /** log π_ref(token) of the frozen reference, [n]; absent when there is no reference model. */
    refLogp?: ArrayLike<number>;
    /** Per-token advantages [n], or one value broadcast to every token (GRPO). */
    advantages: ArrayLike<number> | number;
    /** This response's token weight from `aggregationWeights`. */
    weight: number;
}

/** Options of `policyLoss`. */
export interface PolicyLossOptions {
    /** Clip ε of the ratio. Defaults to `0.2`. */
    clip?: number;
    /** Coefficient of the low_var_kl loss. Defaults to `0.001`. */
    klCoef?: number;
}

/** Sums over a batch of responses (already weighted), and dL/dlogp per token. */
export interface PolicyLossResult {
    /** pg + klCoef·kl, weighted. */
    loss: number;
    pgLoss: number;
    /** Weighted mean low_var_kl (0 without reference log-probs). */
    kl: number;
    /** Clipped tokens and all tokens (for the clip fraction, a plain token mean as in verl). */
    clippedTokens: number;
    tokens: number;
    /** Σ (oldLogp − logp) over tokens: the approximate KL to the rollout policy, summed. */
    approxKlSum: number;
    /** dL/dlogp per token, per response. */
    grads: Float32Array[];
}

/** The GRPO/PPO policy loss over responses: clipped surrogate + klCoef · low_var_kl. */
export function policyLoss(batch: readonly PolicyLossInput[], options: PolicyLossOptions = {}): PolicyLossResult {
    const clip = options.clip ?? 0.2;
    const klCoef = options.klCoef ?? 0.001;
    let pg = 0, kl = 0, clipped = 0, tokens = 0, approxKl = 0;
    const grads: Float32Array[] = [];
    for (const seq of batch) {
        const n = seq.logp.length;
        if (seq.oldLogp.length !== n || (seq.refLogp != null && seq.refLogp.length !== n))
            throw new InvalidInput(`policy loss: log-prob arrays of one response differ in length (${n}, ${seq.oldLogp.length}, ${seq.refLogp?.length})`, {field: "logp"});
        const g = new Float32Array(n);
        for (let t = 0; t < n; t++) {
            const adv = typeof seq.advantages === "number" ? seq.advantages : seq.advantages[t];
            const s = clippedSurrogate(seq.logp[t], seq.oldLogp[t], adv, clip);
            pg += seq.weight * s.loss;
            let grad = seq.weight * s.grad;
            if (s.clipped) clipped++;
            approxKl += seq.oldLogp[t] - seq.logp[t];
            if (seq.refLogp != null) {
                const k = lowVarKl(seq.logp[t], seq.refLogp[t]);
                kl += seq.weight * k.kl;
                grad += klCoef * seq.weight * k.grad;
            }
            g[t] = grad;
        }
        tokens += n;
        grads.push(g);
    }
    return {loss: pg + klCoef * kl, pgLoss: pg, kl, clippedTokens: clipped, tokens, approxKlSum: approxKl, grads};
}
