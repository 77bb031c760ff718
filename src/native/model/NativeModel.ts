// The native model: a Llama-architecture decoder (RMSNorm, RoPE, grouped-query attention, SwiGLU,
// tied or untied head) whose parameters, gradients and activations live in the kernel runtime's
// shared WebAssembly memory, with a hand-written backward pass.
//
// Sequences are packed without padding: token t of sequence b is row rowStarts[b] + t of every
// activation. Parameters are one flat float32 buffer in `paramSpecs(config)` order (Hugging Face
// names and shapes); gradients are a second buffer in the same order. Because q/k/v and
// gate/up are adjacent in that order, each pair of projections runs as one fused matmul.
import {createHash} from "node:crypto";
import {InvalidInput} from "../../errors.js";
import {KernelRuntime} from "../kernels/KernelRuntime.js";
import type {F32Buffer} from "../kernels/WasmHeap.js";
import {Activations} from "./Activations.js";
import {headDim, paramSpecs, validateConfig} from "./ModelConfig.js";
import type {ModelConfig, ParamSpec} from "./ModelConfig.js";
import {initParams} from "./initParams.js";
import {ropeTables} from "./ropeTables.js";

/** A batch: token-id sequences of any lengths from 1 to `maxSeqLen`. */
export type TokenSequences = readonly ArrayLike<number>[];

/** Options for `NativeModel.forward`. */
export interface ForwardOptions {
    /** Keep the activations so that `backward()` can follow. Defaults to `false`. */
    grad?: boolean;
    /** Run the LM head (logits and log-probabilities). Defaults to `true`; a head on the hidden states can skip it. */
    logits?: boolean;
    /**
     * Log-probabilities of softmax(logits / temperature), as GRPO implementations compute them for
     * completions sampled at that temperature (the backward pass follows). Defaults to `1`.
     */
    temperature?: number;
}

/** What `forward` returns. Rows are packed: token t of sequence b is row `rowStarts[b] + t`. */
export interface ForwardResult {
    /** Total tokens (Σ lengths). */
    rows: number;
    rowStarts: Int32Array;
    lengths: Int32Array;
    /**
     * log p(token t | tokens before t) at row(b, t) for t ≥ 1; 0 at t = 0 (nothing predicts the
     * first token) and everywhere when `logits: false`. A copy: [rows].
     */
    logprobs: Float32Array;
    /**
     * Final hidden states after the last RMSNorm (what a value or reward head reads), [rows, dModel].
     * A view into the model's workspace, valid until its next forward pass.
     */
    hidden: Float32Array;
}

/** Gradients of the training objective with respect to `forward` outputs. */
export interface BackwardInput {
    /** d loss / d logprobs, [rows], aligned with `ForwardResult.logprobs` (row 0 of each sequence ignored). */
    logprobGrads?: ArrayLike<number>;
    /** d loss / d hidden, [rows · dModel], aligned with `ForwardResult.hidden`. */
    hiddenGrads?: ArrayLike<number>;
}

/** Options for creating a model. */
export interface NativeModelOptions {
    /** Runtime (memory and threads) to run on. Defaults to the process-wide `KernelRuntime.shared()`. */
    runtime?: KernelRuntime;
}

/** Byte pointers of one layer's tensors in a flat buffer (parameters or gradients). */
export interface LayerPointers {
    ln1: number;
    /** q, k, v projections stacked: [(nH + 2·nKv)·hd, d]. */
    wqkv: number;
    wo: number;
    ln2: number;
    /** gate and up projections stacked: [2F, d]. */
    wgu: number;
    wdown: number;
}

/** Byte pointers of every tensor in a flat buffer. */
export interface ModelPointers {
    embed: number;
    layers: LayerPointers[];
    norm: number;
    /** LM head [V, d] (the embedding when tied). */
    head: number;
}

interface LastForward {
    acts: Activations;
    rows: number;
    seqs: number;
    lens: Int32Array;
    starts: Int32Array;
    logits: boolean;
    temperature: number;
}

