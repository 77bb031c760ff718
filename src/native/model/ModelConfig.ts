// The configuration of a native model: a Llama-architecture decoder (RMSNorm, RoPE, optional
// grouped-query attention, SwiGLU, tied or untied head). Field names follow Hugging Face's
// `LlamaConfig` in spirit; `toHfConfig` / `fromHfConfig` in src/native/checkpoint/ map them exactly.
import {InvalidInput} from "../../errors.js";

export interface ModelConfig {
    /** Vocabulary size (rows of the embedding). The byte tokenizer uses 264. */
    vocabSize: number;
    /** Width of the residual stream (`hidden_size`). */
    dModel: number;
    /** Number of decoder blocks (`num_hidden_layers`). */
    nLayers: number;
    /** Number of query heads (`num_attention_heads`). `dModel` must be a multiple of it. */
    nHeads: number;
    /** Number of key/value heads (`num_key_value_heads`); less than `nHeads` for grouped-query attention. */
    nKvHeads: number;
    /** Hidden width of the SwiGLU MLP (`intermediate_size`). */
    dFF: number;
    /** Longest sequence the model is used with (`max_position_embeddings`). */
    maxSeqLen: number;
    /** RoPE base frequency (`rope_theta`). */
    ropeTheta: number;
    /** RMSNorm epsilon (`rms_norm_eps`). */
    rmsNormEps: number;
    /** Whether the LM head reuses the token embedding (`tie_word_embeddings`). */
    tiedEmbeddings: boolean;
}

/** Head width: `dModel / nHeads`. */
export function headDim(config: ModelConfig): number {
    return config.dModel / config.nHeads;
}

/**
 * Named presets for `rmr1 model init --config`. `tiny` is the quickstart's model (d128 / 4 layers,
 * 871,552 parameters) and `small` is d256 / 6 layers (4,807,936): the two PyTorch calibration
 * models, with the SwiGLU width 8/3·d rounded to the nearest multiple of 32.
 */
export const modelPresets: Record<string, ModelConfig> = {
    tiny: {vocabSize: 264, dModel: 128, nLayers: 4, nHeads: 4, nKvHeads: 4, dFF: 352, maxSeqLen: 512, ropeTheta: 10000, rmsNormEps: 1e-5, tiedEmbeddings: false},
    small: {vocabSize: 264, dModel: 256, nLayers: 6, nHeads: 8, nKvHeads: 8, dFF: 672, maxSeqLen: 512, ropeTheta: 10000, rmsNormEps: 1e-5, tiedEmbeddings: false}
};

/** One parameter tensor: its Hugging Face name and row-major shape (`[out, in]` for linear weights). */
export interface ParamSpec {
    name: string;
    shape: number[];
}

/**
 * Every parameter of the model in a fixed order, with Hugging Face `LlamaForCausalLM` names and
 * shapes. This order is the order of the flat parameter buffer, of AdamW state, and of checkpoint
 * tensors; changing it breaks checkpoints.
 */
export function paramSpecs(config: ModelConfig): ParamSpec[] {
    validateConfig(config);
    const d = config.dModel, kv = config.nKvHeads * headDim(config);
    const specs: ParamSpec[] = [{name: "model.embed_tokens.weight", shape: [config.vocabSize, d]}];
    for (let i = 0; i < config.nLayers; i++) {
        const p = `model.layers.${i}.`;
        specs.push(
            {name: `${p}input_layernorm.weight`, shape: [d]},
            {name: `${p}self_attn.q_proj.weight`, shape: [d, d]},
            {name: `${p}self_attn.k_proj.weight`, shape: [kv, d]},
            {name: `${p}self_attn.v_proj.weight`, shape: [kv, d]},
            {name: `${p}self_attn.o_proj.weight`, shape: [d, d]},
            {name: `${p}post_attention_layernorm.weight`, shape: [d]},
            {name: `${p}mlp.gate_proj.weight`, shape: [config.dFF, d]},
            {name: `${p}mlp.up_proj.weight`, shape: [config.dFF, d]},
            {name: `${p}mlp.down_proj.weight`, shape: [d, config.dFF]}
        );
    }
    specs.push({name: "model.norm.weight", shape: [d]});
    if (!config.tiedEmbeddings) specs.push({name: "lm_head.weight", shape: [config.vocabSize, d]});
    return specs;
}

/** Total number of parameters. */
export function paramCount(config: ModelConfig): number {
    return paramSpecs(config).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}

/** Throw `InvalidInput` naming the field when a config cannot describe a model. */
export function validateConfig(config: ModelConfig): void {
    const positive: (keyof ModelConfig)[] = ["vocabSize", "dModel", "nLayers", "nHeads", "nKvHeads", "dFF", "maxSeqLen"];
    for (const key of positive) {
        const v = config[key];
        if (typeof v !== "number" || !Number.isInteger(v) || v <= 0)
            throw new InvalidInput(`model config: '${key}' must be a positive integer, got ${JSON.stringify(v)}`, {field: key});
    }
    if (config.dModel % config.nHeads !== 0)
        throw new InvalidInput(`model config: 'dModel' (${config.dModel}) must be a multiple of 'nHeads' (${config.nHeads})`, {field: "nHeads"});
    if (config.nHeads % config.nKvHeads !== 0)
        throw new InvalidInput(`model config: 'nHeads' (${config.nHeads}) must be a multiple of 'nKvHeads' (${config.nKvHeads})`, {field: "nKvHeads"});
    if (headDim(config) % 2 !== 0)
        throw new InvalidInput(`model config: head width dModel/nHeads must be even for RoPE, got ${headDim(config)}`, {field: "nHeads"});
    if (!(config.ropeTheta > 0)) throw new InvalidInput("model config: 'ropeTheta' must be > 0", {field: "ropeTheta"});
    if (!(config.rmsNormEps > 0)) throw new InvalidInput("model config: 'rmsNormEps' must be > 0", {field: "rmsNormEps"});
    if (typeof config.tiedEmbeddings !== "boolean") throw new InvalidInput("model config: 'tiedEmbeddings' must be true or false", {field: "tiedEmbeddings"});
}
