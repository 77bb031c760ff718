// Causal multi-head attention (grouped-query when nKv < nH), fused: scores, scale, causal mask
// and softmax never leave a per-thread scratch block of RB query rows, so the T² score tensor is
// never written to main memory. The forward pass keeps only lse = log Σ exp per query row; the
// backward pass recomputes the probabilities from it (the FlashAttention recipe).
//
// Layouts. Sequences are packed without padding: token t of sequence b is row starts[b] + t.
// qkv: [rows, ldq]; query head h at column h·hd, key head g at nH·hd + g·hd, value head g at
// (nH + nKv)·hd + g·hd (one fused projection). out/dout: [rows, ldo], head h at h·hd.
// lse: [rows, nH]. A work unit is one (sequence b, kv head g) pair: it owns the key/value columns
// of g and the query heads g·group … g·group + group − 1, so threads never write the same floats.
// T is the longest sequence (it sizes the scratch blocks).
//
// The decode kernel scores one new query per sequence against the K/V cache with the same
// per-element arithmetic (dot products summed over the head dimension in order, the same
// `expRow`, P·V summed over keys in order, then scaled by 1/Σ), so its log-probabilities equal the training
// forward pass bit for bit.
import {vexp, sexp, hsum, hmax, dot} from "./math";
import {packB, gemmPacked, gemvDirect} from "./gemm";

/** Query rows per block. */
const RB: i32 = 32;

// @ts-ignore: decorator
@inline function pad8(n: i32): i32 {
    return (n + 7) & ~7;
}

/** Floats of per-thread scratch for `attentionForward` / `attentionBackward` at length T. */
export function attentionScratchFloats(T: i32, hd: i32): i32 {
    const Tp = pad8(T), hdp = pad8(hd);
    return Tp * (4 * hd + hdp + 2 * RB + 1) + 2 * hdp * RB + 64;
}

/** Floats of per-thread scratch for `attentionDecode` with a cache of `cap` positions. */
export function decodeScratchFloats(cap: i32): i32 {
    return pad8(cap) + 64;
}

/** 1 / Σ exp of the last `expRow` call (per instance, so per thread). */
let lastInvSum: f32 = 0;

/**
 * s[0..n) ← exp(scale·s[j] − max) in place (the unnormalised softmax); returns
 * lse = max + log Σ_j exp(scale·s[j] − max) and leaves 1/Σ in `lastInvSum`. Callers multiply the
 * P·V row by it (one pass fewer than normalising the probabilities).
 */
export function expRow(s: usize, n: i32, scale: f32): f32 {
    const vs = f32x4.splat(scale);
    let vm = f32x4.splat(-Infinity);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
        const p = s + (<usize>j << 2);
        const v = f32x4.mul(v128.load(p), vs);
        v128.store(p, v);
        vm = f32x4.pmax(vm, v);
    }
    let m = hmax(vm);
    for (; j < n; j++) {
        const p = s + (<usize>j << 2);
        const x = load<f32>(p) * scale;
        store<f32>(p, x);
        m = max<f32>(m, x);
    }
    const vmax = f32x4.splat(m);
    let acc = f32x4.splat(0);
    j = 0;
    for (; j + 4 <= n; j += 4) {
        const p = s + (<usize>j << 2);
        const e = vexp(f32x4.sub(v128.load(p), vmax));
        v128.store(p, e);
        acc = f32x4.add(acc, e);
    }
    let sum = hsum(acc);
    for (; j < n; j++) {
        const p = s + (<usize>j << 2);
        const e = sexp(load<f32>(p) - m);
        store<f32>(p, e);
        sum += e;
    }
    lastInvSum = <f32>1 / sum;
    return m + Mathf.log(sum);
}

/** x[0..n) *= s. */
function scaleRow(x: usize, n: i32, s: f32): void {
    const vs = f32x4.splat(s);
    let j = 0;
    for (; j + 4 <= n; j += 4) v128.store(x + (<usize>j << 2), f32x4.mul(v128.load(x + (<usize>j << 2)), vs));
    for (; j < n; j++) store<f32>(x + (<usize>j << 2), load<f32>(x + (<usize>j << 2)) * s);
}

