// `config.json` in Hugging Face's `LlamaConfig` form ↔ rmr1's `ModelConfig`. The written file loads
// with `transformers.LlamaForCausalLM.from_pretrained(dir)`; the reader accepts what transformers
// writes for a Llama model, applies LlamaConfig's defaults, and rejects features the native model
// does not implement (RoPE scaling, biases, other activations) instead of silently ignoring them.
import {InvalidInput} from "../../errors.js";
import {headDim, validateConfig, type ModelConfig} from "../model/ModelConfig.js";
import {specialTokens} from "../tokenizer/ByteTokenizer.js";

/** `ModelConfig` field → `config.json` field. */
const hfFieldOf: Record<string, string> = {
    vocabSize: "vocab_size", dModel: "hidden_size", nLayers: "num_hidden_layers", nHeads: "num_attention_heads",
    nKvHeads: "num_key_value_heads", dFF: "intermediate_size", maxSeqLen: "max_position_embeddings",
    ropeTheta: "rope_theta", rmsNormEps: "rms_norm_eps", tiedEmbeddings: "tie_word_embeddings"
};

/** The fields of a Hugging Face Llama `config.json` that rmr1 reads and writes. */
export interface HfLlamaConfig {
    architectures: string[];
    model_type: "llama";
    vocab_size: number;
    hidden_size: number;
    intermediate_size: number;
    num_hidden_layers: number;
    num_attention_heads: number;
    num_key_value_heads: number;
    head_dim: number;
    max_position_embeddings: number;
    rope_theta: number;
    rope_scaling: null;
    rms_norm_eps: number;
    tie_word_embeddings: boolean;
    hidden_act: "silu";
    attention_bias: false;
    mlp_bias: false;
    attention_dropout: number;
    initializer_range: number;
    pretraining_tp: 1;
    use_cache: boolean;
    bos_token_id: number;
    eos_token_id: number;
    pad_token_id: number;
    torch_dtype: string;
    [key: string]: unknown;
}

/** The Hugging Face `config.json` object for a native model (weights stored as `torchDtype`). */
export function toHfConfig(config: ModelConfig, options: {torchDtype?: "float32" | "float16" | "bfloat16"} = {}): HfLlamaConfig {
    validateConfig(config);
    return {
        architectures: ["LlamaForCausalLM"],
        model_type: "llama",
        vocab_size: config.vocabSize,
        hidden_size: config.dModel,
        intermediate_size: config.dFF,
        num_hidden_layers: config.nLayers,
        num_attention_heads: config.nHeads,
        num_key_value_heads: config.nKvHeads,
        head_dim: headDim(config),
        max_position_embeddings: config.maxSeqLen,
        rope_theta: config.ropeTheta,
        rope_scaling: null,
        rms_norm_eps: config.rmsNormEps,
        tie_word_embeddings: config.tiedEmbeddings,
        hidden_act: "silu",
        attention_bias: false,
        mlp_bias: false,
        attention_dropout: 0,
        initializer_range: 0.02,
        pretraining_tp: 1,
        use_cache: true,
        bos_token_id: specialTokens.bos,
        eos_token_id: specialTokens.eos,
        pad_token_id: specialTokens.pad,
        torch_dtype: options.torchDtype ?? "float32"
    };
}

/**
 * Read a Hugging Face Llama `config.json` object into a `ModelConfig`. Missing optional fields take
 * `LlamaConfig`'s defaults; anything the native model cannot represent is an `InvalidInput` naming
 * the field (and `location`, the file).
 */
export function fromHfConfig(json: unknown, location?: string): ModelConfig {
    if (json == null || typeof json !== "object" || Array.isArray(json))
        throw new InvalidInput("config.json must be a JSON object", {location});
    const c = json as Record<string, unknown>;
    const bad = (field: string, why: string): never => {
        throw new InvalidInput(`config.json '${field}' ${why}`, {field, location});
    };
    const archs = c.architectures;
    if (c.model_type !== "llama" && !(Array.isArray(archs) && archs.includes("LlamaForCausalLM")))
        bad("model_type", `is ${JSON.stringify(c.model_type)}; rmr1 native models are Llama ('model_type': 'llama', 'architectures': ['LlamaForCausalLM'])`);
    const int = (field: string, fallback?: number): number => {
        const v = c[field] ?? fallback;
        if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) bad(field, `must be a positive integer, got ${JSON.stringify(c[field])}`);
        return v as number;
    };
    const num = (field: string, fallback: number): number => {
        const v = c[field] ?? fallback;
        if (typeof v !== "number" || !(v > 0)) bad(field, `must be a positive number, got ${JSON.stringify(c[field])}`);
        return v as number;
    };
    const nHeads = int("num_attention_heads");
    const config: ModelConfig = {
        vocabSize: int("vocab_size"),
        dModel: int("hidden_size"),
        nLayers: int("num_hidden_layers"),
        nHeads,
        nKvHeads: int("num_key_value_heads", nHeads),
        dFF: int("intermediate_size"),
        maxSeqLen: int("max_position_embeddings", 2048),
        ropeTheta: num("rope_theta", 10000),
        rmsNormEps: num("rms_norm_eps", 1e-6),
        tiedEmbeddings: (c.tie_word_embeddings ?? false) as boolean
    };
    if (typeof config.tiedEmbeddings !== "boolean") bad("tie_word_embeddings", `must be true or false, got ${JSON.stringify(c.tie_word_embeddings)}`);
    if (c.rope_scaling != null) bad("rope_scaling", "is set; the native model implements plain RoPE only (set it to null)");
    if ((c.hidden_act ?? "silu") !== "silu") bad("hidden_act", `is ${JSON.stringify(c.hidden_act)}; the native model's MLP is SwiGLU ('silu')`);
    if (c.attention_bias === true) bad("attention_bias", "is true; the native model has no attention biases");
    if (c.mlp_bias === true) bad("mlp_bias", "is true; the native model has no MLP biases");
    if (c.pretraining_tp != null && c.pretraining_tp !== 1) bad("pretraining_tp", "must be 1");
    try {
        validateConfig(config);
    } catch (err) {
        if (!(err instanceof InvalidInput)) throw err;
        const hfField = hfFieldOf[err.field ?? ""] ?? err.field;
        throw new InvalidInput(`${err.message} (config.json field '${hfField}')`, {field: hfField, location});
    }
    if (c.head_dim != null && c.head_dim !== config.dModel / config.nHeads)
        bad("head_dim", `is ${JSON.stringify(c.head_dim)} but hidden_size / num_attention_heads is ${config.dModel / config.nHeads}; the native model needs them equal`);
    return config;
}
