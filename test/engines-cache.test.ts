// The response cache: hits, keys, what is never cached, deduplication of concurrent identical
// requests, TTL, persistence, and a process killed mid-write leaving a readable database.
import {spawn} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import Database from "better-sqlite3";
import {afterAll, afterEach, describe, expect, it} from "vitest";
import {Aborted, EngineBadRequest} from "../src/errors.js";
import type {GenerateRequest} from "../src/engines/Engine.js";
import {ResponseCache} from "../src/engines/cache/ResponseCache.js";
import {requestKey} from "../src/engines/cache/requestKey.js";
import {withCache} from "../src/engines/cache/withCache.js";
import {OpenAIEngine} from "../src/engines/openai/OpenAIEngine.js";
import {ScriptedChatServer} from "../src/engines/testing/ScriptedChatServer.js";
import type {ScriptedChatServerOptions} from "../src/engines/testing/ScriptedChatServer.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-cache-test-"));
const servers: ScriptedChatServer[] = [];
const closers: (() => unknown)[] = [];

afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

let files = 0;
function cache(options: {ttlMs?: number, path?: string} = {}): ResponseCache {
    const c = new ResponseCache({path: options.path ?? join(dir, `c${files++}.sqlite`), ttlMs: options.ttlMs});
    closers.push(() => c.close());
    return c;
}

async function setup(serverOptions: ScriptedChatServerOptions = {}, model = "m"): Promise<{s: ScriptedChatServer, inner: OpenAIEngine}> {
    const s = await ScriptedChatServer.start(serverOptions);
    servers.push(s);
    const inner = new OpenAIEngine({model, baseUrls: s.openaiBaseUrl, retryBaseMs: 1, retryMaxMs: 2});
    closers.push(() => inner.close());
    return {s, inner};
}

const ask = (content: string, options?: GenerateRequest["options"]): GenerateRequest => ({messages: [{role: "user", content}], options});

