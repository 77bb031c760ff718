// The native engine end to end on a real (tiny, freshly trained) model: chat template in, trained
// reply out, through a checkpoint on disk and through createEngine("native:…").
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {createEngine} from "../engines/createEngine.js";
import {saveCheckpoint} from "./checkpoint/saveCheckpoint.js";
import {KernelRuntime} from "./kernels/KernelRuntime.js";
import {AdamW} from "./model/AdamW.js";
import type {ModelConfig} from "./model/ModelConfig.js";
import {NativeModel} from "./model/NativeModel.js";
import {NativeEngine} from "./NativeEngine.js";
import {ByteTokenizer, specialTokens} from "./tokenizer/ByteTokenizer.js";

const config: ModelConfig = {vocabSize: 264, dModel: 32, nLayers: 2, nHeads: 4, nKvHeads: 4, dFF: 64, maxSeqLen: 64, ropeTheta: 10000, rmsNormEps: 1e-5, tiedEmbeddings: false};
const tok = new ByteTokenizer();
const messages = [{role: "user" as const, content: "hi"}];
const reply = "hello there";
let rt: KernelRuntime;
let model: NativeModel;
let dir: string;

beforeAll(async () => {
    rt = await KernelRuntime.create({threads: 2});
    model = await NativeModel.init(config, {seed: 4, runtime: rt});
    const prompt = tok.applyChatTemplate(messages);
    const seq = [...prompt, ...tok.encode(reply), specialTokens.eos];
    const mask = seq.map((_, t) => (t >= prompt.length ? 1 : 0));
    const opt = new AdamW(model, {lr: 1e-2, weightDecay: 0});
    for (let step = 0; step < 80; step++) {
        model.zeroGrad();
        model.nllLossAndGrad([seq], [mask]);
        opt.step();
    }
    opt.dispose();
    dir = mkdtempSync(join(tmpdir(), "rmr1-native-engine-"));
    await saveCheckpoint(dir, {config, params: model.paramMap()});
});
afterAll(async () => {
    model.dispose();
    await rt.close();
    rmSync(dir, {recursive: true, force: true});
});

describe("NativeEngine", () => {
    it("answers a chat request with the trained reply (greedy), from a checkpoint via createEngine", async () => {
        const engine = await createEngine(`native:${dir}`, {threads: 1});
        const [r] = await engine.generate([{messages, options: {maxTokens: 30}}]);
        expect(r.completions[0]).toEqual({text: reply, finishReason: "stop"});
        expect(r.usage).toEqual({promptTokens: tok.applyChatTemplate(messages).length, completionTokens: reply.length + 1});
        expect(r.model).toBe(`native:${dir}`);
        expect(engine.identity).toContain(model.weightsHash());
        await engine.close();
        await engine.close();
    });

    it("returns n seeded samples, reproducible, with logprobs aligned to the text", async () => {
        const engine = NativeEngine.fromModel(model);
        const request = {messages: [{role: "user" as const, content: "hey"}], options: {temperature: 1.5, n: 3, seed: 11, maxTokens: 12, logprobs: true, topLogprobs: 2}};
        const [a] = await engine.generate([request]);
        const [b] = await engine.generate([request, {messages, options: {maxTokens: 5}}]);
        expect(b.completions).toEqual(a.completions);
        expect(a.completions).toHaveLength(3);
        for (const c of a.completions) {
            expect(c.logprobs!.map((l) => l.token.startsWith("<0x") ? "?" : l.token).join("").length).toBe(c.logprobs!.length);
            for (const l of c.logprobs!) {
                expect(l.logprob).toBeLessThanOrEqual(0);
                expect(l.top).toHaveLength(2);
            }
        }
        expect(new Set(a.completions.map((c) => c.text)).size).toBeGreaterThan(1);
        await engine.close();
    });

    it("decodes concurrent generate() calls in one batch with the same results as one at a time", async () => {
        const engine = NativeEngine.fromModel(model, tok, {batchSize: 8});
        const reqs = Array.from({length: 6}, (_, i) => ({messages: [{role: "user" as const, content: `q${i}`}], options: {temperature: 1, seed: i, maxTokens: 10}}));
        const together = await Promise.all(reqs.map((r) => engine.generate([r])));
        const alone: typeof together = [];
        for (const r of reqs) alone.push(await engine.generate([r]));
        expect(together.map((r) => r[0].completions)).toEqual(alone.map((r) => r[0].completions));
        const aborted = new AbortController();
        const pending = engine.generate([{messages, options: {maxTokens: 40, temperature: 1, seed: 1}}], {signal: aborted.signal});
        aborted.abort();
        await expect(pending).rejects.toThrow(/aborted/);
        await engine.close();
    });

    it("cuts the text at a stop string and reports finishReason stop", async () => {
        const engine = NativeEngine.fromModel(model);
        const [r] = await engine.generate([{messages, options: {stop: ["o t"], logprobs: true}}]);
        expect(r.completions[0].text).toBe("hell");
        expect(r.completions[0].finishReason).toBe("stop");
        expect(r.completions[0].logprobs).toHaveLength(4);
        await engine.close();
    });

    it("changes identity when the live model's weights change, and rejects prompts longer than maxSeqLen", async () => {
        const engine = NativeEngine.fromModel(model);
        const before = engine.identity;
        const p = model.param("model.norm.weight");
        const old = p[0];
        p[0] += 1;
        expect(engine.identity).not.toBe(before);
        p[0] = old;
        expect(engine.identity).toBe(before);
        await expect(engine.generate([{messages: [{role: "user", content: "x".repeat(100)}]}])).rejects.toThrow(/maxSeqLen is 64/);
        await engine.close();
    });
});
