// AdamW over a NativeModel's flat parameters and gradients, in torch.optim.AdamW's formulation
// (decoupled weight decay, bias correction). The moment buffers live in the kernel runtime's
// memory next to the parameters; the update runs as one SIMD kernel per tensor group.
import {InvalidInput} from "../../errors.js";
import type {F32Buffer} from "../kernels/WasmHeap.js";
import type {ParamSpec} from "./ModelConfig.js";
import type {NativeModel} from "./NativeModel.js";

/** Options for `AdamW`. */
export interface AdamWOptions {
    /** Learning rate (can be changed per step with `step(lr)`). Defaults to `1e-3`. */
    lr?: number;
    /** First-moment decay. Defaults to `0.9`. */
    beta1?: number;
    /** Second-moment decay. Defaults to `0.95`. */
    beta2?: number;
    /** Denominator epsilon. Defaults to `1e-8`. */
    eps?: number;
    /** Decoupled weight decay. Defaults to `0.1`. */
    weightDecay?: number;
    /** Which tensors get weight decay. Defaults to every matrix (embeddings and projections), not the norm weights. */
    decay?: (spec: ParamSpec) => boolean;
}

/** Optimizer state for checkpoints: the step count and both moment vectors (flat, `specs` order). */
export interface AdamWState {
    step: number;
    m: Float32Array;
    v: Float32Array;
}

export class AdamW {
    readonly model: NativeModel;
    lr: number;
    readonly beta1: number;
    readonly beta2: number;
    readonly eps: number;
    readonly weightDecay: number;
    private t = 0;
    private readonly m: F32Buffer;
    private readonly v: F32Buffer;
    /** Contiguous [start, end, decays] float ranges of the flat buffer. */
    private readonly groups: {start: number, end: number, decays: boolean}[];

    constructor(model: NativeModel, options: AdamWOptions = {}) {
        this.model = model;
        this.lr = options.lr ?? 1e-3;
        this.beta1 = options.beta1 ?? 0.9;
        this.beta2 = options.beta2 ?? 0.95;
        this.eps = options.eps ?? 1e-8;
        this.weightDecay = options.weightDecay ?? 0.1;
        for (const [k, v] of Object.entries({lr: this.lr, beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay})) {
            if (!Number.isFinite(v) || v < 0) throw new InvalidInput(`AdamW: '${k}' must be a finite number ≥ 0, got ${v}`, {field: k});
        }
        if (this.beta1 >= 1 || this.beta2 >= 1) throw new InvalidInput("AdamW: beta1 and beta2 must be < 1", {field: "beta1"});
        const decay = options.decay ?? ((s: ParamSpec) => s.shape.length >= 2);
        this.groups = [];
        model.specs.forEach((s, i) => {
            const start = model.offsets[i], end = start + s.shape.reduce((a, b) => a * b, 1), decays = decay(s);
            const last = this.groups[this.groups.length - 1];
            if (last != null && last.decays === decays && last.end === start) last.end = end;
            else this.groups.push({start, end, decays});
        });
        this.m = model.runtime.f32(model.numParams);
        this.v = model.runtime.f32(model.numParams);
    }

    /** Steps taken so far. */
    get stepCount(): number {
        return this.t;
    }

    /** Apply one update from the model's current gradients (clip them first if wanted). */
    step(lr: number = this.lr): void {
        if (!Number.isFinite(lr) || lr < 0) throw new InvalidInput(`AdamW: learning rate must be a finite number ≥ 0, got ${lr}`, {field: "lr"});
        this.t++;
        const rt = this.model.runtime;
        const bc1 = 1 - this.beta1 ** this.t, bc2 = 1 - this.beta2 ** this.t;
        const p = this.model.params, g = this.model.grads;
        const pp = p.byteOffset, gp = g.byteOffset;
        for (const grp of this.groups) {
            const off = grp.start * 4;
            rt.adamw(grp.end - grp.start, pp + off, gp + off, this.m.ptr + off, this.v.ptr + off,
                this.beta1, this.beta2, this.eps, lr / bc1, grp.decays ? 1 - lr * this.weightDecay : 1, Math.sqrt(bc2));
        }
    }

    /** A copy of the optimizer state. */
    getState(): AdamWState {
        return {step: this.t, m: Float32Array.from(this.m.view), v: Float32Array.from(this.v.view)};
    }

    /** Restore a state from `getState()` (for resuming training). */
    setState(state: AdamWState): void {
        if (state.m.length !== this.m.length || state.v.length !== this.v.length)
            throw new InvalidInput(`AdamW.setState: state has ${state.m.length} values, the model has ${this.m.length} parameters`);
        this.t = state.step;
        this.m.view.set(state.m);
        this.v.view.set(state.v);
    }

    /** Free the moment buffers. */
    dispose(): void {
        this.model.runtime.release(this.m);
        this.model.runtime.release(this.v);
    }
}
