// The eval runner's bookkeeping with a scripted judge (src/judge/testing/ScriptedJudgeEngine.ts), where
// every outcome is known in advance: the seeded A/B orders, the sample lines, the scores computed from
// them, resume and its refusals, partial-data statements, abort. The end-to-end proof with a real
// tiny model is test/eval.test.ts and test/eval-resume.test.ts.
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {Aborted, InvalidInput, NotFound} from "../errors.js";
import {passPositions} from "../judge/orderPolicy.js";
import {ScriptedJudgeEngine} from "../judge/testing/ScriptedJudgeEngine.js";
import type {ScriptedRequest} from "../judge/testing/ScriptedJudgeEngine.js";
import {writeEvalBenchmarks} from "../../test/fixtures/eval/evalFixtures.js";
import {engineContextSize, runEval} from "./runEval.js";
import type {EvalSample, RunEvalOptions} from "./runEval.js";
import {scoreSamplesFile} from "./scoreSamples.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-run-eval-"));
let root: string;
beforeAll(async () => {
    // RewardBench: 2 generated rows in each of the 23 subsets ("Right answer k" / "Wrong answer k");
    // RM-Bench: the fixture (chat + safety, "C<i> …" / "R<j> …"); RMB: the fixture as parquet.
    root = await writeEvalBenchmarks(join(dir, "benchmarks"), {rewardBenchRows: 2});
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** Knows the answer: the chosen replies of the generated RewardBench and RM-Bench fixtures start with `Right` / `C<i>`. */
const oracle = (r: ScriptedRequest) => `<answer>[[${/^(Right|C\d)/.test(r.b) ? "B" : "A"}]]</answer>`;
const alwaysA = () => "<answer>[[A]]</answer>";
const samplesOf = (out: string) => readFileSync(join(out, "samples.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as EvalSample);
const json = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;

function options(out: string, script: (r: ScriptedRequest) => string, extra: Partial<RunEvalOptions> = {}): RunEvalOptions {
    return {model: new ScriptedJudgeEngine(script), benchmark: "rewardbench", out: join(dir, out), source: join(root, "rewardbench"), profile: "tiny", ...extra};
}

describe("runEval", () => {
    it("judges each comparison once in its seeded order and scores the lines it wrote", async () => {
        const progress: number[] = [];
        const r = await runEval({...options("oracle", oracle, {seed: 7}), onProgress: (p) => progress.push(p.done)});
        expect(r).toMatchObject({comparisons: 46, written: 46, resumed: 0, benchmarks: ["rewardbench"], partial: true});
        expect(progress.at(-1)).toBe(46);
        const lines = samplesOf(r.dir);
        expect(lines).toHaveLength(46);
        for (const s of lines) {
            expect(s.chosen_position).toBe(passPositions("random", 7, s.id)[0]);
            expect(s).toMatchObject({benchmark: "rewardbench", order_policy: "random", verdict: s.chosen_position, outcome: 1});
            expect(s.outputs).toHaveLength(1);
            expect(s.cor[0].verdict).toBe(s.chosen_position);
            expect(s.pair.chosen[0].content).toMatch(/^Right answer/);
            expect(s.pair.prompt?.[0].role).toBe("user");
        }
        // Both positions occur: the coin is real.
        expect(new Set(lines.map((s) => s.chosen_position))).toEqual(new Set(["A", "B"]));
        const scores = json(r.files.scores);
        expect(scores).toMatchObject({Chat: 1, "Chat Hard": 1, Safety: 1, Reasoning: 1, score: 1, accuracy: 1, partial: true});
        expect(scores.missing).toContain("RewardBench subset math-prm has 2 of 447 rows");
        const run = json(r.files.run) as {kind: string, config: Record<string, unknown>, versions: Record<string, string>};
        expect(run.kind).toBe("eval");
        expect(run.config).toMatchObject({model: "scripted:judge", engine_identity: "scripted:judge", benchmarks: ["rewardbench"], seed: 7, order: "random", profile: "tiny", max_tokens: null});
        expect(run.versions.node).toBe(process.version);
        expect(readFileSync(r.files.report, "utf8")).toContain("| **this run** | **scripted:judge** | 100.0* |");
    });

    it("an always-A judge scores exactly the comparisons whose chosen reply was shown in A", async () => {
        const r = await runEval(options("always-a", alwaysA, {benchmark: "all", source: root, seed: 3}));
        const lines = samplesOf(r.dir);
        expect(lines).toHaveLength(46 + 36 + 8);
        for (const s of lines) expect(s.outcome).toBe(passPositions("random", 3, s.id)[0] === "A" ? 1 : 0);
        // scores.json is what `rmr1 bench score` computes from samples.jsonl, plus the data notes.
        const {results} = await scoreSamplesFile(r.files.samples, "all");
        const scores = json(r.files.scores) as Record<string, Record<string, unknown> & {missing: string[]}>;
        expect(scores.rewardbench.score).toBe(results.rewardbench!.scores.score);
        const {missing, ...rmBench} = scores["rm-bench"];
        expect(rmBench).toEqual(results["rm-bench"]!.scores);
        expect(scores.rmb.score).toBe(results.rmb!.scores.score);
        expect(scores.rmb.partial).toBe(true);
        expect(missing).toContain("RM-Bench domain math is missing (529 prompts); any RM-Bench total from this data is a partial score, not comparable with published numbers");
        expect(scores.rmb.missing).toContain("RMB file Pairwise_set/Harmlessness/S11 is missing");
        expect(scores.average).toBe(((results.rewardbench!.scores.score + results["rm-bench"]!.scores.score) + results.rmb!.scores.score) / 3);
        const bon = lines.filter((s) => s.kind === "bon");
        expect(bon.map((s) => [s.item_id, s.loser_index, s.losers])).toEqual([["b1", 0, 3], ["b1", 1, 3], ["b1", 2, 3], ["b2", 0, 2], ["b2", 1, 2]]);
    });

    it("resumes with the same settings and refuses other ones, naming the option", async () => {
        const first = await runEval(options("resume", oracle, {limit: 1}));
        expect(first.written).toBe(23);
        const again = await runEval(options("resume", oracle, {limit: 1}));
        expect(again).toMatchObject({written: 0, resumed: 23, comparisons: 23});
        expect(samplesOf(again.dir)).toHaveLength(23);
        const run = json(again.files.run) as {resumes: unknown[]};
        expect(run.resumes).toHaveLength(1);
        for (const [extra, key] of [[{seed: 1}, "seed"], [{limit: 2}, "limit"], [{profile: "rm-r1-instruct"}, "profile"], [{order: "fixed"}, "order"], [{maxTokens: 9}, "max_tokens"]] as const) {
            await expect(runEval(options("resume", oracle, {limit: 1, ...extra}))).rejects.toThrow(new RegExp(`cannot resume .*option '${key}'`));
        }
        await expect(runEval(options("resume", oracle, {limit: 1, model: new ScriptedJudgeEngine(oracle, "scripted:other")})))
            .rejects.toThrow(/option 'engine_identity'/);
    });

    it("aborts with everything finished saved; the resumed run equals a straight one", async () => {
        const controller = new AbortController();
        const engine = new ScriptedJudgeEngine(alwaysA);
        engine.delayMs = 2;
        const stopped = runEval({...options("abort", alwaysA, {concurrency: 2}), model: engine, signal: controller.signal, onProgress: (p) => {
            if (p.written >= 5) controller.abort();
        }});
        await expect(stopped).rejects.toThrow(Aborted);
        const saved = samplesOf(join(dir, "abort"));
        expect(saved.length).toBeGreaterThanOrEqual(5);
        expect(saved.length).toBeLessThan(46);
        expect(existsSync(join(dir, "abort", "scores.json"))).toBe(false);
        const resumed = await runEval(options("abort", alwaysA, {concurrency: 2}));
        expect(resumed).toMatchObject({resumed: saved.length, written: 46 - saved.length});
        const straight = await runEval(options("straight", alwaysA));
        const byId = (lines: EvalSample[]) => Object.fromEntries(lines.map((s) => [s.id, [s.chosen_position, s.outcome]]));
        expect(byId(samplesOf(resumed.dir))).toEqual(byId(samplesOf(straight.dir)));
        expect(new Set(samplesOf(resumed.dir).map((s) => s.id)).size).toBe(46);
        expect(json(resumed.files.scores)).toEqual(json(straight.files.scores));
    });

    it("order both: two calls per comparison, a different setting in scores.json and report.md", async () => {
        const r = await runEval(options("both", oracle, {order: "both", limit: 1}));
        for (const s of samplesOf(r.dir)) {
            expect(s.outputs.map((o) => o.position)).toEqual(passPositions("both", 0, s.id));
            expect(s).toMatchObject({consistent: true, outcome: 1});
        }
        expect(json(r.files.scores).order_policy).toBe("both");
        expect(readFileSync(r.files.report, "utf8")).toContain("The A/B order policy is `both`, not the reference protocol");
    });

    it("says what is wrong with the data or the folder", async () => {
        await expect(runEval(options("x", oracle, {benchmark: "all", source: root, subsets: ["chat"]}))).rejects.toThrow(/one benchmark/);
        await expect(runEval(options("x", oracle, {benchmark: "rmb", source: "hf"}))).rejects.toThrow(NotFound);
        await expect(runEval(options("x", oracle, {benchmark: "all", source: join(root, "rm-bench")}))).rejects.toThrow(/must hold rewardbench\/, rm-bench\/, rmb\//);
        await expect(runEval(options("x", oracle, {subsets: ["no-such-subset"]}))).rejects.toThrow(InvalidInput);
        const stray = join(dir, "stray");
        await runEval(options("stray", oracle, {limit: 1}));
        rmSync(join(stray, "run.json"));
        await expect(runEval(options("stray", oracle, {limit: 1}))).rejects.toThrow(/samples\.jsonl but no run\.json/);
        // Lines of other data in the folder are refused rather than scored.
        const other = join(dir, "other");
        await runEval(options("other", oracle, {limit: 1}));
        writeFileSync(join(other, "samples.jsonl"), JSON.stringify({id: "rewardbench/x/1"}) + "\n", {flag: "a"});
        await expect(runEval(options("other", oracle, {limit: 1}))).rejects.toThrow(/'rewardbench\/x\/1', which is not in this run's data/);
    });

    it("per-benchmark sources; no context size for engines that are not in-process", async () => {
        const r = await runEval(options("per", oracle, {benchmark: "all", source: {"rewardbench": join(root, "rewardbench"), "rm-bench": join(root, "rm-bench"), "rmb": join(root, "rmb")}, limit: 1}));
        expect((json(r.files.run) as {config: {sources: Record<string, string>}}).config.sources).toEqual({
            "rewardbench": join(root, "rewardbench"), "rm-bench": join(root, "rm-bench"), "rmb": join(root, "rmb")
        });
        expect(engineContextSize(new ScriptedJudgeEngine(oracle))).toBeUndefined();
    });

    it("notes that a DeepSeek-distilled checkpoint needs the reasoning prompts when no profile is given", async () => {
        const model = new ScriptedJudgeEngine(alwaysA, "openai:gaotang/RM-R1-DeepSeek-Distilled-Qwen-7B");
        const r = await runEval({...options("deepseek", alwaysA, {limit: 1, model}), profile: undefined});
        expect(r.notes).toEqual([expect.stringContaining("looks like a DeepSeek-distilled checkpoint: RM-R1's harness prompts those with the reasoning prompts")]);
        expect((json(r.files.run) as {config: {profile: string}}).config.profile).toBe("rm-r1-instruct");
        const chosen = await runEval({...options("deepseek-reasoning", alwaysA, {limit: 1, model}), profile: "rm-r1-reasoning"});
        expect(chosen.notes).toEqual([]);
    });
});