export class NativeModel {
    readonly config: ModelConfig;
    readonly runtime: KernelRuntime;
    readonly specs: readonly ParamSpec[];
    /** Float offset of each tensor (in `specs` order) in the flat buffers. */
    readonly offsets: readonly number[];
    readonly numParams: number;
    /** Byte pointers of every tensor in the parameter buffer (used by the decoder). */
    readonly paramPointers: ModelPointers;
    /** RoPE tables [maxSeqLen, hd/2] in the runtime memory. */
    readonly ropeCos: F32Buffer;
    readonly ropeSin: F32Buffer;
    private readonly paramBuf: F32Buffer;
    private gradBuf?: F32Buffer;
    private gptr?: ModelPointers;
    private trainActs?: Activations;
    private inferActs?: Activations;
    private last?: LastForward;
    private disposed = false;

    private constructor(config: ModelConfig, runtime: KernelRuntime) {
        validateConfig(config);
        this.config = {...config};
        this.runtime = runtime;
        this.specs = paramSpecs(config);
        const offsets: number[] = [];
        let n = 0;
        for (const s of this.specs) {
            offsets.push(n);
            n += s.shape.reduce((a, b) => a * b, 1);
        }
        this.offsets = offsets;
        this.numParams = n;
        this.paramBuf = runtime.f32(n);
        this.paramPointers = this.pointersAt(this.paramBuf.ptr);
        const {cos, sin} = ropeTables(headDim(config), config.maxSeqLen, config.ropeTheta);
        this.ropeCos = runtime.f32(cos.length);
        this.ropeCos.view.set(cos);
        this.ropeSin = runtime.f32(sin.length);
        this.ropeSin.view.set(sin);
    }

    /** A freshly initialised model (see `initParams`: N(0, 0.02), scaled output projections, norms 1). */
    static async init(config: ModelConfig, options: NativeModelOptions & {seed: number}): Promise<NativeModel> {
        return NativeModel.fromParams(config, initParams(config, options.seed), options);
    }

    /** Workspace bytes per token of a forward pass (with `training`, kept for backward): size micro-batches with it. */
    static activationBytesPerToken(config: ModelConfig, training = true): number {
        return Activations.bytesPerRow(config, training);
    }

    /** A model holding the given tensors (by Hugging Face name; each must have its `paramSpecs` shape). */
    static async fromParams(config: ModelConfig, params: ReadonlyMap<string, ArrayLike<number>>, options: NativeModelOptions = {}): Promise<NativeModel> {
        const model = new NativeModel(config, options.runtime ?? await KernelRuntime.shared());
        model.setParams(params);
        return model;
    }

    /** A copy of this model (same runtime, separate parameters, no gradients): e.g. a frozen reference policy. */
    clone(): NativeModel {
        const copy = new NativeModel(this.config, this.runtime);
        copy.params.set(this.params);
        return copy;
    }

    /** All parameters, flat in `specs` order (a live view: writing changes the model). */
    get params(): Float32Array {
        this.check();
        return this.paramBuf.view;
    }

    /** All gradients, flat in `specs` order (a live view; allocated and zeroed on first use). */
    get grads(): Float32Array {
        return this.gradBuffer().view;
    }

    /** One tensor by Hugging Face name, as a live view. */
    param(name: string): Float32Array {
        return this.tensorView(this.params, name);
    }

    /** One gradient tensor by Hugging Face name, as a live view. */
    grad(name: string): Float32Array {
        return this.tensorView(this.grads, name);
    }

    /** Every tensor by name, as live views (for checkpoints). */
    paramMap(): Map<string, Float32Array> {
        return new Map(this.specs.map((s) => [s.name, this.param(s.name)]));
    }

    /** Overwrite tensors from a map (names and shapes must match; every tensor must be present). */
    setParams(params: ReadonlyMap<string, ArrayLike<number>>): void {
        for (const s of this.specs) {
            const src = params.get(s.name);
            if (src == null) throw new InvalidInput(`model weights: tensor '${s.name}' is missing`, {field: s.name});
            const dst = this.param(s.name);
            if (src.length !== dst.length)
                throw new InvalidInput(`model weights: tensor '${s.name}' has ${src.length} values, expected ${dst.length} (shape [${s.shape.join(", ")}])`, {field: s.name});
            dst.set(src);
        }
        const extra = [...params.keys()].filter((k) => !this.specs.some((s) => s.name === k));
        if (extra.length > 0) throw new InvalidInput(`model weights: unexpected tensor '${extra[0]}' for this config`, {field: extra[0]});
    }

