// A first-in first-out semaphore: at most `limit` holders at once; waiters can give up (their
// cancel scope is cancelled) without disturbing the order of the others.
import {Aborted} from "../../errors.js";
import type {Cancellable, CancelScope} from "./CancelScope.js";

interface Waiter extends Cancellable {
    resolve(): void;
    cancelled: boolean;
}

export class ConcurrencyLimiter {
    readonly limit: number;
    private active = 0;
    private readonly waiters: Waiter[] = [];
    private head = 0;

    constructor(limit: number) {
        this.limit = limit;
    }

    /** Holders right now. */
    get inFlight(): number {
        return this.active;
    }

    /** Take a free slot if there is one without waiting; true when taken. */
    tryAcquire(): boolean {
        if (this.active < this.limit && this.head === this.waiters.length) {
            this.active++;
            return true;
        }
        return false;
    }

    /** Resolves once a slot is held; rejects with `Aborted` if `scope` is cancelled first. */
    acquire(scope?: CancelScope): Promise<void> {
        if (scope?.aborted === true) return Promise.reject(new Aborted("request aborted while waiting for a free slot"));
        if (this.active < this.limit && this.head === this.waiters.length) {
            this.active++;
            return Promise.resolve();
        }
        return new Promise<void>((resolve, reject) => {
            const waiter: Waiter = {
                resolve: () => {
                    scope?.delete(waiter);
                    resolve();
                },
                // Only a waiter that has to queue joins the scope.
                cancel: () => {
                    waiter.cancelled = true;
                    reject(new Aborted("request aborted while waiting for a free slot"));
                },
                cancelled: false
            };
            scope?.add(waiter);
            this.waiters.push(waiter);
        });
    }

    /** Give back a slot held by `acquire`. */
    release(): void {
        while (this.head < this.waiters.length) {
            const waiter = this.waiters[this.head++];
            if (waiter.cancelled) continue;
            this.compact();
            waiter.resolve(); // the slot passes straight to the waiter: `active` is unchanged
            return;
        }
        this.compact();
        this.active--;
    }

    // Drop the consumed prefix now and then so a long run does not keep every waiter alive.
    private compact(): void {
        if (this.head > 1024 && this.head * 2 > this.waiters.length) {
            this.waiters.splice(0, this.head);
            this.head = 0;
        }
    }
}
