// `rmr1 eval` interrupted and resumed, with a real tiny model (REAL MODEL TEST: the verdict model of
// test/fixtures/judge/judgeModels.ts at temperature 1, so outputs differ from comparison to comparison):
// the run is started in a child process and killed mid-run (SIGKILL, as a crash) or stopped with
// Ctrl-C (SIGINT: exit 130, what is finished saved), then rerun. Nothing is judged twice, the lines
// written before the stop are untouched, and the A/B orders, outputs and final scores equal those of
// a run that went straight through.
import {existsSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {EvalSample} from "../src/index.js";
import {completeLines, runCli, stopRmr1When} from "./helpers/runCli.js";
import {writeEvalBenchmarks} from "./fixtures/eval/evalFixtures.js";
import {writeVerdictModel} from "./fixtures/judge/judgeModels.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-eval-resume-"));
/** 8 generated rows in each RewardBench subset (184), the RM-Bench fixture (36), RMB as parquet (8). */
const total = 184 + 36 + 8;
let args: (out: string, jobs?: number) => string[];
let straight: {lines: Map<string, unknown>, scores: string};

beforeAll(async () => {
    await writeVerdictModel(join(dir, "verdict"));
    const root = await writeEvalBenchmarks(join(dir, "benchmarks"), {rewardBenchRows: 8});
    args = (out, jobs = 1) => ["eval", "--model", `native:${join(dir, "verdict")}`, "--benchmark", "all", "--source", root, "--profile", "tiny",
        "--temperature", "1", "--seed", "11", "--out", join(dir, out), "-j", String(jobs), "-q"];
    const r = await runCli(args("straight"));
    expect(r.code).toBe(0);
    straight = {lines: judged(join(dir, "straight")), scores: readFileSync(join(dir, "straight", "scores.json"), "utf8")};
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** Complete lines of `out`/samples.jsonl (a torn last line is not counted). */
const samples = (out: string) => completeLines(join(out, "samples.jsonl"));

/** What was judged, by comparison id: the order, the raw outputs, the outcome. */
function judged(out: string): Map<string, unknown> {
    const lines = samples(out).map((l) => JSON.parse(l) as EvalSample);
    return new Map(lines.map((s) => [s.id, {position: s.chosen_position, texts: s.outputs.map((o) => o.text), outcome: s.outcome}]));
}

/** The child runs on one kernel thread. */
const oneThread = {RMR1_THREADS: "1"};

describe("rmr1 eval interrupted and resumed (real tiny model)", () => {
    it("a run killed mid-way resumes: no duplicates, nothing lost, the same orders, outputs and scores", async () => {
        const out = join(dir, "killed");
        const killed = await stopRmr1When(args("killed"), () => samples(out).length >= 5, {signal: "SIGKILL", env: oneThread});
        expect(killed.signal).toBe("SIGKILL");
        const before = samples(out);
        expect(before.length).toBeGreaterThanOrEqual(5);
        expect(before.length).toBeLessThan(total);
        expect(existsSync(join(out, "scores.json"))).toBe(false);

        // Resume with more parallelism (not a setting that changes results).
        const resumed = await runCli(args("killed", 4));
        expect(resumed.code).toBe(0);
        expect(resumed.stderr).toContain("(resuming)");
        expect(resumed.stdout).toContain(`judged ${total} comparisons (${total - before.length} new, ${before.length} already in the run)`);
        const after = samples(out);
        expect(after).toHaveLength(total);
        expect(after.slice(0, before.length)).toEqual(before);
        expect(judged(out)).toEqual(straight.lines);
        expect(readFileSync(join(out, "scores.json"), "utf8")).toBe(straight.scores);
        const info = JSON.parse(readFileSync(join(out, "run.json"), "utf8")) as {resumes: {command: string}[]};
        expect(info.resumes).toHaveLength(1);
    });

    it("Ctrl-C saves what is finished and exits 130; the rerun completes it", async () => {
        const out = join(dir, "stopped");
        const stopped = await stopRmr1When(args("stopped"), () => samples(out).length >= 3, {signal: "SIGINT", env: oneThread});
        expect(stopped.code).toBe(130);
        expect(stopped.stderr).toMatch(/rmr1: stopped: \d+ new results were saved to .*stopped\/samples\.jsonl \(\d+ in all\); rerun the same command to resume/);
        const n = samples(out).length;
        expect(stopped.stderr).toContain(`(${n} in all)`);
        expect(readFileSync(join(out, "samples.jsonl"), "utf8").endsWith("\n")).toBe(true);
        const resumed = await runCli(args("stopped"));
        expect(resumed.code).toBe(0);
        expect(judged(out)).toEqual(straight.lines);
        expect(readFileSync(join(out, "scores.json"), "utf8")).toBe(straight.scores);
    });
});
