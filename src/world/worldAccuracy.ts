// Evaluation helpers for judges of the world: accuracy per family / level / mistake kind, with the
// always-A baseline of each stratum (what a judge that ignores its input scores there) and a 95%
// Wilson interval; and `balancedOrders`, which places the chosen reply first in exactly half of the
// pairs of every stratum, so that a constant-side judge scores 50% everywhere.
//
// Rendering the test set with balanced sides is the job of whoever renders it (the quickstart, a
// benchmark run): the generator leaves the order open, as TRL pairs do.
import {Rng, deriveSeed} from "../protocol/rng.js";
import type {PairOrder, Position} from "../protocol/types.js";
import type {WorldFamily, WorldLevel} from "./levels.js";

/** One judged world pair. */
export interface WorldJudgedItem {
    family: WorldFamily;
    level: WorldLevel;
    /** The pair's mistake or violation kind (`meta.kind`). */
    kind: string;
    /** Where the chosen reply was shown. */
    chosenPosition: Position;
    /** The judge's verdict; `error`/`tie`/null count as wrong and as format failures (error, null). */
    verdict: Position | "tie" | "error" | null;
}

export type WorldStratumKey = "family" | "level" | "kind";

/** Accuracy of one stratum. */
export interface WorldAccuracyRow {
    family: WorldFamily | "all";
    level: WorldLevel | "all";
    kind: string;
    n: number;
    correct: number;
    accuracy: number;
    /** Accuracy of always answering A on this stratum (the share of pairs with the chosen reply in A). */
    alwaysA: number;
    /** Share of items without a parsable verdict (`error` or null). */
    formatFailures: number;
    /** 95% Wilson score interval of `accuracy`. */
    ci95: [number, number];
}

/** Accuracy grouped by the given keys (in order of first appearance within each key's natural order). */
export function worldAccuracy(items: readonly WorldJudgedItem[], by: readonly WorldStratumKey[]): WorldAccuracyRow[] {
    const groups = new Map<string, WorldJudgedItem[]>();
    const sorted = [...items].sort((x, y) => compareItems(x, y, by));
    for (const item of sorted) {
        const key = by.map((k) => String(item[k])).join("|");
        const group = groups.get(key);
        if (group == null) groups.set(key, [item]);
        else group.push(item);
    }
    return [...groups.values()].map((group) => {
        const first = group[0];
        const correct = group.filter((i) => i.verdict === i.chosenPosition).length;
        const n = group.length;
        return {
            family: by.includes("family") ? first.family : "all",
            level: by.includes("level") ? first.level : "all",
            kind: by.includes("kind") ? first.kind : "all",
            n,
            correct,
            accuracy: correct / n,
            alwaysA: group.filter((i) => i.chosenPosition === "A").length / n,
            formatFailures: group.filter((i) => i.verdict == null || i.verdict === "error").length / n,
            ci95: wilson(correct, n)
        };
    });
}

/** The standard table: overall, per family, per family and level, per family and kind, per family, level and kind. */
export function worldAccuracyTable(items: readonly WorldJudgedItem[]): WorldAccuracyRow[] {
    if (items.length === 0) return [];
    return [
        ...worldAccuracy(items, []),
        ...worldAccuracy(items, ["family"]),
        ...worldAccuracy(items, ["family", "level"]),
        ...worldAccuracy(items, ["family", "kind"]),
        ...worldAccuracy(items, ["family", "level", "kind"])
    ];
}

/** The rows as a Markdown table (percentages with one decimal). */
export function formatWorldAccuracy(rows: readonly WorldAccuracyRow[]): string {
    const pct = (x: number) => (100 * x).toFixed(1);
    const lines = [
        "| family | level | kind | n | accuracy % | 95% CI | always-A % | format fail % |",
        "|---|---|---|---|---|---|---|---|"
    ];
    for (const r of rows) {
        lines.push(`| ${r.family} | ${r.level} | ${r.kind} | ${r.n} | ${pct(r.accuracy)} | ${pct(r.ci95[0])}–${pct(r.ci95[1])} | ${pct(r.alwaysA)} | ${pct(r.formatFailures)} |`);
    }
    return lines.join("\n") + "\n";
}

/**
 * An order for every pair such that, within each stratum (family, level, kind), the chosen reply is
 * first in ⌊k/2⌋ or ⌈k/2⌉ of its k pairs (which pairs is a seeded shuffle; an odd stratum's extra
 * pair gets a seeded coin). Keyed by pair id.
 */
export function balancedOrders(pairs: readonly {id: string, meta: {family: string, level: number, kind: string}}[], seed: number): Map<string, PairOrder> {
    const strata = new Map<string, string[]>();
    for (const p of pairs) {
        const key = `${p.meta.family}|${p.meta.level}|${p.meta.kind}`;
        const ids = strata.get(key);
        if (ids == null) strata.set(key, [p.id]);
        else ids.push(p.id);
    }
    const out = new Map<string, PairOrder>();
    for (const [key, ids] of [...strata.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const rng = new Rng(deriveSeed(seed, `balanced-orders|${key}`));
        const shuffled = rng.shuffle([...ids]);
        const half = shuffled.length % 2 === 0 ? shuffled.length / 2 : (shuffled.length - 1) / 2 + (rng.next() < 0.5 ? 1 : 0);
        shuffled.forEach((id, i) => out.set(id, i < half ? "chosen-first" : "chosen-second"));
    }
    return out;
}

function compareItems(x: WorldJudgedItem, y: WorldJudgedItem, by: readonly WorldStratumKey[]): number {
    for (const k of by) {
        const a = x[k];
        const b = y[k];
        if (a !== b) return a < b ? -1 : 1;
    }
    return 0;
}

/** 95% Wilson score interval for `k` successes in `n` trials. */
function wilson(k: number, n: number): [number, number] {
    if (n === 0) return [0, 1];
    const z = 1.959963984540054;
    const p = k / n;
    const denom = 1 + (z * z) / n;
    const center = (p + (z * z) / (2 * n)) / denom;
    const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
    return [Math.max(0, center - half), Math.min(1, center + half)];
}
