import {mkdtempSync, rmSync} from "node:fs";
import {hostname, tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {NotFound} from "../errors.js";
import {DistillStore} from "./DistillStore.js";
import type {CallAnswer, NewCall} from "./DistillStore.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-distill-store-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const item = (idx: number) => ({
    idx, id: `p${idx}`, messages: [{role: "user" as const, content: `q${idx}`}], label: "model_a" as const, chosenPosition: "A" as const,
    orderPolicy: "alternate", multiTurn: false, source: null, domain: null
});
const call = (itemIdx: number, pass: 1 | 2): NewCall => ({itemIdx, pass, mode: "online", engine: "e", identity: "i", promptHash: "h", requestKey: "k", options: "{}"});
const answer = (correct: boolean): CallAnswer => ({output: "t", finishReason: "stop", model: "m", promptTokens: 10, completionTokens: 5, costUsd: 0.5, cached: false, latencyMs: 1, correct});

describe("DistillStore", () => {
    it("moves items through the passes, settles each call once, and counts", () => {
        const store = DistillStore.open(join(dir, "a"));
        store.startJob(JSON.stringify({teacher: "e", pass2Teacher: "e", maxAttempts: 2}), [item(0), item(1), item(2)]);
        expect(store.pendingItems(1, 2).map((i) => i.idx)).toEqual([0, 1, 2]);
        const c0 = store.startCall(call(0, 1));
        expect(store.pendingItems(1, 2).map((i) => i.idx)).toEqual([1, 2]);   // in flight: held
        expect(store.finishCall(c0, answer(false))).toBe(true);
        expect(store.finishCall(c0, answer(true))).toBe(false);               // settled once
        expect(store.item(0).state).toBe("pass2");
        expect(store.pendingItems(2, 2).map((i) => i.idx)).toEqual([0]);
        const c1 = store.startCall(call(0, 2));
        store.finishCall(c1, answer(true));
        expect(store.item(0)).toMatchObject({state: "kept", keptCall: c1});
        // Item 1 fails twice: given up at maxAttempts 2, pending again with 3.
        store.failCall(store.startCall(call(1, 1)), "EngineServerError: boom");
        store.failCall(store.startCall(call(1, 1)), "EngineServerError: boom");
        expect(store.pendingItems(1, 2).map((i) => i.idx)).toEqual([2]);
        expect(store.pendingItems(1, 3).map((i) => i.idx)).toEqual([1, 2]);
        const counts = store.counts(2);
        expect(counts.states).toEqual({pass1: 2, pass2: 0, kept: 1, dropped: 0});
        expect(counts.keptByPass).toEqual({1: 0, 2: 1});
        expect(counts.answered).toEqual({1: {calls: 1, correct: 0}, 2: {calls: 1, correct: 1}});
        expect(counts.gaveUp).toEqual({1: 1, 2: 0});
        expect(counts.cost[1]).toEqual({usd: 0.5, unknown: 0});
        expect(counts.tokens).toEqual({prompt: 20, completion: 10});
        store.close();
    });

    it("marks a dead run's requests lost when the next run takes the job", () => {
        const path = join(dir, "b");
        const first = DistillStore.open(path);
        first.startJob("{}", [item(0)]);
        first.startCall(call(0, 1));
        // A run on this host whose process is gone (no such pid) left a request in flight.
        first.setMeta("owner", JSON.stringify({pid: 2 ** 22 + 12345, host: hostname(), since: ""}));
        first.close();
        const second = DistillStore.open(path);
        expect(second.lock()).toBe(1);
        expect([...second.calls()].map((c) => c.status)).toEqual(["lost"]);
        expect(second.pendingItems(1, 3).map((i) => i.idx)).toEqual([0]);
        second.close();
        expect(() => DistillStore.open(join(dir, "none"), {readonly: true})).toThrow(NotFound);
    });
});
