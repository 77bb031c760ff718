// End-to-end tests of the world: `rmr1 world generate` through the CLI entry point, and a golden
// file pinning the generator, the rendering and the teacher's traces byte for byte (any change to
// the world or the trace format shows up here; regenerate deliberately, see fixtures/world/README.md).
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {runCli} from "./helpers/runCli.js";
import {WorldTeacher, generateWorldPairs, parseCor, questionSplit, renderPair} from "../src/index.js";
import type {WorldPair} from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-world-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

function readPairs(file: string): WorldPair[] {
    return readFileSync(file, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line) as WorldPair);
}

describe("rmr1 world generate", () => {
    it("writes N pairs as JSONL, the same for the same seed, with a progress line", async () => {
        const a = join(dir, "a.jsonl");
        const b = join(dir, "b.jsonl");
        const r = await runCli(["world", "generate", "--family", "all", "--level", "mix", "--n", "700", "--seed", "4", "--out", a]);
        expect(r.code).toBe(0);
        expect(r.stderr).toMatch(/world generate .*700\/700 100%/);
        expect((await runCli(["world", "generate", "--family", "all", "--level", "mix", "--n", "700", "--seed", "4", "--out", b])).code).toBe(0);
        expect(readFileSync(b, "utf8")).toBe(readFileSync(a, "utf8"));
        const pairs = readPairs(a);
        expect(pairs).toHaveLength(700);
        expect(pairs).toEqual([...generateWorldPairs({n: 700, seed: 4, family: "all", level: "mix"})]);
        expect(Object.keys(pairs[0])).toEqual(["id", "prompt", "chosen", "rejected", "source", "domain", "meta"]);
    });

    it("writes prompt-disjoint train and test files", async () => {
        const train = join(dir, "train.jsonl");
        const test = join(dir, "test.jsonl");
        expect((await runCli(["world", "generate", "--family", "lists", "--n", "500", "--seed", "1", "--split", "train", "--out", train])).code).toBe(0);
        expect((await runCli(["world", "generate", "--family", "lists", "--n", "200", "--seed", "1", "--split", "test", "--out", test])).code).toBe(0);
        const trainPrompts = new Set(readPairs(train).map((p) => p.prompt[0].content));
        const testPairs = readPairs(test);
        expect(testPairs.every((p) => p.meta.family === "lists" && p.meta.level === 1 && questionSplit(p.prompt[0].content) === "test")).toBe(true);
        expect(testPairs.some((p) => trainPrompts.has(p.prompt[0].content))).toBe(false);
    });

    it("explains bad flags in one line and exits 2", async () => {
        for (const [argv, message] of [
            [["world", "generate", "--out", join(dir, "x.jsonl")], /--n is required/],
            [["world", "generate", "--n", "0", "--out", join(dir, "x.jsonl")], /--n must be an integer >= 1/],
            [["world", "generate", "--n", "5"], /--out is required/],
            [["world", "generate", "--n", "5", "--level", "4", "--out", join(dir, "x.jsonl")], /--level must be one of 1, 2, 3, mix/],
            [["world", "generate", "--n", "5", "--family", "poems", "--out", join(dir, "x.jsonl")], /--family must be one of arith, lists, all/],
            [["world", "pretrain", "--steps", "10"], /--out is required/],
            [["world", "pretrain", "--out", join(dir, "base"), "--steps", "0"], /--steps must be an integer >= 1/],
            [["quickstart", "--budget", "huge", "--out", join(dir, "qs")], /--budget must be one of fast, full/]
        ] as const) {
            const r = await runCli([...argv]);
            expect(r.code, argv.join(" ")).toBe(2);
            expect(r.stderr).toMatch(message);
            expect(r.stderr.trim().split("\n")).toHaveLength(1);
        }
        expect(existsSync(join(dir, "x.jsonl"))).toBe(false);
        expect(existsSync(join(dir, "base"))).toBe(false);
        expect(existsSync(join(dir, "qs"))).toBe(false);
        const help = await runCli(["world", "generate", "--help"]);
        expect(help.stdout).toMatch(/Usage: rmr1 world generate/);
    });
});

describe("world golden file", () => {
    it("generates, renders and judges exactly as recorded", async () => {
        const golden = new URL("./fixtures/world/golden.jsonl", import.meta.url);
        const pairs = [...generateWorldPairs({n: 24, seed: 2025, family: "all", level: "mix"})];
        const right = new WorldTeacher();
        const wrong = new WorldTeacher({error: 1, seed: 1});
        const rows: unknown[] = [];
        for (const [i, pair] of pairs.entries()) {
            const rendered = renderPair(pair, i % 2 === 0 ? "chosen-first" : "chosen-second", {profile: "tiny"});
            const [r] = await right.generate([{messages: rendered.messages}]);
            const [w] = await wrong.generate([{messages: rendered.messages}]);
            expect(parseCor(r.completions[0].text).violations).toEqual([]);
            expect(parseCor(w.completions[0].text).violations).toEqual([]);
            rows.push({pair, messages: rendered.messages, label: rendered.label, trace: r.completions[0].text, wrongTrace: w.completions[0].text});
        }
        const text = rows.map((row) => JSON.stringify(row)).join("\n") + "\n";
        if (process.env.UPDATE_WORLD_GOLDEN === "1") writeFileSync(golden, text);
        expect(text).toBe(readFileSync(golden, "utf8"));
    });
});
