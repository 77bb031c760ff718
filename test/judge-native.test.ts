// End-to-end judging with real tiny models on the native engine (REAL MODEL TESTS: each model is a
// 1-layer d64 Llama written by test/fixtures/judge/judgeModels.ts; they run in well under a second).
// The verdict model knows only the verdict format, with known statistics: greedy output never holds
// a verdict; a sample at temperature 1 holds one with probability 0.35, A with probability 0.6, and
// P(A)/(P(A)+P(B)) at its letter is exactly 0.6. So the tests can check every bookkeeping rule of
// the judge against what the model really wrote.
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {createEngine} from "../src/engines/createEngine.js";
import type {Engine} from "../src/engines/Engine.js";
import {
    Judge, bestOfN, evalVerdict, groupRewards, judgeFile, majorityVote, passPositions, rankCandidates, referenceReward
} from "../src/index.js";
import type {Judgment, PreferencePair} from "../src/index.js";
import {verdictModelStats, writeRandomModel, writeVerdictModel} from "./fixtures/judge/judgeModels.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-judge-native-"));
let verdictEngine: Engine;
let randomEngine: Engine;

beforeAll(async () => {
    await writeVerdictModel(join(dir, "verdict"));
    await writeRandomModel(join(dir, "random"));
    verdictEngine = await createEngine(`native:${join(dir, "verdict")}`);
    randomEngine = await createEngine(`native:${join(dir, "random")}`);
});

afterAll(async () => {
    await verdictEngine?.close();
    await randomEngine?.close();
    rmSync(dir, {recursive: true, force: true});
});

function pair(i: number): PreferencePair & {id: string} {
    return {
        id: `p${i}`,
        prompt: [{role: "user", content: `What is ${i} + 1?`}],
        chosen: [{role: "assistant", content: `${i + 1}`}],
        rejected: [{role: "assistant", content: `${i + 2}`}]
    };
}

const pairs = (n: number) => Array.from({length: n}, (_, i) => pair(i));

/** Every rule that ties a judgment to the outputs the model wrote. */
function checkConsistent(j: Judgment): void {
    expect(j.outputs.length).toBe(j.cor.length);
    for (const o of j.outputs) {
        expect(o.verdict).toBe(evalVerdict(o.text));
        if (o.p_a != null) expect(o.p_a).toBeCloseTo(verdictModelStats.pALetter, 4);
    }
    for (const p of j.passes) {
        const finals = j.outputs.filter((o) => o.position === p.position && !j.outputs.some((x) => x.position === o.position && x.sample === o.sample && x.attempt > o.attempt));
        expect(majorityVote(finals.map((o) => o.verdict))).toEqual({verdict: p.verdict, votes: p.votes});
        if (p.verdict === "A" || p.verdict === "B") expect(p.preferred).toBe(p.verdict === p.position ? "chosen" : "rejected");
    }
    expect(j.correct).toBe(j.preferred === "chosen");
    expect(j.outcome).toBe(j.preferred === "chosen" ? 1 : j.preferred === "tie" ? 0.5 : 0);
    expect(j.usage.promptTokens).toBeGreaterThan(0);
}

