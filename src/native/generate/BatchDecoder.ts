// Batched KV-cache decoding for a NativeModel: many sequences advance together, one token each per
// step, through the same kernels as training, so each sampled token's log-probability equals
// what `NativeModel.forward` computes for the finished sequence, bit for bit.
//
// A BatchDecoder runs continuous batching: sequences occupy slots; prompts waiting for a free slot
// are prefilled together with the training forward pass (which also fills the cache; identical
// prompts are computed once), then every active slot decodes one token per step, and a finished
// slot takes the next waiting prompt. Prompts can be submitted at any time — concurrent callers
// (an engine serving many small requests) share one batch.
import {Aborted, InvalidInput} from "../../errors.js";
import {Rng} from "../../protocol/rng.js";
import type {F32Buffer, I32Buffer} from "../kernels/WasmHeap.js";
import {headDim} from "../model/ModelConfig.js";
import type {NativeModel} from "../model/NativeModel.js";
import {sampleToken, topLogprobs} from "./sampling.js";

/** How one sequence is sampled and when it stops. */
export interface SequenceOptions {
    /** Maximum new tokens. */
    maxTokens: number;
    /** Sampling temperature; 0 is greedy. */
    temperature: number;
    /** Nucleus sampling mass (1 = no truncation). */
    topP: number;
    /** Seed of the sequence's own Rng: the same prompt and seed give the same completion in any batch. */
    seed: number;
    /** Tokens that end the sequence (kept as its last token). */
    stopTokens: readonly number[];
    /** Token sequences that end the sequence once generated (kept). */
    stopSequences: readonly (readonly number[])[];
    /** Most likely alternatives to report per position (0 = none). */
    topLogprobs: number;
    /** Temperature of the reported log-probabilities (1 = the model's distribution). */
    logprobTemperature: number;
}

/** One finished sequence. */
export interface GeneratedSequence {
    /** New tokens, including the stop token when `finishReason` is `"stop"`. */
    tokens: number[];
    /** log p(token) under the model (at `logprobTemperature`, no top-p truncation), one per token. */
    logprobs: number[];
    /** The most likely alternatives at each position, when asked for. */
    top?: {token: number, logprob: number}[][];
    /** `"stop"`: a stop token or sequence was generated; `"length"`: maxTokens, the cache capacity or maxSeqLen reached. */
    finishReason: "stop" | "length";
}

/** Options for `new BatchDecoder`. */
export interface BatchDecoderOptions {
    /** Sequences decoded at once (KV-cache slots). Defaults to `64`. */
    batchSize?: number;
    /** Positions per sequence in the KV cache (prompt + new tokens). Defaults to the model's `maxSeqLen`. */
    capacity?: number;
}

interface Job {
    prompt: ArrayLike<number>;
    options: SequenceOptions;
    stopTokens: Set<number>;
    signal?: AbortSignal;
    resolve: (out: GeneratedSequence) => void;
    reject: (e: unknown) => void;
}

interface Slot {
    job?: Job;
    /** Position of the pending (last sampled, not yet cached) token. */
    pos: number;
    rng: Rng;
    out: GeneratedSequence;
}

/** Where a row's reported log-probabilities come from: a logits buffer view, its lse, and the row in it. */
interface LogprobSource {
    logits: Float32Array;
    lse: Float32Array;
    row: number;
}

export class BatchDecoder {
    readonly model: NativeModel;
    readonly batchSize: number;
    readonly capacity: number;
    private state?: DecodeState;
    private readonly slots: Slot[];
    private waiting: Job[] = [];
    private running = false;
    private closed = false;
    private readonly probs: Float64Array;

