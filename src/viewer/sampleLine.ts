// One line of a run's samples file, whatever wrote it, turned into what the viewer filters on and
// draws. Lines come from `rmr1 eval` (benchmark ids, subset/domain/category, order, `outputs`, `cor`,
// `pair: {prompt, chosen, rejected}`), from `rmr1 judge` (`Judgment`: `outputs` as objects with
// their own position, `cor` per output, no texts of the pair), or are the minimal lines `rmr1 bench
// score` accepts. Optional fields may be missing: a line shows what it has.
import {parseSample} from "../bench/samples.js";
import type {BenchSample} from "../bench/samples.js";
import {isBenchmarkName, parseRmbCategoryPath, rmBenchDomainOf, rmbSection} from "../bench/constants.js";
import {evalVerdict} from "../protocol/extractors.js";
import {parseCor} from "../protocol/parseCor.js";
import {InvalidInput} from "../errors.js";
import type {ApiMessage, ReplyView, SampleResult, SampleRow, TraceView} from "./apiTypes.js";
import {traceView} from "./traceView.js";
import type {QuotablePart} from "./traceView.js";

/** What the index keeps per sample line (a `SampleRow` without its index, plus scoring facts). */
export interface SampleCore extends Omit<SampleRow, "index"> {
    /** The line as a benchmark sample, for scoring; null when it is not one. */
    bench: BenchSample | null;
    /** Why the line is not a valid benchmark sample (it has a `benchmark` field but fails validation). */
    benchProblem: string | null;
    /** Which reply the judge preferred, for comparing runs. */
    preferred: "chosen" | "rejected" | "first" | "second" | "tie" | null;
}

type Line = Record<string, unknown>;

const VERDICTS = ["A", "B", "tie", "error"] as const;

/** Summarise a parsed samples line (for `JsonlIndex`); `file` names it in messages. */
export function summarizeSampleLine(value: unknown, line: number, file = "samples.jsonl"): SampleCore {
    if (value == null || typeof value !== "object" || Array.isArray(value))
        throw new InvalidInput("a sample line must be a JSON object");
    const v = value as Line;
    const id = v.id != null && (typeof v.id === "string" || typeof v.id === "number") ? String(v.id) : `line ${line}`;
    const benchmark = typeof v.benchmark === "string" ? v.benchmark : null;
    const chosenPosition = v.chosen_position === "A" || v.chosen_position === "B" ? v.chosen_position : null;
    const outputs = outputsOf(v);
    let verdict = (VERDICTS as readonly unknown[]).includes(v.verdict) ? v.verdict as SampleRow["verdict"] : null;
    if (verdict == null && outputs.length === 1) verdict = evalVerdict(outputs[0].text);
    const outcome = v.outcome === 0 || v.outcome === 0.5 || v.outcome === 1 ? v.outcome
        : verdict != null && chosenPosition != null ? (verdict === "tie" ? 0.5 : verdict === chosenPosition ? 1 : 0) : null;
    const first = outputs[0];
    let type: SampleRow["type"] = null;
    let violations = 0;
    if (first != null) {
        const cor = recordedCor(first.cor) ?? parseCor(first.text);
        type = cor.type;
        violations = cor.violations.length;
    }
    let bench: BenchSample | null = null;
    let benchProblem: string | null = null;
    if (benchmark != null && isBenchmarkName(benchmark)) {
        try {
            bench = parseSample(v, `${file}:${line}`);
        } catch (e) {
            benchProblem = (e as Error).message;
        }
    }
    return {
        line, id, benchmark, group: groupOf(v, benchmark), chosenPosition, verdict, outcome,
        result: resultOf(v, verdict, outcome), type, violations, preview: previewOf(v),
        bench, benchProblem, preferred: preferredOf(v, verdict, chosenPosition)
    };
}

