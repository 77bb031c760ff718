// A judge output made ready to draw: its Chain-of-Rubrics sections (`parseCor`), where its
// evaluation sits in the text, and for every quote where it is in the reply it cites, so the page
// can link each quote to a highlight in that reply.
//
// Judges rarely quote byte for byte: they drop markdown emphasis, re-flow whitespace, change
// quotation marks, and elide with "..." . A quote is looked up exactly first, then after the same
// normalisation of both texts (case, whitespace runs, quote and dash forms, markdown `*_\``), then
// fragment by fragment around ellipses. What could not be found is said so (`match: "none"`).
import {parseCor} from "../protocol/parseCor.js";
import type {CorResult} from "../protocol/parseCor.js";
import type {ApiMessage, CitationView, CorView, TextRange, TraceView} from "./apiTypes.js";

/** A part of the sample that quotes may point into (the prompt or one reply). */
export interface QuotablePart {
    key: string;
    messages: readonly ApiMessage[];
}

/** What `traceView` needs besides the output text. */
export interface TraceContext {
    /** Where the chosen (or first) reply sat for this output. */
    position: "A" | "B" | null;
    /** Reply keys in the order (chosen, rejected) or (first, second); null entries when unknown. */
    replyKeys: [string, string];
    /** The replies and the prompt, for locating quotes. Missing keys: the texts are not in the line. */
    parts: readonly QuotablePart[];
    /** A recorded parse of `text` (from the line's `cor`); re-parsed when absent or not for this text. */
    cor?: unknown;
    /** The verdict recorded for this output. */
    verdict?: string | null;
    label: string;
}

/** Build the drawable view of one output. */
export function traceView(text: string, context: TraceContext): TraceView {
    const cor = usableCor(context.cor, text) ?? parseCor(text);
    const [first, second] = context.replyKeys;
    const sides = context.position == null
        ? {A: null, B: null}
        : context.position === "A" ? {A: first, B: second} : {A: second, B: first};
    const byKey = new Map(context.parts.map((p) => [p.key, p]));
    const prompt = byKey.get("prompt");
    const citations: CitationView[] = (cor.eval?.citations ?? []).map((c) => {
        const target = sides[c.side];
        const reply = target != null ? byKey.get(target) : undefined;
        if (c.kind === "summary" || reply == null) {
            return {...c, target: reply != null ? target : null, match: reply != null ? "summary" : "none", ranges: []};
        }
        // A quote is looked for in the reply it cites, then (multi-turn judges quote the shared turns) in the prompt.
        let found = locateQuote(reply, c.text);
        if (found.match === "none" && prompt != null) found = locateQuote(prompt, c.text);
        return {...c, target, match: found.match, ranges: found.ranges};
    });
    return {
        text,
        position: context.position,
        sides,
        verdict: context.verdict ?? cor.verdict,
        cor: corView(cor),
        evalRange: evalRange(text, cor),
        citations,
        label: context.label
    };
}

function corView(cor: CorResult): CorView {
    return {
        type: cor.type,
        solution: cor.solution,
        rubric: cor.rubric,
        eval: cor.eval != null ? {text: cor.eval.text, citations: []} : null,
        verdict: cor.verdict,
        violations: cor.violations,
        think: cor.think
    };
}

/** A recorded `cor` is used when it is a parse of this very text (its citations slice back to their text). */
function usableCor(value: unknown, text: string): CorResult | undefined {
    if (value == null || typeof value !== "object" || Array.isArray(value)) return undefined;
    const c = value as Partial<CorResult>;
    if (!Array.isArray(c.violations) || !("verdict" in c)) return undefined;
    const citations = c.eval?.citations;
    if (c.eval != null && !Array.isArray(citations)) return undefined;
    for (const q of citations ?? []) {
        if (typeof q?.start !== "number" || typeof q.end !== "number" || text.slice(q.start, q.end) !== q.text) return undefined;
    }
    return {
        type: c.type === "Reasoning" || c.type === "Chat" ? c.type : null,
        solution: typeof c.solution === "string" ? c.solution : null,
        rubric: c.rubric ?? null,
        eval: c.eval ?? null,
        verdict: c.verdict === "A" || c.verdict === "B" ? c.verdict : null,
        violations: c.violations.map(String),
        think: typeof c.think === "string" ? c.think : null
    };
}

/**
 * Offsets of the evaluation's (trimmed) text in the output: the occurrence of `eval.text` that
 * contains every citation (a quote may repeat words of the evaluation, so the first match is not enough).
 */
