// POST a JSON body to one of several base URLs and parse the JSON answer, with everything a long
// job against a real server needs: a concurrency limit, a timeout per attempt, retries with backoff
// on 408/409/429/5xx, timeouts, dropped connections and malformed answers (honouring Retry-After),
// least-in-flight balancing with failover, abort signals, and typed errors that say what to do.
// The bytes go over `HttpTransport` (node:http keep-alive agents), not `fetch`: see that file.
import type {Agent, OutgoingHttpHeaders} from "node:http";
import {
    Aborted, EngineAuthError, EngineBadRequest, EngineConnectionError, EngineError, EngineProtocolError,
    EngineRateLimited, EngineServerError, EngineTimeout
} from "../../errors.js";
import {BaseUrlPool} from "./BaseUrlPool.js";
import type {Cancellable, CancelScope} from "./CancelScope.js";
import type {Endpoint} from "./BaseUrlPool.js";
import {ConcurrencyLimiter} from "./ConcurrencyLimiter.js";
import {HttpTransport} from "./HttpTransport.js";
import {backoffMs, retryAfterMs} from "./retryDelay.js";

/** Retry, timeout and balancing options shared by the HTTP engines. */
export interface HttpOptions {
    /** Requests in flight at once, over all base URLs. Defaults to `16`. */
    concurrency?: number;
    /** Time limit of one attempt (headers and body) in milliseconds. Defaults to `600000` (10 minutes). */
    timeoutMs?: number;
    /** Retries after the first attempt on 408/409/429/5xx, timeouts and connection errors. Defaults to `4`. */
    retries?: number;
    /** Of those, how many may be for malformed answers (not JSON, missing fields). Defaults to `2`. */
    protocolRetries?: number;
    /** Backoff of the first retry when the server gives no `Retry-After`; doubles each retry (full jitter). Defaults to `1000`. */
    retryBaseMs?: number;
    /** Cap of the backoff. Defaults to `30000`. */
    retryMaxMs?: number;
    /** Longest `Retry-After` honoured; longer asks wait this long and try again. Defaults to `60000`. */
    maxRetryAfterMs?: number;
    /** How long a base URL that is down (refused, reset, 502/503/504) is avoided. Defaults to `15000`. */
    cooldownMs?: number;
    /**
     * The node:http(s) agent of every request: a proxy agent (`HTTP_PROXY` is not read, as by Node's
     * own `fetch`), or an `https.Agent` with a custom CA. Defaults to keep-alive agents with
     * `concurrency` sockets per server.
     */
    agent?: Agent;
}

export interface JsonHttpClientOptions extends HttpOptions {
    /** Engine id used in error messages, e.g. `openai:gpt-4o-mini`. */
    engine: string;
    /** Base URLs without trailing slashes; at least one. */
    baseUrls: readonly string[];
    /** Headers of every request (auth, versions); `content-type` is added. */
    headers: Record<string, string>;
    /** What to tell the user on 401/403, e.g. "Set OPENAI_API_KEY to a valid key". */
    authHint: string;
    /** What to tell the user when no base URL answers, e.g. "check --base-url / OPENAI_BASE_URL". */
    baseUrlHint: string;
    /** Uniform [0, 1) source for jitter. Defaults to `Math.random`. */
    random?: () => number;
    /** How requests are sent. Defaults to an `HttpTransport` over `agent` (the benchmark swaps in a stand-in). */
    transport?: Pick<HttpTransport, "post" | "close">;
}

/** Why an attempt failed, before it is turned into a typed error (only if it is not retried). */
type Failure =
    | {kind: "status", status: number, detail: string, retryAfterMs?: number}
    | {kind: "timeout"}
    | {kind: "connection", detail: string, stale: boolean}
    | {kind: "protocol", detail: string}
    | {kind: "aborted"};

type Outcome<T> = {ok: true, value: T} | {ok: false, failure: Failure};

