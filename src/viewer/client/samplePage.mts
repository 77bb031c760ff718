// One judged sample: whether the verdict was right, the prompt, both replies and the judge's trace
// with its quotes highlighted in the replies. [ / ] (or p / n) step through the filtered list,
// Escape goes back to it.
import type {SampleDetail} from "../apiTypes.js";
import {enc, filterParams, getJson, route, runPath, samplePath} from "./api.mjs";
import {h} from "./dom.mjs";
import type {Page} from "./main.mjs";
import {renderJudged} from "./trace.mjs";

export async function samplePage(id: string, index: number, params: URLSearchParams): Promise<Page> {
    const filters = filterParams(params);
    const s = await getJson<SampleDetail>(`/api/runs/${enc(id)}/samples/${index}`, filters);
    const r = s.row;
    const back = route(runPath(id), {tab: "samples", ...filters});
    const at = (i: number | null) => (i != null ? route(samplePath(id, i), filters) : null);
    const navLink = (href: string | null, label: string, elId: string) => href != null
        ? h("a", {attrs: {href, id: elId}}, label)
        : h("span", {class: "muted", attrs: {"aria-disabled": "true"}}, label);
    const chosenAt = r.chosenPosition != null ? `the chosen reply was shown as ${r.chosenPosition}` : "the order is not recorded";
    const banner: Record<string, string> = {
        correct: `Correct — verdict ${r.verdict}: the judge preferred the chosen reply (${chosenAt}).`,
        wrong: `Wrong — verdict ${r.verdict}: the judge preferred the rejected reply (${chosenAt}).`,
        tie: "Tie — the judge did not prefer either reply (scores 0.5).",
        error: "Parse error — no verdict could be read from the output (scores 0 under RM-R1's rule).",
        unlabelled: `Verdict ${r.verdict ?? "none"} — this pair has no known better reply.`
    };
    const content = h("div", null,
        h("div", {class: "sample-nav"},
            h("a", {attrs: {href: back, id: "back-to-list"}}, "← Samples"),
            navLink(at(s.prev), "‹ Previous", "sample-prev"),
            navLink(at(s.next), "Next ›", "sample-next"),
            h("span", {class: "muted"}, s.position != null ? `${s.position + 1} of ${s.filtered}${Object.keys(filters).length > 0 ? " (filtered)" : ""}` : "not in the filtered list"),
            h("span", {class: "kbd-help"}, h("kbd", null, "["), " ", h("kbd", null, "]"), " previous / next, ", h("kbd", null, "Esc"), " back to the list")),
        h("h1", null, r.id),
        h("div", {class: "row"},
            r.benchmark != null ? h("span", {class: "badge"}, r.benchmark) : null,
            r.group != null ? h("span", {class: "badge"}, r.group) : null,
            h("span", {class: "muted small"}, `line ${r.line} of samples.jsonl · sample #${r.index}`)),
        h("div", {class: `verdict-banner ${r.result}`, attrs: {role: "status", id: "verdict-banner"}}, banner[r.result]),
        h("details", {class: "panel"}, h("summary", null, "Line fields"),
            h("div", {class: "table-wrap"}, h("table", null, h("tbody", null, Object.entries(s.fields).map(([k, v]) =>
                h("tr", null, h("th", {attrs: {scope: "row"}}, k), h("td", null, h("code", null, typeof v === "string" ? v : JSON.stringify(v))))))))),
        s.replies.length === 0 ? h("p", {class: "muted"}, "The line does not carry the pair's texts (judge lines record ids only), so quotes cannot be located.") : null,
        renderJudged({prompt: s.prompt, replies: s.replies, outputs: s.outputs}));
    const keys = (event: KeyboardEvent) => {
        const target = event.key === "[" || event.key === "p" ? at(s.prev) : event.key === "]" || event.key === "n" ? at(s.next) : event.key === "Escape" ? back : undefined;
        if (target === undefined) return;
        event.preventDefault();
        if (target != null) location.hash = target;
    };
    return {title: r.id, crumbs: [{label: "Runs", href: "#/"}, {label: id, href: back}, {label: `sample ${index}`}], content, keys};
}
