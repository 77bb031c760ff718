// The HTTP engines' transport (node:http / node:https keep-alive connections, no fetch) against
// local servers: connection reuse, answers larger than one chunk, servers that close kept-alive
// connections, time limits on slow bodies, and https with a certificate the client must be told to trust.
import {readFileSync} from "node:fs";
import {Agent} from "node:https";
import {describe, expect, it} from "vitest";
import {EngineConnectionError, EngineTimeout} from "../src/errors.js";
import type {GenerateRequest} from "../src/engines/Engine.js";
import {AnthropicEngine} from "../src/engines/anthropic/AnthropicEngine.js";
import {OpenAIEngine} from "../src/engines/openai/OpenAIEngine.js";
import type {OpenAIEngineOptions} from "../src/engines/openai/OpenAIEngine.js";
import {scriptedServers} from "./helpers/scriptedServers.js";

const {server, track} = scriptedServers();

function engine(options: Partial<OpenAIEngineOptions> & {baseUrls: string | string[]}): OpenAIEngine {
    return track(new OpenAIEngine({model: "test-model", retryBaseMs: 2, retryMaxMs: 10, ...options}));
}

const ask = (content: string): GenerateRequest => ({messages: [{role: "user", content}]});
const fixture = (name: string) => readFileSync(new URL(`fixtures/engines/${name}`, import.meta.url), "utf8");

describe("HTTP transport", () => {
    it("keeps connections alive: one per request in flight, not one per request", async () => {
        const s = await server();
        const one = engine({baseUrls: s.openaiBaseUrl, concurrency: 1});
        for (let i = 0; i < 20; i++) await one.generate([ask(`r${i}`)]);
        expect(s.requests).toHaveLength(20);
        expect(s.connections).toBe(1);

        const t = await server({latencyMs: 5});
        const four = engine({baseUrls: t.openaiBaseUrl, concurrency: 4});
        for (let round = 0; round < 3; round++) await four.generate(Array.from({length: 16}, (_, i) => ask(`${round}-${i}`)));
        expect(t.requests).toHaveLength(48);
        expect(t.connections).toBeLessThanOrEqual(4);
    });

    it("collects an answer larger than one chunk, with characters split across chunks", async () => {
        // ~1.3 MB of 1-, 2-, 3- and 4-byte UTF-8 characters: it arrives in many chunks, and some
        // chunk boundaries fall inside a character.
        const text = "a é 日本 😀 ".repeat(60_000);
        const s = await server({reply: () => text});
        const [result] = await engine({baseUrls: s.openaiBaseUrl}).generate([ask("long")]);
        expect(result.completions[0].text.length).toBe(text.length);
        expect(result.completions[0].text === text).toBe(true);
        expect(result.usage.completionTokens).toBe(60_000 * 4); // the server counts whitespace-separated tokens
    });

    it("resends at once, without spending a retry, when a server closes a kept-alive connection as a request goes out", async () => {
        const s = await server({resetReusedConnections: true});
        // No retries and a long backoff: only the immediate resend on a new connection can succeed.
        const e = engine({baseUrls: s.openaiBaseUrl, concurrency: 1, retries: 0, retryBaseMs: 10_000});
        const started = Date.now();
        for (let i = 0; i < 10; i++) {
            const [result] = await e.generate([ask(`r${i}`)]);
            expect(result.completions[0].text).toBe(`echo: r${i}`);
        }
        expect(Date.now() - started).toBeLessThan(5000);
        expect(s.staleResets).toBe(9); // every request after the first tried its kept-alive connection first
        expect(s.requests).toHaveLength(10); // each answered exactly once
        expect(s.connections).toBe(10); // the resends went on new connections
    });

    it("loses nothing when many requests in flight meet a server that closes reused connections", async () => {
        const s = await server({resetReusedConnections: true, latencyMs: 2});
        const e = engine({baseUrls: s.openaiBaseUrl, concurrency: 8, retries: 0});
        for (let round = 0; round < 3; round++) {
            const results = await e.generate(Array.from({length: 24}, (_, i) => ask(`${round}-${i}`)));
            results.forEach((r, i) => expect(r.completions[0].text).toBe(`echo: ${round}-${i}`));
        }
        expect(s.requests).toHaveLength(72);
        expect(s.staleResets).toBeGreaterThan(0);
    });

    it("still reports a server that drops every fresh connection, after its retries", async () => {
        const s = await server({fault: () => ({kind: "drop"})});
        const error = await engine({baseUrls: s.openaiBaseUrl, retries: 2}).generate([ask("x")]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EngineConnectionError);
        expect((error as Error).message).toMatch(/socket hang up|ECONNRESET/);
        expect(s.requests).toHaveLength(3);
    });

    it("times out an answer whose body stalls after the headers", async () => {
        const s = await server();
        s.failNext({kind: "slow-body", ms: 5000});
        const started = Date.now();
        const error = await engine({baseUrls: s.openaiBaseUrl, timeoutMs: 300, retries: 0}).generate([ask("x")]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EngineTimeout);
        expect(Date.now() - started).toBeLessThan(2000);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(s.requests[0].abandonedAt).toBeDefined();
    });

    it("talks https, trusting a self-signed server only through the agent given", async () => {
        const cert = fixture("localhost-cert.pem");
        const s = await server({tls: {cert, key: fixture("localhost-key.pem")}});
        expect(s.url).toMatch(/^https:/);

        const refused = await engine({baseUrls: s.openaiBaseUrl, retries: 0}).generate([ask("x")]).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(EngineConnectionError);
        expect((refused as Error).message).toMatch(/self[- ]signed/);

        const agent = new Agent({ca: cert, keepAlive: true});
        try {
            const trusting = engine({baseUrls: s.openaiBaseUrl, agent, concurrency: 2});
            const results = await trusting.generate(Array.from({length: 6}, (_, i) => ask(`tls ${i}`)));
            results.forEach((r, i) => expect(r.completions[0].text).toBe(`echo: tls ${i}`));
            const claude = new AnthropicEngine({model: "claude-test", apiKey: "k", baseUrls: s.url, agent});
            track(claude);
            const [message] = await claude.generate([ask("over tls")]);
            expect(message.completions[0].text).toBe("echo: over tls");
            // The refused attempt's connection, then at most two kept alive for all seven requests.
            expect(s.connections).toBeLessThanOrEqual(3);
        } finally {
            agent.destroy();
        }
    });
});
