// A scalar Bradley–Terry reward model (the classic baseline): decoder + score head, pairwise
// logistic loss, then scoring new pairs. Run: npx tsx examples/train-bradley-terry.ts (seconds; offline)
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {BradleyTerryScorer, NativeModel, Rng, saveCheckpoint, trainBradleyTerry} from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-example-bt-"));
const rng = new Rng(11);
const words = ["yes", "no"];
const rows = Array.from({length: 1000}, (_, i) => {
    const w = rng.int(0, 1);
    return JSON.stringify({id: `q${i}`, prompt: `Say ${words[w]} (item ${rng.int(0, 99)}).`, chosen: words[w], rejected: words[1 - w]});
});
writeFileSync(join(dir, "pairs.jsonl"), rows.join("\n") + "\n");

const config = {vocabSize: 264, dModel: 32, nLayers: 2, nHeads: 2, nKvHeads: 2, dFF: 64, maxSeqLen: 128, ropeTheta: 10000, rmsNormEps: 1e-5, tiedEmbeddings: false};
const init = await NativeModel.init(config, {seed: 3});
await saveCheckpoint(join(dir, "base"), {config, params: init.paramMap()});

const r = await trainBradleyTerry({model: join(dir, "base"), data: join(dir, "pairs.jsonl"), out: join(dir, "bt"), lr: 3e-3, maxSteps: 50, evalEvery: 10});
console.log(`held-out pairwise accuracy ${r.metrics.initialEvalAccuracy} → ${r.metrics.evalAccuracy} in ${r.steps} steps`);

const scorer = await BradleyTerryScorer.load(r.modelDir);
const [s] = scorer.scorePairs([{prompt: [{role: "user", content: "Say no (item 7)."}], chosen: [{role: "assistant", content: "no"}], rejected: [{role: "assistant", content: "yes"}]}]);
console.log(`score("no") = ${s.chosen.toFixed(2)}, score("yes") = ${s.rejected.toFixed(2)}, P(no preferred) = ${(1 / (1 + Math.exp(s.rejected - s.chosen))).toFixed(3)}`);
process.exit(0);
