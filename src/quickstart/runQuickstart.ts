// `runQuickstart`: the whole RM-R1 recipe on the tiny world, offline, on a CPU, in minutes
// (issue 10). From the shipped policy-pretrained base model (assets/base-policy):
//   1. data     world pairs: judge training, GRPO prompts, dev, held-out test (prompt-disjoint)
//   2. distill  Chain-of-Rubrics traces from the world teacher, two-pass bootstrap (`distill`)
//   3. sft      distillation SFT of the base on the traces
//   4. grpo     GRPO with the verifiable ±1 reward, dev-set keep-best
//   5. scalar   baseline: Bradley–Terry reward model (decoder + scalar head) on the same pairs
//   6. direct   baseline: generative RM trained to emit only the verdict
//   7. eval     the final model and the SFT-only checkpoint on the held-out test set (the baselines
//               judge it at the end of their own stages), per family and level, balanced sides
// The baselines need only the data, so on 2+ cores they run in a second process (quickstartWorker.ts)
// while this one distils, trains and evaluates the reasoning RM. Each stage's result is recorded in
// `<out>/stages.json` when it finishes; an interrupted run resumes at the first unfinished stages,
// and the trainers resume from their own checkpoints.
import {existsSync, readFileSync} from "node:fs";
import {availableParallelism} from "node:os";
import {join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {Aborted, InvalidInput, NotFound} from "../errors.js";
import {RunDir} from "../data/RunDir.js";
import {distill} from "../distill/distill.js";
import {loadCheckpoint} from "../native/checkpoint/loadCheckpoint.js";
import {KernelRuntime} from "../native/kernels/KernelRuntime.js";
import {paramCount} from "../native/model/ModelConfig.js";
import {trainGrpo} from "../train/trainGrpo.js";
import {trainSft} from "../train/trainSft.js";
import {ProgressBar, formatDuration} from "../cli/ProgressBar.js";
import type {PolicyAccuracyRow} from "../world/policyAccuracy.js";
import "../world/WorldTeacher.js";
import type {JudgedSample} from "./evaluateWorldJudge.js";
import {readWorldPairs, writeQuickstartData, writeSftMix} from "./quickstartData.js";
import type {QuickstartDataFiles} from "./quickstartData.js";
import {quickstartPresets, quickstartBudgets} from "./quickstartPresets.js";
import type {QuickstartBudget, QuickstartPreset} from "./quickstartPresets.js";
import {quickstartReport, quickstartScores} from "./quickstartReport.js";
import type {QuickstartScores, QuickstartVariant} from "./quickstartReport.js";
import {common, directStage, evaluateVariant, scalarStage, trainProgress} from "./quickstartStages.js";
import type {StageContext} from "./quickstartStages.js";
import {startWorker} from "./quickstartWorker.js";
import type {WorkerHandle} from "./quickstartWorker.js";

/** The shipped base model: a policy of the world pretrained by `rmr1 world pretrain` (see its README). */
export const DEFAULT_BASE_MODEL = fileURLToPath(new URL("../../assets/base-policy", import.meta.url));

/** Preset fields to override (experiments); each stage's object is merged over the budget's. */
export type QuickstartOverrides = {[K in keyof QuickstartPreset]?: QuickstartPreset[K] extends object ? Partial<QuickstartPreset[K]> : QuickstartPreset[K]};

/** Options of `runQuickstart`. */
export interface QuickstartOptions {
    /** Run folder. Defaults to `"runs/quickstart"`. */
    out?: string;
    /** `fast` (≈ 2 min on 2 cores, the test suite's end-to-end run) or `full` (≈ 10 min). Defaults to `"full"`. */
    budget?: QuickstartBudget;
    /** Seed of the data, the teacher, the orders and every trainer. Defaults to `1`. */
    seed?: number;
    /** Base model folder. Defaults to the shipped `assets/base-policy`. */
    base?: string;
    /** Override parts of the budget's preset. Defaults to none. */
    overrides?: QuickstartOverrides;
    /** Stages to skip (`scalar`, `direct`): their rows are left out of the report. Defaults to none. */
    skip?: ("scalar" | "direct" | "grpo")[];
    /** Kernel threads of the main process. Defaults to the shared runtime (`RMR1_THREADS`, else all cores). */
    threads?: number;
    /** Train and evaluate the baselines in a second process (one kernel thread) alongside the main stages. Defaults to `true` on 2 or more cores. */
    parallel?: boolean;
    /** One line per stage for people (what it does, then its result). Defaults to none. */
    log?: (line: string) => void;
    /** Progress bar per stage on stderr. Defaults to `false`. */
    progressBar?: boolean;
    /** Stop after the step in progress (checkpoints saved; run again to resume). */
    signal?: AbortSignal;
    /** The command line, for `run.json`. */
    command?: string;
}

/** What `runQuickstart` returns: `scores.json`. */
export type QuickstartResult = QuickstartScores;

export const quickstartStages = ["data", "distill", "sft", "grpo", "scalar", "direct", "eval"] as const;
export type QuickstartStage = typeof quickstartStages[number];

/** What each stage does, for the log. */
const stageText: Record<QuickstartStage, string> = {
    data: "generate world pairs: judge training, GRPO prompts, dev and held-out test (no prompt shared between splits)",
    distill: "distil Chain-of-Rubrics traces from the world teacher (two-pass bootstrap: wrong first-pass traces are redone with the correct verdict as a hint)",
    sft: "SFT the base model on the traces (the distilled reasoning RM, the paper's RM-R1 before RL)",
    grpo: "GRPO with the verifiable reward (+1 right verdict, -1 wrong), keeping the best policy on the dev set",
    scalar: "baseline: scalar Bradley–Terry RM (base decoder + score head, pairwise loss, same pairs), then its test accuracy",
    direct: "baseline: generative RM trained to answer only <answer>[[A]]</answer> / [[B]] (no reasoning), then its test accuracy",
    eval: "judge the held-out test set with the final model and with the SFT-only checkpoint (greedy; A/B sides balanced per stratum)"
};

interface StageRecord {
    seconds: number;
    finishedAt: string;
    [key: string]: unknown;
}

/** Resolve a budget's preset with overrides. */
export function quickstartPreset(budget: QuickstartBudget, overrides: QuickstartOverrides = {}): QuickstartPreset {
    if (!quickstartBudgets.includes(budget)) throw new InvalidInput(`unknown budget '${String(budget)}'; use fast or full`, {field: "budget"});
    const base = quickstartPresets[budget];
    const out = structuredClone(base) as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(overrides)) {
        if (!(k in base)) throw new InvalidInput(`unknown quickstart preset field '${k}'`, {field: `overrides.${k}`});
        const current = out[k];
        out[k] = v != null && typeof v === "object" && !Array.isArray(v) && typeof current === "object" ? {...(current as object), ...v} : v;
    }
    return out as unknown as QuickstartPreset;
}

