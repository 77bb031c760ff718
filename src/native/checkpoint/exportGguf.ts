// Export a native model as a `llama`-architecture GGUF for llama.cpp / node-llama-cpp.
//
// Two conventions differ between Hugging Face Llama weights (ours) and llama.cpp:
// - Dims: ggml lists dims innermost first, so a row-major `[out, in]` matrix is `ne = [in, out]`
//   with the same bytes; no transpose is needed.
// - RoPE: HF rotates the pairs (x[i], x[i + d/2]) of each head (`rotate_half`); llama.cpp's `llama`
//   architecture rotates adjacent pairs (x[2i], x[2i+1]). As llama.cpp's own HF converter does, the
//   rows of q_proj and k_proj are permuted within each head so that row 2i+j of the GGUF tensor is
//   row j·d/2 + i of the HF one; attention scores are unchanged because q and k move together.
import {InvalidInput} from "../../errors.js";
import {headDim, paramSpecs, type ModelConfig} from "../model/ModelConfig.js";
import {byteVocabSize, byteChatTemplateJinja, specialTokens} from "../tokenizer/ByteTokenizer.js";
import {writeFileAtomicDurable} from "./atomicWrite.js";
import {toF16Array} from "./float16.js";
import {GgmlType, GgufFileType, GgufTokenType, GgufValueType} from "./ggufFormat.js";
import {GgufWriter} from "./GgufWriter.js";
import {byteTokenStrings} from "./hfTokenizer.js";
import {loadCheckpoint} from "./loadCheckpoint.js";
import {checkParams} from "./checkParams.js";

/** Weight dtype of an exported GGUF. 1-D norm weights always stay F32. */
export type GgufDtype = "f32" | "f16";

export interface ExportGgufOptions {
    /** Dtype of the 2-D weights. Defaults to `"f32"`. */
    dtype?: GgufDtype;
    /** `general.name` of the model. Defaults to `"rmr1"`. */
    name?: string;
}

/** A model in memory, as `loadCheckpoint` returns it. */
export interface ModelWeights {
    config: ModelConfig;
    params: Map<string, Float32Array>;
}

/**
 * Permute the rows of a q_proj/k_proj weight `[nHeads·headDim, cols]` from HF's rotate_half RoPE
 * layout to llama.cpp's adjacent-pair layout: new row h·d + 2i + j = old row h·d + j·d/2 + i.
 */
export function permuteRopeRows(weight: Float32Array, nHeads: number, cols: number): Float32Array {
    const rows = weight.length / cols;
    const d = rows / nHeads;
    const half = d / 2;
    const out = new Float32Array(weight.length);
    for (let h = 0; h < nHeads; h++) {
        for (let i = 0; i < half; i++) {
            for (let j = 0; j < 2; j++) {
                const src = (h * d + j * half + i) * cols;
                out.set(weight.subarray(src, src + cols), (h * d + 2 * i + j) * cols);
            }
        }
    }
    return out;
}

/** GGUF tensor name for each HF parameter name (per-layer names use `blk.N.`). */
function ggufTensorName(hfName: string): string {
    const layer = /^model\.layers\.(\d+)\.(.+)$/.exec(hfName);
    if (layer != null) {
        const map: Record<string, string> = {
            "input_layernorm.weight": "attn_norm.weight",
            "self_attn.q_proj.weight": "attn_q.weight",
            "self_attn.k_proj.weight": "attn_k.weight",
            "self_attn.v_proj.weight": "attn_v.weight",
            "self_attn.o_proj.weight": "attn_output.weight",
            "post_attention_layernorm.weight": "ffn_norm.weight",
            "mlp.gate_proj.weight": "ffn_gate.weight",
            "mlp.up_proj.weight": "ffn_up.weight",
            "mlp.down_proj.weight": "ffn_down.weight"
        };
        return `blk.${layer[1]}.${map[layer[2]]}`;
    }
    const top: Record<string, string> = {
        "model.embed_tokens.weight": "token_embd.weight",
        "model.norm.weight": "output_norm.weight",
        "lm_head.weight": "output.weight"
    };
    return top[hfName];
}

