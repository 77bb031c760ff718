// Micro-batching: concurrent `generate` calls (one per HTTP request, or per judge call within a
// request) are merged into one call of the wrapped engine, so an engine that decodes a batch in one
// pass (native, GGUF) serves 32 requests in little more than the time of one. While the engine is
// busy, new calls gather; when it frees up they go together, up to `maxBatch` requests per call.
//
// A caller that gives up (its signal fires) is dropped from a batch that has not started; from one
// in progress it is answered at once with `Aborted` and its results are discarded. The engine call
// itself is cancelled only when every caller in it has given up.
import {Aborted, EngineBadRequest} from "../errors.js";
import type {CallOptions, Engine, GenerateRequest, GenerateResult} from "../engines/Engine.js";

export interface BatchingEngineOptions {
    /** Most requests in one engine call; a single caller with more is still sent whole. Defaults to `64`. */
    maxBatch?: number;
    /** Engine calls in flight at once. Defaults to `1` (an in-process engine runs one batch at a time). */
    maxInFlight?: number;
    /** Called after each engine call with the number of requests it carried. Defaults to none. */
    onBatch?: (requests: number) => void;
}

interface Entry {
    requests: GenerateRequest[];
    signal?: AbortSignal;
    resolve: (results: GenerateResult[]) => void;
    reject: (error: unknown) => void;
    /** Set once answered (results, failure or abort), so late results are dropped. */
    settled: boolean;
    onAbort?: () => void;
}

export class BatchingEngine implements Engine {
    readonly inner: Engine;
    readonly id: string;
    private readonly maxBatch: number;
    private readonly maxInFlight: number;
    private readonly onBatch?: (requests: number) => void;
    private readonly pending: Entry[] = [];
    private inFlight = 0;
    private scheduled = false;

    constructor(inner: Engine, options: BatchingEngineOptions = {}) {
        this.inner = inner;
        this.id = inner.id;
        this.maxBatch = options.maxBatch ?? 64;
        this.maxInFlight = options.maxInFlight ?? 1;
        this.onBatch = options.onBatch;
        if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) throw new RangeError(`maxBatch must be an integer >= 1, got ${this.maxBatch}`);
        if (!Number.isInteger(this.maxInFlight) || this.maxInFlight < 1) throw new RangeError(`maxInFlight must be an integer >= 1, got ${this.maxInFlight}`);
    }

    get identity(): string {
        return this.inner.identity;
    }

    generate(requests: GenerateRequest[], options: CallOptions = {}): Promise<GenerateResult[]> {
        if (options.signal?.aborted === true) return Promise.reject(new Aborted("generation aborted"));
        if (requests.length === 0) return Promise.resolve([]);
        return new Promise<GenerateResult[]>((resolve, reject) => {
            const entry: Entry = {requests, signal: options.signal, resolve, reject, settled: false};
            if (options.signal != null) {
                entry.onAbort = () => {
                    const i = this.pending.indexOf(entry);
                    if (i >= 0) this.pending.splice(i, 1);
                    this.settle(entry, new Aborted("generation aborted"));
                };
                options.signal.addEventListener("abort", entry.onAbort, {once: true});
            }
            this.pending.push(entry);
            this.schedule();
        });
    }

    close(): Promise<void> {
        return this.inner.close();
    }

    /** Flush on the next turn of the event loop, so every call made in this turn joins the batch. */
    private schedule(): void {
        if (this.scheduled) return;
        this.scheduled = true;
        setImmediate(() => {
            this.scheduled = false;
            this.flush();
        });
    }

    private flush(): void {
        while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
            const batch: Entry[] = [this.pending.shift()!];
            let size = batch[0].requests.length;
            while (this.pending.length > 0 && size + this.pending[0].requests.length <= this.maxBatch) {
                const next = this.pending.shift()!;
                size += next.requests.length;
                batch.push(next);
            }
            this.inFlight++;
            void this.run(batch).finally(() => {
                this.inFlight--;
                // Not at once: the callers just answered release admission slots, and the requests
                // that take them call generate a few promise turns later; waiting one turn of the
                // event loop lets them join the next batch instead of trailing it in a small one.
                this.schedule();
            });
        }
    }

    private async run(batch: Entry[]): Promise<void> {
        // The engine call is cancelled only when every caller in it has given up.
        const controller = new AbortController();
        const live = () => batch.filter((e) => !e.settled);
        const onCallerAbort = () => {
            if (live().length === 0) controller.abort(new Aborted("every caller gave up"));
        };
        for (const e of batch) e.signal?.addEventListener("abort", onCallerAbort, {once: true});
        try {
            const results = await this.call(batch.flatMap((e) => e.requests), controller.signal);
            let offset = 0;
            for (const e of batch) {
                this.settle(e, null, results.slice(offset, offset + e.requests.length));
                offset += e.requests.length;
            }
        } catch (error) {
            // A malformed request (a prompt too long for the model, say) fails the whole engine call;
            // retry each caller alone so only the one at fault gets the error.
            if (error instanceof EngineBadRequest && live().length > 1) {
                for (const e of live()) {
                    try {
                        this.settle(e, null, await this.call(e.requests, e.signal));
                    } catch (single) {
                        this.settle(e, single);
                    }
                }
            } else {
                for (const e of batch) this.settle(e, error);
            }
        } finally {
            for (const e of batch) e.signal?.removeEventListener("abort", onCallerAbort);
        }
    }

    private async call(requests: GenerateRequest[], signal?: AbortSignal): Promise<GenerateResult[]> {
        const results = await this.inner.generate(requests, {signal});
        this.onBatch?.(requests.length);
        return results;
    }

    private settle(entry: Entry, error: unknown, results?: GenerateResult[]): void {
        if (entry.settled) return;
        entry.settled = true;
        if (entry.onAbort != null) entry.signal?.removeEventListener("abort", entry.onAbort);
        if (results != null) entry.resolve(results);
        else entry.reject(error);
    }
}
