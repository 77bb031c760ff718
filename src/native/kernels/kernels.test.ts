// Every kernel against the float64 reference ops (src/native/reference/ops64.ts), and every
// reference backward against finite differences, so a wrong hand-written gradient fails twice.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {Rng} from "../../protocol/rng.js";
import {KernelRuntime} from "./KernelRuntime.js";
import type {F32Buffer} from "./WasmHeap.js";
import {
    adamw64, attention64, attentionBackward64, linear64, linearBackward64, logprob64, logprobBackward64,
    rmsnorm64, rmsnormBackward64, rope64, ropeTables64, swiglu64, swigluBackward64
} from "../reference/ops64.js";
import {finiteDifference64, scaledMaxError} from "../reference/gradcheck64.js";

let rt: KernelRuntime;
let rt1: KernelRuntime;
beforeAll(async () => {
    rt = await KernelRuntime.create({threads: 2});
    rt1 = await KernelRuntime.create({threads: 1});
});
afterAll(async () => {
    await rt.close();
    await rt1.close();
});

const rng = new Rng(1234);
/** Random values rounded to f32, so the reference sees exactly the kernel's inputs. */
function rand(n: number, scale = 1): Float64Array {
    return Float64Array.from({length: n}, () => Math.fround(rng.normal() * scale));
}
function up(data: ArrayLike<number>, r = rt): F32Buffer {
    const b = r.f32(data.length);
    b.view.set(data);
    return b;
}
function i32(data: ArrayLike<number>, r = rt) {
    const b = r.i32(data.length);
    b.view.set(data);
    return b;
}
/** Σ w ⊙ y: a scalar loss whose gradient with respect to y is w. */
function weighted(y: ArrayLike<number>, w: ArrayLike<number>): number {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i] * w[i];
    return s;
}
function fdMatches(f: (x: Float64Array) => number, x: Float64Array, grad: ArrayLike<number>, count = 40): void {
    const idx = Array.from({length: Math.min(count, x.length)}, (_, k) => Math.floor((k * x.length) / Math.min(count, x.length)));
    const fd = finiteDifference64(f, x, idx);
    const scale = Math.max(1e-8, ...Array.from(grad, Math.abs));
    for (const [i, v] of fd) expect(Math.abs(v - grad[i]) / scale).toBeLessThan(1e-6);
}

describe("gemm", () => {
    it("matches float64 products in all four layouts, with accumulation and ragged edges", () => {
        for (const [M, N, K] of [[1, 13, 7], [5, 9, 300], [37, 70, 600], [64, 264, 40], [3, 1030, 33], [130, 17, 1100]]) {
            for (const transA of [false, true]) {
                for (const transB of [false, true]) {
                    const A = rand(M * K), B = rand(K * N), C0 = rand(M * N);
                    const accumulate = transA !== transB;
                    const lda = transA ? M : K, ldb = transB ? K : N;
                    const a = up(A), b = up(B), c = up(C0);
                    rt.gemm({M, N, K, a: a.ptr, lda, transA, b: b.ptr, ldb, transB, c: c.ptr, ldc: N, accumulate});
                    const want = new Float64Array(M * N);
                    for (let i = 0; i < M; i++) {
                        for (let j = 0; j < N; j++) {
                            let s = accumulate ? C0[i * N + j] : 0;
                            for (let k = 0; k < K; k++) s += (transA ? A[k * lda + i] : A[i * lda + k]) * (transB ? B[j * ldb + k] : B[k * ldb + j]);
                            want[i * N + j] = s;
                        }
                    }
                    expect(scaledMaxError(c.view, want), `${M}x${N}x${K} tA=${transA} tB=${transB}`).toBeLessThan(2e-6);
                    rt.release(a); rt.release(b); rt.release(c);
                }
            }
        }
    });

    it("gives the same bits on 1 and 2 threads, split by rows or by columns", () => {
        for (const [M, N, K] of [[333, 200, 500], [6, 900, 130]]) {
            const A = rand(M * K), B = rand(N * K);
            const out = [rt, rt1].map((r) => {
                const a = up(A, r), b = up(B, r), c = r.f32(M * N);
                r.gemm({M, N, K, a: a.ptr, lda: K, b: b.ptr, ldb: K, transB: true, c: c.ptr, ldc: N});
                return Float32Array.from(c.view);
            });
            expect(Buffer.from(out[0].buffer).equals(Buffer.from(out[1].buffer))).toBe(true);
        }
    });

    it("float64 linear backward matches finite differences", () => {
        const M = 3, K = 5, N = 4;
        const x = rand(M * K), w = rand(N * K), dy = rand(M * N);
        const {dx, dw} = linearBackward64(x, w, dy, M, K, N);
        fdMatches((v) => weighted(linear64(v, w, M, K, N), dy), x, dx);
        fdMatches((v) => weighted(linear64(x, v, M, K, N), dy), w, dw);
    });
});