    constructor(model: NativeModel, options: BatchDecoderOptions = {}) {
        this.model = model;
        this.batchSize = options.batchSize ?? 64;
        this.capacity = Math.min(options.capacity ?? model.config.maxSeqLen, model.config.maxSeqLen);
        if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new InvalidInput(`batchSize must be a positive integer, got ${this.batchSize}`, {field: "batchSize"});
        if (!Number.isInteger(this.capacity) || this.capacity < 1) throw new InvalidInput(`capacity must be a positive integer, got ${this.capacity}`, {field: "capacity"});
        this.slots = Array.from({length: this.batchSize}, () => ({pos: 0, rng: new Rng(0), out: {tokens: [], logprobs: [], finishReason: "length"}}));
        this.probs = new Float64Array(model.config.vocabSize);
    }

    /** Continue `prompt` (token ids); resolves with the finished sequence. */
    submit(prompt: ArrayLike<number>, options: SequenceOptions, signal?: AbortSignal): Promise<GeneratedSequence> {
        if (this.closed) return Promise.reject(new InvalidInput("this BatchDecoder was closed"));
        if (prompt.length < 1 || prompt.length > this.capacity)
            return Promise.reject(new InvalidInput(`the prompt has ${prompt.length} tokens; it needs 1 to ${this.capacity} (the model's maxSeqLen or the cache capacity)`, {field: "prompt"}));
        const o = options;
        if (!Number.isInteger(o.maxTokens) || o.maxTokens < 1) return Promise.reject(new InvalidInput(`maxTokens must be a positive integer, got ${o.maxTokens}`, {field: "maxTokens"}));
        if (!(o.temperature >= 0) || !Number.isFinite(o.temperature)) return Promise.reject(new InvalidInput(`temperature must be ≥ 0, got ${o.temperature}`, {field: "temperature"}));
        if (!(o.topP > 0 && o.topP <= 1)) return Promise.reject(new InvalidInput(`topP must be in (0, 1], got ${o.topP}`, {field: "topP"}));
        if (!(o.logprobTemperature > 0) || !Number.isFinite(o.logprobTemperature))
            return Promise.reject(new InvalidInput(`logprobTemperature must be > 0, got ${o.logprobTemperature}`, {field: "logprobTemperature"}));
        if (signal?.aborted === true) return Promise.reject(new Aborted("generation aborted"));
        return new Promise<GeneratedSequence>((resolve, reject) => {
            this.waiting.push({prompt, options: o, stopTokens: new Set(o.stopTokens), signal, resolve, reject});
            if (!this.running) void this.run();
        });
    }

    /** Free the KV cache and buffers (now if idle, else when the running batch ends); later submissions are rejected. */
    close(): void {
        this.closed = true;
        if (!this.running) this.releaseState();
    }

    /** Decode until no sequence is active or waiting. The event loop gets a turn between steps. */
    private async run(): Promise<void> {
        this.running = true;
        try {
            // (Re)pack the weights at the start of every busy period: a trainer may have updated them.
            if (this.state == null) this.state = new DecodeState(this.model, this.batchSize, this.capacity);
            else this.state.packWeights();
            const state = this.state;
            while (true) {
                this.dropAborted();
                const free = this.slots.filter((s) => s.job == null);
                const active = this.batchSize - free.length;
                if (this.waiting.length > 0 && free.length > 0 && (active === 0 || free.length >= Math.ceil(this.batchSize / 4) || this.waiting.length <= free.length)) {
                    this.refill(state, free);
                    continue;
                }
                const rows = this.slots.filter((s) => s.job != null);
                if (rows.length === 0) break;
                const slotIndex = rows.map((s) => this.slots.indexOf(s));
                const {logits, lse, logitsPtr} = state.step(rows.map((s, r) => ({slot: slotIndex[r], token: s.out.tokens[s.out.tokens.length - 1], pos: s.pos})));
                const sources = this.logprobSources(state, rows, logits, lse, logitsPtr, rows.map((_, r) => r));
                rows.forEach((s, r) => {
                    s.pos++;
                    if (this.accept(s, logits, r, sources[r])) this.finish(s);
                });
                await new Promise<void>((resolve) => setImmediate(resolve));
            }
        } catch (e) {
            for (const s of this.slots) {
                s.job?.reject(e);
                s.job = undefined;
            }
            for (const job of this.waiting) job.reject(e);
            this.waiting = [];
        } finally {
            this.running = false;
            if (this.closed) this.releaseState();
            else if (this.waiting.length > 0) void this.run();
        }
    }