/** Run (or resume) the quickstart. */
export async function runQuickstart(options: QuickstartOptions = {}): Promise<QuickstartResult> {
    const out = options.out ?? "runs/quickstart";
    const budget = options.budget ?? "full";
    const seed = options.seed ?? 1;
    if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidInput(`seed must be a non-negative integer, got ${seed}`, {field: "seed"});
    const preset = quickstartPreset(budget, options.overrides);
    const base = resolve(options.base ?? DEFAULT_BASE_MODEL);
    if (!existsSync(join(base, "model.safetensors")))
        throw new NotFound(`base model ${base} not found (it ships in assets/base-policy; rebuild it with \`rmr1 world pretrain\`)`);
    const skip = new Set(options.skip ?? []);
    const log = options.log ?? (() => {});
    const dir = RunDir.open(out);
    dir.startOrResume({
        kind: "quickstart", command: options.command,
        config: {budget, seed, base, preset, skip: [...skip].sort()},
        seeds: {seed}, versions: {node: process.version}, startedAt: new Date().toISOString()
    }, ["budget", "seed", "base", "preset", "skip"]);
    const stages: Partial<Record<QuickstartStage, StageRecord>> = dir.readJson("stages.json") ?? {};
    const record = (name: QuickstartStage, result: Record<string, unknown>, seconds: number): StageRecord => {
        stages[name] = {...result, seconds, finishedAt: new Date().toISOString()};
        // In pipeline order, whichever process finished first.
        dir.writeJson("stages.json", Object.fromEntries(quickstartStages.filter((s) => stages[s] != null).map((s) => [s, stages[s]])));
        return stages[name]!;
    };
    const started = performance.now();
    const planned = quickstartStages.filter((s) => !skip.has(s as "scalar"));
    const number = (name: QuickstartStage) => `[${planned.indexOf(name) + 1}/${planned.length}] ${name}`;
    const parallel = options.parallel ?? availableParallelism() >= 2;
    const runtime = options.threads != null ? await KernelRuntime.create({threads: options.threads}) : await KernelRuntime.shared();
    let worker: WorkerHandle | null = null;
    let workerNote = "";
    const finishedByWorker = new Set<QuickstartStage>();
    const bars: StageBar[] = [];

    // One stage: skipped when recorded, else run, timed and recorded.
    const stage = async <T extends Record<string, unknown>>(name: QuickstartStage, body: (bar: StageBar) => Promise<T>): Promise<T & StageRecord> => {
        const done = stages[name];
        if (done != null) {
            // The baselines' process already said so when it finished them in this run.
            if (!finishedByWorker.has(name)) log(`${number(name)}: done earlier (${formatDuration(done.seconds)})`);
            return done as T & StageRecord;
        }
        log(`${number(name)}: ${stageText[name]}`);
        const t0 = performance.now();
        const bar = new StageBar(name, options.progressBar === true, () => workerNote);
        bars.push(bar);
        try {
            const result = await body(bar);
            bar.finish();
            return record(name, result, (performance.now() - t0) / 1000) as T & StageRecord;
        } catch (e) {
            bar.finish();
            if (e instanceof Aborted) throw new Aborted(`quickstart stopped during ${name}; run the same command again to resume from ${out}`);
            throw e;
        }
    };

    try {
        const data = await stage("data", async () => {
            const files = writeQuickstartData(dir.path("data"), preset.data, seed);
            return {files, test: readWorldPairs(files.test).length};
        });
        const files = data.files as QuickstartDataFiles;
        log(`      ${preset.data.trainPairs} training pairs, ${preset.data.rlPairs} GRPO prompts, ${preset.data.devPairs} dev, ${data.test} test pairs`);
        const ctx: StageContext = {out, seed, base, preset, files, runtime, threads: options.threads, signal: options.signal};

        // The baselines need only the data: run them in a second process, on the other core.
        const baselines = (["scalar", "direct"] as const).filter((s) => !skip.has(s) && stages[s] == null);
        if (parallel && baselines.length > 0) {
            log(`${baselines.map(number).join(" and ")}: ${baselines.map((s) => stageText[s]).join("; ")} — in a second process, alongside the next stages`);
            worker = startWorker({out, seed, base, preset, files, threads: 1, stages: [...baselines]}, {
                progress: (s, done, total, note) => {
                    workerNote = `| ${s} ${done}/${total}${note.startsWith("judging") ? " judging" : ""}`;
                },
                stage: (s, result, seconds) => {
                    record(s, result, seconds);
                    finishedByWorker.add(s);
                    log(`${number(s)}: finished in the second process (${formatDuration(seconds)})`);
                }
            });
            options.signal?.addEventListener("abort", () => worker?.abort(), {once: true});
        }

        const distilled = await stage("distill", async (bar) => {
            const r = await distill({
                job: dir.path("distill"), input: files.train, teacher: `world:teacher?error=${preset.teacherError}&seed=${seed}`,
                profile: "tiny", order: "random", seed, concurrency: 64, signal: options.signal,
                onProgress: (p) => bar.update(p.done, p.items, `pass-1 right ${p.pass1.correct}/${p.pass1.answered}, fixed by pass 2 ${p.pass2.correct}`)
            });
            if (r.interrupted) throw new Aborted("distillation stopped");
            return {file: r.output!.file, kept: r.kept, keptPass1: r.keptPass1, keptPass2: r.keptPass2, dropped: r.dropped, items: r.items};
        });
        log(`      ${distilled.kept} traces kept (${distilled.keptPass1} right at pass 1, ${distilled.keptPass2} fixed by the hinted pass 2, ${distilled.dropped} dropped)`);

        const sft = await stage("sft", async (bar) => {
            const data = dir.path("distill/sft-replay.jsonl");
            writeSftMix(distilled.file as string, data, {replay: preset.sft.replay, seed, levels: preset.data.trainLevels});
            const r = await trainSft({
                ...common(ctx), model: base, data, out: dir.path("sft"), preset: "tiny",
                maxSteps: preset.sft.steps, batchSize: preset.sft.batchSize, microBatchSize: preset.sft.microBatchSize, lr: preset.sft.lr,
                seed, evalFraction: 0.02, evalMax: 64, evalEvery: 100, onProgress: trainProgress(bar.report)
            });
            return {modelDir: r.modelDir, steps: r.steps, loss: r.metrics.loss, evalLoss: r.metrics.evalLoss};
        });

        let finalDir = sft.modelDir as string;
        let grpoRecord: Record<string, unknown> | null = null;
        if (!skip.has("grpo")) {
            const g = await stage("grpo", async (bar) => {
                const r = await trainGrpo({
                    threads: options.threads, signal: options.signal, checkpointEvery: 10, keepCheckpoints: 1,
                    model: sft.modelDir as string, data: files.rl, devData: files.dev, out: dir.path("grpo"), preset: "tiny",
                    maxSteps: preset.grpo.steps, batchSize: preset.grpo.batchSize, miniBatchSize: preset.grpo.batchSize, microBatchSize: preset.grpo.batchSize * preset.grpo.groupSize,
                    groupSize: preset.grpo.groupSize, lr: preset.grpo.lr, klCoef: preset.grpo.klCoef, advantageNorm: preset.grpo.advantageNorm,
                    maxResponseTokens: preset.grpo.maxResponseTokens, maxPromptTokens: 240, devEvery: preset.grpo.devEvery, devMax: preset.grpo.devMax,
                    seed, order: "random", onProgress: trainProgress(bar.report)
                });
                return {modelDir: r.bestDir ?? r.modelDir, lastDir: r.modelDir, steps: r.steps, ...r.metrics};
            });
            finalDir = g.modelDir as string;
            grpoRecord = g;
            log(`      dev accuracy ${pct(g.initialDevAccuracy as number)} after SFT → best ${pct(g.bestDevAccuracy as number)} at GRPO step ${String(g.bestStep)}; that policy is the final model`);
        }

        await stage("eval", async (bar) => {
            if (!skip.has("grpo")) await evaluateVariant(ctx, "reasoning", finalDir, bar.report);
            await evaluateVariant(ctx, "sft", sft.modelDir as string, bar.report);
            return {variants: skip.has("grpo") ? ["sft"] : ["reasoning", "sft"]};
        });

        if (worker != null) {
            const waiting = new StageBar("baselines", options.progressBar === true, () => "");
            if (baselines.some((s) => stages[s] == null)) log("      waiting for the baselines' process ...");
            const timer = setInterval(() => waiting.report(0, 0, workerNote), 1000);
            try {
                await worker.done;
            } finally {
                clearInterval(timer);
                waiting.finish();
                worker = null;
            }
        }
        if (!skip.has("scalar")) await stage("scalar", (bar) => scalarStage(ctx, bar.report));
        if (!skip.has("direct")) await stage("direct", (bar) => directStage(ctx, bar.report));

        // Scores and the report, from the recorded samples.
        const variants = quickstartVariantsOf(skip);
        const samples = new Map<QuickstartVariant, JudgedSample[]>();
        for (const key of variants) samples.set(key, dir.readLines<JudgedSample>(`eval/${key}.jsonl`));
        const baseCheckpoint = await loadCheckpoint(base);
        const pretraining = (baseCheckpoint.meta.pretraining ?? {}) as {trainSeconds?: number, steps?: number};
        const stageSeconds = Object.fromEntries(quickstartStages.filter((s) => stages[s] != null).map((s) => [s, stages[s]!.seconds]));
        const scores = quickstartScores({
            out, budget, seed, samples, finalModelDir: finalDir, testFile: files.test,
            base: {
                dir: base, parameters: paramCount(baseCheckpoint.config),
                pretrainingSeconds: pretraining.trainSeconds ?? null, pretrainingSteps: pretraining.steps ?? null,
                policyAccuracy: (baseCheckpoint.meta.policyAccuracy as PolicyAccuracyRow[] | undefined) ?? null
            },
            grpo: grpoRecord,
            distill: {kept: distilled.kept as number, keptPass1: distilled.keptPass1 as number, keptPass2: distilled.keptPass2 as number, dropped: distilled.dropped as number},
            // The baselines ran alongside: the wall time is the first run's span, not the sum of the stages.
            stageSeconds, totalSeconds: wallSeconds(stages), thisRunSeconds: (performance.now() - started) / 1000
        });
        dir.writeJson("scores.json", scores);
        dir.writeText("report.md", quickstartReport(scores));
        return scores;
    } finally {
        for (const bar of bars) bar.finish();
        if (worker != null) {
            // The main pipeline failed or stopped: stop the baselines too (they checkpoint), and wait.
            worker.abort();
            await worker.done.catch(() => {});
        }
        if (options.threads != null) await runtime.close();
    }
}

