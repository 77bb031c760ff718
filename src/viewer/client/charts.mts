// Line charts drawn as SVG by hand (no chart library): one metric over training steps, for one run
// or two (compare). A chart is focusable; Left/Right/Home/End move a cursor whose values are read
// out in text (and announced), and so does the mouse.
import {h, s} from "./dom.mjs";
import {num} from "./format.mjs";

export interface ChartLine {
    name: string;
    points: [number, number][];
    /** `line-a` (blue) or `line-b` (orange). */
    className: "line-a" | "line-b";
}

export interface ChartOptions {
    /** EMA weight of the previous value (0 = raw only). Defaults to 0. */
    smooth?: number;
    /** A note beside the title (e.g. "thinned from 4000 steps"). */
    note?: string;
}

const W = 360, H = 170, L = 58, R = 10, T = 10, B = 24;

export function lineChart(title: string, lines: ChartLine[], options: ChartOptions = {}): HTMLElement {
    const drawn = lines.filter((l) => l.points.length > 0);
    const xs = drawn.flatMap((l) => l.points.map((p) => p[0]));
    const ys = drawn.flatMap((l) => l.points.map((p) => p[1]));
    const readout = h("div", {class: "readout", attrs: {"aria-live": "polite"}});
    const lastText = drawn.map((l) => `${drawn.length > 1 ? `${l.name} ` : ""}${num(l.points[l.points.length - 1][1])}`).join(" · ");
    const box = h("div", {class: "chart"}, h("h3", null, h("span", null, title), h("span", {class: "muted small"}, lastText)));
    if (xs.length === 0) {
        box.append(h("p", {class: "muted"}, "no points"));
        return box;
    }
    let x0 = Math.min(...xs), x1 = Math.max(...xs);
    if (x0 === x1) {
        x0 -= 1;
        x1 += 1;
    }
    let y0 = Math.min(...ys), y1 = Math.max(...ys);
    if (y0 === y1) {
        const pad = y0 === 0 ? 1 : Math.abs(y0) * 0.1;
        y0 -= pad;
        y1 += pad;
    } else {
        const pad = (y1 - y0) * 0.05;
        y0 -= pad;
        y1 += pad;
    }
    const px = (x: number) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
    const py = (y: number) => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);
    const path = (points: [number, number][]) => points.map((p, i) => `${i === 0 ? "M" : "L"}${px(p[0]).toFixed(1)} ${py(p[1]).toFixed(1)}`).join(" ");

    const svg = s("svg", {attrs: {viewBox: `0 0 ${W} ${H}`, role: "img", tabindex: 0,
        "aria-label": `${title}: ${drawn.map((l) => `${l.name} from ${num(l.points[0][1])} at step ${l.points[0][0]} to ${num(l.points[l.points.length - 1][1])} at step ${l.points[l.points.length - 1][0]}`).join("; ")}. Use the arrow keys to read values.`}});
    for (const f of [0, 0.5, 1]) {
        const y = y0 + f * (y1 - y0);
        svg.append(s("line", {class: "grid", attrs: {x1: L, x2: W - R, y1: py(y), y2: py(y)}}));
        svg.append(s("text", {class: "axis-label", attrs: {x: L - 4, y: py(y) + 3, "text-anchor": "end"}}, tick(y, y1 - y0)));
    }
    svg.append(s("text", {class: "axis-label", attrs: {x: L, y: H - 6}}, `step ${num(x0)}`));
    svg.append(s("text", {class: "axis-label", attrs: {x: W - R, y: H - 6, "text-anchor": "end"}}, `${num(x1)}`));
    const smooth = options.smooth ?? 0;
    for (const l of drawn) {
        if (smooth > 0 && l.points.length > 2) {
            svg.append(s("path", {class: `${l.className} raw`, attrs: {d: path(l.points)}}));
            svg.append(s("path", {class: l.className, attrs: {d: path(ema(l.points, smooth))}}));
        } else {
            svg.append(s("path", {class: l.className, attrs: {d: path(l.points)}}));
        }
    }
    const cursor = s("line", {class: "cursor", attrs: {y1: T, y2: H - B, x1: -10, x2: -10}});
    svg.append(cursor);
    const dots = drawn.map((l) => {
        const dot = s("circle", {class: l.className, attrs: {r: 3, cx: -10, cy: -10}});
        svg.append(dot);
        return dot;
    });

    // The cursor walks the steps of the line with the most points.
    const steps = [...new Set(xs)].sort((a, b) => a - b);
    let at = -1;
    const show = (i: number) => {
        at = Math.max(0, Math.min(steps.length - 1, i));
        const step = steps[at];
        cursor.setAttribute("x1", String(px(step)));
        cursor.setAttribute("x2", String(px(step)));
        const parts: string[] = [];
        drawn.forEach((l, k) => {
            const p = nearest(l.points, step);
            dots[k].setAttribute("cx", String(px(p[0])));
            dots[k].setAttribute("cy", String(py(p[1])));
            parts.push(`${drawn.length > 1 ? `${l.name}: ` : ""}${num(p[1])}${p[0] !== step ? ` (step ${p[0]})` : ""}`);
        });
        readout.textContent = `step ${step} — ${parts.join(" · ")}`;
    };
    svg.addEventListener("keydown", (event: KeyboardEvent) => {
        const moves: Record<string, number> = {ArrowLeft: -1, ArrowRight: 1, PageDown: 10, PageUp: -10};
        if (event.key in moves) show(at < 0 ? (moves[event.key] > 0 ? 0 : steps.length - 1) : at + moves[event.key]);
        else if (event.key === "Home") show(0);
        else if (event.key === "End") show(steps.length - 1);
        else return;
        event.preventDefault();
    });
    svg.addEventListener("focus", () => {
        if (at < 0) show(steps.length - 1);
    });
    svg.addEventListener("mousemove", (event: MouseEvent) => {
        const rect = svg.getBoundingClientRect();
        const x = x0 + (((event.clientX - rect.left) / rect.width) * W - L) / (W - L - R) * (x1 - x0);
        let best = 0;
        for (let i = 1; i < steps.length; i++) if (Math.abs(steps[i] - x) < Math.abs(steps[best] - x)) best = i;
        show(best);
    });
    box.append(svg, readout);
    if (options.note != null) box.append(h("div", {class: "muted small"}, options.note));
    return box;
}

/** An axis label: three significant digits of the axis span, so close values stay apart. */
function tick(y: number, span: number): string {
    if (y === 0 || Math.abs(y) < span * 1e-6) return "0";
    const a = Math.abs(y);
    if (a < 1e-3 || a >= 1e6) return y.toExponential(1);
    const decimals = Math.max(0, Math.min(6, 2 - Math.floor(Math.log10(span))));
    return y.toFixed(decimals).replace(/^-(0\.?0*)$/, "$1");
}

/** Exponential moving average (TensorBoard's smoothing, debiased). */
function ema(points: [number, number][], weight: number): [number, number][] {
    let last = 0;
    let norm = 0;
    return points.map(([x, y]) => {
        last = last * weight + (1 - weight) * y;
        norm = norm * weight + (1 - weight);
        return [x, last / norm];
    });
}

function nearest(points: [number, number][], step: number): [number, number] {
    let lo = 0, hi = points.length - 1;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (points[mid][0] < step) lo = mid + 1;
        else hi = mid;
    }
    if (lo > 0 && Math.abs(points[lo - 1][0] - step) < Math.abs(points[lo][0] - step)) return points[lo - 1];
    return points[lo];
}
