// `distill`: teacher-trace synthesis with RM-R1's two-pass bootstrap (method doc §6.2), online or
// through the batch APIs, resumable, every request recorded in the job's SQLite store.
//
//   pass 1  the first teacher (default Claude 3.7 Sonnet, max_tokens 8192, as the reference) judges
//           each pair with the RM-R1 prompt; the trace is graded with the distillation filter
//           (`distillCorrect`: the correct [[X]] in the last 100 code points);
//   pass 2  the wrong ones go to the second teacher (default o3) with the reference's hint suffix for
//           the correct verdict and the wrong judgement appended to the user message; unlike the
//           reference, pass-2 traces are graded again and dropped when still wrong.
//   output  each kept trace paired with the un-hinted prompt (writeDistillOutput.ts).
import {InvalidInput, ConfigError, Aborted} from "../errors.js";
import {RunDir} from "../data/RunDir.js";
import {createEngine} from "../engines/createEngine.js";
import type {EngineOptions} from "../engines/createEngine.js";
import type {Engine, SamplingOptions} from "../engines/Engine.js";
import type {PriceTable} from "../engines/prices.js";
import type {ProfileName} from "../protocol/profiles.js";
import {profileNames} from "../protocol/profiles.js";
import type {BatchApiOptions} from "./batch/BatchApi.js";
import {batchTarget} from "./batch/BatchTarget.js";
import type {BatchTarget} from "./batch/BatchTarget.js";
import {itemsDigest, loadDistillItems} from "./distillItems.js";
import type {DistillInput} from "./distillItems.js";
import {DistillStore} from "./DistillStore.js";
import type {DistillPass} from "./DistillStore.js";
import {progressFromCounts, readConfig, summarize} from "./distillSummary.js";
import type {DistillProgress, DistillSummary} from "./distillSummary.js";
import {runBatch} from "./runBatch.js";
import type {BatchRunReport} from "./runBatch.js";
import {runOnline} from "./runOnline.js";
import {writeDistillOutput} from "./writeDistillOutput.js";
import type {DistillFormat} from "./writeDistillOutput.js";

/** The reference's first teacher (generate_Antropic_First_Time.py). */
export const DEFAULT_TEACHER = "anthropic:claude-3-7-sonnet-20250219";
/** The reference's second teacher (generate_OpenAI_Second_Time.py). */
export const DEFAULT_PASS2_TEACHER = "openai:o3-2025-04-16";
/**
 * Pass-1 sampling: `max_tokens` 8192 as the reference; temperature 1, the APIs' default, which the
 * reference used by sending none (the engines otherwise send 0, and o-series models accept only 1).
 */
export const DEFAULT_PASS1_OPTIONS: Readonly<SamplingOptions> = Object.freeze({maxTokens: 8192, temperature: 1});
/** Pass-2 sampling: no max tokens (the reference sends none; Anthropic teachers get the engine's default) and temperature 1. */
export const DEFAULT_PASS2_OPTIONS: Readonly<SamplingOptions> = Object.freeze({temperature: 1});

