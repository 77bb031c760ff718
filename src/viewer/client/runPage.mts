// One run: its header and, by tab, an evaluation's overview (verdicts, position bias, per-group
// bars), its scores beside the paper (the benchmark layer's report), its sample list (filtered and
// paged by the server), and a training run's curves and rollouts.
import type {EvalSummary, GroupStat, RunDetail, SampleResult, SamplesResponse} from "../apiTypes.js";
import {filterParams, getJson, route, runPath, samplePath, enc} from "./api.mjs";
import {arrowNavigation, h} from "./dom.mjs";
import type {Child} from "./dom.mjs";
import {date, headline, pct} from "./format.mjs";
import type {Page} from "./main.mjs";
import {renderMarkdown} from "./markdown.mjs";
import {curvesTab, rolloutsTab} from "./trainPage.mjs";

type Tab = "overview" | "scores" | "samples" | "curves" | "rollouts" | "info";

const RESULT_LABELS: Record<SampleResult, string> = {correct: "correct", wrong: "wrong", tie: "tie", error: "parse error", unlabelled: "unlabelled"};

export async function runPage(id: string, params: URLSearchParams): Promise<Page> {
    const run = await getJson<RunDetail>(`/api/runs/${enc(id)}`);
    const tabs: [Tab, string][] = [];
    if (run.eval != null) tabs.push(["overview", "Overview"]);
    if (run.eval?.report != null) tabs.push(["scores", "Scores vs paper"]);
    if (run.eval != null) tabs.push(["samples", `Samples (${run.eval.total})`]);
    if (run.train != null && run.train.series.length > 0) tabs.push(["curves", "Curves"]);
    if (run.train != null && run.train.rolloutSteps.length > 0) tabs.push(["rollouts", "Rollouts"]);
    tabs.push(["info", "Run info"]);
    const asked = params.get("tab") as Tab | null;
    const tab: Tab = tabs.some(([t]) => t === asked) ? asked! : tabs[0][0];

    let body: Child;
    if (tab === "overview") body = overview(run, run.eval!);
    else if (tab === "scores") body = scores(run.eval!);
    else if (tab === "samples") body = await samples(run, run.eval!, params);
    else if (tab === "curves") body = curvesTab(run, params);
    else if (tab === "rollouts") body = await rolloutsTab(run, params);
    else body = info(run);

    const content = h("div", null,
        header(run),
        h("nav", {class: "tabs", attrs: {"aria-label": "Run views"}}, tabs.map(([t, label]) =>
            h("a", {attrs: {href: route(runPath(id), {tab: t}), "aria-current": t === tab ? "page" : null, id: `tab-${t}`}}, label))),
        body);
    return {title: run.name, crumbs: [{label: "Runs", href: "#/"}, {label: run.id}], content};
}

function header(run: RunDetail): HTMLElement {
    return h("div", null,
        h("h1", null, run.name),
        h("div", {class: "row"},
            h("span", {class: "badge kind"}, run.kind ?? run.category),
            run.model != null ? h("span", null, h("span", {class: "muted"}, "model "), h("code", null, run.model)) : null,
            h("span", {class: "muted"}, `started ${date(run.startedAt)}`),
            h("span", {class: "muted"}, `updated ${date(run.updatedAt)}`),
            run.headline.map((x) => h("span", null, h("span", {class: "muted"}, `${x.label} `), h("strong", null, headline(x))))),
        run.warnings.length > 0 ? h("div", {class: "warn-box", attrs: {role: "note"}}, h("ul", null, run.warnings.map((w) => h("li", null, w)))) : null);
}

function overview(run: RunDetail, ev: EvalSummary): HTMLElement {
    const labelled = ev.total - ev.results.unlabelled;
    const link = (result: string) => route(runPath(run.id), {tab: "samples", result});
    const card = (label: string, value: string, href?: string) => h("div", {class: "card"},
        h("div", {class: "value"}, href != null ? h("a", {attrs: {href}}, value) : value), h("div", {class: "label"}, label));
    const problems = problemsBox(ev);
    return h("div", null,
        problems,
        h("div", {class: "cards"},
            card("samples", String(ev.total)),
            card("accuracy (labelled)", labelled > 0 ? pct(ev.results.correct / labelled) : "–"),
            card("wrong", String(ev.results.wrong), link("wrong")),
            card("parse errors", String(ev.results.error), link("error")),
            card("ties", String(ev.results.tie), link("tie")),
            card("format issues", String(ev.formatIssues), route(runPath(run.id), {tab: "samples", format: "issues"}))),
        biasPanel(run, ev),
        ev.groups.length > 0 ? groupBars(run, ev.groups) : null);
}