    /** Copy all parameters from a model with the same config (e.g. refresh a reference policy). */
    copyParamsFrom(other: NativeModel): void {
        if (other.numParams !== this.numParams || JSON.stringify(other.config) !== JSON.stringify(this.config))
            throw new InvalidInput("copyParamsFrom: the models have different configs");
        this.params.set(other.params);
    }

    /** SHA-256 of the parameter bytes (hex); identifies the weights in caches and run records. */
    weightsHash(): string {
        const v = this.params;
        return createHash("sha256").update(Buffer.from(v.buffer as ArrayBuffer, v.byteOffset, v.byteLength)).digest("hex");
    }

    /** Set every gradient to zero (start of a step; gradients accumulate across backward calls). */
    zeroGrad(): void {
        this.runtime.zero(this.gradBuffer().ptr, this.numParams);
    }

    /** Global L2 norm of the gradients (summed in a fixed order). */
    gradNorm(): number {
        return Math.sqrt(this.runtime.sumSquares(this.gradBuffer().ptr, this.numParams));
    }

    /**
     * Scale gradients so their global norm is at most `maxNorm` (torch.nn.utils.clip_grad_norm_:
     * factor maxNorm / (norm + 1e-6) when below 1). Returns the norm before clipping.
     */
    clipGradNorm(maxNorm: number): number {
        const norm = this.gradNorm();
        const coef = maxNorm / (norm + 1e-6);
        if (coef < 1) this.runtime.scale(this.gradBuffer().ptr, this.numParams, coef);
        return norm;
    }

    /** Scale all gradients by s (e.g. 1/microBatches). */
    scaleGrads(s: number): void {
        this.runtime.scale(this.gradBuffer().ptr, this.numParams, s);
    }

    /**
     * Run the model on a batch. With `grad: true` the activations are kept and `backward()` may
     * follow. See `ForwardResult` for the row layout.
     */
    forward(sequences: TokenSequences, options: ForwardOptions = {}): ForwardResult {
        this.check();
        const grad = options.grad ?? false, wantLogits = options.logits ?? true, temperature = options.temperature ?? 1;
        if (!(temperature > 0) || !Number.isFinite(temperature)) throw new InvalidInput(`forward: temperature must be > 0, got ${temperature}`, {field: "temperature"});
        const {rows, starts, lens} = this.prepare(sequences, grad);
        const acts = grad ? this.trainActs! : this.inferActs!;
        this.forwardRows(acts, rows, sequences.length, lens, wantLogits, undefined, temperature);
        this.last = grad ? {acts, rows, seqs: sequences.length, lens, starts, logits: wantLogits, temperature} : undefined;
        const logprobs = new Float32Array(rows);
        if (wantLogits) {
            // Row r predicts token r + 1 of the same sequence.
            const lp = acts.logp.view;
            for (let b = 0; b < sequences.length; b++) {
                for (let t = 1; t < lens[b]; t++) logprobs[starts[b] + t] = lp[starts[b] + t - 1];
            }
        }
        return {rows, rowStarts: starts, lengths: lens, logprobs, hidden: acts.xf.view.subarray(0, rows * this.config.dModel)};
    }

    /** Per-token log-probabilities without keeping activations (see `ForwardResult.logprobs`). */
    logprobs(sequences: TokenSequences): ForwardResult {
        return this.forward(sequences, {grad: false});
    }

