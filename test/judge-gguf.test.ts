// Judging through the GGUF engine (node-llama-cpp, in-process) with the same real tiny verdict model
// as test/judge-native.test.ts, exported to GGUF (REAL MODEL TEST; loading llama.cpp takes a few
// seconds). The judge layer is engine-agnostic: the same rules must hold on a different engine.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {createEngine} from "../src/engines/createEngine.js";
import type {Engine} from "../src/engines/Engine.js";
import {Judge, evalVerdict, passPositions, rankCandidates} from "../src/index.js";
import {verdictModelStats, writeVerdictModel} from "./fixtures/judge/judgeModels.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-judge-gguf-"));
let engine: Engine;

beforeAll(async () => {
    await writeVerdictModel(dir);
    engine = await createEngine(`gguf:${join(dir, "model.gguf")}`);
});

afterAll(async () => {
    await engine?.close();
    rmSync(dir, {recursive: true, force: true});
});

const pair = (i: number) => ({
    id: `g${i}`,
    prompt: [{role: "user" as const, content: `Spell ${i}.`}],
    chosen: [{role: "assistant" as const, content: `${i}`}],
    rejected: [{role: "assistant" as const, content: `${i}${i}`}]
});

describe("judging with a real tiny GGUF model (node-llama-cpp)", () => {
    it("both orders with confidence from llama.cpp logprobs", async () => {
        const judge = new Judge(engine, {profile: "tiny", order: "both", temperature: 1, maxTokens: 24, seed: 5});
        const js = await Promise.all(Array.from({length: 16}, (_, i) => judge.judgePair(pair(i))));
        let letters = 0;
        for (const j of js) {
            expect(j.passes.map((p) => p.position)).toEqual(passPositions("both", 5, j.id));
            expect(j.outputs).toHaveLength(2);
            for (const o of j.outputs) {
                expect(o.verdict).toBe(evalVerdict(o.text));
                expect(o.text).toMatch(/^\[+([AB]\]*)?$/);
                if (o.p_a != null) {
                    letters++;
                    expect(o.p_a).toBeCloseTo(verdictModelStats.pALetter, 3);
                }
            }
            expect(j.correct).toBe(j.preferred === "chosen");
        }
        expect(letters).toBeGreaterThan(0);
    });

    it("greedy output has no verdict; re-sampling recovers; a knockout ranks", async () => {
        const greedy = await new Judge(engine, {profile: "tiny", maxTokens: 12}).judgePair(pair(1));
        expect(greedy).toMatchObject({verdict: "error", correct: false});
        expect(greedy.outputs[0].text).toBe("[".repeat(12));
        const resampled = await new Judge(engine, {profile: "tiny", maxTokens: 12, resample: 10}).judgePair(pair(1));
        expect(resampled.outputs.length).toBeGreaterThan(1);
        expect(resampled.outputs.slice(1).every((o) => o.temperature === 1)).toBe(true);
        const ko = await rankCandidates(new Judge(engine, {profile: "tiny", temperature: 1, maxTokens: 24}),
            {id: "k", prompt: [{role: "user", content: "Pick one."}], candidates: ["a", "b", "c", "d"]});
        expect(ko.comparisons).toHaveLength(3);
    });
});