/** Units [u0, u1) of the forward pass: out (heads of the unit) and lse. */
export function attentionForward(u0: i32, u1: i32, qkv: usize, ldq: i32, out: usize, ldo: i32, lse: usize, starts: usize, lens: usize,
    T: i32, nH: i32, nKv: i32, hd: i32, scale: f32, scratch: usize): void {
    const Tp = pad8(T), hdp = pad8(hd), group = nH / nKv;
    const pK = scratch;                              // [Tp/8 panels][hd][8]: B(c, j) = K[j, c]
    const pV = pK + ((<usize>Tp * hd) << 2);          // [hdp/8 panels][L][8]: B(j, c) = V[j, c]
    const S = pV + ((<usize>hdp * Tp) << 2);          // [RB][Tp] scores → unnormalised probabilities
    const inv = S + ((<usize>RB * Tp) << 2);          // [RB] 1 / Σ exp per row
    const ldqb = <usize>ldq << 2, Tpb = <usize>Tp << 2;
    for (let u = u0; u < u1; u++) {
        const b = u / nKv, g = u % nKv;
        const L = load<i32>(lens + (<usize>b << 2)), start = load<i32>(starts + (<usize>b << 2));
        const rowBase = qkv + <usize>start * ldqb;
        const kbase = rowBase + ((<usize>(nH + g) * hd) << 2);
        const vbase = rowBase + ((<usize>(nH + nKv + g) * hd) << 2);
        if (L > 0) {
            packB(kbase, ldq, 1, 0, hd, 0, L, pK);
            packB(vbase, ldq, 0, 0, L, 0, hd, pV);
        }
        for (let hi = 0; hi < group; hi++) {
            const h = g * group + hi;
            const qbase = rowBase + ((<usize>h * hd) << 2);
            const obase = out + ((<usize>start * ldo + h * hd) << 2);
            const lrow = lse + ((<usize>start * nH + h) << 2), lstride = <usize>nH << 2;
            for (let i0 = 0; i0 < L; i0 += RB) {
                const i1 = min<i32>(i0 + RB, L), rows = i1 - i0, nk = i1;
                gemmPacked(0, rows, nk, hd, qbase + <usize>i0 * ldqb, ldqb, 4, pK, <usize>hd << 5, S, Tp, 0);
                for (let r = 0; r < rows; r++) {
                    const i = i0 + r;
                    const srow = S + <usize>r * Tpb;
                    store<f32>(lrow + <usize>i * lstride, expRow(srow, i + 1, scale));
                    store<f32>(inv + (<usize>r << 2), lastInvSum);
                    if (i + 1 < nk) memory.fill(srow + (<usize>(i + 1) << 2), 0, <usize>(nk - i - 1) << 2);
                }
                const ob = obase + ((<usize>i0 * ldo) << 2);
                gemmPacked(0, rows, hd, nk, S, Tpb, 4, pV, <usize>L << 5, ob, ldo, 0);
                for (let r = 0; r < rows; r++) scaleRow(ob + ((<usize>r * ldo) << 2), hd, load<f32>(inv + (<usize>r << 2)));
            }
        }
    }
}

/**
 * Units [u0, u1) of the backward pass: writes dq, dk, dv of the unit's heads into dqkv (same
 * layout as qkv, row stride lddq), from out, dout (layout of out) and lse.
 */
