// A judged pair drawn with its Chain-of-Rubrics trace: the prompt, both replies (each labelled with
// the position it was shown at), and the trace section by section — task type, rubric items with
// their weights and the justification, the solution, the evaluation with every quote and summary
// as a link to its highlight in the reply it cites, the verdict and any format violations.
import type {ApiMessage, CitationView, ReplyView, TraceView} from "../apiTypes.js";
import {h, replace} from "./dom.mjs";
import type {Child} from "./dom.mjs";

export interface JudgedSample {
    prompt: ApiMessage[];
    replies: ReplyView[];
    outputs: TraceView[];
}

let counter = 0;

/** The prompt, the replies and the traces; with several outputs a switch picks the one shown. */
export function renderJudged(sample: JudgedSample): HTMLElement {
    const uid = `t${++counter}`;
    const root = h("div", {class: "judged"});
    let current = 0;
    const draw = () => {
        const output = sample.outputs[current];
        replace(root,
            sample.outputs.length > 1 ? outputSwitch(sample.outputs, current, (i) => {
                current = i;
                draw();
                root.querySelector<HTMLElement>(".output-switch [aria-pressed=true]")?.focus();
            }) : null,
            sample.prompt.length > 0 ? h("section", {class: "panel", attrs: {"aria-label": "Prompt"}},
                h("h3", null, "Prompt"), messages(sample.prompt, "prompt", output, uid)) : null,
            sample.replies.length > 0 ? h("div", {class: "replies"}, byPosition(sample.replies, output).map((r) => replyCard(r, output, uid))) : null,
            output != null ? traceSection(output, uid, sample.replies) : h("p", {class: "muted"}, "This line records no judge output."),
        );
    };
    draw();
    return root;
}

function outputSwitch(outputs: TraceView[], current: number, pick: (i: number) => void): HTMLElement {
    return h("div", {class: "row output-switch", attrs: {role: "group", "aria-label": "Judge outputs"}},
        h("span", {class: "muted"}, `${outputs.length} outputs:`),
        outputs.map((o, i) => h("button", {attrs: {type: "button", "aria-pressed": i === current}, on: {click: () => pick(i)}},
            `${o.label} → ${o.verdict ?? "no verdict"}`)));
}

/** The replies in the order the judge saw them (A on the left), so the trace reads against the page. */
function byPosition(replies: ReplyView[], output: TraceView | undefined): ReplyView[] {
    const rank = (r: ReplyView) => {
        const side = sideOf(output, r.key);
        return side === "A" ? 0 : side === "B" ? 1 : 2;
    };
    return [...replies].sort((x, y) => rank(x) - rank(y));
}

/** Which position showed this reply in this output. */
function sideOf(output: TraceView | undefined, key: string): "A" | "B" | null {
    if (output == null) return null;
    return output.sides.A === key ? "A" : output.sides.B === key ? "B" : null;
}

function replyCard(reply: ReplyView, output: TraceView | undefined, uid: string): HTMLElement {
    const side = sideOf(output, reply.key);
    return h("section", {class: `reply${side != null ? ` side-${side}` : ""}`, attrs: {id: `${uid}-reply-${reply.key}`, tabindex: -1, "aria-label": `${reply.label} reply`}},
        h("h3", null, reply.label, side != null ? h("span", {class: "badge"}, `shown as ${side}`) : null),
        messages(reply.messages, reply.key, output, uid));
}

/** Messages of one part, with the quotes of `output` that point into them highlighted. */
function messages(list: ApiMessage[], part: string, output: TraceView | undefined, uid: string): HTMLElement {
    return h("div", null, list.map((m, k) => h("div", {class: "msg"},
        list.length > 1 || part === "prompt" ? h("div", {class: "role"}, m.role) : null,
        h("div", {class: "text"}, highlighted(m.content, rangesIn(output, part, k), uid)))));
}

interface Mark {
    start: number;
    end: number;
    cite: number;
    side: "A" | "B";
    first: boolean;
}

function rangesIn(output: TraceView | undefined, part: string, message: number): Mark[] {
    const out: Mark[] = [];
    output?.citations.forEach((c, i) => c.ranges.forEach((r, j) => {
        if (r.part === part && r.message === message && r.end > r.start) out.push({start: r.start, end: r.end, cite: i, side: c.side, first: j === 0});
    }));
    return out;
}

