// Two runs side by side: every number both report with its difference, the per-sample agreement of
// two evaluations over the comparisons they share (with the disagreements listed), and overlaid
// training curves.
import type {AgreementClass, AgreementFilter, CompareResponse, CompareSamplesResponse, DiffRow, RunsResponse, SampleResult} from "../apiTypes.js";
import {getJson, route, runPath, samplePath} from "./api.mjs";
import {arrowNavigation, h} from "./dom.mjs";
import type {Child} from "./dom.mjs";
import {lineChart} from "./charts.mjs";
import {delta, num, pct} from "./format.mjs";
import type {Page} from "./main.mjs";

const CLASS_LABELS: Record<AgreementClass, string> = {
    bothCorrect: "both right", onlyACorrect: "only A right", onlyBCorrect: "only B right", bothWrong: "both not right"
};
const RESULT_LABELS: Record<SampleResult, string> = {correct: "correct", wrong: "wrong", tie: "tie", error: "parse error", unlabelled: "unlabelled"};

export async function comparePage(params: URLSearchParams): Promise<Page> {
    const a = params.get("a") ?? "";
    const b = params.get("b") ?? "";
    const runs = await getJson<RunsResponse>("/api/runs");
    const picker = (id: string, label: string, value: string, other: string, key: "a" | "b") => h("label", null, label,
        h("select", {attrs: {id}, on: {change: (e: Event) => {
            location.hash = route("/compare", key === "a" ? {a: (e.target as HTMLSelectElement).value, b: other} : {a: other, b: (e.target as HTMLSelectElement).value});
        }}}, h("option", {attrs: {value: ""}}, "choose a run"),
        runs.runs.filter((r) => r.error == null).map((r) => h("option", {attrs: {value: r.id, selected: r.id === value}}, `${r.id} (${r.kind ?? r.category})`))));
    const form = h("form", {class: "filters", attrs: {"aria-label": "Runs to compare"}, on: {submit: (e: Event) => e.preventDefault()}},
        picker("compare-a", "Run A", a, b, "a"), picker("compare-b", "Run B", b, a, "b"),
        h("button", {attrs: {type: "button", id: "compare-swap"}, on: {click: () => {
            location.hash = route("/compare", {a: b, b: a});
        }}}, "Swap A and B"));
    const crumbs = [{label: "Runs", href: "#/"}, {label: "Compare"}];
    if (a === "" || b === "") return {title: "Compare", crumbs, content: h("div", null, h("h1", null, "Compare two runs"), form)};

    const data = await getJson<CompareResponse>("/api/compare", {a, b});
    const content = h("div", null,
        h("h1", null, `${data.a.name} vs ${data.b.name}`),
        form,
        h("div", {class: "cards"}, [["A", data.a], ["B", data.b]].map(([tag, r]) => {
            const run = r as CompareResponse["a"];
            return h("div", {class: "card"}, h("div", {class: "label"}, `run ${tag as string}`),
                h("div", null, h("a", {attrs: {href: route(runPath(run.id))}}, run.id)),
                h("div", {class: "small muted"}, `${run.kind ?? run.category}${run.model != null ? ` · ${run.model}` : ""}`));
        })),
        data.agreement != null ? await agreement(data, params) : null,
        data.rows.length > 0 ? diffTable(data.rows) : h("p", {class: "muted"}, "The two runs report no numbers in common."),
        data.series.length > 0 ? h("section", null, h("h2", null, "Training curves"),
            h("div", {class: "legend"}, h("span", null, "blue: A"), h("span", null, "orange: B")),
            h("div", {class: "charts"}, data.series.map((s) => lineChart(s.label, [
                ...(s.a != null ? [{name: "A", points: s.a.points, className: "line-a" as const}] : []),
                ...(s.b != null ? [{name: "B", points: s.b.points, className: "line-b" as const}] : [])
            ])))) : null);
    return {title: "Compare", crumbs, content};
}

