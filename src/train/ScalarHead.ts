// A scalar head on the decoder's final hidden states: s = h·w + b (h: [dModel]). It is the
// Bradley–Terry reward model's score head and the PPO critic's value head, like transformers'
// `*ForSequenceClassification` / `*ForTokenClassification` with one label. Its parameters are a
// handful of floats, so it keeps them and its AdamW moments in plain typed arrays (the update is
// torch.optim.AdamW's, in float64 arithmetic, stored as float32).
import {InvalidInput} from "../errors.js";
import {Rng} from "../protocol/rng.js";

export class ScalarHead {
    readonly dModel: number;
    /** [w (dModel), b]. */
    readonly params: Float32Array;
    readonly grads: Float32Array;
    private readonly m: Float32Array;
    private readonly v: Float32Array;
    private t = 0;

    constructor(dModel: number, params?: Float32Array) {
        this.dModel = dModel;
        this.params = new Float32Array(dModel + 1);
        if (params != null) {
            if (params.length !== dModel + 1) throw new InvalidInput(`scalar head: expected ${dModel + 1} values, got ${params.length}`, {field: "head"});
            this.params.set(params);
        }
        this.grads = new Float32Array(dModel + 1);
        this.m = new Float32Array(dModel + 1);
        this.v = new Float32Array(dModel + 1);
    }

    /** A head with weights N(0, 0.02) from `Rng(seed)` and bias 0 (transformers' init). */
    static init(dModel: number, seed: number): ScalarHead {
        const head = new ScalarHead(dModel);
        const rng = new Rng(seed);
        for (let i = 0; i < dModel; i++) head.params[i] = rng.normal() * 0.02;
        return head;
    }

    /** The score of hidden row `row` of `hidden` [rows, dModel]. */
    score(hidden: ArrayLike<number>, row: number): number {
        const d = this.dModel, o = row * d;
        let s = this.params[d];
        for (let i = 0; i < d; i++) s += hidden[o + i] * this.params[i];
        return s;
    }

    /**
     * Backward of `score` for one row: add g·h to the weight gradient, g to the bias gradient, and
     * g·w into `hiddenGrads` at that row.
     */
    backward(hidden: ArrayLike<number>, row: number, g: number, hiddenGrads: Float32Array): void {
        const d = this.dModel, o = row * d;
        for (let i = 0; i < d; i++) {
            this.grads[i] += g * hidden[o + i];
            hiddenGrads[o + i] += g * this.params[i];
        }
        this.grads[d] += g;
    }

    zeroGrad(): void {
        this.grads.fill(0);
    }

    /** Σ grad², for a global gradient norm shared with the trunk. */
    gradSquares(): number {
        let s = 0;
        for (let i = 0; i < this.grads.length; i++) s += this.grads[i] * this.grads[i];
        return s;
    }

    scaleGrads(s: number): void {
        for (let i = 0; i < this.grads.length; i++) this.grads[i] *= s;
    }

    /** One AdamW update (weight decay on w only, as on every matrix of the trunk). */
    step(lr: number, o: {beta1: number, beta2: number, eps?: number, weightDecay: number}): void {
        const eps = o.eps ?? 1e-8;
        this.t++;
        const bc1 = 1 - o.beta1 ** this.t, bc2 = 1 - o.beta2 ** this.t;
        for (let i = 0; i < this.params.length; i++) {
            const g = this.grads[i];
            this.m[i] = this.m[i] * o.beta1 + g * (1 - o.beta1);
            this.v[i] = this.v[i] * o.beta2 + g * g * (1 - o.beta2);
            const decay = i < this.dModel ? 1 - lr * o.weightDecay : 1;
            this.params[i] = this.params[i] * decay - (lr / bc1) * (this.m[i] / (Math.sqrt(this.v[i]) / Math.sqrt(bc2) + eps));
        }
    }

    /** Tensors for a trainer checkpoint, under `prefix`. */
    state(prefix: string): [string, Float32Array][] {
        return [[`${prefix}.params`, Float32Array.from(this.params)], [`${prefix}.m`, Float32Array.from(this.m)], [`${prefix}.v`, Float32Array.from(this.v)], [`${prefix}.t`, Float32Array.of(this.t)]];
    }

    /** Restore from `state(prefix)` tensors. */
    setState(tensors: Map<string, Float32Array>, prefix: string): void {
        for (const [name, dst] of [["params", this.params], ["m", this.m], ["v", this.v]] as const) {
            const src = tensors.get(`${prefix}.${name}`);
            if (src == null || src.length !== dst.length) throw new InvalidInput(`the checkpoint has no valid '${prefix}.${name}' tensor`, {field: `${prefix}.${name}`});
            dst.set(src);
        }
        this.t = tensors.get(`${prefix}.t`)?.[0] ?? 0;
    }

    /** Hugging Face style tensors for a model folder: `<name>.weight` [1, dModel] and `<name>.bias` [1]. */
    exportTensors(name: string): Map<string, {shape: number[], data: Float32Array}> {
        return new Map([
            [`${name}.weight`, {shape: [1, this.dModel], data: this.params.slice(0, this.dModel)}],
            [`${name}.bias`, {shape: [1], data: this.params.slice(this.dModel)}]
        ]);
    }
}
