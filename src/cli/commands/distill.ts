// `rmr1 distill` and `rmr1 distill status`: teacher-trace synthesis with the two-pass bootstrap,
// online or through the batch APIs, resumable. Thin wrappers over `distill` and `distillStatus`.
import {join} from "node:path";
import {distill, DEFAULT_PASS2_TEACHER, DEFAULT_TEACHER} from "../../distill/distill.js";
import type {DistillOptions, DistillResult} from "../../distill/distill.js";
import {distillStatus} from "../../distill/distillSummary.js";
import type {DistillProgress, DistillSummary} from "../../distill/distillSummary.js";
import {distillFormats} from "../../distill/writeDistillOutput.js";
import {profileNames} from "../../protocol/profiles.js";
import {bool, int, num, oneOf, parseFlags, req, str} from "../args.js";
import type {Command} from "../Command.js";
import {engineFlags, engineOptionsFrom, jobsFrom} from "../engineFlags.js";
import {interruptSignal} from "../interruptSignal.js";
import {ProgressBar, progressTo} from "../ProgressBar.js";
// Registers world:teacher, so the quickstart's teacher works here too.
import "../../world/WorldTeacher.js";

const usage = `Usage: rmr1 distill --job DIR --input PAIRS [options]      start, or resume, a job
       rmr1 distill --job DIR [--results FILE ...]             resume / ingest batch results
       rmr1 distill status --job DIR [--json]

Teacher-trace synthesis with RM-R1's two-pass bootstrap. Pass 1: the teacher judges each pair with
the RM-R1 prompt; traces are graded with the distillation filter (the correct [[X]] in the last 100
characters). Pass 2: the wrong ones go to the second teacher with the reference's hint for the
correct verdict and the wrong judgement appended; pass-2 traces still wrong are dropped. Each kept
trace is written with the un-hinted prompt to the SFT set (default DIR/sft.jsonl, provenance in
DIR/sft.provenance.jsonl).

Every request and answer is recorded in DIR/distill.sqlite as it completes. Rerun the same command
to resume: answered requests are never sent again (requests in flight when a run is killed may be;
Ctrl-C instead stops new requests and waits for those in flight, a second Ctrl-C quits at once).

Input: preference pairs of any shape rmr1 reads (TRL, Skywork, RewardBench, ...; .jsonl, .json,
.parquet, a folder or hf:owner/name) rendered here, or rows already rendered by rmr1 mix
({context_messages, winner: model_a|model_b}), used as they are.

Options:
  --job DIR            the job folder (required)
  --input PAIRS        the pairs (required to start; checked against the job when resuming)
  --teacher P          pass-1 teacher (default ${DEFAULT_TEACHER}); any engine:
                       openai:<model>, anthropic:<model>, gguf:<file>, native:<dir>, world:teacher?error=0.25
  --pass2-teacher P    pass-2 teacher (default ${DEFAULT_PASS2_TEACHER} with the default teacher,
                       else the pass-1 teacher)
  --base-url URL       API root of the pass-1 teacher (an OpenAI-compatible server: http://host:8000/v1)
  --pass2-base-url URL API root of the pass-2 teacher (default --base-url when the providers match)
  --profile NAME       ${profileNames.join(", ")} (default rm-r1-instruct)
  --order O            A/B order of pairs: alternate (as the reference mix) or random (seeded per id)
                       (default alternate)
  --seed S             seed of --order random (default 0)
  --limit N            only the first N items
  --max-tokens N       pass-1 max tokens (default 8192, as the reference)
  --temperature T      pass-1 temperature (default 1, the APIs' default the reference used)
  --pass2-max-tokens N pass-2 max tokens (default: none for OpenAI, the engine's for others)
  --pass2-temperature T  pass-2 temperature (default 1)
  -j, --jobs N         online: requests in flight (default 8)
  --max-attempts N     failed calls per item and pass before it is given up (default 3)
  --no-cache           online: do not use the response cache
  --format F           SFT rows: ${distillFormats.join(", ")} (default rm-r1: {context_messages, winner: trace})
  --output FILE        the SFT file (.jsonl; default DIR/sft.jsonl)
  --inline-provenance  provenance as a field of each row instead of a side file
  -q, --quiet          no progress bar

Batch mode (--mode batch): writes DIR/batches/bNNN-passP-{openai.jsonl|anthropic.json} request files
(OpenAI Batch /v1/chat/completions lines; Anthropic Message Batches {"requests": [...]} body).
Submit them, then rerun with --results for each result file (OpenAI: the output and the error
file); errored and expired requests are queued into the next file. Pass-2 files follow pass-1
results.
  --mode M             online or batch (default: the job's last mode, else online)
  --results FILE       a batch result file to ingest (repeatable)
  --submit             upload, poll and fetch through the APIs until complete (needs the API keys)
  --poll-interval S    seconds between polls with --submit (default 60)
  --abandon NAME       give a batch up; its unanswered requests are queued again (repeatable)
  --resubmit NAME      with --submit: create again a batch whose creation a killed run cut off, once
                       you checked the provider has none (repeatable)

See docs/distillation.md (cost notes included).
`;

