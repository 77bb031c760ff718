// Engines by provider string, the provider registry, the default response cache, and the
// `rmr1 cache info|clear` commands.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from "vitest";
import {ConfigError, Rmr1Error} from "../src/errors.js";
import type {Engine} from "../src/engines/Engine.js";
import {ResponseCache} from "../src/engines/cache/ResponseCache.js";
import {createEngine, engineProviders, registerEngineProvider} from "../src/engines/createEngine.js";
import {ScriptedChatServer} from "../src/engines/testing/ScriptedChatServer.js";
import {runCli} from "./helpers/runCli.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-create-test-"));
const saved = {...process.env};
let s: ScriptedChatServer;
const engines: Engine[] = [];

beforeAll(async () => {
    s = await ScriptedChatServer.start();
    process.env.RMR1_CACHE_DIR = dir;
    delete process.env.OPENAI_BASE_URL;
    delete process.env.OPENAI_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_BASE_URL;
});
afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
});
afterAll(async () => {
    await s.close();
    process.env = saved;
    rmSync(dir, {recursive: true, force: true});
});

async function make(provider: string, options: Parameters<typeof createEngine>[1] = {}): Promise<Engine> {
    const e = await createEngine(provider, options);
    engines.push(e);
    return e;
}

const ask = (content: string) => [{messages: [{role: "user" as const, content}]}];

describe("createEngine", () => {
    it("builds openai: and anthropic: engines against the given base URL", async () => {
        const openai = await make("openai:local-model", {baseUrls: s.openaiBaseUrl, cache: false});
        expect(openai.id).toBe("openai:local-model");
        const [a] = await openai.generate(ask("hi"));
        expect(a.completions[0].text).toBe("echo: hi");
        const anthropic = await make("anthropic:claude-x", {baseUrls: s.url, cache: false});
        expect(anthropic.id).toBe("anthropic:claude-x");
        const [b] = await anthropic.generate(ask("hey"));
        expect(b.completions[0].text).toBe("echo: hey");
        expect(s.requests.at(-1)!.path).toBe("/v1/messages");
    });

    it("reads OPENAI_BASE_URL (several, comma-separated) and keeps colons in model names", async () => {
        const other = await ScriptedChatServer.start();
        try {
            process.env.OPENAI_BASE_URL = `${s.openaiBaseUrl}, ${other.openaiBaseUrl}`;
            const e = await make("openai:llama3.2:1b", {cache: false});
            await e.generate([...ask("1"), ...ask("2"), ...ask("3"), ...ask("4")]);
            expect(other.requests.length).toBeGreaterThan(0);
            expect(other.requests[0].body.model).toBe("llama3.2:1b");
            expect(e.identity).toContain(other.openaiBaseUrl);
        } finally {
            delete process.env.OPENAI_BASE_URL;
            await other.close();
        }
    });

    it("caches openai: answers by default in RMR1_CACHE_DIR, and not with cache: false", async () => {
        const before = s.requests.length;
        const cached = await make("openai:cache-me", {baseUrls: s.openaiBaseUrl});
        await cached.generate(ask("once"));
        const [again] = await cached.generate(ask("once"));
        expect(again.cached).toBe(true);
        expect(s.requests.length - before).toBe(1);
        const info = new ResponseCache({path: join(dir, "responses.sqlite")});
        expect(info.info().engines).toContainEqual({engine: "openai:cache-me", entries: 1});
        info.close();
        const uncached = await make("openai:cache-me", {baseUrls: s.openaiBaseUrl, cache: false});
        const [fresh] = await uncached.generate(ask("once"));
        expect(fresh.cached).toBeUndefined();
        expect(s.requests.length - before).toBe(2);
    });

    it("explains unknown providers, missing prefixes, missing models and missing keys", async () => {
        await expect(createEngine("vllm:x")).rejects.toThrow(ConfigError);
        await expect(createEngine("vllm:x")).rejects.toThrow(/known providers: .*anthropic:.*gguf:.*native:.*openai:/);
        await expect(createEngine("gpt-4o")).rejects.toThrow(/no provider prefix; write <provider>:<model>/);
        await expect(createEngine("openai:")).rejects.toThrow(/names no model/);
        await expect(createEngine("openai:gpt-4o-mini")).rejects.toThrow(/set OPENAI_API_KEY/);
        await expect(createEngine("anthropic:claude-sonnet-4-5")).rejects.toThrow(/set ANTHROPIC_API_KEY/);
    });

    it("loads gguf: and native: lazily, failing with an rmr1 error rather than a crash", async () => {
        // Whether or not those layers are built yet, a missing model is a clear, typed error.
        await expect(createEngine("gguf:/nonexistent/model.gguf", {cache: false})).rejects.toBeInstanceOf(Rmr1Error);
        await expect(createEngine("native:/nonexistent/checkpoint", {cache: false})).rejects.toBeInstanceOf(Rmr1Error);
    });

    it("lets other layers register providers", async () => {
        const factory = vi.fn((rest: string) => {
            const engine: Engine = {
                id: `echo:${rest}`,
                identity: `echo:${rest}`,
                generate: async (requests) => requests.map((r) => ({
                    completions: [{text: r.messages.at(-1)!.content.toUpperCase(), finishReason: "stop" as const}],
                    usage: {promptTokens: 0, completionTokens: 0},
                    latencyMs: 0,
                    model: rest
                })),
                close: async () => undefined
            };
            return engine;
        });
        registerEngineProvider("echo-test", factory);
        expect(engineProviders()).toContain("echo-test");
        const e = await make("echo-test:loud", {extra: 1});
        expect(factory).toHaveBeenCalledWith("loud", {extra: 1});
        expect((await e.generate(ask("hi")))[0].completions[0].text).toBe("HI");
        expect(() => registerEngineProvider("Bad Prefix", factory)).toThrow(ConfigError);
    });
});

describe("rmr1 cache", () => {
    it("info shows the entries per engine; clear removes them", async () => {
        const path = join(dir, "cli.sqlite");
        const c = new ResponseCache({path});
        const result = {completions: [{text: "t", finishReason: "stop" as const}], usage: {promptTokens: 1, completionTokens: 1}, latencyMs: 1, model: "m"};
        c.set("a", "openai:one", result);
        c.set("b", "openai:one", result);
        c.set("c", "anthropic:two", result);
        c.close();
        const infoRun = await runCli(["cache", "info", "--path", path, "--json"]);
        expect(infoRun.code).toBe(0);
        const info = JSON.parse(infoRun.stdout);
        expect(info.entries).toBe(3);
        expect(info.engines[0]).toEqual({engine: "openai:one", entries: 2});

        const runs = [];
        for (const [argv, code] of [
            [["cache", "clear", "--path", path, "--engine", "openai:one"], 0],
            [["cache", "clear", "--path", path], 0],
            [["cache", "info", "--path", join(dir, "missing.sqlite")], 2],
            [["cache", "clear", "--path", path, "--older-than", "soon"], 2]
        ] as const) {
            const r = await runCli([...argv]);
            expect(r.code, argv.join(" ")).toBe(code);
            runs.push(r);
        }
        const out = runs.map((r) => r.stdout).join("");
        const err = runs.map((r) => r.stderr).join("");
        expect(out).toContain("removed 2 entries");
        expect(out).toContain("removed 1 entry");
        expect(err).toMatch(/no response cache at .*missing\.sqlite/);
        expect(err).toMatch(/--older-than must be a number/);
    });
});