    /** Move waiting prompts into free slots and prefill them (identical prompts once). */
    private refill(state: DecodeState, free: Slot[]): void {
        const assigned = free.slice(0, this.waiting.length);
        const jobs = this.waiting.splice(0, assigned.length);
        assigned.forEach((s, k) => {
            s.job = jobs[k];
            s.pos = jobs[k].prompt.length;
            s.rng = new Rng(jobs[k].options.seed);
            s.out = {tokens: [], logprobs: [], finishReason: "length"};
        });
        const firstOf = new Map<string, number>();
        const source = assigned.map((s, k) => {
            const key = Array.prototype.join.call(s.job!.prompt, ",");
            const first = firstOf.get(key);
            if (first != null) return first;
            firstOf.set(key, k);
            return k;
        });
        const unique = assigned.filter((_, k) => source[k] === k);
        const uniqueIndex = new Map(unique.map((s, u) => [s, u]));
        const {logits, lse, logitsPtr, lastRows} = state.prefill(unique.map((s) => this.slots.indexOf(s)), unique.map((s) => s.job!.prompt));
        const rowOf = assigned.map((_, k) => lastRows[uniqueIndex.get(assigned[source[k]])!]);
        const sources = this.logprobSources(state, assigned, logits, lse, logitsPtr, rowOf);
        assigned.forEach((s, k) => {
            const src = assigned[source[k]];
            if (src !== s) state.copyCache(this.slots.indexOf(src), this.slots.indexOf(s), s.job!.prompt.length);
            if (this.accept(s, logits, rowOf[k], sources[k])) this.finish(s);
        });
    }

    /**
     * Where each slot's reported log-probabilities come from: the raw logits rows, or for slots
     * with logprobTemperature ≠ 1 a tempered copy (one kernel pass per distinct temperature).
     */
    private logprobSources(state: DecodeState, slots: Slot[], logits: Float32Array, lse: Float32Array, logitsPtr: number, rows: number[]): LogprobSource[] {
        const out: LogprobSource[] = rows.map((row) => ({logits, lse, row}));
        const byTemperature = new Map<number, number[]>();
        slots.forEach((s, k) => {
            const t = s.job!.options.logprobTemperature;
            if (t !== 1) byTemperature.set(t, [...(byTemperature.get(t) ?? []), k]);
        });
        let base = 0;
        for (const [t, ks] of byTemperature) {
            const tempered = state.temper(logitsPtr, ks.map((k) => rows[k]), t, base);
            ks.forEach((k, j) => out[k] = {logits: tempered.logits, lse: tempered.lse, row: base + j});
            base += ks.length;
        }
        return out;
    }

    /** Sample the next token of slot s from logits row `row`; true when the sequence is finished. */
    private accept(s: Slot, logits: Float32Array, row: number, lp: LogprobSource): boolean {
        const job = s.job!, o = job.options, V = this.model.config.vocabSize;
        const tok = sampleToken(logits, row * V, V, o, s.rng, this.probs);
        const loff = lp.row * V, z = lp.lse[lp.row];
        s.out.tokens.push(tok);
        // f32 subtraction, as the training kernel computes log p(target).
        s.out.logprobs.push(Math.fround(lp.logits[loff + tok] - z));
        if (o.topLogprobs > 0) (s.out.top ??= []).push(topLogprobs(lp.logits, loff, V, z, o.topLogprobs));
        if (job.stopTokens.has(tok) || endsWithAny(s.out.tokens, o.stopSequences)) {
            s.out.finishReason = "stop";
            return true;
        }
        // The pending token is processed at position s.pos, which must be inside the cache.
        return s.out.tokens.length >= o.maxTokens || s.pos >= this.capacity;
    }

    private finish(s: Slot): void {
        s.job!.resolve(s.out);
        s.job = undefined;
    }

