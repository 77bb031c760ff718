// Log-softmax of logits rows and the gradient of target log-probabilities (the LM loss, GRPO
// ratios and KL all reduce to a per-row weight on log p(target)).
import {vexp, sexp, hsum, hmax} from "./math";

/** log Σ_j exp(l[j]) of one row of V logits: max, then Σ exp(l − max) in four lanes + tail. */
export function logSumExp(l: usize, V: i32): f32 {
    let vm = f32x4.splat(-Infinity);
    let j = 0;
    for (; j + 4 <= V; j += 4) vm = f32x4.pmax(vm, v128.load(l + (<usize>j << 2)));
    let m = hmax(vm);
    for (; j < V; j++) m = max<f32>(m, load<f32>(l + (<usize>j << 2)));
    const vmax = f32x4.splat(m);
    let acc = f32x4.splat(0);
    j = 0;
    for (; j + 4 <= V; j += 4) acc = f32x4.add(acc, vexp(f32x4.sub(v128.load(l + (<usize>j << 2)), vmax)));
    let s = hsum(acc);
    for (; j < V; j++) s += sexp(load<f32>(l + (<usize>j << 2)) - m);
    return m + Mathf.log(s);
}

/**
 * Rows [r0, r1) of logits [rows, V] (row stride V): lse[row] = logsumexp, and
 * logp[row] = l[target] − lse for target ≥ 0 (else 0).
 */
export function logprobForward(r0: i32, r1: i32, logits: usize, V: i32, targets: usize, lse: usize, logp: usize): void {
    for (let r = r0; r < r1; r++) {
        const l = logits + ((<usize>r * V) << 2);
        const z = logSumExp(l, V);
        store<f32>(lse + (<usize>r << 2), z);
        const t = load<i32>(targets + (<usize>r << 2));
        store<f32>(logp + (<usize>r << 2), t >= 0 ? load<f32>(l + (<usize>t << 2)) - z : 0);
    }
}

/**
 * Rows [r0, r1): replace logits in place by d(Σ_rows g[row]·logp[row])/dlogits =
 * g·(onehot(target) − softmax). Rows with no target or g = 0 become zero.
 */
export function logprobBackward(r0: i32, r1: i32, logits: usize, V: i32, targets: usize, lse: usize, g: usize): void {
    for (let r = r0; r < r1; r++) {
        const l = logits + ((<usize>r * V) << 2);
        const t = load<i32>(targets + (<usize>r << 2));
        const gr = load<f32>(g + (<usize>r << 2));
        if (t < 0 || gr == 0) {
            memory.fill(l, 0, <usize>V << 2);
            continue;
        }
        const z = load<f32>(lse + (<usize>r << 2));
        const vz = f32x4.splat(z), vg = f32x4.splat(-gr);
        let j = 0;
        for (; j + 4 <= V; j += 4) {
            const p = l + (<usize>j << 2);
            v128.store(p, f32x4.mul(vg, vexp(f32x4.sub(v128.load(p), vz))));
        }
        for (; j < V; j++) {
            const p = l + (<usize>j << 2);
            store<f32>(p, -gr * sexp(load<f32>(p) - z));
        }
        const pt = l + (<usize>t << 2);
        store<f32>(pt, load<f32>(pt) + gr);
    }
}
