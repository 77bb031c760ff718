// Fault tests of `rmr1 serve`: an engine that is down, fails, or is slow; malformed and oversized
// bodies; missing and wrong tokens; a full queue; shutdown with work in flight (in-process and as a
// real `rmr1 serve` process receiving SIGTERM). The engine is a real tiny model; where a fault must
// be injected it is wrapped (test/fixtures/serve/FaultyEngine.ts), which tests the server's handling.
import {request as httpRequest} from "node:http";
import {mkdtempSync, rmSync} from "node:fs";
import {createServer} from "node:net";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {OpenAIEngine} from "../src/engines/openai/OpenAIEngine.js";
import {ConfigError, EngineServerError} from "../src/errors.js";
import {NativeEngine} from "../src/native/NativeEngine.js";
import {startServer} from "../src/serve/RewardServer.js";
import type {RewardServer, ServeOptions} from "../src/serve/RewardServer.js";
import {runCli, spawnRmr1} from "./helpers/runCli.js";
import {FaultyEngine} from "./fixtures/serve/FaultyEngine.js";
import {writeVerdictModel} from "./fixtures/judge/judgeModels.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-serve-faults-"));
let native: NativeEngine;
const servers: RewardServer[] = [];

async function serve(options: ServeOptions): Promise<RewardServer> {
    const s = await startServer({port: 0, ...options});
    servers.push(s);
    return s;
}