// The engine flags but --model: the teachers have flags of their own.
const {model: _model, ...teacherEngineFlags} = engineFlags;

const flags = {
    ...teacherEngineFlags,
    job: {type: "string"},
    input: {type: "string"},
    teacher: {type: "string"},
    "pass2-teacher": {type: "string"},
    "pass2-base-url": {type: "string"},
    profile: {type: "string"},
    order: {type: "string"},
    seed: {type: "string"},
    limit: {type: "string"},
    "max-tokens": {type: "string"},
    temperature: {type: "string"},
    "pass2-max-tokens": {type: "string"},
    "pass2-temperature": {type: "string"},
    "max-attempts": {type: "string"},
    format: {type: "string"},
    output: {type: "string"},
    "inline-provenance": {type: "boolean"},
    quiet: {type: "boolean", short: "q"},
    mode: {type: "string"},
    results: {type: "string", multiple: true},
    submit: {type: "boolean"},
    "poll-interval": {type: "string"},
    abandon: {type: "string", multiple: true},
    resubmit: {type: "string", multiple: true}
} as const;

export const distillCommand: Command = {
    name: "distill",
    summary: "teacher traces for SFT with the two-pass bootstrap, online or batch, resumable",
    usage,
    async run(argv) {
        const args = parseFlags(argv, {...flags}, {allowPositionals: false});
        const sampling = (tokens: string, temperature: string) => {
            const o: {maxTokens?: number, temperature?: number} = {};
            if (str(args, tokens) != null) o.maxTokens = int(args, tokens, 1, 1);
            if (str(args, temperature) != null) o.temperature = num(args, temperature, 1, 0, 2);
            return Object.keys(o).length > 0 ? o : undefined;
        };
        const options: DistillOptions = {
            job: req(args, "job"),
            input: str(args, "input"),
            teacher: str(args, "teacher"),
            pass2Teacher: str(args, "pass2-teacher"),
            baseUrl: str(args, "base-url"),
            pass2BaseUrl: str(args, "pass2-base-url"),
            profile: oneOf(args, "profile", profileNames),
            order: oneOf(args, "order", ["alternate", "random"] as const),
            seed: str(args, "seed") == null ? undefined : int(args, "seed", 0, 0, 2 ** 32 - 1),
            limit: str(args, "limit") == null ? undefined : int(args, "limit", 1, 1),
            pass1Options: sampling("max-tokens", "temperature"),
            pass2Options: sampling("pass2-max-tokens", "pass2-temperature"),
            concurrency: jobsFrom(args, 8, 1024),
            maxAttempts: str(args, "max-attempts") == null ? undefined : int(args, "max-attempts", 3, 1, 1000),
            // --base-url is the pass-1 teacher's (baseUrl above), not every engine's.
            engineOptions: engineOptionsFrom(args, {baseUrl: false}),
            format: oneOf(args, "format", distillFormats, "rm-r1"),
            output: str(args, "output"),
            provenance: bool(args, "inline-provenance") ? "inline" : "file",
            mode: oneOf(args, "mode", ["online", "batch"] as const),
            results: args.flags.results as string[] | undefined,
            submit: bool(args, "submit"),
            pollIntervalMs: str(args, "poll-interval") == null ? undefined : num(args, "poll-interval", 60, 0.01) * 1000,
            abandon: args.flags.abandon as string[] | undefined,
            resubmit: args.flags.resubmit as string[] | undefined,
            command: ["rmr1", "distill", ...argv].join(" ")
        };
        const bar = new ProgressBar(0, {label: "distill", silent: bool(args, "quiet")});
        // Ctrl-C / SIGTERM: the first stops new requests and lets those in flight finish and be
        // recorded (they are paid for); a second exits at once.
        const stop = interruptSignal({message: "rmr1: stopping: no new requests; waiting for those in flight (press Ctrl-C again to quit at once)"});
        const report = progressTo(bar, (p: DistillProgress) => ({total: p.items, note: `kept ${p.kept} dropped ${p.dropped}${p.failed > 0 ? ` failed ${p.failed}` : ""}`}));
        let started = false;
        try {
            const result = await distill({
                ...options,
                signal: stop.signal,
                onProgress(p) {
                    started = true;
                    report(p);
                }
            }).finally(() => {
                if (started) bar.finish();
            });
            process.stdout.write(formatResult(result).join("\n") + "\n");
            // Incomplete online work is an error exit; a batch job waiting for results is not.
            return result.complete || result.batch != null || result.interrupted ? 0 : 1;
        } finally {
            stop.dispose();
        }
    }
};