export interface DistillOptions {
    /** The job folder: `distill.sqlite` (the job store), `run.json`, `batches/`, the SFT set. */
    job: string;
    /** The pairs (or rendered RM-R1 rows). Required to start a job; on resume optional, and checked against the job when given. */
    input?: DistillInput;
    /** Pass-1 teacher: a provider string or an engine. Defaults to the job's, else `"anthropic:claude-3-7-sonnet-20250219"`. */
    teacher?: string | Engine;
    /** Pass-2 teacher. Defaults to the job's, else `"openai:o3-2025-04-16"` with the default first teacher, else the first teacher. */
    pass2Teacher?: string | Engine;
    /** Prompt profile for pairs. Defaults to the job's, else `"rm-r1-instruct"`. */
    profile?: ProfileName;
    /** `"reference"` writes the reference mix's "Chabot B" typo in multi-turn prompts. Defaults to none. */
    quirks?: "reference";
    /** A/B order of pairs: `alternate` (as the reference mix) or `random` (seeded per id). Defaults to `"alternate"`. */
    order?: "alternate" | "random";
    /** Seed of `order: "random"`. Defaults to `0`. */
    seed?: number;
    /** Only the first N input items. Defaults to all. */
    limit?: number;
    /** Pass-1 sampling, over `DEFAULT_PASS1_OPTIONS` ({maxTokens: 8192, temperature: 1}). */
    pass1Options?: SamplingOptions;
    /** Pass-2 sampling, over `DEFAULT_PASS2_OPTIONS` ({temperature: 1}). */
    pass2Options?: SamplingOptions;
    /** `online` (requests through the engines) or `batch` (request files for the batch APIs). Defaults to the job's last mode, else `"online"`. */
    mode?: "online" | "batch";
    /** Online: requests in flight at once, over both passes. Defaults to `8`. */
    concurrency?: number;
    /** Failed calls per item and pass before the item is given up (rerun with more to try again). Defaults to `3`. */
    maxAttempts?: number;
    /** API root of the pass-1 teacher (`openai:` / `anthropic:`), e.g. a vLLM server. Defaults to the engine's (`OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL`, else the provider's API). */
    baseUrl?: string;
    /** API root of the pass-2 teacher. Defaults to `baseUrl` when both teachers have the same provider, else the engine's. */
    pass2BaseUrl?: string;
    /**
     * Options of engines created from provider strings (retries, timeouts, cache, ...), for both
     * teachers; batch files take `apiKey`, `maxTokensField`, `extraBody` and `defaultMaxTokens` from
     * here. With two providers, leave the keys to `ANTHROPIC_API_KEY` / `OPENAI_API_KEY`. Defaults to none.
     */
    engineOptions?: EngineOptions;
    /** Prices (USD per 1M tokens) over the built-in table. Defaults to none. */
    prices?: PriceTable;
    /** Batch: result files to ingest (OpenAI output and error files, Anthropic results). Defaults to none. */
    results?: string[];
    /** Batch: submit the files, poll and fetch results through the HTTP APIs until complete. Defaults to `false`. */
    submit?: boolean;
    /** Batch with `submit`: milliseconds between polls. Defaults to `60000`. */
    pollIntervalMs?: number;
    /** Batch: names of batches to give up (their unanswered requests are queued again). Defaults to none. */
    abandon?: string[];
    /** Batch with `submit`: batches whose creation a dead run cut off, to create again once you checked the provider has none. Defaults to none. */
    resubmit?: string[];
    /** Batch with `submit`: HTTP retries and `fetch`. Defaults to 4 retries over the global fetch. */
    batchApi?: BatchApiOptions;
    /** SFT row layout. Defaults to `"rm-r1"`. */
    format?: DistillFormat;
    /** The SFT file. Defaults to `<job>/sft.jsonl`. */
    output?: string;
    /** Provenance in a side file (`<output stem>.provenance.jsonl`) or a field of each row. Defaults to `"file"`. */
    provenance?: "file" | "inline";
    /** Stop: no new request starts; those in flight are awaited and recorded. The summary says what is left. */
    signal?: AbortSignal;
    /** Progress after every answer (online) or ingested result file (batch). */
    onProgress?: (progress: DistillProgress) => void;
    /** The command line, recorded in run.json. Defaults to none. */
    command?: string;
}

/** The summary of a run, with what this run did in batch mode. */
export interface DistillResult extends DistillSummary {
    /** Calls that failed in this run (online). */
    failedThisRun: number;
    /** Calls marked lost when this run took over from a dead one (they may have been sent again). */
    lostOnResume: number;
    /** Batch mode: files ingested, written and submitted by this run. */
    batch?: BatchRunReport;
    /** True when the run stopped on `signal` before finishing. */
    interrupted: boolean;
}

/** The options a job is tied to: a resumed run must ask the same. */
interface JobConfig {
    teacher: string;
    pass2Teacher: string;
    teacherSpec: string;
    pass2TeacherSpec: string;
    profile: ProfileName;
    quirks: "reference" | null;
    order: "alternate" | "random";
    seed: number;
    limit: number | null;
    pass1Options: SamplingOptions;
    pass2Options: SamplingOptions;
    maxAttempts: number;
    /** The mode of the last run: the default of the next. */
    mode: "online" | "batch";
    input: string;
    inputDigest: string;
}

const resumeKeys = ["teacher", "pass2Teacher", "profile", "quirks", "order", "seed", "limit", "pass1Options", "pass2Options"] as const;

