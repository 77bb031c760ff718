// A scalar Bradley–Terry reward model on a real tiny native model: pairwise accuracy rises from
// chance, the saved model scores conversations through `BradleyTerryScorer`, and resume is exact.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {Aborted} from "../src/errors.js";
import {Rng} from "../src/protocol/rng.js";
import {BradleyTerryScorer} from "../src/train/BradleyTerryScorer.js";
import {trainBradleyTerry, type BradleyTerryTrainOptions} from "../src/train/trainBradleyTerry.js";
import {saveRandomModel, stepMetrics, weightBytes} from "./trainHelpers.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-train-bt-"));
let base: string;
let data: string;
beforeAll(async () => {
    base = await saveRandomModel(join(dir, "base"), 3);
    // The better reply does what the prompt asks ("Say yes" → "yes"): the score must read the prompt.
    const rng = new Rng(11);
    const words = ["yes", "no"];
    const rows = Array.from({length: 1000}, (_, i) => {
        const w = rng.int(0, 1);
        return JSON.stringify({id: `q${i}`, prompt: `Say ${words[w]} (item ${rng.int(0, 99)}).`, chosen: words[w], rejected: words[1 - w]});
    });
    data = join(dir, "pairs.jsonl");
    writeFileSync(data, rows.join("\n") + "\n");
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const options = (out: string, extra: Partial<BradleyTerryTrainOptions> = {}): BradleyTerryTrainOptions => ({
    model: base, data, out: join(dir, out), batchSize: 16, lr: 3e-3, evalFraction: 0.1, evalEvery: 20, ...extra
});

describe("trainBradleyTerry", () => {
    it("raises held-out pairwise accuracy from chance, and the scorer ranks the pairs", async () => {
        const r = await trainBradleyTerry(options("bt", {maxSteps: 50}));
        // Measured (base seeds 3–5): held-out accuracy 0.37–0.63 at init (loss 0.693), 1.00 from
        // step 10 on; held-out loss 0.011–0.020 at step 50.
        expect(r.metrics.initialEvalAccuracy!).toBeLessThan(0.7);
        expect(r.metrics.evalAccuracy!).toBeGreaterThan(0.9);
        expect(r.metrics.evalLoss!).toBeLessThan(0.3);
        const scorer = await BradleyTerryScorer.load(r.modelDir);
        const [a, b] = scorer.scorePairs([
            {prompt: [{role: "user", content: "Say no (item 3)."}], chosen: [{role: "assistant", content: "no"}], rejected: [{role: "assistant", content: "yes"}]},
            {prompt: [{role: "user", content: "Say yes (item 41)."}], chosen: [{role: "assistant", content: "yes"}], rejected: [{role: "assistant", content: "no"}]}
        ]);
        expect(a.chosen).toBeGreaterThan(a.rejected);
        expect(b.chosen).toBeGreaterThan(b.rejected);
        expect(scorer.score([[{role: "user", content: "Say no (item 3)."}, {role: "assistant", content: "no"}]])[0]).toBeCloseTo(a.chosen, 5);
        scorer.dispose();
    });

    it("resumes after an abort to the same weights and head, bit for bit", async () => {
        const full = await trainBradleyTerry(options("full", {maxSteps: 10, checkpointEvery: 4}));
        const controller = new AbortController();
        await expect(trainBradleyTerry(options("stopped", {maxSteps: 10, checkpointEvery: 4, signal: controller.signal, onProgress: (p) => {
            if (p.step === 6) controller.abort();
        }}))).rejects.toThrow(Aborted);
        const resumed = await trainBradleyTerry(options("stopped", {maxSteps: 10, checkpointEvery: 4}));
        expect(weightBytes(resumed.modelDir).equals(weightBytes(full.modelDir))).toBe(true);
        const head = (d: string) => readFileSync(join(d, "head.safetensors"));
        expect(head(resumed.modelDir).equals(head(full.modelDir))).toBe(true);
        expect(stepMetrics(resumed.runDir).map((m) => m.loss)).toEqual(stepMetrics(full.runDir).map((m) => m.loss));
    });
});
