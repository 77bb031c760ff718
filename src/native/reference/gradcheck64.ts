// Central finite differences in float64: the ground truth every hand-written gradient in the
// native model is checked against.

/**
 * ∂f/∂x[i] ≈ (f(x + h·e_i) − f(x − h·e_i)) / 2h for each index in `indices` (x is restored).
 * Float64 keeps the truncation and rounding error near 1e-9 for h = 1e-5 on smooth functions.
 */
export function finiteDifference64(f: (x: Float64Array) => number, x: Float64Array, indices: Iterable<number>, h = 1e-5): Map<number, number> {
    const out = new Map<number, number>();
    for (const i of indices) {
        const old = x[i];
        x[i] = old + h;
        const fp = f(x);
        x[i] = old - h;
        const fm = f(x);
        x[i] = old;
        out.set(i, (fp - fm) / (2 * h));
    }
    return out;
}

/** Largest |a − b| / (atol + |b|) over two arrays of equal length. */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>, atol = 1e-6): number {
    if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (atol + Math.abs(b[i])));
    return worst;
}

/** Largest |a − b| divided by the largest |b| (error relative to the tensor's scale). */
export function scaledMaxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
    if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
    let worst = 0, scale = 1e-30;
    for (let i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
        scale = Math.max(scale, Math.abs(b[i]));
    }
    return worst / scale;
}
