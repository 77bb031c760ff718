// RMSNorm as in Hugging Face Llama: y = (x · rsqrt(mean(x²) + eps)) · w, per row of d floats.
import {dot, hsum} from "./math";

/** Rows [r0, r1): y = (x·rstd)·w and rstd[row] = 1/sqrt(mean(x²) + eps). */
export function rmsnormForward(r0: i32, r1: i32, x: usize, ldx: i32, w: usize, y: usize, ldy: i32, rstd: usize, d: i32, eps: f32): void {
    for (let r = r0; r < r1; r++) {
        const px = x + ((<usize>r * ldx) << 2), py = y + ((<usize>r * ldy) << 2);
        const ss = dot(px, px, d);
        const rs: f32 = <f32>1.0 / Mathf.sqrt(ss / <f32>d + eps);
        store<f32>(rstd + (<usize>r << 2), rs);
        const vr = f32x4.splat(rs);
        let i = 0;
        for (; i + 4 <= d; i += 4) {
            const o = <usize>i << 2;
            v128.store(py + o, f32x4.mul(f32x4.mul(v128.load(px + o), vr), v128.load(w + o)));
        }
        for (; i < d; i++) {
            const o = <usize>i << 2;
            store<f32>(py + o, (load<f32>(px + o) * rs) * load<f32>(w + o));
        }
    }
}

/**
 * Rows [r0, r1): dx += rstd · (g − x̂ · mean(g ⊙ x̂)) with x̂ = x·rstd and g = dy ⊙ w.
 * `dx` is accumulated (it is the residual stream's gradient).
 */
export function rmsnormBackward(r0: i32, r1: i32, dy: usize, lddy: i32, x: usize, ldx: i32, w: usize, rstd: usize, dx: usize, lddx: i32, d: i32): void {
    for (let r = r0; r < r1; r++) {
        const px = x + ((<usize>r * ldx) << 2), pdy = dy + ((<usize>r * lddy) << 2), pdx = dx + ((<usize>r * lddx) << 2);
        const rs = load<f32>(rstd + (<usize>r << 2));
        const vr = f32x4.splat(rs);
        // c = Σ g·x̂ / d
        let acc = f32x4.splat(0);
        let i = 0;
        for (; i + 4 <= d; i += 4) {
            const o = <usize>i << 2;
            acc = f32x4.add(acc, f32x4.mul(f32x4.mul(v128.load(pdy + o), v128.load(w + o)), f32x4.mul(v128.load(px + o), vr)));
        }
        let s = hsum(acc);
        for (; i < d; i++) {
            const o = <usize>i << 2;
            s += (load<f32>(pdy + o) * load<f32>(w + o)) * (load<f32>(px + o) * rs);
        }
        const c = s / <f32>d;
        const vc = f32x4.splat(c);
        i = 0;
        for (; i + 4 <= d; i += 4) {
            const o = <usize>i << 2;
            const g = f32x4.mul(v128.load(pdy + o), v128.load(w + o));
            const xh = f32x4.mul(v128.load(px + o), vr);
            v128.store(pdx + o, f32x4.add(v128.load(pdx + o), f32x4.mul(vr, f32x4.sub(g, f32x4.mul(xh, vc)))));
        }
        for (; i < d; i++) {
            const o = <usize>i << 2;
            const g = load<f32>(pdy + o) * load<f32>(w + o);
            const xh = load<f32>(px + o) * rs;
            store<f32>(pdx + o, load<f32>(pdx + o) + rs * (g - xh * c));
        }
    }
}

/**
 * Columns [c0, c1) of the weight gradient: dw[j] += Σ_rows dy[row, j] · x[row, j] · rstd[row],
 * rows in increasing order (each column owned by one thread, so the split never changes a bit).
 */
export function rmsnormWeightGrad(c0: i32, c1: i32, rows: i32, dy: usize, lddy: i32, x: usize, ldx: i32, rstd: usize, dw: usize): void {
    let j = c0;
    for (; j + 4 <= c1; j += 4) {
        let acc = f32x4.splat(0);
        const o = <usize>j << 2;
        for (let r = 0; r < rows; r++) {
            const vr = v128.load32_splat(rstd + (<usize>r << 2));
            acc = f32x4.add(acc, f32x4.mul(v128.load(dy + ((<usize>r * lddy) << 2) + o), f32x4.mul(v128.load(x + ((<usize>r * ldx) << 2) + o), vr)));
        }
        v128.store(dw + o, f32x4.add(v128.load(dw + o), acc));
    }
    for (; j < c1; j++) {
        let s: f32 = 0;
        const o = <usize>j << 2;
        for (let r = 0; r < rows; r++) {
            s += load<f32>(dy + ((<usize>r * lddy) << 2) + o) * (load<f32>(x + ((<usize>r * ldx) << 2) + o) * load<f32>(rstd + (<usize>r << 2)));
        }
        store<f32>(dw + o, load<f32>(dw + o) + s);
    }
}
