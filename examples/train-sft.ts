// SFT of a small native judge on the world's reasoning traces, then a look at what it writes.
// Run: npx tsx examples/train-sft.ts   (about 40 s on 2 cores; offline). After 250 steps the judge
// writes well-formed traces; getting the arithmetic right takes a pretrained base (docs/world.md).
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {
    generateTokens, generateWorldPairs, NativeModel, renderPair, saveCheckpoint, trainSft, WorldTeacher, ByteTokenizer, loadCheckpoint
} from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-example-sft-"));

// 1. Data: world pairs in the tiny profile, with the world teacher's Chain-of-Rubrics traces.
const teacher = new WorldTeacher({seed: 1});
const rows: string[] = [];
let i = 0;
for (const pair of generateWorldPairs({n: 600, seed: 1000, level: 1, family: "arith"})) {
    const rendered = renderPair(pair, i++ % 2 === 0 ? "chosen-first" : "chosen-second", {profile: "tiny"});
    const [result] = await teacher.generate([{messages: rendered.messages}]);
    rows.push(JSON.stringify({messages: [...rendered.messages, {role: "assistant", content: result.completions[0].text}]}));
}
writeFileSync(join(dir, "traces.jsonl"), rows.join("\n") + "\n");

// 2. A small random model (d64, 2 layers) as the starting point.
const config = {vocabSize: 264, dModel: 64, nLayers: 2, nHeads: 2, nKvHeads: 2, dFF: 160, maxSeqLen: 384, ropeTheta: 10000, rmsNormEps: 1e-5, tiedEmbeddings: false};
const init = await NativeModel.init(config, {seed: 1});
await saveCheckpoint(join(dir, "base"), {config, params: init.paramMap()});

// 3. SFT with the tiny preset (batch 32, cosine with warm-up and a floor, clip 1.0).
const result = await trainSft({
    model: join(dir, "base"), data: join(dir, "traces.jsonl"), out: join(dir, "run"), preset: "tiny", lr: 3e-3, maxSteps: 250, epochs: 15,
    evalEvery: 20, progressBar: true
});
console.log(`held-out loss ${result.metrics.initialEvalLoss?.toFixed(3)} → ${result.metrics.evalLoss?.toFixed(3)} in ${result.steps} steps, ` +
    `${result.metrics.tokensPerSecond.toFixed(0)} tokens/s; model in ${result.modelDir}`);

// 4. What the trained judge writes for one (training) prompt, greedily.
const tokenizer = new ByteTokenizer();
const loaded = await loadCheckpoint(result.modelDir);
const model = await NativeModel.fromParams(loaded.config, loaded.params);
const prompt = JSON.parse(rows[0]).messages.slice(0, -1);
const [out] = await generateTokens(model, [tokenizer.applyChatTemplate(prompt)], {temperature: 0, maxTokens: 160});
console.log(prompt[1].content, "\n→", tokenizer.decode(out.tokens));
process.exit(0);