const pair = (i = 0) => ({
    id: `p${i}`,
    prompt: [{role: "user", content: `q${i}`}],
    chosen: [{role: "assistant", content: "good"}],
    rejected: [{role: "assistant", content: "bad"}]
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{status: number, headers: Headers, body: any}> {
    const r = await fetch(url, {method: "POST", headers: {"content-type": "application/json", ...headers}, body: typeof body === "string" ? body : JSON.stringify(body)});
    const text = await r.text();
    let parsed: unknown = text;
    try {
        parsed = JSON.parse(text);
    } catch {
        // not JSON
    }
    return {status: r.status, headers: r.headers, body: parsed};
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
    const s = createServer();
    await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
    const port = (s.address() as {port: number}).port;
    await new Promise<void>((resolve) => s.close(() => resolve()));
    return port;
}

beforeAll(async () => {
    await writeVerdictModel(dir);
    native = await NativeEngine.load(dir, {threads: 1});
});

afterAll(async () => {
    for (const s of servers) await s.close();
    await native?.close();
    rmSync(dir, {recursive: true, force: true});
});

const judge = {profile: "tiny" as const, temperature: 1, maxTokens: 16};

describe("engine faults", () => {
    it("an engine that is down gives 503 with a clear message, and the server stays up", async () => {
        const down = new OpenAIEngine({model: "m", baseUrls: `http://127.0.0.1:${await deadPort()}/v1`, retries: 0});
        const s = await serve({engine: down, judge});
        for (const path of ["/v1/judge", "/v1/chat/completions"]) {
            const body = path === "/v1/judge" ? pair() : {messages: [{role: "user", content: "hi"}]};
            const r = await post(`${s.url}${path}`, body);
            expect(r.status).toBe(503);
            expect(r.body.error.type).toBe("engine_unavailable");
            expect(r.body.error.message).toMatch(/unavailable.*openai:m/);
            expect(r.headers.get("retry-after")).toBe("5");
        }
        expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
        expect(s.metrics.engineErrors.get({error: "EngineConnectionError"})).toBe(2);
        // rm-r1 rewards need no engine and still work.
        const reward = await post(`${s.url}/get_reward`, {query: ["<answer>[[A]]</answer>"], labels: ["model_a"]});
        expect(reward.body.rewards).toEqual([1]);
    });

    it("an engine failure gives 502, and the next request is served normally", async () => {
        const faulty = new FaultyEngine(native);
        const s = await serve({engine: faulty, judge});
        faulty.failWith = new EngineServerError("the GPU fell off", {engine: faulty.id});
        const failed = await post(`${s.url}/v1/judge`, pair());
        expect(failed.status).toBe(502);
        expect(failed.body.error).toMatchObject({type: "engine_error", message: expect.stringContaining("the GPU fell off")});
        faulty.failWith = null;
        const ok = await post(`${s.url}/v1/judge`, pair());
        expect(ok.status).toBe(200);
        expect(ok.body.judgments[0].outputs).toHaveLength(1);
    });

    it("a slow engine hits the request deadline: 504, and the engine call is cancelled", async () => {
        const slow = new FaultyEngine(native);
        slow.delayMs = 5000;
        const s = await serve({engine: slow, judge, limits: {timeoutMs: 300}});
        const started = Date.now();
        const r = await post(`${s.url}/v1/judge`, pair());
        const took = Date.now() - started;
        expect(r.status).toBe(504);
        expect(r.body.error.type).toBe("timeout");
        expect(r.body.error.message).toMatch(/300 ms/);
        expect(took).toBeLessThan(2000);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(slow.aborted).toBe(1);
        expect(s.inFlight).toBe(0);
    });

    it("one malformed request in a micro-batch fails alone", async () => {
        const s = await serve({engine: native});
        const tooLong = "x".repeat(2000);   // beyond the model's 1024-token context
        const results = await Promise.all([
            post(`${s.url}/v1/chat/completions`, {messages: [{role: "user", content: "a"}], max_tokens: 8, seed: 1}),
            post(`${s.url}/v1/chat/completions`, {messages: [{role: "user", content: tooLong}], max_tokens: 8}),
            post(`${s.url}/v1/chat/completions`, {messages: [{role: "user", content: "b"}], max_tokens: 8, seed: 2})
        ]);
        expect(results.map((r) => r.status)).toEqual([200, 400, 200]);
        expect(results[1].body.error.message).toMatch(/maxSeqLen/);
    });
});

describe("bad requests", () => {
    let s: RewardServer;
    beforeAll(async () => {
        s = await serve({engine: native, judge, limits: {maxBodyBytes: 4096, maxItems: 3}});
    });

    it("malformed JSON, an empty body and a wrong field are 400s that say what is wrong", async () => {
        const bad = await post(`${s.url}/v1/judge`, "{\"pairs\": [");
        expect(bad).toMatchObject({status: 400, body: {error: {type: "invalid_json"}}});
        const empty = await post(`${s.url}/v1/judge`, "");
        expect(empty.status).toBe(400);
        const field = await post(`${s.url}/v1/judge`, {pairs: [pair(0), {...pair(1), rejected: [{role: "robot", content: "x"}]}]});
        expect(field).toMatchObject({status: 400, body: {error: {field: "pairs[1].rejected[0].role"}}});
        const option = await post(`${s.url}/v1/judge`, {...pair(), options: {samples: 0}});
        expect(option).toMatchObject({status: 400, body: {error: {field: "options.samples"}}});
        const chat = await post(`${s.url}/v1/chat/completions`, {messages: [{role: "user", content: "x"}], temperature: 9});
        expect(chat).toMatchObject({status: 400, body: {error: {field: "temperature"}}});
        const tools = await post(`${s.url}/v1/chat/completions`, {messages: [{role: "user", content: "x"}], tools: [{}]});
        expect(tools).toMatchObject({status: 400, body: {error: {field: "tools"}}});
        const many = await post(`${s.url}/v1/judge`, {pairs: [pair(0), pair(1), pair(2), pair(3)]});
        expect(many).toMatchObject({status: 400, body: {error: {field: "pairs"}}});
        expect(many.body.error.message).toMatch(/at most 3/);
    });

    it("an oversized body is a 413, declared or streamed", async () => {
        const big = JSON.stringify({pairs: [{...pair(), chosen: [{role: "assistant", content: "y".repeat(10_000)}]}]});
        const declared = await post(`${s.url}/v1/judge`, big);
        expect(declared).toMatchObject({status: 413, body: {error: {type: "payload_too_large"}}});
        // Chunked, no content-length: the limit is enforced while reading.
        const streamed = await new Promise<{status: number, body: string}>((resolve, reject) => {
            const req = httpRequest(`${s.url}/v1/judge`, {method: "POST", headers: {"content-type": "application/json", "transfer-encoding": "chunked"}}, (res) => {
                let body = "";
                res.on("data", (d) => (body += d));
                res.on("end", () => resolve({status: res.statusCode!, body}));
            });
            req.on("error", reject);
            for (let i = 0; i < 10; i++) req.write(big.slice(i * 1100, (i + 1) * 1100));
            req.end();
        });
        expect(streamed.status).toBe(413);
        expect(JSON.parse(streamed.body).error.type).toBe("payload_too_large");
        // The server still serves.
        expect((await post(`${s.url}/v1/judge`, pair())).status).toBe(200);
    });

    it("unknown routes are 404 and wrong methods 405", async () => {
        expect((await post(`${s.url}/v2/judge`, {})).status).toBe(404);
        const r = await fetch(`${s.url}/v1/judge`);
        expect(r.status).toBe(405);
        expect(r.headers.get("allow")).toBe("POST");
    });
});

describe("authentication", () => {
    const token = "s3cret-token-for-tests";
    let s: RewardServer;
    beforeAll(async () => {
        s = await serve({engine: native, judge, token});
    });

    it("every route but /healthz needs the bearer token", async () => {
        expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
        for (const [method, path] of [["GET", "/metrics"], ["GET", "/v1/models"], ["POST", "/v1/judge"], ["POST", "/get_reward"], ["POST", "/v1/chat/completions"], ["POST", "/v1/rank"]]) {
            const missing = await fetch(`${s.url}${path}`, {method, ...(method === "POST" ? {body: "{}"} : {})});
            expect(missing.status, path).toBe(401);
            expect(missing.headers.get("www-authenticate")).toContain("Bearer");
            const wrong = await fetch(`${s.url}${path}`, {method, headers: {authorization: "Bearer s3cret-token-for-tesTS"}, ...(method === "POST" ? {body: "{}"} : {})});
            expect(wrong.status, path).toBe(401);
            expect(((await wrong.json()) as {error: {message: string}}).error.message).toBe("wrong bearer token");
        }
        const ok = await post(`${s.url}/v1/judge`, pair(), {authorization: `Bearer ${token}`});
        expect(ok.status).toBe(200);
        const metrics = await fetch(`${s.url}/metrics`, {headers: {authorization: `Bearer ${token}`}});
        expect(await metrics.text()).toContain("rmr1_requests_total{route=\"judge\",status=\"401\"} 2");
    });

    it("the OpenAI engine authenticates with its API key", async () => {
        const client = new OpenAIEngine({model: "m", baseUrls: `${s.url}/v1`, apiKey: token, retries: 0});
        const [r] = await client.generate([{messages: [{role: "user", content: "hi"}], options: {seed: 1, temperature: 1, maxTokens: 8}}]);
        expect(r.completions[0].text.length).toBeGreaterThan(0);
    });

    it("refuses to bind beyond loopback without a token", async () => {
        await expect(startServer({port: 0, host: "0.0.0.0"})).rejects.toThrow(ConfigError);
        await expect(startServer({port: 0, host: "0.0.0.0"})).rejects.toThrow(/--token or RMR1_TOKEN/);
        const open = await startServer({port: 0, host: "0.0.0.0", token});
        await open.close();
        // The command says so in one line and exits 2.
        const saved = process.env.RMR1_TOKEN;
        delete process.env.RMR1_TOKEN;
        const r = await runCli(["serve", "--host", "0.0.0.0", "--port", "0"]).finally(() => {
            if (saved != null) process.env.RMR1_TOKEN = saved;
        });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^rmr1: binding to 0\.0\.0\.0 exposes the server beyond this machine; set a bearer token/);
    });
});

describe("overload and shutdown", () => {
    it("a full queue answers 429 with Retry-After; admitted requests still finish", async () => {
        const slow = new FaultyEngine(native);
        slow.delayMs = 400;
        const s = await serve({engine: slow, judge, limits: {maxConcurrent: 1, maxQueue: 1}});
        const results = await Promise.all(Array.from({length: 5}, (_, i) => post(`${s.url}/v1/judge`, pair(i))));
        const statuses = results.map((r) => r.status).sort();
        expect(statuses).toEqual([200, 200, 429, 429, 429]);
        for (const r of results.filter((r) => r.status === 429)) {
            expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
            expect(r.body.error.type).toBe("rate_limit");
        }
        // Once it has drained, Retry-After reflects the time a slot is held (about 0.4 s → 1 s).
        expect(s.metrics.requests.get({route: "judge", status: "429"})).toBe(3);
    });

    it("close() finishes in-flight and queued work, then refuses new requests", async () => {
        const slow = new FaultyEngine(native);
        slow.delayMs = 300;
        const s = await startServer({port: 0, engine: slow, judge, limits: {maxConcurrent: 1}});
        const inFlight = [post(`${s.url}/v1/judge`, pair(1)), post(`${s.url}/v1/judge`, pair(2))];
        await new Promise((resolve) => setTimeout(resolve, 100));
        const closing = s.close();
        const results = await Promise.all(inFlight);
        expect(results.map((r) => r.status)).toEqual([200, 200]);
        await closing;
        await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
    });

    it("`rmr1 serve` drains on SIGTERM: the request in flight completes, then the process exits 0", async () => {
        const child = spawnRmr1(["serve", "--model", `native:${dir}`, "--port", "0", "--threads", "1"]);
        const url = (await child.waitForStdout(/listening on (http:\/\/\S+)/))[1];
        // Greedy decoding of this model repeats "[" until max_tokens: long requests (8 x 1000 tokens each).
        const pending = Array.from({length: 3}, () => post(`${url}/v1/chat/completions`, {messages: [{role: "user", content: "go"}], temperature: 0, max_tokens: 1000, n: 8}));
        // Signal once the server reports work in flight.
        for (let i = 0; i < 200; i++) {
            const health = await (await fetch(`${url}/healthz`)).json() as {in_flight: number};
            if (health.in_flight > 0) break;
            await new Promise((resolve) => setTimeout(resolve, 5));
        }
        child.kill("SIGTERM");
        const results = await Promise.all(pending);
        for (const r of results) {
            expect(r.status).toBe(200);
            expect(r.body.usage.completion_tokens).toBe(8000);
            expect(r.body.choices[7].finish_reason).toBe("length");
        }
        expect((await child.exited).code).toBe(0);
        expect(child.stderr()).toMatch(/SIGTERM: draining \([1-9]\d* in flight/);
        expect(child.stderr()).toMatch(/stopped/);
    });
});
