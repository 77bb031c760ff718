// The native compute runtime: one shared WebAssembly.Memory holding every tensor, the kernel
// module instantiated on it by the main thread and by a pool of workers, a heap allocator, and
// typed wrappers that split each kernel across threads when the work is large enough to pay for
// the dispatch. Every split hands each output element to exactly one thread, and every kernel
// sums in a fixed order, so results are bit-identical for any thread count.
import {availableParallelism} from "node:os";
import {ConfigError} from "../../errors.js";
import {loadKernelModule} from "./loadKernelModule.js";
import {WasmHeap} from "./WasmHeap.js";
import type {F32Buffer, I32Buffer} from "./WasmHeap.js";
import {MAX_CHUNKS, WorkerPool} from "./WorkerPool.js";

const KERNELS = [
    "gemm", "gemmCols", "gemmPrepacked", "rmsnormForward", "rmsnormBackward", "rmsnormWeightGrad", "ropeApply",
    "attentionForward", "attentionBackward", "kvWrite", "attentionDecode",
    "swigluForward", "swigluBackward", "embeddingForward", "embeddingBackward",
    "sumSquares", "scale", "adamw", "logprobForward", "logprobBackward"
] as const;
type KernelName = typeof KERNELS[number];
const K = Object.fromEntries(KERNELS.map((n, i) => [n, i])) as Record<KernelName, number>;

const MAX_PAGES = 65536; // 4 GiB, the wasm32 limit
/** Work (≈ flops) below which a job runs on the calling thread alone. */
const MIN_SPLIT_FLOPS = 1_500_000;
/**
 * Chunks per thread when a job is split: more than one, so that when the OS runs a worker late
 * the calling thread takes over its chunks instead of waiting (see WorkerPool).
 */
const CHUNKS_PER_THREAD = 2;
/** Elements below which a memory-bound job runs on the calling thread alone. */
const MIN_SPLIT_ELEMENTS = 1 << 16;

/** Options for `KernelRuntime.create`. */
export interface KernelRuntimeOptions {
    /**
     * Threads that run kernels, the calling thread included. Defaults to the `RMR1_THREADS`
     * environment variable, else `os.availableParallelism()` (at most 16).
     */
    threads?: number;
}

/** Operands of `KernelRuntime.gemm`: C[M,N] (+)= op(A)·op(B); pointers are byte offsets. */
export interface GemmArgs {
    M: number;
    N: number;
    K: number;
    a: number;
    lda: number;
    /** A is stored as [K, M]. Defaults to `false`. */
    transA?: boolean;
    b: number;
    ldb: number;
    /** B is stored as [N, K] (a linear layer's weight). Defaults to `false`. */
    transB?: boolean;
    c: number;
    ldc: number;
    /** Add into C instead of overwriting it. Defaults to `false`. */
    accumulate?: boolean;
    /** Name in profiles. Defaults to `gemm` plus the layout, e.g. `gemm NT`. */
    label?: string;
}

let sharedRuntime: Promise<KernelRuntime> | undefined;

export class KernelRuntime {
    readonly memory: WebAssembly.Memory;
    readonly heap: WasmHeap;
    /** Threads that run kernels, the calling thread included. */
    readonly threads: number;
    private readonly pool: WorkerPool;
    private readonly exports: WebAssembly.Exports;
    private profile?: Map<string, KernelProfile>;
    private allView?: Float32Array;
    private scratchFloats = 0;
    private scratch: F32Buffer[] = [];
    private scratchPtrs: number[] = [];
    private readonly f64Tmp: {ptr: number, view: Float64Array, length: number};

    private constructor(memory: WebAssembly.Memory, exports: WebAssembly.Exports, pool: WorkerPool) {
        this.memory = memory;
        this.exports = exports;
        this.pool = pool;
        this.threads = pool.threads;
        const heapBase = (exports.heapBase as () => number)();
        this.heap = new WasmHeap(memory, heapBase, MAX_PAGES);
        const tmp = this.heap.allocBytes(8 * 4096);
        this.f64Tmp = {ptr: tmp, view: new Float64Array(memory.buffer, tmp, 4096), length: 4096};
        this.ensureScratch((exports.gemmScratchFloats as () => number)());
    }

