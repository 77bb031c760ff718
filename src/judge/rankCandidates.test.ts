import {describe, expect, it} from "vitest";
import {Judge} from "./Judge.js";
import {bestOfN, rankCandidates} from "./rankCandidates.js";
import {groupRewards, referenceReward, rewardsFromMatches} from "./judgeRewards.js";
import {ScriptedJudgeEngine} from "./testing/ScriptedJudgeEngine.js";
import type {ScriptedRequest} from "./testing/ScriptedJudgeEngine.js";
import {bradleyTerry} from "./bradleyTerry.js";

const answer = (x: "A" | "B") => `<answer>[[${x}]]</answer>`;
const quality = (s: string) => Number(/q=(\d+)/.exec(s)?.[1] ?? "0");
/** Prefers the reply with the higher q=N; equal → whatever sits in A. */
const byQuality = (r: ScriptedRequest) => answer(quality(r.a) >= quality(r.b) ? "A" : "B");

const prompt = [{role: "user" as const, content: "Write a haiku."}];
const candidates = ["q=3", "q=9", "q=1", "q=7", "q=5"];

describe("rankCandidates", () => {
    it("knockout: finds the best with n − 1 judgments", async () => {
        const engine = new ScriptedJudgeEngine(byQuality);
        const r = await rankCandidates(new Judge(engine, {profile: "tiny", seed: 4}), {id: "h", prompt, candidates}, {method: "knockout"});
        expect(r.best).toBe(1);
        expect(r.comparisons).toHaveLength(4);
        expect(engine.seen).toHaveLength(4);
        expect(r.comparisons.every((c) => c.judgment.preferred === (c.winner === c.a ? "first" : "second"))).toBe(true);
        expect(r.usage.completionTokens).toBe(4 * answer("A").length);
    });

    it("elo and bt: rank everyone from a round-robin", async () => {
        for (const method of ["elo", "bt"] as const) {
            const engine = new ScriptedJudgeEngine(byQuality);
            const r = await rankCandidates(new Judge(engine, {profile: "tiny"}), {id: "h", prompt, candidates}, {method});
            expect(r.ranking).toEqual([1, 3, 4, 0, 2]);
            expect(engine.seen).toHaveLength(10);
            expect(r.win_rates).toEqual([0.25, 1, 0, 0.75, 0.5]);
            if (method === "bt") expect(r.bt_scores!.reduce((s, x) => s + x, 0)).toBeCloseTo(0, 10);
        }
    });

    it("bestOfN defaults to a knockout", async () => {
        const {best, ranking} = await bestOfN(new Judge(new ScriptedJudgeEngine(byQuality), {profile: "tiny"}), prompt, candidates);
        expect(best).toBe(1);
        expect(ranking.method).toBe("knockout");
    });
});

describe("rewards from verdicts", () => {
    it("reference reward: sign and probability", async () => {
        const judge = new Judge(new ScriptedJudgeEngine(byQuality), {profile: "tiny", order: "both"});
        expect((await referenceReward(judge, {prompt, response: "q=8", reference: "q=2"})).reward).toBe(1);
        expect((await referenceReward(judge, {prompt, response: "q=1", reference: "q=2"})).reward).toBe(-1);
        // Equal quality: this judge then says A in both orders, so the orders disagree → tie → 0.
        expect((await referenceReward(judge, {prompt, response: "q=2", reference: "q=2"})).reward).toBe(0);
        expect((await referenceReward(judge, {prompt, response: "q=2", reference: "q=2"}, {mode: "probability"})).reward).toBe(0.5);
        const withP = new Judge(new ScriptedJudgeEngine((r) => ({text: byQuality(r), pA: quality(r.a) > quality(r.b) ? 0.9 : 0.1})), {profile: "tiny", order: "both"});
        expect((await referenceReward(withP, {prompt, response: "q=8", reference: "q=2"}, {mode: "probability"})).reward).toBeCloseTo(0.9, 12);
    });

    it("group rewards: win rate and Bradley–Terry within the group", async () => {
        const judge = new Judge(new ScriptedJudgeEngine(byQuality), {profile: "tiny"});
        const wr = await groupRewards(judge, {prompt, responses: ["q=1", "q=5", "q=3"]});
        expect(wr.rewards).toEqual([0, 1, 0.5]);
        expect(wr.matches).toHaveLength(3);
        const bt = await groupRewards(judge, {prompt, responses: ["q=1", "q=5", "q=3"]}, {method: "bradley-terry"});
        expect(bt.rewards).toEqual(bradleyTerry(3, wr.matches).scores);
        expect(bt.rewards[1]).toBeGreaterThan(bt.rewards[2]);
        expect(bt.rewards[2]).toBeGreaterThan(bt.rewards[0]);
        expect(rewardsFromMatches(2, [{a: 0, b: 1, score: 0.5}], "win-rate")).toEqual([0.5, 0.5]);
    });
});
