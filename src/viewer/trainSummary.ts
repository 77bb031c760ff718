// The training side of a run: one series per numeric field of `metrics.jsonl` (the trainers write
// loss, lr, gradNorm, tokensPerSecond and for GRPO/PPO reward, accuracy, formatFailure, kl,
// clipFraction, responseLength, entropy, ...), and sample rollouts per step.
//
// Rollout lines (`rollouts.jsonl`, or a training run's `samples.jsonl`) need a numeric `step`; the
// response is `text` (or `response`/`completion`/`output`), the prompt `prompt` (or `messages`) as
// chat messages, with optional `reward` and `label` (`model_a`/`model_b`). When the prompt is a
// rendered single-turn judge prompt, the question and both answers are recovered from it so the
// trace's quotes can be found in the answers.
import {InvalidInput} from "../errors.js";
import type {Message} from "../protocol/types.js";
import {evalVerdict} from "../protocol/extractors.js";
import {parseJudgePrompt} from "../world/parseJudgePrompt.js";
import type {ApiMessage, LineProblem, RolloutView, Series, TrainSummary} from "./apiTypes.js";
import type {IndexedLine} from "./JsonlIndex.js";
import {lineFields} from "./sampleLine.js";
import {traceView} from "./traceView.js";

/** The numeric fields of one step line. */
export interface MetricLine {
    step: number;
    values: Record<string, number>;
}

/** Series drawn first, in this order; any other numeric field follows alphabetically. */
const PREFERRED = [
    "loss", "reward", "accuracy", "kl", "responseLength", "clipFraction", "lr", "formatFailure", "entropy", "gradNorm",
    "evalLoss", "evalAccuracy", "devAccuracy", "pgLoss", "approxKl", "valueLoss", "valueClipFraction", "mixedGroups", "truncated",
    "tokensPerSecond", "rolloutTokensPerSecond"
];
const LABELS: Record<string, string> = {
    lr: "learning rate", kl: "KL (low_var_kl)", gradNorm: "grad norm", clipFraction: "clip fraction", responseLength: "response length (tokens)",
    formatFailure: "format-failure rate", evalLoss: "held-out loss", devAccuracy: "dev accuracy", pgLoss: "policy-gradient loss",
    approxKl: "approx. KL (old vs new)", tokensPerSecond: "tokens/s (update)", rolloutTokensPerSecond: "tokens/s (rollout)"
};
/** Bookkeeping fields that are not worth a chart. */
const SKIP = new Set(["step", "epoch", "seconds", "rolloutSeconds", "logprobSeconds", "updateSeconds", "tokens", "trainedTokens"]);
const MAX_POINTS = 800;

/** Keep a metrics line when it is a step (numeric `step`); events are left out of the curves. */
export function summarizeMetricLine(value: unknown): MetricLine {
    if (value == null || typeof value !== "object" || Array.isArray(value)) throw new InvalidInput("a metrics line must be a JSON object");
    const v = value as Record<string, unknown>;
    const step = typeof v.step === "number" && Number.isFinite(v.step) ? v.step : NaN;
    const values: Record<string, number> = {};
    for (const [k, x] of Object.entries(v)) if (typeof x === "number" && Number.isFinite(x)) values[k] = x;
    return {step, values};
}

