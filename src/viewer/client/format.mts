// Numbers and dates as the page shows them.
import type {Headline} from "../apiTypes.js";

/** A fraction as a percentage with `digits` decimals; "–" when absent. */
export function pct(x: number | null | undefined, digits = 1): string {
    return x == null || !Number.isFinite(x) ? "–" : `${(100 * x).toFixed(digits)}%`;
}

/** A number with about four significant digits (exponent form for very small or large ones). */
export function num(x: number | null | undefined): string {
    if (x == null || !Number.isFinite(x)) return "–";
    if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
    const a = Math.abs(x);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(2);
    return String(Number(x.toPrecision(4)));
}

export function headline(h: Headline): string {
    return h.format === "pct" ? pct(h.value) : num(h.value);
}

export function date(iso: string | null): string {
    if (iso == null) return "–";
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A signed difference b − a in the unit of `format`. */
export function delta(a: number | null, b: number | null, format: "pct" | "num"): string {
    if (a == null || b == null) return "–";
    const d = b - a;
    const magnitude = format === "pct" ? `${(100 * Math.abs(d)).toFixed(1)} pt` : num(Math.abs(d));
    const sign = /^0(\.0*)?( pt)?$/.test(magnitude) ? "±" : d > 0 ? "+" : "−";
    return `${sign}${magnitude}`;
}
