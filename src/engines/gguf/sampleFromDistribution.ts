// Temperature + nucleus (top-p) sampling from a full next-token distribution, as Hugging Face and
// vLLM order them: temperature reshapes the distribution, then the smallest set of most likely
// tokens whose mass reaches `topP` is kept and renormalised.
import type {Rng} from "../../protocol/rng.js";

/**
 * Draw a token from `probabilities` (token → probability, sorted most likely first, as
 * node-llama-cpp returns them) at `temperature` > 0 with nucleus mass `topP` in (0, 1].
 */
export function sampleFromDistribution(probabilities: Map<number, number>, temperature: number, topP: number, rng: Rng): number {
    const tokens: number[] = [];
    const weights: number[] = [];
    let maxLog = -Infinity;
    for (const [token, p] of probabilities) {
        if (!(p > 0)) continue;
        tokens.push(token);
        const logW = Math.log(p) / temperature;
        weights.push(logW);
        if (logW > maxLog) maxLog = logW;
    }
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += (weights[i] = Math.exp(weights[i] - maxLog));
    // Nucleus: keep the prefix (already in descending order) whose mass first reaches topP.
    let kept = weights.length, mass = 0;
    for (let i = 0; i < weights.length; i++) {
        mass += weights[i] / total;
        if (mass >= topP) {
            kept = i + 1;
            break;
        }
    }
    let keptTotal = 0;
    for (let i = 0; i < kept; i++) keptTotal += weights[i];
    let u = rng.next() * keptTotal;
    for (let i = 0; i < kept; i++) {
        u -= weights[i];
        if (u < 0) return tokens[i];
    }
    return tokens[kept - 1];
}
