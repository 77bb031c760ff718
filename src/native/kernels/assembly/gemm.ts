// General matrix product on f32, row-major, with either operand transposed:
//   C[i, j] = (accumulate ? C[i, j] : 0) + Σ_k A(i, k) · B(k, j)   for i ∈ [m0, m1), j ∈ [n0, n1)
//   A(i, k) = transA ? a[k·lda + i] : a[i·lda + k]
//   B(k, j) = transB ? b[j·ldb + k] : b[k·ldb + j]
//
// Blocking (GotoBLAS-style, sized for a 1 MiB L2 and 48 KiB L1): the k range is cut into blocks
// of KB, the n range into blocks of at most KB·NB/kc columns; each (k, n) block of B is packed
// into panels of 8 columns
// ([panel][k][8], zero-padded), which stay in L2 while 4-row strips of A (4·KB floats, in L1)
// stream through a 4×8 register tile (8 f32x4 accumulators).
//
// Determinism: every C element is the sum over k in increasing order within one lane (multiply,
// then add; wasm has no contraction), one k block at a time. That order does not depend on which
// rows or columns a thread was given, on packing, or on whether the 4-row or 1-row kernel ran, so
// results are bit-identical for any split across threads and for any batch composition.

export const KB: i32 = 512;
export const NB: i32 = 256;

/** Floats of scratch one thread needs for `gemm`: the packed B block, then one packed A strip. */
export function gemmScratchFloats(): i32 {
    return KB * NB + 4 * KB;
}

// 4 rows × 8 columns. pa: A(i, k0) with row stride ars and k stride aks (bytes); pb: B panel with
// k stride bks (bytes); pc: C(i, j); nv ≤ 8 valid columns.
// @ts-ignore: decorator
@inline function kernel4x8(pa: usize, ars: usize, aks: usize, pb: usize, bks: usize, kc: i32, pc: usize, ldc: usize, nv: i32, acc: bool): void {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    const a1 = ars, a2 = ars * 2, a3 = ars * 3;
    for (let k = 0; k < kc; k++) {
        const b0 = v128.load(pb), b1 = v128.load(pb, 16);
        let s = v128.load32_splat(pa);
        c00 = f32x4.add(c00, f32x4.mul(s, b0)); c01 = f32x4.add(c01, f32x4.mul(s, b1));
        s = v128.load32_splat(pa + a1);
        c10 = f32x4.add(c10, f32x4.mul(s, b0)); c11 = f32x4.add(c11, f32x4.mul(s, b1));
        s = v128.load32_splat(pa + a2);
        c20 = f32x4.add(c20, f32x4.mul(s, b0)); c21 = f32x4.add(c21, f32x4.mul(s, b1));
        s = v128.load32_splat(pa + a3);
        c30 = f32x4.add(c30, f32x4.mul(s, b0)); c31 = f32x4.add(c31, f32x4.mul(s, b1));
        pa += aks; pb += bks;
    }
    storeTile(pc, c00, c01, nv, acc);
    storeTile(pc + ldc, c10, c11, nv, acc);
    storeTile(pc + 2 * ldc, c20, c21, nv, acc);
    storeTile(pc + 3 * ldc, c30, c31, nv, acc);
}

// 1 row × 8 columns (the same per-lane arithmetic as kernel4x8).
// @ts-ignore: decorator
@inline function kernel1x8(pa: usize, aks: usize, pb: usize, bks: usize, kc: i32, pc: usize, nv: i32, acc: bool): void {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
    for (let k = 0; k < kc; k++) {
        const s = v128.load32_splat(pa);
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(pb)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(pb, 16)));
        pa += aks; pb += bks;
    }
    storeTile(pc, c0, c1, nv, acc);
}

