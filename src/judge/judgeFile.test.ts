import {mkdtempSync, readFileSync, writeFileSync, appendFileSync, existsSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {Judge} from "./Judge.js";
import {judgeFile, summaryPath} from "./judgeFile.js";
import {ScriptedJudgeEngine} from "./testing/ScriptedJudgeEngine.js";
import type {ScriptedRequest} from "./testing/ScriptedJudgeEngine.js";
import type {Judgment} from "./Judgment.js";
import {Aborted, ConfigError, EngineBadRequest, InvalidInput} from "../errors.js";

const answer = (x: "A" | "B") => `<answer>[[${x}]]</answer>`;
const knows = (r: ScriptedRequest) => answer(r.a.includes("good") ? "A" : "B");

function pairLine(i: number, withId = true): string {
    return JSON.stringify({
        ...(withId ? {id: `p${i}`} : {}),
        prompt: [{role: "user", content: `q${i}`}],
        chosen: [{role: "assistant", content: `good ${i}`}],
        rejected: [{role: "assistant", content: `bad ${i}`}]
    });
}

function setup(lines: string[]): {dir: string, input: string, output: string} {
    const dir = mkdtempSync(join(tmpdir(), "rmr1-judgefile-"));
    const input = join(dir, "pairs.jsonl");
    writeFileSync(input, lines.join("\n") + "\n");
    return {dir, input, output: join(dir, "judgments.jsonl")};
}

const readOut = (file: string) => readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Judgment);

