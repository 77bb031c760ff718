// A structured parser of Chain-of-Rubrics output (method doc §2.1–2.2): task type, solution, rubric
// items and weights, justify, eval with every quote/summary citation (with offsets for highlighting),
// the final verdict and a list of format violations. The reference parses none of this (only the
// verdict, see extractors.ts); this parser is for inspection, the viewer and the format-aware reward.
//
// Rules (docs/protocol.md has examples):
// - Tags are matched exactly and case-sensitively. Quote/summary contents and `<think>` contents are
//   raw text: tags inside them never count, so a reply that smuggles `<answer>[[B]]</answer>` into a
//   quoted passage cannot win by it. An unclosed quote runs to the end of the output.
// - Reasoning-family output: an output that starts with `<think>` thinks until the first `</think>`
//   (or to the end when unclosed); otherwise everything before the last `</think>` that precedes any
//   `<type>` is thinking (the DeepSeek prompt ends with "<think>\n"). Thinking is never parsed. When thinking is present
//   and no CoR section follows it, only the answer is required.
// - A section tag that cannot nest where it appears closes the open sections implicitly (each an
//   "unclosed" violation); the first of duplicated sections is used, except `<answer>`, where the
//   last one is the verdict.
// - Never throws: any string, including truncated output, gives a result.
import type {Position} from "./types.js";

export interface CorCitation {
    side: Position;
    kind: "quote" | "summary";
    /** The cited text as written, between the tags. */
    text: string;
    /** UTF-16 offsets into the parsed output: `output.slice(start, end) === text`. */
    start: number;
    end: number;
}

export interface CorRubricItem {
    /** The item as written, without its list marker (continuation lines joined by "\n"). */
    text: string;
    /** The weight in percent as written, e.g. 40 for "(40%)"; absent when the item has none. */
    weight?: number;
}

export interface CorResult {
    type: "Reasoning" | "Chat" | null;
    solution: string | null;
    rubric: {text: string, items: CorRubricItem[], justify: string | null} | null;
    eval: {text: string, citations: CorCitation[]} | null;
    /** The final `<answer>[[X]]</answer>` outside any quote/summary (and outside thinking). */
    verdict: Position | null;
    /** Human-readable format problems; [] when well-formed. */
    violations: string[];
    /** Reasoning-family thinking text (before `</think>`), or null when there is none. */
    think: string | null;
}

type SectionTag = "type" | "solution" | "rubric" | "justify" | "eval" | "answer";
type CitationTag = "quote_A" | "quote_B" | "summary_A" | "summary_B";
type Tag = SectionTag | CitationTag | "think";

interface Node {
    tag: SectionTag | CitationTag | "root";
    /** Offset of the opening `<`. */
    open: number;
    innerStart: number;
    innerEnd: number;
    /** Offset just after the closing tag (or innerEnd when unclosed). */
    end: number;
    closed: boolean;
    parent: Node | null;
    children: Node[];
}

const TAG_PATTERN = /<(\/?)(type|solution|rubric|justify|eval|answer|think|quote_A|quote_B|summary_A|summary_B)>/g;
const CITATIONS: readonly string[] = ["quote_A", "quote_B", "summary_A", "summary_B"];

/** Which tags may open inside which section; anything else closes the section implicitly. */
const CHILDREN: Record<Node["tag"], readonly Tag[]> = {
    root: ["type", "solution", "rubric", "justify", "eval", "answer", "quote_A", "quote_B", "summary_A", "summary_B"],
    type: [],
    answer: [],
    solution: ["quote_A", "quote_B", "summary_A", "summary_B"],
    rubric: ["justify", "quote_A", "quote_B", "summary_A", "summary_B"],
    justify: ["quote_A", "quote_B", "summary_A", "summary_B"],
    eval: ["quote_A", "quote_B", "summary_A", "summary_B"],
    quote_A: [], quote_B: [], summary_A: [], summary_B: []
};

/** What may follow the final answer without a violation: whitespace and end-of-turn token text. */
const TRAILER = /^(?:\s|<\|[A-Za-z0-9_]+\|>|<｜[^｜<>]{1,40}｜>|<\/s>)*$/u;

