// A renderer for the Markdown that `renderBenchReport` writes (headings, paragraphs, bullet lists,
// pipe tables, **bold** and `code`), straight to DOM nodes. The report is the benchmark layer's own
// paper-layout tables, so the page and report.md never disagree. Sections below `##` start folded.
import {h} from "./dom.mjs";
import type {Child} from "./dom.mjs";

/** Render `markdown`; `##` sections whose title matches `folded` start closed. */
export function renderMarkdown(markdown: string, folded: RegExp = /^$/): HTMLElement {
    const root = h("div", {class: "md"});
    let container: HTMLElement = root;
    let section: HTMLElement = root;
    const lines = markdown.split("\n");
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        const heading = /^(#{1,4})\s+(.*)$/.exec(line);
        if (heading != null) {
            const level = heading[1].length;
            const title = heading[2];
            if (level === 1) {
                root.append(h("h2", null, inline(title)));
                container = section = root;
            } else if (level === 2) {
                const details = h("details", {attrs: {open: !folded.test(title)}}, h("summary", null, inline(title)));
                root.append(details);
                container = section = details;
            } else {
                const details = h("details", null, h("summary", null, inline(title)));
                section.append(details);
                container = details;
            }
            continue;
        }
        if (line.startsWith("|")) {
            const rows: string[] = [];
            while (i < lines.length && lines[i].startsWith("|")) rows.push(lines[i++]);
            i--;
            container.append(table(rows));
            continue;
        }
        if (/^\s*[-*]\s+/.test(line)) {
            const ul = h("ul");
            while (i < lines.length && /^\s*[-*]\s+/.test(lines[i])) ul.append(h("li", null, inline(lines[i++].replace(/^\s*[-*]\s+/, ""))));
            i--;
            container.append(ul);
            continue;
        }
        if (line.trim() === "") continue;
        const para: string[] = [line];
        while (i + 1 < lines.length && lines[i + 1].trim() !== "" && !/^(#|\||\s*[-*]\s)/.test(lines[i + 1])) para.push(lines[++i]);
        container.append(h("p", null, inline(para.join(" "))));
    }
    return root;
}

function cells(row: string): string[] {
    const inner = row.trim().replace(/^\|/, "").replace(/\|$/, "");
    // "\|" inside a cell is a literal bar.
    return inner.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
}

const NUMERIC = /^[–-]?$|^[-+]?\d[\d.,]*\s*(%|\*|pt)?$|^\d+\/\d+$/;

function table(rows: string[]): HTMLElement {
    const header = cells(rows[0]);
    const body = rows.slice(1).filter((r) => !/^\|\s*:?-{3,}/.test(r)).map(cells);
    const numericCol = header.map((_, c) => body.length > 0 && body.every((r) => NUMERIC.test(r[c] ?? "")));
    return h("div", {class: "table-wrap"}, h("table", null,
        h("thead", null, h("tr", null, header.map((c, k) => h("th", {class: numericCol[k] ? "num" : "", attrs: {scope: "col"}}, inline(c))))),
        h("tbody", null, body.map((r) => h("tr", {class: r.slice(0, 2).some((c) => /^\*\*.*\*\*$/.test(c)) ? "this-run" : ""},
            r.map((c, k) => h("td", {class: numericCol[k] ? "num" : ""}, inline(c))))))
    ));
}

/** `**bold**` and `` `code` `` inside a line; everything else is text. */
function inline(text: string): Child[] {
    const out: Child[] = [];
    const pattern = /\*\*(.+?)\*\*|`([^`]+)`/g;
    let at = 0;
    for (let m = pattern.exec(text); m != null; m = pattern.exec(text)) {
        if (m.index > at) out.push(text.slice(at, m.index));
        out.push(m[1] != null ? h("strong", null, m[1]) : h("code", null, m[2]));
        at = m.index + m[0].length;
    }
    if (at < text.length) out.push(text.slice(at));
    return out;
}