describe("rmsnorm", () => {
    const rows = 7, d = 22, eps = 1e-5;
    it("reference backward matches finite differences", () => {
        const x = rand(rows * d), w = rand(d), dy = rand(rows * d);
        const {dx, dw} = rmsnormBackward64(x, w, dy, rows, d, eps);
        fdMatches((v) => weighted(rmsnorm64(v, w, rows, d, eps), dy), x, dx);
        fdMatches((v) => weighted(rmsnorm64(x, v, rows, d, eps), dy), w, dw);
    });

    it("kernels match the reference (forward, dx accumulated, dw accumulated)", () => {
        const x = rand(rows * d), w = rand(d), dy = rand(rows * d), dx0 = rand(rows * d), dw0 = rand(d);
        const bx = up(x), bw = up(w), by = rt.f32(rows * d), rstd = rt.f32(rows), bdy = up(dy), bdx = up(dx0), bdw = up(dw0);
        rt.rmsnormForward(rows, bx.ptr, d, bw.ptr, by.ptr, d, rstd.ptr, d, eps);
        expect(scaledMaxError(by.view, rmsnorm64(x, w, rows, d, eps))).toBeLessThan(1e-6);
        rt.rmsnormBackward(rows, bdy.ptr, d, bx.ptr, d, bw.ptr, rstd.ptr, bdx.ptr, d, d);
        rt.rmsnormWeightGrad(rows, bdy.ptr, d, bx.ptr, d, rstd.ptr, bdw.ptr, d);
        const {dx, dw} = rmsnormBackward64(x, w, dy, rows, d, eps);
        expect(scaledMaxError(bdx.view, dx.map((v, i) => v + dx0[i]))).toBeLessThan(1e-6);
        expect(scaledMaxError(bdw.view, dw.map((v, i) => v + dw0[i]))).toBeLessThan(1e-6);
    });
});

describe("rope", () => {
    const rows = 6, nHeads = 3, hd = 12, ld = 40, maxPos = 16;
    const pos = [0, 1, 5, -1, 15, 2];
    const {cos, sin} = ropeTables64(maxPos, hd, 10000);
    it("reference inverse rotation is the gradient (finite differences)", () => {
        const x = rand(rows * ld), dy = rand(rows * ld);
        const grad = rope64(dy, rows, ld, nHeads, hd, pos, cos, sin, true);
        fdMatches((v) => weighted(rope64(v, rows, ld, nHeads, hd, pos, cos, sin), dy), x, grad);
    });

    it("kernel matches the reference forward and inverse, and skips padding rows", () => {
        const x = rand(rows * ld);
        const bx = up(x), bp = i32(pos), bc = up(Float32Array.from(cos)), bs = up(Float32Array.from(sin));
        rt.rope(rows, bx.ptr, ld, nHeads, hd, bp.ptr, bc.ptr, bs.ptr, false);
        const want = rope64(x, rows, ld, nHeads, hd, pos, Float64Array.from(Float32Array.from(cos)), Float64Array.from(Float32Array.from(sin)));
        expect(scaledMaxError(bx.view, want)).toBeLessThan(1e-6);
        expect(Array.from(bx.view.subarray(3 * ld, 4 * ld))).toEqual(Array.from(Float32Array.from(x.subarray(3 * ld, 4 * ld))));
        rt.rope(rows, bx.ptr, ld, nHeads, hd, bp.ptr, bc.ptr, bs.ptr, true);
        expect(scaledMaxError(bx.view, x)).toBeLessThan(1e-6);
    });
});

