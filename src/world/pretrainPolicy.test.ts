import {existsSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {loadCheckpoint} from "../native/checkpoint/loadCheckpoint.js";
import {modelPresets} from "../native/model/ModelConfig.js";
import {policyQuestions} from "./evaluatePolicy.js";
import {pretrainPolicy} from "./pretrainPolicy.js";
import {questionSplit} from "./splits.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-pretrain-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

// A very small model so the test takes seconds; the shipped base is the `tiny` preset.
const config = {...modelPresets.tiny, dModel: 32, nLayers: 1, nHeads: 2, nKvHeads: 2, dFF: 64, maxSeqLen: 256};

describe("pretrainPolicy", () => {
    it("asks only held-out questions, up to the requested number per family and level", () => {
        const qs = policyQuestions({perCell: 20, seed: 3});
        for (const q of qs) expect(questionSplit(q.question)).toBe("test");
        expect(qs.filter((q) => q.family === "arith" && q.level === 2)).toHaveLength(20);
        // The level-1 list space holds out 4 questions.
        expect(qs.filter((q) => q.family === "lists" && q.level === 1)).toHaveLength(4);
    });

    it("trains a base from scratch, lowers the loss, scores it as a policy and resumes without retraining", async () => {
        const out = join(dir, "run");
        const lines: string[] = [];
        const r = await pretrainPolicy({out, steps: 30, batchSize: 16, microBatchSize: 16, lr: 1e-2, seed: 4, config, evalPerCell: 3, threads: 1, log: (l) => lines.push(l)});
        expect(r.steps).toBe(30);
        expect(r.examples).toBe(30 * 16);
        expect(r.trainSeconds).toBeGreaterThan(0);
        const metrics = readFileSync(join(out, "train", "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as {step: number, evalLoss?: number});
        const evals = metrics.filter((m) => m.evalLoss != null);
        expect(evals[evals.length - 1].evalLoss!).toBeLessThan(evals[0].evalLoss! - 1);
        // 3 arith questions per level and the held-out list questions, each scored.
        const samples = readFileSync(join(out, "policy-samples.jsonl"), "utf8").trim().split("\n");
        expect(samples.length).toBe(r.policyAccuracy.find((row) => row.family === "all")!.n);
        expect(r.policyAccuracy.find((row) => row.family === "arith" && row.level === 1)!.n).toBe(3);
        // Lists are sampled 10 times per question (3 level-1 list questions asked).
        expect(r.policyAccuracy.find((row) => row.family === "lists" && row.level === 1)!.n).toBe(30);

        const meta = (await loadCheckpoint(r.modelDir)).meta;
        expect(meta).toMatchObject({kind: "world-policy-base", seed: 4, step: 30, pretraining: {steps: 30, examples: 480}});
        expect(meta.policyAccuracy).toEqual(r.policyAccuracy);
        expect(readFileSync(join(out, "report.md"), "utf8")).toContain("## Accuracy as a policy");

        const again = await pretrainPolicy({out, steps: 30, batchSize: 16, microBatchSize: 16, lr: 1e-2, seed: 4, config, evalPerCell: 3, threads: 1});
        expect(again.steps).toBe(30);
        expect(again.trainSeconds).toBe(r.trainSeconds);
        await expect(pretrainPolicy({out, steps: 30, batchSize: 16, microBatchSize: 16, lr: 3e-3, seed: 4, config, threads: 1})).rejects.toThrow(/option 'lr'/);
        expect(existsSync(join(out, "init", "model.safetensors"))).toBe(true);
    }, 120_000);
});
