// `npm run bench:serve-soak [-- --minutes N]`: sustained load on `rmr1 serve` (default 10 minutes)
// while sampling the server's memory, to show whether it stays flat. The server runs in its own
// process with the instant test engine (so the server's own code path, not a model, is what runs
// millions of times), under a mix of routes cycled by 32 connections: /v1/judge, /get_reward,
// /v1/chat/completions, /v1/rank and a malformed request (400). Every second the soak reads
// process_resident_memory_bytes and nodejs_heap_used_bytes from /metrics.
//
// Flatness: the run is cut into 10 windows; the first is warm-up. The heap's minimum in a window (its
// level after a collection) is compared between window 2 and window 10, and a least-squares slope is
// fitted over windows 2-10. Flat when the growth is under 10% or 5 MB. Writes
// bench/results/serve-soak.md and .json.
import {spawn} from "node:child_process";
import {mkdirSync, writeFileSync} from "node:fs";
import {cpus, loadavg} from "node:os";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {parseArgs} from "node:util";
import autocannon from "autocannon";

const here = dirname(fileURLToPath(import.meta.url));
const {values} = parseArgs({options: {minutes: {type: "string"}}});
const minutes = Number(values.minutes ?? process.env.BENCH_SOAK_MINUTES ?? 10);
if (!(minutes > 0)) throw new Error(`--minutes must be a positive number, got ${values.minutes}`);

interface Sample {
    t: number;
    rss: number;
    heap: number;
    requests: number;
}

