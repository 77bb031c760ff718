// `npm run bench:train`: what training costs on this machine for the quickstart-sized model
// (modelPresets.tiny: d128, 4 layers, 0.87M parameters), through the real trainers:
//   1. SFT tokens/s (forward + backward + clip + AdamW over packed micro-batches) on world judge
//      traces, `tiny` preset (batch 32), for two micro-batch sizes;
//   2. GRPO and PPO seconds per step, `tiny` preset (4 prompts × 7 rollouts, ≤ 160 new tokens),
//      split into rollout / log-prob (old policy, reference, critic values) / update, with native
//      rollouts and with node-llama-cpp rollouts on a GGUF exported every step.
// The GRPO runs start from the model the SFT runs produced, so rollouts have a realistic length
// (reported). Runs are interleaved and repeated; figures are medians over the steps after the first.
//
// Environment: BENCH_RUNS (default 3), BENCH_SFT_STEPS (per run, default 12), BENCH_GRPO_STEPS
// (per run, default 4), BENCH_PAIRS (world pairs generated, default 1200).
import {otherProcesses} from "./otherProcesses.js";
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {cpus, loadavg, tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {renderPair} from "../src/protocol/renderPair.js";
import {generateWorldPairs} from "../src/world/generateWorld.js";
import {WorldTeacher} from "../src/world/WorldTeacher.js";
import {saveCheckpoint} from "../src/native/checkpoint/saveCheckpoint.js";
import {KernelRuntime} from "../src/native/kernels/KernelRuntime.js";
import {modelPresets, paramCount} from "../src/native/model/ModelConfig.js";
import {NativeModel} from "../src/native/model/NativeModel.js";
import {trainSft} from "../src/train/trainSft.js";
import {sftPresets} from "../src/train/presets.js";
import {trainGrpo, type GrpoOptions} from "../src/train/trainGrpo.js";
import {readJsonlForResume} from "../src/data/jsonl.js";

const runs = Number(process.env.BENCH_RUNS ?? 3);
const sftSteps = Number(process.env.BENCH_SFT_STEPS ?? 12);
const grpoSteps = Number(process.env.BENCH_GRPO_STEPS ?? 4);
const nPairs = Number(process.env.BENCH_PAIRS ?? 1200);
const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), "rmr1-bench-train-"));
const config = modelPresets.tiny;

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}


/** World level-1 pairs, the tiny-profile judge prompts and the teacher's traces. */
async function writeData(): Promise<{sft: string, pairs: string}> {
    const teacher = new WorldTeacher({seed: 1});
    const sft: string[] = [], pairs: string[] = [];
    let i = 0;
    for (const pair of generateWorldPairs({n: nPairs, seed: 1000, level: 1})) {
        const rendered = renderPair(pair, i++ % 2 === 0 ? "chosen-first" : "chosen-second", {profile: "tiny"});
        const [result] = await teacher.generate([{messages: rendered.messages}]);
        sft.push(JSON.stringify({messages: [...rendered.messages, {role: "assistant", content: result.completions[0].text}]}));
        pairs.push(JSON.stringify(pair));
    }
    const files = {sft: join(work, "sft.jsonl"), pairs: join(work, "pairs.jsonl")};
    writeFileSync(files.sft, sft.join("\n") + "\n");
    writeFileSync(files.pairs, pairs.join("\n") + "\n");
    return files;
}

type Metrics = Record<string, number>;
const steps = (runDir: string): Metrics[] => readJsonlForResume<Metrics>(join(runDir, "metrics.jsonl")).filter((m) => m.step > 0 && m.seconds != null);