export function parseCor(text: string): CorResult {
    const violations: string[] = [];

    // Thinking: not parsed, so nothing written while thinking counts.
    let think: string | null = null;
    let bodyStart = 0;
    const lead = text.length - text.trimStart().length;
    if (text.startsWith("<think>", lead)) {
        // An explicit block: it ends at the first `</think>`, or runs to the end (truncated).
        const close = text.indexOf("</think>", lead + "<think>".length);
        think = text.slice(lead + "<think>".length, close >= 0 ? close : text.length);
        bodyStart = close >= 0 ? close + "</think>".length : text.length;
        if (close < 0) violations.push("unclosed <think>: the output ends while thinking (truncated?)");
    } else {
        // The DeepSeek-distilled prompt ends with "<think>\n", so outputs hold a `</think>` without the
        // opening tag. The thinking ends at the last `</think>` before any `<type>`: a `</think>` after
        // CoR has started (say, inside a quoted reply) does not end anything.
        const typeAt = text.indexOf("<type>");
        const close = text.lastIndexOf("</think>", typeAt >= 0 ? typeAt - "</think>".length : text.length);
        if (close >= 0) {
            think = text.slice(0, close);
            bodyStart = close + "</think>".length;
        }
    }
    const bodyEnd = text.length;

    const root = parseTree(text, bodyStart, bodyEnd, violations);
    const sections = root.children;
    const first = (tag: SectionTag) => sections.find((n) => n.tag === tag);
    const all = (tag: SectionTag) => sections.filter((n) => n.tag === tag);
    const inner = (n: Node) => text.slice(n.innerStart, n.innerEnd);

    const reasoningFamily = think != null && !sections.some((n) => n.tag !== "answer" && !isCitation(n.tag));

    for (const tag of ["type", "solution", "rubric", "eval"] as const) {
        const count = all(tag).length;
        if (count > 1) violations.push(`duplicated <${tag}> (${count} times); the first one is used`);
    }
    const answers = all("answer");
    if (answers.length > 1) violations.push(`${answers.length} <answer> tags; the last one is the verdict`);

    // Task type.
    let type: CorResult["type"] = null;
    const typeNode = first("type");
    if (typeNode != null) {
        const written = inner(typeNode).trim();
        if (written === "Reasoning" || written === "Chat") type = written;
        else violations.push(`unknown task type ${JSON.stringify(clip(written))}; expected Reasoning or Chat`);
    } else if (!reasoningFamily) violations.push("missing <type>");

    const solutionNode = first("solution");
    const solution = solutionNode != null ? inner(solutionNode).trim() : null;

    // Rubric: its text without the <justify> element, items parsed from that text.
    let rubric: CorResult["rubric"] = null;
    const rubricNode = first("rubric");
    if (rubricNode != null) {
        const justifyNodes = rubricNode.children.filter((n) => n.tag === "justify");
        if (justifyNodes.length > 1) violations.push(`duplicated <justify> (${justifyNodes.length} times); the first one is used`);
        let rubricText = "";
        let at = rubricNode.innerStart;
        for (const j of justifyNodes) {
            rubricText += text.slice(at, j.open);
            at = j.end;
        }
        rubricText += text.slice(at, rubricNode.innerEnd);
        const items = parseRubricItems(rubricText);
        rubric = {text: rubricText.trim(), items, justify: justifyNodes.length > 0 ? inner(justifyNodes[0]).trim() : null};
        checkRubric(rubric, violations);
    }
    if (sections.some((n) => n.tag === "justify")) violations.push("<justify> outside <rubric>");

    // Eval and its citations.
    let evalResult: CorResult["eval"] = null;
    const evalNode = first("eval");
    if (evalNode != null) {
        const citations = evalNode.children.filter((n) => isCitation(n.tag)).map((n) => citation(text, n));
        evalResult = {text: inner(evalNode).trim(), citations};
        if (evalResult.text === "") violations.push("empty <eval>");
        for (const side of ["A", "B"] as const)
            if (!citations.some((c) => c.side === side)) violations.push(`<eval> cites nothing from Chatbot ${side} (no <quote_${side}> or <summary_${side}>)`);
    } else if (!reasoningFamily) violations.push("missing <eval>");
    const strayCitations = countCitationsOutside(root, evalNode);
    if (strayCitations > 0) violations.push(`${strayCitations} quote/summary tag${strayCitations > 1 ? "s" : ""} outside <eval>`);

    // Sections the task type does not call for.
    if (!reasoningFamily) {
        if (type === "Reasoning" && solutionNode == null) violations.push("missing <solution> for a Reasoning task");
        if (type === "Reasoning" && rubricNode != null) violations.push("unexpected <rubric> for a Reasoning task");
        if (type === "Chat" && rubricNode == null) violations.push("missing <rubric> for a Chat task");
        if (type === "Chat" && solutionNode != null) violations.push("unexpected <solution> for a Chat task");
        if (type == null && solutionNode == null && rubricNode == null) violations.push("missing <rubric> or <solution>");
    }

    // Verdict: the last answer element, exactly [[A]] or [[B]] (surrounding whitespace tolerated, flagged).
    let verdict: Position | null = null;
    const answerNode = answers.at(-1);
    if (answerNode == null) violations.push("missing <answer>");
    else {
        const written = inner(answerNode);
        const trimmed = written.trim();
        if (trimmed === "[[A]]" || trimmed === "[[B]]") {
            verdict = trimmed === "[[A]]" ? "A" : "B";
            if (written !== trimmed) violations.push("whitespace inside <answer>; the reference RL reward needs exactly <answer>[[X]]</answer>");
        } else violations.push(`unrecognised answer ${JSON.stringify(clip(written))}; expected [[A]] or [[B]]`);
        if (!answerNode.closed) verdict = null;
        const after = text.slice(answerNode.end, bodyEnd);
        if (!TRAILER.test(after)) violations.push(`text after the final <answer>: ${JSON.stringify(clip(after.trim()))}`);
    }

    // Order: type, then solution/rubric, then eval, then the answer.
    if (!reasoningFamily) checkOrder([typeNode, solutionNode ?? rubricNode, evalNode, answerNode], violations);

    // Free text between sections: the CoR format has none (the reasoning family writes a summary there).
    if (!reasoningFamily) {
        const stray = textOutside(text, root, bodyStart, answerNode?.open ?? bodyEnd);
        if (stray !== "") violations.push(`text outside the sections: ${JSON.stringify(clip(stray))}`);
    }

    return {type, solution, rubric, eval: evalResult, verdict, violations, think};
}