export const distillStatusCommand: Command = {
    name: "distill status",
    summary: "progress per pass, acceptance rate, dropped items and cost of a distillation job",
    usage: `Usage: rmr1 distill status --job DIR [--json]

Reads DIR/distill.sqlite (safe while the job runs): items per pass (answered, right, wrong,
pending, given up), kept and dropped traces, the acceptance rate, requests in flight, queued in
batches, failed or lost, tokens, cost so far and a projection for the whole job, and the batch files.
  --json    the summary as JSON
`,
    async run(argv) {
        const args = parseFlags(argv, {job: {type: "string"}, json: {type: "boolean"}}, {allowPositionals: false});
        const summary = distillStatus(req(args, "job"));
        process.stdout.write(bool(args, "json") ? JSON.stringify(summary, null, 2) + "\n" : formatSummary(summary).join("\n") + "\n");
        return 0;
    }
};

function pct(x: number | null): string {
    return x == null ? "n/a" : `${(100 * x).toFixed(1)}%`;
}

function usd(x: number): string {
    return `$${x.toFixed(x < 1 ? 4 : 2)}`;
}

/** The status for people. */
export function formatSummary(s: DistillSummary): string[] {
    const state = s.complete ? "complete" : s.runningPid != null ? `running (process ${s.runningPid})` : "stopped; rerun to resume";
    const lines = [`job ${s.job}: ${s.items} items, ${state}`];
    for (const [n, p] of [[1, s.pass1], [2, s.pass2]] as const) {
        lines.push(`pass ${n} (${p.teacher}): ${p.answered}/${p.needed} answered, ${p.correct} right, ${p.wrong} wrong, ` +
            `${p.pending} pending${p.gaveUp > 0 ? `, ${p.gaveUp} given up` : ""}, ${usd(p.costUsd)}${p.unpricedCalls > 0 ? ` (+${p.unpricedCalls} calls without a known price)` : ""}`);
    }
    lines.push(`kept ${s.kept} (pass 1: ${s.keptPass1}, pass 2: ${s.keptPass2}), dropped ${s.dropped} (pass 2 still wrong); acceptance ${pct(s.acceptanceRate)}; ` +
        `pass-1 error rate ${pct(s.pass1ErrorRate)}, pass-2 recovery ${pct(s.pass2RecoveryRate)}`);
    const c = s.calls;
    // Requests marked sent with no live process were in flight when a run died: the next run re-sends them.
    const inFlight = s.runningPid != null || c.inFlight === 0 ? `${c.inFlight} in flight` : `${c.inFlight} in flight when the last run died (to be re-sent)`;
    lines.push(`requests: ${c.answered} answered, ${inFlight}, ${c.queued} in batches, ${c.failed} failed, ${c.lost} lost in flight (re-sent)` +
        `${c.abandoned > 0 ? `, ${c.abandoned} abandoned` : ""}`);
    lines.push(`tokens ${s.tokens.prompt} prompt / ${s.tokens.completion} completion; cost so far ${usd(s.costUsd)}` +
        (s.projectedCostUsd != null && !s.complete ? `, projected for all items ${usd(s.projectedCostUsd)}` : ""));
    for (const b of s.batches)
        lines.push(`batch ${b.name}: ${b.requests} requests, ${b.status}${b.outstanding > 0 && b.status !== "abandoned" ? `, ${b.outstanding} awaiting results` : ""} (${b.file})`);
    return lines;
}

function formatResult(r: DistillResult): string[] {
    const lines = formatSummary(r);
    if (r.lostOnResume > 0) lines.push(`note: ${r.lostOnResume} requests were in flight when the previous run died; they were sent again`);
    if (r.batch != null) {
        for (const i of r.batch.ingested)
            lines.push(`ingested ${i.file}: ${i.succeeded} answers, ${i.failed} errored/expired (re-queued)${i.duplicates > 0 ? `, ${i.duplicates} already in` : ""}${i.unmatched > 0 ? `, ${i.unmatched} not this job's` : ""}`);
        for (const b of r.batch.written) lines.push(`wrote ${join(r.job, b.file)} (${b.requests} requests, pass ${b.pass}, ${b.provider})`);
        const waiting = r.batches.filter((b) => b.status === "written" || b.status === "submitting" || b.status === "submitted");
        if (waiting.length > 0 && !r.complete)
            lines.push(`next: submit ${waiting.map((b) => b.file).join(", ")} (or rerun with --submit), then rerun with --results <result file> for each`);
    }
    if (r.output != null) lines.push(`SFT set: ${r.output.rows} rows → ${r.output.file}${r.output.provenance != null ? ` (provenance: ${r.output.provenance})` : ""}`);
    if (r.interrupted) lines.push("stopped: rerun the same command to resume");
    else if (!r.complete && r.batch == null) lines.push("incomplete: some requests failed; rerun the same command to retry them");
    return lines;
}
