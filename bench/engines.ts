// `npm run bench:engines`: the client-side cost of OpenAIEngine per request, against a bare fetch
// loop sending the same bodies to the same fast local server (a separate process), at concurrency 64.
// Reports CPU time of the client process per request (the cost the engine adds) and wall time, as
// medians over several interleaved runs, and their ratio to bare fetch (target: at most 1.10x).
// Also shows the response cache's cost on a miss (a SQLite write) and on a hit (no request at all).
//
// Environment: BENCH_REQUESTS (per run, default 3000), BENCH_RUNS (default 7), BENCH_CONCURRENCY (default 64).
import {spawn} from "node:child_process";
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {cpus, loadavg, tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {createInterface} from "node:readline";
import {fileURLToPath} from "node:url";
import type {Engine, GenerateRequest} from "../src/engines/Engine.js";
import {ResponseCache} from "../src/engines/cache/ResponseCache.js";
import {withCache} from "../src/engines/cache/withCache.js";
import {OpenAIEngine} from "../src/engines/openai/OpenAIEngine.js";
import {toOpenAIChatBody} from "../src/engines/openai/openaiChat.js";

const requestsPerRun = Number(process.env.BENCH_REQUESTS ?? 3000);
const runs = Number(process.env.BENCH_RUNS ?? 7);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const here = dirname(fileURLToPath(import.meta.url));
const model = "bench-model";

// A judge-sized request: an RM-R1-like prompt of about 1.5 kB.
const prompt = "Please act as an impartial judge and evaluate the two chatbot replies below. ".repeat(20);
const request = (run: string, i: number): GenerateRequest => ({
    messages: [{role: "system", content: "Judge A vs B."}, {role: "user", content: `${prompt}\n[item ${run}-${i}]`}],
    options: {maxTokens: 256}
});

interface Sample {
    variant: string;
    wallMs: number;
    cpuUsPerRequest: number;
    wallUsPerRequest: number;
}

/** Run `one(i)` for i in [0, n) with `concurrency` workers; client CPU and wall time. */
async function measure(variant: string, one: (i: number) => Promise<string>): Promise<Sample> {
    let next = 0;
    let checksum = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(Array.from({length: concurrency}, async () => {
        while (next < requestsPerRun) {
            const text = await one(next++);
            checksum += text.length;
        }
    }));
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (checksum === 0) throw new Error(`${variant}: no text came back`);
    return {variant, wallMs, cpuUsPerRequest: (cpu.user + cpu.system) / requestsPerRun, wallUsPerRequest: wallMs * 1000 / requestsPerRun};
}

/**
 * The engine's own code per request, without the network: `fetch` replaced by a stand-in that
 * answers at once with a fixed body. Timed in wall microseconds per request over many requests,
 * which is stable even on a busy machine, unlike the end-to-end figures.
 */
async function layerOverhead(): Promise<{bareUs: number, engineUs: number, extraUs: number}> {
    const answer = JSON.stringify({
        id: "x", object: "chat.completion", model, system_fingerprint: "fp",
        choices: [{index: 0, message: {role: "assistant", content: "<answer>[[A]]</answer>"}, finish_reason: "stop", logprobs: null}],
        usage: {prompt_tokens: 300, completion_tokens: 30}
    });
    const response = {ok: true, status: 200, headers: new Headers(), text: async () => answer, json: async () => JSON.parse(answer)};
    const instant = (async () => response) as unknown as typeof fetch;
    const engine = new OpenAIEngine({model, baseUrls: "http://127.0.0.1:9/v1", concurrency, fetch: instant});
    const n = 100_000;
    const time = async (one: (i: number) => Promise<unknown>) => {
        let next = 0;
        const t0 = performance.now();
        await Promise.all(Array.from({length: concurrency}, async () => {
            while (next < n) await one(next++);
        }));
        return (performance.now() - t0) * 1000 / n;
    };
    const bare = (i: number) => instant("http://127.0.0.1:9/v1/chat/completions", {
        method: "POST", body: JSON.stringify(toOpenAIChatBody(request("layer", i), model))
    }).then((r) => r.json());
    const viaEngine = (i: number) => engine.generate([request("layer", i)]);
    const bareTimes: number[] = [];
    const engineTimes: number[] = [];
    for (let r = 0; r < 6; r++) {
        const b = await time(bare);
        const e = await time(viaEngine);
        if (r > 0) {
            bareTimes.push(b);
            engineTimes.push(e);
        }
    }
    await engine.close();
    const bareUs = median(bareTimes);
    const engineUs = median(engineTimes);
    return {bareUs: round(bareUs, 2), engineUs: round(engineUs, 2), extraUs: round(engineUs - bareUs, 2)};
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function startServer(): Promise<{url: string, stop: () => void}> {
    const child = spawn(process.execPath, ["--import", "tsx", join(here, "engines-server.ts")], {stdio: ["pipe", "pipe", "inherit"]});
    const line = await new Promise<string>((resolve, reject) => {
        createInterface({input: child.stdout}).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`benchmark server exited with ${code}`)));
    });
    return {url: (JSON.parse(line) as {url: string}).url, stop: () => child.stdin.end()};
}