/** Text with marks: boundaries of every range split it, each piece marked by the ranges covering it. */
function highlighted(text: string, marks: Mark[], uid: string): Child[] {
    if (marks.length === 0) return [text];
    const cuts = [...new Set([0, text.length, ...marks.flatMap((m) => [m.start, m.end])])].sort((a, b) => a - b);
    const out: Child[] = [];
    const anchored = new Set<number>();
    for (let i = 0; i + 1 < cuts.length; i++) {
        const [a, b] = [cuts[i], cuts[i + 1]];
        const piece = text.slice(a, b);
        const covering = marks.filter((m) => m.start <= a && m.end >= b);
        if (covering.length === 0) {
            out.push(piece);
            continue;
        }
        const main = covering[0];
        const first = covering.find((m) => m.first && m.start === a && !anchored.has(m.cite));
        if (first != null) anchored.add(first.cite);
        out.push(h("mark", {
            class: `q side-${main.side}`,
            attrs: {
                "data-cites": covering.map((m) => m.cite).join(" "),
                id: first != null ? `${uid}-mark-${first.cite}` : null,
                tabindex: first != null ? -1 : null,
                title: `quoted by the evaluation (Chatbot ${main.side})`
            },
            on: {
                click: () => activate(uid, covering.map((m) => m.cite), {focusCitation: true}),
                // Enter or Escape on a highlight goes back to the quote in the evaluation.
                keydown: (event: KeyboardEvent) => {
                    if (event.key !== "Enter" && event.key !== "Escape") return;
                    event.preventDefault();
                    activate(uid, covering.map((m) => m.cite), {focusCitation: true});
                }
            }
        }, piece));
    }
    return out;
}

function traceSection(output: TraceView, uid: string, replies: ReplyView[]): HTMLElement {
    const cor = output.cor;
    const labelOf = (side: "A" | "B") => {
        const key = output.sides[side];
        if (key === "chosen" || key === "rejected" || key === "first" || key === "second") return `the ${key} reply`;
        return replies.find((r) => r.key === key)?.label ?? key;
    };
    const sections: Child[] = [];
    sections.push(h("div", {class: "row"},
        h("span", {class: `badge type-${cor.type ?? "none"}`, attrs: {title: "task type (<type>)"}}, cor.type != null ? `${cor.type} task` : "no task type"),
        h("span", {class: "badge"}, `verdict ${output.verdict ?? "none"}`),
        cor.violations.length > 0 ? h("span", {class: "badge error"}, `${cor.violations.length} format issue${cor.violations.length > 1 ? "s" : ""}`) : h("span", {class: "badge correct"}, "well-formed"),
        h("span", {class: "muted small"}, output.label)));
    if (cor.think != null) {
        sections.push(h("details", {class: "sec"}, h("summary", null, `Thinking (${cor.think.length} characters)`), h("div", {class: "text"}, cor.think)));
    }
    if (cor.rubric != null) {
        const items = cor.rubric.items;
        sections.push(h("section", {class: "sec rubric"}, h("h4", null, "Rubric"),
            items.length > 0
                ? h("ol", {class: "rubric-items"}, items.map((item) => h("li", null, h("span", {class: "text"}, item.text),
                    item.weight != null ? h("span", {class: "weight", attrs: {"aria-label": `weight ${item.weight}%`}},
                        h("span", {class: "w"}), `${item.weight}%`) : null)))
                : h("div", {class: "text"}, cor.rubric.text),
            cor.rubric.justify != null ? h("div", null, h("h4", null, "Justification"), h("div", {class: "text"}, cor.rubric.justify)) : null));
    }
    if (cor.solution != null) sections.push(h("section", {class: "sec solution"}, h("h4", null, "Solution (the judge's own)"), h("div", {class: "text"}, cor.solution)));
    if (cor.eval != null) sections.push(h("section", {class: "sec eval"}, h("h4", null, "Evaluation"), evalText(output, uid, labelOf)));
    const verdictText = output.verdict === "A" || output.verdict === "B"
        ? `${output.verdict}: prefers ${labelOf(output.verdict) ?? `the reply shown as ${output.verdict}`}`
        : output.verdict === "error" || output.verdict == null ? "no verdict could be read" : output.verdict;
    sections.push(h("section", {class: "sec answer"}, h("h4", null, "Verdict"), h("div", null, verdictText),
        cor.violations.length > 0 ? h("ul", {class: "violations"}, cor.violations.map((v) => h("li", null, v))) : null));
    sections.push(h("details", {class: "sec"}, h("summary", null, "Raw output"), h("pre", null, output.text)));
    const section = h("section", {class: "panel trace", attrs: {"aria-label": "Judge trace"}}, h("h3", null, "Judge trace"), sections);
    // Weight bars: widths set through CSSOM (the CSP forbids inline style attributes).
    section.querySelectorAll<HTMLElement>(".weight").forEach((el, i) => {
        const w = cor.rubric?.items.filter((item) => item.weight != null)[i]?.weight ?? 0;
        el.querySelector<HTMLElement>(".w")!.style.width = `${Math.min(200, Math.max(2, w * 2))}px`;
    });
    return section;
}

