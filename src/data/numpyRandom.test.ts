import {readFileSync} from "node:fs";
import {createHash} from "node:crypto";
import {describe, expect, it} from "vitest";
import {numpyPermutation, Pcg64, SeedSequence} from "./numpyRandom.js";

interface Golden {
    numpy: string;
    permutations: {seed: string, n: number, permutation?: number[], head?: number[], tail?: number[], sha256?: string}[];
    seedSequences: {seed: string, state32: number[]}[];
    pcg64Raw: {seed: string, raw64: string[]}[];
}

const golden = JSON.parse(readFileSync(new URL("../../test/fixtures/data/numpy-permutations.json", import.meta.url), "utf8")) as Golden;

describe("numpyRandom (goldens from NumPy " + golden.numpy + ")", () => {
    it("SeedSequence.generate_state matches NumPy", () => {
        for (const g of golden.seedSequences) expect(Array.from(new SeedSequence(BigInt(g.seed)).generateState32(8)), `seed ${g.seed}`).toEqual(g.state32);
    });

    it("PCG64 raw outputs match NumPy", () => {
        for (const g of golden.pcg64Raw) {
            const rng = new Pcg64(BigInt(g.seed));
            expect(g.raw64.map(() => rng.nextUint64().toString()), `seed ${g.seed}`).toEqual(g.raw64);
        }
    });

    it("default_rng(seed).permutation(n) matches NumPy for every golden case", () => {
        for (const g of golden.permutations) {
            const perm = numpyPermutation(g.n, BigInt(g.seed));
            const label = `seed ${g.seed}, n ${g.n}`;
            if (g.permutation != null) {
                expect(perm, label).toEqual(g.permutation);
            } else {
                expect(perm.slice(0, 200), label).toEqual(g.head);
                expect(perm.slice(-200), label).toEqual(g.tail);
                expect(createHash("sha256").update(perm.join(",")).digest("hex"), label).toBe(g.sha256);
            }
        }
    });

    it("is a permutation and depends on the seed", () => {
        const a = numpyPermutation(5000, 42);
        expect(new Set(a).size).toBe(5000);
        expect(Math.max(...a)).toBe(4999);
        expect(numpyPermutation(5000, 43)).not.toEqual(a);
        expect(() => numpyPermutation(-1, 42)).toThrow(RangeError);
        expect(() => numpyPermutation(3, -1)).toThrow(RangeError);
    });
});
