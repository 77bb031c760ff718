// The batcher's bookkeeping (merging, splitting results back, aborts, isolating a bad request),
// over a recording inner engine whose answers are known. test/serve-openai.test.ts checks the same
// wrapper with a real model: batched answers equal unbatched ones.
import {describe, expect, it} from "vitest";
import type {CallOptions, Engine, GenerateRequest, GenerateResult} from "../engines/Engine.js";
import {Aborted, EngineBadRequest, EngineServerError} from "../errors.js";
import {BatchingEngine} from "./BatchingEngine.js";

class EchoEngine implements Engine {
    readonly id = "echo:test";
    readonly identity = "echo:test";
    readonly calls: string[][] = [];
    delayMs = 5;
    failAll: Error | null = null;
    lastSignal: AbortSignal | undefined;

    async generate(requests: GenerateRequest[], options: CallOptions = {}): Promise<GenerateResult[]> {
        this.calls.push(requests.map((r) => r.messages[0].content));
        this.lastSignal = options.signal;
        await new Promise((resolve) => setTimeout(resolve, this.delayMs));
        if (this.failAll != null) throw this.failAll;
        if (requests.some((r) => r.messages[0].content === "bad")) throw new EngineBadRequest("requests[?]: prompt too long");
        return requests.map((r) => ({completions: [{text: `echo ${r.messages[0].content}`, finishReason: "stop"}], usage: {promptTokens: 1, completionTokens: 1}, latencyMs: 0, model: "echo"}));
    }

    async close(): Promise<void> {}
}

const req = (content: string): GenerateRequest => ({messages: [{role: "user", content}]});
const texts = (results: GenerateResult[]) => results.map((r) => r.completions[0].text);

describe("BatchingEngine", () => {
    it("merges calls made together, then those that arrive while the engine is busy", async () => {
        const inner = new EchoEngine();
        const sizes: number[] = [];
        const engine = new BatchingEngine(inner, {onBatch: (n) => sizes.push(n)});
        const first = [engine.generate([req("a")]), engine.generate([req("b"), req("c")]), engine.generate([req("d")])];
        await new Promise((resolve) => setTimeout(resolve, 1));
        const later = [engine.generate([req("e")]), engine.generate([req("f")])];
        const results = await Promise.all([...first, ...later]);
        expect(results.map(texts)).toEqual([["echo a"], ["echo b", "echo c"], ["echo d"], ["echo e"], ["echo f"]]);
        expect(inner.calls).toEqual([["a", "b", "c", "d"], ["e", "f"]]);
        expect(sizes).toEqual([4, 2]);
    });

    it("caps a batch at maxBatch requests", async () => {
        const inner = new EchoEngine();
        const engine = new BatchingEngine(inner, {maxBatch: 3});
        await Promise.all(["a", "b", "c", "d", "e"].map((x) => engine.generate([req(x)])));
        expect(inner.calls).toEqual([["a", "b", "c"], ["d", "e"]]);
    });

    it("retries callers alone when one request is malformed, so only it fails", async () => {
        const inner = new EchoEngine();
        const engine = new BatchingEngine(inner);
        const results = await Promise.allSettled([engine.generate([req("a")]), engine.generate([req("bad")]), engine.generate([req("c")])]);
        expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
        expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(EngineBadRequest);
        expect(inner.calls).toEqual([["a", "bad", "c"], ["a"], ["bad"], ["c"]]);
    });

    it("fails every caller of a batch when the engine itself fails", async () => {
        const inner = new EchoEngine();
        inner.failAll = new EngineServerError("down");
        const engine = new BatchingEngine(inner);
        const results = await Promise.allSettled([engine.generate([req("a")]), engine.generate([req("b")])]);
        expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
        expect(inner.calls).toHaveLength(1);
    });

    it("answers a caller that gives up at once, and cancels the engine call only when all have", async () => {
        const inner = new EchoEngine();
        inner.delayMs = 50;
        const engine = new BatchingEngine(inner);
        const a = new AbortController();
        const b = new AbortController();
        const pa = engine.generate([req("a")], {signal: a.signal});
        const pb = engine.generate([req("b")], {signal: b.signal});
        const pc = engine.generate([req("c")]);
        await new Promise((resolve) => setTimeout(resolve, 10));
        a.abort();
        await expect(pa).rejects.toBeInstanceOf(Aborted);
        expect(inner.lastSignal?.aborted).toBe(false);
        expect(texts(await pc)).toEqual(["echo c"]);
        expect(texts(await pb)).toEqual(["echo b"]);
        // Alone in a batch: giving up cancels the engine call.
        const d = new AbortController();
        const pd = engine.generate([req("d")], {signal: d.signal});
        await new Promise((resolve) => setTimeout(resolve, 10));
        d.abort();
        await expect(pd).rejects.toBeInstanceOf(Aborted);
        expect(inner.lastSignal?.aborted).toBe(true);
        // Given up before the batch started: never sent.
        const e = new AbortController();
        const pe = engine.generate([req("e")], {signal: e.signal});
        e.abort();
        await expect(pe).rejects.toBeInstanceOf(Aborted);
        await new Promise((resolve) => setTimeout(resolve, 80));
        expect(inner.calls.flat()).not.toContain("e");
    });
});
