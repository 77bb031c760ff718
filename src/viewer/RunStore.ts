// The run folders under the viewer's root, found on each listing and loaded lazily: a run's
// samples, metrics and rollouts are indexed the first time they are asked for and re-indexed
// incrementally as jobs append to them, so a run in progress can be watched by reloading.
import {existsSync, openSync, readdirSync, readFileSync, readSync, closeSync, statSync} from "node:fs";
import {basename, join, relative, sep} from "node:path";
import {InvalidInput, NotFound} from "../errors.js";
import type {RunInfo} from "../data/RunDir.js";
import type {
    EvalSummary, Headline, RolloutsResponse, RunCategory, RunDetail, RunEntry, SampleDetail, SampleRow, SamplesResponse, TrainSummary
} from "./apiTypes.js";
import {evalSummary} from "./evalSummary.js";
import {JsonlIndex} from "./JsonlIndex.js";
import type {IndexedLine} from "./JsonlIndex.js";
import {lineFields, lineTraces, pairOf, summarizeSampleLine} from "./sampleLine.js";
import type {SampleCore} from "./sampleLine.js";
import {matchesFilter, parsePage, parseSampleFilter} from "./sampleFilter.js";
import {rolloutView, summarizeMetricLine, summarizeRolloutLine, trainSummary} from "./trainSummary.js";
import type {MetricLine, RolloutCore} from "./trainSummary.js";

/** The files a run folder may hold (ARCHITECTURE.md, "A run on disk"). */
const RUN_FILES = ["run.json", "samples.jsonl", "metrics.jsonl", "rollouts.jsonl", "scores.json", "report.md"];
/** Folders inside runs that are never runs themselves. */
const NOT_RUNS = new Set(["checkpoints", "model", "best", "node_modules", "data", "eval"]);
const TRAIN_KINDS = new Set(["sft", "grpo", "ppo", "bt", "pretrain", "train"]);
const MAX_DEPTH = 4;
const MAX_ROLLOUTS = 64;

export class RunStore {
    /** Absolute path of the root folder. */
    readonly root: string;
    private readonly runs = new Map<string, LoadedRun>();

    constructor(root: string) {
        if (!existsSync(root)) throw new NotFound(`${root} does not exist; pass the folder that holds your runs (rmr1 view runs/) or one run folder`);
        if (!statSync(root).isDirectory()) throw new InvalidInput(`${root} is a file; pass the folder that holds your runs (rmr1 view runs/) or one run folder`, {field: "dir"});
        this.root = root;
    }

    /** Every run folder under the root (the root itself when it is one), newest first, unreadable ones last. */
    list(): RunEntry[] {
        const found = this.scan();
        for (const id of [...this.runs.keys()]) if (!found.has(id)) this.runs.delete(id);
        const entries = [...found.keys()].map((id) => this.get(id).entry());
        // Newest first; folders that cannot be read at the end.
        return entries.sort((a, b) => Number(a.error != null) - Number(b.error != null) ||
            (b.startedAt ?? b.updatedAt ?? "").localeCompare(a.startedAt ?? a.updatedAt ?? "") || a.id.localeCompare(b.id));
    }

    /** The run with this id (a path under the root); `NotFound` when there is none. */
    get(id: string): LoadedRun {
        let run = this.runs.get(id);
        if (run == null) {
            const dir = this.scan().get(id);
            if (dir == null) throw new NotFound(`no run '${id}' under ${this.root}; the runs list shows the runs there`);
            run = new LoadedRun(id, dir);
            this.runs.set(id, run);
        }
        return run;
    }

    /**
     * id → folder of every run folder: one with run.json, or (not written by rmr1, shown with a
     * warning) samples/metrics files. Run folders inside run folders are listed too (a quickstart's
     * `sft/`, `grpo/`, `scalar/` and `direct/` runs, a pretraining's `train/`), under `<outer>/<inner>` ids.
     */
    private scan(): Map<string, string> {
        const out = new Map<string, string>();
        const rootIsRun = isRunFolder(this.root);
        const rootId = basename(this.root) || this.root;
        if (rootIsRun) out.set(rootId, this.root);
        const idOf = (path: string) => {
            const rel = relative(this.root, path).split(sep).join("/");
            return rootIsRun ? `${rootId}/${rel}` : rel;
        };
        const walk = (dir: string, depth: number): void => {
            let names: string[];
            try {
                names = readdirSync(dir).sort();
            } catch {
                return;
            }
            for (const name of names) {
                if (name.startsWith(".") || NOT_RUNS.has(name)) continue;
                const path = join(dir, name);
                let isDir = false;
                try {
                    isDir = statSync(path).isDirectory();
                } catch {
                    continue;
                }
                if (!isDir) continue;
                if (isRunFolder(path)) out.set(idOf(path), path);
                if (depth < MAX_DEPTH) walk(path, depth + 1);
            }
        };
        walk(this.root, 1);
        return out;
    }
}