/** The filter group of a line: RewardBench subset, RM-Bench scoring domain, RMB section, else a subset/domain/category field. */
function groupOf(v: Line, benchmark: string | null): string | null {
    if (benchmark === "rewardbench" && typeof v.subset === "string") return v.subset;
    if (benchmark === "rm-bench" && typeof v.domain === "string") return rmBenchDomainOf(v.domain) ?? v.domain;
    if (benchmark === "rmb" && typeof v.category_path === "string") {
        const where = parseRmbCategoryPath(v.category_path);
        return where != null ? rmbSection(where.kind, where.goal) : v.category_path;
    }
    for (const key of ["subset", "domain", "category", "source"]) if (typeof v[key] === "string") return v[key] as string;
    return null;
}

function resultOf(v: Line, verdict: SampleRow["verdict"], outcome: number | null): SampleResult {
    if (verdict === "error") return "error";
    if (verdict === "tie") return "tie";
    if (outcome === 1) return "correct";
    if (outcome === 0) return "wrong";
    if (outcome === 0.5) return "tie";
    if (v.correct === true) return "correct";
    if (v.correct === false) return "wrong";
    return "unlabelled";
}

function preferredOf(v: Line, verdict: SampleRow["verdict"], chosenPosition: "A" | "B" | null): SampleCore["preferred"] {
    const p = v.preferred;
    if (p === "chosen" || p === "rejected" || p === "first" || p === "second" || p === "tie") return p;
    if (verdict === "tie") return "tie";
    if ((verdict === "A" || verdict === "B") && chosenPosition != null) return verdict === chosenPosition ? "chosen" : "rejected";
    return null;
}

function previewOf(v: Line): string {
    const {prompt} = pairOf(v);
    const user = [...prompt].reverse().find((m) => m.role === "user") ?? prompt[prompt.length - 1];
    if (user == null) return "";
    const flat = user.content.replace(/\s+/g, " ").trim();
    return flat.length > 140 ? `${flat.slice(0, 139)}…` : flat;
}

/** One judge output of a line, with what the line says about it. */
export interface LineOutput {
    text: string;
    position: "A" | "B" | null;
    verdict: string | null;
    cor: unknown;
    label: string;
}

/**
 * The outputs of a line: `outputs` as a string, a list of strings, or a list of `{text, position,
 * verdict, sample, attempt}` (judge lines); else `output`/`text`/`response`/`completion`. `cor` is
 * one parse or a list parallel to the outputs.
 */
export function outputsOf(v: Line): LineOutput[] {
    const chosenPosition = v.chosen_position === "A" || v.chosen_position === "B" ? v.chosen_position
        : v.first_position === "A" || v.first_position === "B" ? v.first_position : null;
    let raw: unknown[] = [];
    if (typeof v.outputs === "string") raw = [v.outputs];
    else if (Array.isArray(v.outputs)) raw = v.outputs;
    else {
        for (const key of ["output", "text", "response", "completion"]) {
            if (typeof v[key] === "string") {
                raw = [v[key]];
                break;
            }
        }
    }
    const cors: unknown[] = Array.isArray(v.cor) ? v.cor : v.cor != null ? [v.cor] : [];
    const out: LineOutput[] = [];
    raw.forEach((o, i) => {
        if (typeof o === "string") {
            out.push({text: o, position: chosenPosition, verdict: null, cor: cors[i], label: raw.length > 1 ? `output ${i + 1}` : "output"});
        } else if (o != null && typeof o === "object" && typeof (o as Line).text === "string") {
            const r = o as Line;
            const position = r.position === "A" || r.position === "B" ? r.position : chosenPosition;
            const parts = [`output ${i + 1}`];
            if (typeof r.sample === "number") parts.push(`sample ${r.sample + 1}`);
            if (typeof r.attempt === "number" && r.attempt > 0) parts.push(`re-sample ${r.attempt}`);
            out.push({text: r.text as string, position, verdict: typeof r.verdict === "string" ? r.verdict : null, cor: cors[i], label: parts.join(" · ")});
        }
    });
    return out;
}

/** A recorded CoR parse's type and violations, when the field looks like one. */
function recordedCor(value: unknown): {type: SampleRow["type"], violations: unknown[]} | undefined {
    if (value == null || typeof value !== "object" || Array.isArray(value)) return undefined;
    const c = value as {type?: unknown, violations?: unknown};
    if (!Array.isArray(c.violations)) return undefined;
    return {type: c.type === "Reasoning" || c.type === "Chat" ? c.type : null, violations: c.violations};
}

