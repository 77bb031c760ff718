// End-to-end tests of `rmr1 judge` and `rmr1 rank` with real tiny native models (REAL MODEL TESTS,
// test/fixtures/judge/judgeModels.ts): a run killed mid-way (SIGKILL, and Ctrl-C) resumes with no
// duplicate and nothing lost; a malformed input line stops the run with an error naming the line
// while the results before it are kept; the summary is printed and written next to the output.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {Judgment, Ranking} from "../src/index.js";
import {completeLines, runCli, stopRmr1When} from "./helpers/runCli.js";
import {writeRandomModel, writeVerdictModel} from "./fixtures/judge/judgeModels.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-judge-cli-"));
const verdict = `native:${join(dir, "verdict")}`;
const random = `native:${join(dir, "random")}`;

beforeAll(async () => {
    await writeVerdictModel(join(dir, "verdict"));
    await writeRandomModel(join(dir, "random"));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

function pairsFile(name: string, n: number, transform: (line: string, i: number) => string = (l) => l): string {
    const file = join(dir, name);
    const lines = Array.from({length: n}, (_, i) => transform(JSON.stringify({
        id: `p${i}`,
        prompt: [{role: "user", content: `What is ${i} + 1?`}],
        chosen: [{role: "assistant", content: `${i + 1}`}],
        rejected: [{role: "assistant", content: `${i + 2}`}]
    }), i));
    writeFileSync(file, lines.join("\n") + "\n");
    return file;
}

/** The child runs on one kernel thread. */
const oneThread = {RMR1_THREADS: "1"};

describe("rmr1 judge (real tiny model)", () => {
    it("resumes after the process is killed mid-run: no duplicates, nothing lost", async () => {
        const input = pairsFile("kill.jsonl", 40);
        const output = join(dir, "kill-out.jsonl");
        const args = ["judge", "--model", random, "--input", input, "--output", output, "--profile", "tiny", "--max-tokens", "96", "-j", "1", "-q"];
        const killed = await stopRmr1When(args, () => completeLines(output).length >= 5, {signal: "SIGKILL", env: oneThread});
        expect(killed.signal).toBe("SIGKILL");
        const before = completeLines(output);
        expect(before.length).toBeGreaterThanOrEqual(5);
        expect(before.length).toBeLessThan(40);

        const resumed = await runCli([...args.filter((a) => a !== "1" && a !== "-j"), "-j", "4"]);
        expect(resumed.stderr).toBe("");
        expect(resumed.code).toBe(0);
        expect(resumed.stdout).toContain(`judged 40 pairs (${40 - before.length} new, ${before.length} already in the output)`);
        const after = completeLines(output);
        expect(after).toHaveLength(40);
        // The lines written before the kill are untouched, and every id appears once.
        expect(after.slice(0, before.length)).toEqual(before);
        const ids = after.map((l) => (JSON.parse(l) as Judgment).id);
        expect(new Set(ids).size).toBe(40);
        expect(readFileSync(output, "utf8").endsWith("\n")).toBe(true);
    });

    it("stops cleanly on Ctrl-C (exit 130) and says how much was saved", async () => {
        const input = pairsFile("int.jsonl", 40);
        const output = join(dir, "int-out.jsonl");
        const args = ["judge", "--model", random, "--input", input, "--output", output, "--profile", "tiny", "--max-tokens", "96", "-j", "2", "-q"];
        const stopped = await stopRmr1When(args, () => completeLines(output).length >= 3, {signal: "SIGINT", env: oneThread});
        expect(stopped.code).toBe(130);
        expect(stopped.stderr).toMatch(/rmr1: stopped: \d+ new results were saved to .*int-out\.jsonl \(\d+ in all\); rerun the same command to resume/);
        const text = readFileSync(output, "utf8");
        expect(text.endsWith("\n")).toBe(true);
        const n = completeLines(output).length;
        expect(stopped.stderr).toContain(`(${n} in all)`);
        const resumed = await runCli(args);
        expect(resumed.code).toBe(0);
        expect(new Set(completeLines(output).map((l) => JSON.parse(l).id)).size).toBe(40);
    });

    it("stops at a malformed line with one clear error naming it, keeping earlier results", async () => {
        const input = pairsFile("bad.jsonl", 6, (l, i) => i === 3 ? l.slice(0, 25) : l);
        const output = join(dir, "bad-out.jsonl");
        const r = await runCli(["judge", "--model", verdict, "--input", input, "--output", output, "--profile", "tiny", "--temperature", "1", "--max-tokens", "24", "-j", "1", "-q"]);
        expect(r.code).toBe(2);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr).toMatch(/^rmr1: .*bad\.jsonl:4: line is not valid JSON .*3 new results were saved to .*bad-out\.jsonl/);
        expect(completeLines(output).map((l) => JSON.parse(l).id)).toEqual(["p0", "p1", "p2"]);
        // A bad field names the field and the line.
        const field = pairsFile("field.jsonl", 2, (l, i) => i === 1 ? l.replace('"role":"assistant"', '"role":"bot"') : l);
        const f = await runCli(["judge", "--model", verdict, "--input", field, "--output", join(dir, "field-out.jsonl"), "--profile", "tiny", "-q"]);
        expect(f.code).toBe(2);
        expect(f.stderr).toMatch(/field\.jsonl:2: 'chosen\[0\]\.role' must be one of system, user, assistant/);
    });

    it("prints the summary and writes it next to the output", async () => {
        const input = pairsFile("sum.jsonl", 12);
        const output = join(dir, "sum-out.jsonl");
        const r = await runCli(["judge", "--model", verdict, "--input", input, "--output", output, "--profile", "tiny", "--order", "both", "--samples", "3", "--seed", "7", "--max-tokens", "24", "-q"]);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/accuracy \d\.\d{3} over 12 labelled/);
        expect(r.stdout).toMatch(/parse failures \d\.\d{3} of 72 outputs/);
        const summary = JSON.parse(readFileSync(join(dir, "sum-out.summary.json"), "utf8"));
        expect(summary).toMatchObject({judgments: 12, labelled: 12, outputs: 72, judge: {order: "both", samples: 3, temperature: 1, seed: 7, profile: "tiny"}});
        const lines = completeLines(output).map((l) => JSON.parse(l) as Judgment);
        expect(summary.accuracy).toBe(lines.filter((j) => j.correct).length / 12);
        // Resuming with other settings is refused.
        const other = await runCli(["judge", "--model", verdict, "--input", input, "--output", output, "--profile", "tiny", "--order", "fixed", "-q"]);
        expect(other.code).toBe(2);
        expect(other.stderr).toMatch(/already holds results made with other settings/);
    });

    it("rejects bad flags with one line naming the flag", async () => {
        const input = pairsFile("flags.jsonl", 1);
        const base = ["judge", "--model", verdict, "--input", input, "--output", join(dir, "flags-out.jsonl")];
        expect((await runCli([...base, "--order", "sideways"])).stderr).toMatch(/--order must be one of random, fixed, both; got 'sideways'/);
        expect((await runCli([...base, "--samples", "3", "--temperature", "0"])).stderr).toMatch(/voting over 3 samples at temperature 0/);
        const missing = await runCli(["judge", "--input", input, "--output", "x.jsonl"]);
        expect(missing.code).toBe(2);
        expect(missing.stderr).toMatch(/--model is required/);
        expect((await runCli(["judge", "--help"])).stdout).toContain("--order POLICY");
    });
});