async function main(): Promise<void> {
    const layer = await layerOverhead();
    const server = await startServer();
    const cacheDir = mkdtempSync(join(tmpdir(), "rmr1-bench-engines-"));
    const engine = new OpenAIEngine({model, baseUrls: server.url, concurrency, retries: 0});
    const missCache = new ResponseCache({path: join(cacheDir, "miss.sqlite")});
    const cachedEngine: Engine = withCache(engine, missCache);
    const hitCache = new ResponseCache({path: join(cacheDir, "hit.sqlite")});
    const hitEngine: Engine = withCache(engine, hitCache);
    const body = (run: string, i: number) => JSON.stringify(toOpenAIChatBody(request(run, i), model, {maxTokensField: "max_tokens"}));

    const variants: Record<string, (run: string) => (i: number) => Promise<string>> = {
        "bare fetch": (run) => async (i) => {
            const response = await fetch(`${server.url}/chat/completions`, {
                method: "POST",
                headers: {"content-type": "application/json"},
                body: body(run, i)
            });
            const json = await response.json() as {choices: {message: {content: string}}[]};
            return json.choices[0].message.content;
        },
        // What a timeout and cancellation cost by themselves: fetch given an AbortSignal (undici then
        // registers a listener and a finalizer per request). The engine needs one per attempt.
        "bare fetch + AbortSignal": (run) => async (i) => {
            const controller = new AbortController();
            const response = await fetch(`${server.url}/chat/completions`, {
                method: "POST",
                headers: {"content-type": "application/json"},
                body: body(run, i),
                signal: controller.signal
            });
            const json = await response.json() as {choices: {message: {content: string}}[]};
            return json.choices[0].message.content;
        },
        "OpenAIEngine": (run) => async (i) => (await engine.generate([request(run, i)]))[0].completions[0].text,
        "OpenAIEngine + cache (miss, write)": (run) => async (i) => (await cachedEngine.generate([request(run, i)]))[0].completions[0].text,
        "OpenAIEngine + cache (hit)": () => async (i) => (await hitEngine.generate([request("hit", i)]))[0].completions[0].text
    };
    const names = Object.keys(variants);

    // Warm up: connections, JIT, and fill the hit cache.
    for (const name of names) await measure(name, variants[name]("warmup"));
    const samples: Sample[] = [];
    for (let r = 0; r < runs; r++) {
        // Rotate the order so drift in machine load does not favour one variant.
        const order = names.map((_, k) => names[(k + r) % names.length]);
        for (const name of order) samples.push(await measure(name, variants[name](`run${r}`)));
        process.stderr.write(`run ${r + 1}/${runs} done\n`);
    }

    const summary = names.map((variant) => {
        const mine = samples.filter((s) => s.variant === variant);
        return {
            variant,
            cpuUsPerRequest: median(mine.map((s) => s.cpuUsPerRequest)),
            cpuRange: [Math.min(...mine.map((s) => s.cpuUsPerRequest)), Math.max(...mine.map((s) => s.cpuUsPerRequest))].map((x) => round(x)),
            wallUsPerRequest: median(mine.map((s) => s.wallUsPerRequest)),
            requestsPerSecond: requestsPerRun / (median(mine.map((s) => s.wallMs)) / 1000),
            runs: mine.map((s) => ({cpuUsPerRequest: round(s.cpuUsPerRequest), wallMs: round(s.wallMs)}))
        };
    });
    const bare = summary[0];
    const rows = summary.map((s) => ({
        ...s,
        cpuRatio: s.cpuUsPerRequest / bare.cpuUsPerRequest,
        wallRatio: s.wallUsPerRequest / bare.wallUsPerRequest
    }));
    const engineRow = rows.find((r) => r.variant === "OpenAIEngine")!;
    const result = {
        benchmark: "engines",
        date: new Date().toISOString(),
        machine: {cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, loadAverageAtEnd: loadavg().map(round)},
        config: {requestsPerRun, runs, concurrency, server: "ScriptedChatServer in a separate process"},
        target: "OpenAIEngine client CPU per request <= 1.10x bare fetch",
        met: engineRow.cpuRatio <= 1.1,
        layer,
        rows: rows.map((r) => ({...r, cpuUsPerRequest: round(r.cpuUsPerRequest), wallUsPerRequest: round(r.wallUsPerRequest),
            requestsPerSecond: round(r.requestsPerSecond), cpuRatio: round(r.cpuRatio, 3), wallRatio: round(r.wallRatio, 3)}))
    };
    const out = join(here, "results");
    mkdirSync(out, {recursive: true});
    writeFileSync(join(out, "engines.json"), JSON.stringify(result, null, 2) + "\n");
    writeFileSync(join(out, "engines.md"), markdown(result));
    process.stdout.write(markdown(result));

    await engine.close();
    missCache.close();
    hitCache.close();
    rmSync(cacheDir, {recursive: true, force: true});
    server.stop();
}