    private dropAborted(): void {
        this.waiting = this.waiting.filter((job) => {
            if (job.signal?.aborted !== true) return true;
            job.reject(new Aborted("generation aborted"));
            return false;
        });
        for (const s of this.slots) {
            if (s.job?.signal?.aborted === true) {
                s.job.reject(new Aborted("generation aborted"));
                s.job = undefined;
            }
        }
    }

    private releaseState(): void {
        this.state?.release();
        this.state = undefined;
    }
}

function endsWithAny(tokens: number[], seqs: readonly (readonly number[])[]): boolean {
    outer: for (const s of seqs) {
        if (s.length === 0 || s.length > tokens.length) continue;
        for (let i = 0; i < s.length; i++) if (tokens[tokens.length - s.length + i] !== s[i]) continue outer;
        return true;
    }
    return false;
}

/** KV cache and decode-step buffers for `slots` sequences of up to `cap` positions. */
class DecodeState {
    readonly cap: number;
    private readonly model: NativeModel;
    private readonly slots: number;
    private readonly kt: F32Buffer[];
    private readonly v: F32Buffer[];
    private readonly buf: Record<"x" | "xn" | "rstd" | "qkv" | "att" | "gu" | "h" | "logits" | "lse" | "logp" | "tlogits" | "tlse", F32Buffer>;
    private readonly ibuf: Record<"tokens" | "rowSeq" | "rowPos" | "nkeys" | "targets", I32Buffer>;
    /** Weights packed for the decode matmuls (see packWeight); the model must not change while decoding. */
    private readonly packed: {layers: {wqkv: F32Buffer, wo: F32Buffer, wgu: F32Buffer, wdown: F32Buffer}[], head: F32Buffer};
    private prefillIdx?: {rowSeq: I32Buffer, rowPos: I32Buffer};

    constructor(model: NativeModel, slots: number, cap: number) {
        this.model = model;
        this.slots = slots;
        this.cap = cap;
        const c = model.config, rt = model.runtime, hd = headDim(c);
        const cacheFloats = slots * c.nKvHeads * hd * cap;
        this.kt = Array.from({length: c.nLayers}, () => rt.f32(cacheFloats));
        this.v = Array.from({length: c.nLayers}, () => rt.f32(cacheFloats));
        const d = c.dModel, dq = (c.nHeads + 2 * c.nKvHeads) * hd, F = c.dFF;
        this.buf = {
            x: rt.f32(slots * d), xn: rt.f32(slots * d), rstd: rt.f32(slots), qkv: rt.f32(slots * dq), att: rt.f32(slots * d),
            gu: rt.f32(slots * 2 * F), h: rt.f32(slots * F), logits: rt.f32(slots * c.vocabSize), lse: rt.f32(slots), logp: rt.f32(slots),
            tlogits: rt.f32(slots * c.vocabSize), tlse: rt.f32(slots)
        };
        this.ibuf = {tokens: rt.i32(slots), rowSeq: rt.i32(slots), rowPos: rt.i32(slots), nkeys: rt.i32(slots), targets: rt.i32(slots)};
        this.ibuf.targets.view.fill(-1);
        const V = c.vocabSize;
        const alloc = (N: number, K: number) => rt.f32(rt.packedWeightFloats(N, K));
        this.packed = {
            layers: model.paramPointers.layers.map(() => ({wqkv: alloc(dq, d), wo: alloc(d, d), wgu: alloc(2 * F, d), wdown: alloc(d, F)})),
            head: alloc(V, d)
        };
        this.packWeights();
    }

    /** Pack the model's current weights for the decode matmuls (at the start of each busy period). */
    packWeights(): void {
        const m = this.model, c = m.config, rt = m.runtime, d = c.dModel, F = c.dFF, dq = (c.nHeads + 2 * c.nKvHeads) * headDim(c);
        m.paramPointers.layers.forEach((p, l) => {
            const w = this.packed.layers[l];
            rt.packWeight(p.wqkv, dq, d, w.wqkv.ptr);
            rt.packWeight(p.wo, d, d, w.wo.ptr);
            rt.packWeight(p.wgu, 2 * F, d, w.wgu.ptr);
            rt.packWeight(p.wdown, d, F, w.wdown.ptr);
        });
        rt.packWeight(m.paramPointers.head, c.vocabSize, d, this.packed.head.ptr);
    }