describe("rmr1 rank (real tiny model)", () => {
    it("ranks each prompt's candidates, to a resumable file or to stdout", async () => {
        const input = join(dir, "cands.jsonl");
        writeFileSync(input, [
            JSON.stringify({id: "c1", prompt: [{role: "user", content: "Name a colour."}], candidates: ["red", "blue", "green", "cyan", "pink"]}),
            JSON.stringify({prompt: [{role: "user", content: "Name a fruit."}], candidates: ["apple", [{role: "assistant", content: "pear"}], "fig"]})
        ].join("\n") + "\n");
        const output = join(dir, "ranks.jsonl");
        const r = await runCli(["rank", "--model", verdict, "--input", input, "--output", output, "--method", "elo", "--profile", "tiny", "--temperature", "1", "--max-tokens", "24", "-q"]);
        expect(r.stderr).toBe("");
        expect(r.stdout).toContain("ranked 2 prompts by elo with 13 comparisons");
        expect(r.stdout).toContain("1 input line had no id");
        const ranks = completeLines(output).map((l) => JSON.parse(l) as Ranking);
        expect(ranks.map((x) => x.comparisons.length).sort()).toEqual([10, 3]);
        expect(ranks.find((x) => x.id === "c1")!.ranking.slice().sort()).toEqual([0, 1, 2, 3, 4]);
        expect(ranks.find((x) => x.id !== "c1")!.id_generated).toBe(true);
        // Again: everything is already there.
        const again = await runCli(["rank", "--model", verdict, "--input", input, "--output", output, "--method", "elo", "--profile", "tiny", "--temperature", "1", "--max-tokens", "24", "-q"]);
        expect(again.stdout).toContain("ranked 0 prompts");
        const toStdout = await runCli(["rank", "--model", verdict, "--input", input, "--method", "knockout", "--profile", "tiny", "--temperature", "1", "--max-tokens", "24", "-q"]);
        expect(toStdout.code).toBe(0);
        const printed = toStdout.stdout.trim().split("\n").map((l) => JSON.parse(l) as Ranking);
        expect(printed.map((x) => x.comparisons.length).sort()).toEqual([2, 4]);
        expect(toStdout.stderr).toContain("ranked 2 prompts by knockout with 6 comparisons");
    });
});