/** Build the section tree of text[start, end), recording unclosed and stray tags. */
function parseTree(text: string, start: number, end: number, violations: string[]): Node {
    const root: Node = {tag: "root", open: start, innerStart: start, innerEnd: end, end, closed: true, parent: null, children: []};
    let top = root;
    const closeImplicitly = (node: Node, at: number) => {
        node.innerEnd = at;
        node.end = at;
        violations.push(`unclosed <${node.tag}>`);
    };
    const pattern = new RegExp(TAG_PATTERN.source, "g");
    pattern.lastIndex = start;
    for (let m = pattern.exec(text); m != null && m.index + m[0].length <= end; m = pattern.exec(text)) {
        const closing = m[1] === "/";
        const tag = m[2] as Tag;
        if (tag === "think") {
            violations.push(`stray <${closing ? "/" : ""}think> outside the thinking`);
            continue;
        }
        if (!closing) {
            while (top !== root && !CHILDREN[top.tag].includes(tag)) {
                closeImplicitly(top, m.index);
                top = top.parent!;
            }
            const node: Node = {tag, open: m.index, innerStart: m.index + m[0].length, innerEnd: end, end, closed: false, parent: top, children: []};
            top.children.push(node);
            if (isCitation(tag)) {
                // Raw content: only the matching closing tag ends it.
                const closeTag = `</${tag}>`;
                const close = text.indexOf(closeTag, node.innerStart);
                if (close < 0 || close + closeTag.length > end) {
                    violations.push(`unclosed <${tag}>: it runs to the end of the output`);
                    break;
                }
                node.innerEnd = close;
                node.end = close + closeTag.length;
                node.closed = true;
                pattern.lastIndex = node.end;
            } else top = node;
            continue;
        }
        let target: Node | null = top;
        while (target != null && target.tag !== tag) target = target.parent;
        if (target == null || target === root) {
            violations.push(`stray </${tag}> without an opening tag`);
            continue;
        }
        while (top !== target) {
            closeImplicitly(top, m.index);
            top = top.parent!;
        }
        target.innerEnd = m.index;
        target.end = m.index + m[0].length;
        target.closed = true;
        top = target.parent!;
    }
    for (let node: Node | null = top; node != null && node !== root; node = node.parent) {
        violations.push(`unclosed <${node.tag}>`);
    }
    return root;
}

/**
 * Rubric items from the rubric text: list lines ("1. …", "- …", "* …", "(a) …") at the shallowest
 * indentation start items; deeper or directly following lines continue them. Without any list line,
 * each line with a percentage is an item. The weight is the first "N%" in the item's first line
 * (or in a later line mentioning "weight").
 */
