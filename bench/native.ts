// `npm run bench:native`: the native engine against the references it must compete with, side by
// side in one run, written to bench/results/native.md and .json.
//   1. Training tokens/s (forward + backward + grad clip + AdamW, batch 16 × 256 random tokens) for
//      d128/4 layers (`tiny`) and d256/6 layers (`small`), against PyTorch on CPU with the same
//      model, optimizer and thread count (bench/native_torch.py, /usr/bin/python3). Rounds are
//      interleaved (native, torch, native, torch, …) so both see the same machine conditions;
//      each figure is the median step time over all rounds. Plus GFLOP/s per kernel from a
//      profiled native step.
//   2. Generation tokens/s, 64 parallel sequences × up to 200 new tokens, temperature 1, through
//      the `Engine` interface: NativeEngine against node-llama-cpp (GgufEngine) on the GGUF exported
//      from the same weights. Both stop at <|eos|>; tokens/s counts the tokens actually generated.
//      Also the raw decoder (generateTokens, exactly 64 × 200 tokens, eos ignored).
//
// Environment: BENCH_THREADS (default: all cores), BENCH_ROUNDS (interleaved rounds, default 3),
// BENCH_STEPS (timed steps per round, default 5), BENCH_GEN_RUNS (default 3),
// BENCH_SKIP_TORCH=1, BENCH_SKIP_GGUF=1, BENCH_CONFIGS (default "tiny,small"); BENCH_RENDER_ONLY=1
// re-renders native.md from native.json without measuring.
import {otherProcesses} from "./otherProcesses.js";
import {spawnSync} from "node:child_process";
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {availableParallelism, cpus, loadavg, tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import type {Engine, GenerateRequest} from "../src/engines/Engine.js";
import {GgufEngine} from "../src/engines/gguf/GgufEngine.js";
import {exportGguf} from "../src/native/checkpoint/exportGguf.js";
import {generateTokens} from "../src/native/generate/generateTokens.js";
import {KernelRuntime} from "../src/native/kernels/KernelRuntime.js";
import type {KernelProfile} from "../src/native/kernels/KernelRuntime.js";
import {AdamW} from "../src/native/model/AdamW.js";
import {modelPresets, paramCount} from "../src/native/model/ModelConfig.js";
import type {ModelConfig} from "../src/native/model/ModelConfig.js";
import {NativeModel} from "../src/native/model/NativeModel.js";
import {NativeEngine} from "../src/native/NativeEngine.js";
import {ByteTokenizer} from "../src/native/tokenizer/ByteTokenizer.js";
import {Rng} from "../src/protocol/rng.js";

const here = dirname(fileURLToPath(import.meta.url));
const threads = Number(process.env.BENCH_THREADS ?? availableParallelism());
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const steps = Number(process.env.BENCH_STEPS ?? 5);
const genRuns = Number(process.env.BENCH_GEN_RUNS ?? 3);
const configNames = (process.env.BENCH_CONFIGS ?? "tiny,small").split(",");
const skipTorch = process.env.BENCH_SKIP_TORCH === "1";
const skipGguf = process.env.BENCH_SKIP_GGUF === "1";
const B = 16, T = 256;
const python = "/usr/bin/python3";

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s.length === 0 ? NaN : s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}


interface TrainResult {
    config: string;
    threads: number;
    params: number;
    nativeStepSec: number[];
    torchStepSec: number[];
    torchInfo?: {torch: string, threads: number, blas: string[]};
    kernels: [string, KernelProfile][];
}

async function nativeSteps(runtime: KernelRuntime, config: ModelConfig, n: number, profile = false): Promise<{times: number[], kernels?: Map<string, KernelProfile>}> {
    const model = await NativeModel.init(config, {seed: 1, runtime});
    const opt = new AdamW(model, {lr: 1e-3, weightDecay: 0.1});
    const rng = new Rng(7);
    const seqs = Array.from({length: B}, () => Array.from({length: T}, () => rng.int(0, config.vocabSize - 1)));
    const masks = seqs.map((s) => s.map(() => 1));
    const step = () => {
        model.zeroGrad();
        model.nllLossAndGrad(seqs, masks);
        model.clipGradNorm(1);
        opt.step();
    };
    for (let i = 0; i < 2; i++) step();
    const times: number[] = [];
    let kernels: Map<string, KernelProfile> | undefined;
    for (let i = 0; i < n; i++) {
        if (profile) runtime.startProfile();
        const t = performance.now();
        step();
        times.push((performance.now() - t) / 1000);
        if (profile) kernels = runtime.stopProfile();
    }
    opt.dispose();
    model.dispose();
    return {times, kernels};
}