/** The GGUF file for a model, as buffers to write in order. */
export function encodeGgufModel(model: ModelWeights, options: ExportGgufOptions = {}): Uint8Array[] {
    const {config, params} = model;
    checkParams(config, params);
    const dtype = options.dtype ?? "f32";
    if (dtype !== "f32" && dtype !== "f16") throw new InvalidInput(`GGUF dtype must be "f32" or "f16", got ${JSON.stringify(dtype)}`, {field: "dtype"});
    const hd = headDim(config);
    const w = new GgufWriter();

    w.addString("general.architecture", "llama");
    w.addString("general.name", options.name ?? "rmr1");
    w.addUint32("general.file_type", dtype === "f16" ? GgufFileType.MOSTLY_F16 : GgufFileType.ALL_F32);
    w.addUint32("llama.vocab_size", config.vocabSize);
    w.addUint32("llama.context_length", config.maxSeqLen);
    w.addUint32("llama.embedding_length", config.dModel);
    w.addUint32("llama.block_count", config.nLayers);
    w.addUint32("llama.feed_forward_length", config.dFF);
    w.addUint32("llama.attention.head_count", config.nHeads);
    w.addUint32("llama.attention.head_count_kv", config.nKvHeads);
    w.addFloat32("llama.attention.layer_norm_rms_epsilon", config.rmsNormEps);
    w.addUint32("llama.rope.dimension_count", hd);
    w.addFloat32("llama.rope.freq_base", config.ropeTheta);

    // Byte-level GPT-2 vocabulary with no merges (every byte is a token), control tokens for the
    // specials (so eos ends generation and detokenizing skips them), unused ids padded.
    const tokens = byteTokenStrings();
    const types: number[] = tokens.map((_, id) => id < 256 ? GgufTokenType.NORMAL : GgufTokenType.CONTROL);
    for (let id = byteVocabSize; id < config.vocabSize; id++) {
        tokens.push(`<|unused_${id}|>`);
        types.push(GgufTokenType.UNUSED);
    }
    w.addString("tokenizer.ggml.model", "gpt2");
    w.addString("tokenizer.ggml.pre", "default");
    w.addArray("tokenizer.ggml.tokens", GgufValueType.STRING, tokens);
    w.addArray("tokenizer.ggml.token_type", GgufValueType.INT32, types);
    w.addArray("tokenizer.ggml.merges", GgufValueType.STRING, []);
    w.addUint32("tokenizer.ggml.bos_token_id", specialTokens.bos);
    w.addUint32("tokenizer.ggml.eos_token_id", specialTokens.eos);
    // <|eos|> also ends a turn; naming it the end-of-turn token puts it in llama.cpp's end-of-generation set.
    w.addUint32("tokenizer.ggml.eot_token_id", specialTokens.eos);
    w.addUint32("tokenizer.ggml.padding_token_id", specialTokens.pad);
    // The chat template writes <|bos|> itself; an automatic one would double it.
    w.addBool("tokenizer.ggml.add_bos_token", false);
    w.addBool("tokenizer.ggml.add_eos_token", false);
    w.addString("tokenizer.chat_template", byteChatTemplateJinja);

    for (const spec of paramSpecs(config)) {
        let data = params.get(spec.name)!;
        if (spec.name.endsWith("q_proj.weight")) data = permuteRopeRows(data, config.nHeads, config.dModel);
        else if (spec.name.endsWith("k_proj.weight")) data = permuteRopeRows(data, config.nKvHeads, config.dModel);
        const ne = [...spec.shape].reverse();
        const name = ggufTensorName(spec.name);
        if (dtype === "f16" && spec.shape.length > 1) {
            const half = toF16Array(data, spec.name);
            w.addTensor(name, ne, GgmlType.F16, new Uint8Array(half.buffer, half.byteOffset, half.byteLength));
        } else {
            w.addTensor(name, ne, GgmlType.F32, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        }
    }
    return w.encode();
}

/**
 * Write `model.gguf`-style file `file` (atomically) from a checkpoint directory or a model in
 * memory. The result loads in llama.cpp (`llama-cli -m file`) and node-llama-cpp.
 */
export async function exportGguf(source: string | ModelWeights, file: string, options: ExportGgufOptions = {}): Promise<void> {
    let model = source as ModelWeights;
    let name = options.name;
    if (typeof source === "string") {
        const loaded = await loadCheckpoint(source);
        model = loaded;
        // A checkpoint may carry its name in rmr1.json (saveCheckpoint's `extra.name`).
        if (name == null && typeof loaded.meta.name === "string") name = loaded.meta.name;
    }
    writeFileAtomicDurable(file, encodeGgufModel(model, {...options, name}));
}
