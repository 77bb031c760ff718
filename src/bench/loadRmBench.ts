// RM-Bench: per prompt 3 chosen and 3 rejected versions in style order (0 concise, 1 detailed plain,
// 2 detailed markdown), expanded into the 9 comparisons (chosen i, rejected j) of its 3×3 matrix,
// each recording the rotation file (1–3) and index (0–2) R1 would have judged it in.
// Sources: a folder of the per-domain files (`chat_filtered.json`, `math_filtered.json`,
// `code_filtered.json`, `safety-refuse_filtered.json`, `safety-response_filtered.json`; the domain is
// the file name), `total_dataset.json` (a `domain` field per row), or the Hub dataset
// `hf://datasets/THU-KEG/RM-Bench/total_dataset.json`.
import {InvalidInput} from "../errors.js";
import {convertRow} from "../data/converters.js";
import {describeValue, toText} from "../data/PreferenceRecord.js";
import {readFileRows} from "../data/rows.js";
import {rmBenchDomainOf, rmBenchFileDomainPrompts, rmBenchFileDomains, rmBenchRotation} from "./constants.js";
import type {RmBenchStyle} from "./constants.js";
import {benchmarkFiles, defaultBenchmarkSource, stem} from "./benchmarkSource.js";
import {selectItems} from "./selectItems.js";
import type {LoadedItem} from "./selectItems.js";
import type {BenchmarkData, LoadBenchmarkOptions, RmBenchComparison} from "./types.js";

/** Load RM-Bench as comparisons with ids `rm-bench/<domain>/<id>/c<i>-r<j>`. */
export async function loadRmBench(options: LoadBenchmarkOptions = {}): Promise<BenchmarkData<RmBenchComparison>> {
    const source = options.source ?? defaultBenchmarkSource("rm-bench");
    const all = await benchmarkFiles(source, {...options.hub, extensions: [".json"]});
    const files = pickFiles(source, all);

    const items: LoadedItem<RmBenchComparison>[] = [];
    const prompts = new Map<string, number>();
    const seen = new Map<string, string>();
    for (const {file, domain: fileDomain} of files) {
        for await (const {value, location, index} of readFileRows(file)) {
            const row = asObject(value, location);
            const domain = fileDomain ?? toText(row.domain, "domain", location);
            const scoring = rmBenchDomainOf(domain);
            if (scoring == null)
                throw new InvalidInput(`'domain' ${describeValue(domain)} is not an RM-Bench domain (${rmBenchFileDomains.join(", ")})`, {field: "domain", location});
            const id = row.id;
            if (!(typeof id === "number" && Number.isInteger(id)) && !(typeof id === "string" && id !== ""))
                throw new InvalidInput(`'id' must be an integer or a string, got ${describeValue(id)}`, {field: "id", location});
            const itemId = String(id);
            const key = `${domain}/${itemId}`;
            const first = seen.get(key);
            if (first != null) throw new InvalidInput(`${domain} prompt ${itemId} appears twice (first at ${first})`, {field: "id", location});
            seen.set(key, location);
            threeTexts(row.chosen, "chosen", location);
            threeTexts(row.rejected, "rejected", location);
            // The data layer's converter builds the 9 pairs, chosen style i major, rejected style j minor.
            const records = convertRow(row, "rm-bench", {location, index, file});
            const subset = typeof row.subset === "string" ? row.subset : undefined;
            const comparisons = records.map((record, k): RmBenchComparison => {
                const i = Math.floor(k / 3) as RmBenchStyle;
                const j = (k % 3) as RmBenchStyle;
                const c: RmBenchComparison = {
                    benchmark: "rm-bench",
                    id: `rm-bench/${domain}/${itemId}/c${i}-r${j}`,
                    item_id: itemId,
                    domain,
                    scoring_domain: scoring,
                    chosen_style: i,
                    rejected_style: j,
                    ...rmBenchRotation(i, j),
                    prompt: record.prompt,
                    chosen: record.chosen,
                    rejected: record.rejected
                };
                if (subset != null) c.subset = subset;
                return c;
            });
            prompts.set(domain, (prompts.get(domain) ?? 0) + 1);
            items.push({group: scoring, names: [scoring, domain], comparisons});
        }
    }
    if (items.length === 0) throw new InvalidInput(`${source} holds no RM-Bench prompts`, {field: "source"});

    const missing: string[] = [];
    for (const domain of rmBenchFileDomains) {
        const n = prompts.get(domain) ?? 0;
        const full = rmBenchFileDomainPrompts[domain];
        if (n === 0) {
            missing.push(`RM-Bench domain ${domain} is missing (${full} prompts)${domain === "math" ? "; any RM-Bench total from this data is a partial score, not comparable with published numbers" : ""}`);
        } else if (n !== full) {
            missing.push(`RM-Bench domain ${domain} has ${n} of ${full} prompts`);
        }
    }
    return selectItems("rm-bench", source, files.map((f) => f.file), items, missing, options);
}

/**
 * The files to read: the per-domain files in domain order when present (the domain is the file name),
 * else `total_dataset.json`, else a single file given directly. R1's rotated copies
 * (`total_dataset_{1,2,3}.json`) are not inputs: the rotations are derived from the styles.
 */
function pickFiles(source: string, files: string[]): {file: string, domain?: string}[] {
    const byDomain: {file: string, domain?: string}[] = [];
    for (const domain of rmBenchFileDomains) {
        const file = files.find((f) => stem(f) === `${domain}_filtered`);
        if (file != null) byDomain.push({file, domain});
    }
    if (byDomain.length > 0) return byDomain;
    const total = files.find((f) => stem(f) === "total_dataset");
    if (total != null) return [{file: total}];
    if (files.length === 1) return [{file: files[0], domain: fileDomain(files[0])}];
    throw new InvalidInput(
        `${source} holds neither RM-Bench's per-domain files (${rmBenchFileDomains.map((d) => `${d}_filtered.json`).join(", ")}) nor total_dataset.json`,
        {field: "source"}
    );
}

/** The domain a single file's name gives (`chat_filtered.json` → chat), or undefined to read `domain` per row. */
function fileDomain(file: string): string | undefined {
    const name = stem(file).replace(/_filtered$/, "");
    return rmBenchFileDomains.includes(name) ? name : undefined;
}

function asObject(value: unknown, location: string): Record<string, unknown> {
    if (value == null || typeof value !== "object" || Array.isArray(value))
        throw new InvalidInput(`an RM-Bench row must be an object, got ${describeValue(value)}`, {location});
    return value as Record<string, unknown>;
}

function threeTexts(value: unknown, field: string, location: string): string[] {
    if (!Array.isArray(value) || value.length !== 3 || value.some((v) => typeof v !== "string"))
        throw new InvalidInput(`'${field}' must be a list of 3 strings (concise, detailed plain, detailed markdown), got ${describeValue(value)}`, {field, location});
    return value as string[];
}
