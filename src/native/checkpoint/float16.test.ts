import {describe, expect, it} from "vitest";
import {InvalidInput} from "../../errors.js";
import {bf16BitsToF32, f16BitsToF32, f32ToF16Bits, fromBf16Array, fromF16Array, toF16Array} from "./float16.js";

describe("F16 conversion", () => {
    it("round-trips every F16 bit pattern exactly (NaNs stay NaN)", () => {
        const wrong: number[] = [];
        for (let h = 0; h < 0x10000; h++) {
            const v = f16BitsToF32(h);
            const back = f32ToF16Bits(v);
            if (Number.isNaN(v) ? !Number.isNaN(f16BitsToF32(back)) : back !== h) wrong.push(h);
        }
        expect(wrong).toEqual([]);
    });

    it("rounds to nearest with ties to even, including across binades and into subnormals", () => {
        // Every pair of adjacent positive finite F16 values: the F32 midpoint (exact in F32) must go
        // to the even pattern, and the F32 values just above and below it to their own side.
        const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
        const wrong: string[] = [];
        for (let h = 0; h < 0x7bff; h++) {
            const mid = (f16BitsToF32(h) + f16BitsToF32(h + 1)) / 2;
            f32[0] = mid;
            if (f32[0] !== mid) wrong.push(`${h}: midpoint not exact`);
            if (f32ToF16Bits(mid) !== (h % 2 === 0 ? h : h + 1)) wrong.push(`${h}: tie`);
            u32[0] += 1;
            if (f32ToF16Bits(f32[0]) !== h + 1) wrong.push(`${h}: above`);
            u32[0] -= 2;
            if (f32ToF16Bits(f32[0]) !== h) wrong.push(`${h}: below`);
        }
        expect(wrong).toEqual([]);
    });

    it("maps overflow to infinity, tiny values to signed zero, keeps the sign", () => {
        expect(f32ToF16Bits(65504)).toBe(0x7bff);
        expect(f32ToF16Bits(65520)).toBe(0x7c00);   // halfway to the next binade rounds up to inf
        expect(f32ToF16Bits(1e6)).toBe(0x7c00);
        expect(f32ToF16Bits(-1e6)).toBe(0xfc00);
        expect(f32ToF16Bits(2 ** -25)).toBe(0);     // exactly half the smallest subnormal: tie to even (0)
        expect(f32ToF16Bits(2 ** -25 * 1.0001)).toBe(1);
        expect(f32ToF16Bits(-1e-10)).toBe(0x8000);
        expect(f32ToF16Bits(1)).toBe(0x3c00);
        expect(f32ToF16Bits(-2)).toBe(0xc000);
    });

    it("refuses to export a finite value outside the F16 range, naming the tensor", () => {
        expect(() => toF16Array(Float32Array.from([1, 70000]), "lm_head.weight")).toThrow(InvalidInput);
        expect(() => toF16Array(Float32Array.from([1, 70000]), "lm_head.weight")).toThrow(/lm_head\.weight.*index 1/);
        expect(fromF16Array(toF16Array(Float32Array.from([0.5, -3, Infinity]), "x"))).toEqual(Float32Array.from([0.5, -3, Infinity]));
    });
});

describe("BF16", () => {
    it("is the top half of an F32", () => {
        expect(bf16BitsToF32(0x3f80)).toBe(1);
        expect(bf16BitsToF32(0xc040)).toBe(-3);
        expect(fromBf16Array(Uint16Array.from([0x3f80, 0x4049]))).toEqual(Float32Array.from([1, 3.140625]));
    });
});
