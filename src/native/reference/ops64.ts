// Float64 reference implementations of every native-model op, forward and backward, written as
// plainly as possible. They are the oracle the WebAssembly kernels are tested against (and are
// themselves checked against finite differences). Layouts match the kernels: row-major, linear
// weights [out, in] as in Hugging Face.

export type F64 = Float64Array;

/** y[M,N] = x[M,K] · w[N,K]ᵀ (a linear layer). */
export function linear64(x: F64, w: F64, M: number, K: number, N: number): F64 {
    const y = new Float64Array(M * N);
    for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
            let s = 0;
            for (let k = 0; k < K; k++) s += x[i * K + k] * w[j * K + k];
            y[i * N + j] = s;
        }
    }
    return y;
}

/** Gradients of `linear64`: dx[M,K] = dy·w, dw[N,K] = dyᵀ·x. */
export function linearBackward64(x: F64, w: F64, dy: F64, M: number, K: number, N: number): {dx: F64, dw: F64} {
    const dx = new Float64Array(M * K), dw = new Float64Array(N * K);
    for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
            const g = dy[i * N + j];
            if (g === 0) continue;
            for (let k = 0; k < K; k++) {
                dx[i * K + k] += g * w[j * K + k];
                dw[j * K + k] += g * x[i * K + k];
            }
        }
    }
    return {dx, dw};
}

/** RMSNorm per row of d: y = x / sqrt(mean(x²) + eps) · w. */
export function rmsnorm64(x: F64, w: F64, rows: number, d: number, eps: number): F64 {
    const y = new Float64Array(rows * d);
    for (let r = 0; r < rows; r++) {
        let ss = 0;
        for (let i = 0; i < d; i++) ss += x[r * d + i] ** 2;
        const rs = 1 / Math.sqrt(ss / d + eps);
        for (let i = 0; i < d; i++) y[r * d + i] = x[r * d + i] * rs * w[i];
    }
    return y;
}

export function rmsnormBackward64(x: F64, w: F64, dy: F64, rows: number, d: number, eps: number): {dx: F64, dw: F64} {
    const dx = new Float64Array(rows * d), dw = new Float64Array(d);
    for (let r = 0; r < rows; r++) {
        let ss = 0;
        for (let i = 0; i < d; i++) ss += x[r * d + i] ** 2;
        const rs = 1 / Math.sqrt(ss / d + eps);
        let c = 0;
        for (let i = 0; i < d; i++) c += dy[r * d + i] * w[i] * x[r * d + i] * rs;
        c /= d;
        for (let i = 0; i < d; i++) {
            const xh = x[r * d + i] * rs;
            dx[r * d + i] = rs * (dy[r * d + i] * w[i] - xh * c);
            dw[i] += dy[r * d + i] * xh;
        }
    }
    return {dx, dw};
}

/** cos/sin tables [maxPos, hd/2] for RoPE with base theta. */
export function ropeTables64(maxPos: number, hd: number, theta: number): {cos: F64, sin: F64} {
    const half = hd / 2;
    const cos = new Float64Array(maxPos * half), sin = new Float64Array(maxPos * half);
    for (let p = 0; p < maxPos; p++) {
        for (let i = 0; i < half; i++) {
            const a = p * theta ** (-(2 * i) / hd);
            cos[p * half + i] = Math.cos(a);
            sin[p * half + i] = Math.sin(a);
        }
    }
    return {cos, sin};
}

/**
 * Rotate nHeads heads of width hd (from column 0, row stride ld) of each row at pos[row]
 * (rotate_half convention); `inverse` rotates backwards (the gradient). Returns a copy.
 */
