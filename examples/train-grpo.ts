// GRPO with the verifiable +1/−1 reward on a small judge task, then PPO on the same data, printing
// the reward curve. Run: npx tsx examples/train-grpo.ts   (about 20 s on 2 cores; offline)
//
// The task: "Which is good?" with the replies "good" and "bad". A tiny model is first SFT'd on
// noisy traces (the verdict is a coin flip on 60 % of them), so it writes the answer format but is
// often wrong; GRPO then raises the reward.
import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {NativeModel, Rng, renderPair, saveCheckpoint, trainGrpo, trainSft} from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-example-grpo-"));
const rng = new Rng(7);
const sft: string[] = [], pairs: string[] = [];
for (let i = 0; i < 600; i++) {
    const pair = {prompt: [{role: "user" as const, content: `Which is good? (item ${i})`}], chosen: [{role: "assistant" as const, content: "good"}], rejected: [{role: "assistant" as const, content: "bad"}]};
    const rendered = renderPair(pair, rng.next() < 0.5 ? "chosen-first" : "chosen-second", {profile: "tiny"});
    const verdict = rng.next() < 0.6 ? (rng.next() < 0.5 ? "A" : "B") : rendered.label === "model_a" ? "A" : "B";
    sft.push(JSON.stringify({messages: [...rendered.messages, {role: "assistant", content: `<answer>[[${verdict}]]</answer>`}]}));
    pairs.push(JSON.stringify(pair));
}
writeFileSync(join(dir, "sft.jsonl"), sft.join("\n") + "\n");
writeFileSync(join(dir, "pairs.jsonl"), pairs.join("\n") + "\n");

const config = {vocabSize: 264, dModel: 32, nLayers: 2, nHeads: 2, nKvHeads: 2, dFF: 64, maxSeqLen: 128, ropeTheta: 10000, rmsNormEps: 1e-5, tiedEmbeddings: false};
const init = await NativeModel.init(config, {seed: 1});
await saveCheckpoint(join(dir, "base"), {config, params: init.paramMap()});
const judge = await trainSft({model: join(dir, "base"), data: join(dir, "sft.jsonl"), out: join(dir, "sft"), preset: "tiny", batchSize: 16, lr: 3e-3, epochs: 10, maxSteps: 300, evalFraction: 0});

for (const algo of ["grpo", "ppo"] as const) {
    const r = await trainGrpo({
        model: judge.modelDir, data: join(dir, "pairs.jsonl"), out: join(dir, algo), algo, preset: "tiny",
        batchSize: 8, miniBatchSize: 8, microBatchSize: 56, lr: 1e-3, criticLr: 1e-3, klCoef: 0.01, maxPromptTokens: 64, maxResponseTokens: 32, maxSteps: 60
    });
    const rewards = readFileSync(join(r.runDir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).reward as number);
    console.log(`${algo}: mean reward ${r.metrics.firstReward.toFixed(2)} (first 5 steps) → ${r.metrics.lastReward.toFixed(2)} (last 5), KL ${r.metrics.kl.toFixed(4)}`);
    console.log("  per step:", rewards.map((x) => x.toFixed(2)).join(" "));
}
process.exit(0);
