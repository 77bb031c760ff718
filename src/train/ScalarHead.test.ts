// The scalar head: its gradients against finite differences, and its AdamW step against torch's formula.
import {describe, expect, it} from "vitest";
import {Rng} from "../protocol/rng.js";
import {ScalarHead} from "./ScalarHead.js";

describe("ScalarHead", () => {
    const d = 5;
    const rng = new Rng(2);
    const hidden = Float32Array.from({length: 3 * d}, () => rng.normal());

    it("backward gives d(g·score)/dw, /db and /dh", () => {
        const head = ScalarHead.init(d, 1);
        head.params[d] = 0.3;
        const dh = new Float32Array(hidden.length);
        head.backward(hidden, 1, 2, dh);
        for (let i = 0; i < d; i++) {
            expect(head.grads[i]).toBeCloseTo(2 * hidden[d + i], 6);
            expect(dh[d + i]).toBeCloseTo(2 * head.params[i], 6);
            expect(dh[i]).toBe(0);
        }
        expect(head.grads[d]).toBe(2);
        expect(head.score(hidden, 1)).toBeCloseTo(0.3 + Array.from({length: d}, (_, i) => hidden[d + i] * head.params[i]).reduce((a, b) => a + b), 6);
    });

    it("steps like torch.optim.AdamW (decay on the weights only) and round-trips its state", () => {
        const head = new ScalarHead(1, Float32Array.of(1, 1));
        head.grads.set([0.5, -2]);
        head.step(0.1, {beta1: 0.9, beta2: 0.999, weightDecay: 0.01});
        // Step 1: m̂ = g, v̂ = g², so the update is lr·g/(|g| + eps) = ±lr; decay multiplies w by 1 − lr·wd.
        expect(head.params[0]).toBeCloseTo(1 * (1 - 0.001) - 0.1, 6);
        expect(head.params[1]).toBeCloseTo(1 + 0.1, 6);
        const copy = new ScalarHead(1);
        copy.setState(new Map(head.state("h")), "h");
        head.grads.set([1, 1]);
        copy.grads.set([1, 1]);
        head.step(0.1, {beta1: 0.9, beta2: 0.999, weightDecay: 0.01});
        copy.step(0.1, {beta1: 0.9, beta2: 0.999, weightDecay: 0.01});
        expect(Array.from(copy.params)).toEqual(Array.from(head.params));
    });
});
