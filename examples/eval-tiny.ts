// An end-to-end benchmark evaluation, offline: a freshly initialised tiny native model judges a slice of
// RewardBench, RM-Bench and RMB (the small fixtures in test/fixtures/bench/, in the real layouts), then the
// run is resumed. An untrained model writes noise, so nearly every verdict is an error and the scores are
// near 0: what this shows is the machinery (seeded A/B orders, the run folder, partial-data notes, exact
// scores, resume). Put a trained checkpoint (`native:runs/<name>/checkpoints/step-N`) or a served RM-R1
// model (`openai:gaotang/RM-R1-Qwen2.5-Instruct-7B` with `engineOptions: {baseUrls: ...}`) in `model` to
// evaluate for real.
//   npx tsx examples/eval-tiny.ts
import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {initParams, modelPresets, runEval, saveCheckpoint} from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-eval-example-"));
const fixtures = fileURLToPath(new URL("../test/fixtures/bench/", import.meta.url));

// A 4-layer d128 Llama with the byte tokenizer, random weights (seed 0), as an rmr1 checkpoint.
const checkpoint = join(dir, "model");
await saveCheckpoint(checkpoint, {config: modelPresets.tiny, params: initParams(modelPresets.tiny, 0)});

const out = join(dir, "run");
const options = {
    model: `native:${checkpoint}`,
    benchmark: "all" as const,
    source: {"rewardbench": join(fixtures, "rewardbench"), "rm-bench": join(fixtures, "rm-bench"), "rmb": join(fixtures, "rmb", "RMB_dataset")},
    // The fixtures' texts are short; real benchmark prompts need a model with a longer context and the RM-R1 profile.
    profile: "tiny" as const,
    maxTokens: 48,
    out
};
const result = await runEval({
    ...options,
    onStart: (s) => console.log(`judging ${JSON.stringify(s.comparisons)} with ${s.engine}, max tokens ${s.maxTokens} → ${s.dir}`),
    onProgress: (p) => {
        if (p.done === p.total) console.log(`  ${p.done}/${p.total} judged, ${p.errors} without a parsable verdict`);
    }
});
console.log("\nscores (fractions; * = partial data):");
for (const b of result.benchmarks) {
    const s = result.scores[b] as {score: number, partial?: true};
    console.log(`  ${b.padEnd(11)} ${s.score.toFixed(4)}${s.partial ? "*" : ""}   ${result.missing[b]?.length ?? 0} notes on missing data, e.g. "${result.missing[b]?.[0]}"`);
}
console.log(`  average     ${(result.scores.average as number).toFixed(4)}`);

// One line of samples.jsonl: ids, the seeded order, the raw output, the verdict and outcome, the pair.
const line = JSON.parse(readFileSync(result.files.samples, "utf8").split("\n")[0]) as Record<string, unknown> & {outputs: {text: string}[]};
console.log(`\nfirst sample: ${line.id} chosen shown as ${line.chosen_position}, verdict ${line.verdict}, outcome ${line.outcome}, ` +
    `output ${JSON.stringify(line.outputs[0].text.slice(0, 40))}…`);

// Running it again resumes: nothing is judged twice.
const again = await runEval(options);
console.log(`\nrerun: ${again.written} judged, ${again.resumed} already in the run; scores unchanged: ${JSON.stringify(again.scores) === JSON.stringify(result.scores)}`);
console.log(`run folder: ${out} (run.json, samples.jsonl, scores.json, report.md)`);
