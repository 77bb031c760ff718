// Errors as HTTP answers. Every failure `rmr1 serve` returns is JSON in the OpenAI error shape,
// `{"error": {"message", "type", "field"?}}`, so OpenAI clients show the message and RLHF trainers
// log it. `httpErrorFrom` maps rmr1's typed errors to statuses: a client mistake is a 4xx naming the
// field, an engine failure a 502/503/504 (the server itself stays up).
import {
    Aborted, ConfigError, EngineAuthError, EngineBadRequest, EngineConnectionError, EngineError, EngineRateLimited,
    EngineTimeout, InvalidInput, ModelLoadError, NotFound, Rmr1Error
} from "../errors.js";

/** An error with the HTTP status, error type and headers it is answered with. */
export class HttpError extends Rmr1Error {
    readonly status: number;
    /** The `error.type` of the JSON body: `invalid_request`, `authentication`, `rate_limit`, `timeout`, `engine`, ... */
    readonly type: string;
    /** The request field at fault, as a dotted path (`pairs[2].chosen`), when there is one. */
    readonly field?: string;
    readonly headers: Record<string, string>;

    constructor(status: number, type: string, message: string, options: {field?: string, headers?: Record<string, string>, cause?: unknown} = {}) {
        super(message, {cause: options.cause});
        this.status = status;
        this.type = type;
        this.field = options.field;
        this.headers = options.headers ?? {};
    }

    /** The JSON body of the answer. */
    body(): {error: {message: string, type: string, field?: string}} {
        return {error: {message: this.message, type: this.type, ...(this.field != null ? {field: this.field} : {})}};
    }
}

/** Join a request location (`pairs[2]`) and a field inside it (`chosen[0]`) into one path. */
export function joinField(location: string | undefined, field: string | undefined): string | undefined {
    if (location == null || location === "") return field;
    if (field == null || field === "") return location;
    return field.startsWith("[") ? `${location}${field}` : `${location}.${field}`;
}

/**
 * The HTTP answer for any error thrown while serving a request. `timedOut` says the request's own
 * deadline fired (an `Aborted` is then a 504, not a client disconnect).
 */
export function httpErrorFrom(e: unknown, context: {timedOut?: boolean, timeoutMs?: number} = {}): HttpError {
    if (e instanceof HttpError) return e;
    if (e instanceof Aborted || (e as {name?: string})?.name === "AbortError") {
        if (context.timedOut === true)
            return new HttpError(504, "timeout", `the request did not finish within ${context.timeoutMs} ms (the server's --timeout); the work was cancelled. Send fewer items per request or raise --timeout`, {cause: e});
        return new HttpError(499, "cancelled", "the request was cancelled", {cause: e});
    }
    if (e instanceof InvalidInput) {
        // InvalidInput puts its location in front of the message; the field path carries it too.
        return new HttpError(400, "invalid_request", e.message, {field: joinField(e.location, e.field), cause: e});
    }
    if (e instanceof ConfigError) return new HttpError(400, "invalid_request", e.message, {cause: e});
    if (e instanceof NotFound) return new HttpError(404, "not_found", e.message, {cause: e});
    if (e instanceof EngineError) {
        const engine = e.engine != null ? ` (${e.engine})` : "";
        if (e instanceof EngineBadRequest) return new HttpError(400, "invalid_request", `the engine rejected the request${engine}: ${e.message}`, {cause: e});
        if (e instanceof EngineTimeout) return new HttpError(504, "engine_timeout", `the engine did not answer in time${engine}: ${e.message}`, {cause: e});
        if (e instanceof EngineRateLimited) {
            const seconds = Math.max(1, Math.ceil(e.retryAfterSeconds ?? 1));
            return new HttpError(503, "engine_unavailable", `the engine is rate-limiting this server${engine}: ${e.message}`, {headers: {"retry-after": String(seconds)}, cause: e});
        }
        if (e instanceof EngineConnectionError || e instanceof ModelLoadError)
            return new HttpError(503, "engine_unavailable", `the engine is unavailable${engine}: ${e.message}`, {headers: {"retry-after": "5"}, cause: e});
        if (e instanceof EngineAuthError) return new HttpError(502, "engine_error", `the engine refused this server's credentials${engine}: ${e.message}`, {cause: e});
        return new HttpError(502, "engine_error", `the engine failed${engine}: ${e.message}`, {cause: e});
    }
    const message = e instanceof Error ? e.message : String(e);
    return new HttpError(500, "internal_error", `internal error: ${message}`, {cause: e});
}
