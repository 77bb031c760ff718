// The sample list's filters and paging, read from the query string of `/api/runs/<id>/samples` and
// applied on the server, so a page of a 10k-sample run costs one pass over small in-memory rows.
import {InvalidInput} from "../errors.js";
import type {SampleResult, SampleRow} from "./apiTypes.js";
import {groupKey} from "./evalSummary.js";

export interface SampleFilter {
    /** Keep these results (`correct`, `wrong`, `tie`, `error`, `unlabelled`); all when absent. */
    result?: SampleResult[];
    /** A group key (`rewardbench/alpacaeval-easy`, `rm-bench/chat`, `rmb/BoN Helpfulness`). */
    group?: string;
    benchmark?: string;
    /** Where the chosen reply sat. */
    position?: "A" | "B";
    /** `issues`: traces that break the CoR format; `clean`: those that do not. */
    format?: "issues" | "clean";
    /** Case-insensitive text in the id or the prompt preview. */
    q?: string;
}

const RESULTS: readonly SampleResult[] = ["correct", "wrong", "tie", "error", "unlabelled"];
/** Rows per page when the request does not say. */
export const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

/** The filter a query string asks for; an unknown value is `InvalidInput` naming the parameter. */
export function parseSampleFilter(params: URLSearchParams): SampleFilter {
    const filter: SampleFilter = {};
    const result = params.get("result");
    if (result != null && result !== "" && result !== "all") {
        const values = result.split(",");
        for (const r of values) {
            if (!(RESULTS as readonly string[]).includes(r))
                throw new InvalidInput(`result must be a comma-separated list of ${RESULTS.join(", ")} (or all), got '${r}'`, {field: "result"});
        }
        filter.result = values as SampleResult[];
    }
    const group = params.get("group");
    if (group != null && group !== "") filter.group = group;
    const benchmark = params.get("benchmark");
    if (benchmark != null && benchmark !== "") filter.benchmark = benchmark;
    const position = params.get("position");
    if (position != null && position !== "") {
        if (position !== "A" && position !== "B") throw new InvalidInput(`position must be A or B (where the chosen reply was shown), got '${position}'`, {field: "position"});
        filter.position = position;
    }
    const format = params.get("format");
    if (format != null && format !== "") {
        if (format !== "issues" && format !== "clean") throw new InvalidInput(`format must be issues or clean, got '${format}'`, {field: "format"});
        filter.format = format;
    }
    const q = params.get("q");
    if (q != null && q.trim() !== "") filter.q = q.trim().toLowerCase();
    return filter;
}

/** offset/limit from a query string (limit at most 500). */
export function parsePage(params: URLSearchParams): {offset: number, limit: number} {
    return {offset: intParam(params, "offset", 0, 0, Number.MAX_SAFE_INTEGER), limit: intParam(params, "limit", DEFAULT_PAGE, 1, MAX_PAGE)};
}

function intParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
    const v = params.get(name);
    if (v == null || v === "") return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidInput(`${name} must be an integer from ${min} to ${max}, got '${v}'`, {field: name});
    return n;
}

export function matchesFilter(row: SampleRow, f: SampleFilter): boolean {
    if (f.result != null && !f.result.includes(row.result)) return false;
    if (f.benchmark != null && row.benchmark !== f.benchmark) return false;
    if (f.group != null && (row.group == null || groupKey(row.benchmark, row.group) !== f.group)) return false;
    if (f.position != null && row.chosenPosition !== f.position) return false;
    if (f.format === "issues" && row.violations === 0) return false;
    if (f.format === "clean" && row.violations > 0) return false;
    if (f.q != null && !row.id.toLowerCase().includes(f.q) && !row.preview.toLowerCase().includes(f.q)) return false;
    return true;
}
