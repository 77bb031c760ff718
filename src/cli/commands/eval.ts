// `rmr1 eval`: judge RewardBench, RM-Bench and/or RMB with any engine into a run folder (run.json,
// samples.jsonl, scores.json, report.md); resumable, with a progress bar. A thin wrapper over `runEval`.
import {InvalidInput} from "../../errors.js";
import {benchmarkNames, isBenchmarkName} from "../../bench/constants.js";
import type {BenchmarkName} from "../../bench/constants.js";
import {runEval} from "../../bench/runEval.js";
import type {EvalResult, EvalStart, MissingNotes} from "../../bench/runEval.js";
import {orderPolicies} from "../../judge/orderPolicy.js";
import {profileNames} from "../../protocol/profiles.js";
import {bool, int, num, oneOf, parseFlags, req, str} from "../args.js";
import {benchmarkChoices, benchmarkFlags, benchmarkFrom, scoringFrom} from "../benchmarkFlags.js";
import type {Command} from "../Command.js";
import {engineFlags, engineFlagsHelp, engineOptionsFrom, jobsFrom} from "../engineFlags.js";
import {interruptSignal} from "../interruptSignal.js";
import {ProgressBar, progressTo} from "../ProgressBar.js";

export const evalCommand: Command = {
    name: "eval",
    summary: "evaluate a judge on RewardBench, RM-Bench and RMB (seeded A/B orders, exact scoring, report), resumable",
    usage: `Usage: rmr1 eval --model PROVIDER --benchmark rewardbench|rm-bench|rmb|all [--limit N] [--subset S]
                 [-j N] [--seed S] [--order random|fixed|both] [--profile P] [--max-tokens N]
                 [--temperature T] [--base-url URL] [--source DIR|hf] [--out runs/NAME] [--no-cache]

Judges every comparison of the benchmark(s) once, in a seeded random A/B order (RM-R1's protocol:
one coin per comparison, keyed on its id, so reruns and resumed runs make the same choices), greedy
by default, and writes to the run folder:
  run.json       command, settings, seed, engine identity, versions, what the data lacks
  samples.jsonl  one line per comparison: ids, subset/domain/category, styles or loser index, order,
                 raw output, Chain-of-Rubrics sections, verdict, outcome, tokens, the pair itself
  scores.json    the scores (the keys of rmr1 bench score), "partial" and "missing" when the data is
                 not the full benchmark
  report.md      the run beside the paper's rows (Table 1 and Tables 6-8)
Rerunning the same command resumes: comparisons already in samples.jsonl are skipped. Ctrl-C stops
after saving what is finished (exit 130). See docs/benchmarks.md.

Options:
  --model PROVIDER     the judge: openai:<model>, anthropic:<model>, gguf:<file.gguf>,
                       native:<checkpoint dir>, ... (required)
  --benchmark NAME     ${benchmarkChoices.join(", ")} (required)
  --limit N            at most N items per RewardBench subset, RM-Bench domain, RMB section (a
                       stratified slice; an RM-Bench prompt keeps its 9 comparisons)
  --subset S[,S...]    only these RewardBench subsets or sections, RM-Bench domains, RMB sets, goals,
                       sections or category paths (one benchmark only)
  -j, --jobs N         comparisons judged at once (default 4; a vLLM server takes 64 or more)
  --seed S             seed of the A/B orders and of sampling (default 0)
  --order POLICY       ${orderPolicies.join(", ")} (default random, the reference protocol; fixed puts the
                       chosen reply in A, both judges both orders: a different setting, said in the report)
  --profile NAME       prompt profile: ${profileNames.join(", ")} (default rm-r1-instruct;
                       RM-R1-DeepSeek-Distilled-* checkpoints need rm-r1-reasoning, which RM-R1's harness
                       picks from the model name)
  --max-tokens N       output limit (default: the model's context for native:/gguf: models, larger
                       values are clamped to it; the server's limit for openai:, like the reference's
                       50000; the engine's default otherwise)
  --temperature T      sampling temperature (default 0: greedy, as the reference)
${engineFlagsHelp.baseUrl}
  --source SRC         the data: a folder or file (one benchmark), a folder holding rewardbench/,
                       rm-bench/ and rmb/ (all), hf for the Hub datasets, or per benchmark
                       rewardbench=SRC,rm-bench=SRC,rmb=SRC (default: the shared benchmark folder,
                       else the Hub; RMB is not on the Hub: pass a clone's RMB_dataset/)
  --out DIR            the run folder (default runs/eval-<benchmark>-<model name>)
  --rules RULE         r1 (default): a verdict error scores 0; original: 0.5 (scores only)
  --rmbench-mapping M  correct (default) or as-published (scores only; rescore any time with
                       rmr1 bench score)
${engineFlagsHelp.noCache}
  -q, --quiet          no progress bar
`,
    async run(argv) {
        const args = parseFlags(argv, {
            ...engineFlags,
            ...benchmarkFlags,
            "limit": {type: "string"},
            "subset": {type: "string"},
            "seed": {type: "string"},
            "order": {type: "string"},
            "profile": {type: "string"},
            "max-tokens": {type: "string"},
            "temperature": {type: "string"},
            "source": {type: "string"},
            "out": {type: "string"},
            "quiet": {type: "boolean", short: "q"}
        }, {allowPositionals: false});
        const model = req(args, "model");
        const benchmark = benchmarkFrom(args);
        const subset = str(args, "subset");
        const out = str(args, "out") ?? `runs/eval-${benchmark}-${modelSlug(model)}`;
        const quiet = bool(args, "quiet");
        const interrupt = interruptSignal();
        const bar = new ProgressBar(0, {label: "eval", silent: quiet});
        let started = false;
        try {
            const result = await runEval({
                model,
                benchmark,
                out,
                source: parseSource(str(args, "source")),
                subsets: subset?.split(",").map((s) => s.trim()).filter((s) => s !== ""),
                limit: args.flags.limit == null ? undefined : int(args, "limit", 1, 1),
                concurrency: jobsFrom(args, 4, 4096),
                seed: int(args, "seed", 0, 0, 2 ** 32 - 1),
                order: oneOf(args, "order", orderPolicies, "random"),
                profile: oneOf(args, "profile", profileNames),
                maxTokens: args.flags["max-tokens"] == null ? undefined : int(args, "max-tokens", 1, 1),
                temperature: num(args, "temperature", 0, 0),
                ...scoringFrom(args),
                engineOptions: engineOptionsFrom(args),
                command: ["rmr1", "eval", ...argv].join(" "),
                signal: interrupt.signal,
                onStart: (start) => {
                    started = true;
                    process.stderr.write(startLines(start).join("\n") + "\n");
                },
                onProgress: progressTo(bar, (p) => ({total: p.total, note: `errors ${p.errors}${p.refused > 0 ? ` (refused ${p.refused})` : ""}`}))
            }).finally(() => {
                if (started) bar.finish();
            });
            process.stdout.write(resultLines(result).join("\n") + "\n");
            return 0;
        } finally {
            interrupt.dispose();
        }
    }
};