describe("withCache", () => {
    it("answers a repeated request from the cache, marked cached, with the same id and identity", async () => {
        const {s, inner} = await setup();
        const e = withCache(inner, cache());
        expect(e.id).toBe(inner.id);
        expect(e.identity).toBe(inner.identity);
        const [first] = await e.generate([ask("q", {seed: 1})]);
        const [second] = await e.generate([ask("q", {seed: 1})]);
        expect(s.requests).toHaveLength(1);
        expect(first.cached).toBeUndefined();
        expect(second.cached).toBe(true);
        expect(second.latencyMs).toBe(0);
        expect(second.completions).toEqual(first.completions);
        expect(second.usage.promptTokens).toBe(first.usage.promptTokens);
        expect(second.systemFingerprint).toBe(first.systemFingerprint);
    });

    it("reports no cost for an answer it did not pay for again", async () => {
        const s = await ScriptedChatServer.start();
        servers.push(s);
        const inner = new OpenAIEngine({model: "m", baseUrls: s.openaiBaseUrl, prices: {m: {inputPer1M: 1, outputPer1M: 1}}});
        const e = withCache(inner, cache());
        const [paid] = await e.generate([ask("q")]);
        const [free] = await e.generate([ask("q")]);
        expect(paid.usage.costUsd).toBeGreaterThan(0);
        expect(free.usage.costUsd).toBe(0);
    });

    it("keys on the engine identity and every part of the request", async () => {
        const {s, inner} = await setup();
        const shared = cache();
        const e = withCache(inner, shared);
        await e.generate([ask("q")]);
        await e.generate([ask("q", {temperature: 0, topP: 1, n: 1})]); // defaults spelled out: same entry
        expect(s.requests).toHaveLength(1);
        const variants = [
            ask("q2"), ask("q", {seed: 3}), ask("q", {stop: ["x"]}), ask("q", {maxTokens: 9}),
            ask("q", {logprobs: true}), ask("q", {n: 2}), {messages: [{role: "system" as const, content: "s"}, {role: "user" as const, content: "q"}]}
        ];
        for (const v of variants) await e.generate([v]);
        expect(s.requests).toHaveLength(1 + variants.length);
        // Another engine identity (same server, another model) never sees these entries.
        const other = new OpenAIEngine({model: "m2", baseUrls: s.openaiBaseUrl});
        closers.push(() => other.close());
        const [fromOther] = await withCache(other, shared).generate([ask("q")]);
        expect(fromOther.cached).toBeUndefined();
        expect(s.requests).toHaveLength(2 + variants.length);
        expect(requestKey("a", ask("q"))).not.toBe(requestKey("b", ask("q")));
    });

    it("never caches errors", async () => {
        const {s, inner} = await setup();
        const e = withCache(inner, cache());
        s.failNext({kind: "status", status: 400});
        await expect(e.generate([ask("q")])).rejects.toBeInstanceOf(EngineBadRequest);
        const [result] = await e.generate([ask("q")]);
        expect(result.cached).toBeUndefined();
        expect(result.completions[0].text).toBe("echo: q");
        expect(s.requests).toHaveLength(2);
    });

    it("never caches empty answers", async () => {
        const {s, inner} = await setup({reply: (c) => (c.messages.at(-1)!.content === "empty" ? "  " : "full")});
        const e = withCache(inner, cache());
        await e.generate([ask("empty")]);
        const [again] = await e.generate([ask("empty")]);
        expect(again.cached).toBeUndefined();
        expect(again.completions[0].text).toBe("  ");
        expect(s.requests).toHaveLength(2);
    });

    it("makes one engine call for concurrent identical requests, across calls and within a batch", async () => {
        const {s, inner} = await setup({latencyMs: 100});
        const e = withCache(inner, cache());
        const calls = await Promise.all([
            e.generate([ask("same", {seed: 4}), ask("same", {seed: 4}), ask("other")]),
            e.generate([ask("same", {seed: 4})]),
            e.generate([ask("same", {seed: 4})])
        ]);
        const texts = calls.flat().map((r) => r.completions[0].text);
        expect(texts).toEqual(["echo: same [seed 4]", "echo: same [seed 4]", "echo: other", "echo: same [seed 4]", "echo: same [seed 4]"]);
        expect(s.requests).toHaveLength(2);
        expect(calls.flat().filter((r) => r.cached === true)).toHaveLength(3);
    });

    it("lets a follower get its answer when the call it waited on was aborted", async () => {
        const {s, inner} = await setup({latencyMs: 150});
        const e = withCache(inner, cache());
        const controller = new AbortController();
        const leader = e.generate([ask("q")], {signal: controller.signal});
        const follower = e.generate([ask("q")]);
        setTimeout(() => controller.abort(), 30);
        await expect(leader).rejects.toBeInstanceOf(Aborted);
        const [result] = await follower;
        expect(result.completions[0].text).toBe("echo: q");
        expect(s.requests).toHaveLength(2);
    });

    it("shares a failure with the followers of the failed call", async () => {
        const {s, inner} = await setup({latencyMs: 50});
        const e = withCache(inner, cache());
        s.failNext({kind: "status", status: 422});
        const results = await Promise.allSettled([e.generate([ask("q")]), e.generate([ask("q")])]);
        expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
        expect(s.requests).toHaveLength(1);
    });

    it("bypasses unseeded sampling at temperature > 0 unless told to cache it", async () => {
        const {s, inner} = await setup();
        const e = withCache(inner, cache());
        await e.generate([ask("q", {temperature: 0.8})]);
        await e.generate([ask("q", {temperature: 0.8})]);
        expect(s.requests).toHaveLength(2);
        await e.generate([ask("q", {temperature: 0.8, seed: 9})]);
        await e.generate([ask("q", {temperature: 0.8, seed: 9})]);
        expect(s.requests).toHaveLength(3);
        const always = withCache(inner, cache(), {cacheUnseeded: true});
        await always.generate([ask("q", {temperature: 0.8})]);
        await always.generate([ask("q", {temperature: 0.8})]);
        expect(s.requests).toHaveLength(4);
    });

    it("expires entries after the TTL", async () => {
        const {s, inner} = await setup();
        const c = cache({ttlMs: 60});
        const e = withCache(inner, c);
        await e.generate([ask("q")]);
        expect((await e.generate([ask("q")]))[0].cached).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(c.info().expired).toBe(1);
        const [stale] = await e.generate([ask("q")]);
        expect(stale.cached).toBeUndefined();
        expect(s.requests).toHaveLength(2);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(c.prune()).toBe(1);
        expect(c.info().entries).toBe(0);
    });

    it("persists across processes' openings of the file", async () => {
        const {s, inner} = await setup();
        const path = join(dir, "persist.sqlite");
        const first = new ResponseCache({path});
        await withCache(inner, first).generate([ask("q")]);
        first.close();
        const [result] = await withCache(inner, cache({path})).generate([ask("q")]);
        expect(result.cached).toBe(true);
        expect(s.requests).toHaveLength(1);
    });

    it("closes the inner engine, and the cache when it owns it", async () => {
        const {inner} = await setup();
        const c = cache();
        const e = withCache(inner, c, {closeCache: true});
        await e.close();
        await expect(inner.generate([ask("q")])).rejects.toBeInstanceOf(Aborted);
        expect(() => c.info()).toThrow();
    });
});

