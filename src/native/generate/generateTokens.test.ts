// Batched KV-cache decoding: log-probabilities equal the training forward pass bit for bit,
// results depend only on (prompt, seed), and the stopping rules hold.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {Rng} from "../../protocol/rng.js";
import {KernelRuntime} from "../kernels/KernelRuntime.js";
import type {ModelConfig} from "../model/ModelConfig.js";
import {NativeModel} from "../model/NativeModel.js";
import {generateTokens} from "./generateTokens.js";
import {sampleToken} from "./sampling.js";

const config: ModelConfig = {vocabSize: 264, dModel: 32, nLayers: 2, nHeads: 4, nKvHeads: 2, dFF: 48, maxSeqLen: 96, ropeTheta: 10000, rmsNormEps: 1e-5, tiedEmbeddings: false};
let rt: KernelRuntime;
let model: NativeModel;
beforeAll(async () => {
    rt = await KernelRuntime.create({threads: 2});
    model = await NativeModel.init(config, {seed: 21, runtime: rt});
    // Larger weights than the init make the distribution peaked enough for varied, non-trivial samples.
    const rng = new Rng(5);
    const p = model.params;
    for (let i = 0; i < p.length; i++) p[i] += rng.normal() * 0.08;
});
afterAll(async () => {
    model.dispose();
    await rt.close();
});

