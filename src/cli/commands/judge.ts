// `rmr1 judge`: judge a JSONL of preference pairs with any engine; resumable, with a progress bar and
// a summary (also written as JSON next to the output). A thin wrapper over `judgeFile`.
import {existsSync} from "node:fs";
import {NotFound} from "../../errors.js";
import {Judge} from "../../judge/Judge.js";
import type {JudgeOptions} from "../../judge/Judge.js";
import {judgeFile} from "../../judge/judgeFile.js";
import type {JudgeSummary} from "../../judge/JudgmentStats.js";
import {orderPolicies, tieFallbacks} from "../../judge/orderPolicy.js";
import {profileNames} from "../../protocol/profiles.js";
import {bool, int, num, oneOf, parseFlags, req} from "../args.js";
import type {FlagSpec, ParsedArgs} from "../args.js";
import type {Command} from "../Command.js";
import {engineFlags, engineFlagsHelp, engineFrom, jobsFrom} from "../engineFlags.js";
import {interruptSignal} from "../interruptSignal.js";
import {ProgressBar, progressTo} from "../ProgressBar.js";

/** Flags shared by `rmr1 judge` and `rmr1 rank`: the engine and the judge's settings. */
export const judgeFlags: FlagSpec = {
    ...engineFlags,
    input: {type: "string"},
    output: {type: "string"},
    profile: {type: "string"},
    order: {type: "string"},
    "tie-fallback": {type: "string"},
    samples: {type: "string"},
    temperature: {type: "string"},
    seed: {type: "string"},
    "max-tokens": {type: "string"},
    resample: {type: "string"},
    "no-confidence": {type: "boolean"},
    quiet: {type: "boolean", short: "q"}
};

/** Usage lines for `judgeFlags`. */
export const judgeFlagsHelp = `  --model PROVIDER     the judge engine: openai:<model>, anthropic:<model>, gguf:<file.gguf>,
                       native:<checkpoint dir>, ... (required)
  --profile NAME       prompt profile: ${profileNames.join(", ")} (default rm-r1-instruct)
  --order POLICY       ${orderPolicies.join(", ")} (default random: one seeded coin per item, the
                       reference protocol; fixed: chosen/first in A; both: judge both orders)
  --tie-fallback F     with --order both, when the orders disagree: ${tieFallbacks.join(", ")} (default tie)
  --samples K          samples per order, majority-voted (default 1)
  --temperature T      sampling temperature (default 0 with one sample, 1 with more)
  --seed S             seed of orders and sampling (default 0)
  --max-tokens N       output length limit (default: the engine's)
  --resample N         re-sample an unparsable output up to N times (default 0: it scores as wrong)
${engineFlagsHelp.baseUrl}
${engineFlagsHelp.noCache}
  --no-confidence      do not ask the engine for logprobs (no verdict confidence)
  -q, --quiet          no progress bar`;

/** The judge options the shared flags ask for. */
export function judgeOptionsFrom(args: ParsedArgs): JudgeOptions {
    const samples = int(args, "samples", 1, 1);
    return {
        profile: oneOf(args, "profile", profileNames, "rm-r1-instruct"),
        order: oneOf(args, "order", orderPolicies, "random"),
        tieFallback: oneOf(args, "tie-fallback", tieFallbacks, "tie"),
        samples,
        temperature: args.flags.temperature == null ? undefined : num(args, "temperature", 0, 0),
        seed: int(args, "seed", 0, 0, 2 ** 32 - 1),
        maxTokens: args.flags["max-tokens"] == null ? undefined : int(args, "max-tokens", 1, 1),
        resample: int(args, "resample", 0, 0, 100),
        confidence: !bool(args, "no-confidence")
    };
}

/** The note for input lines that had no id (judge and rank generate one from the content). */
export function generatedIdsNote(n: number): string {
    return `note: ${n} input line${n === 1 ? " had" : "s had"} no id; ids were generated from the content (sha256:…)`;
}

/** Fail before loading a model when the input file is missing. */
export function checkInputExists(input: string): void {
    if (input !== "-" && !existsSync(input)) throw new NotFound(`input file ${input} does not exist`);
}