    /** A runtime with its own memory and workers. Call `close()` when done. */
    static async create(options: KernelRuntimeOptions = {}): Promise<KernelRuntime> {
        const threads = options.threads ?? defaultThreads();
        if (!Number.isInteger(threads) || threads < 1) throw new ConfigError(`native kernels: threads must be a positive integer, got ${threads}`);
        const module = await loadKernelModule();
        const memory = new WebAssembly.Memory({initial: 256, maximum: MAX_PAGES, shared: true});
        const instance = await WebAssembly.instantiate(module, {env: {memory, abort: () => { throw new Error("abort in kernel"); }}});
        const pool = await WorkerPool.create(module, memory, instance.exports, KERNELS, {threads});
        return new KernelRuntime(memory, instance.exports, pool);
    }

    /** The process-wide runtime every model uses unless given another (created on first use). */
    static shared(): Promise<KernelRuntime> {
        sharedRuntime ??= KernelRuntime.create().catch((e: unknown) => {
            sharedRuntime = undefined;
            throw e;
        });
        return sharedRuntime;
    }

    /** Stop the workers. Buffers of this runtime must not be used afterwards. */
    async close(): Promise<void> {
        if (sharedRuntime != null && (await sharedRuntime.catch(() => undefined)) === this) sharedRuntime = undefined;
        await this.pool.close();
    }

    f32(length: number): F32Buffer {
        return this.heap.f32(length);
    }

    i32(length: number): I32Buffer {
        return this.heap.i32(length);
    }

    release(buffer: {ptr: number}): void {
        this.heap.release(buffer);
    }

    /** Copy n floats from src to dst (byte pointers; the ranges may overlap). */
    copy(dst: number, src: number, n: number): void {
        this.all().copyWithin(dst >>> 2, src >>> 2, (src >>> 2) + n);
    }

    /** A float view of the whole memory, renewed after the memory grew. */
    private all(): Float32Array {
        const buffer = this.memory.buffer;
        if (this.allView == null || this.allView.byteLength !== buffer.byteLength) this.allView = new Float32Array(buffer);
        return this.allView;
    }

    /** Set n floats at x to zero. */
    zero(x: number, n: number): void {
        new Float32Array(this.memory.buffer, x, n).fill(0);
    }

    /** Make each thread's scratch hold at least `floats` floats. */
    ensureScratch(floats: number): void {
        if (floats <= this.scratchFloats) return;
        for (const s of this.scratch) this.heap.release(s);
        this.scratchFloats = Math.ceil(floats / 4096) * 4096;
        this.scratch = Array.from({length: this.threads}, () => this.heap.f32(this.scratchFloats));
        this.scratchPtrs = this.scratch.map((s) => s.ptr);
    }

    /** Scratch floats the attention kernels need at sequence length T and head width hd. */
    attentionScratchFloats(T: number, hd: number): number {
        return (this.exports.attentionScratchFloats as (t: number, h: number) => number)(T, hd);
    }

    /** Start recording time and work per kernel (for benchmarks); `stopProfile()` returns the totals. */
    startProfile(): void {
        this.profile = new Map();
    }

    /** Stop recording and return per-kernel totals since `startProfile()`. */
    stopProfile(): Map<string, KernelProfile> {
        const p = this.profile ?? new Map<string, KernelProfile>();
        this.profile = undefined;
        return p;
    }

    private run(name: KernelName, bounds: number[], args: number[], flops: number, scratchArg = -1, label: string = name): void {
        if (this.profile == null) {
            this.pool.run(K[name], bounds, args, scratchArg, this.scratchPtrs);
            return;
        }
        const t = performance.now();
        this.pool.run(K[name], bounds, args, scratchArg, this.scratchPtrs);
        const ms = performance.now() - t;
        const e = this.profile.get(label) ?? {calls: 0, ms: 0, flops: 0};
        e.calls++;
        e.ms += ms;
        e.flops += flops;
        this.profile.set(label, e);
    }

    // ---- splitting ----------------------------------------------------------------------------

