// IEEE half (F16) and bfloat16 (BF16) conversions for checkpoint files. Tensors live in memory as
// Float32Array; these convert at the file boundary only.
import {InvalidInput} from "../../errors.js";

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** The F16 bit pattern nearest to `x` (round to nearest, ties to even; overflow gives ±inf). */
export function f32ToF16Bits(x: number): number {
    scratchF32[0] = x;
    const bits = scratchU32[0];
    const sign = (bits >>> 16) & 0x8000;
    const exp = (bits >>> 23) & 0xff;
    const mant = bits & 0x7fffff;
    if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
    const e = exp - 127 + 15;
    if (e >= 0x1f) return sign | 0x7c00;
    if (e <= 0) {
        // F16 subnormal: value = m · 2^-24 with m = (1.mant · 2^23) >> (14 - e).
        if (e < -10) return sign;
        const full = mant | 0x800000;
        const shift = 14 - e;
        let half = full >>> shift;
        const rem = full & ((1 << shift) - 1);
        const halfway = 1 << (shift - 1);
        if (rem > halfway || (rem === halfway && (half & 1) === 1)) half++;
        return sign | half;
    }
    let half = (e << 10) | (mant >>> 13);
    const rem = mant & 0x1fff;
    // A carry out of the mantissa correctly bumps the exponent (and reaches inf at the top).
    if (rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1)) half++;
    return sign | half;
}

/** The value of an F16 bit pattern. */
export function f16BitsToF32(h: number): number {
    const sign = (h & 0x8000) !== 0 ? -1 : 1;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0) return sign * mant * 2 ** -24;
    if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
    return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** The value of a BF16 bit pattern (the top half of an F32). */
export function bf16BitsToF32(h: number): number {
    scratchU32[0] = (h & 0xffff) << 16;
    return scratchF32[0];
}

/**
 * Convert a tensor to F16. A finite value too large for F16 (|x| > 65504) would silently become
 * infinity and break the model, so it is an error naming the tensor.
 */
export function toF16Array(values: Float32Array, tensorName: string): Uint16Array {
    const out = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) {
        const h = f32ToF16Bits(values[i]);
        if ((h & 0x7c00) === 0x7c00 && Number.isFinite(values[i]))
            throw new InvalidInput(`tensor '${tensorName}' has value ${values[i]} at index ${i}, outside the F16 range (±65504); export as f32 instead`, {field: tensorName});
        out[i] = h;
    }
    return out;
}

/** Decode F16 bit patterns to F32. */
export function fromF16Array(bits: Uint16Array): Float32Array {
    const out = new Float32Array(bits.length);
    for (let i = 0; i < bits.length; i++) out[i] = f16BitsToF32(bits[i]);
    return out;
}

/** Decode BF16 bit patterns to F32. */
export function fromBf16Array(bits: Uint16Array): Float32Array {
    const out = new Float32Array(bits.length);
    const u32 = new Uint32Array(out.buffer);
    for (let i = 0; i < bits.length; i++) u32[i] = bits[i] << 16;
    return out;
}
