// The whole native model's forward pass in float64, composed from the reference ops: the oracle
// for the model-level gradient check (finite differences of this function against the kernels'
// hand-written backward pass) and for logits parity.
import type {ModelConfig} from "../model/ModelConfig.js";
import {headDim} from "../model/ModelConfig.js";
import {ropeTables} from "../model/ropeTables.js";
import {attention64, linear64, logprob64, rmsnorm64, rope64, swiglu64} from "./ops64.js";

/** Output of `llamaForward64`, rows packed as in `NativeModel.forward`. */
export interface Forward64 {
    /** log p(token t | < t) at row(b, t), 0 at t = 0. */
    logprobs: Float64Array;
    /** Final hidden states [rows, d]. */
    hidden: Float64Array;
    /** Logits [rows, V] divided by the temperature (row r predicts token r + 1 of its sequence). */
    logits: Float64Array;
}

/** `temperature` divides the logits before the log-softmax (as `NativeModel.forward`'s option). */
export function llamaForward64(config: ModelConfig, params: ReadonlyMap<string, Float64Array>, sequences: readonly ArrayLike<number>[], temperature = 1): Forward64 {
    const d = config.dModel, hd = headDim(config), nH = config.nHeads, nKv = config.nKvHeads, F = config.dFF, V = config.vocabSize;
    const dq = (nH + 2 * nKv) * hd;
    const {cos, sin} = ropeTables(hd, config.maxSeqLen, config.ropeTheta);
    const cos64 = Float64Array.from(cos), sin64 = Float64Array.from(sin);
    const P = (name: string) => {
        const t = params.get(name);
        if (t == null) throw new Error(`missing ${name}`);
        return t;
    };
    const rows = sequences.reduce((n, s) => n + s.length, 0);
    const logprobs = new Float64Array(rows), hidden = new Float64Array(rows * d), logits = new Float64Array(rows * V);
    let start = 0;
    for (const seq of sequences) {
        const T = seq.length;
        const E = P("model.embed_tokens.weight");
        let x = new Float64Array(T * d);
        for (let t = 0; t < T; t++) x.set(E.subarray(seq[t] * d, seq[t] * d + d), t * d);
        const pos = Array.from({length: T}, (_, t) => t);
        for (let l = 0; l < config.nLayers; l++) {
            const pre = `model.layers.${l}.`;
            const xn = rmsnorm64(x, P(`${pre}input_layernorm.weight`), T, d, config.rmsNormEps);
            const wqkv = new Float64Array(dq * d);
            wqkv.set(P(`${pre}self_attn.q_proj.weight`), 0);
            wqkv.set(P(`${pre}self_attn.k_proj.weight`), nH * hd * d);
            wqkv.set(P(`${pre}self_attn.v_proj.weight`), (nH + nKv) * hd * d);
            const qkv = rope64(linear64(xn, wqkv, T, d, dq), T, dq, nH + nKv, hd, pos, cos64, sin64);
            const att = attention64(qkv, {B: 1, T, nH, nKv, hd, lens: [T]});
            const o = linear64(att, P(`${pre}self_attn.o_proj.weight`), T, d, d);
            const x2 = x.map((v, i) => v + o[i]);
            const xn2 = rmsnorm64(x2, P(`${pre}post_attention_layernorm.weight`), T, d, config.rmsNormEps);
            const wgu = new Float64Array(2 * F * d);
            wgu.set(P(`${pre}mlp.gate_proj.weight`), 0);
            wgu.set(P(`${pre}mlp.up_proj.weight`), F * d);
            const h = swiglu64(linear64(xn2, wgu, T, d, 2 * F), T, F);
            const down = linear64(h, P(`${pre}mlp.down_proj.weight`), T, F, d);
            x = x2.map((v, i) => v + down[i]);
        }
        const xf = rmsnorm64(x, P("model.norm.weight"), T, d, config.rmsNormEps);
        const head = config.tiedEmbeddings ? P("model.embed_tokens.weight") : P("lm_head.weight");
        const lg = linear64(xf, head, T, d, V).map((v) => v / temperature);
        const targets = Array.from({length: T}, (_, t) => (t + 1 < T ? seq[t + 1] : -1));
        const lp = logprob64(lg, T, V, targets);
        for (let t = 1; t < T; t++) logprobs[start + t] = lp[t - 1];
        hidden.set(xf, start * d);
        logits.set(lg, start * V);
        start += T;
    }
    return {logprobs, hidden, logits};
}
