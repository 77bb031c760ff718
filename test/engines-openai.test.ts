// The OpenAI-compatible engine against a local server speaking the protocol, with the faults real
// servers produce. Every test counts what the server saw against what the client returned.
import {createServer} from "node:net";
import {describe, expect, it} from "vitest";
import {
    Aborted, ConfigError, EngineAuthError, EngineBadRequest, EngineConnectionError, EngineProtocolError,
    EngineRateLimited, EngineServerError, EngineTimeout
} from "../src/errors.js";
import type {GenerateRequest} from "../src/engines/Engine.js";
import {OpenAIEngine} from "../src/engines/openai/OpenAIEngine.js";
import type {OpenAIEngineOptions} from "../src/engines/openai/OpenAIEngine.js";
import type {ChatFault} from "../src/engines/testing/ScriptedChatServer.js";
import {fanOutSeed} from "../src/engines/fanOut.js";
import {Rng} from "../src/protocol/rng.js";
import {scriptedServers} from "./helpers/scriptedServers.js";

const {server, track} = scriptedServers();

function engine(options: Partial<OpenAIEngineOptions> & {baseUrls: string | string[]}): OpenAIEngine {
    return track(new OpenAIEngine({model: "test-model", retryBaseMs: 2, retryMaxMs: 10, ...options}));
}

const ask = (content: string, options?: GenerateRequest["options"]): GenerateRequest => ({messages: [{role: "user", content}], options});

/** A port nothing listens on (bound, then released). */
async function deadUrl(): Promise<string> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
    const port = (probe.address() as {port: number}).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return `http://127.0.0.1:${port}/v1`;
}