    /**
     * Run the prompts through the training forward pass (inference mode), writing their keys and
     * values into the cache slots. Returns the logits and lse of every row and each prompt's last row.
     */
    prefill(slotIds: number[], prompts: ArrayLike<number>[]): {logits: Float32Array, lse: Float32Array, logitsPtr: number, lastRows: number[]} {
        const m = this.model, c = m.config, rt = m.runtime, hd = headDim(c), dq = (c.nHeads + 2 * c.nKvHeads) * hd;
        const rows = prompts.reduce((n, p) => n + p.length, 0);
        const acts = m.inferenceWorkspace(rows, prompts.length);
        if (this.prefillIdx == null || this.prefillIdx.rowSeq.length < rows) {
            if (this.prefillIdx != null) {
                rt.release(this.prefillIdx.rowSeq);
                rt.release(this.prefillIdx.rowPos);
            }
            this.prefillIdx = {rowSeq: rt.i32(rows), rowPos: rt.i32(rows)};
        }
        const {rowSeq, rowPos} = this.prefillIdx;
        const lens = new Int32Array(prompts.length), lastRows: number[] = [];
        let r = 0;
        prompts.forEach((p, b) => {
            acts.starts.view[b] = r;
            acts.lens.view[b] = lens[b] = p.length;
            for (let t = 0; t < p.length; t++, r++) {
                acts.tokens.view[r] = p[t];
                acts.pos.view[r] = t;
                acts.targets.view[r] = -1;
                rowSeq.view[r] = slotIds[b];
                rowPos.view[r] = t;
            }
            lastRows.push(r - 1);
        });
        m.forwardRows(acts, rows, prompts.length, lens, true, (l, qkv) => {
            rt.kvWrite(rows, qkv, dq, rowSeq.ptr, rowPos.ptr, this.kt[l].ptr, this.v[l].ptr, this.cap, c.nHeads, c.nKvHeads, hd);
        });
        return {logits: acts.logits.view, lse: acts.lseV.view, logitsPtr: acts.logits.ptr, lastRows};
    }

    /** Copy the first `n` cached positions of slot `from` into slot `to` (every layer and kv head). */
    copyCache(from: number, to: number, n: number): void {
        const c = this.model.config, rt = this.model.runtime, hd = headDim(c), cap = this.cap;
        for (let l = 0; l < c.nLayers; l++) {
            for (let g = 0; g < c.nKvHeads; g++) {
                const src = (from * c.nKvHeads + g) * hd * cap, dst = (to * c.nKvHeads + g) * hd * cap;
                for (let i = 0; i < hd; i++) rt.copy(this.kt[l].ptr + (dst + i * cap) * 4, this.kt[l].ptr + (src + i * cap) * 4, n);
                rt.copy(this.v[l].ptr + dst * 4, this.v[l].ptr + src * 4, n * hd);
            }
        }
    }

    /**
     * Logits rows `rows` of the buffer at `src` divided by `temperature` (the same kernel as
     * `NativeModel.forward`'s temperature), with their log-sum-exp, written to rows base + k of
     * the tempered buffers (callers give each temperature group its own rows).
     */
    temper(src: number, rows: number[], temperature: number, base: number): {logits: Float32Array, lse: Float32Array} {
        const rt = this.model.runtime, V = this.model.config.vocabSize, b = this.buf;
        rows.forEach((r, k) => rt.copy(b.tlogits.ptr + (base + k) * V * 4, src + r * V * 4, V));
        rt.scale(b.tlogits.ptr + base * V * 4, rows.length * V, Math.fround(1 / temperature));
        rt.logprobForward(rows.length, b.tlogits.ptr + base * V * 4, V, this.ibuf.targets.ptr, b.tlse.ptr + base * 4, b.logp.ptr + base * 4);
        return {logits: b.tlogits.view, lse: b.tlse.view};
    }

