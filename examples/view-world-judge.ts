// Judge 200 world pairs with the world teacher (real Chain-of-Rubrics traces, a share of them wrong on
// purpose), write them as a run folder, and open the viewer over it. Offline, a few seconds.
//
//   npx tsx examples/view-world-judge.ts          # serves until Ctrl-C
//   npx tsx examples/view-world-judge.ts --once   # prints what the page would show, then stops
import {mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {Judge, WorldTeacher, generateWorldPairs, startViewer} from "../src/index.js";
import type {RunDetail, SamplesResponse} from "../src/index.js";

const dir = join("runs", "example-view-world");
mkdirSync(dir, {recursive: true});
const teacher = new WorldTeacher({error: 0.25, seed: 1});
const judge = new Judge(teacher, {profile: "rm-r1-instruct", seed: 7});
writeFileSync(join(dir, "run.json"), JSON.stringify({
    kind: "judge", config: {model: teacher.id, profile: "rm-r1-instruct", order: "random", seed: 7},
    engines: {judge: teacher.identity}, startedAt: new Date().toISOString()
}, null, 2));

// One line per judged pair: the judgment's facts, its raw output and CoR parse, and the pair's texts
// (so the page can find each quote in the reply it cites).
const lines: string[] = [];
for (const pair of generateWorldPairs({n: 200, seed: 3, level: "mix"})) {
    const j = await judge.judge(pair);
    lines.push(JSON.stringify({
        id: pair.id, domain: pair.domain, order_policy: "random", chosen_position: j.chosen_position,
        verdict: j.verdict, outcome: j.outcome, outputs: j.outputs.map((o) => o.text), cor: j.cor,
        usage: j.usage, latency_ms: j.latencyMs, pair: {prompt: pair.prompt, chosen: pair.chosen, rejected: pair.rejected}
    }));
}
writeFileSync(join(dir, "samples.jsonl"), lines.join("\n") + "\n");

const viewer = await startViewer({dir: "runs", port: 0});
console.log(`viewer: ${viewer.url}#/run/${encodeURIComponent("example-view-world")}`);

const api = async <T>(path: string) => (await fetch(new URL(path, viewer.url))).json() as Promise<T>;
const run = await api<RunDetail>(`/api/runs/${encodeURIComponent("example-view-world")}`);
const ev = run.eval!;
console.log(`${ev.total} samples: ${ev.results.correct} correct, ${ev.results.wrong} wrong, ${ev.results.error} parse errors`);
console.log(`position bias: accuracy ${pct(ev.bias.chosenInA.accuracy)} with the chosen reply in A, ${pct(ev.bias.chosenInB.accuracy)} in B; ${pct(ev.bias.aShare)} A verdicts`);
for (const g of ev.groups) console.log(`  ${g.label}: ${pct(g.value)} (${g.count} pairs)`);
const wrong = await api<SamplesResponse>(`/api/runs/${encodeURIComponent("example-view-world")}/samples?result=wrong&limit=3`);
console.log(`first wrong verdicts: ${wrong.rows.map((r) => r.id).join(", ")}`);

if (process.argv.includes("--once")) await viewer.close();
else console.log("Ctrl-C to stop");

function pct(x: number | null): string {
    return x == null ? "–" : `${(100 * x).toFixed(1)}%`;
}