    /**
     * Backpropagate from gradients of the last `forward(…, {grad: true})` outputs and add the
     * parameter gradients into `grads` (call `zeroGrad()` to start afresh; repeated calls over
     * micro-batches accumulate).
     */
    backward(input: BackwardInput): void {
        this.check();
        const s = this.last;
        if (s == null) throw new InvalidInput("backward() needs a preceding forward(…, {grad: true}) on this model");
        const c = this.config, rt = this.runtime, A = s.acts;
        const M = s.rows, d = c.dModel, V = c.vocabSize, F = c.dFF;
        const hd = headDim(c), dq = (c.nHeads + 2 * c.nKvHeads) * hd;
        const P = this.paramPointers, G = this.gradPointers();
        this.gradBuffer();
        const dx = A.dx!, dxn = A.dxn!, datt = A.datt!, dqkv = A.dqkv!, dh = A.dh!, dgu = A.dgu!;

        // LM head and final norm.
        rt.zero(dxn.ptr, M * d);
        if (input.logprobGrads != null) {
            if (!s.logits) throw new InvalidInput("backward: logprobGrads given but the forward pass ran with logits: false");
            if (input.logprobGrads.length !== M) throw new InvalidInput(`backward: logprobGrads has ${input.logprobGrads.length} values, expected ${M} (one per row)`, {field: "logprobGrads"});
            const g = A.glogp.view;
            for (let b = 0; b < s.seqs; b++) {
                const st = s.starts[b], L = s.lens[b];
                for (let t = 0; t + 1 < L; t++) g[st + t] = input.logprobGrads[st + t + 1];
                g[st + L - 1] = 0;
            }
            rt.logprobBackward(M, A.logits.ptr, V, A.targets.ptr, A.lseV.ptr, A.glogp.ptr);
            if (s.temperature !== 1) rt.scale(A.logits.ptr, M * V, Math.fround(1 / s.temperature));
            rt.gemm({M: V, N: d, K: M, a: A.logits.ptr, lda: V, transA: true, b: A.xf.ptr, ldb: d, c: G.head, ldc: d, accumulate: true});
            rt.gemm({M, N: d, K: V, a: A.logits.ptr, lda: V, b: P.head, ldb: d, c: dxn.ptr, ldc: d});
        }
        if (input.hiddenGrads != null) {
            if (input.hiddenGrads.length !== M * d) throw new InvalidInput(`backward: hiddenGrads has ${input.hiddenGrads.length} values, expected ${M * d} (rows × dModel)`, {field: "hiddenGrads"});
            const v = dxn.view, h = input.hiddenGrads;
            for (let i = 0; i < M * d; i++) v[i] += h[i];
        }
        rt.zero(dx.ptr, M * d);
        rt.rmsnormBackward(M, dxn.ptr, d, A.xL.ptr, d, P.norm, A.rstdf.ptr, dx.ptr, d, d);
        rt.rmsnormWeightGrad(M, dxn.ptr, d, A.xL.ptr, d, A.rstdf.ptr, G.norm, d);

        for (let l = c.nLayers - 1; l >= 0; l--) {
            const L = A.layers[l], p = P.layers[l], g = G.layers[l];
            // MLP: x_out = x2 + down(silu(gate(xn2)) · up(xn2))
            rt.gemm({M, N: F, K: d, a: dx.ptr, lda: d, b: p.wdown, ldb: F, c: dh.ptr, ldc: F});
            rt.gemm({M: d, N: F, K: M, a: dx.ptr, lda: d, transA: true, b: L.h.ptr, ldb: F, c: g.wdown, ldc: F, accumulate: true});
            rt.swigluBackward(M, L.gu.ptr, 2 * F, dh.ptr, F, dgu.ptr, 2 * F, F);
            rt.gemm({M: 2 * F, N: d, K: M, a: dgu.ptr, lda: 2 * F, transA: true, b: L.xn2.ptr, ldb: d, c: g.wgu, ldc: d, accumulate: true});
            rt.gemm({M, N: d, K: 2 * F, a: dgu.ptr, lda: 2 * F, b: p.wgu, ldb: d, c: dxn.ptr, ldc: d});
            rt.rmsnormBackward(M, dxn.ptr, d, L.x2.ptr, d, p.ln2, L.rstd2.ptr, dx.ptr, d, d);
            rt.rmsnormWeightGrad(M, dxn.ptr, d, L.x2.ptr, d, L.rstd2.ptr, g.ln2, d);
            // Attention: x2 = x + o(attn(rope(q), rope(k), v))
            rt.gemm({M, N: d, K: d, a: dx.ptr, lda: d, b: p.wo, ldb: d, c: datt.ptr, ldc: d});
            rt.gemm({M: d, N: d, K: M, a: dx.ptr, lda: d, transA: true, b: L.att.ptr, ldb: d, c: g.wo, ldc: d, accumulate: true});
            rt.attentionBackward(s.seqs, s.lens, {
                qkv: L.qkv.ptr, ldq: dq, out: L.att.ptr, ldo: d, lse: L.lse.ptr, starts: A.starts.ptr, lens: A.lens.ptr,
                nH: c.nHeads, nKv: c.nKvHeads, hd, scale: 1 / Math.sqrt(hd), dout: datt.ptr, dqkv: dqkv.ptr, lddq: dq
            });
            rt.rope(M, dqkv.ptr, dq, c.nHeads + c.nKvHeads, hd, A.pos.ptr, this.ropeCos.ptr, this.ropeSin.ptr, true);
            rt.gemm({M: dq, N: d, K: M, a: dqkv.ptr, lda: dq, transA: true, b: L.xn1.ptr, ldb: d, c: g.wqkv, ldc: d, accumulate: true});
            rt.gemm({M, N: d, K: dq, a: dqkv.ptr, lda: dq, b: p.wqkv, ldb: d, c: dxn.ptr, ldc: d});
            rt.rmsnormBackward(M, dxn.ptr, d, L.x.ptr, d, p.ln1, L.rstd1.ptr, dx.ptr, d, d);
            rt.rmsnormWeightGrad(M, dxn.ptr, d, L.x.ptr, d, L.rstd1.ptr, g.ln1, d);
        }
        rt.embeddingBackward(M, A.tokens.ptr, dx.ptr, G.embed, d);
    }

