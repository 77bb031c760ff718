// How long to wait before retrying a request: the server's `Retry-After` when it sends one,
// otherwise exponential backoff with full jitter (a uniform wait in [0, base * 2^attempt], capped),
// which spreads a burst of clients that failed together instead of having them retry in lockstep.
import type {IncomingHttpHeaders} from "node:http";

/**
 * The wait a response asks for, in milliseconds: `retry-after-ms` (OpenAI), else `Retry-After` as
 * seconds or as an HTTP date. Undefined when absent or unreadable. `headers` are a fetch `Headers` or
 * node:http's (lower-case names).
 */
export function retryAfterMs(headers: Headers | IncomingHttpHeaders, now: number = Date.now()): number | undefined {
    const ms = header(headers, "retry-after-ms");
    if (ms != null && ms.trim() !== "") {
        const value = Number(ms);
        if (Number.isFinite(value) && value >= 0) return value;
    }
    const after = header(headers, "retry-after");
    if (after == null || after.trim() === "") return undefined;
    const seconds = Number(after);
    if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
    const date = Date.parse(after);
    if (Number.isNaN(date)) return undefined;
    return Math.max(0, date - now);
}

function header(headers: Headers | IncomingHttpHeaders, name: string): string | undefined {
    const value = headers instanceof Headers ? headers.get(name) : headers[name];
    return Array.isArray(value) ? value[0] : value ?? undefined;
}

/**
 * Full-jitter backoff for the `retry`-th retry (0-based): uniform in [0, min(maxMs, baseMs * 2^retry)].
 * `random` is injectable for tests; jitter deliberately uses an unseeded source in production so
 * that separate processes do not retry in step (it never changes what a request returns).
 */
export function backoffMs(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
    const ceiling = Math.min(maxMs, baseMs * 2 ** retry);
    return random() * ceiling;
}
