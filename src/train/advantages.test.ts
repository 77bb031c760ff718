// GRPO group advantages, GAE and whitening against values computed by hand.
import {describe, expect, it} from "vitest";
import {gae, groupAdvantages, mixedGroups, whiten} from "./advantages.js";

describe("GRPO group advantages", () => {
    it("normalises with the unbiased std and eps 1e-6", () => {
        // one correct of 7: mean −5/7, deviations 12/7 and −2/7, var = (144 + 6·4)/49 / 6 = 4/7
        const a = groupAdvantages([1, -1, -1, -1, -1, -1, -1], 7);
        const std = Math.sqrt(4 / 7);
        expect(a[0]).toBeCloseTo((12 / 7) / (std + 1e-6), 12);
        expect(a[0]).toBeCloseTo(2.2677838, 6);
        for (let i = 1; i < 7; i++) expect(a[i]).toBeCloseTo((-2 / 7) / (std + 1e-6), 12);
        // [1, −1]: mean 0, std √2
        const b = groupAdvantages([1, -1], 2);
        expect(b[0]).toBeCloseTo(1 / (Math.SQRT2 + 1e-6), 12);
        expect(b[1]).toBeCloseTo(-1 / (Math.SQRT2 + 1e-6), 12);
    });

    it("gives all-equal groups exactly zero and keeps groups apart", () => {
        const a = groupAdvantages([1, 1, 1, 0.1, 0.1, 0.1, -1, 1, 1], 3);
        expect(Array.from(a.subarray(0, 6))).toEqual([0, 0, 0, 0, 0, 0]);
        expect(a[6]).toBeCloseTo((-4 / 3) / (Math.sqrt(4 / 3) + 1e-6), 12); // mean 1/3, var (16/9 + 2·4/9)/2 = 4/3
        expect(mixedGroups([1, 1, 1, 0.1, 0.1, 0.1, -1, 1, 1], 3)).toBe(1);
    });

    it("mean-only variant and groups of one", () => {
        const a = groupAdvantages([1, -1, -1], 3, {norm: "mean-only"});
        expect(a[0]).toBeCloseTo(4 / 3, 12);
        expect(a[1]).toBeCloseTo(-2 / 3, 12);
        expect(Array.from(groupAdvantages([1, -1], 1))).toEqual([1, -1]); // verl: mean 0, std 1
        expect(() => groupAdvantages([1, 2, 3], 2)).toThrow(/groups of 2/);
    });
});

describe("GAE and whitening (PPO)", () => {
    it("γ = λ = 1 with the reward on the last token gives A_t = R − V_t and returns R", () => {
        const {advantages, returns} = gae([0, 0, 1], [0.2, 0.5, 0.7]);
        expect(Array.from(advantages).map((x) => +x.toFixed(12))).toEqual([0.8, 0.5, 0.3]);
        expect(Array.from(returns).map((x) => +x.toFixed(12))).toEqual([1, 1, 1]);
    });

    it("general γ, λ", () => {
        // δ2 = 1 − 0.7 = 0.3; δ1 = 0.9·0.7 − 0.5 = 0.13; δ0 = 0.9·0.5 − 0.2 = 0.25; γλ = 0.72
        const {advantages} = gae([0, 0, 1], [0.2, 0.5, 0.7], 0.9, 0.8);
        expect(advantages[2]).toBeCloseTo(0.3, 12);
        expect(advantages[1]).toBeCloseTo(0.13 + 0.72 * 0.3, 12);
        expect(advantages[0]).toBeCloseTo(0.25 + 0.72 * 0.346, 12);
    });

    it("whitens over all tokens with the unbiased variance", () => {
        const seqs = [Float64Array.from([1, 2]), Float64Array.from([3])];
        whiten(seqs);
        const k = 1 / Math.sqrt(1 + 1e-8);
        expect(seqs[0][0]).toBeCloseTo(-k, 12);
        expect(seqs[0][1]).toBeCloseTo(0, 12);
        expect(seqs[1][0]).toBeCloseTo(k, 12);
    });
});