// 1 row × 32 columns read straight from B (no packing): the decode path, where one query row
// meets a long K/V cache and 8 accumulators hide the add latency.
// @ts-ignore: decorator
@inline function kernel1x32(pa: usize, aks: usize, pb: usize, bks: usize, kc: i32, pc: usize, acc: bool): void {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
    for (let k = 0; k < kc; k++) {
        const s = v128.load32_splat(pa);
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(pb)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(pb, 16)));
        c2 = f32x4.add(c2, f32x4.mul(s, v128.load(pb, 32)));
        c3 = f32x4.add(c3, f32x4.mul(s, v128.load(pb, 48)));
        c4 = f32x4.add(c4, f32x4.mul(s, v128.load(pb, 64)));
        c5 = f32x4.add(c5, f32x4.mul(s, v128.load(pb, 80)));
        c6 = f32x4.add(c6, f32x4.mul(s, v128.load(pb, 96)));
        c7 = f32x4.add(c7, f32x4.mul(s, v128.load(pb, 112)));
        pa += aks; pb += bks;
    }
    storeTile(pc, c0, c1, 8, acc);
    storeTile(pc + 32, c2, c3, 8, acc);
    storeTile(pc + 64, c4, c5, 8, acc);
    storeTile(pc + 96, c6, c7, 8, acc);
}

// Scalar fallback for < 8 columns read straight from B: one column at a time, same order.
function kernelScalar(pa: usize, aks: usize, pb: usize, bks: usize, kc: i32, pc: usize, nv: i32, acc: bool): void {
    for (let j = 0; j < nv; j++) {
        let s: f32 = 0;
        let qa = pa, qb = pb + (<usize>j << 2);
        for (let k = 0; k < kc; k++) {
            s += load<f32>(qa) * load<f32>(qb);
            qa += aks; qb += bks;
        }
        const q = pc + (<usize>j << 2);
        store<f32>(q, acc ? load<f32>(q) + s : s);
    }
}

// @ts-ignore: decorator
@inline function storeTile(pc: usize, v0: v128, v1: v128, nv: i32, acc: bool): void {
    if (nv == 8) {
        if (acc) {
            v0 = f32x4.add(v128.load(pc), v0);
            v1 = f32x4.add(v128.load(pc, 16), v1);
        }
        v128.store(pc, v0);
        v128.store(pc, v1, 16);
        return;
    }
    storeLane(pc, f32x4.extract_lane(v0, 0), acc);
    if (nv > 1) storeLane(pc + 4, f32x4.extract_lane(v0, 1), acc);
    if (nv > 2) storeLane(pc + 8, f32x4.extract_lane(v0, 2), acc);
    if (nv > 3) storeLane(pc + 12, f32x4.extract_lane(v0, 3), acc);
    if (nv > 4) storeLane(pc + 16, f32x4.extract_lane(v1, 0), acc);
    if (nv > 5) storeLane(pc + 20, f32x4.extract_lane(v1, 1), acc);
    if (nv > 6) storeLane(pc + 24, f32x4.extract_lane(v1, 2), acc);
}

// @ts-ignore: decorator
@inline function storeLane(p: usize, x: f32, acc: bool): void {
    store<f32>(p, acc ? load<f32>(p) + x : x);
}

/**
 * Pack B(k, j) for k ∈ [k0, k0+kc), j ∈ [n0, n0+nc) into dst as panels of 8 columns:
 * dst[p][k][jj] = B(k0 + k, n0 + 8p + jj), zero where n0 + 8p + jj ≥ n0 + nc.
 */
export function packB(b: usize, ldb: i32, transB: i32, k0: i32, kc: i32, n0: i32, nc: i32, dst: usize): void {
    const panels = (nc + 7) >> 3;
    for (let p = 0; p < panels; p++) {
        const nv = min<i32>(8, nc - p * 8);
        const dp = dst + ((<usize>p * kc) << 5);
        if (transB == 0) {
            let src = b + ((<usize>k0 * ldb + n0 + p * 8) << 2);
            const stride = <usize>ldb << 2;
            if (nv == 8) {
                for (let k = 0; k < kc; k++) {
                    const d = dp + (<usize>k << 5);
                    v128.store(d, v128.load(src));
                    v128.store(d, v128.load(src, 16), 16);
                    src += stride;
                }
            } else {
                for (let k = 0; k < kc; k++) {
                    const d = dp + (<usize>k << 5);
                    v128.store(d, f32x4.splat(0));
                    v128.store(d, f32x4.splat(0), 16);
                    for (let jj = 0; jj < nv; jj++) store<f32>(d + (<usize>jj << 2), load<f32>(src + (<usize>jj << 2)));
                    src += stride;
                }
            }
        } else {
            // B(k, j) = b[j·ldb + k]: read each column's k run contiguously, scatter into lanes.
            for (let jj = 0; jj < 8; jj++) {
                let d = dp + (<usize>jj << 2);
                if (jj < nv) {
                    let src = b + ((<usize>(n0 + p * 8 + jj) * ldb + k0) << 2);
                    let k = 0;
                    for (; k + 4 <= kc; k += 4) {
                        const v = v128.load(src);
                        store<f32>(d, f32x4.extract_lane(v, 0));
                        store<f32>(d + 32, f32x4.extract_lane(v, 1));
                        store<f32>(d + 64, f32x4.extract_lane(v, 2));
                        store<f32>(d + 96, f32x4.extract_lane(v, 3));
                        src += 16; d += 128;
                    }
                    for (; k < kc; k++) {
                        store<f32>(d, load<f32>(src));
                        src += 4; d += 32;
                    }
                } else {
                    for (let k = 0; k < kc; k++) {
                        store<f32>(d, 0);
                        d += 32;
                    }
                }
            }
        }
    }
}

