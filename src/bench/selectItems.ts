// The common last step of every loader: apply the `subsets` filter and the per-group `limit` to whole
// items (an RM-Bench prompt keeps its 9 cells, a BoN item all its losers), then state plainly what
// the result lacks compared with the full benchmark.
import {InvalidInput} from "../errors.js";
import type {BenchmarkName} from "./constants.js";
import type {BenchComparison, BenchmarkData, LoadBenchmarkOptions} from "./types.js";

/** One benchmark item before selection. */
export interface LoadedItem<C extends BenchComparison> {
    /** The stratum `limit` counts within (subset, domain, section). */
    group: string;
    /** Names a `subsets` entry may match exactly. */
    names: string[];
    /** A path a `subsets` entry may match as a prefix (RMB category_path). */
    path?: string;
    comparisons: C[];
}

export function selectItems<C extends BenchComparison>(
    benchmark: BenchmarkName,
    source: string,
    files: string[],
    items: LoadedItem<C>[],
    missing: string[],
    options: LoadBenchmarkOptions
): BenchmarkData<C> {
    const subsets = options.subsets != null && options.subsets.length > 0 ? options.subsets : undefined;
    const limit = options.limit;
    if (limit != null && (!Number.isInteger(limit) || limit < 1))
        throw new InvalidInput(`limit must be a positive integer, got ${limit}`, {field: "limit"});
    const matches = (item: LoadedItem<C>): boolean => subsets == null || subsets.some((s) =>
        item.names.includes(s) || (item.path != null && (item.path === s || item.path.startsWith(s.endsWith("/") ? s : `${s}/`))));
    const taken = new Map<string, number>();
    const kept: C[] = [];
    let count = 0;
    let matched = 0;
    for (const item of items) {
        if (!matches(item)) continue;
        matched++;
        const n = taken.get(item.group) ?? 0;
        if (limit != null && n >= limit) continue;
        taken.set(item.group, n + 1);
        kept.push(...item.comparisons);
        count++;
    }
    if (subsets != null && matched === 0) {
        const known = [...new Set(items.flatMap((i) => i.names))].slice(0, 40);
        throw new InvalidInput(`no ${benchmark} item matches --subset ${subsets.join(",")}; known names include ${known.join(", ")}`, {field: "subset"});
    }
    const notes = [...missing];
    if (subsets != null) notes.push(`selection: only ${subsets.join(", ")} (${matched} of ${items.length} items)`);
    if (limit != null && count < matched) notes.push(`selection: at most ${limit} items per ${groupWord(benchmark)} (${count} of ${matched} items)`);
    return {benchmark, source, files, items: count, comparisons: kept, partial: notes.length > 0, missing: notes};
}

function groupWord(benchmark: BenchmarkName): string {
    return benchmark === "rewardbench" ? "subset" : benchmark === "rm-bench" ? "domain" : "section";
}
