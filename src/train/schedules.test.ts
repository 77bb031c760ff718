// Learning-rate schedules against values computed by hand.
import {describe, expect, it} from "vitest";
import {constantSchedule, cosineSchedule, learningRate} from "./schedules.js";

describe("learning-rate schedules", () => {
    it("cosine with 3% warm-up and a 0.1x floor matches transformers' cosine_with_min_lr", () => {
        const s = cosineSchedule({peak: 1e-3, totalSteps: 100});
        expect(s.warmupSteps).toBe(3); // ceil(100 · 0.03)
        expect(learningRate(s, 0)).toBe(0); // LambdaLR: step 0 of a warm-up has LR 0
        expect(learningRate(s, 1)).toBeCloseTo(1e-3 / 3, 15);
        expect(learningRate(s, 2)).toBeCloseTo(2e-3 / 3, 15);
        expect(learningRate(s, 3)).toBeCloseTo(1e-3, 15); // progress 0: the peak
        // step 50: progress 47/97, ½(1 + cos(π·47/97)) = 0.5242811..., ×0.9 + 0.1
        expect(learningRate(s, 50)).toBeCloseTo(0.0005718529999515018, 15);
        expect(learningRate(s, 99)).toBeCloseTo(0.0001002359939295183, 15);
        expect(learningRate(s, 100)).toBeCloseTo(1e-4, 15); // the floor
        expect(learningRate(s, 500)).toBeCloseTo(1e-4, 15); // stays on the floor
    });

    it("warm-up rounds up like OpenRLHF and can be turned off", () => {
        expect(cosineSchedule({peak: 1, totalSteps: 68}).warmupSteps).toBe(3); // ceil(2.04)
        const noWarmup = cosineSchedule({peak: 2, totalSteps: 10, warmupRatio: 0, minRatio: 0});
        expect(learningRate(noWarmup, 0)).toBe(2);
        expect(learningRate(noWarmup, 5)).toBeCloseTo(1, 12); // cos(π/2) → half the peak
        expect(learningRate(noWarmup, 10)).toBeCloseTo(0, 12);
    });

    it("constant schedule", () => {
        const s = constantSchedule(1e-6);
        expect([0, 1, 1000].map((k) => learningRate(s, k))).toEqual([1e-6, 1e-6, 1e-6]);
        const w = constantSchedule(1, 4);
        expect([0, 2, 4, 9].map((k) => learningRate(w, k))).toEqual([0, 0.5, 1, 1]);
    });

    it("rejects nonsense", () => {
        expect(() => cosineSchedule({peak: 0, totalSteps: 10})).toThrow(/learning rate/);
        expect(() => cosineSchedule({peak: 1, totalSteps: 0})).toThrow(/at least one step/);
    });
});
