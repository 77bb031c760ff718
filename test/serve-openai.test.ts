// End to end (REAL MODELS, no test double on either side): rmr1's OpenAI-compatible engine
// (`src/engines/openai/`) talking to `rmr1 serve`, which runs a tiny model written here: the native
// engine, and the same weights as GGUF under llama.cpp. What comes back over HTTP must be exactly what
// the engine gives when called directly: texts, finish reasons, token counts, logprobs, and the
// judge's verdicts built on them.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {Engine, GenerateRequest, GenerateResult} from "../src/engines/Engine.js";
import {GgufEngine} from "../src/engines/gguf/GgufEngine.js";
import {OpenAIEngine} from "../src/engines/openai/OpenAIEngine.js";
import {Judge} from "../src/judge/Judge.js";
import {NativeEngine} from "../src/native/NativeEngine.js";
import type {Message} from "../src/protocol/types.js";
import {startServer} from "../src/serve/RewardServer.js";
import type {RewardServer} from "../src/serve/RewardServer.js";
import {writeVerdictModel} from "./fixtures/judge/judgeModels.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-serve-openai-"));
let native: NativeEngine;
let server: RewardServer;
let client: OpenAIEngine;

const ask = (content: string): Message[] => [{role: "user", content}];

/** The fields of a result that must survive the trip over HTTP unchanged. */
function essence(results: GenerateResult[]): unknown {
    return results.map((r) => ({
        usage: {promptTokens: r.usage.promptTokens, completionTokens: r.usage.completionTokens},
        completions: r.completions.map((c) => ({
            text: c.text,
            finishReason: c.finishReason,
            logprobs: c.logprobs?.map((t) => ({token: t.token, logprob: Math.fround(t.logprob), top: t.top?.map((a) => ({token: a.token, logprob: Math.fround(a.logprob)}))}))
        }))
    }));
}

const requests: GenerateRequest[] = [
    {messages: ask("2+2?"), options: {temperature: 1, seed: 11, maxTokens: 24}},
    {messages: ask("Which is better?"), options: {temperature: 1, seed: 12, maxTokens: 24, n: 3}},
    {messages: [{role: "system", content: "Judge A vs B."}, ...ask("café ☕")], options: {temperature: 0.7, topP: 0.9, seed: 13, maxTokens: 16, logprobs: true, topLogprobs: 3}},
    {messages: ask("greedy"), options: {temperature: 0, maxTokens: 12}},
    {messages: ask("stop me"), options: {temperature: 1, seed: 14, maxTokens: 24, stop: ["]]"]}}
];

beforeAll(async () => {
    await writeVerdictModel(dir);
    native = await NativeEngine.load(dir, {threads: 1});
    server = await startServer({engine: native, port: 0, judge: {profile: "tiny"}, modelName: "verdict-tiny"});
    client = new OpenAIEngine({model: "verdict-tiny", baseUrls: `${server.url}/v1`, retries: 0});
});

afterAll(async () => {
    await client?.close();
    await server?.close();
    await native?.close();
    rmSync(dir, {recursive: true, force: true});
});

