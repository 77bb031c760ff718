import {describe, expect, it} from "vitest";
import {knockout} from "./knockout.js";
import {roundRobin} from "./roundRobin.js";
import type {CompareFn} from "./MatchResult.js";

/** A deterministic judge: the higher strength wins; equal strengths tie. */
function byStrength(strength: number[], calls: string[] = []): CompareFn {
    return async (a, b, key) => {
        calls.push(key);
        const score = strength[a] > strength[b] ? 1 : strength[a] < strength[b] ? 0 : 0.5;
        return {score};
    };
}

describe("knockout", () => {
    it("finds the strongest of n with exactly n − 1 comparisons in ceil(log2 n) rounds", async () => {
        for (const n of [1, 2, 3, 5, 8, 13]) {
            const strength = Array.from({length: n}, (_, i) => (i * 7) % n);
            const calls: string[] = [];
            const r = await knockout(n, byStrength(strength, calls), {seed: 3, key: "item"});
            expect(r.winner).toBe(strength.indexOf(n - 1));
            expect(calls.length).toBe(n - 1);
            expect(new Set(calls).size).toBe(n - 1);
            expect(r.rounds).toBe(Math.ceil(Math.log2(n)));
            expect(r.byes.length).toBe(2 ** r.rounds - n);
            expect(r.ranking[0]).toBe(r.winner);
            expect([...r.ranking].sort((x, y) => x - y)).toEqual(Array.from({length: n}, (_, i) => i));
            expect(r.reached[r.winner]).toBe(r.rounds + 1);
        }
    });

    it("plays a hand-checked 5-candidate bracket: 3 byes, then a 4-player field", async () => {
        const r = await knockout(5, byStrength([10, 40, 20, 50, 30]), {seed: 1});
        expect(r.matches.filter((m) => m.round === 1).length).toBe(1);
        expect(r.matches.filter((m) => m.round === 2).length).toBe(2);
        expect(r.matches.filter((m) => m.round === 3).length).toBe(1);
        expect(r.winner).toBe(3);
        // Every candidate that is not a bye plays in round 1; byes never do.
        const r1 = r.matches.filter((m) => m.round === 1).flatMap((m) => [m.a, m.b]);
        for (const b of r.byes) expect(r1).not.toContain(b);
        // The runner-up reached the final (round 3), so it is second in the ranking.
        const final = r.matches.find((m) => m.round === 3)!;
        const runnerUp = final.a === 3 ? final.b : final.a;
        expect(r.ranking[1]).toBe(runnerUp);
        expect(r.reached[runnerUp]).toBe(3);
        expect(r.wins.reduce((x, y) => x + y, 0)).toBe(4);
    });

    it("draws the bracket from the seed and the item key", async () => {
        const strength = [1, 2, 3, 4, 5, 6, 7, 8];
        const a = await knockout(8, byStrength(strength), {seed: 1, key: "x"});
        const b = await knockout(8, byStrength(strength), {seed: 1, key: "x"});
        expect(b.matches.map((m) => [m.a, m.b])).toEqual(a.matches.map((m) => [m.a, m.b]));
        const others = await Promise.all([2, 3, 4, 5].map((seed) => knockout(8, byStrength(strength), {seed, key: "x"})));
        expect(others.some((o) => JSON.stringify(o.matches[0]) !== JSON.stringify(a.matches[0]))).toBe(true);
    });

    it("breaks a tie by the judge's probability, else by a seeded coin", async () => {
        const byP: CompareFn = async () => ({score: 0.5, pA: 0.3});
        const r = await knockout(2, byP, {seed: 9});
        expect(r.matches[0].decidedBy).toBe("confidence");
        expect(r.winner).toBe(r.matches[0].b);
        const noVerdict: CompareFn = async () => ({score: null});
        const c1 = await knockout(4, noVerdict, {seed: 9, key: "k"});
        const c2 = await knockout(4, noVerdict, {seed: 9, key: "k"});
        expect(c1.matches.every((m) => m.decidedBy === "coin")).toBe(true);
        expect(c2.winner).toBe(c1.winner);
    });
});

describe("roundRobin", () => {
    it("plays every pair once with unique keys", async () => {
        const calls: string[] = [];
        const m = await roundRobin(5, byStrength([3, 1, 4, 1, 5], calls), {key: "p"});
        expect(m.length).toBe(10);
        expect(calls.sort()).toEqual(m.map((x) => `p/${x.a}v${x.b}`).sort());
        expect(m.find((x) => x.a === 1 && x.b === 3)!.score).toBe(0.5);
        expect(m.find((x) => x.a === 0 && x.b === 4)!.score).toBe(0);
    });

    it("stops at the first judge failure", async () => {
        let calls = 0;
        const failing: CompareFn = async () => {
            calls++;
            throw new Error("engine down");
        };
        await expect(roundRobin(6, failing, {concurrency: 2})).rejects.toThrow("engine down");
        expect(calls).toBeLessThanOrEqual(2);
    });
});
