import {describe, expect, it} from "vitest";
import {lineTraces, pairOf, summarizeSampleLine} from "./sampleLine.js";
import {positionBias} from "./evalSummary.js";
import {matchesFilter, parseSampleFilter} from "./sampleFilter.js";
import type {SampleRow} from "./apiTypes.js";

const trace = "<type>Chat</type>\n<rubric>1. Helpful (100%)\n<justify>asked for help</justify></rubric>\n<eval><quote_A>yes</quote_A> vs <quote_B>no</quote_B></eval>\n<answer>[[B]]</answer>";

describe("summarizeSampleLine", () => {
    it("reads an `rmr1 eval` line: benchmark group, order, verdict, outcome, CoR facts, scoring sample", () => {
        const core = summarizeSampleLine({
            benchmark: "rm-bench", id: "rm-bench/safety-refuse/7/c0-r1", item_id: "7", domain: "safety-refuse", chosen_style: 0, rejected_style: 1,
            order_policy: "random", chosen_position: "B", verdict: "B", outcome: 1,
            outputs: [{position: "B", sample: 0, attempt: 0, seed: 1, temperature: 0, text: trace, verdict: "B", finish_reason: "stop"}],
            pair: {prompt: [{role: "user", content: "Help me\nplease"}], chosen: [{role: "assistant", content: "no"}], rejected: [{role: "assistant", content: "yes"}]}
        }, 3);
        expect(core).toMatchObject({line: 3, id: "rm-bench/safety-refuse/7/c0-r1", benchmark: "rm-bench", group: "safety", chosenPosition: "B", verdict: "B",
            outcome: 1, result: "correct", type: "Chat", violations: 0, preview: "Help me please", preferred: "chosen", benchProblem: null});
        expect(core.bench).toMatchObject({benchmark: "rm-bench", scoring_domain: "safety", rotation: 2, index: 0});
    });

    it("groups RMB lines by section and reports a line that is not a valid benchmark sample", () => {
        const ok = summarizeSampleLine({benchmark: "rmb", kind: "bon", id: "rmb/bon/u1/0", item_id: "u1", category_path: "BoN_set/Harmlessness/S1", loser_index: 0, outcome: 0, verdict: "A", chosen_position: "B"}, 1);
        expect([ok.group, ok.result, ok.preferred]).toEqual(["BoN Harmlessness", "wrong", "rejected"]);
        const bad = summarizeSampleLine({benchmark: "rewardbench", id: "x", subset: "no-such-subset", outcome: 1}, 9, "runs/r/samples.jsonl");
        expect(bad.bench).toBeNull();
        expect(bad.benchProblem).toMatch(/^runs\/r\/samples\.jsonl:9: 'subset' must be a RewardBench subset/);
    });

    it("reads a judge line without texts, and an unlabelled one", () => {
        const judged = summarizeSampleLine({id: "p1", verdict: "error", chosen_position: "A", preferred: null, correct: false, outcome: 0, outputs: [{position: "A", text: "I cannot decide", verdict: "error"}], cor: []}, 1);
        expect([judged.result, judged.type, judged.violations > 0]).toEqual(["error", null, true]);
        const unlabelled = summarizeSampleLine({id: "u", verdict: "A", chosen_position: null, first_position: "B", preferred: "second", correct: null, outcome: null, outputs: [{position: "B", text: trace}]}, 2);
        expect([unlabelled.result, unlabelled.preferred]).toEqual(["unlabelled", "second"]);
    });

    it("derives the verdict and outcome of a bare line from its only output, and ids from the line number", () => {
        const core = summarizeSampleLine({chosen_position: "A", output: trace}, 12);
        expect([core.id, core.verdict, core.outcome, core.result]).toEqual(["line 12", "B", 0, "wrong"]);
        expect(() => summarizeSampleLine([1, 2], 1)).toThrow(/must be a JSON object/);
    });
});

