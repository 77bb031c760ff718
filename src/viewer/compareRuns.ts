// Two runs side by side: every score both report (a diff table), for evaluations the per-sample
// agreement over the comparisons they share (matched by benchmark and id), and for training runs
// the curves both have.
import type {
    Agreement, AgreementClass, CompareResponse, CompareSampleRow, CompareSamplesResponse, DiffRow, RunDetail, SampleRow
} from "./apiTypes.js";
import type {LoadedRun} from "./RunStore.js";
import {InvalidInput} from "../errors.js";
import {matchesFilter, parsePage, parseSampleFilter} from "./sampleFilter.js";

const CLASSES: readonly AgreementClass[] = ["bothCorrect", "onlyACorrect", "onlyBCorrect", "bothWrong"];

export function compareRuns(a: LoadedRun, b: LoadedRun): CompareResponse {
    const da = a.detail();
    const db = b.detail();
    const rows = diffRows(numbersOf(da), numbersOf(db));
    const hasSamples = (d: RunDetail) => d.eval != null && d.eval.total > 0;
    let agreement: Agreement | null = null;
    if (hasSamples(da) && hasSamples(db)) {
        const {matched, onlyInA, onlyInB} = matchSamples(a.rows(), b.rows());
        agreement = {
            matched: matched.length, onlyInA, onlyInB, bothCorrect: 0, onlyACorrect: 0, onlyBCorrect: 0, bothWrong: 0,
            samePreference: 0
        };
        const preferredA = preferredByIndex(a);
        const preferredB = preferredByIndex(b);
        for (const m of matched) {
            agreement[classOf(m.a, m.b)]++;
            const pa = preferredA[m.a.index];
            if (pa != null && pa === preferredB[m.b.index]) agreement.samePreference++;
        }
    }
    const series: CompareResponse["series"] = [];
    const sa = da.train?.series ?? [];
    const sb = db.train?.series ?? [];
    for (const s of sa) series.push({key: s.key, label: s.label, a: s, b: sb.find((x) => x.key === s.key) ?? null});
    for (const s of sb) if (!sa.some((x) => x.key === s.key)) series.push({key: s.key, label: s.label, a: null, b: s});
    return {a: strip(da), b: strip(db), rows, agreement, series};
}

/**
 * A page of the matched samples, filtered by agreement class (`disagree`: exactly one run right) and by
 * the sample filters (applied to run A's row).
 */
export function compareSamples(a: LoadedRun, b: LoadedRun, params: URLSearchParams): CompareSamplesResponse {
    const which = params.get("class");
    if (which != null && which !== "" && which !== "all" && which !== "disagree" && !(CLASSES as readonly string[]).includes(which))
        throw new InvalidInput(`class must be one of ${CLASSES.join(", ")}, disagree (only one right) or all, got '${which}'`, {field: "class"});
    const keep = (cls: AgreementClass) => which == null || which === "" || which === "all" || cls === which ||
        (which === "disagree" && (cls === "onlyACorrect" || cls === "onlyBCorrect"));
    const filter = parseSampleFilter(params);
    const {offset, limit} = parsePage(params);
    const {matched} = matchSamples(a.rows(), b.rows());
    let total = 0;
    const rows: CompareSampleRow[] = [];
    for (const m of matched) {
        const cls = classOf(m.a, m.b);
        if (!keep(cls)) continue;
        if (!matchesFilter(m.a, filter)) continue;
        if (total >= offset && rows.length < limit) rows.push({key: m.key, id: m.a.id, benchmark: m.a.benchmark, group: m.a.group, a: m.a, b: m.b, class: cls});
        total++;
    }
    return {total, offset, limit, rows};
}

function classOf(a: SampleRow, b: SampleRow): AgreementClass {
    const ca = a.result === "correct";
    const cb = b.result === "correct";
    return ca && cb ? "bothCorrect" : ca ? "onlyACorrect" : cb ? "onlyBCorrect" : "bothWrong";
}

