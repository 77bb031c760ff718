// RoPE angle tables computed the way Hugging Face's LlamaRotaryEmbedding does in float32:
// inv_freq[i] = 1 / θ^(2i/hd), angle = pos · inv_freq[i] (f32 product), then cos/sin rounded to f32.

/** cos and sin of every (position, frequency) pair: two [maxPos, hd/2] float32 tables. */
export function ropeTables(hd: number, maxPos: number, theta: number): {cos: Float32Array, sin: Float32Array} {
    const half = hd / 2;
    const invFreq = Float32Array.from({length: half}, (_, i) => Math.fround(1 / Math.fround(Math.pow(theta, Math.fround((2 * i) / hd)))));
    const cos = new Float32Array(maxPos * half), sin = new Float32Array(maxPos * half);
    for (let p = 0; p < maxPos; p++) {
        for (let i = 0; i < half; i++) {
            const angle = Math.fround(p * invFreq[i]);
            cos[p * half + i] = Math.cos(angle);
            sin[p * half + i] = Math.sin(angle);
        }
    }
    return {cos, sin};
}
