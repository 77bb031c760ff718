// An engine that answers from a `ResponseCache` when it can: same id and identity as the engine it
// wraps, results from the cache marked `cached: true`. Only deterministic requests (greedy or seeded)
// are cached unless asked otherwise; see docs/engines/cache.md for why.
import {Aborted} from "../../errors.js";
import type {CallOptions, Engine, GenerateRequest, GenerateResult} from "../Engine.js";
import {validateRequests} from "../validateRequests.js";
import type {ResponseCache} from "./ResponseCache.js";
import {isDeterministicRequest, requestKey} from "./requestKey.js";

export interface WithCacheOptions {
    /**
     * Also cache unseeded samples at temperature > 0. Repeating such a request then returns the first
     * sample again instead of a new one, so voting over k identical requests would see one sample k
     * times. Defaults to `false` (they bypass the cache: neither read nor stored nor deduplicated).
     */
    cacheUnseeded?: boolean;
    /** Close the cache when the engine is closed. Defaults to `false`. */
    closeCache?: boolean;
}

/** `engine` answering from `cache` first (see `WithCacheOptions`). */
export function withCache(engine: Engine, cache: ResponseCache, options: WithCacheOptions = {}): Engine {
    return new CachedEngine(engine, cache, options);
}

interface Leader {
    index: number;
    key: string;
    resolve(result: GenerateResult): void;
    reject(error: unknown): void;
}

class CachedEngine implements Engine {
    readonly id: string;
    readonly identity: string;
    private readonly inner: Engine;
    private readonly cache: ResponseCache;
    private readonly options: WithCacheOptions;

    constructor(inner: Engine, cache: ResponseCache, options: WithCacheOptions) {
        this.inner = inner;
        this.cache = cache;
        this.options = options;
        this.id = inner.id;
        this.identity = inner.identity;
    }

    async generate(requests: GenerateRequest[], options: CallOptions = {}): Promise<GenerateResult[]> {
        validateRequests(requests);
        const results: GenerateResult[] = new Array(requests.length);
        const toCall: number[] = [];
        const leaders: Leader[] = [];
        const followers: Promise<void>[] = [];
        for (let i = 0; i < requests.length; i++) {
            const request = requests[i];
            if (this.options.cacheUnseeded !== true && !isDeterministicRequest(request)) {
                toCall.push(i);
                continue;
            }
            const key = requestKey(this.identity, request);
            const hit = this.cache.get(key);
            if (hit != null) {
                results[i] = asCached(hit);
                continue;
            }
            // The same request is already being answered (by another caller, or earlier in this
            // batch): wait for that answer instead of paying for it twice.
            const pending = this.cache.inFlight.get(key);
            if (pending != null) {
                followers.push(this.follow(pending, request, options).then((result) => {
                    results[i] = result;
                }));
                continue;
            }
            let resolve!: (result: GenerateResult) => void;
            let reject!: (error: unknown) => void;
            const promise = new Promise<GenerateResult>((res, rej) => {
                resolve = res;
                reject = rej;
            });
            promise.catch(() => undefined); // a failure nobody followed is reported by the leader alone
            this.cache.inFlight.set(key, promise);
            leaders.push({index: i, key, resolve, reject});
            toCall.push(i);
        }
        const called = toCall.length === 0 ? Promise.resolve() : this.callInner(requests, toCall, leaders, results, options);
        await Promise.all([called, ...followers]);
        return results;
    }

    private async callInner(requests: GenerateRequest[], toCall: number[], leaders: Leader[], results: GenerateResult[],
        options: CallOptions): Promise<void> {
        let fresh: GenerateResult[];
        try {
            fresh = await this.inner.generate(toCall.map((i) => requests[i]), options);
        } catch (e) {
            for (const leader of leaders) {
                this.cache.inFlight.delete(leader.key);
                leader.reject(e);
            }
            throw e;
        }
        for (let k = 0; k < toCall.length; k++) results[toCall[k]] = fresh[k];
        for (const leader of leaders) {
            const result = results[leader.index];
            this.cache.set(leader.key, this.id, result);
            this.cache.inFlight.delete(leader.key);
            leader.resolve(result);
        }
    }

    /** Wait for another caller's answer to the same request; if that caller gave up (aborted), ask ourselves. */
    private async follow(pending: Promise<GenerateResult>, request: GenerateRequest, options: CallOptions): Promise<GenerateResult> {
        try {
            return asCached(structuredClone(await raceAbort(pending, options.signal, this.id)));
        } catch (e) {
            if (e instanceof Aborted && options.signal?.aborted !== true) return (await this.generate([request], options))[0];
            throw e;
        }
    }

    async close(): Promise<void> {
        await this.inner.close();
        if (this.options.closeCache === true) this.cache.close();
    }
}

/**
 * A result served without a call of its own: no latency, and no cost (it was paid for once, by the
 * call that stored it), so summing `costUsd` over a run gives what the run spent.
 */
function asCached(result: GenerateResult): GenerateResult {
    const usage = {...result.usage};
    if (usage.costUsd != null) usage.costUsd = 0;
    return {...result, usage, latencyMs: 0, cached: true};
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, engine: string): Promise<T> {
    if (signal == null) return promise;
    if (signal.aborted) return Promise.reject(new Aborted(`${engine}: request aborted`));
    return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(new Aborted(`${engine}: request aborted`));
        signal.addEventListener("abort", onAbort, {once: true});
        promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
}