/**
 * Multiply rows [m0, m1) of A (strides ars/aks in bytes) by an already packed B (panels of
 * [kc][8], panel p at packed + p·panelStride bytes) into C columns [0, nc). No k blocking: the
 * whole kc range is summed in one pass (used by attention, where kc ≤ T).
 */
export function gemmPacked(m0: i32, m1: i32, nc: i32, kc: i32, a: usize, ars: usize, aks: usize,
    packed: usize, panelStride: usize, c: usize, ldc: i32, accumulate: i32): void {
    const ldcb = <usize>ldc << 2;
    const acc = accumulate != 0;
    let i = m0;
    for (; i + 4 <= m1; i += 4) {
        const pa = a + <usize>i * ars;
        for (let j = 0; j < nc; j += 8) {
            kernel4x8(pa, ars, aks, packed + <usize>(j >> 3) * panelStride, 32, kc, c + <usize>i * ldcb + (<usize>j << 2), ldcb, min<i32>(8, nc - j), acc);
        }
    }
    for (; i < m1; i++) {
        const pa = a + <usize>i * ars;
        for (let j = 0; j < nc; j += 8) {
            kernel1x8(pa, aks, packed + <usize>(j >> 3) * panelStride, 32, kc, c + <usize>i * ldcb + (<usize>j << 2), min<i32>(8, nc - j), acc);
        }
    }
}

/**
 * One row of A times B read in place (B(k, j) = b[k·ldb + j], no packing), columns [0, nc), the
 * whole kc range in one pass. The decode path for one query against the K/V cache; the same
 * per-element arithmetic as `gemmPacked`.
 */
export function gemvDirect(nc: i32, kc: i32, a: usize, aks: usize, b: usize, ldb: i32, c: usize, accumulate: i32): void {
    const bks = <usize>ldb << 2;
    const acc = accumulate != 0;
    let j = 0;
    for (; j + 32 <= nc; j += 32) kernel1x32(a, aks, b + (<usize>j << 2), bks, kc, c + (<usize>j << 2), acc);
    for (; j + 8 <= nc; j += 8) kernel1x8(a, aks, b + (<usize>j << 2), bks, kc, c + (<usize>j << 2), 8, acc);
    if (j < nc) kernelScalar(a, aks, b + (<usize>j << 2), bks, kc, c + (<usize>j << 2), nc - j, acc);
}