/** Samples of both runs with the same benchmark and id, in run A's order (a repeated key: the first line). */
function matchSamples(a: readonly SampleRow[], b: readonly SampleRow[]): {matched: {key: string, a: SampleRow, b: SampleRow}[], onlyInA: number, onlyInB: number} {
    const key = (r: SampleRow) => `${r.benchmark ?? ""}\u0000${r.id}`;
    const inB = new Map<string, SampleRow>();
    for (const r of b) if (!inB.has(key(r))) inB.set(key(r), r);
    const seen = new Set<string>();
    const matched: {key: string, a: SampleRow, b: SampleRow}[] = [];
    let onlyInA = 0;
    for (const r of a) {
        const k = key(r);
        if (seen.has(k)) continue;
        seen.add(k);
        const other = inB.get(k);
        if (other != null) matched.push({key: k, a: r, b: other});
        else onlyInA++;
    }
    return {matched, onlyInA, onlyInB: inB.size - matched.length};
}

function preferredByIndex(run: LoadedRun): (string | null)[] {
    return run.cores().map((e) => e.summary.preferred);
}

/** Every number of a run worth diffing: scores by benchmark, the last training step, scores.json. */
function numbersOf(d: RunDetail): Map<string, {section: string, key: string, value: number, format: DiffRow["format"]}> {
    const out = new Map<string, {section: string, key: string, value: number, format: DiffRow["format"]}>();
    const add = (section: string, key: string, value: unknown, format: DiffRow["format"]) => {
        if (typeof value === "number" && Number.isFinite(value)) out.set(`${section}\u0000${key}`, {section, key, value, format});
    };
    const scores = d.eval?.scores;
    if (scores != null) {
        add("overall", "average (paper Table 1)", scores.average, "pct");
        for (const [benchmark, s] of Object.entries(scores)) {
            if (s == null || typeof s !== "object") continue;
            for (const [k, v] of Object.entries(s as Record<string, unknown>)) {
                if (k === "subsets" && v != null && typeof v === "object") {
                    for (const [subset, x] of Object.entries(v as Record<string, unknown>)) add(`${benchmark} subsets`, subset, x, "pct");
                } else add(benchmark, k, v, "pct");
            }
        }
    }
    if (d.eval != null && d.eval.total > 0) {
        const correct = d.eval.results.correct;
        const labelled = d.eval.total - d.eval.results.unlabelled;
        if (labelled > 0) add("samples", "accuracy", correct / labelled, "pct");
        add("samples", "parse errors", d.eval.results.error / d.eval.total, "pct");
        add("samples", "format issues", d.eval.formatIssues / d.eval.total, "pct");
        add("position bias", "accuracy, chosen in A", d.eval.bias.chosenInA.accuracy, "pct");
        add("position bias", "accuracy, chosen in B", d.eval.bias.chosenInB.accuracy, "pct");
        add("position bias", "share of A verdicts", d.eval.bias.aShare, "pct");
    }
    const last = d.train?.last;
    if (last != null) for (const [k, v] of Object.entries(last)) add("last step", k, v, "num");
    if (d.scoresFile != null && d.eval == null) for (const [k, v] of Object.entries(d.scoresFile)) add("scores.json", k, v, "num");
    return out;
}

function diffRows(a: ReturnType<typeof numbersOf>, b: ReturnType<typeof numbersOf>): DiffRow[] {
    const rows: DiffRow[] = [];
    for (const [k, x] of a) rows.push({section: x.section, key: x.key, a: x.value, b: b.get(k)?.value ?? null, format: x.format});
    for (const [k, x] of b) if (!a.has(k)) rows.push({section: x.section, key: x.key, a: null, b: x.value, format: x.format});
    return rows;
}

function strip(d: RunDetail): CompareResponse["a"] {
    return {
        id: d.id, name: d.name, kind: d.kind, category: d.category, model: d.model, startedAt: d.startedAt, updatedAt: d.updatedAt,
        headline: d.headline, files: d.files, warnings: d.warnings, error: d.error
    };
}