export function humanLabel(key: string): string {
    return LABELS[key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
}

/** Series from step lines (a step written twice counts once, the last line winning). */
export function metricSeries(lines: readonly MetricLine[]): {series: Series[], steps: number, last: MetricLine | null} {
    const byStep = new Map<number, MetricLine>();
    for (const l of lines) if (Number.isFinite(l.step)) byStep.set(l.step, l);
    const steps = [...byStep.values()].sort((a, b) => a.step - b.step);
    const keys = new Set<string>();
    for (const l of steps) for (const k of Object.keys(l.values)) if (!SKIP.has(k)) keys.add(k);
    const ordered = [...PREFERRED.filter((k) => keys.has(k)), ...[...keys].filter((k) => !PREFERRED.includes(k)).sort()];
    const series = ordered.map((key): Series => {
        const all: [number, number][] = [];
        for (const l of steps) if (key in l.values) all.push([l.step, l.values[key]]);
        let min = Infinity, max = -Infinity;
        for (const [, y] of all) {
            if (y < min) min = y;
            if (y > max) max = y;
        }
        return {key, label: humanLabel(key), points: thin(all), count: all.length, last: all[all.length - 1][1], min, max};
    });
    return {series, steps: steps.length, last: steps[steps.length - 1] ?? null};
}

/** At most MAX_POINTS points, evenly spaced, keeping the first and the last. */
function thin(points: [number, number][]): [number, number][] {
    if (points.length <= MAX_POINTS) return points;
    const out: [number, number][] = [];
    const stride = (points.length - 1) / (MAX_POINTS - 1);
    for (let i = 0; i < MAX_POINTS; i++) out.push(points[Math.round(i * stride)]);
    return out;
}

export function trainSummary(lines: readonly MetricLine[], rollouts: readonly IndexedLine<RolloutCore>[], rolloutFile: string | null, unreadable: {problems: LineProblem[], count: number}): TrainSummary {
    const {series, steps, last} = metricSeries(lines);
    return {
        steps,
        series,
        last: last != null ? {step: last.step, ...last.values} : null,
        rolloutSteps: [...new Set(rollouts.map((r) => r.summary.step))].sort((a, b) => a - b),
        rolloutFile,
        unreadable: unreadable.problems,
        unreadableCount: unreadable.count
    };
}

/** What the index keeps per rollout line. */
export interface RolloutCore {
    step: number;
    reward: number | null;
}

export function summarizeRolloutLine(value: unknown): RolloutCore {
    if (value == null || typeof value !== "object" || Array.isArray(value)) throw new InvalidInput("a rollout line must be a JSON object");
    const v = value as Record<string, unknown>;
    if (typeof v.step !== "number" || !Number.isFinite(v.step)) throw new InvalidInput("a rollout line needs a numeric 'step'", {field: "step"});
    if (responseText(v) == null) throw new InvalidInput("a rollout line needs the response as 'text' (or 'response', 'completion', 'output')", {field: "text"});
    return {step: v.step, reward: typeof v.reward === "number" ? v.reward : null};
}

function responseText(v: Record<string, unknown>): string | null {
    for (const key of ["text", "response", "completion", "output"]) if (typeof v[key] === "string") return v[key] as string;
    return null;
}

/** A rollout line made ready to draw. */
export function rolloutView(value: unknown, entry: IndexedLine<RolloutCore>, index: number): RolloutView {
    const v = value as Record<string, unknown>;
    const text = responseText(v) ?? "";
    const rawPrompt = v.prompt ?? v.messages;
    const prompt: ApiMessage[] = typeof rawPrompt === "string" ? [{role: "user", content: rawPrompt}]
        : Array.isArray(rawPrompt) ? rawPrompt.filter((m) => m != null && typeof m === "object").map((m) => ({role: String((m as Message).role ?? "user"), content: String((m as Message).content ?? "")})) : [];
    const label = v.label === "model_a" || v.label === "model_b" ? v.label : typeof v.winner === "string" && /^model_[ab]$/.test(v.winner) ? v.winner : null;
    // A rendered judge prompt: show the question and the answers, and find the trace's quotes in them.
    const parsed = prompt.length > 0 ? parseJudgePrompt(prompt.map((m) => ({role: m.role as Message["role"], content: m.content}))) : null;
    const parts = parsed != null
        ? [{key: "prompt", messages: [{role: "user", content: parsed.question}]}, {key: "A", messages: [{role: "assistant", content: parsed.answerA}]}, {key: "B", messages: [{role: "assistant", content: parsed.answerB}]}]
        : [{key: "prompt", messages: prompt}];
    const trace = traceView(text, {position: "A", replyKeys: ["A", "B"], parts, cor: v.cor, verdict: evalVerdict(text), label: `step ${entry.summary.step} · rollout ${index + 1}`});
    return {
        index, line: entry.line, step: entry.summary.step, reward: entry.summary.reward, label,
        prompt: parsed != null ? parts[0].messages : prompt,
        replies: parsed != null ? [
            {key: "A", label: `Answer A${label === "model_a" ? " (the better one)" : ""}`, messages: parts[1].messages},
            {key: "B", label: `Answer B${label === "model_b" ? " (the better one)" : ""}`, messages: parts[2].messages}
        ] : [],
        trace,
        fields: lineFields(v)
    };
}