    /** Split [0, total) into chunks (multiples of `grain`; see CHUNKS_PER_THREAD), or one chunk when `work` is small. */
    private even(total: number, grain: number, work: number): number[] {
        const parts = Math.min(this.threads * CHUNKS_PER_THREAD, Math.ceil(total / grain), MAX_CHUNKS);
        if (this.threads <= 1 || parts <= 1 || work < MIN_SPLIT_FLOPS) return [0, total];
        const bounds = [0];
        for (let t = 1; t < parts; t++) {
            const b = Math.min(total, Math.round((total * t) / parts / grain) * grain);
            if (b > bounds[bounds.length - 1]) bounds.push(b);
        }
        if (total > bounds[bounds.length - 1]) bounds.push(total);
        return bounds;
    }

    /** Split units into chunks of about equal summed cost. */
    private byCost(costs: ArrayLike<number>, totalWork: number): number[] {
        const n = costs.length;
        const parts = Math.min(this.threads * CHUNKS_PER_THREAD, n, MAX_CHUNKS);
        if (this.threads <= 1 || parts <= 1 || totalWork < MIN_SPLIT_FLOPS) return [0, n];
        let sum = 0;
        for (let i = 0; i < n; i++) sum += costs[i];
        const bounds = [0];
        let acc = 0, t = 1;
        for (let i = 0; i < n - 1 && t < parts; i++) {
            acc += costs[i];
            if (acc >= (sum * t) / parts) {
                bounds.push(i + 1);
                while (t < parts && acc >= (sum * t) / parts) t++;
            }
        }
        bounds.push(n);
        return bounds;
    }

    private elementBounds(total: number, grain: number, elements: number): number[] {
        return this.even(total, grain, elements >= MIN_SPLIT_ELEMENTS ? Infinity : 0);
    }

    // ---- kernels ------------------------------------------------------------------------------

    /** C[M,N] (+)= op(A)·op(B). Split by rows, or by columns when there are few rows. */
    gemm(g: GemmArgs): void {
        const work = 2 * g.M * g.N * g.K;
        const label = g.label ?? `gemm ${g.transA === true ? "T" : "N"}${g.transB === true ? "T" : "N"}`;
        const rest = [g.K, g.a, g.lda, g.transA === true ? 1 : 0, g.b, g.ldb, g.transB === true ? 1 : 0, g.c, g.ldc, g.accumulate === true ? 1 : 0, 0];
        if (g.M >= 8 * this.threads || g.N < 16 * this.threads) {
            this.run("gemm", this.even(g.M, 4, work), [0, g.N, ...rest], work, 12, label);
        } else {
            this.run("gemmCols", this.even(g.N, 8, work), [0, g.M, ...rest], work, 12, label);
        }
    }

    /** Floats needed to pre-pack a linear weight [N, K] with `packWeight`. */
    packedWeightFloats(N: number, K: number): number {
        return Math.ceil(N / 8) * 8 * K;
    }

    /** Pre-pack a linear weight W [N, K] (byte pointer) into `dst` for `gemmPrepacked` (calling thread only). */
    packWeight(w: number, N: number, K: number, dst: number): void {
        (this.exports.packWeight as (w: number, n: number, k: number, d: number) => void)(w, N, K, dst);
    }

    /** C[M,N] (+)= A[M,K] · Wᵀ with W pre-packed; bit-identical to `gemm` with transB on the same W. Split by rows. */
    gemmPrepacked(M: number, N: number, K: number, a: number, lda: number, packed: number, c: number, ldc: number, accumulate = false): void {
        const work = 2 * M * N * K;
        this.run("gemmPrepacked", this.even(M, 4, work), [N, K, a, lda, packed, c, ldc, accumulate ? 1 : 0], work, -1, "gemm NT (prepacked)");
    }

    rmsnormForward(rows: number, x: number, ldx: number, w: number, y: number, ldy: number, rstd: number, d: number, eps: number): void {
        this.run("rmsnormForward", this.elementBounds(rows, 1, rows * d), [x, ldx, w, y, ldy, rstd, d, eps], 0);
    }

    /** dx += ∂/∂x of RMSNorm given dy. */
    rmsnormBackward(rows: number, dy: number, lddy: number, x: number, ldx: number, w: number, rstd: number, dx: number, lddx: number, d: number): void {
        this.run("rmsnormBackward", this.elementBounds(rows, 1, rows * d), [dy, lddy, x, ldx, w, rstd, dx, lddx, d], 0);
    }

