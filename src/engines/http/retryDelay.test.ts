import {describe, expect, it} from "vitest";
import {backoffMs, retryAfterMs} from "./retryDelay.js";

describe("retryAfterMs", () => {
    const now = Date.parse("2025-06-01T12:00:00Z");
    it("reads seconds, fractional seconds, retry-after-ms and HTTP dates", () => {
        expect(retryAfterMs(new Headers({"retry-after": "3"}), now)).toBe(3000);
        expect(retryAfterMs(new Headers({"retry-after": "0.25"}), now)).toBe(250);
        expect(retryAfterMs(new Headers({"retry-after-ms": "120", "retry-after": "9"}), now)).toBe(120);
        expect(retryAfterMs(new Headers({"retry-after": "Sun, 01 Jun 2025 12:00:07 GMT"}), now)).toBe(7000);
    });
    it("ignores absent, past, negative and unreadable values", () => {
        expect(retryAfterMs(new Headers(), now)).toBeUndefined();
        expect(retryAfterMs(new Headers({"retry-after": "soon"}), now)).toBeUndefined();
        expect(retryAfterMs(new Headers({"retry-after": "-1"}), now)).toBeUndefined();
        expect(retryAfterMs(new Headers({"retry-after": "Sun, 01 Jun 2025 11:00:00 GMT"}), now)).toBe(0);
    });
    it("reads node:http's header objects the same way", () => {
        expect(retryAfterMs({"retry-after": "3"}, now)).toBe(3000);
        expect(retryAfterMs({"retry-after-ms": "120", "retry-after": "9"}, now)).toBe(120);
        expect(retryAfterMs({"retry-after": "Sun, 01 Jun 2025 12:00:07 GMT"}, now)).toBe(7000);
        expect(retryAfterMs({"content-type": "application/json"}, now)).toBeUndefined();
    });
});

describe("backoffMs", () => {
    it("is uniform in [0, min(max, base·2^retry)] (full jitter)", () => {
        expect(backoffMs(0, 100, 10_000, () => 0.999)).toBeCloseTo(99.9);
        expect(backoffMs(3, 100, 10_000, () => 0.5)).toBe(400);
        expect(backoffMs(10, 100, 10_000, () => 0.5)).toBe(5000);
        expect(backoffMs(2, 100, 10_000, () => 0)).toBe(0);
    });
});