    /**
     * Mean negative log-likelihood over the masked tokens of a batch, with its gradient added into
     * `grads`. masks[b][t] weights token t of sequence b (t = 0 is never predicted); the loss is
     * Σ mask·(−log p) / normalizer, where normalizer defaults to Σ mask (pass the total over all
     * micro-batches to accumulate an exact mean).
     */
    nllLossAndGrad(sequences: TokenSequences, masks: readonly ArrayLike<number>[], options: {normalizer?: number} = {}): {loss: number, tokens: number} {
        if (masks.length !== sequences.length) throw new InvalidInput(`nllLossAndGrad: ${masks.length} masks for ${sequences.length} sequences`, {field: "masks"});
        const r = this.forward(sequences, {grad: true});
        const g = new Float32Array(r.rows);
        let total = 0, weighted = 0;
        for (let b = 0; b < sequences.length; b++) {
            const m = masks[b];
            if (m.length !== r.lengths[b]) throw new InvalidInput(`nllLossAndGrad: masks[${b}] has ${m.length} values for a sequence of ${r.lengths[b]} tokens`, {field: `masks[${b}]`});
            for (let t = 1; t < m.length; t++) {
                if (m[t] === 0) continue;
                total += m[t];
                weighted -= m[t] * r.logprobs[r.rowStarts[b] + t];
            }
        }
        const normalizer = options.normalizer ?? total;
        if (normalizer > 0) {
            for (let b = 0; b < sequences.length; b++) {
                const m = masks[b];
                for (let t = 1; t < m.length; t++) g[r.rowStarts[b] + t] = -m[t] / normalizer;
            }
            this.backward({logprobGrads: g});
        }
        return {loss: normalizer > 0 ? weighted / normalizer : 0, tokens: total};
    }

    /** Free the model's memory in the runtime. The model cannot be used afterwards. */
    dispose(): void {
        if (this.disposed) return;
        this.disposed = true;
        this.trainActs?.release();
        this.inferActs?.release();
        for (const b of [this.paramBuf, this.gradBuf, this.ropeCos, this.ropeSin]) if (b != null) this.runtime.release(b);
        this.last = undefined;
    }

    // ---- internals shared with the decoder ------------------------------------------------------