function diffTable(rows: DiffRow[]): HTMLElement {
    const fmt = (x: number | null, f: DiffRow["format"]) => (f === "pct" ? pct(x) : num(x));
    const body: Child[] = [];
    let section = "";
    for (const r of rows) {
        if (r.section !== section) {
            section = r.section;
            body.push(h("tr", null, h("th", {attrs: {colspan: 4, scope: "colgroup"}}, section)));
        }
        // Coloured only when the difference shows at the printed precision.
        const shown = delta(r.a, r.b, r.format);
        const d = r.a != null && r.b != null && !shown.startsWith("±") ? r.b - r.a : 0;
        body.push(h("tr", null, h("td", null, r.key), h("td", {class: "num"}, fmt(r.a, r.format)), h("td", {class: "num"}, fmt(r.b, r.format)),
            h("td", {class: `num ${d > 0 ? "delta-pos" : d < 0 ? "delta-neg" : ""}`}, shown)));
    }
    return h("section", null, h("h2", null, "Numbers side by side"), h("div", {class: "table-wrap"}, h("table", null,
        h("thead", null, h("tr", null, ["", "A", "B", "B − A"].map((c, i) => h("th", {class: i > 0 ? "num" : "", attrs: {scope: "col"}}, c)))),
        h("tbody", null, body))));
}

async function agreement(data: CompareResponse, params: URLSearchParams): Promise<HTMLElement> {
    const g = data.agreement!;
    // Disagreements first: they are what a comparison is for.
    const cls = (params.get("class") ?? "disagree") as AgreementFilter;
    const page = Math.max(0, Number(params.get("page") ?? 0) || 0);
    const limit = 50;
    const list = await getJson<CompareSamplesResponse>("/api/compare/samples", {a: data.a.id, b: data.b.id, class: cls, offset: page * limit, limit});
    const link = (c: AgreementFilter, p = 0) => route("/compare", {a: data.a.id, b: data.b.id, class: c, page: p > 0 ? p : null});
    const cell = (c: AgreementClass) => h("a", {attrs: {href: link(c), "aria-current": cls === c ? "true" : null}}, `${g[c]} (${pct(g.matched > 0 ? g[c] / g.matched : null)})`);
    const rows = h("ol", {class: "samples cmp", attrs: {"aria-label": "Matched samples"}}, list.rows.map((r) => h("li", null,
        h("a", {class: "cmp-link", attrs: {href: route(samplePath(data.a.id, r.a.index)), title: "open in run A"}},
            h("span", {class: "small muted"}, CLASS_LABELS[r.class]),
            h("span", null, h("span", {class: `badge ${r.a.result}`}, `A ${RESULT_LABELS[r.a.result]}`)),
            h("span", {class: "id"}, r.id),
            h("span", {class: "small"}, r.group ?? ""),
            h("span", null, h("span", {class: `badge ${r.b.result}`}, `B ${RESULT_LABELS[r.b.result]}`)),
            h("span", {class: "small"}, `verdicts ${r.a.verdict ?? "–"} / ${r.b.verdict ?? "–"}`),
            h("span", {class: "preview"}, r.a.preview)))));
    arrowNavigation(rows, "a.cmp-link");
    const pages = Math.max(1, Math.ceil(list.total / limit));
    return h("section", null,
        h("h2", null, "Per-sample agreement"),
        h("p", null, `${g.matched} comparisons in both runs (matched by benchmark and id); ${g.onlyInA} only in A, ${g.onlyInB} only in B. `,
            `Both preferred the same reply in ${g.samePreference} (${pct(g.matched > 0 ? g.samePreference / g.matched : null)}).`),
        h("div", {class: "agree", attrs: {role: "table", "aria-label": "Agreement of A and B"}},
            h("span", {attrs: {role: "columnheader"}}), h("strong", {attrs: {role: "columnheader"}}, "B right"), h("strong", {attrs: {role: "columnheader"}}, "B not right"),
            h("strong", {attrs: {role: "rowheader"}}, "A right"), cell("bothCorrect"), cell("onlyACorrect"),
            h("strong", {attrs: {role: "rowheader"}}, "A not right"), cell("onlyBCorrect"), cell("bothWrong")),
        h("div", {class: "pager"},
            h("a", {attrs: {href: link("disagree"), "aria-current": cls === "disagree" ? "true" : null}}, "disagreements"),
            h("a", {attrs: {href: link("all"), "aria-current": cls === "all" ? "true" : null}}, "all"),
            h("span", {class: "muted"}, `${list.total} listed (${cls === "all" ? "all" : cls === "disagree" ? "exactly one run right" : CLASS_LABELS[cls]}) · page ${page + 1} of ${pages}`),
            page > 0 ? h("a", {attrs: {href: link(cls, page - 1)}}, "← Previous") : null,
            (page + 1) * limit < list.total ? h("a", {attrs: {href: link(cls, page + 1)}}, "Next →") : null),
        list.rows.length > 0 ? rows : null);
}
