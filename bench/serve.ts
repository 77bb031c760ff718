// `npm run bench:serve`: load on `rmr1 serve` with autocannon, the server in its own process
// (bench/serve-server.ts). Two engines: the instant test engine, which isolates the server's own
// cost, and a real tiny model (the native `tiny` preset, 0.87M parameters, seeded random weights,
// 16 new tokens per call). For each route and concurrency 1, 16, 64, 256: throughput and p50 / p99
// latency (medians over BENCH_RUNS runs), and every non-2xx answer and socket error (the only
// acceptable ones are the 429s of the overload cell). Then the server's overhead per request against
// calling the engine directly in-process, as a difference and a ratio.
//
// Writes bench/results/serve.md and serve.json. Environment: BENCH_DURATION (seconds per run,
// default 4), BENCH_RUNS (default 3), BENCH_DIRECT (requests for the overhead comparison, default 400).
// On a shared 2-core machine the load generator and the server compete for CPU: rerun on a quiet
// machine for clean absolute numbers; the ratios are more stable than the absolutes.
import {spawn} from "node:child_process";
import {Agent, request as httpRequest} from "node:http";
import type {ChildProcess} from "node:child_process";
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {cpus, loadavg, tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import autocannon from "autocannon";
import type {Engine, GenerateRequest} from "../src/engines/Engine.js";
import {Judge} from "../src/judge/Judge.js";
import {saveCheckpoint} from "../src/native/checkpoint/saveCheckpoint.js";
import {initParams} from "../src/native/model/initParams.js";
import {modelPresets} from "../src/native/model/ModelConfig.js";
import {NativeEngine} from "../src/native/NativeEngine.js";
import {InstantEngine} from "./serve-server.js";

const here = dirname(fileURLToPath(import.meta.url));
const durationS = Number(process.env.BENCH_DURATION ?? 4);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const directRequests = Number(process.env.BENCH_DIRECT ?? 400);
const concurrencies = [1, 16, 64, 256];

const pair = {
    prompt: [{role: "user", content: "What is 17 * 3? Answer with the number."}],
    chosen: [{role: "assistant", content: "17 * 3 = 51."}],
    rejected: [{role: "assistant", content: "17 * 3 = 41."}]
};
const chatBody = {messages: [{role: "user", content: "What is 17 * 3?"}], temperature: 0, max_tokens: 16};
const rewardBody = {
    query: ["<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<type>Chat</type> ... <eval>A is right.</eval>\n<answer>[[A]]</answer><|im_end|>"],
    prompts: ["<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n"],
    labels: ["model_a"]
};

interface Server {
    url: string;
    child: ChildProcess;
}

function startServerProcess(engine: string, env: Record<string, string> = {}): Promise<Server> {
    const child = spawn(process.execPath, ["--import", "tsx", join(here, "serve-server.ts"), engine], {
        stdio: ["ignore", "pipe", "inherit"], env: {...process.env, ...env}
    });
    return new Promise((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (d) => {
            out += d;
            const m = /READY (\S+)/.exec(out);
            if (m != null) resolve({url: m[1], child});
        });
        child.on("exit", (code) => reject(new Error(`bench server exited (${code})`)));
    });
}

async function stopServer(server: Server): Promise<void> {
    const exited = new Promise((resolve) => server.child.on("exit", resolve));
    server.child.kill("SIGTERM");
    await exited;
}

interface RunResult {
    rps: number;
    p50: number;
    p99: number;
    statuses: Record<string, number>;
    errors: number;
    timeouts: number;
}

function percentile(sorted: number[], p: number): number {
    if (sorted.length === 0) return NaN;
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** One autocannon run; latencies of 2xx answers collected at full precision (autocannon's histogram keeps whole ms). */
async function cannon(url: string, path: string, body: unknown, connections: number): Promise<RunResult> {
    const latencies: number[] = [];
    const instance = autocannon({
        url: url + path, method: "POST", connections, duration: durationS, timeout: 60,
        headers: {"content-type": "application/json"}, body: JSON.stringify(body)
    });
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
        if (status >= 200 && status < 300) latencies.push(ms);
    });
    const result = await instance;
    latencies.sort((a, b) => a - b);
    const statuses: Record<string, number> = {};
    for (const [code, s] of Object.entries(result.statusCodeStats as Record<string, {count: number}>)) statuses[code] = s.count;
    const ok = Object.entries(statuses).filter(([c]) => c.startsWith("2")).reduce((n, [, c]) => n + c, 0);
    return {rps: ok / durationS, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), statuses, errors: result.errors, timeouts: result.timeouts};
}