describe("attention", () => {
    const shapes = [
        {B: 2, T: 9, nH: 2, nKv: 2, hd: 8, lens: [9, 5]},
        {B: 3, T: 70, nH: 4, nKv: 2, hd: 16, lens: [70, 33, 1]},
        {B: 1, T: 41, nH: 3, nKv: 1, hd: 6, lens: [40]}
    ];
    it("reference backward matches finite differences (with grouped-query heads)", () => {
        const s = {B: 2, T: 5, nH: 4, nKv: 2, hd: 4, lens: [5, 3]};
        const ldq = (s.nH + 2 * s.nKv) * s.hd;
        const qkv = rand(s.B * s.T * ldq), dout = rand(s.B * s.T * s.nH * s.hd);
        const grad = attentionBackward64(qkv, dout, s);
        fdMatches((v) => weighted(attention64(v, s), dout), qkv, grad, 80);
    });

    it("forward and backward kernels match the reference (sequences packed at row starts)", () => {
        for (const s of shapes) {
            // The reference uses a padded [B, T] layout; the kernels see the same rows with the
            // padding rows simply not belonging to any sequence.
            const ldq = (s.nH + 2 * s.nKv) * s.hd, ldo = s.nH * s.hd, M = s.B * s.T;
            const starts = s.lens.map((_, b) => b * s.T);
            const qkv = rand(M * ldq), dout = rand(M * ldo);
            for (let b = 0; b < s.B; b++) dout.fill(0, (b * s.T + s.lens[b]) * ldo, (b + 1) * s.T * ldo);
            const bq = up(qkv), bo = rt.f32(M * ldo), lse = rt.f32(M * s.nH), bs = i32(starts), lens = i32(s.lens), bdo = up(dout), bdq = rt.f32(M * ldq);
            const args = {qkv: bq.ptr, ldq, out: bo.ptr, ldo, lse: lse.ptr, starts: bs.ptr, lens: lens.ptr, nH: s.nH, nKv: s.nKv, hd: s.hd, scale: 1 / Math.sqrt(s.hd)};
            rt.attentionForward(s.B, s.lens, args);
            expect(scaledMaxError(bo.view, attention64(qkv, s))).toBeLessThan(2e-6);
            rt.attentionBackward(s.B, s.lens, {...args, dout: bdo.ptr, dqkv: bdq.ptr, lddq: ldq});
            expect(scaledMaxError(bdq.view, attentionBackward64(qkv, dout, s))).toBeLessThan(5e-6);
        }
    });
});

describe("swiglu", () => {
    const rows = 5, F = 11;
    it("reference backward matches finite differences", () => {
        const gu = rand(rows * 2 * F, 2), dh = rand(rows * F);
        fdMatches((v) => weighted(swiglu64(v, rows, F), dh), gu, swigluBackward64(gu, dh, rows, F));
    });

    it("kernels match the reference", () => {
        const gu = rand(rows * 2 * F, 3), dh = rand(rows * F);
        const bgu = up(gu), bh = rt.f32(rows * F), bdh = up(dh), bdgu = rt.f32(rows * 2 * F);
        rt.swigluForward(rows, bgu.ptr, 2 * F, bh.ptr, F, F);
        expect(scaledMaxError(bh.view, swiglu64(gu, rows, F))).toBeLessThan(1e-6);
        rt.swigluBackward(rows, bgu.ptr, 2 * F, bdh.ptr, F, bdgu.ptr, 2 * F, F);
        expect(scaledMaxError(bdgu.view, swigluBackward64(gu, dh, rows, F))).toBeLessThan(1e-6);
    });
});

