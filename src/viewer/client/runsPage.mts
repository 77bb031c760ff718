// The runs list: kind, model, date and headline numbers of every run folder; pick two to compare.
import type {RunsResponse} from "../apiTypes.js";
import {getJson, route, runPath} from "./api.mjs";
import {arrowNavigation, h} from "./dom.mjs";
import {date, headline} from "./format.mjs";
import type {Page} from "./main.mjs";

export async function runsPage(): Promise<Page> {
    const data = await getJson<RunsResponse>("/api/runs");
    const selected: string[] = [];
    const compare = h("button", {attrs: {type: "button", id: "compare-button", disabled: true}, on: {
        click: () => {
            location.hash = route("/compare", {a: selected[0], b: selected[1]});
        }
    }}, "Compare the two selected runs");
    const status = h("span", {class: "muted", attrs: {"aria-live": "polite"}}, "Select two runs to compare them.");
    const onSelect = (id: string, checked: boolean) => {
        const at = selected.indexOf(id);
        if (checked && at < 0) selected.push(id);
        if (!checked && at >= 0) selected.splice(at, 1);
        compare.disabled = selected.length !== 2;
        status.textContent = selected.length === 2 ? `Compare ${selected[0]} with ${selected[1]}.` : selected.length > 2 ? "Select exactly two runs." : "Select two runs to compare them.";
    };
    const body = h("tbody", null, data.runs.map((r) => h("tr", null,
        h("td", null, r.error == null ? h("input", {attrs: {type: "checkbox", "aria-label": `select ${r.id} for comparison`}, on: {change: (e: Event) => onSelect(r.id, (e.target as HTMLInputElement).checked)}}) : null),
        h("td", null, r.error == null ? h("a", {class: "run-link", attrs: {href: route(runPath(r.id))}}, r.id) : h("span", null, r.id)),
        h("td", null, h("span", {class: "badge kind"}, r.kind ?? r.category)),
        h("td", {class: "small"}, r.model ?? "–"),
        h("td", {class: "small"}, date(r.startedAt ?? r.updatedAt)),
        h("td", null, r.headline.length > 0 ? r.headline.map((x, i) => [i > 0 ? " · " : null, h("span", {class: "muted small"}, `${x.label} `), h("strong", null, headline(x))]) : h("span", {class: "muted"}, "–")),
        h("td", {class: "small"}, r.error != null ? h("span", {class: "badge error", attrs: {title: r.error}}, "cannot be read") : null,
            r.error != null ? h("div", null, r.error) : null,
            r.warnings.map((w) => h("div", {class: "muted"}, w))))));
    const table = h("div", {class: "table-wrap"}, h("table", null,
        h("thead", null, h("tr", null, ["", "Run", "Kind", "Model", "Started", "Headline", "Notes"].map((c) => h("th", {attrs: {scope: "col"}}, c)))),
        body));
    arrowNavigation(body, "a.run-link");
    const content = h("div", null,
        h("h1", null, "Runs"),
        h("p", {class: "muted"}, `${data.runs.length} run folder${data.runs.length === 1 ? "" : "s"} under ${data.root}. `,
            "Up/Down move between runs, Enter opens one."),
        data.runs.length === 0 ? h("p", null, "No runs yet: folders appear here when rmr1 eval, judge or train write a run (run.json, samples.jsonl, metrics.jsonl) under this folder.") : table,
        h("div", {class: "row"}, compare, status));
    return {title: "Runs", crumbs: [{label: "Runs"}], content};
}
