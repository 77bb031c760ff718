// End to end: the GGUF engine on a tiny model the suite writes (REAL MODEL: node-llama-cpp loads it
// in a child process). Outputs are checked against the float64 reference forward pass, so greedy
// text, stops, usage and probabilities are known exactly, not just "something came back".
import {createHash} from "node:crypto";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {Aborted, EngineBadRequest, EngineError} from "../src/errors.js";
import type {GenerateRequest} from "../src/engines/Engine.js";
import {createEngine} from "../src/engines/createEngine.js";
import {GgufEngine} from "../src/engines/gguf/GgufEngine.js";
import {exportGguf} from "../src/native/checkpoint/exportGguf.js";
import {ByteTokenizer} from "../src/native/tokenizer/ByteTokenizer.js";
import type {Message} from "../src/protocol/types.js";
import {referenceGreedy, referenceProbabilities} from "./fixtures/checkpoint/reference.js";
import {eosCapableParams, testConfig} from "./fixtures/checkpoint/randomModel.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-gguf-engine-"));
const file = join(dir, "tiny.gguf");
const params = eosCapableParams(testConfig, 3);
const tokenizer = new ByteTokenizer();
let engine: GgufEngine;

const shortQ: Message[] = [{role: "user", content: "What is 2+2?"}];
const longQ: Message[] = [{role: "user", content: "Hello"}];

beforeAll(async () => {
    await exportGguf({config: testConfig, params}, file);
    // f32 KV cache and no flash attention: llama.cpp then agrees with the float64 reference to ~1e-6,
    // so greedy decoding is exactly predictable (see test/gguf-parity.test.ts for the default precision).
    engine = await GgufEngine.load(file, {sequences: 4, contextSize: 256, kvCacheType: "f32", flashAttention: false});
});

afterAll(async () => {
    await engine?.close();
    rmSync(dir, {recursive: true, force: true});
});

