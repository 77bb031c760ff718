import {describe, expect, it} from "vitest";
import {Aborted} from "../errors.js";
import {AdmissionQueue} from "./AdmissionQueue.js";
import {HttpError} from "./HttpError.js";

describe("AdmissionQueue", () => {
    it("admits up to maxConcurrent, queues maxQueue in order, refuses the rest with 429", async () => {
        const q = new AdmissionQueue({maxConcurrent: 2, maxQueue: 2});
        const a = await q.acquire();
        const b = await q.acquire();
        const order: string[] = [];
        const c = q.acquire().then((release) => (order.push("c"), release));
        const d = q.acquire().then((release) => (order.push("d"), release));
        expect([q.inFlight, q.queued]).toEqual([2, 2]);
        const refused = await q.acquire().catch((e) => e);
        expect(refused).toBeInstanceOf(HttpError);
        expect(refused.status).toBe(429);
        expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
        a();
        a();   // a second call is a no-op
        (await c)();
        b();
        (await d)();
        expect(order).toEqual(["c", "d"]);
        expect([q.inFlight, q.queued]).toEqual([0, 0]);
        await q.idle();
    });

    it("a waiter whose signal fires leaves the queue without taking a slot", async () => {
        const q = new AdmissionQueue({maxConcurrent: 1, maxQueue: 4});
        const release = await q.acquire();
        const controller = new AbortController();
        const waiting = q.acquire(controller.signal);
        const next = q.acquire();
        controller.abort();
        await expect(waiting).rejects.toBeInstanceOf(Aborted);
        expect(q.queued).toBe(1);
        release();
        (await next)();
        expect(q.inFlight).toBe(0);
    });

    it("estimates Retry-After from how long slots are held", async () => {
        const q = new AdmissionQueue({maxConcurrent: 1, maxQueue: 3});
        const release = await q.acquire();
        await new Promise((resolve) => setTimeout(resolve, 1200));
        release();
        const held = await q.acquire();
        for (let i = 0; i < 3; i++) void q.acquire().then((r) => r());
        // ~1.2 s per slot, 3 ahead + this one, one slot: about 5 s.
        expect(q.retryAfterSeconds()).toBeGreaterThanOrEqual(4);
        expect(q.retryAfterSeconds()).toBeLessThanOrEqual(6);
        held();
    });
});
