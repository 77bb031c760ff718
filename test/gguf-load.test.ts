// Loading GGUF files (REAL MODEL): hostile and corrupt files never take the calling process down,
// a worker that dies later fails its calls cleanly, and `hf:` sources download from a server that
// answers like the Hugging Face Hub's resolve endpoint into the standard Hub cache.
import {createHash} from "node:crypto";
import {createServer, type Server} from "node:http";
import type {AddressInfo} from "node:net";
import {existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {ConfigError, EngineError, InvalidInput, ModelLoadError, NotFound} from "../src/errors.js";
import {GgufEngine, parseGgufHubUri} from "../src/engines/gguf/GgufEngine.js";
import {exportGguf} from "../src/native/checkpoint/exportGguf.js";
import {GgufValueType} from "../src/native/checkpoint/ggufFormat.js";
import {GgufWriter} from "../src/native/checkpoint/GgufWriter.js";
import {byteTokenStrings} from "../src/native/checkpoint/hfTokenizer.js";
import {readGguf} from "../src/native/checkpoint/readGguf.js";
import {validateGgufModel} from "../src/native/checkpoint/validateGgufModel.js";
import {randomParams, testConfig} from "./fixtures/checkpoint/randomModel.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-gguf-load-"));
const good = join(dir, "good.gguf");
beforeAll(() => exportGguf({config: testConfig, params: randomParams(testConfig, 4)}, good));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/**
 * A `qwen2` model without `qwen2.feed_forward_length`. Structurally valid and with a valid
 * tokenizer, so it passes our checks (only `llama` gets architecture checks), but llama.cpp sizes
 * the FFN tensors as 0 and aborts the process: GGML_ASSERT(t_meta.ne[dim] >= 1).
 */
function assertingQwen2(file: string): void {
    const d = 64, ff = 96;
    const w = new GgufWriter();
    w.addString("general.architecture", "qwen2");
    for (const [key, value] of [["context_length", 128], ["embedding_length", d], ["block_count", 1], ["attention.head_count", 4], ["attention.head_count_kv", 4]] as const)
        w.addUint32(`qwen2.${key}`, value);
    w.addFloat32("qwen2.attention.layer_norm_rms_epsilon", 1e-5);
    w.addString("tokenizer.ggml.model", "gpt2");
    w.addArray("tokenizer.ggml.tokens", GgufValueType.STRING, byteTokenStrings());
    w.addArray("tokenizer.ggml.merges", GgufValueType.STRING, []);
    const tensor = (name: string, ne: number[]) => w.addTensor(name, ne, 0, new Uint8Array(4 * ne.reduce((a, b) => a * b, 1)));
    tensor("token_embd.weight", [d, 264]);
    tensor("output_norm.weight", [d]);
    for (const name of ["attn_norm.weight", "attn_q.bias", "attn_k.bias", "attn_v.bias", "ffn_norm.weight"]) tensor(`blk.0.${name}`, [d]);
    for (const name of ["attn_q.weight", "attn_k.weight", "attn_v.weight", "attn_output.weight"]) tensor(`blk.0.${name}`, [d, d]);
    tensor("blk.0.ffn_gate.weight", [d, ff]);
    tensor("blk.0.ffn_up.weight", [d, ff]);
    tensor("blk.0.ffn_down.weight", [ff, d]);
    writeFileSync(file, Buffer.concat(w.encode()));
}

describe("bad model files", () => {
    it("garbage is rejected by the validator with ModelLoadError, before llama.cpp", async () => {
        const file = join(dir, "garbage.gguf");
        writeFileSync(file, Buffer.from("this is not a model at all, just text pretending to be one"));
        const error = await GgufEngine.load(file).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ModelLoadError);
        expect((error as Error).message).toMatch(/not a valid GGUF file: magic is/);
        expect((error as Error).cause).toBeInstanceOf(InvalidInput);
    });

    it("a truncated download is rejected by the validator", async () => {
        const file = join(dir, "truncated.gguf");
        writeFileSync(file, readFileSync(good).subarray(0, 5000));
        await expect(GgufEngine.load(file)).rejects.toThrow(/truncated.gguf: not a valid GGUF file: .* more than the 5000-byte file holds \(truncated download\?\)/);
    });

    it("bad options are a ConfigError naming the option, before the file is touched", async () => {
        await expect(GgufEngine.load(join(dir, "nope.gguf"), {threads: 0})).rejects.toThrow(/option 'threads' must be a positive integer/);
        await expect(GgufEngine.load(join(dir, "nope.gguf"), {gpu: "tpu" as never})).rejects.toBeInstanceOf(ConfigError);
        await expect(GgufEngine.load(join(dir, "nope.gguf"), {kvCacheType: "q8" as never})).rejects.toThrow(/'kvCacheType'/);
    });

    it("a missing file is NotFound", async () => {
        await expect(GgufEngine.load(join(dir, "nope.gguf"))).rejects.toBeInstanceOf(NotFound);
    });

    it("a file that makes llama.cpp abort kills only the worker: the caller gets ModelLoadError and carries on", async () => {
        const file = join(dir, "qwen2-no-ffn.gguf");
        assertingQwen2(file);
        expect(validateGgufModel(readGguf(file)).architecture).toBe("qwen2");   // passes our checks
        const error = await GgufEngine.load(file).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ModelLoadError);
        expect((error as Error).message).toMatch(/worker process died while loading it \(SIGABRT\)/);
        expect((error as Error).message).toMatch(/GGML_ASSERT\(t_meta\.ne\[dim\] >= 1\) failed/);
        // Still alive, and still able to load a good model.
        const engine = await GgufEngine.load(good, {contextSize: 128});
        try {
            const [r] = await engine.generate([{messages: [{role: "user", content: "hi"}], options: {maxTokens: 3}}]);
            expect(r.usage.completionTokens).toBeGreaterThan(0);
        } finally {
            await engine.close();
        }
    });

    it("a worker that dies after loading fails its pending and later calls with EngineError", async () => {
        const engine = await GgufEngine.load(good, {contextSize: 128});
        const pending = engine.generate([{messages: [{role: "user", content: "hi"}], options: {maxTokens: 100, temperature: 1, seed: 1}}]);
        (engine as unknown as {child: {kill: (s: string) => void}}).child.kill("SIGKILL");
        await expect(pending).rejects.toThrow(/GGUF worker process .* exited \(SIGKILL\)/);
        await expect(engine.generate([{messages: [{role: "user", content: "hi"}]}])).rejects.toBeInstanceOf(EngineError);
        await engine.close();
    });
});