    /** dw += Σ_rows dy ⊙ x · rstd. */
    rmsnormWeightGrad(rows: number, dy: number, lddy: number, x: number, ldx: number, rstd: number, dw: number, d: number): void {
        this.run("rmsnormWeightGrad", this.elementBounds(d, 4, rows * d), [rows, dy, lddy, x, ldx, rstd, dw], 0);
    }

    /** Rotate nHeads heads (from column 0) of each row at pos[row]; `inverse` for the backward pass. */
    rope(rows: number, x: number, ldx: number, nHeads: number, hd: number, pos: number, cosT: number, sinT: number, inverse: boolean): void {
        this.run("ropeApply", this.elementBounds(rows, 1, rows * nHeads * hd), [x, ldx, nHeads, hd, pos, cosT, sinT, inverse ? 1 : 0], 0);
    }

    /**
     * Causal attention forward over B packed sequences (starts/lens: device int32 [B];
     * lensHost: the same lengths on the host, for load balancing).
     */
    attentionForward(B: number, lensHost: ArrayLike<number>, a: AttentionArgs): void {
        const {costs, work, T} = attentionCosts(B, lensHost, a);
        this.ensureScratch(this.attentionScratchFloats(T, a.hd));
        this.run("attentionForward", this.byCost(costs, work),
            [a.qkv, a.ldq, a.out, a.ldo, a.lse, a.starts, a.lens, T, a.nH, a.nKv, a.hd, a.scale, 0], work, 12);
    }

    /** Gradient of `attentionForward` with respect to qkv, written into dqkv (dout has out's layout). */
    attentionBackward(B: number, lensHost: ArrayLike<number>, a: AttentionArgs & {dout: number, dqkv: number, lddq: number}): void {
        const {costs, work, T} = attentionCosts(B, lensHost, a);
        this.ensureScratch(this.attentionScratchFloats(T, a.hd));
        this.run("attentionBackward", this.byCost(costs, 2.5 * work),
            [a.qkv, a.ldq, a.out, a.dout, a.ldo, a.lse, a.dqkv, a.lddq, a.starts, a.lens, T, a.nH, a.nKv, a.hd, a.scale, 0], 2.5 * work, 15);
    }

    /** Append rows of qkv to a KV cache (see kvWrite in attention.ts). */
    kvWrite(rows: number, qkv: number, ldq: number, rowSeq: number, rowPos: number, kt: number, v: number, cap: number, nH: number, nKv: number, hd: number): void {
        this.run("kvWrite", [0, rows], [qkv, ldq, rowSeq, rowPos, kt, v, cap, nH, nKv, hd], 0);
    }

    /** One decode step of attention for `rows` query rows against the cache (nkeysHost: keys per row). */
    attentionDecode(rows: number, nkeysHost: ArrayLike<number>, q: number, ldq: number, rowSeq: number, nkeys: number, kt: number, v: number, cap: number,
        out: number, ldo: number, nH: number, nKv: number, hd: number, scale: number): void {
        const costs = new Float64Array(rows * nKv);
        let work = 0;
        for (let r = 0; r < rows; r++) {
            for (let g = 0; g < nKv; g++) costs[r * nKv + g] = nkeysHost[r];
            work += 4 * nkeysHost[r] * hd * nH;
        }
        this.ensureScratch(cap + 64);
        this.run("attentionDecode", this.byCost(costs, work), [q, ldq, rowSeq, nkeys, kt, v, cap, out, ldo, nH, nKv, hd, scale, 0], work, 13);
    }

    swigluForward(rows: number, gu: number, ldgu: number, h: number, ldh: number, F: number): void {
        this.run("swigluForward", this.elementBounds(rows, 1, rows * F * 4), [gu, ldgu, h, ldh, F], 0);
    }

    swigluBackward(rows: number, gu: number, ldgu: number, dh: number, lddh: number, dgu: number, lddgu: number, F: number): void {
        this.run("swigluBackward", this.elementBounds(rows, 1, rows * F * 4), [gu, ldgu, dh, lddh, dgu, lddgu, F], 0);
    }