const prompts = [[256, 259, 72, 105], [256, 259, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [256], [256, 259, 65, 66, 67, 257, 260]];

describe("generateTokens", () => {
    it("reports per-token logprobs bit-identical to NativeModel.forward on the finished sequences", async () => {
        const out = await generateTokens(model, prompts, {maxTokens: 40, temperature: 1, seed: 3, stopTokens: []});
        const seqs = prompts.map((p, i) => [...p, ...out[i].tokens]);
        const f = model.forward(seqs);
        out.forEach((o, i) => {
            expect(o.tokens.length).toBe(40);
            const fromForward = Array.from(f.logprobs.subarray(f.rowStarts[i] + prompts[i].length, f.rowStarts[i] + seqs[i].length));
            expect(o.logprobs).toEqual(fromForward);
        });
    });

    it("reports tempered logprobs equal to forward({temperature}) when asked, without changing the samples", async () => {
        const plain = await generateTokens(model, prompts, {maxTokens: 15, temperature: 0.7, seed: 5, stopTokens: []});
        const out = await generateTokens(model, prompts, {maxTokens: 15, temperature: 0.7, seed: 5, stopTokens: [], logprobTemperature: 0.7, topLogprobs: 2});
        expect(out.map((o) => o.tokens)).toEqual(plain.map((o) => o.tokens));
        const seqs = prompts.map((p, i) => [...p, ...out[i].tokens]);
        const f = model.forward(seqs, {temperature: 0.7});
        out.forEach((o, i) => {
            expect(o.logprobs).toEqual(Array.from(f.logprobs.subarray(f.rowStarts[i] + prompts[i].length, f.rowStarts[i] + seqs[i].length)));
            expect(o.logprobs).not.toEqual(plain[i].logprobs);
        });
    });

    it("depends only on (prompt, seed): batch size, order and neighbours do not matter", async () => {
        const all = await generateTokens(model, prompts, {maxTokens: 25, seeds: [1, 2, 3, 4], stopTokens: []});
        const small = await generateTokens(model, prompts, {maxTokens: 25, seeds: [1, 2, 3, 4], batchSize: 2, stopTokens: []});
        const alone = await generateTokens(model, [prompts[1]], {maxTokens: 25, seeds: [2], stopTokens: []});
        expect(small).toEqual(all);
        expect(alone[0]).toEqual(all[1]);
        const other = await generateTokens(model, [prompts[1]], {maxTokens: 25, seeds: [99], stopTokens: []});
        expect(other[0].tokens).not.toEqual(all[1].tokens);
    });

    it("shares the prefill of identical prompts without changing any result", async () => {
        const repeated = [prompts[1], prompts[0], prompts[1], prompts[1], prompts[0]];
        const seeds = [7, 8, 9, 10, 11];
        const shared = await generateTokens(model, repeated, {maxTokens: 20, seeds, stopTokens: [], logprobTemperature: 0.9});
        const alone = await Promise.all(repeated.map(async (p, i) => (await generateTokens(model, [p], {maxTokens: 20, seeds: [seeds[i]], stopTokens: [], logprobTemperature: 0.9}))[0]));
        expect(shared).toEqual(alone);
        expect(new Set(shared.slice(2, 4).map((o) => o.tokens.join(","))).size).toBe(2);
    });

    it("greedy decoding picks the most likely token at every step", async () => {
        const [g] = await generateTokens(model, [prompts[0]], {maxTokens: 20, temperature: 0, topLogprobs: 3, stopTokens: []});
        g.tokens.forEach((t, k) => {
            expect(g.top![k][0].token).toBe(t);
            expect(g.top![k][0].logprob).toBe(g.logprobs[k]);
            expect(g.top![k][1].logprob).toBeLessThanOrEqual(g.top![k][0].logprob);
        });
    });

    it("stops at a stop token (kept) or stop sequence, else at maxTokens or maxSeqLen", async () => {
        const [free] = await generateTokens(model, [prompts[0]], {maxTokens: 30, seed: 8, stopTokens: []});
        const stopAt = free.tokens[5];
        const first = free.tokens.indexOf(stopAt);
        const [stopped] = await generateTokens(model, [prompts[0]], {maxTokens: 30, seed: 8, stopTokens: [stopAt]});
        expect(stopped.finishReason).toBe("stop");
        expect(stopped.tokens).toEqual(free.tokens.slice(0, first + 1));
        const [bySeq] = await generateTokens(model, [prompts[0]], {maxTokens: 30, seed: 8, stopTokens: [], stopSequences: [free.tokens.slice(3, 6)]});
        expect(bySeq.finishReason).toBe("stop");
        expect(bySeq.tokens.slice(-3)).toEqual(free.tokens.slice(3, 6));
        expect(free.finishReason).toBe("length");
        const long = Array(90).fill(65);
        const [edge] = await generateTokens(model, [long], {maxTokens: 50, seed: 1, stopTokens: []});
        expect(edge.finishReason).toBe("length");
        expect(long.length + edge.tokens.length).toBe(config.maxSeqLen + 1);
    });

    it("rejects bad options with errors naming the field", async () => {
        await expect(generateTokens(model, [[1]], {maxTokens: 0})).rejects.toThrow(/maxTokens/);
        await expect(generateTokens(model, [[1]], {topP: 0})).rejects.toThrow(/topP/);
        await expect(generateTokens(model, [[]], {})).rejects.toThrow(/prompt 0/);
    });
});

describe("sampleToken", () => {
    it("matches the softmax distribution, and top-p keeps only the nucleus", () => {
        const logits = Float32Array.from([2, 1, 0, -1]);
        const p = [2, 1, 0, -1].map(Math.exp);
        const z = p.reduce((a, b) => a + b);
        const rng = new Rng(1);
        const counts = [0, 0, 0, 0];
        for (let i = 0; i < 20000; i++) counts[sampleToken(logits, 0, 4, {temperature: 1, topP: 1}, rng)]++;
        counts.forEach((n, j) => expect(Math.abs(n / 20000 - p[j] / z)).toBeLessThan(0.015));
        const nucleus = [0, 0, 0, 0];
        for (let i = 0; i < 5000; i++) nucleus[sampleToken(logits, 0, 4, {temperature: 1, topP: 0.7}, rng)]++;
        expect(nucleus[2] + nucleus[3]).toBe(0);
        expect(Math.abs(nucleus[0] / 5000 - p[0] / (p[0] + p[1]))).toBeLessThan(0.03);
        expect(sampleToken(Float32Array.from([0, 3, 3, 1]), 0, 4, {temperature: 0, topP: 1}, rng)).toBe(1);
    });
});
