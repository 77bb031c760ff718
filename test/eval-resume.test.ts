// `rmr1 eval` interrupted and resumed, with a real tiny model (REAL MODEL TEST: the verdict model of
// test/fixtures/judge/judgeModels.ts at temperature 1, so outputs differ from comparison to comparison):
// the run is started in a child process and killed mid-run (SIGKILL, as a crash) or stopped with
// Ctrl-C (SIGINT: exit 130, what is finished saved), then rerun. Nothing is judged twice, the lines
// written before the stop are untouched, and the A/B orders, outputs and final scores equal those of
// a run that went straight through.
import {spawn} from "node:child_process";
import {existsSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {main} from "../src/cli/main.js";
import type {EvalSample} from "../src/index.js";
import {writeEvalBenchmarks} from "./fixtures/eval/evalFixtures.js";
import {writeVerdictModel} from "./fixtures/judge/judgeModels.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-eval-resume-"));
const runner = new URL("./fixtures/judge/rmr1.ts", import.meta.url).pathname;
/** 8 generated rows in each RewardBench subset (184), the RM-Bench fixture (36), RMB as parquet (8). */
const total = 184 + 36 + 8;
let args: (out: string, jobs?: number) => string[];
let straight: {lines: Map<string, unknown>, scores: string};

beforeAll(async () => {
    await writeVerdictModel(join(dir, "verdict"));
    const root = await writeEvalBenchmarks(join(dir, "benchmarks"), {rewardBenchRows: 8});
    args = (out, jobs = 1) => ["eval", "--model", `native:${join(dir, "verdict")}`, "--benchmark", "all", "--source", root, "--profile", "tiny",
        "--temperature", "1", "--seed", "11", "--out", join(dir, out), "-j", String(jobs), "-q"];
    const r = await run(args("straight"));
    expect(r.code).toBe(0);
    straight = {lines: judged(join(dir, "straight")), scores: readFileSync(join(dir, "straight", "scores.json"), "utf8")};
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

async function run(argv: string[]): Promise<{code: number, stdout: string, stderr: string}> {
    let stdout = "";
    let stderr = "";
    const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
        stdout += String(chunk);
        return true;
    });
    const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
        stderr += String(chunk);
        return true;
    });
    try {
        return {code: await main(argv), stdout, stderr};
    } finally {
        out.mockRestore();
        err.mockRestore();
    }
}

/** Complete lines of samples.jsonl (a torn last line is not counted). */
function completeLines(out: string): string[] {
    const file = join(out, "samples.jsonl");
    if (!existsSync(file)) return [];
    const text = readFileSync(file, "utf8");
    return text.slice(0, text.lastIndexOf("\n") + 1).split("\n").filter((l) => l !== "");
}

/** What was judged, by comparison id: the order, the raw outputs, the outcome. */
function judged(out: string): Map<string, unknown> {
    const lines = completeLines(out).map((l) => JSON.parse(l) as EvalSample);
    return new Map(lines.map((s) => [s.id, {position: s.chosen_position, texts: s.outputs.map((o) => o.text), outcome: s.outcome}]));
}

/** Start `rmr1 <argv>` in a child process; send `signal` once `out`/samples.jsonl has `lines` complete lines. */
async function interrupt(argv: string[], out: string, lines: number, signal: NodeJS.Signals): Promise<{code: number | null, signal: NodeJS.Signals | null, stderr: string}> {
    const child = spawn(process.execPath, ["--import", "tsx", runner, ...argv], {stdio: ["ignore", "pipe", "pipe"], env: {...process.env, RMR1_THREADS: "1"}});
    let stderr = "";
    child.stderr.on("data", (d) => stderr += String(d));
    child.stdout.resume();
    const exited = new Promise<{code: number | null, signal: NodeJS.Signals | null}>((resolve) => child.on("exit", (code, sig) => resolve({code, signal: sig})));
    const poll = setInterval(() => {
        if (completeLines(out).length >= lines) {
            clearInterval(poll);
            child.kill(signal);
        }
    }, 10);
    const result = await exited;
    clearInterval(poll);
    return {...result, stderr};
}

describe("rmr1 eval interrupted and resumed (real tiny model)", () => {
    it("a run killed mid-way resumes: no duplicates, nothing lost, the same orders, outputs and scores", async () => {
        const out = join(dir, "killed");
        const killed = await interrupt(args("killed"), out, 5, "SIGKILL");
        expect(killed.signal).toBe("SIGKILL");
        const before = completeLines(out);
        expect(before.length).toBeGreaterThanOrEqual(5);
        expect(before.length).toBeLessThan(total);
        expect(existsSync(join(out, "scores.json"))).toBe(false);

        // Resume with more parallelism (not a setting that changes results).
        const resumed = await run(args("killed", 4));
        expect(resumed.code).toBe(0);
        expect(resumed.stderr).toContain("(resuming)");
        expect(resumed.stdout).toContain(`judged ${total} comparisons (${total - before.length} new, ${before.length} already in the run)`);
        const after = completeLines(out);
        expect(after).toHaveLength(total);
        expect(after.slice(0, before.length)).toEqual(before);
        expect(judged(out)).toEqual(straight.lines);
        expect(readFileSync(join(out, "scores.json"), "utf8")).toBe(straight.scores);
        const info = JSON.parse(readFileSync(join(out, "run.json"), "utf8")) as {resumes: {command: string}[]};
        expect(info.resumes).toHaveLength(1);
    });

    it("Ctrl-C saves what is finished and exits 130; the rerun completes it", async () => {
        const out = join(dir, "stopped");
        const stopped = await interrupt(args("stopped"), out, 3, "SIGINT");
        expect(stopped.code).toBe(130);
        expect(stopped.stderr).toMatch(/rmr1: stopped: \d+ new results were saved to .*stopped\/samples\.jsonl \(\d+ in all\); rerun the same command to resume/);
        const n = completeLines(out).length;
        expect(stopped.stderr).toContain(`(${n} in all)`);
        expect(readFileSync(join(out, "samples.jsonl"), "utf8").endsWith("\n")).toBe(true);
        const resumed = await run(args("stopped"));
        expect(resumed.code).toBe(0);
        expect(judged(out)).toEqual(straight.lines);
        expect(readFileSync(join(out, "scores.json"), "utf8")).toBe(straight.scores);
    });
});