describe("judging with a real tiny model (native engine)", () => {
    it("random order: the seeded coin places the chosen reply, the verdict maps back, confidence is read", async () => {
        const judge = new Judge(verdictEngine, {profile: "tiny", temperature: 1, seed: 3, maxTokens: 24});
        const js = await Promise.all(pairs(60).map((p) => judge.judgePair(p)));
        for (const j of js) {
            expect(j.chosen_position).toBe(passPositions("random", 3, j.id)[0]);
            expect(j.outputs).toHaveLength(1);
            checkConsistent(j);
            if (j.verdict === "A" || j.verdict === "B") {
                expect(j.correct).toBe(j.verdict === j.chosen_position);
                // P(chosen) from P(A) = 0.6, mapped through the position.
                expect(j.p_chosen).toBeCloseTo(j.chosen_position === "A" ? 0.6 : 0.4, 4);
            } else {
                expect(j.p_chosen).toBeUndefined();
            }
        }
        const valid = js.filter((j) => j.verdict !== "error").length;
        // 60 samples at P(verdict) = 0.35: expect 21; 6..40 is beyond ±4.5 standard deviations.
        expect(valid).toBeGreaterThan(6);
        expect(valid).toBeLessThan(40);
        expect(new Set(js.map((j) => j.chosen_position))).toEqual(new Set(["A", "B"]));
    });

    it("is reproducible: the same seed gives the same outputs", async () => {
        const a = await new Judge(verdictEngine, {profile: "tiny", temperature: 1, seed: 9, maxTokens: 24}).judgePair(pair(1));
        const b = await new Judge(verdictEngine, {profile: "tiny", temperature: 1, seed: 9, maxTokens: 24}).judgePair(pair(1));
        expect(b.outputs).toEqual(a.outputs);
        const texts = await Promise.all([10, 11, 12, 13, 14, 15].map((seed) =>
            new Judge(verdictEngine, {profile: "tiny", temperature: 1, seed, maxTokens: 24}).judgePair(pair(1)).then((j) => j.outputs[0].text)));
        expect(new Set(texts).size).toBeGreaterThan(1);
    });

    it("fixed order: chosen always in A", async () => {
        const judge = new Judge(verdictEngine, {profile: "tiny", order: "fixed", temperature: 1, maxTokens: 24});
        for (const j of await Promise.all(pairs(10).map((p) => judge.judgePair(p)))) {
            expect(j.chosen_position).toBe("A");
            expect(j.passes.map((p) => p.position)).toEqual(["A"]);
            checkConsistent(j);
        }
    });

    it("both orders: two calls per pair, agreement or a tie, consistency recorded", async () => {
        const judge = new Judge(verdictEngine, {profile: "tiny", order: "both", temperature: 1, maxTokens: 24, seed: 4});
        const js = await Promise.all(pairs(40).map((p) => judge.judgePair(p)));
        let both = 0;
        for (const j of js) {
            checkConsistent(j);
            expect(j.passes.map((p) => p.position)).toEqual(passPositions("both", 4, j.id));
            expect(j.outputs).toHaveLength(2);
            const [p1, p2] = j.passes;
            if (p1.verdict === "error" || p2.verdict === "error") {
                expect(j).toMatchObject({verdict: "error", consistent: null});
                continue;
            }
            both++;
            if (p1.preferred === p2.preferred) expect(j).toMatchObject({consistent: true, preferred: p1.preferred, verdict: p1.verdict});
            else expect(j).toMatchObject({consistent: false, preferred: "tie", verdict: "tie", outcome: 0.5});
            // A judge that ignores the replies: P(chosen) averages 0.6 and 0.4 over the two orders.
            expect(j.p_chosen).toBeCloseTo(0.5, 4);
        }
        // P(both orders parse) = 0.35² ≈ 0.12: about 5 of 40.
        expect(both).toBeGreaterThan(0);
    });

    it("voting: k samples with distinct seeds, majority over the ones that parsed", async () => {
        const judge = new Judge(verdictEngine, {profile: "tiny", order: "fixed", samples: 7, temperature: 1, maxTokens: 24});
        const js = await Promise.all(pairs(8).map((p) => judge.judgePair(p)));
        for (const j of js) {
            checkConsistent(j);
            expect(j.outputs).toHaveLength(7);
            expect(new Set(j.outputs.map((o) => o.seed)).size).toBe(7);
            const {A, B, error} = j.passes[0].votes;
            expect(A + B + error).toBe(7);
        }
        // With 7 samples most items get at least one parsed vote (P(none) = 0.65^7 ≈ 0.05).
        expect(js.filter((j) => j.verdict !== "error").length).toBeGreaterThanOrEqual(4);
        expect(new Set(js.flatMap((j) => j.outputs.map((o) => o.text))).size).toBeGreaterThan(3);
    });

    it("parse failures: greedy output scores as wrong; re-sampling recovers with new seeds at temperature 1", async () => {
        const greedy = new Judge(verdictEngine, {profile: "tiny", maxTokens: 16});
        for (const j of await Promise.all(pairs(5).map((p) => greedy.judgePair(p)))) {
            expect(j.outputs[0].text).toBe("[".repeat(16));
            expect(j.outputs[0].finish_reason).toBe("length");
            expect(j).toMatchObject({verdict: "error", preferred: null, correct: false, outcome: 0});
        }
        const judge = new Judge(verdictEngine, {profile: "tiny", maxTokens: 16, resample: 6});
        const js = await Promise.all(pairs(20).map((p) => judge.judgePair(p)));
        let recovered = 0;
        for (const j of js) {
            checkConsistent(j);
            expect(j.outputs[0]).toMatchObject({attempt: 0, temperature: 0, verdict: "error"});
            j.outputs.slice(1).forEach((o, i) => expect(o).toMatchObject({attempt: i + 1, temperature: 1}));
            expect(new Set(j.outputs.map((o) => o.seed)).size).toBe(j.outputs.length);
            const last = j.outputs.at(-1)!;
            // It stops at the first parsable output, or after 6 re-samples.
            expect(last.verdict !== "error" || j.outputs.length === 7).toBe(true);
            expect(j.outputs.slice(0, -1).every((o) => o.verdict === "error")).toBe(true);
            if (last.verdict !== "error") recovered++;
        }
        expect(recovered).toBeGreaterThan(10);
    });

    it("an uninformed random model: every output is noise and scores as wrong", async () => {
        const judge = new Judge(randomEngine, {profile: "tiny", order: "both", maxTokens: 32, resample: 1});
        for (const j of await Promise.all(pairs(4).map((p) => judge.judgePair(p)))) {
            expect(j.outputs).toHaveLength(4);
            expect(j).toMatchObject({verdict: "error", correct: false});
            expect(j.cor.every((c) => c.verdict == null && c.violations.length > 0)).toBe(true);
        }
    });

    it("judgeFile on a real model: summary matches the lines", async () => {
        const input = join(dir, "pairs.jsonl");
        writeFileSync(input, pairs(30).map((p) => JSON.stringify(p)).join("\n") + "\n");
        const r = await judgeFile({judge: new Judge(verdictEngine, {profile: "tiny", order: "both", temperature: 1, maxTokens: 24}), input, output: join(dir, "j.jsonl"), concurrency: 4});
        expect(r.summary.judgments).toBe(30);
        expect(r.summary.outputs).toBe(60);
        expect(r.summary.position_bias.passes).toBe(60);
        // The model says A 60% of the time it says anything.
        expect(r.summary.position_bias.a_rate).not.toBeNull();
        expect(r.summary.parse_failure_rate).toBeGreaterThan(0.4);
        expect(r.summary.tokens.completion).toBeGreaterThan(0);
    });
});