function engineRatio(result: {rows: {variant: string, cpuRatio: number}[]}): number {
    return result.rows.find((r) => r.variant === "OpenAIEngine")!.cpuRatio;
}

function signalRatio(result: {rows: {variant: string, cpuRatio: number}[]}): number {
    return result.rows.find((r) => r.variant === "bare fetch + AbortSignal")!.cpuRatio;
}

function round(x: number, digits = 1): number {
    const f = 10 ** digits;
    return Math.round(x * f) / f;
}

function markdown(result: {date: string, machine: Record<string, unknown>, config: Record<string, unknown>, met: boolean,
    layer: {bareUs: number, engineUs: number, extraUs: number},
    rows: {variant: string, cpuUsPerRequest: number, cpuRange: number[], wallUsPerRequest: number, requestsPerSecond: number, cpuRatio: number, wallRatio: number}[]}): string {
    const lines = [
        "# Engines benchmark: client-side cost per request",
        "",
        "`npm run bench:engines` (bench/engines.ts). The client sends chat-completion requests to a fast local",
        "OpenAI-compatible server running in a separate process, with " + `${result.config.concurrency} requests in flight, ` +
        `${result.config.requestsPerRun} requests per run, medians over ${result.config.runs} interleaved runs after a warm-up.`,
        "CPU is the client process's user + system time per request: what the client itself costs. Wall time also includes",
        "the server and the loopback network, and moves more with other load on the machine.",
        "",
        `Run ${result.date} on ${result.machine.cpus} × ${result.machine.cpuModel}, Node ${result.machine.node}; load average at the end: ` +
        `${(result.machine.loadAverageAtEnd as number[]).join(", ")}. The machine is shared with other work, so absolute figures are noisy; ` +
        "the ratios come from interleaved runs under the same conditions.",
        "",
        "| client | CPU µs / request (median) | min–max over runs | × bare fetch (CPU) | wall µs / request | × bare fetch (wall) | requests / s |",
        "|---|---:|---:|---:|---:|---:|---:|",
        ...result.rows.map((r) => `| ${r.variant} | ${r.cpuUsPerRequest} | ${r.cpuRange[0]}–${r.cpuRange[1]} | ${r.cpuRatio.toFixed(3)} | ` +
            `${r.wallUsPerRequest} | ${r.wallRatio.toFixed(3)} | ${r.requestsPerSecond} |`),
        "",
        `Target: OpenAIEngine at most 1.10 × bare fetch in client CPU per request — **${result.met ? "met" : "not met"}** in this run ` +
            `(${engineRatio(result).toFixed(3)}×; bare fetch given an AbortSignal, which the engine needs for timeouts and cancellation: ` +
            `${signalRatio(result).toFixed(3)}×).`,
        "The other rows are for information: `bare fetch + AbortSignal` is the part of the engine's cost that comes from giving",
        "each attempt a signal (needed for timeouts and cancellation); a cache miss adds a SHA-256 key, a SQLite lookup and a",
        "SQLite write (synchronous, on the event loop); a cache hit makes no request at all.",
        "",
        "## The engine's own code, without the network",
        "",
        "The same requests with `fetch` replaced by a stand-in that answers at once (so only JavaScript on this side is timed;",
        "stable on a busy machine). The difference is everything the engine does per request besides the HTTP exchange:",
        "validation, body building, the concurrency limiter, balancing, the per-attempt timer and AbortController, parsing,",
        "usage and cost.",
        "",
        "| | µs / request |",
        "|---|---:|",
        `| stand-in fetch + JSON body + parse | ${result.layer.bareUs} |`,
        `| OpenAIEngine.generate with the stand-in fetch | ${result.layer.engineUs} |`,
        `| **the engine's own cost** | **${result.layer.extraUs}** |`,
        ""
    ];
    return lines.join("\n");
}

await main();