export function attentionBackward(u0: i32, u1: i32, qkv: usize, ldq: i32, out: usize, dout: usize, ldo: i32, lse: usize,
    dqkv: usize, lddq: i32, starts: usize, lens: usize, T: i32, nH: i32, nKv: i32, hd: i32, scale: f32, scratch: usize): void {
    const Tp = pad8(T), hdp = pad8(hd), group = nH / nKv;
    const pK = scratch;                                  // [Tp/8][hd][8]  B(c, j) = K[j, c]
    const pVt = pK + ((<usize>Tp * hd) << 2);             // [Tp/8][hd][8]  B(c, j) = V[j, c]
    const pKn = pVt + ((<usize>Tp * hd) << 2);            // [hdp/8][L][8]  B(j, c) = K[j, c]
    const dK = pKn + ((<usize>hdp * Tp) << 2);            // [Tp][hd] accumulators
    const dV = dK + ((<usize>Tp * hd) << 2);              // [Tp][hd]
    const S = dV + ((<usize>Tp * hd) << 2);               // [RB][Tp] probabilities
    const dP = S + ((<usize>RB * Tp) << 2);               // [RB][Tp] dP → dS
    const D = dP + ((<usize>RB * Tp) << 2);               // [Tp] rowsum(dO ⊙ O)
    const pQ = D + (<usize>Tp << 2);                      // [hdp/8][RB][8]
    const pdO = pQ + ((<usize>hdp * RB) << 2);            // [hdp/8][RB][8]
    const ldqb = <usize>ldq << 2, lddqb = <usize>lddq << 2, ldob = <usize>ldo << 2, Tpb = <usize>Tp << 2;
    for (let u = u0; u < u1; u++) {
        const b = u / nKv, g = u % nKv;
        const L = load<i32>(lens + (<usize>b << 2)), start = load<i32>(starts + (<usize>b << 2));
        const rowBase = qkv + <usize>start * ldqb;
        const drowBase = dqkv + <usize>start * lddqb;
        const kbase = rowBase + ((<usize>(nH + g) * hd) << 2);
        const vbase = rowBase + ((<usize>(nH + nKv + g) * hd) << 2);
        if (L > 0) {
            packB(kbase, ldq, 1, 0, hd, 0, L, pK);
            packB(vbase, ldq, 1, 0, hd, 0, L, pVt);
            packB(kbase, ldq, 0, 0, L, 0, hd, pKn);
        }
        memory.fill(dK, 0, (<usize>L * hd) << 2);
        memory.fill(dV, 0, (<usize>L * hd) << 2);
        for (let hi = 0; hi < group; hi++) {
            const h = g * group + hi;
            const qbase = rowBase + ((<usize>h * hd) << 2);
            const dqbase = drowBase + ((<usize>h * hd) << 2);
            const obase = out + <usize>start * ldob + ((<usize>h * hd) << 2);
            const dobase = dout + <usize>start * ldob + ((<usize>h * hd) << 2);
            const lrow = lse + ((<usize>start * nH + h) << 2), lstride = <usize>nH << 2;
            for (let i = 0; i < L; i++) store<f32>(D + (<usize>i << 2), dot(dobase + <usize>i * ldob, obase + <usize>i * ldob, hd));
            for (let i0 = 0; i0 < L; i0 += RB) {
                const i1 = min<i32>(i0 + RB, L), rows = i1 - i0, nk = i1;
                gemmPacked(0, rows, nk, hd, qbase + <usize>i0 * ldqb, ldqb, 4, pK, <usize>hd << 5, S, Tp, 0);
                gemmPacked(0, rows, nk, hd, dobase + <usize>i0 * ldob, ldob, 4, pVt, <usize>hd << 5, dP, Tp, 0);
                for (let r = 0; r < rows; r++) {
                    const i = i0 + r, n = i + 1;
                    const srow = S + <usize>r * Tpb, drow = dP + <usize>r * Tpb;
                    const z = load<f32>(lrow + <usize>i * lstride), Di = load<f32>(D + (<usize>i << 2));
                    const vs = f32x4.splat(scale), vz = f32x4.splat(z), vD = f32x4.splat(Di);
                    let j = 0;
                    for (; j + 4 <= n; j += 4) {
                        const o = <usize>j << 2;
                        const p = vexp(f32x4.sub(f32x4.mul(v128.load(srow + o), vs), vz));
                        v128.store(srow + o, p);
                        v128.store(drow + o, f32x4.mul(f32x4.mul(p, f32x4.sub(v128.load(drow + o), vD)), vs));
                    }
                    for (; j < n; j++) {
                        const o = <usize>j << 2;
                        const p = sexp(load<f32>(srow + o) * scale - z);
                        store<f32>(srow + o, p);
                        store<f32>(drow + o, (p * (load<f32>(drow + o) - Di)) * scale);
                    }
                    if (n < nk) {
                        memory.fill(srow + (<usize>n << 2), 0, <usize>(nk - n) << 2);
                        memory.fill(drow + (<usize>n << 2), 0, <usize>(nk - n) << 2);
                    }
                }
                // dQ[i0:i1] = dS · K
                gemmPacked(0, rows, hd, nk, dP, Tpb, 4, pKn, <usize>L << 5, dqbase + <usize>i0 * lddqb, lddq, 0);
                // dK[0:nk] += dSᵀ · Q[i0:i1];  dV[0:nk] += Pᵀ · dO[i0:i1]
                packB(qbase + <usize>i0 * ldqb, ldq, 0, 0, rows, 0, hd, pQ);
                gemmPacked(0, nk, hd, rows, dP, 4, Tpb, pQ, <usize>rows << 5, dK, hd, 1);
                packB(dobase + <usize>i0 * ldob, ldo, 0, 0, rows, 0, hd, pdO);
                gemmPacked(0, nk, hd, rows, S, 4, Tpb, pdO, <usize>rows << 5, dV, hd, 1);
            }
        }
        const dkbase = drowBase + ((<usize>(nH + g) * hd) << 2);
        const dvbase = drowBase + ((<usize>(nH + nKv + g) * hd) << 2);
        const hdb = <usize>hd << 2;
        for (let j = 0; j < L; j++) {
            memory.copy(dkbase + <usize>j * lddqb, dK + <usize>j * hdb, hdb);
            memory.copy(dvbase + <usize>j * lddqb, dV + <usize>j * hdb, hdb);
        }
    }
}