/** `--source`: a path, `hf`, or `rewardbench=SRC,rm-bench=SRC,rmb=SRC`. */
function parseSource(value: string | undefined): string | Partial<Record<BenchmarkName, string>> | undefined {
    if (value == null || !/^[a-z-]+=/.test(value)) return value;
    const out: Partial<Record<BenchmarkName, string>> = {};
    for (const part of value.split(",")) {
        const eq = part.indexOf("=");
        const name = part.slice(0, eq).trim();
        const source = part.slice(eq + 1).trim();
        if (eq < 0 || !isBenchmarkName(name) || source === "")
            throw new InvalidInput(`--source '${part}' must be BENCHMARK=SOURCE with BENCHMARK one of ${benchmarkNames.join(", ")}`, {field: "source"});
        out[name] = source;
    }
    return out;
}

/** The last path segment of the model name, safe as a folder name: `openai:org/M-7B` → `M-7B`. */
function modelSlug(provider: string): string {
    const name = provider.slice(provider.indexOf(":") + 1).replace(/[\\/]+$/, "");
    const last = name.split(/[\\/]/).pop() ?? name;
    return last.replace(/\.gguf$/i, "").replace(/[^A-Za-z0-9._-]+/g, "-") || "model";
}

const names: Record<BenchmarkName, string> = {"rewardbench": "RewardBench", "rm-bench": "RM-Bench", "rmb": "RMB"};