async function main(): Promise<void> {
    const started = new Date();
    const child = spawn(process.execPath, ["--import", "tsx", join(here, "serve-server.ts"), "instant"], {
        stdio: ["ignore", "pipe", "inherit"], env: {...process.env, BENCH_SERVE_LIMITS: JSON.stringify({maxConcurrent: 64, maxQueue: 1024})}
    });
    const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (d) => {
            out += d;
            const m = /READY (\S+)/.exec(out);
            if (m != null) resolve(m[1]);
        });
        child.on("exit", (code) => reject(new Error(`server exited (${code})`)));
    });
    const json = {"content-type": "application/json"};
    const pair = {prompt: [{role: "user", content: "2+2?"}], chosen: [{role: "assistant", content: "4"}], rejected: [{role: "assistant", content: "5"}]};
    const requests = [
        {method: "POST", path: "/v1/judge", headers: json, body: JSON.stringify(pair)},
        {method: "POST", path: "/get_reward", headers: json, body: JSON.stringify({query: ["P<answer>[[A]]</answer>"], prompts: ["P"], labels: ["model_a"]})},
        {method: "POST", path: "/v1/chat/completions", headers: json, body: JSON.stringify({messages: [{role: "user", content: "hi"}], max_tokens: 8})},
        {method: "POST", path: "/v1/rank", headers: json, body: JSON.stringify({prompt: pair.prompt, candidates: ["4", "5", "four"], method: "bt"})},
        {method: "POST", path: "/v1/judge", headers: json, body: "{\"pairs\": ["}
    ];
    const samples: Sample[] = [];
    const t0 = Date.now();
    const sample = async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
        const requests = [...text.matchAll(/^rmr1_requests_total\{[^}]*\} (\S+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
        samples.push({t: (Date.now() - t0) / 1000, rss: read("process_resident_memory_bytes"), heap: read("nodejs_heap_used_bytes"), requests});
    };
    await sample();
    const timer = setInterval(() => void sample(), 1000);
    process.stderr.write(`soak: ${minutes} min against ${url}\n`);
    const result = await autocannon({url, connections: 32, duration: Math.round(minutes * 60), timeout: 30, requests});
    clearInterval(timer);
    await sample();
    child.kill("SIGTERM");

    const total = samples.at(-1)!.t;
    const windows = Array.from({length: 10}, (_, w) => samples.filter((s) => s.t >= (w * total) / 10 && s.t < ((w + 1) * total) / 10 + 1e-9));
    const perWindow = windows.map((ws, w) => ({
        window: w + 1,
        heapMinMB: Math.min(...ws.map((s) => s.heap)) / 2 ** 20,
        rssMaxMB: Math.max(...ws.map((s) => s.rss)) / 2 ** 20
    }));
    const steady = perWindow.slice(1);
    const slope = fitSlope(steady.map((w) => (w.window - 0.5) * total / 10 / 60), steady.map((w) => w.heapMinMB));
    const first = steady[0];
    const last = steady.at(-1)!;
    const heapGrowthMB = last.heapMinMB - first.heapMinMB;
    const rssGrowthMB = last.rssMaxMB - first.rssMaxMB;
    const flat = heapGrowthMB < Math.max(5, 0.1 * first.heapMinMB);
    const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([c, s]) => [c, s.count]));
    const report = {
        started: started.toISOString(), minutes, machine: {cpus: cpus().length, loadavg: loadavg(), node: process.version},
        requests: samples.at(-1)!.requests, statuses, errors: result.errors, timeouts: result.timeouts,
        heap: {window2MB: first.heapMinMB, window10MB: last.heapMinMB, growthMB: heapGrowthMB, slopeMBPerMin: slope},
        rss: {window2MB: first.rssMaxMB, window10MB: last.rssMaxMB, growthMB: rssGrowthMB},
        flat, perWindow, samples
    };
    mkdirSync(join(here, "results"), {recursive: true});
    writeFileSync(join(here, "results", "serve-soak.json"), JSON.stringify(report, null, 2) + "\n");
    const f = (x: number) => x.toFixed(1);
    writeFileSync(join(here, "results", "serve-soak.md"), `# rmr1 serve soak

\`npm run bench:serve-soak -- --minutes ${minutes}\` (bench/serve-soak.ts) on ${report.started}; machine:
${JSON.stringify(report.machine)}. The server (instant test engine, its own process) under 32 connections
cycling /v1/judge, /get_reward, /v1/chat/completions, /v1/rank and a malformed request, for ${minutes} min.

- Requests answered: **${report.requests}** (${(report.requests / (minutes * 60)).toFixed(0)} per second); statuses ${JSON.stringify(statuses)}
  (the 400s are the malformed request, on purpose); socket errors ${result.errors}, timeouts ${result.timeouts}.
- Heap after collections (minimum per window): window 2 ${f(first.heapMinMB)} MB → window 10 ${f(last.heapMinMB)} MB
  (${heapGrowthMB >= 0 ? "+" : ""}${f(heapGrowthMB)} MB; fitted slope ${slope.toFixed(3)} MB/min).
- Resident set (maximum per window): ${f(first.rssMaxMB)} MB → ${f(last.rssMaxMB)} MB (${rssGrowthMB >= 0 ? "+" : ""}${f(rssGrowthMB)} MB).
- Memory flat: **${flat ? "yes" : "NO"}** (heap growth under 10% or 5 MB between windows 2 and 10).

| window | heap min MB | RSS max MB |
|---:|---:|---:|
${perWindow.map((w) => `| ${w.window} | ${f(w.heapMinMB)} | ${f(w.rssMaxMB)} |`).join("\n")}
`);
    process.stderr.write(`soak: ${report.requests} requests, heap ${f(first.heapMinMB)} → ${f(last.heapMinMB)} MB, RSS ${f(first.rssMaxMB)} → ${f(last.rssMaxMB)} MB, flat: ${flat}\n`);
    if (!flat) process.exitCode = 1;
}

/** Least-squares slope of y over x. */
function fitSlope(x: number[], y: number[]): number {
    const n = x.length;
    const mx = x.reduce((a, b) => a + b, 0) / n;
    const my = y.reduce((a, b) => a + b, 0) / n;
    const sxy = x.reduce((s, xi, i) => s + (xi - mx) * (y[i] - my), 0);
    const sxx = x.reduce((s, xi) => s + (xi - mx) ** 2, 0);
    return sxx === 0 ? 0 : sxy / sxx;
}

void main();