describe("OpenAIEngine: the protocol", () => {
    it("sends the request fields and maps the answer", async () => {
        const s = await server({systemFingerprint: "fp_abc"});
        const e = engine({baseUrls: s.openaiBaseUrl});
        const [result] = await e.generate([{
            messages: [{role: "system", content: "Judge."}, {role: "user", content: "which is better"}],
            options: {maxTokens: 50, stop: ["</answer>"], seed: 7}
        }]);
        expect(s.requests).toHaveLength(1);
        expect(s.requests[0].body).toEqual({
            model: "test-model",
            messages: [{role: "system", content: "Judge."}, {role: "user", content: "which is better"}],
            temperature: 0,
            top_p: 1,
            max_tokens: 50,
            stop: ["</answer>"],
            seed: 7
        });
        expect(result.completions).toEqual([{text: "echo: which is better [seed 7]", finishReason: "stop"}]);
        expect(result.usage).toEqual({promptTokens: 4, completionTokens: 6});
        expect(result.model).toBe("test-model");
        expect(result.systemFingerprint).toBe("fp_abc");
        expect(result.latencyMs).toBeGreaterThan(0);
        expect(e.id).toBe("openai:test-model");
        expect(e.identity).toContain(s.openaiBaseUrl);
    });

    it("maps logprobs and top alternatives to TokenLogprob", async () => {
        const s = await server();
        const e = engine({baseUrls: s.openaiBaseUrl});
        const [result] = await e.generate([ask("A B", {logprobs: true, topLogprobs: 3})]);
        expect(s.requests[0].body.logprobs).toBe(true);
        expect(s.requests[0].body.top_logprobs).toBe(3);
        const logprobs = result.completions[0].logprobs!;
        expect(logprobs.map((t) => t.token).join("")).toBe("echo: A B");
        expect(logprobs[1]).toEqual({
            token: "A ",
            logprob: -0.2,
            top: [{token: "A ", logprob: -0.2}, {token: "alt1", logprob: -1.2}, {token: "alt2", logprob: -2.2}]
        });
        // Without logprobs asked for, none are sent or returned.
        const [plain] = await e.generate([ask("A B")]);
        expect(s.requests[1].body.logprobs).toBeUndefined();
        expect(plain.completions[0].logprobs).toBeUndefined();
    });

    it("reports truncation as finishReason length", async () => {
        const s = await server();
        const e = engine({baseUrls: s.openaiBaseUrl});
        const [result] = await e.generate([ask("one two three four five", {maxTokens: 2})]);
        expect(result.completions[0]).toEqual({text: "echo: one ", finishReason: "length"});
    });

    it("computes cost from the price table, and none for unknown models or local servers by default", async () => {
        const s = await server();
        const priced = engine({baseUrls: s.openaiBaseUrl, prices: {"test-model": {inputPer1M: 3, outputPer1M: 15}}});
        const [a] = await priced.generate([ask("x y z")]);
        expect(a.usage).toEqual({promptTokens: 3, completionTokens: 4, costUsd: (3 * 3 + 4 * 15) / 1e6});
        // A local server calling its model gpt-4o-mini is not billed at OpenAI's price.
        const local = engine({baseUrls: s.openaiBaseUrl, model: "gpt-4o-mini"});
        const [b] = await local.generate([ask("x y z")]);
        expect(b.usage.costUsd).toBeUndefined();
    });

    it("needs an API key only for api.openai.com, and says which variable to set", () => {
        const saved = process.env.OPENAI_API_KEY;
        delete process.env.OPENAI_API_KEY;
        try {
            expect(() => new OpenAIEngine({model: "gpt-4o-mini", baseUrls: "https://api.openai.com/v1"})).toThrow(ConfigError);
            expect(() => new OpenAIEngine({model: "gpt-4o-mini", baseUrls: "https://api.openai.com/v1"})).toThrow(/OPENAI_API_KEY/);
            expect(() => new OpenAIEngine({model: "m", baseUrls: "http://localhost:1/v1"})).not.toThrow();
            expect(() => new OpenAIEngine({model: "m", baseUrls: "localhost:8000"})).toThrow(/not an http\(s\) URL/);
        } finally {
            if (saved != null) process.env.OPENAI_API_KEY = saved;
        }
    });

    it("sends the bearer key when it has one", async () => {
        const s = await server({apiKey: "sk-local"});
        await engine({baseUrls: s.openaiBaseUrl, apiKey: "sk-local"}).generate([ask("hi")]);
        expect(s.requests[0].headers.authorization).toBe("Bearer sk-local");
        const wrong = engine({baseUrls: s.openaiBaseUrl, apiKey: "sk-wrong"});
        const error = await wrong.generate([ask("hi")]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EngineAuthError);
        expect((error as EngineAuthError).status).toBe(401);
        expect((error as Error).message).toMatch(/OPENAI_API_KEY/);
        expect(s.requests).toHaveLength(2); // 401 is not retried
    });
});

