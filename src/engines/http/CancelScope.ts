// Cancellation of a group of requests (a batch, or everything an engine has in flight) without an
// abort listener per request: listeners on an AbortSignal cost microseconds each in Node, which is
// a measurable share of a request to a fast local server. A scope holds the controllers of its
// requests in a set and aborts them all at once; it listens to an outside signal at most once.

export class CancelScope {
    // Created on first use: most scopes hold one request, and many never need the set at all.
    private controllers?: Set<AbortController>;
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

    /** Abort `controller` when the scope is cancelled (at once if it already is). */
    add(controller: AbortController): void {
        if (this.cancelled) controller.abort();
        else (this.controllers ??= new Set()).add(controller);
    }

    delete(controller: AbortController): void {
        this.controllers?.delete(controller);
    }

    /** Abort every controller in the scope, now and later. */
    cancel(): void {
        if (this.cancelled) return;
        this.cancelled = true;
        const controllers = this.controllers;
        this.controllers = undefined;
        if (controllers != null) for (const controller of controllers) controller.abort();
    }

    /** Stop listening to the outside signal (call when the scope's work is done). */
    dispose(): void {
        if (this.outside != null && this.onOutsideAbort != null) this.outside.removeEventListener("abort", this.onOutsideAbort);
    }
}