/**
 * Rows [r0, r1) of qkv (post-RoPE): append key and value of row r to the cache of sequence
 * rowSeq[r] at position rowPos[r] (rows with rowPos < 0 are skipped). Cache layout per
 * (sequence s, kv head g), unit = s·nKv + g: kt[unit] = [hd][cap] (keys transposed, so scoring
 * reads contiguous key runs), v[unit] = [cap][hd].
 */
export function kvWrite(r0: i32, r1: i32, qkv: usize, ldq: i32, rowSeq: usize, rowPos: usize, kt: usize, v: usize, cap: i32,
    nH: i32, nKv: i32, hd: i32): void {
    const hdb = <usize>hd << 2;
    for (let r = r0; r < r1; r++) {
        const p = load<i32>(rowPos + (<usize>r << 2));
        if (p < 0) continue;
        const s = load<i32>(rowSeq + (<usize>r << 2));
        const row = qkv + ((<usize>r * ldq) << 2);
        for (let g = 0; g < nKv; g++) {
            const unit = <usize>(s * nKv + g);
            const kp = row + ((<usize>(nH + g) * hd) << 2);
            const ktb = kt + ((unit * hd * cap + p) << 2);
            for (let c = 0; c < hd; c++) store<f32>(ktb + ((<usize>c * cap) << 2), load<f32>(kp + (<usize>c << 2)));
            memory.copy(v + ((unit * cap + p) * hdb), row + ((<usize>(nH + nKv + g) * hd) << 2), hdb);
        }
    }
}

/**
 * Units [u0, u1) of one decode step, unit = r·nKv + g for query row r: attention of the row's
 * query heads over the first nkeys[r] cached positions of sequence rowSeq[r].
 */
export function attentionDecode(u0: i32, u1: i32, q: usize, ldq: i32, rowSeq: usize, nkeys: usize, kt: usize, v: usize, cap: i32,
    out: usize, ldo: i32, nH: i32, nKv: i32, hd: i32, scale: f32, scratch: usize): void {
    const group = nH / nKv;
    for (let u = u0; u < u1; u++) {
        const r = u / nKv, g = u % nKv;
        const s = load<i32>(rowSeq + (<usize>r << 2));
        const n = load<i32>(nkeys + (<usize>r << 2));
        const unit = <usize>(s * nKv + g);
        const ktb = kt + ((unit * hd * cap) << 2);
        const vb = v + ((unit * cap * hd) << 2);
        for (let hi = 0; hi < group; hi++) {
            const h = g * group + hi;
            const o = out + ((<usize>r * ldo + h * hd) << 2);
            gemvDirect(n, hd, q + ((<usize>r * ldq + h * hd) << 2), 4, ktb, cap, scratch, 0);
            expRow(scratch, n, scale);
            gemvDirect(hd, n, scratch, 4, vb, hd, o, 0);
            scaleRow(o, hd, lastInvSum);
        }
    }
}
