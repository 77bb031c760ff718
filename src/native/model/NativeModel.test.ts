// The whole model against the float64 reference: forward parity, the hand-written backward pass
// against finite differences, determinism across seeds and thread counts, gradient accumulation,
// and a short real training run.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {InvalidInput} from "../../errors.js";
import {Rng} from "../../protocol/rng.js";
import {KernelRuntime} from "../kernels/KernelRuntime.js";
import {finiteDifference64, scaledMaxError} from "../reference/gradcheck64.js";
import {llamaForward64} from "../reference/llamaForward64.js";
import {AdamW} from "./AdamW.js";
import type {ModelConfig} from "./ModelConfig.js";
import {NativeModel} from "./NativeModel.js";

const small: ModelConfig = {vocabSize: 40, dModel: 16, nLayers: 2, nHeads: 4, nKvHeads: 2, dFF: 24, maxSeqLen: 48, ropeTheta: 10000, rmsNormEps: 1e-5, tiedEmbeddings: false};
const tied: ModelConfig = {...small, nKvHeads: 3, tiedEmbeddings: true, dModel: 24, nHeads: 3, nLayers: 1};

let rt: KernelRuntime;
let rt1: KernelRuntime;
beforeAll(async () => {
    rt = await KernelRuntime.create({threads: 2});
    rt1 = await KernelRuntime.create({threads: 1});
});
afterAll(async () => {
    await rt.close();
    await rt1.close();
});

function randomSequences(rng: Rng, lengths: number[], vocab: number): number[][] {
    return lengths.map((L) => Array.from({length: L}, () => rng.int(0, vocab - 1)));
}

function params64(model: NativeModel): Map<string, Float64Array> {
    return new Map([...model.paramMap()].map(([k, v]) => [k, Float64Array.from(v)]));
}

/** Perturb init so norm weights are not all 1 (their gradients would hide sign errors otherwise). */
function jitter(model: NativeModel, seed: number): void {
    const rng = new Rng(seed);
    const p = model.params;
    for (let i = 0; i < p.length; i++) p[i] += rng.normal() * 0.05;
}

describe("NativeModel forward", () => {
    for (const [name, config] of [["untied, grouped-query", small], ["tied, multi-head", tied]] as const) {
        it(`matches the float64 reference (${name})`, async () => {
            const model = await NativeModel.init(config, {seed: 7, runtime: rt});
            jitter(model, 1);
            const seqs = randomSequences(new Rng(3), [9, 1, 37, 5], config.vocabSize);
            const r = model.forward(seqs);
            const ref = llamaForward64(config, params64(model), seqs);
            expect(r.rows).toBe(52);
            expect(scaledMaxError(r.logprobs, ref.logprobs)).toBeLessThan(1e-5);
            expect(scaledMaxError(r.hidden, ref.hidden)).toBeLessThan(1e-5);
            expect(r.logprobs[r.rowStarts[2]]).toBe(0);
            model.dispose();
        });
    }

    it("gives identical bits with and without grad, and on 1 or 2 threads", async () => {
        const a = await NativeModel.init(small, {seed: 11, runtime: rt});
        const b = await NativeModel.init(small, {seed: 11, runtime: rt1});
        const seqs = randomSequences(new Rng(4), [40, 33, 2, 48], small.vocabSize);
        const x = a.forward(seqs, {grad: true}).logprobs;
        const y = a.forward(seqs).logprobs;
        const z = b.forward(seqs).logprobs;
        expect(Buffer.from(x.buffer).equals(Buffer.from(y.buffer))).toBe(true);
        expect(Buffer.from(x.buffer).equals(Buffer.from(z.buffer))).toBe(true);
        a.dispose();
        b.dispose();
    });

    it("rejects bad token ids and lengths with errors naming the position", async () => {
        const model = await NativeModel.init(small, {seed: 1, runtime: rt});
        expect(() => model.forward([[1, 2, 40]])).toThrow(/sequences\[0\]\[2\] = 40/);
        expect(() => model.forward([[1], []])).toThrow(InvalidInput);
        expect(() => model.forward([Array(49).fill(1)])).toThrow(/maxSeqLen \(48\)/);
        expect(() => model.backward({})).toThrow(/forward/);
        model.dispose();
    });
});

