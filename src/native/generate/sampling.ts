// Token sampling from one row of logits: greedy, temperature and nucleus (top-p), driven by a
// seeded Rng so that a completion is reproducible from its seed alone.
import type {Rng} from "../../protocol/rng.js";

/** Sampling settings. */
export interface SamplingParams {
    /** 0 means greedy (argmax, lowest id on ties). */
    temperature: number;
    /** Keep the smallest set of most likely tokens whose probability reaches topP (1 = all). */
    topP: number;
}

/**
 * Draw a token from logits[offset … offset+V). Probabilities are softmax(logits / temperature),
 * truncated to the top-p nucleus and renormalised; exactly one uniform draw is used per call
 * (none when greedy), so the Rng stream stays aligned across runs.
 */
export function sampleToken(logits: Float32Array, offset: number, V: number, params: SamplingParams, rng: Rng, probs: Float64Array = new Float64Array(V)): number {
    let best = 0, max = -Infinity;
    for (let j = 0; j < V; j++) {
        const l = logits[offset + j];
        if (l > max) {
            max = l;
            best = j;
        }
    }
    if (params.temperature <= 0) return best;
    const invT = 1 / params.temperature;
    let z = 0;
    for (let j = 0; j < V; j++) z += (probs[j] = Math.exp((logits[offset + j] - max) * invT));
    const u = rng.next();
    if (params.topP >= 1) {
        let acc = 0;
        const target = u * z;
        for (let j = 0; j < V; j++) {
            acc += probs[j];
            if (acc > target) return j;
        }
        return best;
    }
    // Nucleus: most likely first (ties by id), stop once the kept mass reaches topP.
    const order = Array.from({length: V}, (_, j) => j).sort((a, b) => probs[b] - probs[a] || a - b);
    let kept = 0, n = 0;
    while (n < V) {
        kept += probs[order[n++]];
        if (kept >= params.topP * z) break;
    }
    const target = u * kept;
    let acc = 0;
    for (let i = 0; i < n; i++) {
        acc += probs[order[i]];
        if (acc > target) return order[i];
    }
    return order[n - 1];
}

/** The k most likely tokens of a logits row with their log-probabilities (lse = log Σ exp logits). */
export function topLogprobs(logits: Float32Array, offset: number, V: number, lse: number, k: number): {token: number, logprob: number}[] {
    if (k <= 0) return [];
    const idx = Array.from({length: V}, (_, j) => j).sort((a, b) => logits[offset + b] - logits[offset + a] || a - b);
    return idx.slice(0, k).map((j) => ({token: j, logprob: Math.fround(logits[offset + j] - lse)}));
}
