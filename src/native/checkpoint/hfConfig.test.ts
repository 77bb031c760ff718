import {describe, expect, it} from "vitest";
import {InvalidInput} from "../../errors.js";
import {modelPresets} from "../model/ModelConfig.js";
import {fromHfConfig, toHfConfig} from "./hfConfig.js";

describe("config.json", () => {
    it("round-trips every preset and a GQA / tied config", () => {
        const configs = [...Object.values(modelPresets), {...modelPresets.tiny, nKvHeads: 2, tiedEmbeddings: true, ropeTheta: 500000, rmsNormEps: 1e-6}];
        for (const c of configs) expect(fromHfConfig(JSON.parse(JSON.stringify(toHfConfig(c))))).toEqual(c);
    });

    it("writes the fields transformers' LlamaConfig reads, with the byte tokenizer's special ids", () => {
        const hf = toHfConfig({...modelPresets.tiny, nKvHeads: 2});
        expect(hf).toMatchObject({
            architectures: ["LlamaForCausalLM"], model_type: "llama", hidden_size: 128, intermediate_size: 352,
            num_hidden_layers: 4, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 32,
            max_position_embeddings: 512, rope_theta: 10000, rms_norm_eps: 1e-5, tie_word_embeddings: false,
            vocab_size: 264, bos_token_id: 256, eos_token_id: 257, pad_token_id: 261, hidden_act: "silu",
            attention_bias: false, mlp_bias: false, rope_scaling: null, torch_dtype: "float32"
        });
    });

    it("applies LlamaConfig's defaults to fields other tools leave out", () => {
        const c = fromHfConfig({model_type: "llama", vocab_size: 300, hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4});
        expect(c).toEqual({vocabSize: 300, dModel: 64, nLayers: 2, nHeads: 4, nKvHeads: 4, dFF: 128, maxSeqLen: 2048, ropeTheta: 10000, rmsNormEps: 1e-6, tiedEmbeddings: false});
    });

    const base = toHfConfig(modelPresets.tiny);
    const bad: [string, Record<string, unknown>, string][] = [
        ["another architecture", {model_type: "gpt2", architectures: ["GPT2LMHeadModel"]}, "model_type"],
        ["RoPE scaling", {rope_scaling: {type: "linear", factor: 2}}, "rope_scaling"],
        ["attention biases", {attention_bias: true}, "attention_bias"],
        ["another activation", {hidden_act: "gelu"}, "hidden_act"],
        ["a head_dim that is not hidden/heads", {head_dim: 64}, "head_dim"],
        ["a non-integer size", {hidden_size: 12.5}, "hidden_size"],
        ["heads that do not divide the width", {num_attention_heads: 5}, "num_attention_heads"],
        ["kv heads that do not divide the heads", {num_key_value_heads: 3}, "num_key_value_heads"],
        ["a non-boolean tie flag", {tie_word_embeddings: "yes"}, "tie_word_embeddings"]
    ];
    for (const [what, patch, field] of bad) {
        it(`rejects ${what}, naming '${field}' and the file`, () => {
            let error: unknown;
            try {
                fromHfConfig({...base, ...patch}, "ckpt/config.json");
            } catch (e) {
                error = e;
            }
            expect(error).toBeInstanceOf(InvalidInput);
            expect((error as InvalidInput).field).toBe(field);
            expect((error as Error).message).toContain("ckpt/config.json");
            expect((error as Error).message).toContain(field);
        });
    }
});
