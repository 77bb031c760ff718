// End-to-end `rmr1 eval` with a real tiny model on the native engine (REAL MODEL TEST: the 1-layer d64
// verdict model of test/fixtures/judge/judgeModels.ts; at temperature 1 an output holds `[[X]]` with
// probability 0.35, so runs have right answers, wrong answers and verdict errors). The data is a slice
// of each benchmark in its real layout (test/fixtures/eval/: RewardBench and RM-Bench from
// test/fixtures/bench/, RMB as parquet written by the data layer). Checks the run folder, the score
// keys, the partial-data statements, the max-tokens clamp, and that scores.json is what
// `rmr1 bench score` computes from samples.jsonl.
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {evalVerdict, passPositions} from "../src/index.js";
import type {EvalSample} from "../src/index.js";
import {runCli} from "./helpers/runCli.js";
import {writeEvalBenchmarks} from "./fixtures/eval/evalFixtures.js";
import {judgeModelConfig, writeVerdictModel} from "./fixtures/judge/judgeModels.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-eval-"));
const model = `native:${join(dir, "verdict")}`;
let root: string;

beforeAll(async () => {
    await writeVerdictModel(join(dir, "verdict"));
    root = await writeEvalBenchmarks(join(dir, "benchmarks"));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, any>;
const samples = (out: string) => readFileSync(join(out, "samples.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as EvalSample);

describe("rmr1 eval (real tiny model, native engine)", () => {
    const out = join(dir, "all");
    let args: string[];
    beforeAll(() => {
        args = ["eval", "--model", model, "--benchmark", "all", "--source", root, "--limit", "1", "--profile", "tiny",
            "--temperature", "1", "--seed", "5", "--out", out, "-q"];
    });

    it("judges a slice of each benchmark into run.json, samples.jsonl, scores.json and report.md", async () => {
        const r = await runCli(args);
        expect(r.code).toBe(0);
        // --limit 1: one item per RewardBench subset (4), RM-Bench domain (2 prompts × 9), RMB section
        // (2 pairs, and BoN items with 2 and 3 losers: 7 comparisons).
        expect(r.stderr).toContain(`rmr1 eval: 29 comparisons (RewardBench 4, RM-Bench 18, RMB 7), judge ${model}, max tokens 1024 → ${out}`);
        expect(r.stderr).toContain("partial data: the scores will not be comparable with the published numbers:");
        expect(r.stdout).toContain(`judged 29 comparisons (29 new, 0 already in the run) → ${out}`);
        expect(r.stdout).toMatch(/RewardBench +\d+\.\d\*/);
        expect(r.stdout).toMatch(/Average +\d+\.\d\*/);
        expect(r.stdout).toContain("RM-Bench domain math is missing (529 prompts)");
        expect(r.stdout).toContain(`run folder ${out}: run.json, samples.jsonl, scores.json, report.md`);

        const info = read(join(out, "run.json"));
        expect(info).toMatchObject({kind: "eval", command: ["rmr1", ...args].join(" "), seeds: {order: 5}, partial: true});
        // The native engine's context is the default output limit.
        expect(info.config).toMatchObject({model, benchmarks: ["rewardbench", "rm-bench", "rmb"], limit: 1, profile: "tiny", order: "random",
            seed: 5, temperature: 1, max_tokens: judgeModelConfig.maxSeqLen});
        expect(info.config.engine_identity).toMatch(/^native:.*:sha256:[0-9a-f]{64}$/);
        expect(info.engines.judge).toBe(info.config.engine_identity);
        expect(info.data["rm-bench"].missing).toContain("RM-Bench domain math is missing (529 prompts); any RM-Bench total from this data is a partial score, not comparable with published numbers");

        const lines = samples(out);
        expect(lines).toHaveLength(29);
        expect(new Set(lines.map((s) => s.id)).size).toBe(29);
        let errors = 0;
        for (const s of lines) {
            // A real output of the model, read with the harness rule, in the seeded order.
            expect(s.chosen_position).toBe(passPositions("random", 5, s.id)[0]);
            expect(s.outputs).toHaveLength(1);
            expect(s.outputs[0].text).toMatch(/^\[+/);
            expect(s.verdict).toBe(evalVerdict(s.outputs[0].text));
            expect(s.outcome).toBe(s.verdict === "error" ? 0 : s.verdict === s.chosen_position ? 1 : 0);
            expect(s.usage.completionTokens).toBeGreaterThan(0);
            expect(s.pair.chosen.length).toBeGreaterThan(0);
            if (s.verdict === "error") errors++;
        }
        expect(errors).toBeGreaterThan(0);
        expect(errors).toBeLessThan(29);
        const rmb = lines.filter((s) => s.benchmark === "rmb");
        // The 3-message conversation of the fixture reaches the samples whole.
        expect(rmb.some((s) => (s.pair.prompt?.length ?? 0) === 3)).toBe(true);
        // Every RM-Bench prompt is judged in all 9 (chosen style, rejected style) cells.
        const cells = lines.filter((s) => s.benchmark === "rm-bench" && s.domain === "chat").map((s) => `${s.chosen_style}${s.rejected_style}`).sort();
        expect(cells).toEqual(["00", "01", "02", "10", "11", "12", "20", "21", "22"]);

        const scores = read(join(out, "scores.json"));
        expect(Object.keys(scores.rewardbench)).toEqual(["Chat", "Chat Hard", "Safety", "Reasoning", "score", "accuracy", "subsets", "partial", "missing"]);
        expect(Object.keys(scores["rm-bench"])).toEqual(["chat", "safety", "hard", "normal", "easy", "score", "partial", "missing"]);
        expect(Object.keys(scores.rmb)).toEqual(["Pairwise Helpfulness", "Pairwise Harmlessness", "BoN Helpfulness", "BoN Harmlessness", "score", "partial", "missing"]);
        expect(scores.partial).toBe(true);
        expect(scores.average).toBe(((scores.rewardbench.score + scores["rm-bench"].score) + scores.rmb.score) / 3);
        expect(scores.rmb.missing).toContain("RMB file Pairwise_set/Harmlessness/S11 is missing");
        expect(scores["rm-bench"].missing).toContain("RM-Bench domain math is missing (529 prompts); any RM-Bench total from this data is a partial score, not comparable with published numbers");

        // scores.json is exactly what `rmr1 bench score` computes from the lines, plus the loaders' notes.
        const rescored = await runCli(["bench", "score", "--benchmark", "all", "--samples", join(out, "samples.jsonl")]);
        expect(rescored.code).toBe(0);
        const strip = ({missing: _m, ...rest}: Record<string, unknown>) => rest;
        expect(JSON.parse(rescored.stdout)).toEqual({
            ...scores, rewardbench: strip(scores.rewardbench), "rm-bench": strip(scores["rm-bench"]), rmb: strip(scores.rmb)
        });

        const report = readFileSync(join(out, "report.md"), "utf8");
        expect(report).toContain(`# rmr1 eval: ${model}`);
        expect(report).toContain("- A/B order: `random`, seed 5");
        expect(report).toContain("RM-Bench is partial: domains math, code missing");
        expect(report).toContain("| RM-R1 | RM-R1-Qwen-Instruct-32B | 91.4 | 79.1 | 73.0 | 81.2 |");
    });

    it("a rerun resumes and judges nothing again; other settings are refused with one line", async () => {
        const r = await runCli(args);
        expect(r.code).toBe(0);
        expect(r.stderr).toContain("(resuming)");
        expect(r.stdout).toContain("judged 29 comparisons (0 new, 29 already in the run)");
        expect(samples(out)).toHaveLength(29);
        const other = await runCli(args.map((a) => a === "5" ? "6" : a));
        expect(other.code).toBe(2);
        expect(other.stderr.trim().split("\n")).toEqual([`rmr1: cannot resume ${out}: option 'seed' was 5 and is now 6; use the same options or another --out`]);
    });

    it("one benchmark, one domain: the RM-Bench keys, a clamped --max-tokens", async () => {
        const one = join(dir, "rm-bench-chat");
        const r = await runCli(["eval", "--model", model, "--benchmark", "rm-bench", "--subset", "chat", "--source", join(root, "rm-bench"),
            "--profile", "tiny", "--temperature", "1", "--max-tokens", "5000", "--out", one, "-q", "-j", "2"]);
        expect(r.code).toBe(0);
        expect(r.stderr).toContain("note: --max-tokens 5000 is more than the model's context of 1024 tokens; using 1024");
        expect(read(join(one, "run.json")).config.max_tokens).toBe(1024);
        const scores = read(join(one, "scores.json"));
        expect(Object.keys(scores)).toEqual(["chat", "hard", "normal", "easy", "score", "partial", "missing"]);
        // One domain: its value is the score, and hard/normal/easy are its own.
        expect(scores.score).toBe(scores.chat);
        expect(scores.missing).toContain("selection: only chat (2 of 4 items)");
        expect(samples(one)).toHaveLength(18);
    });

    it("records a comparison longer than the model's context as an error and goes on", async () => {
        // The same weights with a 60-token context (RoPE needs no table): most RewardBench prompts no longer fit.
        const short = join(dir, "verdict-short");
        cpSync(join(dir, "verdict"), short, {recursive: true});
        const config = JSON.parse(readFileSync(join(short, "config.json"), "utf8")) as Record<string, unknown>;
        writeFileSync(join(short, "config.json"), JSON.stringify({...config, max_position_embeddings: 60}));
        const out = join(dir, "refused");
        const r = await runCli(["eval", "--model", `native:${short}`, "--benchmark", "rewardbench", "--source", join(root, "rewardbench"),
            "--limit", "1", "--profile", "tiny", "--temperature", "1", "--max-tokens", "8", "--out", out, "-q"]);
        expect(r.code).toBe(0);
        const lines = samples(out);
        expect(lines).toHaveLength(4);
        const refused = lines.filter((l) => l.error != null);
        expect(refused.length).toBeGreaterThan(0);
        for (const l of refused) {
            expect(l).toMatchObject({verdict: "error", outcome: 0, outputs: []});
            expect(l.error).toMatch(/the prompt has \d+ tokens but the model's maxSeqLen is 60/);
        }
        expect(r.stdout).toContain(`of which refused by the engine (e.g. longer than its context; reason in each sample's "error"): ${refused.length}`);
    });

    it("bad flags get one line and exit 2", async () => {
        const r = await runCli(["eval", "--model", model, "--benchmark", "nope"]);
        expect(r).toMatchObject({code: 2, stderr: "rmr1: --benchmark must be one of rewardbench, rm-bench, rmb, all; got 'nope'\n"});
        const s = await runCli(["eval", "--model", model, "--benchmark", "rmb", "--source", "hf"]);
        expect(s.code).toBe(2);
        expect(s.stderr).toMatch(/^rmr1: rmb has no Hub dataset: its data is not on the Hub: clone https:\/\/github\.com\/Zhou-Zoey\/RMB-Reward-Model-Benchmark/);
        const src = await runCli(["eval", "--model", model, "--benchmark", "all", "--source", "rmb=x,foo=y"]);
        expect(src).toMatchObject({code: 2, stderr: "rmr1: --source 'foo=y' must be BENCHMARK=SOURCE with BENCHMARK one of rewardbench, rm-bench, rmb\n"});
    });
});
