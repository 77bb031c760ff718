// The evaluation runner behind `rmr1 eval`: load one benchmark or all three, judge every comparison
// once (in a seeded random A/B order by default, as RM-R1's harness does), append one line per
// comparison to `samples.jsonl` as it finishes, then score the file exactly as `rmr1 bench score`
// does and write `scores.json` and `report.md`. A killed run resumes where it stopped when rerun
// with the same settings; different settings are refused with a message naming the option.
//
//   <out>/run.json       what was asked: command, config, seed, engine identity, versions, data gaps
//   <out>/samples.jsonl  one line per comparison (`EvalSample`)
//   <out>/scores.json    the `rmr1 bench score` JSON, plus each partial benchmark's `missing` notes
//   <out>/report.md      `renderBenchReport`: the run beside the paper's rows
import {createHash} from "node:crypto";
import {existsSync, statSync} from "node:fs";
import {resolve} from "node:path";
import {EngineBadRequest, InvalidInput, NotFound} from "../errors.js";
import {rmr1Version} from "../version.js";
import type {HubOptions} from "../data/hub.js";
import {RunDir} from "../data/RunDir.js";
import type {RunInfo} from "../data/RunDir.js";
import {createEngine} from "../engines/createEngine.js";
import type {EngineOptions} from "../engines/createEngine.js";
import type {Engine, Usage} from "../engines/Engine.js";
import {Judge} from "../judge/Judge.js";
import type {JudgeOutput, Judgment, JudgmentPass} from "../judge/Judgment.js";
import type {VotedVerdict} from "../judge/majorityVote.js";
import type {OrderPolicy} from "../judge/orderPolicy.js";
import {runJsonlJob} from "../judge/runJsonlJob.js";
import type {JobProgress} from "../judge/runJsonlJob.js";
import type {CorResult} from "../protocol/parseCor.js";
import type {ProfileName} from "../protocol/profiles.js";
import type {Message, Position} from "../protocol/types.js";
import {benchmarkHubSources} from "./benchmarkSource.js";
import {benchmarkNames, isBenchmarkName} from "./constants.js";
import type {BenchmarkName} from "./constants.js";
import {loadBenchmark} from "./loadBenchmark.js";
import {renderBenchReport} from "./renderBenchReport.js";
import {comparisonSampleFields} from "./samples.js";
import type {ErrorRule, RmBenchMapping} from "./samples.js";
import {allScores, scoreSamplesFile} from "./scoreSamples.js";
import type {BenchResults} from "./scoreSamples.js";
import type {BenchComparison, BenchmarkData} from "./types.js";

/** Options of `runEval`. */
export interface RunEvalOptions {
    /** The judge: a provider string (`openai:<model>`, `native:<dir>`, `gguf:<file>`, ...), or an open engine (left open). */
    model: string | Engine;
    /** `rewardbench`, `rm-bench`, `rmb`, or `all` (the three, in that order). */
    benchmark: BenchmarkName | "all";
    /** The run folder (created; an existing one with the same settings is resumed). */
    out: string;
    /**
     * Where the data is: a folder or file (one benchmark) or a folder holding `rewardbench/`, `rm-bench/`
     * and `rmb/` (`all`, the layout of the shared benchmark folder); `"hf"` for each benchmark's Hub
     * dataset; or one source per benchmark. Defaults to the shared benchmark folder, else the Hub.
     */
    source?: string | Partial<Record<BenchmarkName, string>>;
    /** Keep only these subsets / domains / sections (one benchmark only; see `LoadBenchmarkOptions.subsets`). Defaults to all. */
    subsets?: string[];
    /** At most this many items per RewardBench subset, RM-Bench domain or RMB section. Defaults to all. */
    limit?: number;
    /** Hub access for Hub sources. Defaults from the environment. */
    hub?: HubOptions;
    /** Prompt profile. Defaults to `"rm-r1-instruct"` (DeepSeek-distilled RM-R1 checkpoints need `"rm-r1-reasoning"`). */
    profile?: ProfileName;
    /** A/B order policy. Defaults to `"random"`, the reference protocol; the others are reported as a different setting. */
    order?: OrderPolicy;
    /** Seed of the A/B orders (`keyedUniform(seed, comparison id)`) and of sampling. Defaults to `0`. */
    seed?: number;
    /** Sampling temperature. Defaults to `0` (greedy, as the reference). */
    temperature?: number;
    /**
     * Output length limit. Defaults to the model's context for in-process models (`native:`, `gguf:`;
     * a larger value is clamped to it), else the engine's default (a served model then writes until
     * it stops or its context is full, like the reference's 50,000).
     */
    maxTokens?: number;
    /** Comparisons judged at once. Defaults to `4`. */
    concurrency?: number;
    /** Options for `createEngine` when `model` is a string (`baseUrls`, `cache`, ...). Defaults to none; `concurrency` defaults to what the judging needs. */
    engineOptions?: EngineOptions;
    /** Error rule of the scores. Defaults to `"r1"`. */
    rules?: ErrorRule;
    /** RM-Bench mapping of the scores. Defaults to `"correct"`. */
    rmbenchMapping?: RmBenchMapping;
    /** The command line, recorded in run.json. Defaults to none. */
    command?: string;
    /** Stop judging (everything finished is kept; rerun to resume). */
    signal?: AbortSignal;
    /** Called once the data is loaded and the run folder opened, before judging. */
    onStart?: (start: EvalStart) => void;
    onProgress?: (progress: EvalProgress) => void;
}