export function rope64(x: F64, rows: number, ld: number, nHeads: number, hd: number, pos: ArrayLike<number>, cos: F64, sin: F64, inverse = false): F64 {
    const y = Float64Array.from(x);
    const half = hd / 2, sgn = inverse ? -1 : 1;
    for (let r = 0; r < rows; r++) {
        const p = pos[r];
        if (p < 0) continue;
        for (let h = 0; h < nHeads; h++) {
            for (let i = 0; i < half; i++) {
                const o = r * ld + h * hd + i;
                const a = x[o], b = x[o + half];
                const c = cos[p * half + i], s = sgn * sin[p * half + i];
                y[o] = a * c - b * s;
                y[o + half] = b * c + a * s;
            }
        }
    }
    return y;
}

/** Shapes of a fused attention call: qkv rows [B·T, ldq] with q heads, then k heads, then v heads. */
export interface Attention64Shape {
    B: number;
    T: number;
    nH: number;
    nKv: number;
    hd: number;
    lens: ArrayLike<number>;
}

/** Causal attention: out [B·T, nH·hd]; rows past a sequence's length are zero. */
export function attention64(qkv: F64, s: Attention64Shape): F64 {
    const {B, T, nH, nKv, hd, lens} = s;
    const ldq = (nH + 2 * nKv) * hd, ldo = nH * hd, group = nH / nKv, scale = 1 / Math.sqrt(hd);
    const out = new Float64Array(B * T * ldo);
    for (let b = 0; b < B; b++) {
        for (let h = 0; h < nH; h++) {
            const g = Math.floor(h / group);
            for (let i = 0; i < lens[b]; i++) {
                const sc = new Float64Array(i + 1);
                let m = -Infinity;
                for (let j = 0; j <= i; j++) {
                    let d = 0;
                    for (let c = 0; c < hd; c++) d += qkv[(b * T + i) * ldq + h * hd + c] * qkv[(b * T + j) * ldq + (nH + g) * hd + c];
                    sc[j] = d * scale;
                    m = Math.max(m, sc[j]);
                }
                let z = 0;
                for (let j = 0; j <= i; j++) z += Math.exp(sc[j] - m);
                for (let j = 0; j <= i; j++) {
                    const p = Math.exp(sc[j] - m) / z;
                    for (let c = 0; c < hd; c++) out[(b * T + i) * ldo + h * hd + c] += p * qkv[(b * T + j) * ldq + (nH + nKv + g) * hd + c];
                }
            }
        }
    }
    return out;
}

/** Gradient of `attention64` with respect to qkv, given dout. */
export function attentionBackward64(qkv: F64, dout: F64, s: Attention64Shape): F64 {
    const {B, T, nH, nKv, hd, lens} = s;
    const ldq = (nH + 2 * nKv) * hd, ldo = nH * hd, group = nH / nKv, scale = 1 / Math.sqrt(hd);
    const dqkv = new Float64Array(qkv.length);
    for (let b = 0; b < B; b++) {
        for (let h = 0; h < nH; h++) {
            const g = Math.floor(h / group);
            const q = (i: number, c: number) => (b * T + i) * ldq + h * hd + c;
            const k = (j: number, c: number) => (b * T + j) * ldq + (nH + g) * hd + c;
            const v = (j: number, c: number) => (b * T + j) * ldq + (nH + nKv + g) * hd + c;
            for (let i = 0; i < lens[b]; i++) {
                const p = new Float64Array(i + 1);
                let m = -Infinity;
                for (let j = 0; j <= i; j++) {
                    let d = 0;
                    for (let c = 0; c < hd; c++) d += qkv[q(i, c)] * qkv[k(j, c)];
                    p[j] = d * scale;
                    m = Math.max(m, p[j]);
                }
                let z = 0;
                for (let j = 0; j <= i; j++) z += (p[j] = Math.exp(p[j] - m));
                for (let j = 0; j <= i; j++) p[j] /= z;
                const dp = new Float64Array(i + 1);
                let dsum = 0;
                for (let j = 0; j <= i; j++) {
                    for (let c = 0; c < hd; c++) dp[j] += dout[(b * T + i) * ldo + h * hd + c] * qkv[v(j, c)];
                    dsum += dp[j] * p[j];
                }
                for (let j = 0; j <= i; j++) {
                    const ds = p[j] * (dp[j] - dsum) * scale;
                    for (let c = 0; c < hd; c++) {
                        dqkv[q(i, c)] += ds * qkv[k(j, c)];
                        dqkv[k(j, c)] += ds * qkv[q(i, c)];
                        dqkv[v(j, c)] += p[j] * dout[(b * T + i) * ldo + h * hd + c];
                    }
                }
            }
        }
    }
    return dqkv;
}