describe("ResponseCache", () => {
    it("clears by engine, by age, or everything, and reports what it holds", () => {
        const c = cache();
        const result = (text: string) => ({completions: [{text, finishReason: "stop" as const}], usage: {promptTokens: 1, completionTokens: 1}, latencyMs: 1, model: "m"});
        const now = Date.now();
        c.set("k1", "openai:a", result("1"), now - 3 * 86_400_000);
        c.set("k2", "openai:a", result("2"), now);
        c.set("k3", "anthropic:b", result("3"), now);
        expect(c.set("k4", "anthropic:b", result(""), now)).toBe(false);
        const info = c.info();
        expect(info.entries).toBe(3);
        expect(info.engines).toEqual([{engine: "openai:a", entries: 2}, {engine: "anthropic:b", entries: 1}]);
        expect(info.bytes).toBeGreaterThan(0);
        expect(c.clear({olderThanMs: 86_400_000})).toBe(1);
        expect(c.clear({engine: "anthropic:b"})).toBe(1);
        expect(c.get("k2")?.completions[0].text).toBe("2");
        expect(c.clear()).toBe(1);
        expect(c.info().entries).toBe(0);
    });

    it("refuses a file that is not a database with a ConfigError saying what to do", () => {
        const path = join(dir, "not-a-db.sqlite");
        rmSync(path, {force: true});
        writeFileSync(path, "this is not sqlite".repeat(100));
        expect(() => new ResponseCache({path})).toThrow(/--no-cache/);
    });

    it("survives a process killed mid-write: the file opens, passes the integrity check, keeps every committed entry", async () => {
        const path = join(dir, "crash.sqlite");
        const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "engines-cache-writer.ts"), path], {
            stdio: ["ignore", "pipe", "inherit"]
        });
        let committed = 0;
        await new Promise<void>((resolve, reject) => {
            let buffered = "";
            child.stdout.on("data", (chunk: Buffer) => {
                buffered += chunk.toString();
                const lines = buffered.split("\n");
                buffered = lines.pop()!;
                if (lines.length > 0) committed = Number(lines.at(-1));
                if (committed >= 40 && child.exitCode == null && !child.killed) {
                    child.kill("SIGKILL");
                }
            });
            child.on("exit", () => resolve());
            child.on("error", reject);
        });
        expect(committed).toBeGreaterThanOrEqual(40);
        const db = new Database(path);
        expect(db.pragma("integrity_check", {simple: true})).toBe("ok");
        expect(db.pragma("journal_mode", {simple: true})).toBe("wal");
        db.close();
        const c = cache({path});
        const entries = c.info().entries;
        // Every reported write is there (the child may have committed a few more before the kill landed).
        expect(entries).toBeGreaterThanOrEqual(committed);
        for (let i = 0; i < entries; i++) {
            const value = c.get(`key-${i}`);
            expect(value?.completions[0].text.startsWith(`${i}:`)).toBe(true);
        }
        // And it takes new writes.
        expect(c.set("after", "x", {completions: [{text: "ok", finishReason: "stop"}], usage: {promptTokens: 0, completionTokens: 0}, latencyMs: 0, model: "m"})).toBe(true);
    }, 30_000);
});