/** Plain statements of what the data lacks, by benchmark (benchmarks with complete data are absent). */
export type MissingNotes = Partial<Record<BenchmarkName, string[]>>;

/** What `onStart` reports. */
export interface EvalStart {
    dir: string;
    /** True when the run folder already held this run (its finished comparisons are skipped). */
    resumed: boolean;
    benchmarks: BenchmarkName[];
    /** Comparisons in the run, by benchmark. */
    comparisons: Partial<Record<BenchmarkName, number>>;
    /** The loaders' plain statements of what each benchmark's data lacks; only benchmarks with gaps appear. */
    missing: MissingNotes;
    /** Other things worth saying (a clamped max-tokens, a likely wrong profile). */
    notes: string[];
    /** The engine's id. */
    engine: string;
    maxTokens?: number;
}

/** Progress of the judging. */
export interface EvalProgress extends JobProgress {
    /** Comparisons whose output had no parsable verdict, resumed ones included. */
    errors: number;
    /** Of those, comparisons the engine refused (e.g. longer than its context). */
    refused: number;
}

/** One line of `samples.jsonl`. */
export interface EvalSample {
    benchmark: BenchmarkName;
    /** The comparison id (`rewardbench/<subset>/<id>`, `rm-bench/<domain>/<id>/c<i>-r<j>`, `rmb/…`). */
    id: string;
    item_id: string;
    /** Benchmark fields from `comparisonSampleFields` (subset, section, domain, styles, rotation, index, kind, category_path, loser_index, losers). */
    [field: string]: unknown;
    order_policy: OrderPolicy;
    /** Where the chosen reply was shown (in the first order judged); absent when the engine refused the item. */
    chosen_position?: Position;
    /** The verdict in the frame of `chosen_position`. */
    verdict: VotedVerdict;
    /** 1 chosen preferred, 0.5 tie, 0 rejected preferred or no verdict (the r1 rule). */
    outcome: 0 | 0.5 | 1;
    /** Every output: raw text, its verdict, position, seed, finish reason. */
    outputs: JudgeOutput[];
    /** The Chain-of-Rubrics sections of each output (parallel to `outputs`). */
    cor: CorResult[];
    /** Order `both` only: the verdict of each order and whether they agreed. */
    passes?: JudgmentPass[];
    consistent?: boolean | null;
    usage: Usage;
    latencyMs: number;
    /** Calls answered from the response cache. */
    cached: number;
    model: string;
    system_fingerprint?: string;
    /** The comparison itself (TRL message lists), so a sample can be shown without the benchmark files. */
    pair: {prompt?: Message[], chosen: Message[], rejected: Message[]};
    /**
     * Why the engine refused this comparison (an `EngineBadRequest`: e.g. a prompt longer than the
     * model's context). The sample then has verdict `error`, no outputs, and counts as an error under
     * the scoring rule, as a failed generation does in the reference harness.
     */
    error?: string;
}

/** What `runEval` returns. */
export interface EvalResult {
    dir: string;
    benchmarks: BenchmarkName[];
    /** The content of scores.json. */
    scores: Record<string, unknown>;
    /** Scores and details of each benchmark (what report.md is made from). */
    results: BenchResults;
    /** True when the data is not the full benchmark(s); `missing` says how. */
    partial: boolean;
    missing: MissingNotes;
    notes: string[];
    /** Comparisons in the run, judged this time, and found already judged. */
    comparisons: number;
    written: number;
    resumed: number;
    /** Comparisons the engine refused (recorded as errors, with the reason in the sample's `error`). */
    refused: number;
    engine: string;
    maxTokens?: number;
    files: {run: string, samples: string, scores: string, report: string};
}

