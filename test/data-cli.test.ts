// End-to-end tests of `rmr1 mix` and `rmr1 export` through the CLI entry point `main()` (the code
// path of the `rmr1` bin), with stdout/stderr captured.
import {readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {readRows, writeRows} from "../src/index.js";
import {runCli} from "./helpers/runCli.js";
import {duckTypes, tempDir} from "./dataHelpers.js";

async function rowsOf(file: string): Promise<Record<string, unknown>[]> {
    const out = [];
    for await (const r of readRows(file)) out.push(r.value as Record<string, unknown>);
    return out;
}

let dir: string;
const conv = (...t: string[]) => t.map((content, i) => ({role: i % 2 === 0 ? "user" : "assistant", content}));

beforeAll(async () => {
    dir = tempDir("data-cli");
    await writeRows(join(dir, "math.jsonl"), [{prompt: "1+1?", initial_reason_steps: "Step 1. ", full_chosen: "2", full_rejected: "3"}]);
    await writeRows(join(dir, "code.jsonl"), Array.from({length: 30}, (_, i) => ({input: `c${i}`, accepted: `a${i}`, rejected: `r${i}`})));
    await writeRows(join(dir, "sky.parquet"), [
        {source: "helpsteer2", chosen: conv("q", "good"), rejected: conv("q", "bad")},
        {source: "magpie_ultra", chosen: conv("q", "x"), rejected: conv("q", "y")},
        {source: "helpsteer2", chosen: conv("q1", "good"), rejected: conv("q2", "bad")}
    ]);
});

describe("rmr1 mix", () => {
    it("--recipe rm-r1 with local sources writes the mix and a report of what it kept and skipped", async () => {
        const out = join(dir, "mix.parquet");
        const r = await runCli(["mix", "--recipe", "rm-r1", "--math", join(dir, "math.jsonl"), "--code", join(dir, "code.jsonl"), "--skywork", join(dir, "sky.parquet"), "--out", out, "--report", join(dir, "report.json")]);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(r.stdout).toContain(`wrote 32 rows to ${out} (model_a 16, model_b 16)`);
        expect(r.stdout).toContain("skywork: read 3, filtered out 1, kept 1 (0 multi-turn), counter from 31, skipped 1 bad");
        expect(r.stdout).toContain(`${join(dir, "sky.parquet")} row 2: `);
        const rows = await rowsOf(out);
        expect(rows.length).toBe(32);
        expect(Object.keys(rows[0])).toEqual(["context_messages", "winner"]);
        expect(JSON.parse(readFileSync(join(dir, "report.json"), "utf8")).badRows).toBe(1);
        expect(await duckTypes(out)).toMatchObject({winner: "VARCHAR"});
    });

    it("--strict turns the first bad row into a one-line error with exit code 2", async () => {
        const r = await runCli(["mix", "--recipe", "rm-r1", "--math", join(dir, "math.jsonl"), "--code", join(dir, "code.jsonl"), "--skywork", join(dir, "sky.parquet"), "--out", join(dir, "strict.jsonl"), "--strict"]);
        expect(r.code).toBe(2);
        expect(r.stderr.trim().split("\n").length).toBe(1);
        expect(r.stderr).toContain(`rmr1: ${join(dir, "sky.parquet")} row 2: `);
    });

    it("--config runs a custom mix; mistakes in flags and configs are one-line errors", async () => {
        const config = join(dir, "mix.yaml");
        writeFileSync(config, "sources:\n  - {name: c, path: code.jsonl, take: 3}\n  - {name: m, path: math.jsonl}\noutput: [m, c]\nincludeMeta: true\n");
        const r = await runCli(["mix", "--config", config, "--out", join(dir, "custom.jsonl")]);
        expect(r.code).toBe(0);
        expect((await rowsOf(join(dir, "custom.jsonl"))).map(x => x.id)).toEqual(["m:math:0", "c:code:0", "c:code:1", "c:code:2"]);
        expect((await runCli(["mix", "--out", "x.jsonl"])).stderr).toContain("give exactly one of --recipe rm-r1 or --config FILE");
        writeFileSync(config, "sources:\n  - {name: c, path: code.jsonl, take: many}\n");
        const bad = await runCli(["mix", "--config", config, "--out", join(dir, "y.jsonl")]);
        expect(bad.code).toBe(2);
        expect(bad.stderr).toContain("'sources[0].take' must be a non-negative integer");
        expect((await runCli(["mix", "--help"])).stdout).toContain("Usage: rmr1 mix");
    });
});

describe("rmr1 export", () => {
    it("exports a mix to veRL parquet and TRL JSONL", async () => {
        const verl = join(dir, "verl.parquet");
        const r = await runCli(["export", "--format", "verl", "--in", join(dir, "mix.parquet"), "--out", verl, "--data-source", "rm-r1-mix"]);
        expect(r.code).toBe(0);
        expect(r.stdout).toContain(`wrote 32 verl rows to ${verl}`);
        const first = (await rowsOf(verl))[0];
        expect(first).toMatchObject({data_source: "rm-r1-mix", ability: "reward-modeling", reward_model: {style: "rule"}, extra_info: {split: "train", index: 0}});
        const trl = join(dir, "trl.jsonl");
        expect((await runCli(["export", "--format", "trl", "--in", join(dir, "mix.parquet"), "--out", trl])).code).toBe(0);
        const pairs = await rowsOf(trl);
        expect(pairs[0]).toEqual({prompt: [{role: "user", content: "c" + /c(\d+)/.exec(JSON.stringify(first.prompt))?.[1]}], chosen: expect.any(Array), rejected: expect.any(Array)});
    });

    it("names bad flags", async () => {
        const r = await runCli(["export", "--format", "csv", "--in", "a", "--out", "b"]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("--format must be one of openrlhf, verl, trl");
        expect((await runCli(["export", "--in", "a", "--out", "b"])).stderr).toContain("--format is required");
    });
});

describe("output paths", () => {
    it("a missing output folder or an unknown extension is a one-line error, not a crash", async () => {
        const missing = await runCli(["mix", "--recipe", "rm-r1", "--math", join(dir, "math.jsonl"), "--code", join(dir, "code.jsonl"), "--skywork", join(dir, "sky.parquet"), "--out", join(dir, "nope", "mix.parquet")]);
        expect(missing.code).toBe(2);
        expect(missing.stderr).toContain("does not exist; create it first");
        const csv = await runCli(["export", "--format", "trl", "--in", join(dir, "math.jsonl"), "--out", join(dir, "x.csv")]);
        expect(csv.code).toBe(2);
        expect(csv.stderr).toContain("cannot tell the format of");
    });
});
