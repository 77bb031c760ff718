import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {InvalidInput, NotFound} from "../../errors.js";
import {paramSpecs} from "../model/ModelConfig.js";
import {randomParams, testConfig} from "../../../test/fixtures/checkpoint/randomModel.js";
import {replaceDirAtomic} from "./atomicWrite.js";
import {f32ToF16Bits} from "./float16.js";
import {loadCheckpoint} from "./loadCheckpoint.js";
import {encodeSafetensors} from "./safetensors.js";
import {saveCheckpoint} from "./saveCheckpoint.js";

const root = mkdtempSync(join(tmpdir(), "rmr1-ckpt-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

async function expectLoadError(dir: string, kind: typeof InvalidInput | typeof NotFound, message: RegExp): Promise<void> {
    const error = await loadCheckpoint(dir).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect((error as Error).message).toMatch(message);
}

/** Rewrite a checkpoint's model.safetensors with `tensors` (name → [shape, data]). */
function rewriteWeights(dir: string, tensors: Map<string, Float32Array>, shapes: Map<string, number[]>): void {
    writeFileSync(join(dir, "model.safetensors"), Buffer.concat(encodeSafetensors([...tensors].map(([name, data]) => ({name, shape: shapes.get(name)!, data})))));
}

describe("saveCheckpoint / loadCheckpoint", () => {
    const params = randomParams(testConfig, 7);
    const shapes = new Map(paramSpecs(testConfig).map((s) => [s.name, s.shape]));

    it("round-trips config, every parameter bit-exactly, and the metadata", async () => {
        const dir = join(root, "roundtrip");
        await saveCheckpoint(dir, {config: testConfig, params, extra: {seed: 7, step: 120, data: "runs/x/samples.jsonl"}});
        expect(readdirSync(dir).sort()).toEqual(["config.json", "model.safetensors", "rmr1.json", "tokenizer.json", "tokenizer_config.json"]);
        const loaded = await loadCheckpoint(dir);
        expect(loaded.config).toEqual(testConfig);
        expect([...loaded.params.keys()]).toEqual(paramSpecs(testConfig).map((s) => s.name));
        for (const [name, data] of params) expect(loaded.params.get(name)).toEqual(data);
        expect(loaded.meta).toMatchObject({format: "rmr1-checkpoint", formatVersion: 1, tokenizer: "byte", seed: 7, step: 120, data: "runs/x/samples.jsonl"});
        expect(typeof loaded.meta.createdAt).toBe("string");
    });

    it("handles tied embeddings (no lm_head tensor) and writes model.gguf on request", async () => {
        const config = {...testConfig, tiedEmbeddings: true};
        const tied = randomParams(config, 8);
        const dir = join(root, "tied");
        await saveCheckpoint(dir, {config, params: tied}, {gguf: "f16"});
        expect(existsSync(join(dir, "model.gguf"))).toBe(true);
        const loaded = await loadCheckpoint(dir);
        expect(loaded.params.has("lm_head.weight")).toBe(false);
        expect(JSON.parse(readFileSync(join(dir, "config.json"), "utf8")).tie_word_embeddings).toBe(true);
    });

    it("replaces an existing checkpoint atomically and leaves no temporary directories", async () => {
        const dir = join(root, "replace");
        await saveCheckpoint(dir, {config: testConfig, params, extra: {step: 1}});
        await saveCheckpoint(dir, {config: testConfig, params, extra: {step: 2}});
        expect((await loadCheckpoint(dir)).meta.step).toBe(2);
        expect(readdirSync(root).filter((n) => n.includes(".tmp-") || n.includes(".old-"))).toEqual([]);
    });

    it("keeps the previous checkpoint intact when writing fails midway", async () => {
        const dir = join(root, "crash");
        await saveCheckpoint(dir, {config: testConfig, params, extra: {step: 1}});
        const failing = replaceDirAtomic(dir, (tmp) => {
            writeFileSync(join(tmp, "model.safetensors"), "half a file");
            throw new Error("disk full");
        });
        await expect(failing).rejects.toThrow("disk full");
        const loaded = await loadCheckpoint(dir);
        expect(loaded.meta.step).toBe(1);
        expect(loaded.params.get("model.norm.weight")).toEqual(params.get("model.norm.weight"));
        expect(readdirSync(root).filter((n) => n.includes(".tmp-"))).toEqual([]);
    });

    it("refuses to save parameters that do not match the config, naming the tensor", async () => {
        const missing = new Map(params);
        missing.delete("model.layers.1.mlp.up_proj.weight");
        await expect(saveCheckpoint(join(root, "bad1"), {config: testConfig, params: missing})).rejects.toThrow(/'model.layers.1.mlp.up_proj.weight' is missing/);
        const short = new Map(params).set("model.norm.weight", new Float32Array(3));
        await expect(saveCheckpoint(join(root, "bad2"), {config: testConfig, params: short})).rejects.toThrow(/'model.norm.weight' has 3 values but shape \[64\] needs 64/);
        const extra = new Map(params).set("model.layers.2.mlp.up_proj.weight", new Float32Array(1));
        await expect(saveCheckpoint(join(root, "bad3"), {config: testConfig, params: extra})).rejects.toThrow(/not in the model config: model.layers.2.mlp.up_proj.weight/);
        expect(existsSync(join(root, "bad1"))).toBe(false);
    });

    it("reads F16 weights (as transformers saves with torch_dtype=float16)", async () => {
        const dir = join(root, "f16");
        await saveCheckpoint(dir, {config: testConfig, params});
        const name = "model.layers.0.self_attn.q_proj.weight";
        const half = Uint16Array.from(params.get(name)!, f32ToF16Bits);
        const entries = paramSpecs(testConfig).map((s) => s.name === name
            ? {name, dtype: "F16", shape: s.shape, bytes: new Uint8Array(half.buffer)}
            : {name: s.name, dtype: "F32", shape: s.shape, bytes: new Uint8Array(params.get(s.name)!.buffer)});
        const header: Record<string, unknown> = {__metadata__: {format: "pt"}};
        let offset = 0;
        for (const e of entries) {
            header[e.name] = {dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + e.bytes.length]};
            offset += e.bytes.length;
        }
        const json = Buffer.from(JSON.stringify(header));
        const len = Buffer.alloc(8);
        len.writeBigUInt64LE(BigInt(json.length));
        writeFileSync(join(dir, "model.safetensors"), Buffer.concat([len, json, ...entries.map((e) => e.bytes)]));
        const loaded = await loadCheckpoint(dir);
        const q = loaded.params.get(name)!, original = params.get(name)!;
        const maxErr = q.reduce((m, v, i) => Math.max(m, Math.abs(v - original[i]) / Math.max(1e-3, Math.abs(original[i]))), 0);
        expect(maxErr).toBeGreaterThan(0);
        expect(maxErr).toBeLessThan(1e-3);
    });

    describe("load errors name what is wrong", () => {
        const make = async (name: string) => {
            const dir = join(root, name);
            await saveCheckpoint(dir, {config: testConfig, params});
            return dir;
        };

        it("missing directory or files", async () => {
            await expectLoadError(join(root, "nowhere"), NotFound, /does not exist/);
            const dir = await make("nofiles");
            rmSync(join(dir, "model.safetensors"));
            await expectLoadError(dir, NotFound, /has no model.safetensors/);
            writeFileSync(join(dir, "model.safetensors.index.json"), "{}");
            await expectLoadError(dir, InvalidInput, /sharded safetensors checkpoints are not supported/);
            rmSync(join(dir, "config.json"));
            await expectLoadError(dir, NotFound, /has no config.json/);
        });

        it("a missing tensor", async () => {
            const dir = await make("missing");
            const tensors = new Map(params);
            tensors.delete("model.layers.1.self_attn.k_proj.weight");
            rewriteWeights(dir, tensors, shapes);
            await expectLoadError(dir, InvalidInput, /model.safetensors: tensor 'model.layers.1.self_attn.k_proj.weight' is missing/);
        });

        it("a tensor with the wrong shape", async () => {
            const dir = await make("shape");
            const wrong = new Map(shapes).set("model.layers.0.self_attn.k_proj.weight", [64, 32]);
            rewriteWeights(dir, params, wrong);
            await expectLoadError(dir, InvalidInput, /'model.layers.0.self_attn.k_proj.weight' has shape \[64,32\] but config.json implies \[32,64\]/);
        });

        it("an unexpected tensor", async () => {
            const dir = await make("extra");
            rewriteWeights(dir, new Map(params).set("model.layers.0.self_attn.q_proj.bias", new Float32Array(64)), new Map(shapes).set("model.layers.0.self_attn.q_proj.bias", [64]));
            await expectLoadError(dir, InvalidInput, /tensors not in a Llama model with this config.json: model.layers.0.self_attn.q_proj.bias/);
        });

        it("a tied config whose lm_head differs from the embedding", async () => {
            const dir = await make("tiedbad");
            const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
            writeFileSync(join(dir, "config.json"), JSON.stringify({...config, tie_word_embeddings: true}));
            await expectLoadError(dir, InvalidInput, /lm_head.weight differs from model.embed_tokens.weight/);
        });

        it("a malformed config.json or a foreign tokenizer", async () => {
            const dir = await make("json");
            writeFileSync(join(dir, "tokenizer.json"), JSON.stringify({model: {type: "BPE", vocab: {}, merges: []}}));
            await expectLoadError(dir, InvalidInput, /tokenizer.json: tokenizer.json is not rmr1's byte tokenizer/);
            writeFileSync(join(dir, "config.json"), "{\"hidden_size\": ");
            await expectLoadError(dir, InvalidInput, /config.json: not valid JSON/);
        });

        it("a vocabulary smaller than the byte tokenizer's", async () => {
            const dir = await make("vocab");
            const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
            writeFileSync(join(dir, "config.json"), JSON.stringify({...config, vocab_size: 256}));
            await expectLoadError(dir, InvalidInput, /'vocab_size' is 256 but the byte tokenizer needs at least 264/);
        });
    });
});