describe("OpenAIEngine: faults", () => {
    it("loses and duplicates nothing under a mix of 429s, 500s, 503s, drops, malformed bodies and stalls", async () => {
        // Each item fails its first 0-2 attempts with a fault drawn from a seeded stream, then succeeds.
        const rng = new Rng(20240601);
        const kinds: ChatFault[] = [
            {kind: "status", status: 429},
            {kind: "status", status: 429, headers: {"retry-after": "0"}},
            {kind: "status", status: 500},
            {kind: "status", status: 503},
            {kind: "drop"},
            {kind: "drop-mid-body"},
            {kind: "malformed", body: "<html>Bad Gateway</html>"},
            {kind: "malformed", body: "{\"object\": \"chat.completion\"}"},
            {kind: "slow-body", ms: 5000}
        ];
        const items = 120;
        const planned = new Map<string, ChatFault[]>();
        for (let i = 0; i < items; i++) {
            const count = rng.int(0, 2);
            planned.set(`item ${i}`, Array.from({length: count}, () => rng.pick(kinds)));
        }
        const s = await server({
            fault: (request) => {
                const content = request.body.messages.at(-1).content as string;
                return planned.get(content)!.shift();
            }
        });
        // The timeout must be far above a normal answer even on a loaded machine, and far below a stall.
        const e = engine({baseUrls: s.openaiBaseUrl, concurrency: 16, timeoutMs: 750});
        const requests = Array.from({length: items}, (_, i) => ask(`item ${i}`));
        const results = await e.generate(requests);

        expect(results).toHaveLength(items);
        results.forEach((r, i) => expect(r.completions.map((c) => c.text)).toEqual([`echo: item ${i}`]));
        const injected = s.requests.filter((r) => r.outcome !== "ok").length;
        expect(injected).toBeGreaterThan(items / 2); // the test really injected faults
        expect(s.requests.filter((r) => r.outcome === "slow-body").length).toBeGreaterThan(0);
        // Exactly one successful answer per item: nothing repeated after it succeeded.
        const okPerItem = new Map<string, number>();
        for (const r of s.requests.filter((q) => q.outcome === "ok")) {
            const content = r.body.messages.at(-1).content as string;
            okPerItem.set(content, (okPerItem.get(content) ?? 0) + 1);
        }
        expect(okPerItem.size).toBe(items);
        expect([...okPerItem.values()].every((n) => n === 1)).toBe(true);
        expect(s.requests).toHaveLength(items + injected);
        expect([...planned.values()].every((faults) => faults.length === 0)).toBe(true);
    });

    it("honours Retry-After in seconds", async () => {
        const s = await server();
        s.failNext({kind: "status", status: 429, headers: {"retry-after": "1"}});
        const e = engine({baseUrls: s.openaiBaseUrl, retryBaseMs: 1});
        const [result] = await e.generate([ask("wait")]);
        expect(result.completions[0].text).toBe("echo: wait");
        expect(s.requests).toHaveLength(2);
        expect(s.requests[1].at - s.requests[0].at).toBeGreaterThanOrEqual(990);
    });

    it("honours Retry-After as an HTTP date", async () => {
        const s = await server();
        // Whole seconds only: a date 2 s ahead is between 1 and 2 s away.
        s.failNext({kind: "status", status: 503, headers: {"retry-after": new Date(Date.now() + 2000).toUTCString()}});
        const e = engine({baseUrls: s.openaiBaseUrl, retryBaseMs: 1});
        await e.generate([ask("wait")]);
        const gap = s.requests[1].at - s.requests[0].at;
        expect(gap).toBeGreaterThanOrEqual(900);
        expect(gap).toBeLessThan(2500);
    });

    it("caps a Retry-After longer than maxRetryAfterMs", async () => {
        const s = await server();
        s.failNext({kind: "status", status: 429, headers: {"retry-after": "3600"}});
        const e = engine({baseUrls: s.openaiBaseUrl, maxRetryAfterMs: 100});
        await e.generate([ask("wait")]);
        const gap = s.requests[1].at - s.requests[0].at;
        expect(gap).toBeGreaterThanOrEqual(90);
        expect(gap).toBeLessThan(1000);
    });

    it("backs off without Retry-After, within the exponential cap", async () => {
        const s = await server();
        s.failNext({kind: "status", status: 500}, {kind: "status", status: 500}, {kind: "status", status: 500});
        const e = engine({baseUrls: s.openaiBaseUrl, retryBaseMs: 100, retryMaxMs: 1000});
        await e.generate([ask("x")]);
        const gaps = s.requests.slice(1).map((r, i) => r.at - s.requests[i].at);
        expect(gaps).toHaveLength(3);
        // Full jitter: uniform in [0, 100·2^k]; never more than the cap (plus scheduling slack).
        gaps.forEach((gap, k) => expect(gap).toBeLessThanOrEqual(100 * 2 ** k + 150));
    });

    it("gives up after the retry budget with a typed error that says what to do", async () => {
        const s = await server({fault: () => ({kind: "status", status: 429, headers: {"retry-after": "0"}})});
        const e = engine({baseUrls: s.openaiBaseUrl, retries: 2});
        const error = await e.generate([ask("x")]).catch((err: unknown) => err);
        expect(error).toBeInstanceOf(EngineRateLimited);
        expect((error as EngineRateLimited).retryAfterSeconds).toBe(0);
        expect((error as Error).message).toMatch(/3 attempts.*concurrency/);
        expect(s.requests).toHaveLength(3);

        const s5 = await server({fault: () => ({kind: "status", status: 502})});
        const error5 = await engine({baseUrls: s5.openaiBaseUrl, retries: 1}).generate([ask("x")]).catch((err: unknown) => err);
        expect(error5).toBeInstanceOf(EngineServerError);
        expect((error5 as EngineServerError).status).toBe(502);
        expect(s5.requests).toHaveLength(2);
    });

    it("does not retry bad requests (400, 404, 422)", async () => {
        for (const status of [400, 404, 422]) {
            const s = await server();
            s.failNext({kind: "status", status, body: JSON.stringify({object: "error", message: `vllm says ${status}`})});
            const error = await engine({baseUrls: s.openaiBaseUrl}).generate([ask("x")]).catch((err: unknown) => err);
            expect(error).toBeInstanceOf(EngineBadRequest);
            expect((error as Error).message).toContain(`vllm says ${status}`);
            if (status === 404) expect((error as Error).message).toMatch(/\/v1/);
            expect(s.requests).toHaveLength(1);
        }
    });

    it("times out a slow answer, retries it, and surfaces EngineTimeout when it stays slow", async () => {
        const s = await server();
        s.failNext({kind: "slow", ms: 3000});
        const e = engine({baseUrls: s.openaiBaseUrl, timeoutMs: 400});
        const [ok] = await e.generate([ask("slow once")]);
        expect(ok.completions[0].text).toBe("echo: slow once");
        expect(s.requests).toHaveLength(2);

        const always = await server({latencyMs: 3000});
        const started = Date.now();
        const error = await engine({baseUrls: always.openaiBaseUrl, timeoutMs: 200, retries: 1}).generate([ask("x")]).catch((err: unknown) => err);
        expect(error).toBeInstanceOf(EngineTimeout);
        expect((error as Error).message).toMatch(/within 200 ms \(2 attempts\).*timeout/);
        expect(Date.now() - started).toBeLessThan(2000);
        expect(always.requests).toHaveLength(2);
    });

    it("gives up on malformed answers after two retries", async () => {
        const s = await server({fault: () => ({kind: "malformed", body: "not json"})});
        const error = await engine({baseUrls: s.openaiBaseUrl, retries: 10}).generate([ask("x")]).catch((err: unknown) => err);
        expect(error).toBeInstanceOf(EngineProtocolError);
        expect((error as Error).message).toMatch(/not JSON: not json/);
        expect(s.requests).toHaveLength(3);
    });

    it("names the unreachable server and what to check", async () => {
        const url = await deadUrl();
        const error = await engine({baseUrls: url, retries: 1}).generate([ask("x")]).catch((err: unknown) => err);
        expect(error).toBeInstanceOf(EngineConnectionError);
        expect((error as Error).message).toContain(url);
        expect((error as Error).message).toMatch(/ECONNREFUSED/);
        expect((error as Error).message).toMatch(/OPENAI_BASE_URL/);
    });
});

