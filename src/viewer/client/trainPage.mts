// A training run's tabs: one chart per metric of metrics.jsonl, and the sample rollouts of a step
// drawn with their Chain-of-Rubrics traces.
import type {RolloutsResponse, RunDetail} from "../apiTypes.js";
import {enc, getJson, route, runPath} from "./api.mjs";
import {h} from "./dom.mjs";
import {lineChart} from "./charts.mjs";
import {num} from "./format.mjs";
import {renderJudged} from "./trace.mjs";

export function curvesTab(run: RunDetail, params: URLSearchParams): HTMLElement {
    const train = run.train!;
    const smooth = params.get("smooth") === "1";
    const toggle = h("label", null, h("input", {attrs: {type: "checkbox", id: "smooth-toggle", checked: smooth}, on: {
        change: (e: Event) => {
            location.hash = route(runPath(run.id), {tab: "curves", smooth: (e.target as HTMLInputElement).checked ? 1 : null});
        }
    }}), " Smooth (EMA 0.8; raw line faint)");
    return h("div", null,
        h("div", {class: "row"}, h("span", null, `${train.steps} steps`), toggle,
            h("span", {class: "kbd-help"}, "Focus a chart and use ", h("kbd", null, "←"), " ", h("kbd", null, "→"), " to read its values.")),
        train.unreadableCount > 0 ? h("div", {class: "warn-box"}, `${train.unreadableCount} line(s) of metrics.jsonl could not be read: `,
            train.unreadable.map((p) => `line ${p.line}: ${p.message}`).join("; ")) : null,
        h("div", {class: "charts"}, train.series.map((s) => lineChart(s.label, [{name: run.name, points: s.points, className: "line-a"}], {
            smooth: smooth ? 0.8 : 0,
            ...(s.count > s.points.length ? {note: `${s.points.length} of ${s.count} points drawn`} : {})
        }))),
        train.last != null ? h("details", {class: "panel"}, h("summary", null, `Last step (${num(train.last.step as number)})`),
            h("table", null, h("tbody", null, Object.entries(train.last).map(([k, v]) => h("tr", null, h("th", {attrs: {scope: "row"}}, k), h("td", {class: "num"}, typeof v === "number" ? num(v) : String(v))))))) : null);
}

export async function rolloutsTab(run: RunDetail, params: URLSearchParams): Promise<HTMLElement> {
    const steps = run.train!.rolloutSteps;
    const asked = Number(params.get("step"));
    const step = steps.includes(asked) ? asked : steps[steps.length - 1];
    const data = await getJson<RolloutsResponse>(`/api/runs/${enc(run.id)}/rollouts`, {step});
    const at = steps.indexOf(step);
    const go = (s: number) => {
        location.hash = route(runPath(run.id), {tab: "rollouts", step: s});
    };
    const rewards = data.rollouts.map((r) => r.reward).filter((x): x is number => x != null);
    return h("div", null,
        h("div", {class: "row"},
            h("button", {attrs: {type: "button", id: "step-prev", disabled: at <= 0}, on: {click: () => go(steps[at - 1])}}, "← Earlier step"),
            h("label", null, "Step ", h("select", {attrs: {id: "step-select"}, on: {change: (e: Event) => go(Number((e.target as HTMLSelectElement).value))}},
                steps.map((s) => h("option", {attrs: {value: s, selected: s === step}}, String(s))))),
            h("button", {attrs: {type: "button", id: "step-next", disabled: at >= steps.length - 1}, on: {click: () => go(steps[at + 1])}}, "Later step →"),
            h("span", {class: "muted"}, `${data.total} rollout${data.total === 1 ? "" : "s"} at step ${step}${data.total > data.rollouts.length ? ` (first ${data.rollouts.length} shown)` : ""}`,
                rewards.length > 0 ? ` · mean reward ${num(rewards.reduce((a, b) => a + b, 0) / rewards.length)}` : "")),
        data.rollouts.map((r, i) => h("details", {class: "rollout", attrs: {open: i === 0}},
            h("summary", null,
                h("strong", null, `rollout ${r.index + 1}`), " · ",
                r.reward != null ? h("span", {class: `badge ${r.reward > 0 ? "correct" : "wrong"}`}, `reward ${r.reward > 0 ? "+" : ""}${num(r.reward)}`) : null, " ",
                h("span", {class: "badge"}, `verdict ${r.trace.verdict ?? "none"}`), " ",
                r.label != null ? h("span", {class: "muted small"}, `label ${r.label}`) : null,
                h("span", {class: "muted small"}, ` · ${r.trace.text.length} characters`)),
            renderJudged({prompt: r.prompt, replies: r.replies, outputs: [r.trace]}))));
}
