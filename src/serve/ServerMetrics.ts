// The metrics `rmr1 serve` exports on `GET /metrics` (docs/serve-api.md lists them): requests by
// route and status, latency histograms, queue depth and requests in flight, tokens, the verdict
// mix, parse failures, rewards served, engine batch sizes and engine failures, process memory.
import type {Counter, Gauge, Histogram} from "./Metrics.js";
import {MetricsRegistry} from "./Metrics.js";

/** Latency buckets in seconds: 1 ms to 10 minutes (a long reasoning trace on a CPU takes minutes). */
const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const batchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

export class ServerMetrics {
    readonly registry = new MetricsRegistry();
    readonly requests: Counter;
    readonly latency: Histogram;
    readonly queued: Gauge;
    readonly inFlight: Gauge;
    readonly tokens: Counter;
    readonly verdicts: Counter;
    readonly parseFailures: Counter;
    readonly rewards: Counter;
    readonly engineBatch: Histogram;
    readonly engineErrors: Counter;

    constructor(state: {queued: () => number, inFlight: () => number}) {
        const r = this.registry;
        this.requests = r.counter("rmr1_requests_total", "HTTP requests answered, by route and status code.", ["route", "status"]);
        this.latency = r.histogram("rmr1_request_duration_seconds", "Time from request arrival to the end of the answer, by route.", ["route"], latencyBuckets);
        this.queued = r.gauge("rmr1_queue_depth", "Requests admitted and waiting for a free slot.", [], state.queued);
        this.inFlight = r.gauge("rmr1_requests_in_flight", "Requests being worked on (holding a slot).", [], state.inFlight);
        this.tokens = r.counter("rmr1_tokens_total", "Tokens processed by the engine, by kind (prompt, completion).", ["kind"]);
        this.verdicts = r.counter("rmr1_verdicts_total", "Judgment verdicts served (A, B, tie, error).", ["verdict"]);
        this.parseFailures = r.counter("rmr1_parse_failures_total", "Outputs with no readable verdict, by route.", ["route"]);
        this.rewards = r.counter("rmr1_rewards_total", "Rewards served on /get_reward, by mode.", ["mode"]);
        this.engineBatch = r.histogram("rmr1_engine_batch_requests", "Generation requests per engine call after micro-batching.", [], batchBuckets);
        this.engineErrors = r.counter("rmr1_engine_errors_total", "Engine failures, by error class.", ["error"]);
        r.gauge("process_resident_memory_bytes", "Resident set size of the server process.", [], () => process.memoryUsage.rss());
        r.gauge("nodejs_heap_used_bytes", "V8 heap in use.", [], () => process.memoryUsage().heapUsed);
        const started = Date.now() / 1000;
        r.gauge("process_start_time_seconds", "Start time of the server, Unix seconds.", [], () => started);
    }

    render(): string {
        return this.registry.render();
    }
}