describe("ranking and rewards with a real tiny model", () => {
    const prompt = [{role: "user" as const, content: "Name a colour."}];
    const candidates = ["red", "blue", "green", "cyan", "pink"];

    it("knockout: n − 1 real comparisons; round-robin: n(n−1)/2", async () => {
        const judge = new Judge(verdictEngine, {profile: "tiny", temperature: 1, maxTokens: 24, seed: 2});
        const ko = await rankCandidates(judge, {id: "c", prompt, candidates}, {method: "knockout"});
        expect(ko.comparisons).toHaveLength(4);
        expect([...ko.ranking].sort()).toEqual([0, 1, 2, 3, 4]);
        for (const c of ko.comparisons) {
            // The recorded judgment decided the match unless it had no verdict.
            if (c.judgment.preferred === "first" || c.judgment.preferred === "second") {
                expect(c.decided_by).toBe("verdict");
                expect(c.winner).toBe(c.judgment.preferred === "first" ? c.a : c.b);
            } else {
                // No verdict: P(first) from logprobs is 0.6 or 0.4 only when a letter was written; else a coin.
                expect(["confidence", "coin"]).toContain(c.decided_by);
            }
        }
        const bt = await rankCandidates(judge, {id: "c", prompt, candidates}, {method: "bt"});
        expect(bt.comparisons).toHaveLength(10);
        expect(bt.scores.every(Number.isFinite)).toBe(true);
        const {best} = await bestOfN(judge, prompt, candidates, {id: "c"});
        expect(best).toBe(ko.best);
    });

    it("rewards: reference reward and group win rates from real judgments", async () => {
        const judge = new Judge(verdictEngine, {profile: "tiny", order: "both", temperature: 1, maxTokens: 24});
        const {reward, judgment} = await referenceReward(judge, {prompt, response: "red", reference: "blue"});
        expect([1, -1, 0]).toContain(reward);
        expect(reward).toBe(judgment.preferred === "first" ? 1 : judgment.preferred === "second" ? -1 : 0);
        const {rewards, matches} = await groupRewards(judge, {prompt, responses: candidates});
        expect(matches).toHaveLength(10);
        expect(rewards.every((r) => r >= 0 && r <= 1)).toBe(true);
    });
});