describe("pairOf and lineTraces", () => {
    it("takes the turns two full conversations share as the prompt (implicit-prompt TRL form)", () => {
        const pair = pairOf({
            chosen: [{role: "user", content: "hi"}, {role: "assistant", content: "hello"}, {role: "user", content: "joke?"}, {role: "assistant", content: "good joke"}],
            rejected: [{role: "user", content: "hi"}, {role: "assistant", content: "hello"}, {role: "user", content: "joke?"}, {role: "assistant", content: "no"}]
        });
        expect(pair.prompt.map((m) => m.content)).toEqual(["hi", "hello", "joke?"]);
        expect(pair.replies.map((r) => [r.key, r.messages.map((m) => m.content)])).toEqual([["chosen", ["good joke"]], ["rejected", ["no"]]]);
        expect(pairOf({first: "a", second: [{role: "assistant", content: [{type: "text", text: "b"}]}]}).replies.map((r) => [r.key, r.messages[0].content])).toEqual([["first", "a"], ["second", "b"]]);
    });

    it("locates each output's quotes in the reply its own order showed (both-orders judgments)", () => {
        const line = {
            id: "p", chosen_position: "A", verdict: "tie",
            outputs: [{position: "A", text: trace, verdict: "B"}, {position: "B", text: trace, verdict: "B"}],
            pair: {prompt: [{role: "user", content: "q"}], chosen: [{role: "assistant", content: "yes"}], rejected: [{role: "assistant", content: "no"}]}
        };
        const [first, second] = lineTraces(line, pairOf(line));
        expect(first.citations.map((c) => c.target)).toEqual(["chosen", "rejected"]);
        expect(second.citations.map((c) => c.target)).toEqual(["rejected", "chosen"]);
        expect(first.citations[0].match).toBe("exact");
        expect(second.citations[0].match).toBe("none");
        expect(second.label).toBe("output 2 · chosen shown as B");
    });
});

describe("filters and position bias", () => {
    const row = (r: Partial<SampleRow>): SampleRow => ({
        index: 0, line: 1, id: "x", benchmark: "rewardbench", group: "hep-go", chosenPosition: "A", verdict: "A", outcome: 1,
        result: "correct", type: "Chat", violations: 0, preview: "Write Go code", ...r
    });

    it("matches rows on every filter at once", () => {
        const f = parseSampleFilter(new URLSearchParams("result=wrong,error&group=rewardbench%2Fhep-go&position=B&format=issues&q=go+CODE"));
        expect(matchesFilter(row({result: "error", chosenPosition: "B", violations: 2}), f)).toBe(true);
        expect(matchesFilter(row({result: "correct", chosenPosition: "B", violations: 2}), f)).toBe(false);
        expect(matchesFilter(row({result: "wrong", chosenPosition: "A", violations: 2}), f)).toBe(false);
        expect(matchesFilter(row({result: "wrong", chosenPosition: "B", violations: 0}), f)).toBe(false);
        expect(matchesFilter(row({result: "wrong", chosenPosition: "B", violations: 1, benchmark: "rmb"}), f)).toBe(false);
    });

    it("computes accuracy by the chosen reply's position and the share of A verdicts", () => {
        const rows = [
            row({chosenPosition: "A", verdict: "A", result: "correct"}), row({chosenPosition: "A", verdict: "B", result: "wrong"}),
            row({chosenPosition: "B", verdict: "B", result: "correct"}), row({chosenPosition: "B", verdict: "error", result: "error"}),
            row({chosenPosition: "B", verdict: "A", result: "wrong"})
        ];
        const b = positionBias(rows);
        expect(b.chosenInA).toEqual({n: 2, correct: 1, accuracy: 0.5});
        expect(b.chosenInB).toEqual({n: 3, correct: 1, accuracy: 1 / 3});
        expect([b.verdictsAB, b.aShare, b.delta]).toEqual([4, 0.5, 0.5 - 1 / 3]);
    });
});
