import {describe, expect, it} from "vitest";
import {Judge} from "./Judge.js";
import {ScriptedJudgeEngine} from "./testing/ScriptedJudgeEngine.js";
import type {ScriptedRequest} from "./testing/ScriptedJudgeEngine.js";
import {passPositions} from "./orderPolicy.js";
import {ConfigError, EngineBadRequest, InvalidInput} from "../errors.js";
import type {PreferencePair} from "../protocol/types.js";

const answer = (x: "A" | "B") => `<type>Chat</type>\n<eval>ok</eval>\n<answer>[[${x}]]</answer>`;
/** A judge that knows the answer: the reply containing "good" wins. */
const knows = (r: ScriptedRequest) => answer(r.a.includes("good") ? "A" : "B");
/** A judge with total position bias. */
const alwaysA = () => answer("A");

function pair(i: number): PreferencePair & {id: string} {
    return {id: `p${i}`, prompt: [{role: "user", content: `question ${i}`}], chosen: [{role: "assistant", content: `good ${i}`}], rejected: [{role: "assistant", content: `bad ${i}`}]};
}

describe("Judge: order policies", () => {
    it("random: one call per pair in the keyed order, verdict mapped back to chosen", async () => {
        const engine = new ScriptedJudgeEngine(knows);
        const judge = new Judge(engine, {profile: "tiny", seed: 5});
        const positions = new Set<string>();
        for (let i = 0; i < 20; i++) {
            const j = await judge.judgePair(pair(i));
            const [expected] = passPositions("random", 5, `p${i}`);
            expect(j.chosen_position).toBe(expected);
            expect(j.verdict).toBe(expected);
            expect(j).toMatchObject({preferred: "chosen", correct: true, outcome: 1, id: `p${i}`});
            expect(j.outputs).toHaveLength(1);
            expect(j.cor[0].verdict).toBe(expected);
            expect(j.cor[0].type).toBe("Chat");
            positions.add(j.chosen_position!);
        }
        expect(positions).toEqual(new Set(["A", "B"]));
        expect(engine.seen).toHaveLength(20);
        // The chosen reply really sat where the record says.
        expect(engine.seen.every((r, i) => (r.a === `good ${i}`) === (passPositions("random", 5, `p${i}`)[0] === "A"))).toBe(true);
    });

    it("fixed: chosen always in A, so a judge that always says A looks perfect", async () => {
        const judge = new Judge(new ScriptedJudgeEngine(alwaysA), {profile: "tiny", order: "fixed"});
        for (let i = 0; i < 5; i++) {
            const j = await judge.judgePair(pair(i));
            expect(j).toMatchObject({chosen_position: "A", verdict: "A", preferred: "chosen", correct: true});
        }
    });

    it("random exposes the same biased judge as wrong about half the time", async () => {
        const judge = new Judge(new ScriptedJudgeEngine(alwaysA), {profile: "tiny"});
        const js = await Promise.all(Array.from({length: 40}, (_, i) => judge.judgePair(pair(i))));
        for (const j of js) expect(j.correct).toBe(j.chosen_position === "A");
        const right = js.filter((j) => j.correct).length;
        expect(right).toBeGreaterThan(10);
        expect(right).toBeLessThan(30);
    });

    it("both: agreement gives the verdict, disagreement a tie or the configured fallback", async () => {
        const good = new Judge(new ScriptedJudgeEngine(knows), {profile: "tiny", order: "both", seed: 1});
        const j = await good.judgePair(pair(3));
        expect(j.passes.map((p) => p.position)).toEqual(passPositions("both", 1, "p3"));
        expect(j).toMatchObject({preferred: "chosen", correct: true, consistent: true, verdict: j.chosen_position});
        expect(j.outputs).toHaveLength(2);

        const biased = (fallback?: "tie" | "first-order" | "error") =>
            new Judge(new ScriptedJudgeEngine(alwaysA), {profile: "tiny", order: "both", seed: 1, tieFallback: fallback});
        expect(await biased().judgePair(pair(3))).toMatchObject({verdict: "tie", preferred: "tie", correct: false, outcome: 0.5, consistent: false});
        const first = await biased("first-order").judgePair(pair(3));
        const random = await new Judge(new ScriptedJudgeEngine(alwaysA), {profile: "tiny", seed: 1}).judgePair(pair(3));
        expect(first).toMatchObject({verdict: "A", preferred: random.preferred, chosen_position: random.chosen_position, consistent: false});
        expect(await biased("error").judgePair(pair(3))).toMatchObject({verdict: "error", preferred: null, correct: false, outcome: 0, consistent: false});
    });

    it("both: an unparsable order makes the judgment an error, consistency unknown", async () => {
        const judge = new Judge(new ScriptedJudgeEngine((r) => r.a.includes("good") ? "no verdict" : answer("B")), {profile: "tiny", order: "both"});
        expect(await judge.judgePair(pair(0))).toMatchObject({verdict: "error", preferred: null, consistent: null, correct: false});
    });

    it("maps unlabelled pairs to first/second", async () => {
        const judge = new Judge(new ScriptedJudgeEngine(knows), {profile: "tiny", seed: 2});
        const seenFirst = new Set<string>();
        for (let i = 0; i < 10; i++) {
            const firstGood = i % 2 === 0;
            const j = await judge.compare({id: `u${i}`, prompt: [{role: "user", content: "q"}], first: firstGood ? "good" : "meh", second: firstGood ? "meh" : "good"});
            expect(j.chosen_position).toBeNull();
            expect(j.correct).toBeNull();
            expect(j.outcome).toBeNull();
            expect(j.preferred).toBe(firstGood ? "first" : "second");
            expect(j.verdict).toBe(firstGood ? j.first_position : j.first_position === "A" ? "B" : "A");
            seenFirst.add(j.first_position!);
        }
        expect(seenFirst.size).toBe(2);
    });
});