/** The config keys a resumed run must share with the run it continues. */
const resumeKeys = ["benchmarks", "sources", "subsets", "limit", "engine_identity", "profile", "order", "seed", "temperature", "max_tokens"];

/** Run an evaluation (see the file comment). */
export async function runEval(options: RunEvalOptions): Promise<EvalResult> {
    const benchmarks = options.benchmark === "all" ? [...benchmarkNames] : [options.benchmark];
    if (!benchmarks.every(isBenchmarkName))
        throw new InvalidInput(`unknown benchmark '${String(options.benchmark)}'; use ${[...benchmarkNames, "all"].join(", ")}`, {field: "benchmark"});
    const subsets = options.subsets != null && options.subsets.length > 0 ? options.subsets : undefined;
    if (subsets != null && benchmarks.length > 1)
        throw new InvalidInput("subsets name parts of one benchmark; pick it with --benchmark rewardbench, rm-bench or rmb", {field: "subset"});
    const concurrency = options.concurrency ?? 4;
    if (!Number.isInteger(concurrency) || concurrency < 1)
        throw new InvalidInput(`concurrency must be an integer >= 1, got ${concurrency}`, {field: "concurrency"});
    const order = options.order ?? "random";
    const seed = options.seed ?? 0;
    const temperature = options.temperature ?? 0;
    const rules = options.rules ?? "r1";
    const rmbenchMapping = options.rmbenchMapping ?? "correct";

    // The data first: a bad source fails before a model is loaded.
    const data: BenchmarkData[] = [];
    for (const b of benchmarks)
        data.push(await loadBenchmark(b, {source: sourceFor(b, options.source, benchmarks.length > 1), subsets, limit: options.limit, hub: options.hub}));
    const comparisons = data.flatMap((d) => d.comparisons);
    if (comparisons.length === 0) throw new InvalidInput("the selection holds no comparisons; check --subset and --source", {field: "subset"});
    const missing: MissingNotes = Object.fromEntries(data.filter((d) => d.missing.length > 0).map((d) => [d.benchmark, d.missing]));
    const allMissing = data.flatMap((d) => d.missing);

    const dir = RunDir.open(options.out);
    const samplesFile = dir.path("samples.jsonl");
    if (dir.readInfo() == null && existsSync(samplesFile) && statSync(samplesFile).size > 0)
        throw new InvalidInput(`${options.out} holds a samples.jsonl but no run.json; it is not an rmr1 eval run folder, choose another --out`, {field: "out"});

    const ownEngine = typeof options.model === "string";
    const engine = typeof options.model === "string"
        ? await createEngine(options.model, {...options.engineOptions, concurrency: options.engineOptions?.concurrency ?? concurrency * (order === "both" ? 2 : 1)})
        : options.model;
    try {
        const notes: string[] = [];
        const maxTokens = resolveMaxTokens(engine, options.maxTokens, notes);
        if (options.profile == null && /deepseek/i.test(engine.id) && /distill/i.test(engine.id)) {
            notes.push(`${engine.id} looks like a DeepSeek-distilled checkpoint: RM-R1's harness prompts those with the reasoning prompts ` +
                "(no system message); pass --profile rm-r1-reasoning (this run uses rm-r1-instruct)");
        }
        const profile = options.profile ?? "rm-r1-instruct";
        const judge = new Judge(engine, {profile, order, seed, temperature, maxTokens, confidence: false});

        const sources = Object.fromEntries(data.map((d) => [d.benchmark, d.source]));
        const config: Record<string, unknown> = {
            model: engine.id,
            engine_identity: engine.identity,
            benchmarks,
            sources,
            subsets: subsets ?? null,
            limit: options.limit ?? null,
            profile,
            order,
            ...(order === "both" ? {tie_fallback: judge.settings.tie_fallback} : {}),
            seed,
            temperature,
            max_tokens: maxTokens ?? null,
            concurrency,
            rules,
            rmbench_mapping: rmbenchMapping,
            data_digest: dataDigest(comparisons)
        };
        const {resumed, info: previous} = dir.startOrResume(runInfo(options.command, config, engine, data, notes), resumeKeys);
        if (resumed) {
            if (previous.config.data_digest !== config.data_digest) {
                throw new InvalidInput(`cannot resume ${options.out}: the benchmark data differs from the data the run started with ` +
                    "(the files at the same source changed); use another --out for the new data", {field: "source"});
            }
            dir.writeJson("run.json", {...previous, resumes: [...((previous.resumes as unknown[] | undefined) ?? []), {at: new Date().toISOString(), command: options.command ?? null}]});
        }
        const counts: Partial<Record<BenchmarkName, number>> = Object.fromEntries(data.map((d) => [d.benchmark, d.comparisons.length]));
        options.onStart?.({dir: dir.dir, resumed, benchmarks, comparisons: counts, missing, notes, engine: engine.id, maxTokens});

        const ids = new Set(comparisons.map((c) => c.id));
        let errors = 0;
        let refused = 0;
        const job = await runJsonlJob<BenchComparison, EvalSample>({
            input: {items: comparisons, name: "comparisons"},
            output: samplesFile,
            concurrency,
            signal: options.signal,
            run: async (c, signal) => {
                const pair = {prompt: c.prompt, chosen: c.chosen, rejected: c.rejected};
                try {
                    return evalSample(c, await judge.judgePair({id: c.id, ...pair}, {signal}), order);
                } catch (e) {
                    // One comparison the engine cannot take (too long for its context, refused by the
                    // server) is recorded as an error and the run goes on; anything else stops it.
                    if (e instanceof EngineBadRequest) return refusedSample(c, order, engine.id, e.message);
                    throw e;
                }
            },
            checkExisting: (records) => {
                for (const r of records) {
                    if (!ids.has(r.id))
                        throw new InvalidInput(`${samplesFile} holds comparison '${r.id}', which is not in this run's data; use another --out`, {field: "out"});
                }
            },
            onRecord: (r) => {
                if (r.verdict === "error") errors++;
                if (r.error != null) refused++;
            },
            onProgress: (p) => options.onProgress?.({...p, errors, refused})
        });

        // Every number comes from the lines of samples.jsonl, exactly as `rmr1 bench score` reads them.
        const {results} = await scoreSamplesFile(samplesFile, benchmarks.length === 1 ? benchmarks[0] : "all", {rules, rmbenchMapping});
        // The scorers compare counts with the full benchmark; the loaders also know of gaps the counts
        // cannot show (a filter, a missing file), so their word marks a benchmark partial too.
        for (const d of data) {
            const r = results[d.benchmark];
            if (r != null && d.partial) r.scores.partial = true;
        }
        const partial = allMissing.length > 0 || Object.values(results).some((r) => r.scores.partial === true);
        let scored: Record<string, unknown>;
        if (benchmarks.length === 1) {
            scored = {...results[benchmarks[0]]!.scores};
            if (allMissing.length > 0) scored.missing = allMissing;
        } else {
            scored = {...allScores(results)};
            for (const b of benchmarks) if (missing[b] != null) scored[b] = {...scored[b] as object, missing: missing[b]};
        }
        if (order !== "random") scored.order_policy = order;
        dir.writeJson("scores.json", scored);
        dir.writeText("report.md", renderBenchReport(results, {
            title: `rmr1 eval: ${engine.id}`, model: engine.id, rules, rmbenchMapping, orderPolicy: order, seed, dataNotes: allMissing
        }));
        return {
            dir: dir.dir, benchmarks, scores: scored, results, partial, missing, notes,
            comparisons: comparisons.length, refused, written: job.written, resumed: job.resumed, engine: engine.id, maxTokens,
            files: {run: dir.path("run.json"), samples: samplesFile, scores: dir.path("scores.json"), report: dir.path("report.md")}
        };
    } finally {
        if (ownEngine) await engine.close();
    }
}

