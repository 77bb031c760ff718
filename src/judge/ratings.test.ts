import {describe, expect, it} from "vitest";
import {bradleyTerry} from "./bradleyTerry.js";
import {eloRatings} from "./eloRatings.js";
import {winRates} from "./winRates.js";
import type {MatchResult} from "./MatchResult.js";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe("eloRatings", () => {
    it("matches a hand-computed sequence (K=32, 400 scale)", () => {
        // A (0) beats B (1) from 1000/1000: E = 0.5, A +16, B −16.
        // Then B beats A: E_B = 1/(1+10^(32/400)) = 0.454060…, B += 32·(1 − 0.454060) = 17.470…
        const r = eloRatings(2, [{a: 0, b: 1, score: 1}, {a: 1, b: 0, score: 1}]);
        const eB = 1 / (1 + 10 ** (32 / 400));
        expect(r[0]).toBeCloseTo(1016 - 32 * (1 - eB), 10);
        expect(r[1]).toBeCloseTo(984 + 32 * (1 - eB), 10);
        expect(r[1]).toBeCloseTo(1001.4700, 3);
    });

    it("counts a tie as half a win and skips matches without a verdict", () => {
        const r = eloRatings(2, [{a: 0, b: 1, score: 0.5}, {a: 0, b: 1, score: null}], {k: 10, initial: 1500});
        expect(r).toEqual([1500, 1500]);
        const s = eloRatings(2, [{a: 0, b: 1, score: 0.5}], {initial: 1200, k: 20});
        expect(s).toEqual([1200, 1200]);
    });

    it("is zero-sum and order-averaged with permutations", () => {
        const matches: MatchResult[] = [{a: 0, b: 1, score: 1}, {a: 1, b: 2, score: 1}, {a: 0, b: 2, score: 0}, {a: 0, b: 1, score: 1}];
        const r = eloRatings(3, matches, {permutations: 50, seed: 7});
        expect(r.reduce((x, y) => x + y, 0)).toBeCloseTo(3000, 8);
        expect(eloRatings(3, matches, {permutations: 50, seed: 7})).toEqual(r);
        // Replaying in a different order changes plain Elo: the reason permutations exist.
        expect(eloRatings(3, [...matches].reverse())).not.toEqual(eloRatings(3, matches));
    });
});

