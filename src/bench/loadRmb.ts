// RMB: Pairwise_set (one comparison per pair) and BoN_set (one comparison per (best, loser k)), both
// goals. `conversation_input` (1, 3 or 5 messages ending with a user turn) becomes the pair's
// `prompt`, so conversations longer than one turn render through the multi-turn templates.
// Sources: the `RMB_dataset/` folder of the GitHub repository Zhou-Zoey/RMB-Reward-Model-Benchmark
// (one JSON array per scenario) or the shared copy (the same files as parquet), or any folder holding
// `Pairwise_set/…` and `BoN_set/…` files with the original fields.
import {InvalidInput} from "../errors.js";
import {convertRow} from "../data/converters.js";
import {describeValue, toText} from "../data/PreferenceRecord.js";
import {readFileRows} from "../data/rows.js";
import {parseRmbCategoryPath, rmbGoals, rmbScenarios, rmbSection, rmbSectionNames, rmbSectionSizes, rmbSetDirs} from "./constants.js";
import type {RmbKind, RmbSection} from "./constants.js";
import {benchmarkFiles, defaultBenchmarkSource} from "./benchmarkSource.js";
import {selectItems} from "./selectItems.js";
import type {LoadedItem} from "./selectItems.js";
import type {BenchmarkData, LoadBenchmarkOptions, RmbComparison} from "./types.js";

/** Load RMB as comparisons with ids `rmb/pairwise/<pair_uid>` and `rmb/bon/<bon_uid>/<loser_index>`. */
export async function loadRmb(options: LoadBenchmarkOptions = {}): Promise<BenchmarkData<RmbComparison>> {
    const source = options.source ?? defaultBenchmarkSource("rmb");
    const files = (await benchmarkFiles(source, {...options.hub, extensions: [".json", ".parquet"]}))
        .filter((f) => /(^|[\\/])(Pairwise_set|BoN_set)[\\/]/.test(f));
    if (files.length === 0)
        throw new InvalidInput(`${source} holds no RMB files; expected RMB_dataset/Pairwise_set/… and RMB_dataset/BoN_set/… (.json or .parquet)`, {field: "source"});

    const items: LoadedItem<RmbComparison>[] = [];
    const seen = new Map<string, string>();
    const counts = new Map<RmbSection, number>();
    const scenarios = new Set<string>();
    for (const file of files) {
        for await (const {value, location, index} of readFileRows(file)) {
            if (value == null || typeof value !== "object" || Array.isArray(value))
                throw new InvalidInput(`an RMB row must be an object, got ${describeValue(value)}`, {location});
            const row = value as Record<string, unknown>;
            const path = toText(row.category_path, "category_path", location);
            const where = parseRmbCategoryPath(path);
            if (where == null)
                throw new InvalidInput(`'category_path' ${describeValue(path)} must look like Pairwise_set/<Helpfulness|Harmlessness>/<scenario> or BoN_set/…`, {field: "category_path", location});
            const kind: RmbKind = where.kind;
            const section = rmbSection(kind, where.goal);
            scenarios.add(`${rmbSetDirs[kind]}/${where.goal}/${where.scenario}`);
            const uidField = kind === "pairwise" ? "pair_uid" : "bon_uid";
            const uid = row[uidField];
            if (!(typeof uid === "string" && uid !== "") && !(typeof uid === "number" && Number.isFinite(uid)))
                throw new InvalidInput(`'${uidField}' must be a non-empty string, got ${describeValue(uid)}`, {field: uidField, location});
            const itemId = String(uid);
            if (kind === "bon" && (!Array.isArray(row.loser_list) || row.loser_list.length === 0))
                throw new InvalidInput(`'loser_list' must be a non-empty list of {llm_name, answer}, got ${describeValue(row.loser_list)}`, {field: "loser_list", location});
            const key = `${kind}/${itemId}`;
            const first = seen.get(key);
            if (first != null) throw new InvalidInput(`${uidField} ${itemId} appears twice (first at ${first})`, {field: uidField, location});
            seen.set(key, location);

            // The data layer's converter validates the conversation and answers: one record per pair or per loser.
            const records = convertRow(row, kind === "pairwise" ? "rmb-pairwise" : "rmb-bon", {location, index, file});
            const comparisons = records.map((record, k): RmbComparison => {
                const meta = record.meta ?? {};
                const c: RmbComparison = {
                    benchmark: "rmb",
                    id: kind === "pairwise" ? `rmb/pairwise/${itemId}` : `rmb/bon/${itemId}/${k}`,
                    item_id: itemId,
                    kind,
                    goal: where.goal,
                    section,
                    category_path: path,
                    prompt: record.prompt,
                    chosen: record.chosen,
                    rejected: record.rejected,
                    chosen_model: typeof meta.chosen_model === "string" ? meta.chosen_model : "",
                    rejected_model: typeof meta.rejected_model === "string" ? meta.rejected_model : ""
                };
                if (kind === "bon") {
                    c.loser_index = k;
                    c.losers = records.length;
                }
                return c;
            });
            counts.set(section, (counts.get(section) ?? 0) + 1);
            items.push({group: section, names: [kind, where.goal, section, `${kind}/${where.goal}`], path, comparisons});
        }
    }

    const missing: string[] = [];
    for (const kind of ["pairwise", "bon"] as const) {
        for (const goal of rmbGoals) {
            const absent = rmbScenarios[goal].map((s) => `${rmbSetDirs[kind]}/${goal}/${s}`).filter((p) => !scenarios.has(p));
            for (const p of absent) missing.push(`RMB file ${p} is missing`);
        }
    }
    for (const section of rmbSectionNames) {
        const n = counts.get(section) ?? 0;
        const full = rmbSectionSizes[section];
        const unit = section.startsWith("BoN") ? "items" : "pairs";
        if (n !== full) {
            missing.push(`RMB ${section}: ${n} of ${full} ${unit}${n < full ? ` (${percent(n, full)}); its accuracy is not comparable with published numbers` : ""}`);
        }
    }
    return selectItems("rmb", source, files, items, missing, options);
}

function percent(n: number, d: number): string {
    return `${(100 * n / d).toFixed(1)}%`;
}