describe("OpenAIEngine against rmr1 serve running the native engine (REAL MODEL)", () => {
    it("returns exactly what the engine returns when called directly", async () => {
        const direct = await native.generate(requests);
        const overHttp = await client.generate(requests);
        expect(essence(overHttp)).toEqual(essence(direct));
        // The server names the model it serves and a fingerprint of the weights.
        expect(overHttp[0].model).toBe("verdict-tiny");
        expect(overHttp[0].systemFingerprint).toMatch(/^fp_[0-9a-f]{10}$/);
        // The stop string ended the completion and is not part of the text.
        expect(overHttp[4].completions[0].text.includes("]]")).toBe(false);
        expect(overHttp[3].completions[0].finishReason).toBe("length");
    });

    it("micro-batches concurrent requests into fewer engine calls without changing any answer", async () => {
        const many: GenerateRequest[] = Array.from({length: 24}, (_, i) => ({messages: ask(`q${i}`), options: {temperature: 1, seed: 100 + i, maxTokens: 20}}));
        const direct = await Promise.all(many.map((r) => native.generate([r])));
        const callsBefore = server.metrics.engineBatch.count();
        // One HTTP request each, all at once: the server merges them.
        const overHttp = await Promise.all(many.map((r) => client.generate([r])));
        expect(overHttp.map(essence)).toEqual(direct.map(essence));
        const calls = server.metrics.engineBatch.count() - callsBefore;
        expect(calls).toBeLessThan(many.length);
    });

    it("a judge over HTTP gives the same judgments as the same judge in-process", async () => {
        const pairs = Array.from({length: 6}, (_, i) => ({
            id: `p${i}`,
            prompt: ask(`question ${i}`),
            chosen: [{role: "assistant" as const, content: `right ${i}`}],
            rejected: [{role: "assistant" as const, content: `wrong ${i}`}]
        }));
        const options = {profile: "tiny" as const, order: "both" as const, samples: 3, temperature: 1, maxTokens: 20, seed: 5};
        const local = await Promise.all(pairs.map((p) => new Judge(native, options).judgePair(p)));
        const remote = await Promise.all(pairs.map((p) => new Judge(client, options).judgePair(p)));
        const strip = (j: Awaited<ReturnType<Judge["judge"]>>) => ({verdict: j.verdict, preferred: j.preferred, passes: j.passes.map((p) => ({...p, p_a: p.p_a == null ? null : Math.fround(p.p_a)})), outputs: j.outputs.map((o) => [o.text, o.verdict])});
        expect(remote.map(strip)).toEqual(local.map(strip));
        // Not all the same verdict: the comparison has something to compare.
        expect(new Set(local.flatMap((j) => j.outputs.map((o) => o.verdict))).size).toBeGreaterThan(1);
    });

    it("streams a completion as server-sent events ending with [DONE]", async () => {
        const response = await fetch(`${server.url}/v1/chat/completions`, {
            method: "POST",
            headers: {"content-type": "application/json"},
            body: JSON.stringify({messages: ask("2+2?"), temperature: 1, seed: 11, max_tokens: 24, stream: true, stream_options: {include_usage: true}})
        });
        expect(response.headers.get("content-type")).toContain("text/event-stream");
        const events = (await response.text()).split("\n\n").filter((e) => e !== "").map((e) => e.replace(/^data: /, ""));
        expect(events.at(-1)).toBe("[DONE]");
        const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
        const text = chunks.flatMap((c) => c.choices.map((ch: any) => ch.delta.content ?? "")).join("");
        const [direct] = await native.generate([requests[0]]);
        expect(text).toBe(direct.completions[0].text);
        expect(chunks.at(-1).usage).toEqual({prompt_tokens: direct.usage.promptTokens, completion_tokens: direct.usage.completionTokens, total_tokens: direct.usage.promptTokens + direct.usage.completionTokens});
        expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    });

    it("lists the served model for OpenAI clients", async () => {
        const body = await (await fetch(`${server.url}/v1/models`)).json();
        expect(body).toMatchObject({object: "list", data: [{id: "verdict-tiny", object: "model", owned_by: "rmr1"}]});
    });
});

describe("OpenAIEngine against rmr1 serve running the GGUF engine (REAL MODEL, llama.cpp)", () => {
    let gguf: GgufEngine;
    let ggufServer: RewardServer;
    let ggufClient: Engine;

    beforeAll(async () => {
        gguf = await GgufEngine.load(join(dir, "model.gguf"), {sequences: 4, contextSize: 256, kvCacheType: "f32", flashAttention: false});
        ggufServer = await startServer({engine: gguf, port: 0});
        ggufClient = new OpenAIEngine({model: "any", baseUrls: `${ggufServer.url}/v1`, retries: 0});
    }, 120_000);

    afterAll(async () => {
        await ggufClient?.close();
        await ggufServer?.close();
        await gguf?.close();
    });

    it("returns what llama.cpp returns directly, for seeded sampling and logprobs", async () => {
        const some = [requests[0], requests[2], requests[3]];
        const direct = await gguf.generate(some);
        const overHttp = await ggufClient.generate(some);
        expect(essence(overHttp)).toEqual(essence(direct));
        expect(overHttp[0].model).toBe(gguf.id);
    });

    it("agrees with the native engine on the model's verdict probabilities (same weights, two runtimes)", async () => {
        const request: GenerateRequest = {messages: ask("Which?"), options: {temperature: 0, maxTokens: 3, logprobs: true, topLogprobs: 3}};
        const [viaGguf] = await ggufClient.generate([request]);
        const [viaNative] = await client.generate([request]);
        // Greedy: "[[[" from both; at the second "[" P([)=0.5, P(A)=0.3, P(B)=0.2 by construction.
        expect(viaGguf.completions[0].text).toBe(viaNative.completions[0].text);
        const top = (r: GenerateResult) => Object.fromEntries(r.completions[0].logprobs![1].top!.map((a) => [a.token, Math.exp(a.logprob)]));
        const g = top(viaGguf);
        const n = top(viaNative);
        for (const token of ["[", "A", "B"]) expect(g[token]).toBeCloseTo(n[token], 3);
        expect(n.A).toBeCloseTo(0.3, 3);
    });
});