interface Cell {
    engine: string;
    route: string;
    note?: string;
    concurrency: number;
    rps: number;
    p50: number;
    p99: number;
    statuses: Record<string, number>;
    errors: number;
    runs: RunResult[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function cell(server: Server, engine: string, route: string, body: unknown, concurrency: number, note?: string): Promise<Cell> {
    const results: RunResult[] = [];
    for (let r = 0; r < runs; r++) results.push(await cannon(server.url, route, body, concurrency));
    const statuses: Record<string, number> = {};
    for (const r of results) for (const [c, n] of Object.entries(r.statuses)) statuses[c] = (statuses[c] ?? 0) + n;
    const c: Cell = {
        engine, route, concurrency, note,
        rps: median(results.map((r) => r.rps)),
        p50: median(results.map((r) => r.p50)),
        p99: median(results.map((r) => r.p99)),
        statuses,
        errors: results.reduce((n, r) => n + r.errors + r.timeouts, 0),
        runs: results
    };
    process.stderr.write(`  ${engine} ${route}${note != null ? ` (${note})` : ""} c=${concurrency}: ${c.rps.toFixed(0)} req/s, p50 ${c.p50.toFixed(2)} ms, p99 ${c.p99.toFixed(2)} ms, statuses ${JSON.stringify(statuses)}, errors ${c.errors}\n`);
    return c;
}

/** Mean latency of `n` sequential calls, in ms (after 20 warm-up calls). */
async function sequentialMs(n: number, one: () => Promise<unknown>): Promise<number> {
    for (let i = 0; i < 20; i++) await one();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await one();
    return (performance.now() - t0) / n;
}

/** A lean keep-alive HTTP client (fetch adds ~1 ms of its own per call on this machine). */
const agent = new Agent({keepAlive: true, maxSockets: 1});

function postJson(url: string, body: unknown): Promise<unknown> {
    const data = JSON.stringify(body);
    return new Promise((resolve, reject) => {
        const req = httpRequest(url, {method: "POST", agent, headers: {"content-type": "application/json", "content-length": Buffer.byteLength(data)}}, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
                const text = Buffer.concat(chunks).toString("utf8");
                if (res.statusCode !== 200) reject(new Error(`${url}: HTTP ${res.statusCode} ${text}`));
                else resolve(JSON.parse(text));
            });
        });
        req.on("error", reject);
        req.end(data);
    });
}