/** The evaluation text in place, every citation a link to its highlight (or to the whole reply for a summary). */
function evalText(output: TraceView, uid: string, labelOf: (side: "A" | "B") => string | null): HTMLElement {
    const box = h("div", {class: "text"});
    const range = output.evalRange;
    const cites = output.citations.map((c, i) => ({c, i})).sort((x, y) => x.c.start - y.c.start);
    if (range == null) {
        box.append(output.cor.eval?.text ?? "");
        return box;
    }
    let at = range.start;
    const plain = (s: string) => s.replace(/<\/?(?:quote|summary)_[AB]>/g, "");
    for (const {c, i} of cites) {
        if (c.start < at || c.end > range.end + 200) continue;
        box.append(plain(output.text.slice(at, c.start)));
        box.append(citationLink(c, i, uid, labelOf));
        at = c.end;
    }
    box.append(plain(output.text.slice(at, range.end)));
    return box;
}

function citationLink(c: CitationView, i: number, uid: string, labelOf: (side: "A" | "B") => string | null): HTMLElement {
    const target = c.kind === "summary" || c.ranges.length === 0 ? `${uid}-reply-${c.target ?? ""}` : `${uid}-mark-${i}`;
    const where = labelOf(c.side) ?? `the reply shown as ${c.side}`;
    const title = c.kind === "summary" ? `summary of ${where} (Chatbot ${c.side})`
        : c.match === "none" ? `quote from Chatbot ${c.side}: not found in ${where}`
            : c.match === "partial" ? `quote from Chatbot ${c.side}: found in parts in ${where}`
                : `quote from Chatbot ${c.side} (${where})${c.match === "normalized" ? ", found after normalising spacing/case" : ""}`;
    return h("a", {
        class: `cite side-${c.side} ${c.kind} ${c.match}`,
        attrs: {href: `#${target}`, id: `${uid}-cite-${i}`, "data-cite": i, title, "aria-label": `${title}: ${c.text}`},
        on: {
            click: (event: MouseEvent) => {
                event.preventDefault();
                activate(uid, [i], {scroll: true, target: c.target});
            },
            mouseenter: () => hover(uid, [i], true),
            mouseleave: () => hover(uid, [i], false)
        }
    }, h("span", {class: "cite-tag", attrs: {"aria-hidden": "true"}}, `${c.kind === "quote" ? "Q" : "S"}${c.side}`), c.text);
}

function hover(uid: string, cites: number[], on: boolean): void {
    const scope = document.getElementById(`${uid}-cite-${cites[0]}`)?.closest(".judged");
    if (scope == null) return;
    for (const m of scope.querySelectorAll<HTMLElement>("mark[data-cites]")) {
        if (m.dataset.cites!.split(" ").some((c) => cites.includes(Number(c)))) m.classList.toggle("hover", on);
    }
}

/** Highlight citations `cites` and their marks; move the focus to the reply (from a link) or back to the link (from a mark). */
function activate(uid: string, cites: number[], options: {scroll?: boolean, focusCitation?: boolean, target?: string | null}): void {
    const scope = document.getElementById(`${uid}-cite-${cites[0]}`)?.closest(".judged") ?? document;
    scope.querySelectorAll(".active").forEach((el) => el.classList.remove("active"));
    const marks = [...scope.querySelectorAll<HTMLElement>("mark[data-cites]")].filter((m) => m.dataset.cites!.split(" ").some((c) => cites.includes(Number(c))));
    marks.forEach((m) => m.classList.add("active"));
    const links = cites.map((i) => document.getElementById(`${uid}-cite-${i}`)).filter((el): el is HTMLElement => el != null);
    links.forEach((l) => l.classList.add("active"));
    if (options.focusCitation === true) {
        links[0]?.focus();
        links[0]?.scrollIntoView({block: "center", behavior: "smooth"});
        return;
    }
    const first = document.getElementById(`${uid}-mark-${cites[0]}`);
    if (first != null) {
        first.scrollIntoView({block: "center", behavior: "smooth"});
        first.focus({preventScroll: true});
        return;
    }
    // A summary (or a quote that was not found) points at the reply as a whole.
    const reply = options.target != null ? document.getElementById(`${uid}-reply-${options.target}`) : null;
    if (reply != null) {
        reply.classList.add("flash");
        reply.scrollIntoView({block: "nearest", behavior: "smooth"});
        reply.focus({preventScroll: true});
        setTimeout(() => reply.classList.remove("flash"), 1500);
    }
}
