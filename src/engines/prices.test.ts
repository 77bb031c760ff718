import {describe, expect, it} from "vitest";
import {costUsd, defaultPrices, priceOf} from "./prices.js";

describe("prices", () => {
    it("matches exact names, dated snapshots and -latest aliases, nothing looser", () => {
        expect(priceOf("gpt-4o-mini", defaultPrices)).toEqual({inputPer1M: 0.15, outputPer1M: 0.6});
        expect(priceOf("gpt-4o-mini-2024-07-18", defaultPrices)).toEqual(defaultPrices["gpt-4o-mini"]);
        expect(priceOf("claude-sonnet-4-5-20250929", defaultPrices)).toEqual(defaultPrices["claude-sonnet-4-5"]);
        expect(priceOf("claude-3-5-haiku-latest", defaultPrices)).toEqual(defaultPrices["claude-3-5-haiku"]);
        expect(priceOf("gpt-4o-audio-preview", defaultPrices)).toBeUndefined();
        expect(priceOf("toString", defaultPrices)).toBeUndefined();
    });

    it("costs tokens per million, and nothing for unknown models", () => {
        expect(costUsd(1_000_000, 500_000, {inputPer1M: 3, outputPer1M: 15})).toBe(10.5);
        expect(costUsd(10, 10, undefined)).toBeUndefined();
    });
});