function isRunFolder(dir: string): boolean {
    return existsSync(join(dir, "run.json")) || existsSync(join(dir, "samples.jsonl")) || existsSync(join(dir, "metrics.jsonl"));
}

/** One run folder, its files indexed on demand. */
export class LoadedRun {
    readonly id: string;
    readonly dir: string;
    private samplesIndex?: JsonlIndex<SampleCore>;
    private metricsIndex?: JsonlIndex<MetricLine>;
    private rolloutsIndex?: JsonlIndex<RolloutCore>;
    private evalCache?: {key: string, value: EvalSummary};
    private rowsCache?: {version: number, rows: SampleRow[]};

    constructor(id: string, dir: string) {
        this.id = id;
        this.dir = dir;
    }

    /** The runs-list row: what run.json and scores.json (or the last metrics line) say. */
    entry(): RunEntry {
        const files = RUN_FILES.filter((f) => existsSync(join(this.dir, f)));
        const base: RunEntry = {
            id: this.id, name: this.id.split("/").pop() ?? this.id, kind: null, category: "other", model: null, startedAt: null,
            updatedAt: this.updatedAt(files), headline: [], files, warnings: [], error: null
        };
        let info: RunInfo | undefined;
        try {
            info = this.info();
        } catch (e) {
            return {...base, error: (e as Error).message};
        }
        if (info == null) base.warnings.push("no run.json: not written by an rmr1 job; shown from its files");
        else if (typeof info.kind !== "string") base.warnings.push("run.json has no 'kind'; shown from its files");
        const kind = typeof info?.kind === "string" ? info.kind : null;
        const scores = this.readJsonFile("scores.json", base.warnings);
        return {
            ...base,
            kind,
            category: categoryOf(kind, files),
            model: modelOf(info),
            startedAt: typeof info?.startedAt === "string" ? info.startedAt : null,
            headline: scores != null ? scoresHeadline(scores, singleBenchmark(info)) : files.includes("metrics.jsonl") ? metricsHeadline(join(this.dir, "metrics.jsonl")) : []
        };
    }

    /** Everything the run page needs but the sample lines themselves. */
    detail(): RunDetail {
        const entry = this.entry();
        if (entry.error != null) throw new InvalidInput(entry.error, {field: "run"});
        const info = this.info() ?? null;
        const warnings = [...entry.warnings];
        const scoresFile = this.readJsonFile("scores.json", warnings);
        let evalPart: EvalSummary | null = null;
        let trainPart: TrainSummary | null = null;
        const rolloutFile = this.rolloutFile(entry);
        if (entry.files.includes("samples.jsonl") && rolloutFile !== "samples.jsonl") evalPart = this.evalSummary(entry, info);
        if (entry.files.includes("metrics.jsonl") || rolloutFile != null) trainPart = this.trainSummary(rolloutFile);
        return {...entry, warnings, info: info as Record<string, unknown> | null, scoresFile, eval: evalPart, train: trainPart};
    }

    /** A page of the filtered sample list. */
    samples(params: URLSearchParams): SamplesResponse {
        const filter = parseSampleFilter(params);
        const {offset, limit} = parsePage(params);
        const rows = this.rows();
        let total = 0;
        const page: SampleRow[] = [];
        for (const r of rows) {
            if (!matchesFilter(r, filter)) continue;
            if (total >= offset && page.length < limit) page.push(r);
            total++;
        }
        return {total, offset, limit, all: rows.length, rows: page};
    }

    /** One sample with its texts and traces; `params` carries the list's filter for prev/next. */
    sample(index: number, params: URLSearchParams): SampleDetail {
        const rows = this.rows();
        if (!Number.isInteger(index) || index < 0 || index >= rows.length)
            throw new NotFound(`run '${this.id}' has no sample ${index}; it has ${rows.length} (numbered from 0)`);
        const filter = parseSampleFilter(params);
        const entries = this.samplesFile().refresh();
        const value = this.samplesFile().read(entries[index]) as Record<string, unknown>;
        const pair = pairOf(value);
        let prev: number | null = null, next: number | null = null, position: number | null = null, filtered = 0;
        for (const r of rows) {
            if (!matchesFilter(r, filter)) continue;
            if (r.index < index) prev = r.index;
            else if (r.index === index) position = filtered;
            else if (next == null) next = r.index;
            filtered++;
        }
        return {
            row: rows[index], fields: lineFields(value), prompt: pair.prompt, replies: pair.replies,
            outputs: lineTraces(value, pair), prev, next, position, filtered
        };
    }