    /**
     * The forward pass over `rows` packed rows whose per-row inputs (tokens, targets, pos) and
     * per-sequence starts/lens are already in `acts`. `onQkv(layer, qkvPtr)` sees each layer's
     * post-RoPE projections (the decoder copies keys and values into its cache there). With a
     * temperature ≠ 1 the stored logits are divided by it before the log-softmax.
     */
    forwardRows(acts: Activations, rows: number, seqs: number, lensHost: ArrayLike<number>, wantLogits: boolean, onQkv?: (layer: number, qkv: number) => void,
        temperature = 1): void {
        const c = this.config, rt = this.runtime, P = this.paramPointers;
        const M = rows, d = c.dModel, V = c.vocabSize, F = c.dFF;
        const hd = headDim(c), dq = (c.nHeads + 2 * c.nKvHeads) * hd;
        rt.embeddingForward(M, acts.tokens.ptr, P.embed, acts.layers[0].x.ptr, d);
        for (let l = 0; l < c.nLayers; l++) {
            const L = acts.layers[l], p = P.layers[l];
            rt.rmsnormForward(M, L.x.ptr, d, p.ln1, L.xn1.ptr, d, L.rstd1.ptr, d, c.rmsNormEps);
            rt.gemm({M, N: dq, K: d, a: L.xn1.ptr, lda: d, b: p.wqkv, ldb: d, transB: true, c: L.qkv.ptr, ldc: dq});
            rt.rope(M, L.qkv.ptr, dq, c.nHeads + c.nKvHeads, hd, acts.pos.ptr, this.ropeCos.ptr, this.ropeSin.ptr, false);
            onQkv?.(l, L.qkv.ptr);
            rt.attentionForward(seqs, lensHost, {
                qkv: L.qkv.ptr, ldq: dq, out: L.att.ptr, ldo: d, lse: L.lse.ptr, starts: acts.starts.ptr, lens: acts.lens.ptr,
                nH: c.nHeads, nKv: c.nKvHeads, hd, scale: 1 / Math.sqrt(hd)
            });
            if (L.x2 !== L.x) rt.copy(L.x2.ptr, L.x.ptr, M * d);
            rt.gemm({M, N: d, K: d, a: L.att.ptr, lda: d, b: p.wo, ldb: d, transB: true, c: L.x2.ptr, ldc: d, accumulate: true});
            rt.rmsnormForward(M, L.x2.ptr, d, p.ln2, L.xn2.ptr, d, L.rstd2.ptr, d, c.rmsNormEps);
            rt.gemm({M, N: 2 * F, K: d, a: L.xn2.ptr, lda: d, b: p.wgu, ldb: d, transB: true, c: L.gu.ptr, ldc: 2 * F});
            rt.swigluForward(M, L.gu.ptr, 2 * F, L.h.ptr, F, F);
            const next = l + 1 < c.nLayers ? acts.layers[l + 1].x : acts.xL;
            if (next !== L.x2) rt.copy(next.ptr, L.x2.ptr, M * d);
            rt.gemm({M, N: d, K: F, a: L.h.ptr, lda: F, b: p.wdown, ldb: F, transB: true, c: next.ptr, ldc: d, accumulate: true});
        }
        rt.rmsnormForward(M, acts.xL.ptr, d, P.norm, acts.xf.ptr, d, acts.rstdf.ptr, d, c.rmsNormEps);
        if (wantLogits) {
            rt.gemm({M, N: V, K: d, a: acts.xf.ptr, lda: d, b: P.head, ldb: d, transB: true, c: acts.logits.ptr, ldc: V});
            if (temperature !== 1) rt.scale(acts.logits.ptr, M * V, Math.fround(1 / temperature));
            rt.logprobForward(M, acts.logits.ptr, V, acts.targets.ptr, acts.lseV.ptr, acts.logp.ptr);
        }
    }

    /** A workspace with room for `rows` rows and `seqs` sequences (inference mode; reused between calls). */
    inferenceWorkspace(rows: number, seqs: number): Activations {
        if (this.inferActs == null || !this.inferActs.fits(rows, seqs)) {
            this.inferActs?.release();
            this.inferActs = new Activations(this.runtime, this.config, grow(rows, this.inferActs?.rows), grow(seqs, this.inferActs?.seqs), false);
        }
        return this.inferActs;
    }