describe("Judge: voting, re-sampling, confidence", () => {
    it("votes over k samples with distinct seeds at the given temperature", async () => {
        // Each sample's verdict follows its seed's parity: the vote must count them exactly.
        const engine = new ScriptedJudgeEngine((r) => answer(r.options.seed! % 2 === 0 ? "A" : "B"));
        const judge = new Judge(engine, {profile: "tiny", order: "fixed", samples: 5, temperature: 0.7, seed: 11});
        const j = await judge.judgePair(pair(1));
        const seeds = engine.seen.map((r) => r.options.seed!);
        expect(new Set(seeds).size).toBe(5);
        expect(engine.seen.every((r) => r.options.temperature === 0.7)).toBe(true);
        const a = seeds.filter((s) => s % 2 === 0).length;
        expect(j.passes[0].votes).toEqual({A: a, B: 5 - a, error: 0});
        expect(j.verdict).toBe(a >= 3 ? "A" : "B");
        expect(j.outputs.map((o) => o.sample)).toEqual([0, 1, 2, 3, 4]);
    });

    it("reports a tie when the votes split evenly", async () => {
        const engine = new ScriptedJudgeEngine((r) => answer(r.index % 2 === 0 ? "A" : "B"));
        const j = await new Judge(engine, {profile: "tiny", order: "fixed", samples: 2}).judgePair(pair(0));
        expect(j).toMatchObject({verdict: "tie", preferred: "tie", correct: false, outcome: 0.5});
        expect(j.judge.temperature).toBe(1);
    });

    it("refuses to vote over greedy samples", () => {
        expect(() => new Judge(new ScriptedJudgeEngine(knows), {samples: 3, temperature: 0})).toThrow(ConfigError);
        expect(() => new Judge(new ScriptedJudgeEngine(knows), {samples: 0})).toThrow(InvalidInput);
        expect(() => new Judge(new ScriptedJudgeEngine(knows), {profile: "nope" as never})).toThrow(/unknown profile/);
    });

    it("scores an unparsable output as wrong by default, and re-samples it when asked", async () => {
        // Greedy output has no verdict; any sampled (temperature > 0) output has the right one.
        const script = (r: ScriptedRequest) => r.options.temperature === 0 ? "I cannot decide." : knows(r);
        const plain = await new Judge(new ScriptedJudgeEngine(script), {profile: "tiny"}).judgePair(pair(0));
        expect(plain).toMatchObject({verdict: "error", preferred: null, correct: false, outcome: 0});
        expect(plain.cor[0].verdict).toBeNull();

        const engine = new ScriptedJudgeEngine(script);
        const j = await new Judge(engine, {profile: "tiny", resample: 3}).judgePair(pair(0));
        expect(j).toMatchObject({preferred: "chosen", correct: true});
        expect(j.outputs.map((o) => [o.attempt, o.verdict === "error", o.temperature])).toEqual([[0, true, 0], [1, false, 1]]);
        expect(new Set(engine.seen.map((r) => r.options.seed)).size).toBe(2);

        // Never parsable: N re-samples, then error.
        const never = new ScriptedJudgeEngine(() => "nothing");
        const k = await new Judge(never, {profile: "tiny", resample: 2, temperature: 0.5}).judgePair(pair(0));
        expect(k.verdict).toBe("error");
        expect(k.outputs.map((o) => o.attempt)).toEqual([0, 1, 2]);
        expect(k.outputs.every((o) => o.temperature === 0.5)).toBe(true);
        expect(never.seen).toHaveLength(3);
    });

    it("reads confidence from logprobs and maps it to the chosen reply", async () => {
        // The judge puts 0.8 on whichever letter holds the good reply.
        const script = (r: ScriptedRequest) => {
            const goodInA = r.a.includes("good");
            return {text: answer(goodInA ? "A" : "B"), pA: goodInA ? 0.8 : 0.2};
        };
        const judge = new Judge(new ScriptedJudgeEngine(script), {profile: "tiny", order: "both"});
        const j = await judge.judgePair(pair(4));
        expect(j.p_chosen).toBeCloseTo(0.8, 12);
        expect(j.confidence).toBeCloseTo(0.8, 12);
        expect(j.passes.map((p) => p.p_a! > 0.5)).toEqual(j.passes.map((p) => p.position === "A"));
        const off = await new Judge(new ScriptedJudgeEngine(script), {profile: "tiny", confidence: false}).judgePair(pair(4));
        expect(off.p_chosen).toBeUndefined();
        expect(off.confidence).toBeUndefined();
    });

    it("drops logprobs when the engine refuses them", async () => {
        const engine = new ScriptedJudgeEngine(knows);
        const inner = engine.generate.bind(engine);
        let refused = 0;
        engine.generate = async (requests, options) => {
            if (requests.some((r) => r.options?.logprobs === true)) {
                refused++;
                throw new EngineBadRequest("logprobs is not supported with this model", {status: 400});
            }
            return inner(requests, options);
        };
        const judge = new Judge(engine, {profile: "tiny"});
        expect((await judge.judgePair(pair(0))).correct).toBe(true);
        expect((await judge.judgePair(pair(1))).correct).toBe(true);
        expect(refused).toBe(1);
    });

    it("records usage, the settings, and a content id when the input has none", async () => {
        const judge = new Judge(new ScriptedJudgeEngine(knows), {profile: "tiny", maxTokens: 64});
        const {id: _, ...noId} = pair(0);
        const j = await judge.judgePair(noId);
        expect(j.id).toMatch(/^sha256:[0-9a-f]{16}$/);
        expect(j.id_generated).toBe(true);
        expect((await judge.judgePair(noId)).id).toBe(j.id);
        expect(j.usage.completionTokens).toBe(j.outputs[0].text.length);
        expect(j.usage.costUsd).toBeCloseTo(0.001, 12);
        expect(j.judge).toEqual({engine: "scripted:judge", profile: "tiny", order: "random", seed: 0, samples: 1, temperature: 0, resample: 0, max_tokens: 64});
    });
});
