// End-to-end SFT on real tiny native models (a few seconds of CPU each): the held-out loss falls,
// bad and over-long rows are skipped and counted (or fail with --strict), and a run stopped at any
// point — by its abort signal or by SIGKILL of the process — resumes to the very same weights, bit
// for bit, as an uninterrupted run.
import {spawn} from "node:child_process";
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {Aborted, InvalidInput} from "../src/errors.js";
import {main} from "../src/cli/main.js";
import {trainSft, type SftOptions} from "../src/train/trainSft.js";
import {listCheckpointSteps} from "../src/train/trainerCheckpoint.js";
import {saveRandomModel, stepMetrics, weightBytes, writeJudgeTask} from "./trainHelpers.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-train-sft-"));
let base: string;
let data: {sft: string, pairs: string};
beforeAll(async () => {
    base = await saveRandomModel(join(dir, "base"), 1);
    data = writeJudgeTask(dir, {n: 400, seed: 5});
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const common = (out: string): SftOptions => ({
    model: base, data: data.sft, out: join(dir, out), preset: "tiny", batchSize: 16, microBatchSize: 8, lr: 3e-3, epochs: 3, evalFraction: 0.1, evalEvery: 10
});

describe("trainSft", () => {
    it("lowers the held-out loss and writes the run folder", async () => {
        const r = await trainSft({...common("fall"), maxSteps: 60});
        expect(r.steps).toBe(60);
        expect(r.metrics.initialEvalLoss).toBeGreaterThan(5); // ≈ ln 264 at init
        // Measured (base seeds 1–3): 5.57–5.58 → 1.39–1.46 in 60 steps; require at least a 3× drop.
        expect(r.metrics.evalLoss!).toBeLessThan(r.metrics.initialEvalLoss! / 3);
        const run = JSON.parse(readFileSync(join(r.runDir, "run.json"), "utf8"));
        expect(run.kind).toBe("sft");
        expect(run.config).toMatchObject({lr: 3e-3, batchSize: 16, microBatchSize: 8, seed: 42, weightDecay: 0.1, aggregation: "seq-mean"});
        expect(run.seeds).toEqual({seed: 42});
        const m = stepMetrics(r.runDir);
        expect(m).toHaveLength(60);
        for (const key of ["loss", "lr", "gradNorm", "tokens", "trainedTokens", "tokensPerSecond", "seconds"]) expect(typeof m[59][key]).toBe("number");
        // Warm-up: ceil(60 · 0.03) = 2 steps, so step 1 runs at LR 0; the cosine ends near 0.1 × peak.
        expect(m[0].lr).toBe(0);
        expect(m[59].lr).toBeCloseTo(3e-4, 5);
        expect(existsSync(join(r.modelDir, "model.safetensors"))).toBe(true);
        expect(listCheckpointSteps(join(r.runDir, "checkpoints"))).toEqual([50, 60]);
    });

    it("skips and counts bad and over-long rows, or fails on the first with strict", async () => {
        const rows = readFileSync(data.sft, "utf8").trim().split("\n").slice(0, 40);
        rows.splice(3, 0, JSON.stringify({context_messages: [{role: "user", content: "x"}], winner: "model_a"}));
        rows.splice(7, 0, JSON.stringify({question: "no known shape"}));
        rows.splice(9, 0, JSON.stringify({prompt: "q", completion: "x".repeat(300)}));
        const file = join(dir, "messy.jsonl");
        writeFileSync(file, rows.join("\n") + "\n");
        const r = await trainSft({...common("messy"), data: file, maxSteps: 2, evalFraction: 0});
        expect(r.skipped).toEqual({badRows: 2, overlong: 1});
        const scores = JSON.parse(readFileSync(join(r.runDir, "scores.json"), "utf8"));
        expect(scores.skipped.examples[0].location).toBe(`${file}:4`);
        expect(scores.skipped.examples[0].message).toMatch(/winner.*label model_a, not a reasoning trace/);
        const strict = trainSft({...common("strict"), data: file, maxSteps: 2, strict: true});
        await expect(strict).rejects.toThrow(InvalidInput);
        await expect(strict).rejects.toThrow(`${file}:4`);
    });

    it("resumes after an abort to the same weights as an uninterrupted run, bit for bit", async () => {
        const full = await trainSft({...common("full"), maxSteps: 24, checkpointEvery: 5});
        const controller = new AbortController();
        const stopped = trainSft({...common("stopped"), maxSteps: 24, checkpointEvery: 5, signal: controller.signal, onProgress: (p) => {
            if (p.step === 7) controller.abort();
        }});
        await expect(stopped).rejects.toThrow(Aborted);
        expect(listCheckpointSteps(join(dir, "stopped", "checkpoints"))).toEqual([5, 7]);
        expect(existsSync(join(dir, "stopped", "model"))).toBe(false);
        const resumed = await trainSft({...common("stopped"), maxSteps: 24, checkpointEvery: 5});
        expect(resumed.steps).toBe(24);
        expect(weightBytes(resumed.modelDir).equals(weightBytes(full.modelDir))).toBe(true);
        // The log has each step once, with the same losses.
        expect(stepMetrics(resumed.runDir).map((m) => m.loss)).toEqual(stepMetrics(full.runDir).map((m) => m.loss));
        // A finished run started again does nothing and reports the same result.
        const again = await trainSft({...common("stopped"), maxSteps: 24, checkpointEvery: 5});
        expect(again.steps).toBe(24);
        expect(again.metrics.loss).toBe(full.metrics.loss);
        // Changing an option that changes the result is refused.
        await expect(trainSft({...common("stopped"), maxSteps: 24, lr: 1e-3})).rejects.toThrow(/option 'lr' was 0.003 and is now 0.001/);
    });

    it("gives the same weights on 1 and 2 kernel threads (so --threads may change on resume)", async () => {
        const one = await trainSft({...common("threads-1"), maxSteps: 6, threads: 1});
        const two = await trainSft({...common("threads-2"), maxSteps: 6, threads: 2});
        expect(weightBytes(one.modelDir).equals(weightBytes(two.modelDir))).toBe(true);
    });

    it("resumes after SIGKILL of the CLI process mid-run to the same weights", async () => {
        const args = (out: string) => ["train", "sft", "--model", base, "--data", data.sft, "--out", join(dir, out), "--preset", "tiny",
            "--batch-size", "16", "--micro-batch-size", "8", "--lr", "3e-3", "--epochs", "3", "--max-steps", "60", "--eval-fraction", "0",
            "--checkpoint-every", "4", "--quiet"];
        const entry = join(dir, "cli.mts");
        writeFileSync(entry, `import {main} from ${JSON.stringify(resolve("src/cli/main.ts"))};\nprocess.exitCode = await main(process.argv.slice(2));\n`);
        const child = spawn(process.execPath, ["--import", "tsx", entry, ...args("killed")], {cwd: resolve("."), stdio: "ignore"});
        const metricsFile = join(dir, "killed", "metrics.jsonl");
        // Kill it as soon as it has logged more than 10 steps (wherever it is: mid-step or mid-checkpoint).
        await new Promise<void>((done, fail) => {
            const timer = setInterval(() => {
                const lines = existsSync(metricsFile) ? readFileSync(metricsFile, "utf8").split("\n").length - 1 : 0;
                if (lines > 10) {
                    clearInterval(timer);
                    child.kill("SIGKILL");
                    done();
                }
            }, 5);
            child.on("exit", () => {
                clearInterval(timer);
                fail(new Error("the child finished before it could be killed"));
            });
        });
        await new Promise((r) => child.once("exit", r));
        expect(existsSync(join(dir, "killed", "model"))).toBe(false);
        const killedAt = listCheckpointSteps(join(dir, "killed", "checkpoints"));
        expect(killedAt.length).toBeGreaterThan(0);
        expect(Math.max(...killedAt)).toBeLessThan(60);
        expect(await quietly(() => main(args("killed")))).toBe(0);
        expect(await quietly(() => main(args("uninterrupted")))).toBe(0);
        expect(weightBytes(join(dir, "killed", "model")).equals(weightBytes(join(dir, "uninterrupted", "model")))).toBe(true);
        expect(stepMetrics(join(dir, "killed")).map((m) => m.step)).toEqual(Array.from({length: 60}, (_, i) => i + 1));
    });
});

/** Run with stdout silenced (the CLI prints a summary). */
async function quietly(f: () => Promise<number>): Promise<number> {
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
        return await f();
    } finally {
        process.stdout.write = write;
    }
}
