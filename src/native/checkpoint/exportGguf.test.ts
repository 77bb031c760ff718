import {mkdtempSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {Rng} from "../../protocol/rng.js";
import {headDim, paramSpecs} from "../model/ModelConfig.js";
import {randomParams, testConfig} from "../../../test/fixtures/checkpoint/randomModel.js";
import {byteChatTemplateJinja} from "../tokenizer/ByteTokenizer.js";
import {exportGguf, permuteRopeRows} from "./exportGguf.js";
import {f16BitsToF32, f32ToF16Bits} from "./float16.js";
import {readGguf, readGgufTensor} from "./readGguf.js";
import {saveCheckpoint} from "./saveCheckpoint.js";
import {validateGgufModel} from "./validateGgufModel.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-export-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** HF RoPE: rotate the pairs (i, i + d/2) of each head. */
function ropeHalf(v: Float64Array, nHeads: number, d: number, pos: number, theta: number): Float64Array {
    const out = Float64Array.from(v);
    for (let h = 0; h < nHeads; h++) {
        for (let i = 0; i < d / 2; i++) {
            const a = pos * theta ** (-2 * i / d), c = Math.cos(a), s = Math.sin(a);
            const x = v[h * d + i], y = v[h * d + i + d / 2];
            out[h * d + i] = x * c - y * s;
            out[h * d + i + d / 2] = y * c + x * s;
        }
    }
    return out;
}

/** llama.cpp's `llama` RoPE (mode NORM): rotate adjacent pairs (2i, 2i+1). */
function ropeAdjacent(v: Float64Array, nHeads: number, d: number, pos: number, theta: number): Float64Array {
    const out = Float64Array.from(v);
    for (let h = 0; h < nHeads; h++) {
        for (let i = 0; i < d / 2; i++) {
            const a = pos * theta ** (-2 * i / d), c = Math.cos(a), s = Math.sin(a);
            const x = v[h * d + 2 * i], y = v[h * d + 2 * i + 1];
            out[h * d + 2 * i] = x * c - y * s;
            out[h * d + 2 * i + 1] = y * c + x * s;
        }
    }
    return out;
}

function matvec(w: Float32Array, x: Float64Array, rows: number, cols: number): Float64Array {
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r] += w[r * cols + c] * x[c];
    return out;
}

describe("q/k row permutation", () => {
    it("turns HF rotate_half RoPE into llama.cpp's adjacent-pair RoPE without changing attention scores", () => {
        const rng = new Rng(5);
        const nHeads = 3, d = 8, cols = 5, theta = 10000;
        const wq = Float32Array.from({length: nHeads * d * cols}, () => rng.normal());
        const wk = Float32Array.from({length: nHeads * d * cols}, () => rng.normal());
        const x = Float64Array.from({length: cols}, () => rng.normal());
        const y = Float64Array.from({length: cols}, () => rng.normal());
        const pq = permuteRopeRows(wq, nHeads, cols), pk = permuteRopeRows(wk, nHeads, cols);
        for (const [posQ, posK] of [[0, 0], [3, 1], [17, 9]]) {
            const hfQ = ropeHalf(matvec(wq, x, nHeads * d, cols), nHeads, d, posQ, theta);
            const hfK = ropeHalf(matvec(wk, y, nHeads * d, cols), nHeads, d, posK, theta);
            const ggQ = ropeAdjacent(matvec(pq, x, nHeads * d, cols), nHeads, d, posQ, theta);
            const ggK = ropeAdjacent(matvec(pk, y, nHeads * d, cols), nHeads, d, posK, theta);
            for (let h = 0; h < nHeads; h++) {
                let hfScore = 0, ggScore = 0;
                for (let i = 0; i < d; i++) {
                    hfScore += hfQ[h * d + i] * hfK[h * d + i];
                    ggScore += ggQ[h * d + i] * ggK[h * d + i];
                    // Element-wise: GGUF position 2i+j holds HF position j·d/2 + i.
                    const j = i % 2, k = (i - j) / 2;
                    expect(ggQ[h * d + i]).toBeCloseTo(hfQ[h * d + j * d / 2 + k], 10);
                }
                expect(ggScore).toBeCloseTo(hfScore, 9);
            }
        }
    });
});

