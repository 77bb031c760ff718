// The checkpoint loads in Python: test/fixtures/checkpoint/llama_ref.py parses model.safetensors,
// config.json and tokenizer.json with plain PyTorch (transformers' Llama semantics re-implemented,
// since transformers is not installable here) and its logits must match ours.
import {spawnSync} from "node:child_process";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {nativeForward} from "../../../test/fixtures/checkpoint/native.js";
import {referenceLogits} from "../../../test/fixtures/checkpoint/reference.js";
import {randomParams, testConfig} from "../../../test/fixtures/checkpoint/randomModel.js";
import {ByteTokenizer} from "../tokenizer/ByteTokenizer.js";
import {saveCheckpoint} from "./saveCheckpoint.js";

const python = "/usr/bin/python3";
const script = fileURLToPath(new URL("../../../test/fixtures/checkpoint/llama_ref.py", import.meta.url));
const hasTorch = spawnSync(python, ["-c", "import torch"], {stdio: "ignore"}).status === 0;
const title = hasTorch
    ? "checkpoints in PyTorch (llama_ref.py)"
    : `checkpoints in PyTorch (llama_ref.py) — SKIPPED: ${python} cannot import torch (install python3-torch to run)`;

const dir = mkdtempSync(join(tmpdir(), "rmr1-pyref-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

interface PythonResult {
    logits: number[][][];
    text_tokens: number[];
}

function runPython(checkpoints: string[], request: unknown): PythonResult[] {
    const result = spawnSync(python, [script, ...checkpoints], {input: JSON.stringify(request), encoding: "utf8", maxBuffer: 1 << 28});
    if (result.status !== 0) throw new Error(`llama_ref.py failed: ${result.stderr}`);
    return (JSON.parse(result.stdout) as {results: PythonResult[]}).results;
}

/** max |a − b| over all logits, relative to the largest |b|. */
function scaledError(a: number[][], b: ArrayLike<number>[]): number {
    let worst = 0, scale = 0;
    a.forEach((row, t) => row.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - b[t][i]));
        scale = Math.max(scale, Math.abs(b[t][i]));
    }));
    return worst / scale;
}

describe.skipIf(!hasTorch)(title, () => {
    const tokenizer = new ByteTokenizer();
    const text = "naïve café ☕";
    const prompts = [
        tokenizer.applyChatTemplate([{role: "system", content: "Judge A vs B."}, {role: "user", content: "Q: 2+2?\n[A]\n4\n[B]\n5"}]),
        tokenizer.encode(text)
    ];
    const variants = [
        {label: "GQA, untied head", config: testConfig},
        {label: "tied head, no GQA", config: {...testConfig, nKvHeads: 4, tiedEmbeddings: true, ropeTheta: 500000}}
    ].map((v) => ({...v, params: randomParams(v.config, 21), dir: join(dir, v.label.replace(/\W+/g, "-"))}));
    let results: PythonResult[];
    let native: Float64Array[][][];

    beforeAll(async () => {
        for (const v of variants) await saveCheckpoint(v.dir, {config: v.config, params: v.params});
        results = runPython(variants.map((v) => v.dir), {tokens: prompts, text});
        native = [];
        for (const v of variants) native.push((await nativeForward(v.config, v.params, prompts)).logits);
    });

    variants.forEach((v, k) => {
        it(`gives the same logits as the reference and the native model (${v.label})`, () => {
            prompts.forEach((ids, i) => {
                // PyTorch computes in float32, the reference in float64: agreement to ~1e-6 of the
                // logit scale is float32 rounding (measured 3–6e-7); a wrong layout or RoPE
                // convention gives errors of order 1.
                expect(scaledError(results[k].logits[i], referenceLogits(v.config, v.params, ids))).toBeLessThan(2e-5);
                expect(scaledError(results[k].logits[i], native[k][i])).toBeLessThan(2e-5);
            });
        });
    });

    it("tokenizes text with tokenizer.json exactly as ByteTokenizer does", () => {
        for (const r of results) expect(r.text_tokens).toEqual(tokenizer.encode(text));
    });
});
