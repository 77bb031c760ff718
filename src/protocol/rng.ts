// Seeded randomness. Every random choice rmr1 makes (A/B orders, data mixes, sampling, init)
// comes from here so that the same seed gives the same result.
import {createHash} from "node:crypto";

/**
 * A small, fast, seedable PRNG (SplitMix32 seeding into xoshiro128**), returning floats in [0, 1).
 * Not for cryptography. The sequence for a seed is fixed forever: changing it breaks reproducibility.
 */
export class Rng {
    private s0: number;
    private s1: number;
    private s2: number;
    private s3: number;

    constructor(seed: number) {
        let x = seed >>> 0;
        const next = () => {
            // SplitMix32
            x = (x + 0x9e3779b9) >>> 0;
            let z = x;
            z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
            z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
            return (z ^ (z >>> 16)) >>> 0;
        };
        this.s0 = next();
        this.s1 = next();
        this.s2 = next();
        this.s3 = next();
        if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    }

    /** Next 32-bit unsigned integer. */
    nextU32(): number {
        const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
        const t = (this.s1 << 9) >>> 0;
        this.s2 ^= this.s0;
        this.s3 ^= this.s1;
        this.s1 ^= this.s2;
        this.s0 ^= this.s3;
        this.s2 ^= t;
        this.s3 = rotl(this.s3, 11);
        this.s0 >>>= 0; this.s1 >>>= 0; this.s2 >>>= 0; this.s3 >>>= 0;
        return result;
    }

    /** Uniform float in [0, 1) with 32 bits of randomness. */
    next(): number {
        return this.nextU32() / 4294967296;
    }

    /** Uniform integer in [min, max] (inclusive). */
    int(min: number, max: number): number {
        return min + Math.floor(this.next() * (max - min + 1));
    }

    /** One element of a non-empty array. */
    pick<T>(items: readonly T[]): T {
        return items[Math.floor(this.next() * items.length)];
    }

    /** Standard normal sample (Box–Muller). */
    normal(): number {
        let u = 0;
        while (u === 0) u = this.next();
        const v = this.next();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Fisher–Yates shuffle in place; returns the array. */
    shuffle<T>(items: T[]): T[] {
        for (let i = items.length - 1; i > 0; i--) {
            const j = Math.floor(this.next() * (i + 1));
            const tmp = items[i];
            items[i] = items[j];
            items[j] = tmp;
        }
        return items;
    }
}

function rotl(x: number, k: number): number {
    return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * A uniform float in [0, 1) determined only by `seed` and `key` (for example an item id). Used where
 * the choice for one item must not depend on how many items came before it, so that a resumed or
 * re-ordered job makes exactly the same choices.
 */
export function keyedUniform(seed: number, key: string): number {
    const digest = createHash("sha256").update(`${seed >>> 0}\u0000${key}`).digest();
    return digest.readUInt32BE(0) / 4294967296;
}

/** A 32-bit seed derived from a parent seed and a label, for independent streams. */
export function deriveSeed(seed: number, label: string): number {
    return createHash("sha256").update(`${seed >>> 0}\u0001${label}`).digest().readUInt32BE(0);
}
