// Admission control: at most `maxConcurrent` requests are worked on at once, at most `maxQueue` wait
// (first in, first out) for a slot, and past that a request is refused at once with 429 and a
// `Retry-After` estimated from how long slots have recently been held. A refused request costs the
// server nothing, which is what keeps it responsive under a burst (RLHF trainers send thousands).
import {Aborted} from "../errors.js";
import {HttpError} from "./HttpError.js";

export interface AdmissionQueueOptions {
    /** Requests worked on at once. Defaults to `64`. */
    maxConcurrent?: number;
    /** Requests waiting for a slot; more are refused with 429. Defaults to `256`. */
    maxQueue?: number;
}

interface Waiter {
    grant: () => void;
}

export class AdmissionQueue {
    readonly maxConcurrent: number;
    readonly maxQueue: number;
    private active = 0;
    private readonly waiters: Waiter[] = [];
    /** Exponentially weighted mean time a slot is held, in ms (0 until a slot is released). */
    private meanHoldMs = 0;
    private idleWaiters: (() => void)[] = [];

    constructor(options: AdmissionQueueOptions = {}) {
        this.maxConcurrent = options.maxConcurrent ?? 64;
        this.maxQueue = options.maxQueue ?? 256;
        if (!Number.isInteger(this.maxConcurrent) || this.maxConcurrent < 1) throw new RangeError(`maxConcurrent must be an integer >= 1, got ${this.maxConcurrent}`);
        if (!Number.isInteger(this.maxQueue) || this.maxQueue < 0) throw new RangeError(`maxQueue must be an integer >= 0, got ${this.maxQueue}`);
    }

    get inFlight(): number {
        return this.active;
    }

    get queued(): number {
        return this.waiters.length;
    }

    /**
     * Seconds a refused client should wait: the time for the queue ahead of it to drain at the recent
     * mean hold time, rounded up, between 1 and 60.
     */
    retryAfterSeconds(): number {
        const ms = this.meanHoldMs * (this.waiters.length + 1) / this.maxConcurrent;
        return Math.min(60, Math.max(1, Math.ceil(ms / 1000)));
    }

    /**
     * A slot: resolves with its release function (call it exactly once). Throws a 429 `HttpError` at
     * once when the queue is full; rejects with `Aborted` if `signal` fires while waiting.
     */
    acquire(signal?: AbortSignal): Promise<() => void> {
        if (signal?.aborted === true) return Promise.reject(new Aborted("request cancelled before it was admitted"));
        if (this.active < this.maxConcurrent && this.waiters.length === 0) {
            this.active++;
            return Promise.resolve(this.releaser());
        }
        if (this.waiters.length >= this.maxQueue) {
            const seconds = this.retryAfterSeconds();
            return Promise.reject(new HttpError(429, "rate_limit",
                `the server is busy: ${this.active} requests in flight and ${this.waiters.length} queued (limits --max-concurrent ${this.maxConcurrent}, --max-queue ${this.maxQueue}); retry after ${seconds} s`,
                {headers: {"retry-after": String(seconds)}}));
        }
        return new Promise((resolve, reject) => {
            const onAbort = () => {
                const i = this.waiters.indexOf(waiter);
                if (i >= 0) this.waiters.splice(i, 1);
                reject(new Aborted("request cancelled while queued"));
                this.checkIdle();
            };
            const waiter: Waiter = {
                grant: () => {
                    signal?.removeEventListener("abort", onAbort);
                    resolve(this.releaser());
                }
            };
            signal?.addEventListener("abort", onAbort, {once: true});
            this.waiters.push(waiter);
        });
    }

    /** Resolves when nothing is in flight or queued (at once when idle). */
    idle(): Promise<void> {
        if (this.active === 0 && this.waiters.length === 0) return Promise.resolve();
        return new Promise((resolve) => this.idleWaiters.push(resolve));
    }

    private releaser(): () => void {
        const started = performance.now();
        let released = false;
        return () => {
            if (released) return;
            released = true;
            const held = performance.now() - started;
            this.meanHoldMs = this.meanHoldMs === 0 ? held : 0.8 * this.meanHoldMs + 0.2 * held;
            const next = this.waiters.shift();
            // The slot passes straight to the next waiter, so `active` does not change.
            if (next != null) next.grant();
            else this.active--;
            this.checkIdle();
        };
    }

    private checkIdle(): void {
        if (this.active !== 0 || this.waiters.length !== 0 || this.idleWaiters.length === 0) return;
        const waiting = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiting) resolve();
    }
}