describe("bradleyTerry", () => {
    it("recovers a 3:1 record as odds 3 (θ gap ln 3)", () => {
        const m: MatchResult[] = [{a: 0, b: 1, score: 1}, {a: 0, b: 1, score: 1}, {a: 1, b: 0, score: 0}, {a: 0, b: 1, score: 0}];
        const r = bradleyTerry(2, m, {prior: 1e-8});
        expect(r.converged).toBe(true);
        expect(r.scores[0] - r.scores[1]).toBeCloseTo(Math.log(3), 6);
        expect(r.scores[0] + r.scores[1]).toBeCloseTo(0, 12);
        // Elo scale: 400·log10(3) ≈ 190.85 points apart.
        expect(r.ratings[0] - r.ratings[1]).toBeCloseTo(400 * Math.log10(3), 4);
    });

    it("solves a hand-computed three-player case", () => {
        // A beats B and C 3–1 each; B and C split 2–2. By symmetry θ_B = θ_C, and A's likelihood
        // equation 6 = 8 σ(θ_A − θ_B) gives θ_A − θ_B = ln 3. Mean zero: θ_A = 2 ln 3 / 3.
        const m: MatchResult[] = [];
        for (const other of [1, 2]) {
            for (let i = 0; i < 3; i++) m.push({a: 0, b: other, score: 1});
            m.push({a: other, b: 0, score: 1});
        }
        m.push({a: 1, b: 2, score: 1}, {a: 1, b: 2, score: 1}, {a: 2, b: 1, score: 1}, {a: 2, b: 1, score: 1});
        const r = bradleyTerry(3, m, {prior: 1e-9});
        expect(r.scores[0]).toBeCloseTo(2 * Math.log(3) / 3, 6);
        expect(r.scores[1]).toBeCloseTo(-Math.log(3) / 3, 6);
        expect(r.scores[2]).toBeCloseTo(-Math.log(3) / 3, 6);
    });

    it("counts ties as half wins and gives a cycle equal scores", () => {
        const tie = bradleyTerry(2, [{a: 0, b: 1, score: 0.5}]);
        expect(tie.scores[0]).toBeCloseTo(0, 12);
        const cycle = bradleyTerry(3, [{a: 0, b: 1, score: 1}, {a: 1, b: 2, score: 1}, {a: 2, b: 0, score: 1}]);
        for (const s of cycle.scores) expect(s).toBeCloseTo(0, 10);
        // One win + one tie vs 0.5: 1.5 of 2 → odds 3 when the prior is negligible.
        const half = bradleyTerry(2, [{a: 0, b: 1, score: 1}, {a: 0, b: 1, score: 0.5}], {prior: 1e-9});
        expect(sigmoid(half.scores[0] - half.scores[1])).toBeCloseTo(0.75, 6);
    });

    it("stays finite for an undefeated candidate and satisfies the likelihood equations", () => {
        const m: MatchResult[] = [{a: 0, b: 1, score: 1}, {a: 0, b: 2, score: 1}, {a: 1, b: 2, score: 1}, {a: 2, b: 1, score: 0}, {a: 0, b: 1, score: null}];
        const prior = 0.01;
        const r = bradleyTerry(3, m, {prior});
        expect(r.converged).toBe(true);
        expect(r.scores.every(Number.isFinite)).toBe(true);
        expect(r.scores[0]).toBeGreaterThan(r.scores[1]);
        expect(r.scores[1]).toBeGreaterThan(r.scores[2]);
        // At the optimum (θ anchored at the phantom, before centring), for each i:
        // wins_i + prior = Σ_j E[wins vs j] + 2·prior·σ(θ_i). Recover the anchor from the centred scores.
        const theta = anchorScores(r.scores);
        const wins = [2, 2, 0];
        for (let i = 0; i < 3; i++) {
            let expected = 2 * prior * sigmoid(theta[i]);
            for (const x of m) {
                if (x.score == null) continue;
                if (x.a === i) expected += sigmoid(theta[i] - theta[x.b]);
                if (x.b === i) expected += sigmoid(theta[i] - theta[x.a]);
            }
            expect(wins[i] + prior).toBeCloseTo(expected, 8);
        }
    });

    it("is independent of match order", () => {
        const m: MatchResult[] = [{a: 0, b: 1, score: 1}, {a: 1, b: 2, score: 0.5}, {a: 2, b: 0, score: 0}, {a: 1, b: 0, score: 1}];
        const x = bradleyTerry(3, m).scores;
        const y = bradleyTerry(3, [...m].reverse()).scores;
        for (let i = 0; i < 3; i++) expect(x[i]).toBeCloseTo(y[i], 12);
    });
});

/**
 * Undo the centring: summing the likelihood equations over i cancels the match terms and leaves
 * Σ_i (1 − 2σ(θ_i)) = 0, which fixes the shift c of the anchored θ_i = centred_i + c (bisection).
 */
function anchorScores(centred: number[]): number[] {
    let lo = -50;
    let hi = 50;
    for (let i = 0; i < 200; i++) {
        const c = (lo + hi) / 2;
        const f = centred.reduce((s, x) => s + (1 - 2 * sigmoid(x + c)), 0);
        if (f > 0) lo = c;
        else hi = c;
    }
    const c = (lo + hi) / 2;
    return centred.map((x) => x + c);
}

describe("winRates", () => {
    it("counts ties half and leaves out matches without a verdict", () => {
        const w = winRates(3, [{a: 0, b: 1, score: 1}, {a: 0, b: 2, score: 0.5}, {a: 1, b: 2, score: 0}, {a: 1, b: 2, score: null}]);
        expect(w[0]).toEqual({rate: 0.75, wins: 1, ties: 1, losses: 0, games: 2});
        expect(w[1]).toEqual({rate: 0, wins: 0, ties: 0, losses: 2, games: 2});
        expect(w[2]).toEqual({rate: 0.75, wins: 1, ties: 1, losses: 0, games: 2});
        expect(winRates(2, [])[0].rate).toBe(0.5);
    });
});