describe("exportGguf", () => {
    const params = randomParams(testConfig, 11);

    it("writes a valid llama GGUF with the metadata llama.cpp needs and the byte vocabulary", async () => {
        const file = join(dir, "f32.gguf");
        await exportGguf({config: testConfig, params}, file, {name: "tiny-judge"});
        const info = readGguf(file);
        const md = Object.fromEntries(info.metadata);
        expect(md).toMatchObject({
            "general.architecture": "llama", "general.name": "tiny-judge", "general.file_type": 0,
            "llama.context_length": 128, "llama.embedding_length": 64, "llama.block_count": 2,
            "llama.feed_forward_length": 96, "llama.attention.head_count": 4, "llama.attention.head_count_kv": 2,
            "llama.rope.dimension_count": 16, "llama.rope.freq_base": 10000, "llama.vocab_size": 264,
            "tokenizer.ggml.model": "gpt2", "tokenizer.ggml.merges": [], "tokenizer.ggml.bos_token_id": 256,
            "tokenizer.ggml.eos_token_id": 257, "tokenizer.ggml.eot_token_id": 257, "tokenizer.ggml.add_bos_token": false,
            "tokenizer.chat_template": byteChatTemplateJinja
        });
        expect(md["llama.attention.layer_norm_rms_epsilon"]).toBeCloseTo(1e-5, 10);
        const tokens = md["tokenizer.ggml.tokens"] as string[];
        expect([tokens[32], tokens[10], tokens[65], tokens[257], tokens[260]]).toEqual(["Ġ", "Ċ", "A", "<|eos|>", "<|assistant|>"]);
        const types = md["tokenizer.ggml.token_type"] as number[];
        expect([types[0], types[255], types[256], types[257], types[263]]).toEqual([1, 1, 3, 3, 3]);
        expect(validateGgufModel(info).architecture).toBe("llama");
    });

    it("stores every weight in ggml order: same bytes, dims reversed, q/k rows permuted", async () => {
        const file = join(dir, "check.gguf");
        await exportGguf({config: testConfig, params}, file);
        const info = readGguf(file);
        const hd = headDim(testConfig);
        const byName = new Map(info.tensors.map((t) => [t.name, t]));
        expect(byName.get("token_embd.weight")!.ne).toEqual([64, 264]);
        expect(byName.get("blk.1.attn_k.weight")!.ne).toEqual([64, 32]);
        expect(byName.get("blk.0.ffn_down.weight")!.ne).toEqual([96, 64]);
        expect(byName.get("output.weight")!.ne).toEqual([64, 264]);
        expect(info.tensors).toHaveLength(paramSpecs(testConfig).length);
        const wq = params.get("model.layers.1.self_attn.q_proj.weight")!;
        const gq = readGgufTensor(info, "blk.1.attn_q.weight");
        // GGUF row h·hd + 2i + j = HF row h·hd + j·hd/2 + i.
        for (const [h, i, j] of [[0, 0, 1], [3, 7, 0], [2, 5, 1]]) {
            const g = (h * hd + 2 * i + j) * 64, o = (h * hd + j * hd / 2 + i) * 64;
            expect(gq.subarray(g, g + 64)).toEqual(wq.subarray(o, o + 64));
        }
        expect(readGgufTensor(info, "blk.1.attn_k.weight")).toEqual(permuteRopeRows(params.get("model.layers.1.self_attn.k_proj.weight")!, testConfig.nKvHeads, 64));
        expect(readGgufTensor(info, "blk.0.ffn_down.weight")).toEqual(params.get("model.layers.0.mlp.down_proj.weight"));
    });

    it("f16 export rounds 2-D weights to F16 and keeps norms F32", async () => {
        const file = join(dir, "f16.gguf");
        await exportGguf({config: testConfig, params}, file, {dtype: "f16"});
        const info = readGguf(file);
        expect(info.metadata.get("general.file_type")).toBe(1);
        expect(info.tensors.find((t) => t.name === "output_norm.weight")!.typeName).toBe("F32");
        expect(info.tensors.find((t) => t.name === "blk.0.ffn_up.weight")!.typeName).toBe("F16");
        expect(readGgufTensor(info, "output_norm.weight")).toEqual(params.get("model.norm.weight"));
        const up = params.get("model.layers.0.mlp.up_proj.weight")!;
        expect(readGgufTensor(info, "blk.0.ffn_up.weight")).toEqual(up.map((v) => f16BitsToF32(f32ToF16Bits(v))));
    });

    it("exports from a checkpoint directory, atomically", async () => {
        const ckpt = join(dir, "ckpt");
        await saveCheckpoint(ckpt, {config: {...testConfig, tiedEmbeddings: true}, params: randomParams({...testConfig, tiedEmbeddings: true}, 3)});
        const file = join(dir, "out", "model.gguf");
        await exportGguf(ckpt, file);
        const info = readGguf(file);
        expect(info.tensors.some((t) => t.name === "output.weight")).toBe(false);
        expect(readdirSync(join(dir, "out"))).toEqual(["model.gguf"]);
    });

    it("refuses weights outside the F16 range for an f16 export, naming the tensor", async () => {
        const big = new Map(params);
        big.set("lm_head.weight", params.get("lm_head.weight")!.map((v, i) => (i === 5 ? 1e5 : v)));
        await expect(exportGguf({config: testConfig, params: big}, join(dir, "big.gguf"), {dtype: "f16"})).rejects.toThrow(/'lm_head.weight' has value 100000 at index 5/);
    });
});
