// The server side of `npm run bench:serve` and `npm run bench:serve-soak`: `rmr1 serve` in its own
// process, so the load generator (autocannon, in the parent) and the server do not share an event
// loop. Prints `READY <url>` once listening; SIGTERM drains and exits.
//
//   tsx bench/serve-server.ts instant            the instant test engine (server overhead only)
//   tsx bench/serve-server.ts native:<dir>       a real model (rmr1 checkpoint folder)
//
// Environment: BENCH_SERVE_LIMITS (JSON ServeLimits), BENCH_SERVE_BATCHING (0 to turn micro-batching off),
// BENCH_SERVE_IN_FLIGHT (engine calls in flight with batching on; default the server's),
// BENCH_SERVE_MAX_TOKENS (judge output limit, default 16).
import {pathToFileURL} from "node:url";
import type {CallOptions, Engine, GenerateRequest, GenerateResult} from "../src/engines/Engine.js";
import {createEngine} from "../src/engines/createEngine.js";
import {startServer} from "../src/serve/RewardServer.js";

/**
 * A test engine that answers at once with a fixed, well-formed verdict: it measures what the server
 * costs around an engine call (parsing, validation, admission, judging bookkeeping, JSON), not a model.
 */
export class InstantEngine implements Engine {
    readonly id = "instant:bench";
    readonly identity = "instant:bench";

    async generate(requests: GenerateRequest[], _options: CallOptions = {}): Promise<GenerateResult[]> {
        return requests.map((r) => ({
            completions: Array.from({length: r.options?.n ?? 1}, () => ({text: "<type>Chat</type> ... <answer>[[A]]</answer>", finishReason: "stop" as const})),
            usage: {promptTokens: r.messages.reduce((n, m) => n + Math.ceil(m.content.length / 4), 0), completionTokens: 12},
            latencyMs: 0,
            model: this.id
        }));
    }

    async close(): Promise<void> {}
}

async function main(): Promise<void> {
    const spec = process.argv[2] ?? "instant";
    const engine = spec === "instant" ? new InstantEngine() : await createEngine(spec, {threads: 1});
    const server = await startServer({
        engine,
        port: 0,
        judge: {profile: "tiny", maxTokens: Number(process.env.BENCH_SERVE_MAX_TOKENS ?? 16), confidence: false},
        limits: JSON.parse(process.env.BENCH_SERVE_LIMITS ?? "{}"),
        batching: process.env.BENCH_SERVE_BATCHING === "0" ? false
            : process.env.BENCH_SERVE_IN_FLIGHT != null ? {maxInFlight: Number(process.env.BENCH_SERVE_IN_FLIGHT)} : undefined
    });
    process.stdout.write(`READY ${server.url}\n`);
    process.on("SIGTERM", () => {
        void server.close().then(() => engine.close()).then(() => process.exit(0));
    });
}

// Start only when run as a script (bench/serve.ts imports InstantEngine from here).
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) void main();
