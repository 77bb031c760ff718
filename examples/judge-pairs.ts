// Judging and ranking with rmr1's judge layer, offline: the quickstart world's programmatic teacher
// (`world:teacher`, wrong on 30% of its judgements, independently per sampling seed) plays the
// judge. Shows a resumable judging run with its summary, what voting over samples buys, both-order
// judging, ranking N candidates and a reward for RLHF. Point `--model`-style provider strings at a
// real judge (e.g. a served RM-R1 checkpoint) to do the same for real.
//   npx tsx examples/judge-pairs.ts
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {Judge, createEngine, generateWorldPairs, judgeFile, rankCandidates, referenceReward} from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-judge-example-"));
const input = join(dir, "pairs.jsonl");
const pairs = [...generateWorldPairs({n: 200, seed: 3, family: "all", level: 1})];
writeFileSync(input, pairs.map((p) => JSON.stringify(p)).join("\n") + "\n");
console.log(`${pairs.length} world pairs, e.g. ${JSON.stringify(pairs[0])}\n`);

const teacher = await createEngine("world:teacher?error=0.3&seed=1");

// One seeded random order per pair (the reference protocol), then 5 votes at temperature 1, then both orders.
for (const [name, options] of [
    ["random order, 1 sample ", {}],
    ["random order, 5 votes  ", {samples: 5}],
    ["both orders, 1 sample  ", {order: "both" as const}]
] as const) {
    const judge = new Judge(teacher, {profile: "tiny", seed: 1, ...options});
    const output = join(dir, `${name.trim().replace(/[ ,]+/g, "-")}.jsonl`);
    const {summary} = await judgeFile({judge, input, output, concurrency: 8});
    console.log(`${name} accuracy ${summary.accuracy!.toFixed(3)}  ties ${summary.tie_rate!.toFixed(3)}` +
        `  consistency ${summary.position_consistency?.toFixed(3) ?? "n/a"}  calls ${summary.outputs}  → ${output}`);
}

// Rank five answers to one arithmetic question: a knockout (4 comparisons) and Bradley–Terry (10), with
// a better judge (wrong 10% of the time) voting 3 times in each order. Two correct answers compete, and
// wrong-vs-wrong matches are arbitrary; one wrong verdict can still knock the best out of a knockout.
const better = await createEngine("world:teacher?error=0.1&seed=1");
const judge = new Judge(better, {profile: "tiny", order: "both", samples: 3, seed: 2});
const prompt = [{role: "user" as const, content: "Compute 12 + 7."}];
const candidates = ["Answer: 18", "12 + 7 = 19\nAnswer: 19", "Answer: 21", "Answer: 19", "12 + 7 = 17\nAnswer: 17"];
for (const method of ["knockout", "bt"] as const) {
    const r = await rankCandidates(judge, {id: "sum", prompt, candidates}, {method});
    console.log(`\n${method}: best ${JSON.stringify(candidates[r.best])}, ranking ${r.ranking.join(" > ")}, ${r.comparisons.length} comparisons` +
        (r.win_rates != null ? `, win rates ${r.win_rates.map((w) => w.toFixed(2)).join(" ")}` : ""));
}

// A policy's answer against a reference answer: +1 when the judge prefers it in both orders (0 on a split).
const {reward} = await referenceReward(judge, {prompt, response: "Answer: 19", reference: "Answer: 18"});
console.log(`\nreward of "Answer: 19" against the reference "Answer: 18": ${reward}`);
await teacher.close();
await better.close();
