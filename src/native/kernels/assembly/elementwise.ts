// Row-wise and element-wise kernels: SwiGLU, embedding lookup and its gradient, squared norms,
// scaling, and AdamW.
import {vexp, sexp, hsum} from "./math";

/**
 * Rows [r0, r1): h = silu(g) · u, with gu = [g | u] (gate in columns [0, F), up in [F, 2F)),
 * silu(g) = g · σ(g) — Hugging Face `act_fn(gate_proj(x)) * up_proj(x)`.
 */
export function swigluForward(r0: i32, r1: i32, gu: usize, ldgu: i32, h: usize, ldh: i32, F: i32): void {
    const one = f32x4.splat(1);
    const fb = <usize>F << 2;
    for (let r = r0; r < r1; r++) {
        const pg = gu + ((<usize>r * ldgu) << 2), ph = h + ((<usize>r * ldh) << 2);
        let i = 0;
        for (; i + 4 <= F; i += 4) {
            const o = <usize>i << 2;
            const g = v128.load(pg + o);
            const sig = f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(g))));
            v128.store(ph + o, f32x4.mul(f32x4.mul(g, sig), v128.load(pg + fb + o)));
        }
        for (; i < F; i++) {
            const o = <usize>i << 2;
            const g = load<f32>(pg + o);
            const sig = <f32>1 / (<f32>1 + sexp(-g));
            store<f32>(ph + o, (g * sig) * load<f32>(pg + fb + o));
        }
    }
}

/** Rows [r0, r1): dg = dh·u·σ(g)·(1 + g·(1 − σ(g))), du = dh·silu(g), written into dgu = [dg | du]. */
export function swigluBackward(r0: i32, r1: i32, gu: usize, ldgu: i32, dh: usize, lddh: i32, dgu: usize, lddgu: i32, F: i32): void {
    const one = f32x4.splat(1);
    const fb = <usize>F << 2;
    for (let r = r0; r < r1; r++) {
        const pg = gu + ((<usize>r * ldgu) << 2), pdh = dh + ((<usize>r * lddh) << 2), pd = dgu + ((<usize>r * lddgu) << 2);
        let i = 0;
        for (; i + 4 <= F; i += 4) {
            const o = <usize>i << 2;
            const g = v128.load(pg + o), u = v128.load(pg + fb + o), d = v128.load(pdh + o);
            const sig = f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(g))));
            const silu = f32x4.mul(g, sig);
            v128.store(pd + fb + o, f32x4.mul(d, silu));
            const dsilu = f32x4.mul(sig, f32x4.add(one, f32x4.mul(g, f32x4.sub(one, sig))));
            v128.store(pd + o, f32x4.mul(f32x4.mul(d, u), dsilu));
        }
        for (; i < F; i++) {
            const o = <usize>i << 2;
            const g = load<f32>(pg + o), u = load<f32>(pg + fb + o), d = load<f32>(pdh + o);
            const sig = <f32>1 / (<f32>1 + sexp(-g));
            store<f32>(pd + fb + o, d * (g * sig));
            store<f32>(pd + o, (d * u) * (sig * (<f32>1 + g * (<f32>1 - sig))));
        }
    }
}

/** Rows [r0, r1): x[row] = E[tokens[row]] (d floats per row). */
export function embeddingForward(r0: i32, r1: i32, tokens: usize, E: usize, x: usize, d: i32): void {
    const rowBytes = <usize>d << 2;
    for (let r = r0; r < r1; r++) {
        const t = load<i32>(tokens + (<usize>r << 2));
        memory.copy(x + <usize>r * rowBytes, E + <usize>t * rowBytes, rowBytes);
    }
}

/**
 * Columns [c0, c1) of the embedding gradient: dE[tokens[row], c] += dx[row, c] for every row in
 * order (rows with a negative token are skipped). Splitting by column keeps the order fixed.
 */