describe("judgeFile", () => {
    it("judges every pair with concurrency and writes a summary", async () => {
        const {input, output} = setup(Array.from({length: 12}, (_, i) => pairLine(i)));
        const progress: number[] = [];
        const r = await judgeFile({judge: new Judge(new ScriptedJudgeEngine(knows), {profile: "tiny"}), input, output, concurrency: 4, onProgress: (p) => progress.push(p.done)});
        expect(r).toMatchObject({total: 12, written: 12, skipped: 0, resumed: 0});
        const lines = readOut(output);
        expect(new Set(lines.map((l) => l.id)).size).toBe(12);
        expect(r.summary.accuracy).toBe(1);
        expect(r.summary.cost_usd).toBeCloseTo(0.012, 10);
        expect(progress.at(-1)).toBe(12);
        const written = JSON.parse(readFileSync(summaryPath(output), "utf8"));
        expect(written.accuracy).toBe(1);
        expect(written.judge.profile).toBe("tiny");
    });

    it("resumes after an abort: no duplicates, nothing lost", async () => {
        const {input, output} = setup(Array.from({length: 10}, (_, i) => pairLine(i)));
        const engine = new ScriptedJudgeEngine(knows);
        engine.delayMs = 5;
        const controller = new AbortController();
        const first = judgeFile({
            judge: new Judge(engine, {profile: "tiny"}), input, output, concurrency: 2, signal: controller.signal,
            onProgress: (p) => { if (p.written >= 4) controller.abort(); }
        });
        await expect(first).rejects.toThrow(Aborted);
        const partial = readOut(output);
        expect(partial.length).toBeGreaterThanOrEqual(4);
        expect(partial.length).toBeLessThan(10);

        const engine2 = new ScriptedJudgeEngine(knows);
        const r = await judgeFile({judge: new Judge(engine2, {profile: "tiny"}), input, output});
        expect(r.resumed).toBe(partial.length);
        expect(r.skipped).toBe(partial.length);
        expect(r.written).toBe(10 - partial.length);
        expect(engine2.seen).toHaveLength(10 - partial.length);
        const all = readOut(output);
        expect(all.map((l) => l.id).sort()).toEqual(Array.from({length: 10}, (_, i) => `p${i}`).sort());
        expect(r.summary.judgments).toBe(10);
    });

    it("drops a torn last line before resuming", async () => {
        const {input, output} = setup([pairLine(0), pairLine(1)]);
        await judgeFile({judge: new Judge(new ScriptedJudgeEngine(knows), {profile: "tiny", order: "fixed"}), input, output});
        const text = readFileSync(output, "utf8");
        const lines = text.trim().split("\n");
        // Simulate a crash mid-write of the second line.
        writeFileSync(output, lines[0] + "\n" + lines[1].slice(0, 30));
        const r = await judgeFile({judge: new Judge(new ScriptedJudgeEngine(knows), {profile: "tiny", order: "fixed"}), input, output});
        expect(r).toMatchObject({resumed: 1, written: 1});
        expect(readOut(output).map((l) => l.id).sort()).toEqual(["p0", "p1"]);
    });

    it("stops at a malformed line naming it, keeping the results before it", async () => {
        const {input, output} = setup([pairLine(0), pairLine(1), "{not json", pairLine(3)]);
        const run = judgeFile({judge: new Judge(new ScriptedJudgeEngine(knows), {profile: "tiny"}), input, output});
        await expect(run).rejects.toThrow(InvalidInput);
        await expect(judgeFile({judge: new Judge(new ScriptedJudgeEngine(knows), {profile: "tiny"}), input, output})).rejects.toThrow(/pairs\.jsonl:3: line is not valid JSON/);
        expect(readOut(output).map((l) => l.id)).toEqual(["p0", "p1"]);
    });

    it("names the field and line of an invalid pair, and of a duplicate id", async () => {
        const bad = setup([pairLine(0), JSON.stringify({id: "x", chosen: [{role: "assistant", content: "a"}], rejected: [{role: "robot", content: "b"}]})]);
        await expect(judgeFile({judge: new Judge(new ScriptedJudgeEngine(knows), {profile: "tiny"}), ...bad}))
            .rejects.toThrow(/pairs\.jsonl:2: 'rejected\[0\]\.role' must be one of system, user, assistant/);
        const dup = setup([pairLine(0), pairLine(1), pairLine(0)]);
        await expect(judgeFile({judge: new Judge(new ScriptedJudgeEngine(knows), {profile: "tiny"}), ...dup}))
            .rejects.toThrow(/pairs\.jsonl:3: id 'p0' was already used on line 1/);
        expect(readOut(dup.output)).toHaveLength(2);
    });

    it("generates stable ids for lines without one and resumes on them", async () => {
        const {input, output} = setup([pairLine(0, false), pairLine(1, false)]);
        const r1 = await judgeFile({judge: new Judge(new ScriptedJudgeEngine(knows), {profile: "tiny"}), input, output});
        expect(r1.generatedIds).toBe(2);
        expect(readOut(output).every((l) => l.id_generated === true && l.id.startsWith("sha256:"))).toBe(true);
        appendFileSync(input, pairLine(2, false) + "\n");
        const r2 = await judgeFile({judge: new Judge(new ScriptedJudgeEngine(knows), {profile: "tiny"}), input, output});
        expect(r2).toMatchObject({skipped: 2, written: 1});
    });

    it("refuses to resume with different settings", async () => {
        const {input, output} = setup([pairLine(0)]);
        await judgeFile({judge: new Judge(new ScriptedJudgeEngine(knows), {profile: "tiny"}), input, output});
        await expect(judgeFile({judge: new Judge(new ScriptedJudgeEngine(knows), {profile: "tiny", order: "both"}), input, output}))
            .rejects.toThrow(ConfigError);
    });

    it("stops on an engine failure naming the item, keeping the others", async () => {
        const {input, output} = setup([pairLine(0), pairLine(1), pairLine(2), pairLine(3)]);
        const engine = new ScriptedJudgeEngine((r) => {
            if (r.a.includes("2") || r.b.includes("2")) throw new EngineBadRequest("prompt is longer than the context (1024 tokens)", {status: 400});
            return knows(r);
        });
        const run = judgeFile({judge: new Judge(engine, {profile: "tiny"}), input, output});
        await expect(run).rejects.toThrow(/prompt is longer than the context \(1024 tokens\) \(on id 'p2', .*pairs\.jsonl:3\)\. 2 new results were saved/);
        expect(readOut(output).map((l) => l.id)).toEqual(["p0", "p1"]);
    });

    it("says which input is missing", async () => {
        const {dir} = setup([]);
        await expect(judgeFile({judge: new Judge(new ScriptedJudgeEngine(knows)), input: join(dir, "nope.jsonl"), output: join(dir, "o.jsonl")}))
            .rejects.toThrow(/input file .*nope\.jsonl does not exist/);
        expect(existsSync(join(dir, "o.jsonl"))).toBe(false);
    });
});
