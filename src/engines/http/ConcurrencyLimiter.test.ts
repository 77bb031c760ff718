import {describe, expect, it} from "vitest";
import {Aborted} from "../../errors.js";
import {CancelScope} from "./CancelScope.js";
import {ConcurrencyLimiter} from "./ConcurrencyLimiter.js";

describe("ConcurrencyLimiter", () => {
    it("admits at most `limit` holders, first in first out", async () => {
        const limiter = new ConcurrencyLimiter(2);
        const order: number[] = [];
        await limiter.acquire();
        await limiter.acquire();
        const waiting = [3, 4, 5].map((i) => limiter.acquire().then(() => order.push(i)));
        expect(limiter.inFlight).toBe(2);
        limiter.release();
        await waiting[0];
        expect(order).toEqual([3]);
        limiter.release();
        limiter.release();
        await Promise.all(waiting);
        expect(order).toEqual([3, 4, 5]);
        expect(limiter.inFlight).toBe(2);
    });

    it("lets a waiter give up without losing the slot it would have taken", async () => {
        const limiter = new ConcurrencyLimiter(1);
        await limiter.acquire();
        const controller = new AbortController();
        const quitter = limiter.acquire(new CancelScope(controller.signal));
        const stayer = limiter.acquire();
        controller.abort();
        await expect(quitter).rejects.toBeInstanceOf(Aborted);
        limiter.release();
        await stayer;
        expect(limiter.inFlight).toBe(1);
        limiter.release();
        expect(limiter.inFlight).toBe(0);
    });
});