/** The source one benchmark loads from (see `RunEvalOptions.source`); undefined for the loader's default. */
function sourceFor(benchmark: BenchmarkName, source: RunEvalOptions["source"], several: boolean): string | undefined {
    const given = typeof source === "object" ? source[benchmark] : source;
    if (given == null) return undefined;
    if (given === "hf") {
        const hub = benchmarkHubSources[benchmark];
        if (hub.uri == null) throw new NotFound(`${benchmark} has no Hub dataset: ${hub.note}`);
        return hub.uri;
    }
    if (/^hf:/.test(given)) {
        if (several && typeof source === "string")
            throw new InvalidInput(`--source ${given} names one dataset; with several benchmarks give one source each (rewardbench=…,rm-bench=…,rmb=…)`, {field: "source"});
        return given;
    }
    if (!several || typeof source === "object") return resolve(given);
    // A root holding one folder per benchmark, like the shared benchmark folder.
    const dir = resolve(given, benchmark);
    if (!existsSync(dir))
        throw new NotFound(`${dir} does not exist: with several benchmarks, --source DIR must hold ${benchmarkNames.map((b) => `${b}/`).join(", ")} (the shared benchmark folder's layout), or give one source each (rewardbench=…,rm-bench=…,rmb=…)`);
    return dir;
}

