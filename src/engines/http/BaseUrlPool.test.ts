import {describe, expect, it} from "vitest";
import {BaseUrlPool} from "./BaseUrlPool.js";

describe("BaseUrlPool", () => {
    it("picks the least loaded URL, rotating between equals", () => {
        const pool = new BaseUrlPool(["a", "b", "c"], 1000);
        const picks = [pool.pick(0), pool.pick(0), pool.pick(0)].map((e) => e.url);
        expect(new Set(picks).size).toBe(3);
        pool.endpoints[0].inFlight = 5;
        pool.endpoints[1].inFlight = 1;
        pool.endpoints[2].inFlight = 2;
        expect(pool.pick(0).url).toBe("b");
    });

    it("skips a URL during its cool-down, and uses the soonest back when all are down", () => {
        const pool = new BaseUrlPool(["a", "b"], 1000);
        pool.markDown(pool.endpoints[0], 0);
        expect([1, 2, 3].map(() => pool.pick(10).url)).toEqual(["b", "b", "b"]);
        expect(pool.hasOtherUp(pool.endpoints[1], 10)).toBe(false);
        expect(pool.pick(1001).url).toBeDefined();
        pool.markDown(pool.endpoints[1], 500);
        expect(pool.pick(600).url).toBe("a"); // a comes back at 1000, b at 1500
        pool.markUp(pool.endpoints[1]);
        expect(pool.pick(600).url).toBe("b");
    });
});
