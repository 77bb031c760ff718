// Parity (REAL MODEL): the same tokens through the native model's forward pass and through llama.cpp
// on the exported GGUF must give the same next-token probabilities at every position.
//
// Tolerances, and why:
// - f32 weights, f32 KV cache, no flash attention: both sides compute in float32 and differ only in
//   summation order, so probabilities agree to ~1e-6 (measured 1.6e-6). We allow 2e-5. Any layout or
//   RoPE mistake (e.g. a missing q/k permutation) moves probabilities by 1e-2 or more.
// - llama.cpp's defaults (F16 KV cache; flash attention on CPU rounds Q·K through F16): keys and values
//   carry F16's 2^-11 relative rounding, which perturbs logits by ~1e-3 of their scale and
//   probabilities by up to ~1e-3 (measured 1.4e-3). We allow 5e-3.
// - f16 weights: compared against the reference run on the same F16-rounded weights, with the
//   default KV cache: also within 5e-3 (measured 2.2e-3).
// The model is a seeded random Llama scaled so distributions are peaked (mean entropy ≈ 2 nats
// against ln 264 ≈ 5.6 for uniform), so these bounds are far from vacuous.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {GgufEngine, type GgufEngineOptions} from "../src/engines/gguf/GgufEngine.js";
import {exportGguf} from "../src/native/checkpoint/exportGguf.js";
import {f16BitsToF32, f32ToF16Bits} from "../src/native/checkpoint/float16.js";
import {ByteTokenizer} from "../src/native/tokenizer/ByteTokenizer.js";
import {Rng} from "../src/protocol/rng.js";
import {nativeForward} from "./fixtures/checkpoint/native.js";
import {randomParams, testConfig} from "./fixtures/checkpoint/randomModel.js";
import {referenceProbabilities, softmax} from "./fixtures/checkpoint/reference.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-gguf-parity-"));
const params = randomParams(testConfig, 1);
const tokenizer = new ByteTokenizer();
const rng = new Rng(77);
const sequences = [
    tokenizer.applyChatTemplate([{role: "system", content: "Judge A vs B."}, {role: "user", content: "Q: Which is larger, 7 or 9?\n[A]\n9\n[B]\n7"}]),
    Array.from({length: 120}, () => rng.int(0, 263))
];

afterAll(() => rmSync(dir, {recursive: true, force: true}));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    return worst;
}

async function llamaCppProbabilities(file: string, options: GgufEngineOptions): Promise<Float32Array[][]> {
    const engine = await GgufEngine.load(file, {sequences: 2, contextSize: 128, ...options});
    try {
        return await Promise.all(sequences.map((tokens) => engine.nextTokenProbabilities(tokens, {allPositions: true})));
    } finally {
        await engine.close();
    }
}

describe("parity: the native forward pass vs llama.cpp on the exported GGUF", () => {
    const f32File = join(dir, "f32.gguf");
    const f16File = join(dir, "f16.gguf");
    const reference = sequences.map((tokens) => referenceProbabilities(testConfig, params, tokens));
    let native: Float64Array[][];
    let nativeLogprobs: Float32Array[];

    beforeAll(async () => {
        await exportGguf({config: testConfig, params}, f32File);
        await exportGguf({config: testConfig, params}, f16File, {dtype: "f16"});
        const out = await nativeForward(testConfig, params, sequences);
        native = out.logits.map((rows) => rows.map(softmax));
        nativeLogprobs = out.logprobs;
    });

    it("the test model's distributions are far from uniform", () => {
        let entropy = 0, n = 0;
        for (const rows of reference) for (const p of rows) {
            entropy -= p.reduce((s, x) => s + (x > 0 ? x * Math.log(x) : 0), 0);
            n++;
        }
        expect(entropy / n).toBeLessThan(3);
    });

    it("the native (WebAssembly) forward pass matches the float64 reference", () => {
        let worst = 0;
        native.forEach((rows, s) => rows.forEach((p, t) => worst = Math.max(worst, maxAbsDiff(p, reference[s][t]))));
        expect(worst).toBeLessThan(2e-5);
    });

    it("f32 weights + f32 KV cache: every position within 2e-5 of the native model", async () => {
        const got = await llamaCppProbabilities(f32File, {kvCacheType: "f32", flashAttention: false});
        let worstNative = 0, worstReference = 0, worstLogprob = 0;
        got.forEach((rows, s) => {
            expect(rows).toHaveLength(sequences[s].length);
            rows.forEach((p, t) => {
                worstNative = Math.max(worstNative, maxAbsDiff(p, native[s][t]));
                worstReference = Math.max(worstReference, maxAbsDiff(p, reference[s][t]));
                // The native model's own per-token log-probabilities (what GRPO ratios use) against llama.cpp's.
                const next = sequences[s][t + 1];
                if (next != null && p[next] > 1e-4) worstLogprob = Math.max(worstLogprob, Math.abs(Math.log(p[next]) - nativeLogprobs[s][t + 1]));
            });
        });
        expect(worstNative).toBeLessThan(2e-5);
        expect(worstReference).toBeLessThan(2e-5);
        expect(worstLogprob).toBeLessThan(1e-3);
    });

    it("llama.cpp's default precision (F16 KV cache): every position within 5e-3; batching still changes nothing", async () => {
        const engine = await GgufEngine.load(f32File, {sequences: 4, contextSize: 128});
        try {
            const got = await Promise.all(sequences.map((tokens) => engine.nextTokenProbabilities(tokens, {allPositions: true})));
            let worst = 0;
            got.forEach((rows, s) => rows.forEach((p, t) => worst = Math.max(worst, maxAbsDiff(p, native[s][t]))));
            expect(worst).toBeLessThan(5e-3);
            expect(worst).toBeGreaterThan(0);
            // Seeded outputs do not depend on which other sequences share the batch.
            const requests = Array.from({length: 6}, (_, i) => ({
                messages: [{role: "user" as const, content: `q${i} ${"x".repeat(7 * i)}`}],
                options: {temperature: 0.9, seed: 50 + i, maxTokens: 24, n: 1 + (i % 2)}
            }));
            const batched = await engine.generate(requests);
            for (let i = 0; i < requests.length; i++)
                expect((await engine.generate([requests[i]]))[0].completions).toEqual(batched[i].completions);
        } finally {
            await engine.close();
        }
    });

    it("f16 weights: within 5e-3 of the reference on the same F16-rounded weights", async () => {
        const rounded = new Map([...params].map(([name, data]) => [name, name.endsWith("norm.weight") ? data : data.map((v) => f16BitsToF32(f32ToF16Bits(v)))]));
        const got = await llamaCppProbabilities(f16File, {});
        let worst = 0;
        got.forEach((rows, s) => {
            const ref = referenceProbabilities(testConfig, rounded, sequences[s]);
            rows.forEach((p, t) => worst = Math.max(worst, maxAbsDiff(p, ref[t])));
        });
        expect(worst).toBeLessThan(5e-3);
    });
});
