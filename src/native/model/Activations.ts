// The working memory of one model: activations kept between the forward and the backward pass,
// gradient temporaries, and the per-batch index arrays, all in the kernel runtime's shared memory.
// Buffers are sized for a capacity of `rows` packed tokens and `seqs` sequences and reallocated
// (larger) when a batch needs more. In inference mode the per-layer buffers are shared by all
// layers and the residual stream is updated in place, so memory does not grow with depth.
import type {KernelRuntime} from "../kernels/KernelRuntime.js";
import type {F32Buffer, I32Buffer} from "../kernels/WasmHeap.js";
import type {ModelConfig} from "./ModelConfig.js";
import {headDim} from "./ModelConfig.js";

/** Buffers of one decoder layer; row counts are the capacity. Shapes in comments are [rows, width]. */
export interface LayerActivations {
    /** Residual stream entering the layer [rows, d]. */
    x: F32Buffer;
    /** Residual stream after attention [rows, d] (the same buffer as x in inference mode). */
    x2: F32Buffer;
    /** RMSNorm outputs and their reciprocal RMS [rows, d], [rows]. */
    xn1: F32Buffer;
    rstd1: F32Buffer;
    xn2: F32Buffer;
    rstd2: F32Buffer;
    /** Fused q/k/v projection after RoPE [rows, (nH + 2·nKv)·hd]. */
    qkv: F32Buffer;
    /** Attention output before o_proj [rows, d] and log-sum-exp per query head [rows, nH]. */
    att: F32Buffer;
    lse: F32Buffer;
    /** Fused gate/up projection [rows, 2F] and SwiGLU output [rows, F]. */
    gu: F32Buffer;
    h: F32Buffer;
}

export class Activations {
    readonly rows: number;
    readonly seqs: number;
    readonly training: boolean;
    readonly layers: LayerActivations[];
    /** Residual stream after the last layer [rows, d]. */
    readonly xL: F32Buffer;
    /** Final RMSNorm output (the hidden states heads read) [rows, d] and its rstd [rows]. */
    readonly xf: F32Buffer;
    readonly rstdf: F32Buffer;
    /** LM-head logits [rows, V], replaced in place by their gradient in backward. */
    readonly logits: F32Buffer;
    /** Per row: log-sum-exp of the logits, log p(target), d loss / d log p(target). */
    readonly lseV: F32Buffer;
    readonly logp: F32Buffer;
    readonly glogp: F32Buffer;
    /** Per row: input token (pads → 0), target token (−1 = none), position, token for the embedding gradient. */
    readonly tokens: I32Buffer;
    readonly targets: I32Buffer;
    readonly pos: I32Buffer;
    /** Per sequence: first row and length. */
    readonly starts: I32Buffer;
    readonly lens: I32Buffer;
    /** Backward temporaries (training only). */
    readonly dx?: F32Buffer;
    readonly dxn?: F32Buffer;
    readonly datt?: F32Buffer;
    readonly dqkv?: F32Buffer;
    readonly dh?: F32Buffer;
    readonly dgu?: F32Buffer;
    private readonly runtime: KernelRuntime;
    private readonly owned: {ptr: number}[] = [];

    constructor(runtime: KernelRuntime, config: ModelConfig, rows: number, seqs: number, training: boolean) {
        this.runtime = runtime;
        this.rows = rows;
        this.seqs = seqs;
        this.training = training;
        const d = config.dModel, hd = headDim(config), dq = (config.nHeads + 2 * config.nKvHeads) * hd, F = config.dFF;
        const f = (n: number) => this.own(runtime.f32(n));
        const makeLayer = (x: F32Buffer, x2: F32Buffer): LayerActivations => ({
            x, x2,
            xn1: f(rows * d), rstd1: f(rows), xn2: f(rows * d), rstd2: f(rows),
            qkv: f(rows * dq), att: f(rows * d), lse: f(rows * config.nHeads),
            gu: f(rows * 2 * F), h: f(rows * F)
        });
        if (training) {
            const xs = Array.from({length: 2 * config.nLayers + 1}, () => f(rows * d));
            this.layers = Array.from({length: config.nLayers}, (_, l) => makeLayer(xs[2 * l], xs[2 * l + 1]));
            this.xL = xs[2 * config.nLayers];
            this.dx = f(rows * d);
            this.dxn = f(rows * d);
            this.datt = f(rows * d);
            this.dqkv = f(rows * dq);
            this.dh = f(rows * F);
            this.dgu = f(rows * 2 * F);
        } else {
            const x = f(rows * d);
            const shared = makeLayer(x, x);
            this.layers = Array.from({length: config.nLayers}, () => shared);
            this.xL = x;
        }
        this.xf = f(rows * d);
        this.rstdf = f(rows);
        this.logits = f(rows * config.vocabSize);
        this.lseV = f(rows);
        this.logp = f(rows);
        this.glogp = f(rows);
        const i = (n: number) => this.own(runtime.i32(n));
        this.tokens = i(rows);
        this.targets = i(rows);
        this.pos = i(rows);
        this.starts = i(seqs);
        this.lens = i(seqs);
    }

    /**
     * Bytes of workspace per packed token (row), excluding the small per-sequence arrays: what a
     * trainer needs to size micro-batches. Training keeps every layer's activations plus the
     * backward temporaries; inference shares one set of layer buffers.
     */
    static bytesPerRow(config: ModelConfig, training: boolean): number {
        const d = config.dModel, dq = (config.nHeads + 2 * config.nKvHeads) * headDim(config), F = config.dFF, L = config.nLayers;
        const layer = 3 * d + dq + 3 * F + config.nHeads + 2;
        const head = d + 1 + config.vocabSize + 3 + 3;
        const floats = training
            ? (2 * L + 1) * d + L * layer + head + 3 * d + dq + 3 * F
            : d + layer + head;
        return floats * 4;
    }

    /** Whether this workspace can hold a batch. */
    fits(rows: number, seqs: number): boolean {
        return rows <= this.rows && seqs <= this.seqs;
    }

    /** Return every buffer to the runtime's heap. */
    release(): void {
        for (const b of this.owned) this.runtime.release(b);
        this.owned.length = 0;
    }

    private own<T extends {ptr: number}>(b: T): T {
        this.owned.push(b);
        return b;
    }
}