    /** One decode step: process each row's pending token at its position; logits for the next token. */
    step(rows: {slot: number, token: number, pos: number}[]): {logits: Float32Array, lse: Float32Array, logitsPtr: number} {
        const m = this.model, c = m.config, rt = m.runtime, P = m.paramPointers;
        const M = rows.length, d = c.dModel, hd = headDim(c), dq = (c.nHeads + 2 * c.nKvHeads) * hd, F = c.dFF, V = c.vocabSize;
        const b = this.buf, ib = this.ibuf;
        rows.forEach((row, r) => {
            ib.tokens.view[r] = row.token;
            ib.rowSeq.view[r] = row.slot;
            ib.rowPos.view[r] = row.pos;
            ib.nkeys.view[r] = row.pos + 1;
        });
        rt.embeddingForward(M, ib.tokens.ptr, P.embed, b.x.ptr, d);
        for (let l = 0; l < c.nLayers; l++) {
            const p = P.layers[l], w = this.packed.layers[l];
            rt.rmsnormForward(M, b.x.ptr, d, p.ln1, b.xn.ptr, d, b.rstd.ptr, d, c.rmsNormEps);
            rt.gemmPrepacked(M, dq, d, b.xn.ptr, d, w.wqkv.ptr, b.qkv.ptr, dq);
            rt.rope(M, b.qkv.ptr, dq, c.nHeads + c.nKvHeads, hd, ib.rowPos.ptr, m.ropeCos.ptr, m.ropeSin.ptr, false);
            rt.kvWrite(M, b.qkv.ptr, dq, ib.rowSeq.ptr, ib.rowPos.ptr, this.kt[l].ptr, this.v[l].ptr, this.cap, c.nHeads, c.nKvHeads, hd);
            rt.attentionDecode(M, rows.map((row) => row.pos + 1), b.qkv.ptr, dq, ib.rowSeq.ptr, ib.nkeys.ptr, this.kt[l].ptr, this.v[l].ptr, this.cap,
                b.att.ptr, d, c.nHeads, c.nKvHeads, hd, 1 / Math.sqrt(hd));
            rt.gemmPrepacked(M, d, d, b.att.ptr, d, w.wo.ptr, b.x.ptr, d, true);
            rt.rmsnormForward(M, b.x.ptr, d, p.ln2, b.xn.ptr, d, b.rstd.ptr, d, c.rmsNormEps);
            rt.gemmPrepacked(M, 2 * F, d, b.xn.ptr, d, w.wgu.ptr, b.gu.ptr, 2 * F);
            rt.swigluForward(M, b.gu.ptr, 2 * F, b.h.ptr, F, F);
            rt.gemmPrepacked(M, d, F, b.h.ptr, F, w.wdown.ptr, b.x.ptr, d, true);
        }
        rt.rmsnormForward(M, b.x.ptr, d, P.norm, b.xn.ptr, d, b.rstd.ptr, d, c.rmsNormEps);
        rt.gemmPrepacked(M, V, d, b.xn.ptr, d, this.packed.head.ptr, b.logits.ptr, V);
        rt.logprobForward(M, b.logits.ptr, V, ib.targets.ptr, b.lse.ptr, b.logp.ptr);
        return {logits: b.logits.view, lse: b.lse.view, logitsPtr: b.logits.ptr};
    }

    release(): void {
        const rt = this.model.runtime;
        const packed = [...this.packed.layers.flatMap((l) => Object.values(l)), this.packed.head];
        for (const x of [...this.kt, ...this.v, ...Object.values(this.buf), ...Object.values(this.ibuf), ...packed]) rt.release(x);
        if (this.prefillIdx != null) {
            rt.release(this.prefillIdx.rowSeq);
            rt.release(this.prefillIdx.rowPos);
        }
    }
}