export function embeddingBackward(c0: i32, c1: i32, rows: i32, tokens: usize, dx: usize, dE: usize, d: i32): void {
    for (let r = 0; r < rows; r++) {
        const t = load<i32>(tokens + (<usize>r << 2));
        if (t < 0) continue;
        const src = dx + ((<usize>r * d) << 2), dst = dE + ((<usize>t * d) << 2);
        let j = c0;
        for (; j + 4 <= c1; j += 4) {
            const o = <usize>j << 2;
            v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
        }
        for (; j < c1; j++) {
            const o = <usize>j << 2;
            store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
        }
    }
}

/** Chunks [k0, k1) of x (n floats in chunks of `chunk`): out[k] = Σ x² over chunk k, as f64. */
export function sumSquares(k0: i32, k1: i32, x: usize, n: i32, chunk: i32, out: usize): void {
    for (let k = k0; k < k1; k++) {
        const start = k * chunk, end = min<i32>(n, start + chunk);
        let acc = f32x4.splat(0);
        let i = start;
        for (; i + 4 <= end; i += 4) {
            const v = v128.load(x + (<usize>i << 2));
            acc = f32x4.add(acc, f32x4.mul(v, v));
        }
        let s = <f64>hsum(acc);
        for (; i < end; i++) {
            const v = <f64>load<f32>(x + (<usize>i << 2));
            s += v * v;
        }
        store<f64>(out + (<usize>k << 3), s);
    }
}

/** Elements [i0, i1): x *= s. */
export function scale(i0: i32, i1: i32, x: usize, s: f32): void {
    const vs = f32x4.splat(s);
    let i = i0;
    for (; i + 4 <= i1; i += 4) {
        const p = x + (<usize>i << 2);
        v128.store(p, f32x4.mul(v128.load(p), vs));
    }
    for (; i < i1; i++) {
        const p = x + (<usize>i << 2);
        store<f32>(p, load<f32>(p) * s);
    }
}

/**
 * Elements [i0, i1) of AdamW, in PyTorch's formulation (torch.optim.AdamW, decoupled decay):
 *   p ← p·(1 − lr·wd);  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
 *   p ← p − (lr/bc1) · m / (sqrt(v)/sqrt(bc2) + eps)   with bc = 1 − β^t.
 * The caller passes stepSize = lr/bc1, decay = 1 − lr·wd and bc2sqrt = sqrt(bc2).
 */
export function adamw(i0: i32, i1: i32, p: usize, g: usize, m: usize, v: usize,
    beta1: f32, beta2: f32, eps: f32, stepSize: f32, decay: f32, bc2sqrt: f32): void {
    const vb1 = f32x4.splat(beta1), vb1c = f32x4.splat(<f32>1 - beta1);
    const vb2 = f32x4.splat(beta2), vb2c = f32x4.splat(<f32>1 - beta2);
    const veps = f32x4.splat(eps), vstep = f32x4.splat(stepSize), vdecay = f32x4.splat(decay), vbc2 = f32x4.splat(bc2sqrt);
    let i = i0;
    for (; i + 4 <= i1; i += 4) {
        const o = <usize>i << 2;
        const gi = v128.load(g + o);
        const mi = f32x4.add(f32x4.mul(v128.load(m + o), vb1), f32x4.mul(gi, vb1c));
        const vi = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(f32x4.mul(gi, gi), vb2c));
        v128.store(m + o, mi);
        v128.store(v + o, vi);
        const denom = f32x4.add(f32x4.div(f32x4.sqrt(vi), vbc2), veps);
        const pi = f32x4.mul(v128.load(p + o), vdecay);
        v128.store(p + o, f32x4.sub(pi, f32x4.mul(vstep, f32x4.div(mi, denom))));
    }
    for (; i < i1; i++) {
        const o = <usize>i << 2;
        const gi = load<f32>(g + o);
        const mi = load<f32>(m + o) * beta1 + gi * (<f32>1 - beta1);
        const vi = load<f32>(v + o) * beta2 + (gi * gi) * (<f32>1 - beta2);
        store<f32>(m + o, mi);
        store<f32>(v + o, vi);
        const denom = Mathf.sqrt(vi) / bc2sqrt + eps;
        store<f32>(p + o, load<f32>(p + o) * decay - stepSize * (mi / denom));
    }
}