function evalRange(text: string, cor: CorResult): {start: number, end: number} | null {
    const e = cor.eval;
    if (e == null || e.text === "") return null;
    const cites = e.citations;
    if (cites.length === 0) {
        // The section follows `<eval>`; look after the last such tag before the text.
        const at = text.indexOf(e.text, Math.max(0, text.indexOf("<eval>")));
        return at >= 0 ? {start: at, end: at + e.text.length} : null;
    }
    const first = Math.min(...cites.map((c) => c.start));
    const last = Math.max(...cites.map((c) => c.end));
    for (let at = text.lastIndexOf(e.text, first); at >= 0; at = text.lastIndexOf(e.text, at - 1)) {
        if (at + e.text.length >= last) return {start: at, end: at + e.text.length};
        if (at === 0) break;
    }
    return null;
}

/** Where `quote` occurs in the messages of `part`: whole (exact or normalised), in fragments, or not at all. */
export function locateQuote(part: QuotablePart, quote: string): {match: CitationView["match"], ranges: TextRange[]} {
    const q = stripWrapping(quote);
    if (q === "") return {match: "none", ranges: []};
    for (let m = 0; m < part.messages.length; m++) {
        const at = part.messages[m].content.indexOf(q);
        if (at >= 0) return {match: "exact", ranges: [{part: part.key, message: m, start: at, end: at + q.length}]};
    }
    const normalised = part.messages.map((msg) => normalise(msg.content));
    const whole = findNormalised(normalised, normalise(q).text, part.key);
    if (whole != null) return {match: "normalized", ranges: [whole]};
    // Fragments around ellipses ("first part ... later part"), each at least 8 normalised characters.
    const fragments = q.split(/\s*(?:\.{3,}|…|\[\s*(?:\.{3}|…)\s*\])\s*/).map((f) => normalise(f).text).filter((f) => f.length >= 8);
    if (fragments.length > 1 || (fragments.length === 1 && fragments[0].length < normalise(q).text.length)) {
        const ranges = fragments.map((f) => findNormalised(normalised, f, part.key)).filter((r): r is TextRange => r != null);
        if (ranges.length > 0) return {match: "partial", ranges};
    }
    return {match: "none", ranges: []};
}

function findNormalised(messages: readonly Normalised[], needle: string, key: string): TextRange | null {
    if (needle === "") return null;
    for (let m = 0; m < messages.length; m++) {
        const at = messages[m].text.indexOf(needle);
        if (at >= 0) {
            const map = messages[m].map;
            return {part: key, message: m, start: map[at], end: map[at + needle.length - 1] + 1};
        }
    }
    return null;
}

interface Normalised {
    text: string;
    /** map[i]: offset in the original text of normalised character i. */
    map: number[];
}

const EQUIVALENT: Record<string, string> = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "",
    "\u201c": "\"", "\u201d": "\"", "\u201e": "\"", "\u2033": "\"",
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "*": "", "_": ""
};

/** Lower case, one space for any whitespace run, one form of quotes and dashes, no markdown emphasis. */
function normalise(s: string): Normalised {
    let text = "";
    const map: number[] = [];
    let space = false;
    for (let i = 0; i < s.length; i++) {
        let ch = s[i];
        if (ch in EQUIVALENT) ch = EQUIVALENT[ch];
        if (ch === "") continue;
        if (/\s/.test(ch)) {
            if (!space && text !== "") {
                text += " ";
                map.push(i);
            }
            space = true;
            continue;
        }
        space = false;
        const lower = ch.toLowerCase();
        // toLowerCase keeps UTF-16 length for everything but a few characters; map each unit to i.
        for (let k = 0; k < lower.length; k++) map.push(i);
        text += lower;
    }
    if (text.endsWith(" ")) {
        text = text.slice(0, -1);
        map.pop();
    }
    return {text, map};
}

/** Quotes are often wrapped in quotation marks or whitespace the reply does not have. */
function stripWrapping(quote: string): string {
    let q = quote.trim();
    const pairs: [string, string][] = [["\"", "\""], ["\u201c", "\u201d"], ["'", "'"], ["\u2018", "\u2019"]];
    for (const [open, close] of pairs) {
        if (q.length >= 2 && q.startsWith(open) && q.endsWith(close)) {
            q = q.slice(open.length, q.length - close.length).trim();
            break;
        }
    }
    return q;
}