describe("OpenAIEngine: several base URLs", () => {
    it("fails over from a server that is down, at once and without losing requests", async () => {
        const down = await deadUrl();
        const s = await server();
        // A 5 s backoff would show up if failover waited like a retry does.
        const e = engine({baseUrls: [down, s.openaiBaseUrl], retryBaseMs: 5000, retries: 1});
        const started = Date.now();
        const results = await e.generate(Array.from({length: 20}, (_, i) => ask(`r${i}`)));
        expect(Date.now() - started).toBeLessThan(2000);
        results.forEach((r, i) => expect(r.completions[0].text).toBe(`echo: r${i}`));
        expect(s.requests).toHaveLength(20);
    });

    it("keeps a 503ing server out for the cool-down", async () => {
        const sick = await server({fault: () => ({kind: "status", status: 503})});
        const well = await server();
        const e = engine({baseUrls: [sick.openaiBaseUrl, well.openaiBaseUrl], concurrency: 1, cooldownMs: 60_000});
        const results = await e.generate(Array.from({length: 10}, (_, i) => ask(`r${i}`)));
        expect(results).toHaveLength(10);
        expect(well.count("ok")).toBe(10);
        expect(sick.requests).toHaveLength(1); // marked down after its first 503
    });

    it("balances by requests in flight", async () => {
        const a = await server({latencyMs: 40});
        const b = await server({latencyMs: 40});
        const e = engine({baseUrls: [a.openaiBaseUrl, b.openaiBaseUrl], concurrency: 8});
        await e.generate(Array.from({length: 32}, (_, i) => ask(`r${i}`)));
        expect(a.requests.length + b.requests.length).toBe(32);
        expect(Math.abs(a.requests.length - b.requests.length)).toBeLessThanOrEqual(4);
    });

    it("sends more to the faster server", async () => {
        const slow = await server({latencyMs: 120});
        const fast = await server({latencyMs: 10});
        const e = engine({baseUrls: [slow.openaiBaseUrl, fast.openaiBaseUrl], concurrency: 2});
        await e.generate(Array.from({length: 30}, (_, i) => ask(`r${i}`)));
        expect(fast.requests.length).toBeGreaterThan(slow.requests.length * 3);
    });

    it("keeps the concurrency limit", async () => {
        const s = await server({latencyMs: 30});
        await engine({baseUrls: s.openaiBaseUrl, concurrency: 3}).generate(Array.from({length: 12}, (_, i) => ask(`r${i}`)));
        expect(s.peakInFlight).toBe(3);
        expect(s.requests).toHaveLength(12);
    });
});