    /** Validate a batch and write its per-row inputs into the right workspace. */
    private prepare(sequences: TokenSequences, grad: boolean): {rows: number, starts: Int32Array, lens: Int32Array} {
        const c = this.config;
        if (sequences.length === 0) throw new InvalidInput("forward: the batch has no sequences", {field: "sequences"});
        const B = sequences.length;
        const starts = new Int32Array(B), lens = new Int32Array(B);
        let rows = 0;
        for (let b = 0; b < B; b++) {
            const L = sequences[b].length;
            if (L < 1 || L > c.maxSeqLen)
                throw new InvalidInput(`forward: sequences[${b}] has ${L} tokens; each sequence needs 1 to maxSeqLen (${c.maxSeqLen})`, {field: `sequences[${b}]`});
            starts[b] = rows;
            lens[b] = L;
            rows += L;
        }
        let acts: Activations;
        if (grad) {
            if (this.trainActs == null || !this.trainActs.fits(rows, B)) {
                const old = this.trainActs;
                this.last = undefined;
                old?.release();
                this.trainActs = new Activations(this.runtime, c, grow(rows, old?.rows), grow(B, old?.seqs), true);
            }
            acts = this.trainActs;
        } else {
            acts = this.inferenceWorkspace(rows, B);
            if (this.last?.acts === acts) this.last = undefined;
        }
        const tok = acts.tokens.view, tgt = acts.targets.view, pos = acts.pos.view;
        for (let b = 0; b < B; b++) {
            const seq = sequences[b], st = starts[b], L = lens[b];
            for (let t = 0; t < L; t++) {
                const id = seq[t];
                if (!Number.isInteger(id) || id < 0 || id >= c.vocabSize)
                    throw new InvalidInput(`forward: sequences[${b}][${t}] = ${id} is not a token id in [0, ${c.vocabSize})`, {field: `sequences[${b}][${t}]`});
                tok[st + t] = id;
                pos[st + t] = t;
                tgt[st + t] = t + 1 < L ? seq[t + 1] : -1;
            }
        }
        acts.starts.view.set(starts);
        acts.lens.view.set(lens);
        return {rows, starts, lens};
    }

    private gradBuffer(): F32Buffer {
        this.check();
        this.gradBuf ??= this.runtime.f32(this.numParams);
        return this.gradBuf;
    }

    private gradPointers(): ModelPointers {
        this.gptr ??= this.pointersAt(this.gradBuffer().ptr);
        return this.gptr;
    }

    private pointersAt(base: number): ModelPointers {
        const at = (name: string) => {
            const i = this.specs.findIndex((s) => s.name === name);
            if (i < 0) throw new Error(`no tensor ${name}`);
            return base + this.offsets[i] * 4;
        };
        const c = this.config, d = c.dModel, kv = c.nKvHeads * headDim(c);
        const layers = Array.from({length: c.nLayers}, (_, l): LayerPointers => {
            const pre = `model.layers.${l}.`;
            const q = at(`${pre}self_attn.q_proj.weight`), gate = at(`${pre}mlp.gate_proj.weight`);
            // The fused projections rely on q/k/v and gate/up being adjacent in paramSpecs order.
            if (at(`${pre}self_attn.k_proj.weight`) !== q + d * d * 4 || at(`${pre}self_attn.v_proj.weight`) !== q + (d * d + kv * d) * 4)
                throw new Error("paramSpecs order changed: q/k/v projections are not adjacent");
            if (at(`${pre}mlp.up_proj.weight`) !== gate + c.dFF * d * 4) throw new Error("paramSpecs order changed: gate/up projections are not adjacent");
            return {
                ln1: at(`${pre}input_layernorm.weight`), wqkv: q, wo: at(`${pre}self_attn.o_proj.weight`),
                ln2: at(`${pre}post_attention_layernorm.weight`), wgu: gate, wdown: at(`${pre}mlp.down_proj.weight`)
            };
        });
        const embed = at("model.embed_tokens.weight");
        return {embed, layers, norm: at("model.norm.weight"), head: c.tiedEmbeddings ? embed : at("lm_head.weight")};
    }

    private tensorView(flat: Float32Array, name: string): Float32Array {
        const i = this.specs.findIndex((s) => s.name === name);
        if (i < 0) throw new InvalidInput(`no parameter named '${name}' in this model`, {field: name});
        return flat.subarray(this.offsets[i], this.offsets[i] + this.specs[i].shape.reduce((a, b) => a * b, 1));
    }

    private check(): void {
        if (this.disposed) throw new InvalidInput("this NativeModel was disposed");
    }
}

/** New capacity: at least `need`, and at least 1.5× the old one so regrowth stays rare. */
function grow(need: number, old?: number): number {
    return Math.max(need, old == null ? 0 : Math.ceil(old * 1.5));
}
