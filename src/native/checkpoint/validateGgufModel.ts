// Model-level checks on a GGUF header that `readGguf` already validated structurally. Some
// inconsistencies do not make llama.cpp fail cleanly but abort the whole process from a
// GGML_ASSERT (a missing `llama.feed_forward_length` does), so for the `llama` architecture, the
// one rmr1 writes, every hyperparameter and tensor shape is checked here. Other architectures get
// the tokenizer checks only; the GGUF engine loads them in a child process so an abort is contained.
import {InvalidInput} from "../../errors.js";
import type {GgufInfo, GgufMetadataValue, GgufTensorInfo} from "./readGguf.js";

/** What a validated GGUF model is, for logs and engine info. */
export interface GgufModelSummary {
    architecture: string;
    /** Number of tokens in the vocabulary, when the file has a tokenizer. */
    vocabSize?: number;
    /** Training context length (`<arch>.context_length`), when present. */
    contextLength?: number;
    chatTemplate?: string;
    name?: string;
}

function isInt(v: GgufMetadataValue | undefined): v is number {
    return typeof v === "number" && Number.isInteger(v);
}

/**
 * Check that a GGUF file describes a model llama.cpp can load. Throws `InvalidInput` (location = the
 * file) naming the key or tensor at fault.
 */
export function validateGgufModel(info: GgufInfo): GgufModelSummary {
    const fail = (field: string, why: string): never => {
        throw new InvalidInput(`GGUF model: ${why}`, {location: info.file, field});
    };
    const md = info.metadata;
    const arch = md.get("general.architecture");
    if (typeof arch !== "string" || arch.length === 0) fail("general.architecture", "'general.architecture' is missing or not a string");
    const architecture = arch as string;

    let vocabSize: number | undefined;
    const tokens = md.get("tokenizer.ggml.tokens");
    if (tokens != null) {
        if (!Array.isArray(tokens) || info.arrayElementTypes.get("tokenizer.ggml.tokens") !== 8)
            fail("tokenizer.ggml.tokens", "'tokenizer.ggml.tokens' must be an array of strings");
        vocabSize = (tokens as string[]).length;
        if (vocabSize === 0) fail("tokenizer.ggml.tokens", "'tokenizer.ggml.tokens' is empty");
        for (const key of ["tokenizer.ggml.token_type", "tokenizer.ggml.scores"]) {
            const v = md.get(key);
            if (v != null && (!Array.isArray(v) || v.length !== vocabSize))
                fail(key, `'${key}' must be an array with one entry per token (${vocabSize})`);
        }
        for (const key of ["bos", "eos", "eot", "eom", "unknown", "padding", "seperator", "mask"].map((k) => `tokenizer.ggml.${k}_token_id`)) {
            const v = md.get(key);
            if (v != null && (!isInt(v) || v < 0 || v >= vocabSize!)) fail(key, `'${key}' is ${String(v)}, not a token id below ${vocabSize}`);
        }
        if (md.get("tokenizer.ggml.model") === "gpt2" && !Array.isArray(md.get("tokenizer.ggml.merges")))
            fail("tokenizer.ggml.merges", "a 'gpt2' tokenizer needs 'tokenizer.ggml.merges' (it may be an empty array)");
    }
    if (md.has("tokenizer.ggml.tokens") && !md.has("tokenizer.ggml.model"))
        fail("tokenizer.ggml.model", "'tokenizer.ggml.model' is missing");

    const template = md.get("tokenizer.chat_template");
    if (template != null && typeof template !== "string") fail("tokenizer.chat_template", "'tokenizer.chat_template' must be a string");
    const ctx = md.get(`${architecture}.context_length`);
    const name = md.get("general.name");
    const summary: GgufModelSummary = {
        architecture,
        vocabSize,
        contextLength: isInt(ctx) ? ctx : undefined,
        chatTemplate: template as string | undefined,
        name: typeof name === "string" ? name : undefined
    };
    if (architecture === "llama") validateLlama(info, fail, vocabSize);
    return summary;
}