/**
 * The output limit: the request, clamped to an in-process model's context; for in-process models
 * without a request, the whole context (their engines would otherwise stop at a short default).
 */
function resolveMaxTokens(engine: Engine, requested: number | undefined, notes: string[]): number | undefined {
    if (requested != null && (!Number.isInteger(requested) || requested < 1))
        throw new InvalidInput(`maxTokens must be an integer >= 1, got ${requested}`, {field: "max-tokens"});
    const context = engineContextSize(engine);
    if (context == null) return requested;
    if (requested == null) return context;
    if (requested > context) {
        notes.push(`--max-tokens ${requested} is more than the model's context of ${context} tokens; using ${context}`);
        return context;
    }
    return requested;
}

/**
 * The context length of an in-process engine: a native model's `maxSeqLen`, a GGUF engine's
 * allocated sequence length. Read from the engines' public fields (the `Engine` interface has no
 * context size: a served model's is on the server). Undefined for other engines.
 */
export function engineContextSize(engine: Engine): number | undefined {
    const e = engine as {model?: {config?: {maxSeqLen?: unknown}}, info?: {contextSize?: unknown}};
    const n = engine.id.startsWith("native:") ? e.model?.config?.maxSeqLen : engine.id.startsWith("gguf:") ? e.info?.contextSize : undefined;
    return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** SHA-256 of the comparisons' ids and texts, so a resume never mixes samples of different data. */
function dataDigest(comparisons: readonly BenchComparison[]): string {
    const hash = createHash("sha256");
    for (const c of comparisons) hash.update(JSON.stringify([c.id, c.prompt ?? null, c.chosen, c.rejected]) + "\n");
    return hash.digest("hex");
}

function runInfo(command: string | undefined, config: Record<string, unknown>, engine: Engine, data: BenchmarkData[], notes: string[]): RunInfo {
    return {
        kind: "eval",
        ...(command != null ? {command} : {}),
        config,
        seeds: {order: config.seed as number, sampling: config.seed as number},
        engines: {judge: engine.identity},
        versions: {rmr1: rmr1Version(), node: process.version},
        startedAt: new Date().toISOString(),
        data: Object.fromEntries(data.map((d) => [d.benchmark, {
            source: d.source, files: d.files, items: d.items, comparisons: d.comparisons.length, partial: d.partial, missing: d.missing
        }])),
        partial: data.some((d) => d.partial),
        notes
    };
}

/** The sample line of a comparison the engine refused. */
function refusedSample(c: BenchComparison, order: OrderPolicy, model: string, error: string): EvalSample {
    return {
        ...comparisonSampleFields(c) as {benchmark: BenchmarkName, id: string, item_id: string},
        order_policy: order, verdict: "error", outcome: 0, outputs: [], cor: [],
        usage: {promptTokens: 0, completionTokens: 0}, latencyMs: 0, cached: 0, model,
        pair: {...(c.prompt != null ? {prompt: c.prompt} : {}), chosen: c.chosen, rejected: c.rejected},
        error
    };
}

/** The sample line of one judged comparison. */
function evalSample(c: BenchComparison, j: Judgment, order: OrderPolicy): EvalSample {
    const sample: EvalSample = {
        ...comparisonSampleFields(c) as {benchmark: BenchmarkName, id: string, item_id: string},
        order_policy: order,
        chosen_position: j.chosen_position!,
        verdict: j.verdict,
        outcome: j.outcome!,
        outputs: j.outputs,
        cor: j.cor,
        ...(j.passes.length > 1 ? {passes: j.passes, consistent: j.consistent ?? null} : {}),
        usage: j.usage,
        latencyMs: j.latencyMs,
        cached: j.cached,
        model: j.model,
        ...(j.system_fingerprint != null ? {system_fingerprint: j.system_fingerprint} : {}),
        pair: {...(c.prompt != null ? {prompt: c.prompt} : {}), chosen: c.chosen, rejected: c.rejected}
    };
    return sample;
}