describe("OpenAIEngine: n > 1", () => {
    it("sends n to servers that support it", async () => {
        const s = await server();
        const [result] = await engine({baseUrls: s.openaiBaseUrl}).generate([ask("q", {n: 3, temperature: 1})]);
        expect(s.requests).toHaveLength(1);
        expect(s.requests[0].body.n).toBe(3);
        expect(result.completions.map((c) => c.text)).toEqual(["echo: q", "echo: q [sample 1]", "echo: q [sample 2]"]);
    });

    it("fans out when the server rejects n > 1 (llama.cpp), and remembers", async () => {
        const s = await server({rejectN: true});
        const e = engine({baseUrls: s.openaiBaseUrl});
        const [first] = await e.generate([ask("q", {n: 3, seed: 11, temperature: 1})]);
        expect(s.requests.map((r) => r.outcome)).toEqual(["rejected", "ok", "ok", "ok"]);
        expect(first.completions.map((c) => c.text)).toEqual([0, 1, 2].map((i) => `echo: q [seed ${fanOutSeed(11, i)}]`));
        expect(fanOutSeed(11, 0)).toBe(11);
        expect(new Set(first.completions.map((c) => c.text)).size).toBe(3);
        expect(first.usage.completionTokens).toBe(3 * 4);
        await e.generate([ask("again", {n: 2, temperature: 1})]);
        expect(s.requests.slice(4).map((r) => [r.outcome, r.body.n])).toEqual([["ok", undefined], ["ok", undefined]]);
    });

    it("fetches the missing samples when a server ignores n", async () => {
        const s = await server({ignoreN: true});
        const [result] = await engine({baseUrls: s.openaiBaseUrl}).generate([ask("q", {n: 3, seed: 5, temperature: 1})]);
        expect(result.completions).toHaveLength(3);
        expect(result.completions[0].text).toBe("echo: q [seed 5]");
        expect(s.requests).toHaveLength(3);
    });

    it("surfaces the 400 when fan-out is off, and fans out always when asked", async () => {
        const s = await server({rejectN: true});
        await expect(engine({baseUrls: s.openaiBaseUrl, fanOutN: "never"}).generate([ask("q", {n: 2})])).rejects.toThrow(/Only one completion choice/);
        const before = s.requests.length;
        await engine({baseUrls: s.openaiBaseUrl, fanOutN: "always"}).generate([ask("q", {n: 2})]);
        expect(s.requests.slice(before).map((r) => r.outcome)).toEqual(["ok", "ok"]);
    });
});