function torchSteps(config: ModelConfig, n: number, nThreads: number): {times: number[], info: {torch: string, threads: number, blas: string[]}} {
    const arg = JSON.stringify({dModel: config.dModel, nLayers: config.nLayers, nHeads: config.nHeads, dFF: config.dFF, vocabSize: config.vocabSize, batch: B, seqLen: T, threads: nThreads, steps: n, warmup: 2});
    const r = spawnSync(python, [join(here, "native_torch.py"), arg], {encoding: "utf8", maxBuffer: 1 << 24});
    if (r.status !== 0) throw new Error(`native_torch.py failed (is python3-torch installed?): ${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as {stepTimes: number[], torch: string, threads: number, blas: string[]};
    return {times: out.stepTimes, info: {torch: out.torch, threads: out.threads, blas: out.blas}};
}

async function benchTraining(runtime: KernelRuntime, nRounds: number): Promise<TrainResult[]> {
    const results: TrainResult[] = [];
    for (const name of configNames) {
        const config = modelPresets[name];
        const r: TrainResult = {config: name, threads: runtime.threads, params: paramCount(config), nativeStepSec: [], torchStepSec: [], kernels: []};
        for (let round = 0; round < nRounds; round++) {
            r.nativeStepSec.push(...(await nativeSteps(runtime, config, steps)).times);
            process.stderr.write(`train ${name} ${runtime.threads} thread(s) round ${round + 1}: native median ${median(r.nativeStepSec).toFixed(3)} s/step\n`);
            if (!skipTorch) {
                const t = torchSteps(config, steps, runtime.threads);
                r.torchStepSec.push(...t.times);
                r.torchInfo = t.info;
                process.stderr.write(`train ${name} ${runtime.threads} thread(s) round ${round + 1}: torch median ${median(r.torchStepSec).toFixed(3)} s/step\n`);
            }
        }
        const prof = await nativeSteps(runtime, config, 1, true);
        r.kernels = [...prof.kernels!].sort((a, b) => b[1].ms - a[1].ms);
        results.push(r);
    }
    return results;
}

interface GenResult {
    model: string;
    params: number;
    nativeTokPerSec: number[];
    nativeTokens: number[];
    rawTokPerSec: number[];
    ggufTokPerSec: number[];
    ggufTokens: number[];
    ggufInfo?: string;
}

function genRequests(run: number): GenerateRequest[] {
    return Array.from({length: 64}, (_, i) => ({
        messages: [{role: "system", content: "Judge A vs B."}, {role: "user", content: `Q: What is ${i} + ${3 * i}?\n[A]\n${4 * i}\n[B]\n${4 * i + 1}`}],
        options: {temperature: 1, maxTokens: 200, seed: 1000 * run + i}
    }));
}

async function timeEngine(engine: Engine, run: number): Promise<{tokPerSec: number, tokens: number}> {
    const t = performance.now();
    const out = await engine.generate(genRequests(run));
    const sec = (performance.now() - t) / 1000;
    const tokens = out.reduce((n, r) => n + r.usage.completionTokens, 0);
    return {tokPerSec: tokens / sec, tokens};
}

async function benchGeneration(runtime: KernelRuntime): Promise<GenResult> {
    const config = modelPresets.tiny;
    const model = await NativeModel.init(config, {seed: 1, runtime});
    const r: GenResult = {model: "tiny", params: paramCount(config), nativeTokPerSec: [], nativeTokens: [], rawTokPerSec: [], ggufTokPerSec: [], ggufTokens: []};
    const native = NativeEngine.fromModel(model, new ByteTokenizer(), {batchSize: 64});
    const tok = new ByteTokenizer();
    const prompts = genRequests(0).map((q) => tok.applyChatTemplate(q.messages));
    let gguf: GgufEngine | undefined;
    const dir = mkdtempSync(join(tmpdir(), "rmr1-bench-native-"));
    try {
        if (!skipGguf) {
            const file = join(dir, "model.gguf");
            await exportGguf({config, params: model.paramMap()}, file, {dtype: "f32"});
            const maxPrompt = Math.max(...prompts.map((p) => p.length));
            gguf = await GgufEngine.load(file, {sequences: 64, contextSize: maxPrompt + 200, gpu: false});
            r.ggufInfo = `node-llama-cpp 3.21.1, threads ${gguf.info.threads}, ${JSON.stringify({sequences: 64, contextSize: maxPrompt + 200})}`;
            await timeEngine(gguf, 99);
        }
        await timeEngine(native, 99);
        for (let run = 0; run < genRuns; run++) {
            const n = await timeEngine(native, run);
            r.nativeTokPerSec.push(n.tokPerSec);
            r.nativeTokens.push(n.tokens);
            if (gguf != null) {
                const g = await timeEngine(gguf, run);
                r.ggufTokPerSec.push(g.tokPerSec);
                r.ggufTokens.push(g.tokens);
            }
            const t = performance.now();
            const raw = await generateTokens(model, prompts, {maxTokens: 200, temperature: 1, seed: run, stopTokens: []});
            r.rawTokPerSec.push(raw.reduce((s, o) => s + o.tokens.length, 0) / ((performance.now() - t) / 1000));
            process.stderr.write(`generate run ${run + 1}: native ${n.tokPerSec.toFixed(0)} tok/s, gguf ${r.ggufTokPerSec.at(-1)?.toFixed(0) ?? "-"} tok/s, raw ${r.rawTokPerSec.at(-1)!.toFixed(0)} tok/s\n`);
        }
    } finally {
        await gguf?.close();
        await native.close();
        model.dispose();
        rmSync(dir, {recursive: true, force: true});
    }
    return r;
}

function fmt(n: number, digits = 0): string {
    return Number.isFinite(n) ? n.toLocaleString("en-US", {maximumFractionDigits: digits, minimumFractionDigits: digits}) : "–";
}

async function main(): Promise<void> {
    const started = new Date().toISOString();
    const loadBefore = loadavg();
    const busyBefore = otherProcesses(["bench/native", "bench:native", "native_torch.py", "ggufWorker"]);
    const runtime = await KernelRuntime.create({threads});
    const training = await benchTraining(runtime, rounds);
    // One thread each as well: less sensitive to other load on a shared machine.
    let single: TrainResult[] = [];
    if (threads > 1) {
        const one = await KernelRuntime.create({threads: 1});
        single = await benchTraining(one, Math.max(1, rounds - 1));
        await one.close();
    }
    const busyMid = otherProcesses(["bench/native", "bench:native", "native_torch.py", "ggufWorker"]);
    const generation = await benchGeneration(runtime);
    await runtime.close();
    const loadAfter = loadavg();
    const busyAfter = otherProcesses(["bench/native", "bench:native", "native_torch.py", "ggufWorker"]);

    const machine = {cpu: cpus()[0]?.model ?? "unknown", cores: availableParallelism(), node: process.version, threads, loadBefore, loadAfter};
    const json = {started, machine, rounds, steps, batch: B, seqLen: T, otherProcesses: {before: busyBefore, middle: busyMid, after: busyAfter}, training, trainingOneThread: single, generation};
    const resultsDir = join(here, "results");
    mkdirSync(resultsDir, {recursive: true});
    writeFileSync(join(resultsDir, "native.json"), JSON.stringify(json, null, 2) + "\n");
    writeReport(json);
}

interface BenchJson {
    started: string;
    machine: {cpu: string, cores: number, node: string, threads: number, loadBefore: number[], loadAfter: number[]};
    rounds: number;
    steps: number;
    otherProcesses: {before: string[], middle: string[], after: string[]};
    training: TrainResult[];
    trainingOneThread: TrainResult[];
    generation: GenResult;
}

/** Render bench/results/native.md from the measurements (BENCH_RENDER_ONLY=1 re-renders native.json). */
function writeReport(json: BenchJson): void {
    const {started, machine, training, generation} = json;
    const single = json.trainingOneThread;
    const {loadBefore, loadAfter, threads} = machine;
    const {before: busyBefore, middle: busyMid, after: busyAfter} = json.otherProcesses;
    const rounds = json.rounds, steps = json.steps;
    const resultsDir = join(here, "results");

    const lines: string[] = [
        "# Native engine benchmark",
        "",
        `Written by \`npm run bench:native\` (bench/native.ts) on ${started}.`,
        `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; kernel threads: ${threads}.`,
        `Load average before / after: ${loadBefore.map((x) => x.toFixed(2)).join(" ")} / ${loadAfter.map((x) => x.toFixed(2)).join(" ")}.`,
        ""
    ];
    const busy = [...new Set([...busyBefore, ...busyMid, ...busyAfter])];
    if (busy.length > 0) {
        lines.push("**The machine was shared during this run**: other processes were using the CPU, so absolute",
            "figures are lower and noisier than on a quiet machine. Rounds are interleaved so both sides see the same",
            "conditions, but PyTorch's 2-thread OpenMP runs are hit far harder by a busy machine than the native ones, so",
            "the 2-thread ratios overstate the native engine's lead; the 1-thread rows are the fair comparison here.",
            "Busiest other processes seen (pid, %CPU, command):", "");
        for (const b of busy) lines.push(`- \`${b}\``);
        lines.push("");
    }
    lines.push("## 1. Training throughput (forward + backward + clip + AdamW)", "",
        `Batch ${B} × ${T} random tokens, all positions in the loss; tokens/s = ${B * T} / median step time over ${rounds} interleaved rounds × ${steps} steps.`,
        "PyTorch: bench/native_torch.py, the same architecture (fused q/k/v and gate/up, baddbmm-fused causal mask), AdamW, fp32, same thread count.",
        "");
    const torchInfo = training.find((t) => t.torchInfo != null)?.torchInfo;
    if (torchInfo != null) lines.push(`PyTorch ${torchInfo.torch}, ${torchInfo.threads} threads, BLAS: ${torchInfo.blas.map((b) => `\`${b}\``).join(", ")}.`, "");
    lines.push("| model | threads | params | native s/step | native tok/s | PyTorch s/step | PyTorch tok/s | native / PyTorch |", "|---|---|---|---|---|---|---|---|");
    for (const t of [...training, ...single]) {
        const n = median(t.nativeStepSec), p = median(t.torchStepSec);
        lines.push(`| ${t.config} (d${modelPresets[t.config].dModel}, ${modelPresets[t.config].nLayers} layers) | ${t.threads} | ${fmt(t.params)} | ${fmt(n, 3)} | ${fmt((B * T) / n)} | ${fmt(p, 3)} | ${fmt((B * T) / p)} | **${fmt(p / n, 2)}×** |`);
    }
    const slower = training.filter((t) => {
        const one = single.find((x) => x.config === t.config);
        return one != null && median(t.nativeStepSec) > median(one.nativeStepSec);
    });
    if (slower.length > 0) {
        lines.push("", `On this run 2 kernel threads were slower than 1 for ${slower.map((t) => t.config).join(" and ")}: other processes held the`,
            "cores, so a worker was often descheduled mid-job (the pool falls back to one thread when it sees this, but",
            "cannot avoid all of it). On a busy machine set `RMR1_THREADS=1`.");
    }
    lines.push("", "Target: native ≥ 0.5× PyTorch at the same thread count. The 1-thread rows use one core each and are the least",
        "disturbed by other load; PyTorch's 2-thread OpenMP/OpenBLAS runs suffer most from a busy machine.", "");
    for (const t of [...training, ...single]) {
        const total = t.kernels.reduce((s, [, k]) => s + k.ms, 0);
        lines.push(`### Kernels in one ${t.config} step, ${t.threads} thread(s) (${fmt(total, 0)} ms of kernel time)`, "", "| kernel | calls | ms | share | GFLOP/s |", "|---|---|---|---|---|");
        for (const [name, k] of t.kernels) lines.push(`| ${name} | ${k.calls} | ${fmt(k.ms, 1)} | ${fmt((100 * k.ms) / total, 0)}% | ${k.flops > 0 ? fmt(k.flops / k.ms / 1e6, 1) : "(memory-bound)"} |`);
        lines.push("");
    }
    lines.push("GFLOP/s counts 2·M·N·K per matmul and the matmul work of attention (QKᵀ and PV, causal half; the backward pass does 2.5× the forward work).",
        "`gemm NT` = x·Wᵀ (forward projections), `NN` = dy·W (input gradients), `TN` = dyᵀ·x (weight gradients).", "");
    const g = generation;
    lines.push("## 2. Generation throughput (64 parallel sequences, ≤ 200 new tokens, temperature 1)", "",
        `Model: ${g.model} (${fmt(g.params)} params, random init), the same weights on both sides; median of ${genRuns} runs. Both engines stop at <|eos|>;`,
        "tokens/s = generated tokens / wall time of one `generate()` call with 64 requests.", "");
    if (g.ggufInfo != null) lines.push(`GGUF side: ${g.ggufInfo}, f32 weights, llama.cpp's default KV cache and sampler.`, "");
    lines.push("| engine | tokens per run | tok/s |", "|---|---|---|",
        `| NativeEngine (rmr1 kernels, threads ${threads}) | ${fmt(median(g.nativeTokens))} | ${fmt(median(g.nativeTokPerSec))} |`);
    if (g.ggufTokPerSec.length > 0) lines.push(`| GgufEngine (node-llama-cpp) | ${fmt(median(g.ggufTokens))} | ${fmt(median(g.ggufTokPerSec))} |`);
    else lines.push("| GgufEngine (node-llama-cpp) | – | skipped (BENCH_SKIP_GGUF=1) |");
    lines.push(`| raw decoder (generateTokens, eos ignored, 12,800 tokens) | 12,800 | ${fmt(median(g.rawTokPerSec))} |`, "");
    if (g.ggufTokPerSec.length > 0) lines.push(`Native / node-llama-cpp: **${fmt(median(g.nativeTokPerSec) / median(g.ggufTokPerSec), 2)}×** (target ≥ 2×).`, "");
    lines.push("Rerun on a quiet machine for clean absolute figures: `npm run bench:native` (see the environment variables in bench/native.ts).", "");
    writeFileSync(join(resultsDir, "native.md"), lines.join("\n"));
    process.stdout.write(lines.join("\n"));
}

if (process.env.BENCH_RENDER_ONLY === "1") writeReport(JSON.parse(readFileSync(join(here, "results", "native.json"), "utf8")) as BenchJson);
else await main();