/** h = silu(g) · u per row, gu = [g | u] with F columns each. */
export function swiglu64(gu: F64, rows: number, F: number): F64 {
    const h = new Float64Array(rows * F);
    for (let r = 0; r < rows; r++) {
        for (let i = 0; i < F; i++) {
            const g = gu[r * 2 * F + i], u = gu[r * 2 * F + F + i];
            h[r * F + i] = (g / (1 + Math.exp(-g))) * u;
        }
    }
    return h;
}

export function swigluBackward64(gu: F64, dh: F64, rows: number, F: number): F64 {
    const dgu = new Float64Array(rows * 2 * F);
    for (let r = 0; r < rows; r++) {
        for (let i = 0; i < F; i++) {
            const g = gu[r * 2 * F + i], u = gu[r * 2 * F + F + i], d = dh[r * F + i];
            const sig = 1 / (1 + Math.exp(-g));
            dgu[r * 2 * F + F + i] = d * g * sig;
            dgu[r * 2 * F + i] = d * u * sig * (1 + g * (1 - sig));
        }
    }
    return dgu;
}

/** Row r of logits [rows, V]: its max m and z = Σ_j exp(logits[r, j] − m), so log softmax = x − m − log z. */
function rowSoftmaxParts(logits: F64, r: number, V: number): {m: number, z: number} {
    let m = -Infinity;
    for (let j = 0; j < V; j++) m = Math.max(m, logits[r * V + j]);
    let z = 0;
    for (let j = 0; j < V; j++) z += Math.exp(logits[r * V + j] - m);
    return {m, z};
}

/** log p(target) per row of logits [rows, V]; 0 where target < 0. */
export function logprob64(logits: F64, rows: number, V: number, targets: ArrayLike<number>): F64 {
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
        if (targets[r] < 0) continue;
        const {m, z} = rowSoftmaxParts(logits, r, V);
        out[r] = logits[r * V + targets[r]] - m - Math.log(z);
    }
    return out;
}

/** d(Σ g[r]·logp[r])/dlogits. */
export function logprobBackward64(logits: F64, rows: number, V: number, targets: ArrayLike<number>, g: ArrayLike<number>): F64 {
    const d = new Float64Array(rows * V);
    for (let r = 0; r < rows; r++) {
        if (targets[r] < 0) continue;
        const {m, z} = rowSoftmaxParts(logits, r, V);
        for (let j = 0; j < V; j++) d[r * V + j] = -g[r] * Math.exp(logits[r * V + j] - m) / z;
        d[r * V + targets[r]] += g[r];
    }
    return d;
}

/** One AdamW step in place (torch.optim.AdamW semantics); t is the 1-based step. */
export function adamw64(p: F64, g: F64, m: F64, v: F64, t: number, o: {lr: number, beta1: number, beta2: number, eps: number, weightDecay: number}): void {
    const bc1 = 1 - o.beta1 ** t, bc2 = 1 - o.beta2 ** t;
    for (let i = 0; i < p.length; i++) {
        p[i] *= 1 - o.lr * o.weightDecay;
        m[i] = o.beta1 * m[i] + (1 - o.beta1) * g[i];
        v[i] = o.beta2 * v[i] + (1 - o.beta2) * g[i] * g[i];
        p[i] -= (o.lr / bc1) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + o.eps);
    }
}