/** Sum and count of the server's own latency histogram for `route` (seconds), from /metrics. */
async function serverTime(url: string, route: string): Promise<{sum: number, count: number}> {
    const text = await (await fetch(`${url}/metrics`)).text();
    const read = (name: string) => Number(new RegExp(`^rmr1_request_duration_seconds_${name}\\{route="${route}"\\} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
    return {sum: read("sum"), count: read("count")};
}

interface BatchingRow {
    preset: string;
    concurrency: number;
    onRps: number;
    offRps: number;
    onP50: number;
    offP50: number;
    /** Requests per engine call with batching on. */
    meanBatch: number;
    /** Non-2xx answers and socket errors, both servers. */
    errors: number;
}

/** Sum and count of the server's engine batch-size histogram. */
async function batchStats(url: string): Promise<{sum: number, count: number}> {
    const text = await (await fetch(`${url}/metrics`)).text();
    const read = (name: string) => Number(new RegExp(`^rmr1_engine_batch_requests_${name} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
    return {sum: read("sum"), count: read("count")};
}

interface Overhead {
    engine: string;
    route: string;
    /** The engine (or judge) called in-process. */
    directMs: number;
    /** Time inside the server per request (arrival to last byte), from its own histogram. */
    serverMs: number;
    /** Round trip seen by a keep-alive client. */
    httpMs: number;
    serverOverheadUs: number;
    httpOverheadUs: number;
    serverRatio: number;
    httpRatio: number;
}

const routeLabel: Record<string, string> = {"/v1/judge": "judge", "/v1/chat/completions": "chat", "/get_reward": "get_reward"};

async function overhead(engineName: string, route: string, url: string, body: unknown, direct: () => Promise<unknown>): Promise<Overhead> {
    // Interleave three rounds of each and keep the medians, so a burst of other load hits both sides.
    const d: number[] = [];
    const h: number[] = [];
    const s: number[] = [];
    for (let round = 0; round < 3; round++) {
        d.push(await sequentialMs(directRequests, direct));
        const before = await serverTime(url, routeLabel[route]);
        h.push(await sequentialMs(directRequests, () => postJson(url + route, body)));
        const after = await serverTime(url, routeLabel[route]);
        s.push((after.sum - before.sum) / (after.count - before.count) * 1000);
    }
    const directMs = median(d);
    const httpMs = median(h);
    const serverMs = median(s);
    const o: Overhead = {
        engine: engineName, route, directMs, serverMs, httpMs,
        serverOverheadUs: (serverMs - directMs) * 1000, httpOverheadUs: (httpMs - directMs) * 1000,
        serverRatio: serverMs / directMs, httpRatio: httpMs / directMs
    };
    process.stderr.write(`  overhead ${engineName} ${route}: direct ${directMs.toFixed(3)} ms, in server ${serverMs.toFixed(3)} ms (${o.serverRatio.toFixed(2)}x), round trip ${httpMs.toFixed(3)} ms (${o.httpRatio.toFixed(2)}x)\n`);
    return o;
}

async function main(): Promise<void> {
    const started = new Date();
    const modelDir = mkdtempSync(join(tmpdir(), "rmr1-bench-serve-"));
    const config = modelPresets.tiny;
    await saveCheckpoint(modelDir, {config, params: initParams(config, 1), extra: {seed: 1, step: 0, name: "bench-serve-tiny-random"}});
    const cells: Cell[] = [];
    const overheads: Overhead[] = [];
    const limits = JSON.stringify({maxConcurrent: 64, maxQueue: 1024});

    process.stderr.write("instant test engine (server overhead)\n");
    let server = await startServerProcess("instant", {BENCH_SERVE_LIMITS: limits});
    for (const [route, body] of [["/get_reward", rewardBody], ["/v1/judge", pair], ["/v1/chat/completions", chatBody]] as const) {
        for (const c of concurrencies) cells.push(await cell(server, "instant", route, body, c));
    }
    const instant = new InstantEngine();
    const instantJudge = new Judge(instant, {profile: "tiny", maxTokens: 16, confidence: false});
    overheads.push(await overhead("instant", "/v1/judge", server.url, pair, () => instantJudge.judge(pair as never)));
    overheads.push(await overhead("instant", "/v1/chat/completions", server.url, chatBody, () => instant.generate([chatRequest()])));
    await stopServer(server);

    process.stderr.write("native tiny model (real generation, 16 tokens)\n");
    server = await startServerProcess(`native:${modelDir}`, {BENCH_SERVE_LIMITS: limits});
    for (const [route, body] of [["/v1/chat/completions", chatBody], ["/v1/judge", pair]] as const) {
        for (const c of concurrencies) cells.push(await cell(server, "native-tiny", route, body, c));
    }
    const native: Engine = await NativeEngine.load(modelDir, {threads: 1});
    const nativeJudge = new Judge(native, {profile: "tiny", maxTokens: 16, confidence: false});
    overheads.push(await overhead("native-tiny", "/v1/chat/completions", server.url, chatBody, () => native.generate([chatRequest()])));
    overheads.push(await overhead("native-tiny", "/v1/judge", server.url, pair, () => nativeJudge.judge(pair as never)));
    await native.close();
    await stopServer(server);

    // Micro-batching on and off, side by side: two servers up at once, runs alternated, so both see
    // the same background load. The `small` preset too: batching pays more as weights outgrow the cache.
    const smallDir = mkdtempSync(join(tmpdir(), "rmr1-bench-serve-small-"));
    await saveCheckpoint(smallDir, {config: modelPresets.small, params: initParams(modelPresets.small, 1), extra: {seed: 1, step: 0, name: "bench-serve-small-random"}});
    const batchingRows: BatchingRow[] = [];
    for (const [preset, modelPath] of [["tiny", modelDir], ["small", smallDir]] as const) {
        process.stderr.write(`micro-batching on vs off, native ${preset}\n`);
        const on = await startServerProcess(`native:${modelPath}`, {BENCH_SERVE_LIMITS: limits});
        const off = await startServerProcess(`native:${modelPath}`, {BENCH_SERVE_LIMITS: limits, BENCH_SERVE_BATCHING: "0"});
        for (const c of [16, 64]) {
            const onRuns: RunResult[] = [];
            const offRuns: RunResult[] = [];
            const before = await batchStats(on.url);
            for (let r = 0; r < runs; r++) {
                onRuns.push(await cannon(on.url, "/v1/chat/completions", chatBody, c));
                offRuns.push(await cannon(off.url, "/v1/chat/completions", chatBody, c));
            }
            const after = await batchStats(on.url);
            const row: BatchingRow = {
                preset, concurrency: c,
                onRps: median(onRuns.map((x) => x.rps)), offRps: median(offRuns.map((x) => x.rps)),
                onP50: median(onRuns.map((x) => x.p50)), offP50: median(offRuns.map((x) => x.p50)),
                meanBatch: (after.sum - before.sum) / (after.count - before.count),
                errors: [...onRuns, ...offRuns].reduce((n, x) => n + x.errors + x.timeouts + Object.entries(x.statuses).filter(([code]) => !code.startsWith("2")).reduce((m, [, k]) => m + k, 0), 0)
            };
            batchingRows.push(row);
            process.stderr.write(`  ${preset} c=${c}: on ${row.onRps.toFixed(0)} req/s (mean batch ${row.meanBatch.toFixed(1)}), off ${row.offRps.toFixed(0)} req/s, ${(row.onRps / row.offRps).toFixed(2)}x\n`);
        }
        await stopServer(on);
        await stopServer(off);
    }
    rmSync(smallDir, {recursive: true, force: true});

    process.stderr.write("overload: 256 connections against 16 slots + 32 queued (429s intended)\n");
    server = await startServerProcess(`native:${modelDir}`, {BENCH_SERVE_LIMITS: JSON.stringify({maxConcurrent: 16, maxQueue: 32})});
    cells.push(await cell(server, "native-tiny", "/v1/chat/completions", chatBody, 256, "overload: 16 slots, queue 32"));
    await stopServer(server);
    rmSync(modelDir, {recursive: true, force: true});

    // Every answer must be a 2xx, or a 429 where the overload was intended.
    const unexpected = cells.flatMap((c) => {
        const bad = Object.entries(c.statuses).filter(([code]) => !code.startsWith("2") && !(code === "429" && c.note?.startsWith("overload")));
        return bad.length > 0 || c.errors > 0 ? [`${c.engine} ${c.route} c=${c.concurrency}: ${JSON.stringify(c.statuses)}, ${c.errors} socket errors/timeouts`] : [];
    }).concat(batchingRows.filter((b) => b.errors > 0).map((b) => `batching ${b.preset} c=${b.concurrency}: ${b.errors} errors`));
    const report = {
        started: started.toISOString(),
        machine: {cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg(), node: process.version},
        settings: {durationS, runs, directRequests, concurrencies, model: {preset: "tiny", params: 871_552, maxTokens: 16}},
        cells: cells.map(({runs: _r, ...c}) => c),
        overheads,
        batching: batchingRows,
        unexpected
    };
    mkdirSync(join(here, "results"), {recursive: true});
    writeFileSync(join(here, "results", "serve.json"), JSON.stringify({...report, cells}, null, 2) + "\n");
    writeFileSync(join(here, "results", "serve.md"), markdown(report));
    process.stderr.write(`wrote bench/results/serve.md and serve.json${unexpected.length > 0 ? `\nUNEXPECTED ERRORS:\n${unexpected.join("\n")}` : ""}\n`);
    if (unexpected.length > 0) process.exitCode = 1;
}

function chatRequest(): GenerateRequest {
    return {messages: chatBody.messages as GenerateRequest["messages"], options: {temperature: 0, maxTokens: 16}};
}

function markdown(r: {started: string, machine: Record<string, unknown>, cells: Omit<Cell, "runs">[], overheads: Overhead[], batching: BatchingRow[], unexpected: string[]}): string {
    const f = (x: number, d = 2) => Number.isFinite(x) ? x.toFixed(d) : "n/a";
    const rows = r.cells.map((c) => {
        const other = Object.entries(c.statuses).filter(([code]) => !code.startsWith("2")).map(([code, n]) => `${code}: ${n}`).join(", ");
        return `| ${c.engine} | ${c.route}${c.note != null ? ` (${c.note})` : ""} | ${c.concurrency} | ${f(c.rps, 0)} | ${f(c.p50)} | ${f(c.p99)} | ${other === "" ? "none" : other} | ${c.errors} |`;
    });
    const o = r.overheads.map((x) => `| ${x.engine} | ${x.route} | ${f(x.directMs, 3)} | ${f(x.serverMs, 3)} | ${f(x.serverOverheadUs, 0)} µs | ${f(x.serverRatio)}x | ${f(x.httpMs, 3)} | ${f(x.httpOverheadUs, 0)} µs | ${f(x.httpRatio)}x |`);
    return `# rmr1 serve benchmark

\`npm run bench:serve\` (bench/serve.ts) on ${r.started}; machine: ${JSON.stringify(r.machine)}.
autocannon in this process, the server in its own (bench/serve-server.ts); ${durationS} s per run,
medians of ${runs} runs per cell. Engines: **instant**, a test engine answering at once (what the
server itself costs); **native-tiny**, the native \`tiny\` preset (0.87M parameters, seeded random
weights) generating 16 tokens per call, one kernel thread. Latencies are of 2xx answers, in ms.
On a shared 2-core machine the load generator and the server compete for CPU, and other jobs may
run: absolute numbers are noisy, rerun on a quiet machine; the overhead ratios are steadier.

| engine | route | concurrency | req/s | p50 ms | p99 ms | non-2xx | socket errors |
|---|---|---:|---:|---:|---:|---|---:|
${rows.join("\n")}

Unexpected answers (anything but 2xx, or 429 in the overload cell): ${r.unexpected.length === 0 ? "**none**" : r.unexpected.join("; ")}.

## Server overhead per request

Sequential requests (concurrency 1, a keep-alive node:http client), mean over ${directRequests} after a
warm-up, median of 3 interleaved rounds. *direct*: the engine (or the judge) called in-process;
*in server*: time from the request's arrival to its last byte, from the server's own latency
histogram (parsing, validation, admission, the same engine call, JSON, metrics); *round trip*: what
the client waits, loopback network and client included.

| engine | route | direct ms | in server ms | server overhead | ratio | round trip ms | round-trip overhead | ratio |
|---|---|---:|---:|---:|---:|---:|---:|---:|
${o.join("\n")}

## Micro-batching

\`/v1/chat/completions\` (16 tokens) on two servers running at once, one merging concurrent engine calls
(the default for \`native:\`) and one not (\`--no-batching\`), runs alternated between them; native
\`tiny\` (0.87M parameters) and \`small\` (4.8M) presets, seeded random weights, one kernel thread.

| preset | concurrency | req/s batched | req/s unbatched | ratio | p50 ms batched | p50 ms unbatched | requests per engine call |
|---|---:|---:|---:|---:|---:|---:|---:|
${r.batching.map((b) => `| ${b.preset} | ${b.concurrency} | ${f(b.onRps, 0)} | ${f(b.offRps, 0)} | ${f(b.onRps / b.offRps)}x | ${f(b.onP50)} | ${f(b.offP50)} | ${f(b.meanBatch, 1)} |`).join("\n")}
`;
}

void main();
