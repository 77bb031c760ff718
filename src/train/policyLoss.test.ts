// The clipped surrogate, low_var_kl and the clipped value loss against values computed by hand
// and finite differences.
import {describe, expect, it} from "vitest";
import {aggregationWeights, clippedSurrogate, clippedValueLoss, lowVarKl, policyLoss} from "./policyLoss.js";

describe("clipped surrogate, low_var_kl, value loss", () => {
    it("takes the unclipped branch inside the trust region", () => {
        const t = clippedSurrogate(-1, -1.1, 2); // ratio e^0.1
        expect(t.ratio).toBeCloseTo(1.1051709180756477, 14);
        expect(t.loss).toBeCloseTo(-2.210341836151295, 12);
        expect(t.grad).toBeCloseTo(-2.210341836151295, 12);
        expect(t.clipped).toBe(false);
    });

    it("clips a positive advantage above 1 + ε and a negative one below 1 − ε", () => {
        const up = clippedSurrogate(-0.7, -1, 2); // ratio e^0.3 = 1.3499 → −2·1.2 = −2.4 beats −2.6997
        expect(up.loss).toBeCloseTo(-2.4, 12);
        expect(up.grad).toBe(0);
        expect(up.clipped).toBe(true);
        const down = clippedSurrogate(-1.5, -1, -2); // ratio e^−0.5 = 0.6065 → 2·0.8 = 1.6 beats 1.2131
        expect(down.loss).toBeCloseTo(1.6, 12);
        expect(down.grad).toBe(0);
        // a negative advantage with a large ratio is not clipped (the pessimistic bound keeps it)
        const neg = clippedSurrogate(-0.7, -1, -2);
        expect(neg.loss).toBeCloseTo(2 * Math.exp(0.3), 12);
        expect(neg.grad).toBeCloseTo(2 * Math.exp(0.3), 12);
        expect(neg.clipped).toBe(false);
    });

    it("low_var_kl is k3 with its clamps", () => {
        const k = lowVarKl(-1, -1.5); // d = −0.5: e^−0.5 + 0.5 − 1
        expect(k.kl).toBeCloseTo(0.10653065971263342, 14);
        expect(k.grad).toBeCloseTo(1 - Math.exp(-0.5), 14);
        expect(lowVarKl(-2, -2)).toEqual({kl: 0, grad: 0});
        const two = lowVarKl(0, 2); // d = 2: e² − 3 = 4.389, slope 1 − e²
        expect(two.kl).toBeCloseTo(Math.exp(2) - 3, 12);
        expect(two.grad).toBeCloseTo(1 - Math.exp(2), 12);
        expect(lowVarKl(0, 3)).toEqual({kl: 10, grad: 0}); // e³ − 4 = 16.1 → clamped to 10
        expect(lowVarKl(0, -25)).toEqual({kl: 10, grad: 0}); // d clamped to −20: 19 → 10
        expect(lowVarKl(-30, -30)).toEqual({kl: 0, grad: 0});
    });

    it("gradients match finite differences", () => {
        const h = 1e-6;
        for (const [lp, old, adv] of [[-1, -1.05, 1.3], [-2, -1.9, -0.7], [-0.2, -0.25, 0.4]]) {
            const fd = (clippedSurrogate(lp + h, old, adv).loss - clippedSurrogate(lp - h, old, adv).loss) / (2 * h);
            expect(clippedSurrogate(lp, old, adv).grad).toBeCloseTo(fd, 6);
        }
        for (const [lp, ref] of [[-1, -1.3], [-2, -0.5], [-0.1, -3]]) {
            const fd = (lowVarKl(lp + h, ref).kl - lowVarKl(lp - h, ref).kl) / (2 * h);
            expect(lowVarKl(lp, ref).grad).toBeCloseTo(fd, 5);
        }
        for (const [v, old, r] of [[0.5, 0.4, 1], [1.5, 0.4, 0], [0, 1, 1.2]]) {
            const fd = (clippedValueLoss(v + h, old, r).loss - clippedValueLoss(v - h, old, r).loss) / (2 * h);
            expect(clippedValueLoss(v, old, r).grad).toBeCloseTo(fd, 6);
        }
    });

    it("value loss clips like verl (cliprange_value 0.5)", () => {
        expect(clippedValueLoss(0.5, 0.4, 1)).toEqual({loss: 0.125, grad: -0.5, clipped: false});
        const big = clippedValueLoss(1.5, 0.4, 0); // (1.5)² = 2.25 beats (0.9)² = 0.81
        expect(big.loss).toBeCloseTo(1.125, 12);
        expect(big.grad).toBeCloseTo(1.5, 12);
        const clipped = clippedValueLoss(1.5, 0.4, 2); // (−0.5)² = 0.25 < (0.9 − 2)² = 1.21
        expect(clipped.loss).toBeCloseTo(0.605, 12);
        expect(clipped.grad).toBe(0);
        expect(clipped.clipped).toBe(true);
    });

    it("aggregation: token mean over the mini-batch or the paper's per-sequence mean", () => {
        expect(Array.from(aggregationWeights([2, 3], "token-mean"))).toEqual([0.2, 0.2]);
        expect(Array.from(aggregationWeights([2, 3, 0], "seq-mean"))).toEqual([0.25, 1 / 6, 0]);
    });

    it("policyLoss sums the weighted surrogate and KL and returns dL/dlogp", () => {
        // two responses, token mean over 3 tokens; ratio 1 everywhere, so pg = −mean(A) over tokens
        const w = aggregationWeights([1, 2], "token-mean");
        const r = policyLoss([
            {logp: [-1], oldLogp: [-1], refLogp: [-1.5], advantages: 1, weight: w[0]},
            {logp: [-2, -3], oldLogp: [-2, -3], refLogp: [-2, -3], advantages: -0.5, weight: w[1]}
        ], {klCoef: 0.1});
        const kl0 = Math.exp(-0.5) + 0.5 - 1;
        expect(r.pgLoss).toBeCloseTo((-1 + 0.5 + 0.5) / 3, 12);
        expect(r.kl).toBeCloseTo(kl0 / 3, 12);
        expect(r.loss).toBeCloseTo(r.pgLoss + 0.1 * kl0 / 3, 12);
        expect(r.grads[0][0]).toBeCloseTo((-1 + 0.1 * (1 - Math.exp(-0.5))) / 3, 6);
        expect(r.grads[1][0]).toBeCloseTo(0.5 / 3, 6);
        expect(r.tokens).toBe(3);
        expect(r.clippedTokens).toBe(0);
    });
});