    /** The rollouts of one training step (at most 64). */
    rollouts(params: URLSearchParams): RolloutsResponse {
        const file = this.rolloutFile(this.entry());
        if (file == null) throw new NotFound(`run '${this.id}' has no rollouts (rollouts.jsonl with a 'step' per line)`);
        const index = this.rolloutsFile(file);
        const entries = index.refresh();
        const raw = params.get("step");
        const step = raw != null && raw !== "" ? Number(raw) : entries.length > 0 ? entries[entries.length - 1].summary.step : 0;
        if (!Number.isFinite(step)) throw new InvalidInput(`step must be a number, got '${raw}'`, {field: "step"});
        const at = entries.filter((e) => e.summary.step === step);
        return {step, total: at.length, rollouts: at.slice(0, MAX_ROLLOUTS).map((e, i) => rolloutView(index.read(e), e, i))};
    }

    /** Sample rows with their indices (cached until the file changes). */
    rows(): SampleRow[] {
        const index = this.samplesFile();
        const entries = index.refresh();
        if (this.rowsCache?.version !== index.version) {
            this.rowsCache = {version: index.version, rows: entries.map((e, i) => toRow(e, i))};
        }
        return this.rowsCache.rows;
    }

    /** Sample cores (rows plus scoring facts) of the run. */
    cores(): readonly IndexedLine<SampleCore>[] {
        return this.samplesFile().refresh();
    }

    evalSummary(entry = this.entry(), info = this.info() ?? null): EvalSummary {
        const index = this.samplesFile();
        const entries = index.refresh();
        const config = info?.config as Record<string, unknown> | undefined;
        const key = `${index.version}|${JSON.stringify(config ?? null)}`;
        if (this.evalCache?.key !== key) {
            const reportPath = join(this.dir, "report.md");
            this.evalCache = {
                key,
                value: evalSummary({
                    rows: entries.map((e) => e.summary), unreadable: index.invalid, config,
                    model: entry.model ?? entry.name, title: `${entry.name} (${entry.kind ?? "run"})`,
                    ...(typeof info?.seeds?.order === "number" ? {seed: info.seeds.order} : typeof config?.seed === "number" ? {seed: config.seed} : {}),
                    ...(existsSync(reportPath) ? {reportFile: readFileSync(reportPath, "utf8")} : {})
                })
            };
        }
        return this.evalCache.value;
    }

    trainSummary(rolloutFile = this.rolloutFile(this.entry())): TrainSummary {
        const metrics = this.metricsFile();
        const lines = metrics.refresh().map((e) => e.summary);
        const rollouts = rolloutFile != null ? this.rolloutsFile(rolloutFile).refresh() : [];
        return trainSummary(lines, rollouts, rolloutFile, metrics.invalid);
    }

    private info(): RunInfo | undefined {
        const file = join(this.dir, "run.json");
        if (!existsSync(file)) return undefined;
        let value: unknown;
        try {
            value = JSON.parse(readFileSync(file, "utf8"));
        } catch (e) {
            throw new InvalidInput(`run.json is not valid JSON (${(e as Error).message}); fix it or move the folder out of the runs folder`, {location: file});
        }
        if (value == null || typeof value !== "object" || Array.isArray(value))
            throw new InvalidInput("run.json must be a JSON object with kind, config and startedAt", {location: file});
        return value as RunInfo;
    }