describe("hf: sources", () => {
    it("parses the URI forms", () => {
        expect(parseGgufHubUri("hf:acme/judge/model.Q8_0.gguf")).toEqual({repo: "acme/judge", revision: "main", path: "model.Q8_0.gguf"});
        expect(parseGgufHubUri("hf:acme/judge@v1.0/sub/dir/m.gguf")).toEqual({repo: "acme/judge", revision: "v1.0", path: "sub/dir/m.gguf"});
        expect(parseGgufHubUri("hf:acme/judge/m.gguf#refs%2Fpr%2F1")).toEqual({repo: "acme/judge", revision: "refs/pr/1", path: "m.gguf"});
        expect(() => parseGgufHubUri("hf:acme/judge")).toThrow(InvalidInput);
        expect(() => parseGgufHubUri("hf:acme/judge/README.md")).toThrow(/does not name a .gguf file/);
        expect(() => parseGgufHubUri("hf:acme/judge/../x.gguf")).toThrow(InvalidInput);
    });

    it("downloads through the Hub's resolve endpoint into the Hub cache, then loads from the cache", async () => {
        let endpoint = "";
        const bytes = readFileSync(good);
        const sha = createHash("sha256").update(bytes).digest("hex");
        const commit = "c0ffee".padEnd(40, "0");
        const hits = {resolve: 0, cdn: 0, auth: [] as (string | undefined)[]};
        // Like the Hub: the resolve URL answers HEAD/GET with a redirect to a CDN URL plus the commit,
        // the LFS sha256 as ETag and the size; unknown files are 404 with X-Error-Code.
        const server: Server = createServer((req, res) => {
            const url = req.url ?? "";
            if (url === "/acme/tiny-judge/resolve/main/model.gguf") {
                hits.resolve++;
                hits.auth.push(req.headers.authorization);
                res.writeHead(302, {"location": `${endpoint}/cdn/${sha}`, "x-repo-commit": commit, "x-linked-etag": `"${sha}"`, "x-linked-size": String(bytes.length)});
                res.end();
            } else if (url === `/cdn/${sha}`) {
                hits.cdn++;
                res.writeHead(200, {"content-length": String(bytes.length)});
                res.end(req.method === "HEAD" ? undefined : bytes);
            } else {
                res.writeHead(404, {"x-error-code": "EntryNotFound"});
                res.end();
            }
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const cacheDir = join(dir, "hub-cache");
        try {
            const hub = {endpoint, cacheDir, token: "hf_test"};
            const engine = await GgufEngine.load("hf:acme/tiny-judge/model.gguf", {contextSize: 128, hub});
            try {
                const cached = join(cacheDir, "models--acme--tiny-judge", "snapshots", commit, "model.gguf");
                expect(engine.info.path).toBe(cached);
                expect(realpathSync(cached)).toBe(realpathSync(join(cacheDir, "models--acme--tiny-judge", "blobs", sha)));
                expect(readFileSync(join(cacheDir, "models--acme--tiny-judge", "refs", "main"), "utf8")).toBe(commit);
                expect(engine.info.sha256).toBe(sha);
                expect(engine.id).toBe("gguf:hf:acme/tiny-judge/model.gguf");
                const [r] = await engine.generate([{messages: [{role: "user", content: "hi"}], options: {maxTokens: 2}}]);
                expect(r.completions).toHaveLength(1);
            } finally {
                await engine.close();
            }
            expect(hits.cdn).toBe(1);
            expect(hits.auth[0]).toBe("Bearer hf_test");
            // Second load: metadata is checked again, the bytes come from the cache.
            const again = await GgufEngine.load("hf:acme/tiny-judge/model.gguf", {contextSize: 128, hub});
            await again.close();
            expect(hits.cdn).toBe(1);
            // Offline: the cache alone.
            const offline = await GgufEngine.load("hf:acme/tiny-judge/model.gguf", {contextSize: 128, hub: {...hub, offline: true}});
            await offline.close();
            expect(hits.resolve).toBe(2);
            await expect(GgufEngine.load("hf:acme/tiny-judge/other.gguf", {hub})).rejects.toBeInstanceOf(NotFound);
            expect(existsSync(join(cacheDir, "models--acme--tiny-judge", "blobs", `${sha}.incomplete`))).toBe(false);
        } finally {
            server.close();
        }
    });
});