function problemsBox(ev: EvalSummary): HTMLElement | null {
    const items: Child[] = [];
    if (ev.scoreError != null) items.push(h("li", null, ev.scoreError));
    if (ev.unreadableCount > 0) items.push(h("li", null, `${ev.unreadableCount} line${ev.unreadableCount > 1 ? "s" : ""} of samples.jsonl could not be read: `,
        ev.unreadable.map((p) => `line ${p.line}: ${p.message}`).join("; ")));
    if (ev.unscoredCount > 0) items.push(h("li", null, `${ev.unscoredCount} line${ev.unscoredCount > 1 ? "s are" : " is"} not valid benchmark samples: `,
        ev.unscored.slice(0, 5).map((p) => p.message).join("; ")));
    return items.length > 0 ? h("div", {class: "warn-box", attrs: {role: "note"}}, h("ul", null, items)) : null;
}

function biasPanel(run: RunDetail, ev: EvalSummary): HTMLElement {
    const b = ev.bias;
    const barRow = (label: string, value: number | null, detail: string, href?: string) => [
        h("div", {class: "bar-label"}, href != null ? h("a", {attrs: {href}}, label) : label),
        bar(value, []),
        h("div", {class: "bar-value"}, `${pct(value)} ${detail}`)
    ];
    return h("section", {class: "panel", attrs: {"aria-label": "Position bias"}},
        h("h2", null, "Position bias"),
        h("p", {class: "muted small"}, "Accuracy by where the chosen reply was shown, and how often the judge said A. An unbiased judge has equal accuracies and about 50% A verdicts under a random order."),
        h("div", {class: "bars"},
            barRow("chosen shown as A", b.chosenInA.accuracy, `(${b.chosenInA.correct}/${b.chosenInA.n})`, route(runPath(run.id), {tab: "samples", position: "A"})),
            barRow("chosen shown as B", b.chosenInB.accuracy, `(${b.chosenInB.correct}/${b.chosenInB.n})`, route(runPath(run.id), {tab: "samples", position: "B"})),
            barRow("share of A verdicts", b.aShare, `of ${b.verdictsAB}`)),
        h("p", null, b.delta != null ? `Accuracy gap (A − B): ${(100 * b.delta).toFixed(1)} points.` : "Not enough labelled samples in both positions for a gap."));
}

/** A horizontal bar for a fraction, with tick marks for published values. */
function bar(value: number | null, ticks: {value: number, title: string}[]): HTMLElement {
    const fill = h("div", {class: "fill"});
    fill.style.width = `${Math.max(0, Math.min(1, value ?? 0)) * 100}%`;
    const el = h("div", {class: "bar", attrs: {role: "img", "aria-label": `${pct(value)}${ticks.map((t) => `; ${t.title}`).join("")}`}}, fill);
    ticks.forEach((t, i) => {
        const tick = h("div", {class: `tick t${i}`, attrs: {title: t.title}});
        tick.style.left = `calc(${Math.max(0, Math.min(1, t.value)) * 100}% - 1px)`;
        el.append(tick);
    });
    return el;
}

function groupBars(run: RunDetail, groups: GroupStat[]): HTMLElement {
    const released = groups.find((g) => g.released.length > 0)?.released ?? [];
    const measures = [...new Set(groups.map((g) => g.measure))];
    return h("section", {class: "panel", attrs: {"aria-label": "Scores by group"}},
        h("h2", null, "By subset / domain / section"),
        h("div", {class: "legend"},
            h("span", null, h("span", {class: "swatch", attrs: {"aria-hidden": "true"}}), `this run (${measures.join("; ")})`),
            released.map((r, i) => h("span", null, `${i === 0 ? "black" : "purple"} tick: ${r.model} (released)`)),
            h("span", null, "Select a label to list its samples.")),
        h("div", {class: "bars"}, groups.map((g) => [
            h("div", {class: "bar-label"}, h("a", {attrs: {href: route(runPath(run.id), {tab: "samples", group: g.key}), title: g.key}}, `${g.benchmark != null && groups.some((x) => x.benchmark !== g.benchmark) ? `${g.benchmark} · ` : ""}${g.label}`)),
            bar(g.value, g.released.map((r) => ({value: r.value, title: `${r.model}: ${pct(r.value)}`}))),
            h("div", {class: "bar-value"}, `${pct(g.value)} (n=${g.count})`)
        ])));
}

function scores(ev: EvalSummary): HTMLElement {
    return h("div", null,
        problemsBox(ev),
        h("p", {class: "muted"}, `Scores computed from samples.jsonl by the benchmark scorer (error rule ${ev.rules}, RM-Bench mapping ${ev.rmbenchMapping}); `,
            "the published RM-R1 and baseline rows are the paper's tables (method doc §8). Numbers marked * come from partial data."),
        renderMarkdown(ev.report ?? ""));
}