    private readJsonFile(name: string, warnings: string[]): Record<string, unknown> | null {
        const file = join(this.dir, name);
        if (!existsSync(file)) return null;
        try {
            const value = JSON.parse(readFileSync(file, "utf8")) as unknown;
            if (value != null && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
            warnings.push(`${name} is not a JSON object; ignored`);
        } catch (e) {
            warnings.push(`${name} is not valid JSON (${(e as Error).message}); ignored`);
        }
        return null;
    }

    private updatedAt(files: string[]): string | null {
        let newest = 0;
        for (const f of files) newest = Math.max(newest, statSync(join(this.dir, f)).mtimeMs);
        return newest > 0 ? new Date(newest).toISOString() : null;
    }

    /** rollouts.jsonl, or a training run's samples.jsonl when its lines are rollouts (a `step` each). */
    private rolloutFile(entry: RunEntry): string | null {
        if (entry.files.includes("rollouts.jsonl")) return "rollouts.jsonl";
        if (entry.category === "train" && entry.files.includes("samples.jsonl")) return "samples.jsonl";
        return null;
    }

    private samplesFile(): JsonlIndex<SampleCore> {
        const file = join(this.dir, "samples.jsonl");
        this.samplesIndex ??= new JsonlIndex(file, (value, line) => summarizeSampleLine(value, line, file));
        return this.samplesIndex;
    }

    private metricsFile(): JsonlIndex<MetricLine> {
        this.metricsIndex ??= new JsonlIndex(join(this.dir, "metrics.jsonl"), summarizeMetricLine);
        return this.metricsIndex;
    }

    private rolloutsFile(name: string): JsonlIndex<RolloutCore> {
        const file = join(this.dir, name);
        if (this.rolloutsIndex?.file !== file) this.rolloutsIndex = new JsonlIndex(file, summarizeRolloutLine);
        return this.rolloutsIndex;
    }
}

function toRow(e: IndexedLine<SampleCore>, index: number): SampleRow {
    const s = e.summary;
    return {
        index, line: s.line, id: s.id, benchmark: s.benchmark, group: s.group, chosenPosition: s.chosenPosition,
        verdict: s.verdict, outcome: s.outcome, result: s.result, type: s.type, violations: s.violations, preview: s.preview
    };
}

function categoryOf(kind: string | null, files: string[]): RunCategory {
    if (kind === "eval") return "eval";
    if (kind === "judge" || kind === "distill") return "judge";
    if (kind != null && TRAIN_KINDS.has(kind)) return "train";
    if (files.includes("metrics.jsonl")) return "train";
    if (files.includes("samples.jsonl")) return "eval";
    return "other";
}

/** The judge or model of a run: its engine identities, else `config.model`. */
function modelOf(info: RunInfo | undefined): string | null {
    const engines = info?.engines;
    if (engines != null && typeof engines === "object") {
        const names = [...new Set(Object.values(engines).filter((v) => typeof v === "string"))];
        if (names.length > 0) return names.join(", ");
    }
    const config = info?.config;
    if (config != null && typeof config === "object") {
        for (const key of ["model", "engine", "judge"]) {
            const v = (config as Record<string, unknown>)[key];
            if (typeof v === "string" && v !== "") return v;
        }
    }
    return null;
}

const BENCHMARK_LABELS: Record<string, string> = {"rewardbench": "RewardBench", "rm-bench": "RM-Bench", "rmb": "RMB"};

/** The benchmark of a one-benchmark eval (its scores.json holds that benchmark's scores at the top level). */
function singleBenchmark(info: RunInfo | undefined): string | undefined {
    const c = info?.config as Record<string, unknown> | undefined;
    if (Array.isArray(c?.benchmarks) && c.benchmarks.length === 1 && typeof c.benchmarks[0] === "string") return c.benchmarks[0];
    return typeof c?.benchmark === "string" && c.benchmark !== "all" ? c.benchmark : undefined;
}

/** Headline numbers from scores.json, in priority order (at most four); `benchmark` names a one-benchmark score. */
export function scoresHeadline(scores: Record<string, unknown>, benchmark?: string): Headline[] {
    const picks: [string, string, Headline["format"]][] = [
        ["average", "Avg", "pct"], ["rewardbench.score", "RewardBench", "pct"], ["rm-bench.score", "RM-Bench", "pct"], ["rmb.score", "RMB", "pct"],
        ["score", benchmark != null ? BENCHMARK_LABELS[benchmark] ?? benchmark : "score", "pct"], ["accuracy", "accuracy", "pct"], ["lastReward", "reward (last steps)", "num"], ["reward", "reward", "num"],
        ["bestDevAccuracy", "best dev accuracy", "pct"], ["evalAccuracy", "eval accuracy", "pct"], ["loss", "loss", "num"],
        ["evalLoss", "held-out loss", "num"], ["kl", "KL", "num"], ["steps", "steps", "num"]
    ];
    const out: Headline[] = [];
    for (const [path, label, format] of picks) {
        let v: unknown = scores;
        for (const part of path.split(".")) v = v != null && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
        if (typeof v === "number" && Number.isFinite(v)) out.push({label, value: v, format});
        if (out.length === 4) break;
    }
    return out;
}

/** Headline numbers from the last step line of metrics.jsonl (read from the file's tail). */
function metricsHeadline(file: string): Headline[] {
    const size = statSync(file).size;
    const length = Math.min(size, 1 << 16);
    const buf = Buffer.alloc(length);
    const fd = openSync(file, "r");
    try {
        readSync(fd, buf, 0, length, size - length);
    } finally {
        closeSync(fd);
    }
    const lines = buf.toString("utf8").split("\n").reverse();
    for (const line of lines) {
        let v: unknown;
        try {
            v = JSON.parse(line);
        } catch {
            continue;
        }
        if (v == null || typeof v !== "object" || typeof (v as {step?: unknown}).step !== "number") continue;
        const m = v as Record<string, unknown>;
        const out: Headline[] = [{label: "step", value: m.step as number, format: "num"}];
        for (const [key, label, format] of [["reward", "reward", "num"], ["accuracy", "accuracy", "pct"], ["loss", "loss", "num"], ["evalLoss", "held-out loss", "num"]] as const) {
            if (typeof m[key] === "number" && out.length < 4) out.push({label, value: m[key] as number, format});
        }
        return out;
    }
    return [];
}