/** The variants a run evaluates. */
function quickstartVariantsOf(skip: ReadonlySet<string>): QuickstartVariant[] {
    return (["reasoning", "sft", "direct", "scalar"] as const).filter((v) => !(v === "reasoning" ? skip.has("grpo") : skip.has(v)));
}

/** Wall time of the run's stages: from the first stage's start to the last stage's end (stages may overlap). */
function wallSeconds(stages: Partial<Record<QuickstartStage, StageRecord>>): number {
    const spans = Object.values(stages).map((r) => {
        const end = Date.parse(r!.finishedAt) / 1000;
        return [end - r!.seconds, end];
    });
    if (spans.length === 0) return 0;
    return Math.max(...spans.map((s) => s[1])) - Math.min(...spans.map((s) => s[0]));
}

/** A progress bar for one stage (silent unless asked); `extra` is appended to its note (the other process's progress). */
class StageBar {
    private bar: ProgressBar | null = null;

    constructor(private readonly label: string, private readonly enabled: boolean, private readonly extra: () => string) {}

    /** Report progress (a `StageProgress`). */
    readonly report = (done: number, total: number, note: string): void => {
        if (!this.enabled) return;
        this.bar ??= new ProgressBar(total, {label: this.label.padEnd(7)});
        const extra = this.extra();
        this.bar.update(done, {total, note: extra === "" ? note : `${note} ${extra}`});
    };

    /** Same as `report`. */
    update(done: number, total: number, note?: string): void {
        this.report(done, total, note ?? "");
    }

    finish(): void {
        this.bar?.finish();
        this.bar = null;
    }
}

function pct(x: number | null | undefined): string {
    return x == null || !Number.isFinite(x) ? "n/a" : `${(100 * x).toFixed(1)}%`;
}

/** The base model's provenance as recorded in its `rmr1.json` (for callers that want to show it). */
export function readBaseInfo(dir: string = DEFAULT_BASE_MODEL): Record<string, unknown> {
    const file = join(dir, "rmr1.json");
    if (!existsSync(file)) throw new NotFound(`${dir} has no rmr1.json`);
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}
