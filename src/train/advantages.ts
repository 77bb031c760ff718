// Advantage estimators for the RL stage (method doc §4.2; verl's `core_algos.py` of the pinned era).
//
// - GRPO: each response's scalar reward is normalised within its prompt group,
//   A_i = (r_i − mean(r)) / (std(r) + eps), std unbiased (N − 1, as torch.std), eps 1e-6, and the
//   value is broadcast to every response token. A group whose rewards are all equal gets exactly
//   zero. A group of one response keeps its raw reward (verl sets mean 0, std 1 for it).
// - "mean-only" (an option the tiny-world calibration suggested): A_i = r_i − mean(r), which does
//   not blow a single outlier in a group of 7 up to ≈ 2.3.
// - GAE for PPO with per-token rewards and values, then verl's whitening of the advantages over
//   every response token of the batch.
import {InvalidInput} from "../errors.js";

/** How GRPO turns group rewards into advantages. */
export type AdvantageNorm = "std" | "mean-only";

/** Options of `groupAdvantages`. */
export interface GroupAdvantageOptions {
    /** `std`: (r − mean)/(std + eps), the reference; `mean-only`: r − mean. Defaults to `"std"`. */
    norm?: AdvantageNorm;
    /** Added to the std. Defaults to `1e-6`. */
    eps?: number;
}

/**
 * Group-normalised advantages. `rewards` holds consecutive groups of `groupSize` responses to the
 * same prompt (length must be a multiple of `groupSize`); returns one advantage per response.
 */
export function groupAdvantages(rewards: ArrayLike<number>, groupSize: number, options: GroupAdvantageOptions = {}): Float64Array {
    const norm = options.norm ?? "std";
    const eps = options.eps ?? 1e-6;
    if (!Number.isInteger(groupSize) || groupSize < 1) throw new InvalidInput(`group size must be a positive integer, got ${groupSize}`, {field: "groupSize"});
    if (rewards.length % groupSize !== 0)
        throw new InvalidInput(`${rewards.length} rewards do not split into groups of ${groupSize}`, {field: "rewards"});
    const out = new Float64Array(rewards.length);
    for (let g0 = 0; g0 < rewards.length; g0 += groupSize) {
        if (groupSize === 1) {
            out[g0] = rewards[g0];
            continue;
        }
        let allEqual = true;
        let sum = 0;
        for (let i = 0; i < groupSize; i++) {
            sum += rewards[g0 + i];
            if (rewards[g0 + i] !== rewards[g0]) allEqual = false;
        }
        if (allEqual) continue; // zero advantage, exactly (no rounding residue from the mean)
        const mean = sum / groupSize;
        let ss = 0;
        for (let i = 0; i < groupSize; i++) ss += (rewards[g0 + i] - mean) ** 2;
        const scale = norm === "std" ? 1 / (Math.sqrt(ss / (groupSize - 1)) + eps) : 1;
        for (let i = 0; i < groupSize; i++) out[g0 + i] = (rewards[g0 + i] - mean) * scale;
    }
    return out;
}

/** How many groups have rewards that are not all equal (the groups that carry a learning signal). */
export function mixedGroups(rewards: ArrayLike<number>, groupSize: number): number {
    let mixed = 0;
    for (let g0 = 0; g0 < rewards.length; g0 += groupSize) {
        for (let i = 1; i < groupSize; i++) {
            if (rewards[g0 + i] !== rewards[g0]) {
                mixed++;
                break;
            }
        }
    }
    return mixed;
}

/**
 * Generalised advantage estimation for one response (verl `compute_gae_advantage_return`):
 * δ_t = r_t + γ·V_{t+1} − V_t with V after the last token = 0, A_t = δ_t + γλ·A_{t+1},
 * returns_t = A_t + V_t. With γ = λ = 1 and the reward on the last token, A_t = R − V_t.
 */
export function gae(rewards: ArrayLike<number>, values: ArrayLike<number>, gamma = 1, lambda = 1): {advantages: Float64Array, returns: Float64Array} {
    const n = rewards.length;
    if (values.length !== n) throw new InvalidInput(`gae: ${n} rewards but ${values.length} values`, {field: "values"});
    const advantages = new Float64Array(n);
    const returns = new Float64Array(n);
    let last = 0;
    for (let t = n - 1; t >= 0; t--) {
        const next = t + 1 < n ? values[t + 1] : 0;
        const delta = rewards[t] + gamma * next - values[t];
        last = delta + gamma * lambda * last;
        advantages[t] = last;
        returns[t] = last + values[t];
    }
    return {advantages, returns};
}

/**
 * Whiten ragged per-token values in place over every token of every sequence (verl
 * `masked_whiten`): (x − mean) / sqrt(var + 1e-8), var unbiased. One token (or none) is left as is.
 */
export function whiten(sequences: Float64Array[]): void {
    let n = 0, sum = 0;
    for (const s of sequences) {
        n += s.length;
        for (let i = 0; i < s.length; i++) sum += s[i];
    }
    if (n < 2) return;
    const mean = sum / n;
    let ss = 0;
    for (const s of sequences) for (let i = 0; i < s.length; i++) ss += (s[i] - mean) ** 2;
    const scale = 1 / Math.sqrt(ss / (n - 1) + 1e-8);
    for (const s of sequences) for (let i = 0; i < s.length; i++) s[i] = (s[i] - mean) * scale;
}
