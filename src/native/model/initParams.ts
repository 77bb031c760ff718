// Seeded initialisation of a native model's parameters (GPT-2 / nanoGPT style, as in the PyTorch
// calibration runs): every matrix N(0, 0.02), the residual output projections (o_proj, down_proj)
// scaled by 1/√(2·nLayers), RMSNorm weights 1.
import {Rng} from "../../protocol/rng.js";
import type {ModelConfig} from "./ModelConfig.js";
import {paramSpecs} from "./ModelConfig.js";

/** Every tensor of `paramSpecs(config)`, drawn from `Rng(seed)` in that order (the same seed gives the same bits). */
export function initParams(config: ModelConfig, seed: number): Map<string, Float32Array> {
    const rng = new Rng(seed);
    const outScale = 1 / Math.sqrt(2 * config.nLayers);
    const params = new Map<string, Float32Array>();
    for (const s of paramSpecs(config)) {
        const t = new Float32Array(s.shape.reduce((a, b) => a * b, 1));
        if (s.shape.length === 1) t.fill(1);
        else {
            const std = /\.(o_proj|down_proj)\.weight$/.test(s.name) ? 0.02 * outScale : 0.02;
            for (let k = 0; k < t.length; k++) t[k] = rng.normal() * std;
        }
        params.set(s.name, t);
    }
    return params;
}