export const judgeCommand: Command = {
    name: "judge",
    summary: "judge preference pairs with any engine (order policies, voting, confidence), resumable",
    usage: `Usage: rmr1 judge --model PROVIDER --input pairs.jsonl --output judgments.jsonl [-j N]
                  [--profile P] [--order random|fixed|both] [--samples K] [--temperature T]
                  [--seed S] [--max-tokens N] [--resample N] [--base-url URL] [--no-cache]

Judges every pair of the input and appends one judgment per line to the output as it finishes.
Input lines are TRL preference pairs {"id", "prompt"?, "chosen", "rejected"} (message lists), or
unlabelled pairs {"id", "prompt"?, "first", "second"}; an id is generated from the content when
absent. Rerunning the same command resumes: ids already in the output are skipped.

At the end it prints a summary (accuracy when labels are known, position consistency, position-bias
delta, parse failures, tokens, cost) and writes it as JSON next to the output
(judgments.summary.json). See docs/judging.md.

Options:
  --input FILE         pairs, JSONL (- for stdin) (required)
  --output FILE        judgments, JSONL, appended to (required)
  -j, --jobs N         pairs judged at once (default 4)
${judgeFlagsHelp}
`,
    async run(argv) {
        const args = parseFlags(argv, judgeFlags, {allowPositionals: false});
        const input = req(args, "input");
        const output = req(args, "output");
        const jobs = jobsFrom(args, 4, 1024);
        const options = judgeOptionsFrom(args);
        checkInputExists(input);
        const engine = await engineFrom(args);
        const interrupt = interruptSignal();
        const bar = new ProgressBar(0, {label: "judge", silent: bool(args, "quiet")});
        try {
            const judge = new Judge(engine, options);
            const result = await judgeFile({judge, input, output, concurrency: jobs, signal: interrupt.signal, onProgress: progressTo(bar)})
                .finally(() => bar.finish());
            const lines = [
                `judged ${result.summary.judgments} pairs (${result.written} new, ${result.resumed} already in the output) → ${output}`,
                ...formatSummary(result.summary),
                `summary → ${result.summaryFile}`
            ];
            if (result.generatedIds > 0) lines.push(generatedIdsNote(result.generatedIds));
            process.stdout.write(lines.join("\n") + "\n");
            return 0;
        } finally {
            interrupt.dispose();
            await engine.close();
        }
    }
};

/** The summary for people, a few lines. */
export function formatSummary(s: JudgeSummary): string[] {
    const f = (x: number | null, digits = 3) => x == null ? "n/a" : x.toFixed(digits);
    const signed = (x: number | null) => x == null ? "n/a" : (x >= 0 ? "+" : "") + x.toFixed(3);
    const lines: string[] = [];
    if (s.labelled > 0)
        lines.push(`accuracy ${f(s.accuracy)} over ${s.labelled} labelled (ties as half: ${f(s.score)})`);
    lines.push(`verdicts A ${s.verdicts.A}  B ${s.verdicts.B}  tie ${s.verdicts.tie}  error ${s.verdicts.error}`);
    const bias = [`A-rate delta ${signed(s.position_bias.a_rate_delta)}`];
    if (s.position_bias.accuracy_delta != null) bias.push(`accuracy delta (chosen in A − in B) ${signed(s.position_bias.accuracy_delta)}`);
    if (s.consistency_pairs > 0) bias.unshift(`consistency ${f(s.position_consistency)} over ${s.consistency_pairs}`);
    lines.push(`position: ${bias.join("  ")}`);
    lines.push(`parse failures ${f(s.parse_failure_rate)} of ${s.outputs} outputs (${s.resampled} re-samples)`);
    if (s.confidence.judgments > 0)
        lines.push(`confidence mean ${f(s.confidence.mean)} over ${s.confidence.judgments}${s.brier != null ? `  Brier ${f(s.brier)}` : ""}`);
    lines.push(`tokens ${s.tokens.prompt} prompt / ${s.tokens.completion} completion  cost ${s.cost_usd == null ? "n/a" : "$" + s.cost_usd.toFixed(4)}  cached calls ${s.cached_calls}`);
    return lines;
}
