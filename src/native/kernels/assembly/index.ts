// Entry point of the rmr1 kernel module (compiled by src/native/kernels/buildKernels.mjs into
// src/native/kernels/build/kernels.wasm). Every export takes its work range first so the worker
// pool can split it; pointers are byte offsets into the shared memory.
import {gemm} from "./gemm";
export {gemm, gemmScratchFloats, packWeight, packedWeightFloats, gemmPrepacked} from "./gemm";
export {rmsnormForward, rmsnormBackward, rmsnormWeightGrad} from "./norm";
export {ropeApply} from "./rope";
export {attentionForward, attentionBackward, attentionScratchFloats, decodeScratchFloats, kvWrite, attentionDecode} from "./attention";
export {swigluForward, swigluBackward, embeddingForward, embeddingBackward, sumSquares, scale, adamw} from "./elementwise";
export {logprobForward, logprobBackward} from "./loss";

/** First byte past the module's static data; the host allocates above it. */
export function heapBase(): usize {
    return __heap_base;
}

/** `gemm` with the column range first, so the worker pool can split a short, wide product by columns. */
export function gemmCols(n0: i32, n1: i32, m0: i32, m1: i32, K: i32,
    a: usize, lda: i32, transA: i32, b: usize, ldb: i32, transB: i32,
    c: usize, ldc: i32, accumulate: i32, scratch: usize): void {
    gemm(m0, m1, n0, n1, K, a, lda, transA, b, ldb, transB, c, ldc, accumulate, scratch);
}
