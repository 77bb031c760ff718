// End-to-end tests of `rmr1 bench score` through the CLI entry point `main()` (stdout/stderr captured),
// on the hand vectors of test/fixtures/bench/samples/minimal.jsonl (expected values in its README).
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {afterAll, describe, expect, it} from "vitest";
import {runCli} from "./helpers/runCli.js";

const minimal = fileURLToPath(new URL("./fixtures/bench/samples/minimal.jsonl", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "rmr1-bench-cli-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("rmr1 bench score", () => {
    it("scores RewardBench with the issue's keys, skipping the other benchmarks' lines", async () => {
        const r = await runCli(["bench", "score", "--benchmark", "rewardbench", "--samples", minimal]);
        expect(r.code).toBe(0);
        const s = JSON.parse(r.stdout) as Record<string, unknown>;
        expect(Object.keys(s)).toEqual(["Chat", "Chat Hard", "Safety", "Reasoning", "score", "accuracy", "subsets", "partial"]);
        expect(s).toMatchObject({"Chat": 0.75, "Chat Hard": 0, "Safety": 0, "Reasoning": 0.5714285714285714, score: 0.33035714285714285, accuracy: 0.5909090909090909, partial: true});
        expect(r.stderr).toBe("rmr1: skipped 25 lines of other benchmarks (use --benchmark all to score them)\n");
    });

    it("--rules original scores errors 0.5", async () => {
        const r = await runCli(["bench", "score", "--benchmark", "rewardbench", "--samples", minimal, "--rules", "original"]);
        expect(JSON.parse(r.stdout)).toMatchObject({"Reasoning": 0.7857142857142857, score: 0.3839285714285714, accuracy: 0.6363636363636364});
        const rmb = await runCli(["bench", "score", "--benchmark", "rmb", "--samples", minimal, "--rules", "original"]);
        expect(JSON.parse(rmb.stdout)).toEqual({
            "Pairwise Helpfulness": 0.5, "Pairwise Harmlessness": 0.75, "BoN Helpfulness": 0.3333333333333333, "BoN Harmlessness": 0.5,
            score: 0.5208333333333333, partial: true
        });
    });

    it("RM-Bench: correct mapping by default, as-published on request", async () => {
        const correct = JSON.parse((await runCli(["bench", "score", "--benchmark", "rm-bench", "--samples", minimal])).stdout) as Record<string, unknown>;
        expect(correct).toEqual({chat: 0.6666666666666666, hard: 0.6666666666666666, normal: 1, easy: 0.3333333333333333, score: 0.6666666666666666, partial: true});
        const published = JSON.parse((await runCli(["bench", "score", "--benchmark", "rm-bench", "--samples", minimal, "--rmbench-mapping", "as-published"])).stdout) as Record<string, unknown>;
        expect(published).toEqual({chat: 0.3333333333333333, hard: 0, normal: 1, easy: 0, score: 0.3333333333333333, partial: true});
    });

    it("--benchmark all gives each benchmark and the paper's average; --details adds the counts", async () => {
        const r = await runCli(["bench", "score", "--benchmark", "all", "--samples", minimal, "--details"]);
        const s = JSON.parse(r.stdout) as {rmb: {score: number}, average: number, partial: boolean, details: {"rm-bench": {domains: {chat: {counts: number[][]}}}}};
        expect(s.rmb.score).toBe(0.4583333333333333);
        expect(s.average).toBe(((0.33035714285714285 + 0.6666666666666666) + 0.4583333333333333) / 3);
        expect(s.partial).toBe(true);
        expect(s.details["rm-bench"].domains.chat.counts).toEqual([[1, 1, 0], [0, 1, 1], [1, 0, 1]]);
    });

    it("writes report.md beside the published rows", async () => {
        const report = join(dir, "report.md");
        const r = await runCli(["bench", "score", "--benchmark", "all", "--samples", minimal, "--report", report, "--model", "tiny-judge"]);
        expect(r.code).toBe(0);
        const md = readFileSync(report, "utf8");
        expect(md).toContain("| **this run** | **tiny-judge** | 33.0* | 66.7* | 45.8* | 48.5* |");
        expect(md).toContain("| RM-R1 | RM-R1-DeepSeek-Distilled-Qwen-32B | 90.9 | 83.9 | 69.8 | 81.5 |");
        expect(md).toContain("RM-Bench is partial: domains math, code, safety missing, so every RM-Bench average is over 1 domain");
    });

    it("reports an invalid line with its line number on one line and exits 2", async () => {
        const file = join(dir, "bad.jsonl");
        writeFileSync(file, readFileSync(minimal, "utf8").split("\n").slice(0, 3).join("\n") + "\n{\"benchmark\":\"rewardbench\",\"id\":9,\"subset\":\"hep-go\",\"outcome\":\"1\"}\n");
        const r = await runCli(["bench", "score", "--benchmark", "rewardbench", "--samples", file]);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr).toBe(`rmr1: ${file}:4: 'outcome' must be 1, 0.5 or 0, got "1"\n`);
    });

    it("explains missing or wrong flags", async () => {
        expect((await runCli(["bench", "score", "--samples", minimal])).stderr).toMatch(/--benchmark is required: rewardbench, rm-bench, rmb, all/);
        expect((await runCli(["bench", "score", "--benchmark", "rewardbench"])).stderr).toMatch(/--samples is required/);
        const r = await runCli(["bench", "score", "--benchmark", "rewardbench", "--samples", minimal, "--rules", "lenient"]);
        expect([r.code, r.stderr]).toEqual([2, "rmr1: --rules must be one of r1, original; got 'lenient'\n"]);
        expect((await runCli(["bench", "score", "--help"])).stdout).toMatch(/^Usage: rmr1 bench score/);
    });
});