async function main(): Promise<void> {
    const load0 = loadavg();
    const ours = ["bench/train", "bench:train", "ggufWorker"];
    const othersBefore = otherProcesses(ours);
    const rt = await KernelRuntime.shared();
    const data = await writeData();
    const base = join(work, "base");
    const init = await NativeModel.init(config, {seed: 1, runtime: rt});
    await saveCheckpoint(base, {config, params: init.paramMap()});
    init.dispose();

    // 1. SFT: interleave the two micro-batch sizes; each run continues from the previous run's model
    //    so the GRPO stage below starts from a judge that has seen some traces.
    const microSizes = [8, 16, 32];
    const presetMicro = sftPresets.tiny.microBatchSize;
    const label = (m: number) => `micro-batch ${m}${m === presetMicro ? " (preset)" : ""}`;
    // Labels are not integer-like, so the object keeps this order.
    const sft: Record<string, Metrics[]> = Object.fromEntries(microSizes.map((m) => [label(m), []]));
    let model = base;
    for (let r = 0; r < runs; r++) {
        // Rotate the order each run so a change in the machine's load does not favour one size.
        for (const micro of microSizes.map((_, k) => microSizes[(k + r) % microSizes.length])) {
            const out = join(work, `sft-${r}-${micro}`);
            const res = await trainSft({model, data: data.sft, out, preset: "tiny", microBatchSize: micro, maxSteps: sftSteps, evalFraction: 0, seed: r});
            sft[label(micro)].push(...steps(out).slice(1));
            if (micro === presetMicro) model = res.modelDir;
            process.stderr.write(`sft run ${r + 1}/${runs} ${label(micro)}: ${median(steps(out).slice(1).map((m) => m.tokensPerSecond)).toFixed(0)} tok/s\n`);
        }
    }

    // 2. GRPO / PPO steps from that model.
    const variants: {label: string, options: Partial<GrpoOptions>}[] = [
        {label: "GRPO, native rollouts", options: {algo: "grpo", rollout: "native"}},
        {label: "GRPO, native rollouts, micro-batch 7", options: {algo: "grpo", rollout: "native", microBatchSize: 7}},
        {label: "GRPO, GGUF rollouts (node-llama-cpp)", options: {algo: "grpo", rollout: "gguf"}},
        {label: "PPO, native rollouts", options: {algo: "ppo", rollout: "native"}}
    ];
    const rl: Record<string, Metrics[]> = Object.fromEntries(variants.map((v) => [v.label, []]));
    for (let r = 0; r < runs; r++) {
        for (const v of variants.map((_, k) => variants[(k + r) % variants.length])) {
            const out = join(work, `rl-${r}-${v.label.replace(/\W+/g, "-")}`);
            await trainGrpo({model, data: data.pairs, out, preset: "tiny", maxSteps: grpoSteps, seed: r, ...v.options});
            rl[v.label].push(...steps(out).slice(1));
            process.stderr.write(`rl run ${r + 1}/${runs} ${v.label}: ${median(steps(out).slice(1).map((m) => m.seconds)).toFixed(2)} s/step\n`);
        }
    }
    const load1 = loadavg();
    const others = [...new Set([...othersBefore, ...otherProcesses(ours)])];

    const sftRows = Object.entries(sft).map(([label, ms]) => ({
        label, steps: ms.length,
        tokensPerSecond: median(ms.map((m) => m.tokensPerSecond)),
        trainedTokensPerSecond: median(ms.map((m) => m.trainedTokens / m.seconds)),
        secondsPerStep: median(ms.map((m) => m.seconds)),
        tokensPerStep: median(ms.map((m) => m.tokens)),
        min: Math.min(...ms.map((m) => m.tokensPerSecond)), max: Math.max(...ms.map((m) => m.tokensPerSecond))
    }));
    const rlRows = Object.entries(rl).map(([label, ms]) => ({
        label, steps: ms.length,
        secondsPerStep: median(ms.map((m) => m.seconds)),
        rolloutSeconds: median(ms.map((m) => m.rolloutSeconds)),
        logprobSeconds: median(ms.map((m) => m.logprobSeconds)),
        updateSeconds: median(ms.map((m) => m.updateSeconds)),
        responseLength: median(ms.map((m) => m.responseLength)),
        truncated: median(ms.map((m) => m.truncated)),
        rolloutTokensPerSecond: median(ms.map((m) => m.rolloutTokensPerSecond)),
        updateTokensPerSecond: median(ms.map((m) => m.tokensPerSecond)),
        min: Math.min(...ms.map((m) => m.seconds)), max: Math.max(...ms.map((m) => m.seconds))
    }));
    const nativeRl = rlRows[0], ggufRl = rlRows[2];
    const result = {
        date: new Date().toISOString(), node: process.version, cpu: `${cpus().length} × ${cpus()[0]?.model ?? "?"}`, threads: rt.threads,
        loadBefore: load0, loadAfter: load1, others,
        model: {preset: "tiny", ...config, params: paramCount(config)},
        settings: {runs, sftSteps, grpoSteps, pairs: nPairs, sft: "preset tiny: batch 32, lr 1e-3, seq-mean; micro-batch varied", rl: "preset tiny: 4 prompts × 7, ≤ 160 new tokens, mini-batch 4, micro-batch 28 (and 7)"},
        sft: sftRows, rl: rlRows
    };
    mkdirSync(join(here, "results"), {recursive: true});
    writeFileSync(join(here, "results", "train.json"), JSON.stringify(result, null, 2) + "\n");
    const f = (x: number, d = 2) => x.toLocaleString("en-US", {maximumFractionDigits: d, minimumFractionDigits: d});
    const md = [
        "# Training benchmark",
        "",
        `Written by \`npm run bench:train\` (bench/train.ts) on ${result.date}.`,
        `Machine: ${result.cpu}, Node ${result.node}; kernel threads: ${result.threads}.`,
        `Load average before / after: ${load0.map((x) => x.toFixed(2)).join(" ")} / ${load1.map((x) => x.toFixed(2)).join(" ")}.`,
        others.length > 0
            ? "**The machine was shared during this run**: absolute figures are lower and noisier than on a quiet machine. Other busy processes seen (pid, %CPU, command):\n\n" + others.map((o) => `- \`${o}\``).join("\n")
            : "The machine was otherwise idle.",
        "",
        `Model: the quickstart's \`tiny\` preset (d${config.dModel}, ${config.nLayers} layers, ${config.nHeads} heads, SwiGLU ${config.dFF}, ${paramCount(config).toLocaleString("en-US")} parameters), fp32.`,
        `Data: ${nPairs} world level-1 pairs (seed 1000) in the \`tiny\` profile with the world teacher's traces. ${runs} interleaved runs; medians over every step but each run's first.`,
        "",
        "## SFT (`rmr1 train sft --preset tiny`: batch 32, packed micro-batches, AdamW, clip 1.0)",
        "",
        "Tokens/s counts every token processed (prompt and trace); trained tokens are the trace tokens the loss covers.",
        "",
        "| | steps | s/step | tokens/step | **tokens/s** | min–max | trained tokens/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
        ...sftRows.map((r) => `| ${r.label} | ${r.steps} | ${f(r.secondsPerStep)} | ${f(r.tokensPerStep, 0)} | **${f(r.tokensPerSecond, 0)}** | ${f(r.min, 0)}–${f(r.max, 0)} | ${f(r.trainedTokensPerSecond, 0)} |`),
        "",
        `Ratios to micro-batch 8: ${sftRows.slice(1).map((r) => `${r.label} ${f(r.tokensPerSecond / sftRows[0].tokensPerSecond)}×`).join(", ")}. For reference, the PyTorch calibration measured ≈ 4,000 real tokens/s for this model at batch 16 on this box when it was quiet (world-calibration.md §2).`,
        "",
        "## GRPO and PPO (`rmr1 train grpo --preset tiny`: 4 prompts × 7 rollouts, T = 1, ≤ 160 new tokens, one update per step)",
        "",
        "Rollout: sampling the 28 responses. Log-probs: old-policy and reference forward passes (and the critic's values for PPO). Update: forward + backward + AdamW (and the critic's for PPO).",
        "",
        "| variant | steps | **s/step** | rollout s | log-prob s | update s | rollout share | mean response tokens | truncated | rollout tokens/s | update tokens/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ...rlRows.map((r) => `| ${r.label} | ${r.steps} | **${f(r.secondsPerStep)}** | ${f(r.rolloutSeconds)} | ${f(r.logprobSeconds)} | ${f(r.updateSeconds)} | ${f(100 * r.rolloutSeconds / r.secondsPerStep, 0)} % | ${f(r.responseLength, 0)} | ${f(100 * r.truncated, 0)} % | ${f(r.rolloutTokensPerSecond, 0)} | ${f(r.updateTokensPerSecond, 0)} |`),
        "",
        `GGUF / native rollout seconds: ${f(ggufRl.rolloutSeconds / nativeRl.rolloutSeconds)}× (the GGUF path exports the policy, starts node-llama-cpp in a child process and loads the model every step). ` +
            "For reference, the PyTorch calibration took 8.6 s per GRPO iteration of the same shape (world-calibration.md §4) and 3.8 s with shorter traces (world-calibration-2.md §4).",
        ""
    ].join("\n");
    writeFileSync(join(here, "results", "train.md"), md);
    process.stdout.write(md);
    rmSync(work, {recursive: true, force: true});
    await rt.close();
}

main().catch((e) => {
    rmSync(work, {recursive: true, force: true});
    console.error(e);
    process.exit(1);
});