describe("OpenAIEngine: cancellation", () => {
    it("rejects with Aborted when the caller aborts, in flight or queued", async () => {
        const s = await server({latencyMs: 2000});
        const e = engine({baseUrls: s.openaiBaseUrl, concurrency: 1});
        const controller = new AbortController();
        const started = Date.now();
        const pending = e.generate([ask("a"), ask("b"), ask("c")], {signal: controller.signal});
        setTimeout(() => controller.abort(), 50);
        await expect(pending).rejects.toBeInstanceOf(Aborted);
        expect(Date.now() - started).toBeLessThan(1000);
        expect(s.requests).toHaveLength(1); // the two queued never went out
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(s.requests[0].abandonedAt).toBeDefined(); // the one in flight had its connection closed
    });

    it("rejects with Aborted while waiting to retry", async () => {
        const s = await server();
        s.failNext({kind: "status", status: 429, headers: {"retry-after": "30"}});
        const controller = new AbortController();
        const pending = engine({baseUrls: s.openaiBaseUrl}).generate([ask("a")], {signal: controller.signal});
        setTimeout(() => controller.abort(), 100);
        await expect(pending).rejects.toBeInstanceOf(Aborted);
        expect(s.requests).toHaveLength(1);
    });

    it("cancels the rest of a batch when one request fails", async () => {
        const s = await server({
            fault: (r) => (r.body.messages[0].content === "bad" ? {kind: "status", status: 400} : {kind: "slow", ms: 3000})
        });
        const started = Date.now();
        const error = await engine({baseUrls: s.openaiBaseUrl}).generate([ask("ok1"), ask("bad"), ask("ok2")]).catch((err: unknown) => err);
        expect(error).toBeInstanceOf(EngineBadRequest);
        await new Promise((resolve) => setTimeout(resolve, 100));
        // The two slow siblings were abandoned (their connections closed) right away instead of
        // running to their 3 s answers.
        const siblings = s.requests.filter((r) => r.outcome === "slow");
        expect(siblings).toHaveLength(2);
        expect(siblings.every((r) => r.abandonedAt != null && r.abandonedAt - started < 1500)).toBe(true);
        expect(s.inFlight).toBe(0);
    });

    it("close() aborts what is in flight and refuses new work", async () => {
        const s = await server({latencyMs: 2000});
        const e = engine({baseUrls: s.openaiBaseUrl});
        const pending = e.generate([ask("a")]);
        setTimeout(() => void e.close(), 50);
        await expect(pending).rejects.toBeInstanceOf(Aborted);
        await expect(e.generate([ask("b")])).rejects.toBeInstanceOf(Aborted);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(s.requests.map((r) => r.abandonedAt != null)).toEqual([true]);
        await e.close(); // twice is fine
    });

    it("rejects malformed requests before sending anything", async () => {
        const s = await server();
        const e = engine({baseUrls: s.openaiBaseUrl});
        await expect(e.generate([{messages: []}])).rejects.toThrow(/requests\[0\]\.messages/);
        await expect(e.generate([ask("x", {n: 0})])).rejects.toThrow(/requests\[0\]\.options\.n/);
        await expect(e.generate([ask("x", {topLogprobs: 21, logprobs: true})])).rejects.toThrow(/topLogprobs/);
        expect(s.requests).toHaveLength(0);
    });
});