/** Distil teacher traces for a preference set; see the file comment and docs/distillation.md. */
export async function distill(options: DistillOptions): Promise<DistillResult> {
    if (options.mode != null && options.mode !== "online" && options.mode !== "batch")
        throw new InvalidInput(`unknown mode '${String(options.mode)}'; use online or batch`, {field: "mode"});
    const concurrency = positiveInt(options.concurrency ?? 8, "concurrency");
    if (options.profile != null && !profileNames.includes(options.profile))
        throw new InvalidInput(`unknown profile '${options.profile}'; use ${profileNames.join(", ")}`, {field: "profile"});

    const run = RunDir.open(options.job);
    const kind = run.readInfo()?.kind;
    if (kind != null && kind !== "distill") throw new InvalidInput(`${options.job} holds a '${kind}' run, not a distillation job; choose another --job`, {field: "job"});
    const store = DistillStore.open(options.job);
    const owned: Engine[] = [];
    try {
        const lostOnResume = store.lock();
        const stored = store.getMeta("config") != null ? readConfig(store) as unknown as JobConfig : undefined;
        // The mode the job was started in, unless asked otherwise (a batch job may finish online).
        const mode = options.mode ?? stored?.mode ?? "online";
        for (const [field, given] of [
            ["results", (options.results?.length ?? 0) > 0], ["submit", options.submit === true],
            ["abandon", (options.abandon?.length ?? 0) > 0], ["resubmit", (options.resubmit?.length ?? 0) > 0]
        ] as const)
            if (mode === "online" && given) throw new InvalidInput(`--${field} applies to batch mode; add --mode batch`, {field});
        const teacherSpec = specOf(options.teacher) ?? stored?.teacherSpec ?? DEFAULT_TEACHER;
        // The reference's pair of teachers by default; a teacher of your own judges both passes
        // unless you name a second one.
        const pass2TeacherSpec = specOf(options.pass2Teacher) ?? stored?.pass2TeacherSpec ?? (teacherSpec === DEFAULT_TEACHER ? DEFAULT_PASS2_TEACHER : teacherSpec);
        const sampling: Record<DistillPass, SamplingOptions> = {
            1: {...DEFAULT_PASS1_OPTIONS, ...(options.pass1Options ?? stored?.pass1Options)},
            2: {...DEFAULT_PASS2_OPTIONS, ...(options.pass2Options ?? stored?.pass2Options)}
        };
        const maxAttempts = positiveInt(options.maxAttempts ?? stored?.maxAttempts ?? 3, "maxAttempts");
        // Pass 2 shares pass 1's base URL only when both talk to the same provider.
        const samePrefix = prefixOf(teacherSpec) === prefixOf(pass2TeacherSpec);
        const baseUrls: Record<DistillPass, string | undefined> = {1: options.baseUrl, 2: options.pass2BaseUrl ?? (samePrefix ? options.baseUrl : undefined)};

        // Teachers: engines online, batch targets in batch mode (no engine, no network).
        let engines: Record<DistillPass, Engine> | undefined;
        let targets: Record<DistillPass, BatchTarget> | undefined;
        if (mode === "online") {
            const engineOptions = (pass: DistillPass): EngineOptions => ({
                ...options.engineOptions, ...(baseUrls[pass] != null ? {baseUrls: baseUrls[pass]} : {}), ...(options.prices != null ? {prices: options.prices} : {})
            });
            const first = await engineOf(options.teacher ?? teacherSpec, engineOptions(1), owned);
            const second = options.pass2Teacher == null && pass2TeacherSpec === teacherSpec && baseUrls[2] === baseUrls[1]
                ? first
                : await engineOf(options.pass2Teacher ?? pass2TeacherSpec, engineOptions(2), owned);
            engines = {1: first, 2: second};
        } else {
            // The engine options that shape a request body apply to batch files as they would online.
            const e = options.engineOptions ?? {};
            const target = (pass: DistillPass, spec: string) => batchTarget(spec, {
                baseUrl: baseUrls[pass] ?? baseUrlOf(e.baseUrls), apiKey: e.apiKey, prices: options.prices,
                openAIBody: {maxTokensField: e.maxTokensField as "max_tokens" | "max_completion_tokens" | undefined, extraBody: e.extraBody as Record<string, unknown> | undefined},
                defaultMaxTokens: e.defaultMaxTokens as number | undefined
            });
            targets = {1: target(1, teacherSpec), 2: target(2, pass2TeacherSpec)};
        }
        const ids = {1: engines?.[1].id ?? targets![1].id, 2: engines?.[2].id ?? targets![2].id};

        const config: JobConfig = {
            teacher: ids[1],
            pass2Teacher: ids[2],
            teacherSpec,
            pass2TeacherSpec,
            profile: options.profile ?? stored?.profile ?? "rm-r1-instruct",
            quirks: options.quirks ?? stored?.quirks ?? null,
            order: options.order ?? stored?.order ?? "alternate",
            seed: options.seed ?? stored?.seed ?? 0,
            limit: options.limit ?? stored?.limit ?? null,
            pass1Options: sampling[1],
            pass2Options: sampling[2],
            maxAttempts,
            mode,
            input: typeof options.input === "string" ? options.input : options.input != null ? "(in memory)" : stored?.input ?? "",
            inputDigest: stored?.inputDigest ?? ""
        };
        const loadItems = async () => {
            if (options.input == null) throw new InvalidInput(`${options.job} has no job yet: give the pairs to distil (--input FILE)`, {field: "input"});
            return loadDistillItems(options.input, {
                profile: config.profile, quirks: config.quirks ?? undefined, order: config.order, seed: config.seed,
                limit: config.limit ?? undefined
            });
        };
        if (stored == null) {
            const items = await loadItems();
            config.inputDigest = itemsDigest(items);
            run.startOrResume({
                kind: "distill",
                command: options.command,
                config: {...config},
                seeds: {order: config.seed},
                engines: {pass1: engines?.[1].identity ?? targets![1].identity, pass2: engines?.[2].identity ?? targets![2].identity},
                versions: {node: process.version},
                startedAt: new Date().toISOString()
            });
            store.startJob(JSON.stringify(config), items);
        } else {
            for (const key of resumeKeys) {
                const was = JSON.stringify(stored[key] ?? null);
                const now = JSON.stringify(config[key] ?? null);
                if (was !== now)
                    throw new InvalidInput(`cannot resume ${options.job}: '${key}' was ${was} and is now ${now}; use the same options, or start a new --job`, {field: key});
            }
            if (options.input != null) {
                const digest = itemsDigest(await loadItems());
                if (digest !== stored.inputDigest)
                    throw new InvalidInput(`cannot resume ${options.job}: the input's pairs differ from the ones the job started with; give the same input (or none), or start a new --job`, {field: "input"});
            }
            if (stored.maxAttempts !== maxAttempts || stored.mode !== mode) store.setMeta("config", JSON.stringify({...stored, maxAttempts, mode}));
        }

        // Progress: counters from the store, then moved on by every answer.
        const startCounts = store.counts(maxAttempts);
        const resumed = startCounts.states.kept + startCounts.states.dropped;
        let failedThisRun = 0;
        const progress = progressFromCounts(startCounts, resumed, 0);
        const report = () => options.onProgress?.({...progress, pass1: {...progress.pass1}, pass2: {...progress.pass2}});
        report();

        let batchReport: BatchRunReport | undefined;
        let interrupted = false;
        try {
            if (engines != null) {
                failedThisRun = await runOnline({
                    store, teachers: engines, sampling, concurrency, maxAttempts, signal: options.signal,
                    onCall({pass, correct, costUsd}) {
                        progress.costUsd += costUsd;
                        if (correct == null) progress.failed++;
                        else if (pass === 1) {
                            progress.pass1.answered++;
                            if (correct) {
                                progress.pass1.correct++;
                                progress.kept++;
                                progress.done++;
                            } else progress.pass2.needed++;
                        } else {
                            progress.pass2.answered++;
                            if (correct) {
                                progress.pass2.correct++;
                                progress.kept++;
                            } else progress.dropped++;
                            progress.done++;
                        }
                        report();
                    }
                });
            } else {
                batchReport = await runBatch({
                    store, targets: targets!, sampling, maxAttempts, results: options.results ?? [], abandon: options.abandon ?? [], resubmit: options.resubmit ?? [],
                    submit: options.submit ?? false, pollIntervalMs: options.pollIntervalMs ?? 60_000, api: options.batchApi, signal: options.signal,
                    onIngest() {
                        Object.assign(progress, progressFromCounts(store.counts(maxAttempts), resumed, 0));
                        report();
                    }
                });
            }
        } catch (e) {
            // A stop while waiting for a batch: everything so far is recorded; the next run polls on.
            if (!(e instanceof Aborted && options.signal?.aborted === true)) throw e;
        }
        interrupted = options.signal?.aborted === true;
        const output = writeDistillOutput(store, {format: options.format, output: options.output, provenance: options.provenance});
        const summary = summarize(store);
        Object.assign(progress, progressFromCounts(store.counts(maxAttempts), resumed, failedThisRun));
        report();
        return {
            ...summary,
            output: {file: output.file, provenance: output.provenance, format: output.format, rows: output.rows},
            failedThisRun,
            lostOnResume,
            batch: batchReport,
            interrupted
        };
    } finally {
        await Promise.all(owned.map((engine) => engine.close()));
        store.close();
    }
}

function specOf(teacher: string | Engine | undefined): string | undefined {
    if (teacher == null) return undefined;
    return typeof teacher === "string" ? teacher : teacher.id;
}

async function engineOf(teacher: string | Engine, options: EngineOptions, owned: Engine[]): Promise<Engine> {
    if (typeof teacher !== "string") return teacher;
    const engine = await createEngine(teacher, options);
    owned.push(engine);
    return engine;
}

function prefixOf(spec: string): string {
    return spec.slice(0, Math.max(0, spec.indexOf(":")));
}

function baseUrlOf(value: unknown): string | undefined {
    if (value == null) return undefined;
    if (typeof value === "string") return value;
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(",");
    throw new ConfigError("engineOptions.baseUrls must be a string or a list of strings");
}

function positiveInt(value: number, field: string): number {
    if (!Number.isInteger(value) || value < 1) throw new InvalidInput(`${field} must be an integer >= 1, got ${value}`, {field});
    return value;
}