describe("log-probabilities (cross-entropy)", () => {
    const rows = 6, V = 37;
    const targets = [3, 0, -1, 36, 12, 5];
    it("reference backward matches finite differences", () => {
        const logits = rand(rows * V, 3), g = rand(rows);
        fdMatches((v) => weighted(logprob64(v, rows, V, targets), g), logits, logprobBackward64(logits, rows, V, targets, g));
    });

    it("kernels match the reference; rows without a target or weight get zero gradient", () => {
        const logits = rand(rows * V, 3), g = rand(rows);
        g[4] = 0;
        const bl = up(logits), bt = i32(targets), lse = rt.f32(rows), lp = rt.f32(rows), bg = up(g);
        rt.logprobForward(rows, bl.ptr, V, bt.ptr, lse.ptr, lp.ptr);
        expect(scaledMaxError(lp.view, logprob64(logits, rows, V, targets))).toBeLessThan(1e-6);
        rt.logprobBackward(rows, bl.ptr, V, bt.ptr, lse.ptr, bg.ptr);
        expect(scaledMaxError(bl.view, logprobBackward64(logits, rows, V, targets, g))).toBeLessThan(1e-6);
        expect(bl.view.subarray(4 * V, 5 * V).every((v) => v === 0)).toBe(true);
    });
});

describe("embedding, AdamW, squared norm", () => {
    it("embedding gather and scatter-add", () => {
        const V = 10, d = 6, rows = 5, tokens = [3, 7, 3, -1, 0];
        const E = rand(V * d), dx = rand(rows * d);
        const bE = up(E), bt = i32(tokens.map((t) => Math.max(t, 0))), bx = rt.f32(rows * d);
        rt.embeddingForward(rows, bt.ptr, bE.ptr, bx.ptr, d);
        expect(Array.from(bx.view.subarray(d, 2 * d))).toEqual(Array.from(Float32Array.from(E.subarray(7 * d, 8 * d))));
        const bdE = rt.f32(V * d), bdx = up(dx), bt2 = i32(tokens);
        rt.embeddingBackward(rows, bt2.ptr, bdx.ptr, bdE.ptr, d);
        const want = new Float64Array(V * d);
        tokens.forEach((t, r) => { if (t >= 0) for (let c = 0; c < d; c++) want[t * d + c] += dx[r * d + c]; });
        expect(scaledMaxError(bdE.view, want)).toBeLessThan(1e-6);
    });

    it("AdamW matches torch.optim.AdamW semantics over several steps", () => {
        const n = 103, o = {lr: 1e-2, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1};
        const p = rand(n), m = new Float64Array(n), v = new Float64Array(n);
        const bp = up(p), bm = rt.f32(n), bv = rt.f32(n);
        for (let t = 1; t <= 5; t++) {
            const g = rand(n);
            const bg = up(g);
            const bc1 = 1 - o.beta1 ** t, bc2 = 1 - o.beta2 ** t;
            rt.adamw(n, bp.ptr, bg.ptr, bm.ptr, bv.ptr, o.beta1, o.beta2, o.eps, o.lr / bc1, 1 - o.lr * o.weightDecay, Math.sqrt(bc2));
            adamw64(p, g, m, v, t, o);
        }
        expect(scaledMaxError(bp.view, p)).toBeLessThan(1e-6);
    });

    it("sum of squares", () => {
        const x = rand(100_003);
        const b = up(x);
        const want = x.reduce((s, v) => s + v * v, 0);
        expect(Math.abs(rt.sumSquares(b.ptr, x.length) - want) / want).toBeLessThan(1e-6);
    });
});
