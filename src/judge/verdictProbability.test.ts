import {describe, expect, it} from "vitest";
import {verdictProbability} from "./verdictProbability.js";
import {majorityVote} from "./majorityVote.js";
import {passPositions} from "./orderPolicy.js";
import {keyedUniform} from "../protocol/rng.js";
import type {TokenLogprob} from "../engines/Engine.js";

const tok = (token: string, p: number, top?: [string, number][]): TokenLogprob =>
    ({token, logprob: Math.log(p), top: top?.map(([t, q]) => ({token: t, logprob: Math.log(q)}))});

describe("verdictProbability", () => {
    it("reads P(A)/(P(A)+P(B)) at the letter of the final <answer>[[X]]</answer> (byte tokens)", () => {
        const text = "<eval>[[B]] is quoted</eval><answer>[[";
        const tokens = [...text].map((c) => tok(c, 0.9, [[c, 0.9]]));
        tokens.push(tok("A", 0.6, [["A", 0.6], ["B", 0.3], ["C", 0.1]]));
        for (const c of "]]</answer>") tokens.push(tok(c, 0.99, [[c, 0.99]]));
        expect(verdictProbability(tokens)).toBeCloseTo(0.6 / 0.9, 12);
    });

    it("handles letters merged with brackets, and a sampled token missing from top", () => {
        // BPE-style: "<answer>", "[[B", "]]</answer>". Alternatives "[[A" (0.2) and "[[A]]" (0.05) both write A.
        const tokens = [tok("<answer>", 1, []), tok("[[B", 0.5, [["[[A", 0.2], ["[[A]]", 0.05], ["[[", 0.1]]), tok("]]</answer>", 1, [])];
        expect(verdictProbability(tokens)).toBeCloseTo(0.25 / 0.75, 12);
        // The other letter absent from the top list counts as 0.
        expect(verdictProbability([tok("[[", 1, []), tok("A", 0.7, [["A", 0.7], ["x", 0.1]]), tok("]]", 1, [])])).toBe(1);
    });

    it("prefers the tagged verdict over a later bare one, and says undefined when it cannot tell", () => {
        const tagged = [tok("<answer>[[", 1, []), tok("B", 0.8, [["A", 0.2]]), tok("]]</answer> see [[", 1, []), tok("A", 1, [["A", 1]]), tok("]]", 1, [])];
        expect(verdictProbability(tagged)).toBeCloseTo(0.2, 12);
        expect(verdictProbability(undefined)).toBeUndefined();
        expect(verdictProbability([tok("no verdict", 1, [])])).toBeUndefined();
        // No `top` at the letter: the sampled token alone says nothing about the other letter.
        expect(verdictProbability([tok("[[", 1), tok("A", 0.9), tok("]]", 1)])).toBeUndefined();
    });
});

describe("majorityVote", () => {
    it("takes the majority, reports ties, lets errors abstain", () => {
        expect(majorityVote(["A", "B", "A"])).toEqual({verdict: "A", votes: {A: 2, B: 1, error: 0}});
        expect(majorityVote(["A", "B", "error", "error"])).toEqual({verdict: "tie", votes: {A: 1, B: 1, error: 2}});
        expect(majorityVote(["error", "B"]).verdict).toBe("B");
        expect(majorityVote(["error", "error"]).verdict).toBe("error");
        expect(majorityVote([]).verdict).toBe("error");
    });
});

describe("passPositions", () => {
    it("follows the keyed coin for random, A for fixed, both orders for both", () => {
        let b = 0;
        for (let i = 0; i < 200; i++) {
            const id = `item-${i}`;
            const [p] = passPositions("random", 42, id);
            expect(p).toBe(keyedUniform(42, id) > 0.5 ? "B" : "A");
            if (p === "B") b++;
            expect(passPositions("both", 42, id)).toEqual([p, p === "A" ? "B" : "A"]);
            expect(passPositions("fixed", 42, id)).toEqual(["A"]);
        }
        expect(b).toBeGreaterThan(70);
        expect(b).toBeLessThan(130);
        expect(() => passPositions("sideways" as never, 1, "x")).toThrow(/unknown order policy 'sideways'/);
    });
});