describe("NativeModel backward", () => {
    for (const [name, config, temperature] of [["untied, grouped-query", small, 1], ["tied, multi-head", tied, 1], ["untied, logits at temperature 0.7", small, 0.7]] as const) {
        it(`matches finite differences of the float64 model for every tensor (${name})`, async () => {
            const model = await NativeModel.init(config, {seed: 5, runtime: rt});
            jitter(model, 2);
            const rng = new Rng(9);
            const seqs = randomSequences(rng, [7, 12, 3], config.vocabSize);
            const r = model.forward(seqs, {grad: true, temperature});
            // Loss = Σ g·logprobs + Σ h·hidden with random weights: exercises both backward inputs.
            const g = Float64Array.from({length: r.rows}, () => rng.normal());
            const h = Float64Array.from({length: r.rows * config.dModel}, () => rng.normal() * 0.1);
            model.zeroGrad();
            model.backward({logprobGrads: Float32Array.from(g), hiddenGrads: Float32Array.from(h)});
            const P = params64(model);
            const loss = () => {
                const f = llamaForward64(config, P, seqs, temperature);
                let s = 0;
                for (let i = 0; i < f.logprobs.length; i++) s += g[i] * f.logprobs[i];
                for (let i = 0; i < f.hidden.length; i++) s += h[i] * f.hidden[i];
                return s;
            };
            for (const spec of model.specs) {
                const x = P.get(spec.name)!;
                const grad = model.grad(spec.name);
                const idx = Array.from({length: Math.min(6, x.length)}, () => rng.int(0, x.length - 1));
                const fd = finiteDifference64(() => loss(), x, idx);
                const scale = Math.max(...Array.from(grad, Math.abs), 1e-3);
                for (const [i, want] of fd) {
                    expect(Math.abs(grad[i] - want) / scale, `${spec.name}[${i}]: ${grad[i]} vs ${want}`).toBeLessThan(2e-3);
                }
            }
            model.dispose();
        });
    }

    it("accumulates over micro-batches to the full-batch gradient", async () => {
        const model = await NativeModel.init(small, {seed: 3, runtime: rt});
        const rng = new Rng(12);
        const seqs = randomSequences(rng, [10, 20, 15, 8], small.vocabSize);
        const masks = seqs.map((s) => s.map((_, t) => (t > 2 ? 1 : 0)));
        const total = masks.flat().reduce((a: number, b) => a + b, 0);
        model.zeroGrad();
        const full = model.nllLossAndGrad(seqs, masks);
        const gFull = Float32Array.from(model.grads);
        model.zeroGrad();
        const a = model.nllLossAndGrad(seqs.slice(0, 2), masks.slice(0, 2), {normalizer: total});
        const b = model.nllLossAndGrad(seqs.slice(2), masks.slice(2), {normalizer: total});
        expect(a.loss + b.loss).toBeCloseTo(full.loss, 5);
        expect(scaledMaxError(model.grads, gFull)).toBeLessThan(1e-5);
        model.dispose();
    });

    it("clips the gradient norm like torch.nn.utils.clip_grad_norm_", async () => {
        const model = await NativeModel.init(small, {seed: 3, runtime: rt});
        model.zeroGrad();
        model.nllLossAndGrad([[1, 2, 3, 4, 5, 6]], [[1, 1, 1, 1, 1, 1]]);
        const g = Float64Array.from(model.grads);
        const norm = Math.sqrt(g.reduce((s, v) => s + v * v, 0));
        expect(model.gradNorm()).toBeCloseTo(norm, 5);
        const before = model.clipGradNorm(norm / 4);
        expect(before).toBeCloseTo(norm, 5);
        expect(model.gradNorm()).toBeCloseTo(norm / 4, 4);
        model.dispose();
    });
});

describe("NativeModel training", () => {
    it("same seed → bit-identical weights after several AdamW steps, on 1 and on 2 threads", async () => {
        const run = async (runtime: KernelRuntime, seed: number) => {
            const model = await NativeModel.init(small, {seed, runtime});
            const opt = new AdamW(model, {lr: 3e-3});
            const rng = new Rng(100);
            for (let step = 0; step < 3; step++) {
                const seqs = randomSequences(rng, [30, 17, 44], small.vocabSize);
                model.zeroGrad();
                model.nllLossAndGrad(seqs, seqs.map((s) => s.map(() => 1)));
                model.clipGradNorm(1);
                opt.step();
            }
            const hash = model.weightsHash();
            model.dispose();
            opt.dispose();
            return hash;
        };
        const a = await run(rt, 42), b = await run(rt1, 42), c = await run(rt, 43);
        expect(a).toBe(b);
        expect(a).not.toBe(c);
    });

    it("learns a memorisable sequence: the loss falls from ln(V) to near zero", async () => {
        const config: ModelConfig = {...small, vocabSize: 264, dModel: 32, nHeads: 4, nKvHeads: 4, dFF: 64, maxSeqLen: 64};
        const model = await NativeModel.init(config, {seed: 1, runtime: rt});
        const opt = new AdamW(model, {lr: 1e-2, weightDecay: 0});
        const text = Array.from(new TextEncoder().encode("the quick brown fox jumps over the lazy dog"));
        const seqs = [[256, ...text, 257]];
        const masks = [seqs[0].map(() => 1)];
        const losses: number[] = [];
        for (let step = 0; step < 60; step++) {
            model.zeroGrad();
            losses.push(model.nllLossAndGrad(seqs, masks).loss);
            model.clipGradNorm(1);
            opt.step();
        }
        expect(losses[0]).toBeGreaterThan(5);
        expect(losses[59]).toBeLessThan(0.1);
        model.dispose();
        opt.dispose();
    });
});