async function samples(run: RunDetail, ev: EvalSummary, params: URLSearchParams): Promise<HTMLElement> {
    const filters = filterParams(params);
    const page = Math.max(0, Number(params.get("page") ?? 0) || 0);
    const limit = 50;
    const data = await getJson<SamplesResponse>(`/api/runs/${enc(run.id)}/samples`, {...filters, offset: page * limit, limit});
    const go = (changes: Record<string, string | number | null>) => {
        const next: Record<string, string | number | null> = {tab: "samples", ...filters, ...changes};
        if (!("page" in changes)) next.page = null;
        location.hash = route(runPath(run.id), next);
    };
    const select = (id: string, label: string, key: string, options: [string, string][]) => h("label", null, label,
        h("select", {attrs: {id}, on: {change: (e: Event) => go({[key]: (e.target as HTMLSelectElement).value})}},
            options.map(([value, text]) => h("option", {attrs: {value, selected: (filters[key] ?? "") === value}}, text))));
    const search = h("input", {attrs: {type: "search", id: "filter-q", value: filters.q ?? "", placeholder: "id or prompt text"}});
    const form = h("form", {class: "filters", attrs: {role: "search", "aria-label": "Filter samples"}, on: {submit: (e: Event) => {
        e.preventDefault();
        go({q: search.value});
    }}},
    select("filter-result", "Result", "result", [["", "all"], ...(Object.keys(RESULT_LABELS) as SampleResult[]).filter((r) => ev.results[r] > 0 || filters.result === r).map((r): [string, string] => [r, `${RESULT_LABELS[r]} (${ev.results[r]})`])]),
    ev.groups.length > 0 ? select("filter-group", "Subset / domain", "group", [["", "all"], ...ev.groups.map((g): [string, string] => [g.key, `${g.key} (${g.count})`])]) : null,
    ev.benchmarks.length > 1 ? select("filter-benchmark", "Benchmark", "benchmark", [["", "all"], ...ev.benchmarks.map((b): [string, string] => [b, b])]) : null,
    select("filter-position", "Chosen shown as", "position", [["", "A or B"], ["A", "A"], ["B", "B"]]),
    select("filter-format", "Trace format", "format", [["", "any"], ["issues", "with format issues"], ["clean", "well-formed"]]),
    h("label", null, "Search", search),
    h("button", {attrs: {type: "submit"}}, "Search"),
    Object.keys(filters).length > 0 ? h("button", {attrs: {type: "button", id: "filter-clear"}, on: {click: () => {
        location.hash = route(runPath(run.id), {tab: "samples"});
    }}}, "Clear filters") : null);

    const first = data.total === 0 ? 0 : data.offset + 1;
    const last = data.offset + data.rows.length;
    const pages = Math.max(1, Math.ceil(data.total / limit));
    const list = h("ol", {class: "samples", attrs: {"aria-label": "Samples", start: first}}, data.rows.map((r) => h("li", null,
        h("a", {class: "sample-link", attrs: {href: route(samplePath(run.id, r.index), filters), "data-index": r.index}},
            h("span", {class: "muted small"}, `#${r.index}`),
            h("span", null, h("span", {class: `badge ${r.result}`}, RESULT_LABELS[r.result])),
            h("span", {class: "id", attrs: {title: r.id}}, r.id),
            h("span", {class: "small"}, r.group ?? ""),
            h("span", {class: "small"}, r.chosenPosition != null ? `chosen in ${r.chosenPosition}` : ""),
            h("span", {class: "small"}, r.verdict != null ? `verdict ${r.verdict}` : "", r.violations > 0 ? h("span", {class: "muted", attrs: {title: `${r.violations} format issues`}}, " ⚠") : null),
            h("span", {class: "preview"}, r.preview)))));
    arrowNavigation(list, "a.sample-link");
    const pager = h("div", {class: "pager"},
        h("button", {attrs: {type: "button", id: "page-prev", disabled: page === 0}, on: {click: () => go({page: page - 1})}}, "← Previous"),
        h("span", {attrs: {"aria-live": "polite"}}, data.total === 0 ? "No samples match." : `${first}–${last} of ${data.total}${data.total !== data.all ? ` (filtered from ${data.all})` : ""} · page ${page + 1} of ${pages}`),
        h("button", {attrs: {type: "button", id: "page-next", disabled: last >= data.total}, on: {click: () => go({page: page + 1})}}, "Next →"));
    return h("div", null, form, pager, data.rows.length > 0 ? list : null,
        h("p", {class: "kbd-help"}, h("kbd", null, "↑"), " ", h("kbd", null, "↓"), " move through the list, ", h("kbd", null, "Enter"), " opens a sample."));
}

function info(run: RunDetail): HTMLElement {
    return h("div", null,
        h("p", null, "Files: ", run.files.map((f, i) => [i > 0 ? ", " : null, h("code", null, f)])),
        run.info != null ? h("section", {class: "panel"}, h("h2", null, "run.json"), h("pre", null, JSON.stringify(run.info, null, 2))) : null,
        run.scoresFile != null ? h("section", {class: "panel"}, h("h2", null, "scores.json"), h("pre", null, JSON.stringify(run.scoresFile, null, 2))) : null);
}