function startLines(start: EvalStart): string[] {
    const counts = start.benchmarks.map((b) => `${names[b]} ${start.comparisons[b] ?? 0}`).join(", ");
    const total = Object.values(start.comparisons).reduce((a, b) => a + (b ?? 0), 0);
    const lines = [`rmr1 eval: ${total} comparisons (${counts}), judge ${start.engine}` +
        `${start.maxTokens != null ? `, max tokens ${start.maxTokens}` : ""} → ${start.dir}${start.resumed ? " (resuming)" : ""}`];
    if (Object.keys(start.missing).length > 0) {
        lines.push("partial data: the scores will not be comparable with the published numbers:");
        lines.push(...listed(start.missing, "  "));
    }
    for (const n of start.notes) lines.push(`note: ${n}`);
    return lines;
}

/** Each benchmark's gaps, at most 6 lines each (run.json and scores.json have them all). */
function listed(missing: MissingNotes, indent: string): string[] {
    const lines: string[] = [];
    for (const notes of Object.values(missing)) {
        const shown = notes.length > 6 ? notes.slice(0, 5) : notes;
        lines.push(...shown.map((m) => `${indent}- ${m}`));
        if (shown.length < notes.length) lines.push(`${indent}- … and ${notes.length - shown.length} more (all listed in run.json and scores.json)`);
    }
    return lines;
}

const pct = (x: unknown): string => typeof x === "number" ? (100 * x).toFixed(1) : "–";

function resultLines(r: EvalResult): string[] {
    const lines = [`judged ${r.comparisons} comparisons (${r.written} new, ${r.resumed} already in the run) → ${r.dir}`];
    const star = (p: unknown) => p === true ? "*" : "";
    for (const b of r.benchmarks) {
        const s = (r.benchmarks.length === 1 ? r.scores : r.scores[b]) as Record<string, unknown> | undefined;
        if (s == null) continue;
        const parts = b === "rewardbench" ? ["Chat", "Chat Hard", "Safety", "Reasoning"]
            : b === "rm-bench" ? ["chat", "math", "code", "safety", "hard", "normal", "easy"]
                : ["Pairwise Helpfulness", "Pairwise Harmlessness", "BoN Helpfulness", "BoN Harmlessness"];
        const detail = parts.filter((k) => typeof s[k] === "number").map((k) => `${k} ${pct(s[k])}`).join(", ");
        lines.push(`  ${names[b].padEnd(11)} ${(pct(s.score) + star(s.partial)).padStart(6)}  (${detail})`);
    }
    if (r.benchmarks.length > 1 && typeof r.scores.average === "number")
        lines.push(`  ${"Average".padEnd(11)} ${(pct(r.scores.average) + star(r.partial)).padStart(6)}  (mean of the three, paper Table 1)`);
    if (r.partial) {
        lines.push("  * partial data, not comparable with the published numbers:");
        lines.push(...listed(r.missing, "    "));
        if (Object.keys(r.missing).length === 0) lines.push("    - the samples do not cover the full benchmark");
    }
    const errors = Object.values(r.results).reduce((n, x) => n + x.details.errors, 0);
    lines.push(`verdict errors (no parsable [[A]]/[[B]]): ${errors} of ${r.comparisons} comparisons`);
    if (r.refused > 0) lines.push(`  of which refused by the engine (e.g. longer than its context; reason in each sample's "error"): ${r.refused}`);
    lines.push(`run folder ${r.dir}: run.json, samples.jsonl, scores.json, report.md`);
    return lines;
}