/** Statuses worth repeating (as openai-node does): request timeout, lock conflict, rate limit, server errors. */
function isRetryableStatus(status: number): boolean {
    return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Statuses that mean the server (or the proxy in front of it) is not serving at all right now. */
function isDownStatus(status: number): boolean {
    return status === 502 || status === 503 || status === 504;
}

export class JsonHttpClient {
    readonly engine: string;
    readonly pool: BaseUrlPool;
    readonly limiter: ConcurrencyLimiter;
    private readonly headers: Record<string, string>;
    private readonly transport: Pick<HttpTransport, "post" | "close">;
    private readonly timeoutMs: number;
    private readonly retries: number;
    private readonly protocolRetries: number;
    private readonly retryBaseMs: number;
    private readonly retryMaxMs: number;
    private readonly maxRetryAfterMs: number;
    private readonly random: () => number;
    private readonly authHint: string;
    private readonly baseUrlHint: string;

    constructor(options: JsonHttpClientOptions) {
        this.engine = options.engine;
        this.pool = new BaseUrlPool(options.baseUrls, options.cooldownMs ?? 15_000);
        this.limiter = new ConcurrencyLimiter(options.concurrency ?? 16);
        this.headers = {"content-type": "application/json", ...options.headers};
        this.timeoutMs = options.timeoutMs ?? 600_000;
        this.retries = options.retries ?? 4;
        this.protocolRetries = options.protocolRetries ?? 2;
        this.retryBaseMs = options.retryBaseMs ?? 1000;
        this.retryMaxMs = options.retryMaxMs ?? 30_000;
        this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
        this.transport = options.transport ?? new HttpTransport({timeoutMs: this.timeoutMs, maxSockets: this.limiter.limit, agent: options.agent});
        this.random = options.random ?? Math.random;
        this.authHint = options.authHint;
        this.baseUrlHint = options.baseUrlHint;
    }

    /**
     * POST `body` to `path` (appended to a base URL) and return `parse` of the JSON answer. `parse`
     * throws `EngineProtocolError` for an answer that is JSON but not the protocol; that counts as a
     * malformed answer and is retried like a non-JSON body. Cancelling `scope` rejects with `Aborted`.
     */
    async post<T>(path: string, body: unknown, parse: (json: unknown) => T, scope?: CancelScope): Promise<T> {
        const payload = Buffer.from(JSON.stringify(body));
        const headers: OutgoingHttpHeaders = {...this.headers, "content-length": payload.length};
        let attempts = 0;
        let retriesUsed = 0;
        let protocolFailures = 0;
        let failovers = 0;
        let staleSockets = 0;
        for (;;) {
            if (!this.limiter.tryAcquire()) await this.limiter.acquire(scope);
            const endpoint = this.pool.pick();
            endpoint.inFlight++;
            attempts++;
            let outcome: Outcome<T>;
            try {
                outcome = await this.attempt(endpoint, path, headers, payload, parse, scope);
            } finally {
                endpoint.inFlight--;
                this.limiter.release();
            }
            if (outcome.ok) {
                if (endpoint.downUntil !== 0) this.pool.markUp(endpoint);
                return outcome.value;
            }
            const failure = outcome.failure;
            if (failure.kind === "aborted") throw new Aborted(`${this.engine}: request aborted`);
            // An idle keep-alive socket the server closed as the request went out: the server is up
            // and most likely never read the request, so send it again at once on another socket.
            // Each such failure discards one idle socket, and there are at most `concurrency` per server.
            if (failure.kind === "connection" && failure.stale && staleSockets++ < this.limiter.limit) continue;
            const down = failure.kind === "connection" || (failure.kind === "status" && isDownStatus(failure.status));
            if (down) this.pool.markDown(endpoint);
            const retryable = failure.kind !== "status" || isRetryableStatus(failure.status);
            if (!retryable) throw this.toError(failure, endpoint, attempts);
            if (failure.kind === "protocol" && ++protocolFailures > this.protocolRetries)
                throw this.toError(failure, endpoint, attempts);
            // Failing over to another base URL that is up is not a retry of the same server: go at
            // once, and do not spend the retry budget (at most once per other URL per request).
            if (down && failovers < this.pool.endpoints.length - 1 && this.pool.hasOtherUp(endpoint)) {
                failovers++;
                continue;
            }
            if (retriesUsed >= this.retries) throw this.toError(failure, endpoint, attempts);
            const wait = failure.kind === "status" && failure.retryAfterMs != null
                ? Math.min(failure.retryAfterMs, this.maxRetryAfterMs)
                : backoffMs(retriesUsed, this.retryBaseMs, this.retryMaxMs, this.random);
            retriesUsed++;
            await sleep(wait, scope, this.engine);
        }
    }

    /** Close idle connections (after `close()` of the engine, nothing is in flight). */
    close(): void {
        this.transport.close();
    }

    private async attempt<T>(endpoint: Endpoint, path: string, headers: OutgoingHttpHeaders, payload: Buffer,
        parse: (json: unknown) => T, scope: CancelScope | undefined): Promise<Outcome<T>> {
        if (scope?.aborted === true) return {ok: false, failure: {kind: "aborted"}};
        const exchange = await this.transport.post(endpoint.url, path, headers, payload, scope);
        if (exchange.kind !== "reply") return {ok: false, failure: exchange};
        const text = exchange.text;
        if (exchange.status < 200 || exchange.status > 299) {
            return {ok: false, failure: {
                kind: "status",
                status: exchange.status,
                detail: serverMessage(text),
                retryAfterMs: retryAfterMs(exchange.headers)
            }};
        }
        let json: unknown;
        try {
            json = JSON.parse(text);
        } catch {
            return {ok: false, failure: {kind: "protocol", detail: `the body is not JSON: ${snippet(text)}`}};
        }
        try {
            return {ok: true, value: parse(json)};
        } catch (e) {
            // Anything else `parse` throws is a bug, not a bad answer: let it out.
            if (e instanceof EngineProtocolError) return {ok: false, failure: {kind: "protocol", detail: e.message}};
            throw e;
        }
    }

    private toError(failure: Exclude<Failure, {kind: "aborted"}>, endpoint: Endpoint, attempts: number): EngineError {
        const engine = this.engine;
        const where = endpoint.url;
        const tries = attempts === 1 ? "" : ` (${attempts} attempts)`;
        switch (failure.kind) {
            case "timeout":
                return new EngineTimeout(
                    `${engine}: no complete answer from ${where} within ${this.timeoutMs} ms${tries}. ` +
                    "Raise the timeout (--timeout / timeoutMs), lower max tokens, or lower the concurrency if the server is overloaded.",
                    {engine, retryable: true});
            case "connection":
                return new EngineConnectionError(
                    `${engine}: could not talk to ${where} (${failure.detail})${tries}. ` +
                    `Check that the server is running and the base URL is right (${this.baseUrlHint}).`,
                    {engine, retryable: true});
            case "protocol":
                return new EngineProtocolError(
                    `${engine}: ${where} answered with something that is not the expected protocol${tries}: ${failure.detail}. ` +
                    `Check that the base URL points at the API root (${this.baseUrlHint}).`,
                    {engine, retryable: true});
            case "status":
                return this.statusError(failure, where, tries);
        }
    }

    private statusError(failure: Extract<Failure, {kind: "status"}>, where: string, tries: string): EngineError {
        const {status, detail} = failure;
        const engine = this.engine;
        const said = detail === "" ? "" : `: ${detail}`;
        if (status === 401 || status === 403)
            return new EngineAuthError(`${engine}: not authorized (HTTP ${status}) by ${where}${said}. ${this.authHint}.`, {status, engine});
        if (status === 429) {
            const seconds = failure.retryAfterMs == null ? undefined : failure.retryAfterMs / 1000;
            return new EngineRateLimited(
                `${engine}: rate limited (HTTP 429) by ${where}${tries}${said}. ` +
                "Lower the concurrency (-j / concurrency), raise retries, or check your usage tier.",
                {status, engine, retryAfterSeconds: seconds});
        }
        if (status === 408)
            return new EngineTimeout(`${engine}: ${where} timed out the request (HTTP 408)${tries}${said}. Retry later or lower max tokens.`,
                {status, engine, retryable: true});
        if (status >= 500 || status === 409)
            return new EngineServerError(`${engine}: server error (HTTP ${status}) at ${where}${tries}${said}. ` +
                "Retried automatically; if it persists, check the server's logs or try again later.", {status, engine, retryable: true});
        const fix = status === 404
            ? "Check the model name and that the base URL is the API root (for OpenAI-compatible servers it usually ends in /v1)"
            : "Fix the request (model name, sampling options, max tokens, stop strings); it is not retried";
        return new EngineBadRequest(`${engine}: the request was rejected (HTTP ${status}) by ${where}${said}. ${fix}.`, {status, engine});
    }
}

/** The message a server put in its error body (OpenAI, Anthropic, vLLM, llama.cpp, FastAPI shapes). */
function serverMessage(text: string): string {
    try {
        const json = JSON.parse(text) as any;
        const message = json?.error?.message ?? json?.message ?? json?.detail ?? json?.error;
        if (typeof message === "string") return snippet(message);
        if (message != null) return snippet(JSON.stringify(message));
    } catch {
        // not JSON: fall through to the raw text
    }
    return snippet(text);
}

function snippet(text: string, max = 300): string {
    const oneLine = text.replace(/\s+/g, " ").trim();
    if (oneLine === "") return "(empty body)";
    return oneLine.length > max ? oneLine.slice(0, max) + "…" : oneLine;
}

/** Wait `ms`, or reject with `Aborted` as soon as `scope` is cancelled. */
function sleep(ms: number, scope: CancelScope | undefined, engine: string): Promise<void> {
    if (scope?.aborted === true) return Promise.reject(new Aborted(`${engine}: request aborted`));
    return new Promise((resolve, reject) => {
        const wait: Cancellable = {
            cancel: () => {
                clearTimeout(timer);
                reject(new Aborted(`${engine}: request aborted while waiting to retry`));
            }
        };
        const timer = setTimeout(() => {
            scope?.delete(wait);
            resolve();
        }, ms);
        scope?.add(wait);
    });
}