function validateLlama(info: GgufInfo, fail: (field: string, why: string) => never, vocabSize: number | undefined): void {
    const md = info.metadata;
    const positive = (key: string, required: boolean): number | undefined => {
        const full = `llama.${key}`;
        const v = md.get(full);
        if (v == null) {
            if (required) fail(full, `'${full}' is missing (llama.cpp cannot size the model without it)`);
            return undefined;
        }
        // llama.cpp also accepts per-layer arrays for some of these; all entries must then be valid.
        const values = Array.isArray(v) ? v : [v];
        if (values.length === 0 || values.some((x) => !isInt(x as GgufMetadataValue) || (x as number) < 1))
            fail(full, `'${full}' must be a positive integer (or per-layer array of them), got ${JSON.stringify(v)}`);
        if (Array.isArray(v) && values.some((x) => x !== values[0]))
            return undefined; // per-layer values differ; shapes are then checked by llama.cpp itself
        return values[0] as number;
    };
    positive("context_length", true);
    const nEmbd = positive("embedding_length", true)!;
    const nLayer = positive("block_count", true)!;
    const nFf = positive("feed_forward_length", true);
    const nHead = positive("attention.head_count", true);
    const nHeadKv = positive("attention.head_count_kv", false) ?? nHead;
    const eps = md.get("llama.attention.layer_norm_rms_epsilon");
    if (typeof eps !== "number" || !(eps > 0)) fail("llama.attention.layer_norm_rms_epsilon", `'llama.attention.layer_norm_rms_epsilon' must be a positive number, got ${String(eps)}`);
    const base = md.get("llama.rope.freq_base");
    if (base != null && (typeof base !== "number" || !(base > 0))) fail("llama.rope.freq_base", `'llama.rope.freq_base' must be positive, got ${String(base)}`);
    const vocabKey = md.get("llama.vocab_size");
    if (vocabKey != null && vocabSize != null && vocabKey !== vocabSize)
        fail("llama.vocab_size", `'llama.vocab_size' is ${String(vocabKey)} but the tokenizer has ${vocabSize} tokens`);
    const experts = md.get("llama.expert_count");
    if (nHead == null || nHeadKv == null || nFf == null || (isInt(experts) && experts > 0)) return;
    if (nHead % nHeadKv !== 0) fail("llama.attention.head_count_kv", `head_count ${nHead} is not a multiple of head_count_kv ${nHeadKv}`);
    const keyLength = positive("attention.key_length", false) ?? nEmbd / nHead;
    const valueLength = positive("attention.value_length", false) ?? nEmbd / nHead;
    if (!Number.isInteger(keyLength) || !Number.isInteger(valueLength))
        fail("llama.attention.head_count", `embedding_length ${nEmbd} is not a multiple of head_count ${nHead}`);
    const rot = positive("rope.dimension_count", false) ?? keyLength;
    if (rot > keyLength || rot % 2 !== 0) fail("llama.rope.dimension_count", `'llama.rope.dimension_count' ${rot} must be even and at most the head size ${keyLength}`);

    const tensors = new Map<string, GgufTensorInfo>(info.tensors.map((t) => [t.name, t]));
    const nVocab = vocabSize ?? tensors.get("token_embd.weight")?.ne[1];
    const expect = (name: string, ne: (number | undefined)[], required = true) => {
        const t = tensors.get(name);
        if (t == null) {
            if (required) fail(name, `tensor '${name}' is missing`);
            return;
        }
        if (t.ne.length !== ne.length || ne.some((d, i) => d != null && t.ne[i] !== d))
            fail(name, `tensor '${name}' has dims [${t.ne.join(", ")}], expected [${ne.map((d) => d ?? "?").join(", ")}] from the metadata`);
    };
    expect("token_embd.weight", [nEmbd, nVocab]);
    expect("output_norm.weight", [nEmbd]);
    expect("output.weight", [nEmbd, nVocab], false);
    for (let i = 0; i < nLayer; i++) {
        const p = `blk.${i}.`;
        expect(`${p}attn_norm.weight`, [nEmbd]);
        expect(`${p}attn_q.weight`, [nEmbd, nHead * keyLength]);
        expect(`${p}attn_k.weight`, [nEmbd, nHeadKv * keyLength]);
        expect(`${p}attn_v.weight`, [nEmbd, nHeadKv * valueLength]);
        expect(`${p}attn_output.weight`, [nHead * valueLength, nEmbd]);
        expect(`${p}ffn_norm.weight`, [nEmbd]);
        expect(`${p}ffn_gate.weight`, [nEmbd, nFf]);
        expect(`${p}ffn_up.weight`, [nEmbd, nFf]);
        expect(`${p}ffn_down.weight`, [nFf, nEmbd]);
    }
}