    embeddingForward(rows: number, tokens: number, E: number, x: number, d: number): void {
        this.run("embeddingForward", this.elementBounds(rows, 1, rows * d), [tokens, E, x, d], 0);
    }

    /** dE[tokens[row]] += dx[row] (rows with a negative token skipped), split by column. */
    embeddingBackward(rows: number, tokens: number, dx: number, dE: number, d: number): void {
        this.run("embeddingBackward", this.elementBounds(d, 4, rows * d), [rows, tokens, dx, dE, d], 0);
    }

    /** Σ x² over n floats at x, summed in fixed chunks (the same value for any thread count). */
    sumSquares(x: number, n: number): number {
        const chunk = 1 << 14;
        const chunks = Math.ceil(n / chunk);
        let total = 0;
        for (let c0 = 0; c0 < chunks; c0 += this.f64Tmp.length) {
            const c1 = Math.min(chunks, c0 + this.f64Tmp.length);
            const bounds = this.elementBounds(c1 - c0, 1, (c1 - c0) * chunk);
            // The kernel writes out[k] for chunk k; shift so that chunk c0 lands in slot 0.
            this.run("sumSquares", bounds.map((b) => b + c0), [x, n, chunk, this.f64Tmp.ptr - c0 * 8], 0);
            for (let k = 0; k < c1 - c0; k++) total += this.f64Tmp.view[k];
        }
        return total;
    }

    /** x[0..n) *= s. */
    scale(x: number, n: number, s: number): void {
        this.run("scale", this.elementBounds(n, 16, n), [x, s], 0);
    }

    /** One AdamW update of n elements (see adamw in elementwise.ts for the arguments). */
    adamw(n: number, p: number, g: number, m: number, v: number, beta1: number, beta2: number, eps: number, stepSize: number, decay: number, bc2sqrt: number): void {
        this.run("adamw", this.elementBounds(n, 16, n), [p, g, m, v, beta1, beta2, eps, stepSize, decay, bc2sqrt], 0);
    }

    /** lse and log p(target) per row of logits [rows, V]. */
    logprobForward(rows: number, logits: number, V: number, targets: number, lse: number, logp: number): void {
        this.run("logprobForward", this.elementBounds(rows, 1, rows * V * 4), [logits, V, targets, lse, logp], 0);
    }

    /** logits ← g ⊙ ∂logp/∂logits in place. */
    logprobBackward(rows: number, logits: number, V: number, targets: number, lse: number, g: number): void {
        this.run("logprobBackward", this.elementBounds(rows, 1, rows * V * 4), [logits, V, targets, lse, g], 0);
    }
}

/** Operands of the attention kernels (byte pointers; see attention.ts for the layouts). */
export interface AttentionArgs {
    qkv: number;
    ldq: number;
    out: number;
    ldo: number;
    lse: number;
    starts: number;
    lens: number;
    nH: number;
    nKv: number;
    hd: number;
    scale: number;
}

function attentionCosts(B: number, lensHost: ArrayLike<number>, a: AttentionArgs): {costs: Float64Array, work: number, T: number} {
    const costs = new Float64Array(B * a.nKv);
    let work = 0, T = 1;
    for (let b = 0; b < B; b++) {
        const L = lensHost[b];
        T = Math.max(T, L);
        const c = (L * (L + 32)) / 2 * a.hd * 4 * (a.nH / a.nKv);
        for (let g = 0; g < a.nKv; g++) costs[b * a.nKv + g] = c;
        work += c * a.nKv;
    }
    return {costs, work, T};
}

function defaultThreads(): number {
    const env = process.env.RMR1_THREADS;
    if (env != null && env !== "") {
        const n = Number(env);
        if (!Number.isInteger(n) || n < 1) throw new ConfigError(`RMR1_THREADS must be a positive integer, got '${env}'`);
        return n;
    }
    return Math.min(16, Math.max(1, availableParallelism()));
}

/** Totals for one kernel (or gemm layout) between `startProfile()` and `stopProfile()`. */
export interface KernelProfile {
    calls: number;
    ms: number;
    /** Floating-point operations (estimated for attention; 0 for memory-bound kernels). */
    flops: number;
}
