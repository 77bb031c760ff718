// Cancellation of a group of requests (a batch, or everything an engine has in flight) without an
// AbortSignal or an abort listener per request: each costs microseconds in Node, a measurable share
// of a request to a fast local server. A scope holds what can be cancelled (an HTTP exchange, a slot
// being waited for, a retry being waited for) in a set and cancels them all at once; it listens to an
// outside signal at most once.

/** Something a scope can cancel: an exchange in flight, a wait. */
export interface Cancellable {
    /** Stop at once and settle as aborted. Called at most once, and only while still registered. */
    cancel(): void;
}

export class CancelScope {
    // Created on first use: most scopes hold one request, and many never need the set at all.
    private members?: Set<Cancellable>;
    private readonly outside?: AbortSignal;
    private readonly onOutsideAbort?: () => void;
    private cancelled = false;

    /** A scope that is cancelled when `signal` fires (if given) or `cancel()` is called. */
    constructor(signal?: AbortSignal) {
        if (signal == null) return;
        if (signal.aborted) {
            this.cancelled = true;
            return;
        }
        this.outside = signal;
        this.onOutsideAbort = () => this.cancel();
        signal.addEventListener("abort", this.onOutsideAbort, {once: true});
    }

    get aborted(): boolean {
        return this.cancelled;
    }

    /** Cancel `member` when the scope is cancelled (at once if it already is). */
    add(member: Cancellable): void {
        if (this.cancelled) member.cancel();
        else (this.members ??= new Set()).add(member);
    }

    delete(member: Cancellable): void {
        this.members?.delete(member);
    }

    /** Cancel every member of the scope, now and later. */
    cancel(): void {
        if (this.cancelled) return;
        this.cancelled = true;
        const members = this.members;
        this.members = undefined;
        if (members != null) for (const member of members) member.cancel();
    }

    /** Stop listening to the outside signal (call when the scope's work is done). */
    dispose(): void {
        if (this.outside != null && this.onOutsideAbort != null) this.outside.removeEventListener("abort", this.onOutsideAbort);
    }
}