/** The prompt and the two replies of a line, normalised to message lists. */
export interface LinePair {
    prompt: ApiMessage[];
    /** `chosen`/`rejected` for a labelled pair, `first`/`second` for an unlabelled one. */
    replies: ReplyView[];
}

/**
 * The texts of a line: `pair: {prompt, chosen, rejected}` (eval lines), top-level TRL fields, or
 * `first`/`second`. Without an explicit prompt, the turns the two conversations share are the prompt.
 */
export function pairOf(v: Line): LinePair {
    const source = v.pair != null && typeof v.pair === "object" && !Array.isArray(v.pair) ? v.pair as Line : v;
    const labelled = source.chosen != null || source.rejected != null;
    const [k1, k2] = labelled ? ["chosen", "rejected"] : ["first", "second"];
    const a = messagesOf(source[k1], "assistant");
    const b = messagesOf(source[k2], "assistant");
    let prompt = messagesOf(source.prompt ?? source.context_messages, "user");
    let r1 = a;
    let r2 = b;
    if (source.prompt == null && source.context_messages == null && a.length > 1 && b.length > 1) {
        let shared = 0;
        while (shared < a.length - 1 && shared < b.length - 1 && a[shared].role === b[shared].role && a[shared].content === b[shared].content) shared++;
        prompt = a.slice(0, shared);
        r1 = a.slice(shared);
        r2 = b.slice(shared);
    }
    const replies: ReplyView[] = [];
    if (source[k1] != null) replies.push({key: k1, label: labelled ? "Chosen" : "First", messages: r1});
    if (source[k2] != null) replies.push({key: k2, label: labelled ? "Rejected" : "Second", messages: r2});
    return {prompt, replies};
}

function messagesOf(value: unknown, role: string): ApiMessage[] {
    if (typeof value === "string") return [{role, content: value}];
    if (!Array.isArray(value)) return [];
    const out: ApiMessage[] = [];
    for (const m of value) {
        if (typeof m === "string") out.push({role, content: m});
        else if (m != null && typeof m === "object") {
            const r = m as Line;
            out.push({role: typeof r.role === "string" ? r.role : role, content: contentText(r.content)});
        }
    }
    return out;
}

/** Message content as text: a string, or the text parts of an OpenAI-style content list. */
function contentText(content: unknown): string {
    if (typeof content === "string") return content;
    if (Array.isArray(content)) {
        return content.map((p) => (typeof p === "string" ? p : p != null && typeof p === "object" && typeof (p as Line).text === "string" ? (p as Line).text as string : "")).join("");
    }
    return content == null ? "" : JSON.stringify(content);
}

/** Every output of a line as a drawable trace, quotes located in the line's replies; verdicts as recorded, else by the harness rule. */
export function lineTraces(v: Line, pair: LinePair): TraceView[] {
    const keys: [string, string] = pair.replies.length > 0 && pair.replies[0].key === "first" ? ["first", "second"] : ["chosen", "rejected"];
    const parts: QuotablePart[] = [{key: "prompt", messages: pair.prompt}, ...pair.replies.map((r) => ({key: r.key, messages: r.messages}))];
    return outputsOf(v).map((o) => traceView(o.text, {
        position: o.position, replyKeys: keys, parts, cor: o.cor, verdict: o.verdict ?? evalVerdict(o.text),
        label: o.position != null ? `${o.label} · ${keys[0]} shown as ${o.position}` : o.label
    }));
}

/** Fields too large to list beside the sample (they are drawn on their own). */
const DRAWN = new Set(["pair", "prompt", "messages", "chosen", "rejected", "first", "second", "context_messages", "outputs", "output", "cor", "text", "response", "completion"]);

/** The small fields of a line, for the sample's facts table; long values are cut. */
export function lineFields(v: Line): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(v)) {
        if (DRAWN.has(key)) continue;
        const json = JSON.stringify(value);
        out[key] = json != null && json.length > 2000 ? `${json.slice(0, 2000)}… (${json.length} characters)` : value;
    }
    return out;
}
