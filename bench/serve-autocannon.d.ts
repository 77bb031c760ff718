// The part of autocannon 9's API the serve benchmarks use (the package ships no types).
declare module "autocannon" {
    import type {EventEmitter} from "node:events";

    interface AutocannonRequest {
        method?: string;
        path?: string;
        headers?: Record<string, string>;
        body?: string;
    }

    interface AutocannonOptions {
        url: string;
        connections?: number;
        duration?: number;
        /** Seconds before a request counts as timed out. */
        timeout?: number;
        method?: string;
        headers?: Record<string, string>;
        body?: string;
        /** Cycled through by every connection. */
        requests?: AutocannonRequest[];
    }

    interface Percentiles {
        average: number;
        p50: number;
        p99: number;
        [key: string]: number;
    }

    interface AutocannonResult {
        errors: number;
        timeouts: number;
        non2xx: number;
        statusCodeStats: Record<string, {count: number}>;
        latency: Percentiles;
        requests: Percentiles & {sent: number};
    }

    /** Resolves with the result; emits `response` (client, statusCode, bytes, responseTimeMs) per answer. */
    type Instance = EventEmitter & PromiseLike<AutocannonResult> & {stop(): void};

    function autocannon(options: AutocannonOptions): Instance;
    export default autocannon;
}