describe("GgufEngine on a tiny exported model (real llama.cpp)", () => {
    it("reports how it runs and identifies the weights by their SHA-256", () => {
        const sha = createHash("sha256").update(readFileSync(file)).digest("hex");
        expect(engine.info).toMatchObject({sequences: 4, contextSize: 256, vocabSize: 264, chatTemplate: "gguf", sha256: sha});
        expect(engine.info.threads).toBe(1);   // the default on this 2-core machine
        expect(engine.identity).toContain(sha);
        expect(engine.id).toBe(`gguf:${file}`);
    });

    it("renders prompts with the GGUF's chat template, token for token as the native tokenizer does", async () => {
        for (const messages of [shortQ, [{role: "system", content: "Judge A vs B."}, {role: "user", content: "Q: café?\n[A]\nOui\n[B]\nNon ☕"}], [...longQ, {role: "assistant", content: "Hi"}, {role: "user", content: "<|eos|> is text here? no"}]] as Message[][]) {
            const expected = tokenizer.applyChatTemplate(messages);
            const got = await engine.applyChatTemplate(messages);
            if (messages.some((m) => m.content.includes("<|eos|>"))) {
                // Like llama-server and transformers, special-token text inside a message becomes the special token.
                expect(got).toContain(257);
                continue;
            }
            expect(got).toEqual(expected);
        }
    });

    it("greedy decoding matches the reference, stops at <|eos|>, and counts usage", async () => {
        const [stopped, cut] = await engine.generate([
            {messages: shortQ, options: {maxTokens: 40}},
            {messages: longQ, options: {maxTokens: 12}}
        ]);
        const refShort = referenceGreedy(testConfig, params, tokenizer.applyChatTemplate(shortQ), 40);
        const refLong = referenceGreedy(testConfig, params, tokenizer.applyChatTemplate(longQ), 12);
        expect(refShort.stopped).toBe(true);
        expect(stopped.completions).toEqual([{text: tokenizer.decode(refShort.tokens), finishReason: "stop"}]);
        expect(stopped.usage).toEqual({promptTokens: tokenizer.applyChatTemplate(shortQ).length, completionTokens: refShort.tokens.length + 1});
        expect(cut.completions).toEqual([{text: tokenizer.decode(refLong.tokens), finishReason: "length"}]);
        expect(cut.usage.completionTokens).toBe(12);
        expect(stopped.model).toBe(engine.id);
        expect(stopped.latencyMs).toBeGreaterThan(0);
    });

    it("cuts at a stop string and says so", async () => {
        const ref = tokenizer.decode(referenceGreedy(testConfig, params, tokenizer.applyChatTemplate(longQ), 24).tokens);
        // A printable two-character piece first seen at position ≥ 3 of the greedy reply.
        let at = 3;
        while (!(/^[ -~]{2}$/.test(ref.slice(at, at + 2)) && ref.indexOf(ref.slice(at, at + 2)) === at)) at++;
        const [r] = await engine.generate([{messages: longQ, options: {maxTokens: 24, stop: [ref.slice(at, at + 2), "\u0000never"]}}]);
        expect(r.completions[0]).toEqual({text: ref.slice(0, at), finishReason: "stop"});
    });

    it("seeded sampling reproduces outputs; different seeds and the n completions differ", async () => {
        const request = (seed: number, n = 1): GenerateRequest => ({messages: longQ, options: {temperature: 1, seed, maxTokens: 24, n}});
        const [a, b, c] = await engine.generate([request(42), request(42), request(43)]);
        expect(a.completions[0].text.length).toBeGreaterThan(0);
        expect(b.completions).toEqual(a.completions);
        expect(c.completions[0].text).not.toBe(a.completions[0].text);
        const [many] = await engine.generate([request(42, 3)]);
        expect(many.completions[0]).toEqual(a.completions[0]);
        expect(new Set(many.completions.map((x) => x.text)).size).toBe(3);
    });

    it("runs many sequences in parallel without changing any result", async () => {
        const requests: GenerateRequest[] = Array.from({length: 6}, (_, i) => ({
            messages: [{role: "user", content: `question ${i}`}],
            options: {temperature: 0.8, topP: 0.9, seed: 100 + i, maxTokens: 16, n: i % 2 === 0 ? 2 : 1}
        }));
        const batched = await engine.generate(requests);
        const alone = [];
        for (const r of requests) alone.push((await engine.generate([r]))[0].completions);
        expect(batched.map((r) => r.completions)).toEqual(alone);
        expect(batched.reduce((n, r) => n + r.completions.length, 0)).toBe(9);
    });

    it("returns the model's own token log-probabilities and top alternatives", async () => {
        const prompt = tokenizer.applyChatTemplate(shortQ);
        const [r] = await engine.generate([{messages: shortQ, options: {maxTokens: 5, logprobs: true, topLogprobs: 3}}]);
        const lp = r.completions[0].logprobs!;
        const ref = referenceGreedy(testConfig, params, prompt, 5);
        expect(lp.map((x) => x.token)).toEqual(ref.tokens.map((t) => tokenizer.decode([t])));
        lp.forEach((entry, i) => {
            const probs = referenceProbabilities(testConfig, params, [...prompt, ...ref.tokens.slice(0, i)]).at(-1)!;
            expect(entry.logprob).toBeCloseTo(Math.log(probs[ref.tokens[i]]), 4);
            expect(entry.top![0]).toEqual({token: entry.token, logprob: entry.logprob});
            expect(entry.top!.map((t) => t.logprob)).toEqual([...entry.top!.map((t) => t.logprob)].sort((x, y) => y - x));
        });
    });

    it("samples with logprobs reproducibly, reporting log p of each sampled token", async () => {
        const request: GenerateRequest = {messages: longQ, options: {temperature: 1.3, topP: 0.95, seed: 9, maxTokens: 6, logprobs: true}};
        const [first, second] = await engine.generate([request, request]);
        expect(second.completions).toEqual(first.completions);
        const logprobs = first.completions[0].logprobs!;
        expect(logprobs).toHaveLength(6);
        // Replay: at each step some token has exactly the reported probability under the model.
        const prefix = tokenizer.applyChatTemplate(longQ);
        for (const entry of logprobs) {
            const [probs] = await engine.nextTokenProbabilities(prefix);
            const token = probs.findIndex((p, t) => Math.abs(Math.log(p) - entry.logprob) < 1e-6 && tokenizer.decode([t], {keepSpecial: true}) === entry.token);
            expect(token).toBeGreaterThanOrEqual(0);
            prefix.push(token);
        }
    });

    it("reads P(A) vs P(B) at a verdict position", async () => {
        const prefix = [...tokenizer.applyChatTemplate(shortQ), ...tokenizer.encode("<answer>[[")];
        const [probs] = await engine.nextTokenProbabilities(prefix);
        const ref = referenceProbabilities(testConfig, params, prefix).at(-1)!;
        const [a, b] = tokenizer.encode("AB");
        expect(probs[a]).toBeCloseTo(ref[a], 5);
        expect(probs[b]).toBeCloseTo(ref[b], 5);
        expect(probs.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
    });

    it("aborts a call without breaking the engine", async () => {
        const controller = new AbortController();
        const pending = engine.generate([{messages: longQ, options: {maxTokens: 250}}], {signal: controller.signal});
        controller.abort();
        await expect(pending).rejects.toBeInstanceOf(Aborted);
        const [r] = await engine.generate([{messages: shortQ, options: {maxTokens: 40}}]);
        expect(r.completions[0].finishReason).toBe("stop");
    });

    it("rejects a prompt longer than a sequence with EngineBadRequest, and bad requests with InvalidInput", async () => {
        await expect(engine.generate([{messages: [{role: "user", content: "x".repeat(400)}]}])).rejects.toBeInstanceOf(EngineBadRequest);
        await expect(engine.generate([{messages: [], options: {}}])).rejects.toThrow(/requests\[0\].messages/);
    });
});

describe("GgufEngine lifecycle", () => {
    it("reproduces seeded outputs in a fresh process, and closes cleanly (twice)", async () => {
        const request: GenerateRequest = {messages: longQ, options: {temperature: 1, seed: 7, maxTokens: 16}};
        const expected = (await engine.generate([request]))[0].completions;
        // Through the provider string, as the CLI and jobs create it.
        const other = await createEngine(`gguf:${file}`, {concurrency: 2, contextSize: 256, kvCacheType: "f32", flashAttention: false});
        expect(other).toBeInstanceOf(GgufEngine);
        expect((other as GgufEngine).info.sequences).toBe(2);
        try {
            expect((await other.generate([request]))[0].completions).toEqual(expected);
        } finally {
            await other.close();
            await other.close();
        }
        // The worker freed the model and exited on its own (not killed).
        expect((other as unknown as {child: {exitCode: number | null, signalCode: string | null}}).child).toMatchObject({exitCode: 0, signalCode: null});
        await expect(other.generate([request])).rejects.toBeInstanceOf(EngineError);
    });
});
