// RewardBench v1, split `filtered` (2,985 rows): one single-turn comparison per row, in file order.
// Sources: the shared folder (`rewardbench/filtered/part-*.jsonl`), any folder or file of the split
// (JSON, JSONL or parquet with columns prompt, chosen, rejected, subset, id), or the Hub dataset
// `hf://datasets/allenai/reward-bench` (split `filtered`).
import {relative} from "node:path";
import {InvalidInput} from "../errors.js";
import {isHubUri} from "../data/hub.js";
import {convertRow} from "../data/converters.js";
import type {ConvertContext} from "../data/converters.js";
import {describeValue} from "../data/PreferenceRecord.js";
import {readFileRows} from "../data/rows.js";
import {REWARDBENCH_ROWS, rewardBenchSectionOf, rewardBenchSubsetRows, rewardBenchSubsets} from "./constants.js";
import {benchmarkFiles, defaultBenchmarkSource} from "./benchmarkSource.js";
import {selectItems} from "./selectItems.js";
import type {LoadedItem} from "./selectItems.js";
import type {BenchmarkData, LoadBenchmarkOptions, RewardBenchComparison} from "./types.js";

/** Load RewardBench as comparisons with ids `rewardbench/<subset>/<id>`. */
export async function loadRewardBench(options: LoadBenchmarkOptions = {}): Promise<BenchmarkData<RewardBenchComparison>> {
    const source = options.source ?? defaultBenchmarkSource("rewardbench");
    let files = await benchmarkFiles(source, {...options.hub, split: "filtered"});
    // A folder holding both splits (a Hub snapshot) is read for `filtered` only.
    const named = (f: string): boolean => relative(source, f).includes("filtered");
    if (!isHubUri(source) && files.length > 1 && files.some(named)) files = files.filter(named);

    const items: LoadedItem<RewardBenchComparison>[] = [];
    const seen = new Map<string, string>();
    const rows = new Map<string, number>();
    for (const file of files) {
        for await (const {value, location, index} of readFileRows(file)) {
            const c = toComparison(value, {location, index, file});
            const first = seen.get(c.id);
            if (first != null)
                throw new InvalidInput(`subset ${c.subset} id ${c.item_id} appears twice (first at ${first}); RewardBench rows are keyed by (subset, id)`, {field: "id", location});
            seen.set(c.id, location);
            rows.set(c.subset, (rows.get(c.subset) ?? 0) + 1);
            items.push({group: c.subset, names: [c.subset, c.section], comparisons: [c]});
        }
    }
    if (items.length === 0) throw new InvalidInput(`${source} holds no RewardBench rows`, {field: "source"});

    const missing: string[] = [];
    for (const subset of rewardBenchSubsets) {
        const n = rows.get(subset) ?? 0;
        const full = rewardBenchSubsetRows(subset)!;
        if (n === 0) missing.push(`RewardBench subset ${subset} is missing (${full} rows); its section renormalises over the other subsets`);
        else if (n !== full) missing.push(`RewardBench subset ${subset} has ${n} of ${full} rows`);
    }
    if (missing.length > 0) missing.unshift(`RewardBench: ${items.length} of ${REWARDBENCH_ROWS} rows`);
    return selectItems("rewardbench", source, files, items, missing, options);
}

function toComparison(value: unknown, context: ConvertContext): RewardBenchComparison {
    const location = context.location;
    // The data layer's converter validates the texts and builds the messages; the scoring keys are checked here.
    const [record] = convertRow(value, "rewardbench", context);
    const row = value as Record<string, unknown>;
    const subset = record.domain!;
    const section = rewardBenchSectionOf(subset);
    if (section == null)
        throw new InvalidInput(`'subset' ${describeValue(subset)} is not a RewardBench filtered subset (${rewardBenchSubsets.join(", ")})`, {field: "subset", location});
    const id = row.id;
    if (!(typeof id === "number" && Number.isInteger(id)) && typeof id !== "bigint" && !(typeof id === "string" && id !== ""))
        throw new InvalidInput(`'id' must be an integer, got ${describeValue(id)}`, {field: "id", location});
    const itemId = String(id);
    return {
        benchmark: "rewardbench",
        id: `rewardbench/${subset}/${itemId}`,
        item_id: itemId,
        subset,
        section,
        prompt: record.prompt,
        chosen: record.chosen,
        rejected: record.rejected,
        chosen_model: typeof row.chosen_model === "string" ? row.chosen_model : "",
        rejected_model: typeof row.rejected_model === "string" ? row.rejected_model : ""
    };
}
