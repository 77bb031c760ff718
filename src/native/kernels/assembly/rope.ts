// Rotary position embedding, Hugging Face `rotate_half` convention: a head of width hd is split
// into halves x1 = x[0:hd/2], x2 = x[hd/2:hd], and
//   out1 = x1·cos − x2·sin,  out2 = x2·cos + x1·sin   with angle pos·θ^(−2i/hd) for i < hd/2.
// The backward pass is the inverse rotation (sin negated).

/**
 * Rows [r0, r1) of x (row stride ldx floats): rotate nHeads heads of width hd that start at
 * column 0, in place, at the row's position pos[row] (rows with pos < 0 are padding and skipped).
 * cosT/sinT are [maxPos, hd/2] tables. `inverse` ≠ 0 applies the transposed rotation (backward).
 */
export function ropeApply(r0: i32, r1: i32, x: usize, ldx: i32, nHeads: i32, hd: i32, pos: usize, cosT: usize, sinT: usize, inverse: i32): void {
    const half = hd >> 1;
    const hb = <usize>half << 2;
    for (let r = r0; r < r1; r++) {
        const p = load<i32>(pos + (<usize>r << 2));
        if (p < 0) continue;
        const pc = cosT + ((<usize>p * half) << 2), ps = sinT + ((<usize>p * half) << 2);
        for (let h = 0; h < nHeads; h++) {
            const base = x + ((<usize>r * ldx + h * hd) << 2);
            let i = 0;
            for (; i + 4 <= half; i += 4) {
                const o = <usize>i << 2;
                const a = v128.load(base + o), b = v128.load(base + hb + o);
                const c = v128.load(pc + o), s = v128.load(ps + o);
                if (inverse == 0) {
                    v128.store(base + o, f32x4.sub(f32x4.mul(a, c), f32x4.mul(b, s)));
                    v128.store(base + hb + o, f32x4.add(f32x4.mul(b, c), f32x4.mul(a, s)));
                } else {
                    v128.store(base + o, f32x4.add(f32x4.mul(a, c), f32x4.mul(b, s)));
                    v128.store(base + hb + o, f32x4.sub(f32x4.mul(b, c), f32x4.mul(a, s)));
                }
            }
            for (; i < half; i++) {
                const o = <usize>i << 2;
                const a = load<f32>(base + o), b = load<f32>(base + hb + o);
                const c = load<f32>(pc + o), s = load<f32>(ps + o);
                if (inverse == 0) {
                    store<f32>(base + o, a * c - b * s);
                    store<f32>(base + hb + o, b * c + a * s);
                } else {
                    store<f32>(base + o, a * c + b * s);
                    store<f32>(base + hb + o, b * c - a * s);
                }
            }
        }
    }
}