export function parseRubricItems(rubricText: string): CorRubricItem[] {
    const marker = /^([ \t]*)(?:\*\*)?(?:\d{1,3}[.)]|[-*•+]|\([a-zA-Z0-9]{1,3}\)|[a-zA-Z][.)])[ \t]+(.*)$/;
    const lines = rubricText.split(/\r?\n/);
    const matches = lines.map((line) => marker.exec(line));
    const indents = matches.filter((m) => m != null).map((m) => m![1].length);
    const items: {lines: string[]}[] = [];
    if (indents.length > 0) {
        const minIndent = Math.min(...indents);
        let current: {lines: string[]} | null = null;
        let afterBlank = false;
        for (let i = 0; i < lines.length; i++) {
            const line = lines[i];
            const m = matches[i];
            const blank = line.trim() === "";
            if (m != null && m[1].length === minIndent) {
                current = {lines: [m[2]]};
                items.push(current);
            } else if (!blank) {
                // A paragraph after a blank line at the items' own indentation ends the list item.
                if (current != null && (!afterBlank || indentOf(line) > minIndent)) current.lines.push(line.trim());
                else current = null;
            }
            afterBlank = blank;
        }
    } else {
        for (const line of lines) if (/\d\s*%/.test(line)) items.push({lines: [line.trim()]});
    }
    return items.map(({lines: itemLines}) => {
        const text = itemLines.join("\n").trim();
        const weightLine = percentOf(itemLines[0]) != null ? itemLines[0] : itemLines.find((l) => /weight/i.test(l) && percentOf(l) != null);
        const weight = weightLine != null ? percentOf(weightLine) : undefined;
        return weight != null ? {text, weight} : {text};
    });
}

function percentOf(line: string): number | undefined {
    const m = /(\d{1,3}(?:\.\d+)?)\s*%/.exec(line);
    return m != null ? Number(m[1]) : undefined;
}

function indentOf(line: string): number {
    return line.length - line.trimStart().length;
}

function checkRubric(rubric: NonNullable<CorResult["rubric"]>, violations: string[]): void {
    if (rubric.justify == null) violations.push("missing <justify> inside <rubric>");
    if (rubric.items.length === 0) {
        violations.push("no rubric items found");
        return;
    }
    const weighted = rubric.items.filter((item) => item.weight != null);
    if (weighted.length === 0) {
        violations.push("rubric items have no weights (written as percentages)");
        return;
    }
    const missing = rubric.items.map((item, i) => (item.weight == null ? i + 1 : 0)).filter((i) => i > 0);
    if (missing.length > 0) violations.push(`rubric item${missing.length > 1 ? "s" : ""} ${missing.join(", ")} without a weight`);
    const sum = weighted.reduce((s, item) => s + item.weight!, 0);
    // 33.3% × 3 = 99.9: allow rounding of the written figures.
    if (Math.abs(sum - 100) > 0.5) violations.push(`rubric weights sum to ${Math.round(sum * 100) / 100}%, not 100%`);
}

function checkOrder(nodes: (Node | undefined)[], violations: string[]): void {
    const present = nodes.filter((n): n is Node => n != null);
    for (let i = 1; i < present.length; i++) {
        if (present[i].open < present[i - 1].open)
            violations.push(`wrong order: <${present[i].tag}> comes before <${present[i - 1].tag}>`);
    }
}

/** Non-whitespace text at the top level before `until`, outside every section (joined, for the message). */
function textOutside(text: string, root: Node, start: number, until: number): string {
    const pieces: string[] = [];
    let at = start;
    for (const child of root.children) {
        if (child.open >= until) break;
        pieces.push(text.slice(at, child.open));
        at = child.end;
    }
    if (at < until) pieces.push(text.slice(at, until));
    return pieces.map((p) => p.trim()).filter((p) => p !== "").join(" … ");
}

function countCitationsOutside(root: Node, evalNode: Node | undefined): number {
    let count = 0;
    const visit = (node: Node) => {
        for (const child of node.children) {
            if (child === evalNode) continue;
            if (isCitation(child.tag)) count++;
            else visit(child);
        }
    };
    visit(root);
    return count;
}

function citation(text: string, node: Node): CorCitation {
    const [kind, side] = node.tag.split("_") as ["quote" | "summary", Position];
    return {side, kind, text: text.slice(node.innerStart, node.innerEnd), start: node.innerStart, end: node.innerEnd};
}

function isCitation(tag: string): tag is CitationTag {
    return CITATIONS.includes(tag);
}

function clip(s: string): string {
    const chars = Array.from(s);
    return chars.length > 60 ? chars.slice(0, 60).join("") + "…" : s;
}