/** See the file comment. `scratch` holds `gemmScratchFloats()` floats private to the calling thread. */
export function gemm(m0: i32, m1: i32, n0: i32, n1: i32, K: i32,
    a: usize, lda: i32, transA: i32, b: usize, ldb: i32, transB: i32,
    c: usize, ldc: i32, accumulate: i32, scratch: usize): void {
    if (m1 <= m0 || n1 <= n0) return;
    const ldcb = <usize>ldc << 2;
    if (K <= 0) {
        if (accumulate == 0) for (let i = m0; i < m1; i++) memory.fill(c + <usize>i * ldcb + (<usize>n0 << 2), 0, <usize>(n1 - n0) << 2);
        return;
    }
    const ars: usize = transA != 0 ? 4 : <usize>lda << 2;
    const aks: usize = transA != 0 ? <usize>lda << 2 : 4;
    // A single row with B in place needs no packing (decode-time projections of one sequence).
    const direct = transB == 0 && m1 - m0 == 1;
    for (let kb = 0; kb < K; kb += KB) {
        const kc = min<i32>(KB, K - kb);
        const acc = accumulate != 0 || kb > 0;
        // Column blocks as wide as the scratch allows for this kc, split evenly (no thin last block).
        const nbMax = max<i32>(8, ((KB * NB) / kc) & ~7);
        const nBlocks = (n1 - n0 + nbMax - 1) / nbMax;
        const nbw = (((n1 - n0 + nBlocks - 1) / nBlocks) + 7) & ~7;
        for (let nb = n0; nb < n1; nb += nbw) {
            const nc = min<i32>(nbw, n1 - nb);
            const pa0 = a + <usize>kb * aks;
            if (direct) {
                gemvDirect(nc, kc, pa0 + <usize>m0 * ars, aks, b + ((<usize>kb * ldb + nb) << 2), ldb, c + <usize>m0 * ldcb + (<usize>nb << 2), acc ? 1 : 0);
                continue;
            }
            packB(b, ldb, transB, kb, kc, nb, nc, scratch);
            if (transA == 0) {
                gemmPacked(m0, m1, nc, kc, pa0, ars, aks, scratch, <usize>kc << 5, c + (<usize>nb << 2), ldc, acc ? 1 : 0);
                continue;
            }
            // Aᵀ (weight gradients): A(i..i+3, k) are 4 adjacent floats in a different cache line
            // for every k; copy each 4-row strip into [kc][4] so the kernel streams one buffer.
            const strip = scratch + ((<usize>KB * NB) << 2);
            let i = m0;
            for (; i + 4 <= m1; i += 4) {
                let src = pa0 + <usize>i * ars, dst = strip;
                for (let k = 0; k < kc; k++) {
                    v128.store(dst, v128.load(src));
                    src += aks; dst += 16;
                }
                gemmPacked(0, 4, nc, kc, strip, 4, 16, scratch, <usize>kc << 5, c + <usize>i * ldcb + (<usize>nb << 2), ldc, acc ? 1 : 0);
            }
            if (i < m1) gemmPacked(i, m1, nc, kc, pa0, ars, aks, scratch, <usize>kc << 5, c + (<usize>nb << 2), ldc, acc ? 1 : 0);
        }
    }
}

/** Floats `packWeight` writes for an [N, K] weight: every k block packed as 8-column panels. */
export function packedWeightFloats(N: i32, K: i32): i32 {
    return ((N + 7) & ~7) * K;
}

/**
 * Pre-pack a linear layer's weight W [N, K] (used as B = Wᵀ) for `gemmPrepacked`: k blocks of KB
 * in order, each as ⌈N/8⌉ panels of [kc][8]. Done once per generation call, it saves every decode
 * step from packing (and repacking per chunk) the same weights.
 */
export function packWeight(w: usize, N: i32, K: i32, dst: usize): void {
    const Np = (N + 7) & ~7;
    for (let kb = 0; kb < K; kb += KB) {
        const kc = min<i32>(KB, K - kb);
        packB(w, K, 1, kb, kc, 0, N, dst);
        dst += (<usize>Np * kc) << 2;
    }
}

/**
 * Rows [m0, m1) of C[M, N] (+)= A[M, K] · Wᵀ with W pre-packed by `packWeight`. The same k blocks
 * and per-lane order as `gemm`, so the result is bit-identical to gemm(transB) on the same W.
 */
export function gemmPrepacked(m0: i32, m1: i32, N: i32, K: i32, a: usize, lda: i32, packed: usize, c: usize, ldc: i32, accumulate: i32): void {
    if (m1 <= m0) return;
    const Np = (N + 7) & ~7;
    for (let kb = 0; kb < K; kb += KB) {
        const kc = min<i32>(KB, K - kb);
        gemmPacked(m0, m1, N, kc, a + (<usize>kb << 2), <usize>lda << 2, 4, packed, <usize>kc << 5, c, ldc, accumulate != 0 || kb > 0 ? 1 : 0);
        packed += (<usize>Np * kc) << 2;
    }
}
