// Data order: a seeded permutation per epoch, batches with the last partial one dropped, and a
// batch that depends only on (seed, step).
import {describe, expect, it} from "vitest";
import {EpochSampler} from "./EpochSampler.js";

describe("EpochSampler", () => {
    it("covers each example once per epoch, drops the partial batch, reshuffles per epoch", () => {
        const s = new EpochSampler(10, 3, {seed: 1});
        expect(s.stepsPerEpoch).toBe(3);
        const epoch0 = [0, 1, 2].flatMap((k) => s.batch(k));
        expect(new Set(epoch0).size).toBe(9);
        const epoch1 = [3, 4, 5].flatMap((k) => s.batch(k));
        expect(epoch1).not.toEqual(epoch0);
        expect(s.epochOf(5)).toBe(1);
    });

    it("gives the same batch for a step whatever came before, and another for another seed", () => {
        const a = new EpochSampler(50, 4, {seed: 7});
        const b = new EpochSampler(50, 4, {seed: 7});
        for (let k = 0; k < 20; k++) a.batch(k);
        expect(a.batch(31)).toEqual(b.batch(31));
        expect(new EpochSampler(50, 4, {seed: 8}).batch(0)).not.toEqual(b.batch(0));
        expect(new EpochSampler(5, 2, {seed: 1, shuffle: false}).batch(1)).toEqual([2, 3]);
    });

    it("refuses a dataset smaller than one batch", () => {
        expect(() => new EpochSampler(3, 4, {seed: 1})).toThrow(/3 usable examples, fewer than one batch of 4/);
    });
});
