// Vector and scalar helpers shared by every kernel. The scalar versions perform exactly the same
// IEEE f32 operations as one lane of the vector versions, so a row processed partly in SIMD and
// partly in a scalar tail gives the same bits as any other split of the same row.

// exp(x) as 2^n · p(r) with n = round(x·log2 e) and a degree-6 polynomial on |r| ≤ ln2/2
// (Cephes expf coefficients; about 2 ulp). Inputs are clamped to [-87.34, 88]; below -87.34 the
// result is exactly 0 so masked scores never produce NaN. The rounding uses the 1.5·2²³ trick:
// adding it rounds x·log2 e to an integer (ties to even) and leaves that integer in the low
// mantissa bits, which avoids V8's slow f32x4.nearest / trunc_sat lowering.
const EXP_HI: f32 = 88.0;
const EXP_LO: f32 = -87.33654;
const LOG2E: f32 = 1.44269504088896341;
const ROUND: f32 = 12582912.0; // 1.5 · 2^23
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;
// (n + 127) << 23 = (bits(t) − bits(ROUND) + 127) << 23, with t = x·log2 e + ROUND.
const EXP_BIAS: i32 = 127 - 0x4b400000;

// @ts-ignore: decorator
@inline export function vexp(x: v128): v128 {
    const under = f32x4.lt(x, f32x4.splat(EXP_LO));
    x = f32x4.pmax(f32x4.pmin(x, f32x4.splat(EXP_HI)), f32x4.splat(EXP_LO));
    const t = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(ROUND));
    const fx = f32x4.sub(t, f32x4.splat(ROUND));
    let r = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(LN2_HI)));
    r = f32x4.sub(r, f32x4.mul(fx, f32x4.splat(LN2_LO)));
    let p = f32x4.splat(P0);
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P1));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P2));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P3));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P4));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P5));
    const y = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1.0));
    const pow2 = i32x4.shl(i32x4.add(t, i32x4.splat(EXP_BIAS)), 23);
    return v128.andnot(f32x4.mul(y, pow2), under);
}

// @ts-ignore: decorator
@inline export function sexp(x: f32): f32 {
    if (x < EXP_LO) return 0;
    x = EXP_HI < x ? EXP_HI : x; // pmin(x, EXP_HI), as in vexp
    x = x < EXP_LO ? EXP_LO : x; // pmax(x, EXP_LO)
    const t = x * LOG2E + ROUND;
    const fx = t - ROUND;
    let r = x - fx * LN2_HI;
    r = r - fx * LN2_LO;
    let p = P0;
    p = p * r + P1;
    p = p * r + P2;
    p = p * r + P3;
    p = p * r + P4;
    p = p * r + P5;
    const y = p * (r * r) + r + <f32>1.0;
    return y * reinterpret<f32>((reinterpret<i32>(t) + EXP_BIAS) << 23);
}

/** Sum of the four lanes in a fixed order. */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
    return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Largest of the four lanes. */
// @ts-ignore: decorator
@inline export function hmax(v: v128): f32 {
    return max<f32>(max<f32>(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max<f32>(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/** Σ x[i]·y[i] over n floats: four lane-partial sums, then the scalar tail. */
export function dot(x: usize, y: usize, n: i32): f32 {
    let acc = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        acc = f32x4.add(acc, f32x4.mul(v128.load(x + o), v128.load(y + o)));
    }
    let s = hsum(acc);
    for (; i < n; i++) {
        const o = <usize>i << 2;
        s += load<f32>(x + o) * load<f32>(y + o);
    }
    return s;
}

/** Set n floats to zero. */
export function zero(x: usize, n: i32): void {
    memory.fill(x, 0, <usize>n << 2);
}
