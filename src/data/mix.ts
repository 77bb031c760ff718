// Training mixes: preference sources → rendered RM-R1 rows `{context_messages, winner}`.
//
// A mix is a list of sources processed in order. Each source may be shuffled (NumPy's
// `default_rng(seed).permutation`, i.e. Hugging Face `Dataset.shuffle(seed)`), filtered on its raw
// fields, and cut to a quota. Every kept pair is rendered with the judge templates of a profile; the
// A/B position alternates on one counter that runs across all sources in processing order (even →
// chosen in A, `model_a`), as mix_data.py does. The parts are then written in the output order.
// `rmR1MixConfig` is the RM-R1 recipe expressed in this form.
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {dirname, extname, join, resolve} from "node:path";
import {parse as parseYaml} from "yaml";
import {ConfigError, InvalidInput} from "../errors.js";
import {renderPair} from "../protocol/renderPair.js";
import {isProfileName, profileNames, type ProfileName} from "../protocol/profiles.js";
import {keyedUniform} from "../protocol/rng.js";
import type {Message, PairOrder, WinnerLabel} from "../protocol/types.js";
import {BadRows, type BadRowExample} from "./BadRows.js";
import {convertRow, detectShapeOrThrow, isRecordShape, recordShapes, type RecordShape} from "./converters.js";
import {readJsonl} from "./jsonl.js";
import {numpyPermutation} from "./numpyRandom.js";
import type {PreferenceRecord} from "./PreferenceRecord.js";
import {checkOutputFolder, countRows, formatOf, openRowWriter, readRows, type RowWriter} from "./rows.js";
import type {HubOptions} from "./hub.js";
import type {ParquetSchema} from "./parquet.js";

/** One condition on a raw source row (a dotted `field` path); all conditions of a source must hold. */
export interface MixFilter {
    field: string;
    /** The field equals this value. */
    equals?: unknown;
    /** The field does not equal this value. */
    notEquals?: unknown;
    /** The field is one of these values. */
    in?: unknown[];
    /** The field is none of these values (a missing field passes). */
    notIn?: unknown[];
    /** The field is a string matching this regular expression. */
    matches?: string;
    /** The field is present and not null (`true`) or absent/null (`false`). */
    exists?: boolean;
}

/** One source of a mix. */
export interface MixSource {
    /** Name used in `output`, reports and record ids. */
    name: string;
    /** A file, a folder, or an `hf:` URI (see `readRows`). */
    path: string;
    /** For `hf:owner/name`: the split whose files to read. Defaults to every data file. */
    split?: string;
    /** Row shape. Defaults to detection from the first row. */
    shape?: RecordShape;
    /** Conditions on raw rows. Defaults to none. */
    where?: MixFilter[];
    /** Shuffle all rows first, as `Dataset.shuffle(seed)`: `true` uses the mix seed, a number is its own seed. Defaults to `false`. */
    shuffle?: boolean | number;
    /** Keep at most this many rows (after shuffle and filters). Defaults to all. */
    take?: number;
}

/** How positions A/B are assigned. */
export type MixOrder = "alternate" | "random";

/** A mix: sources, output order, rendering. */
export interface MixConfig {
    sources: MixSource[];
    /** Names of the sources in the order their rows are written. Defaults to the source order. */
    output?: string[];
    /** Seed for `shuffle: true` and for `order: random`. Defaults to `42`. */
    seed?: number;
    /** `alternate`: one counter over all sources in source order, even → chosen in A. `random`: a coin per record keyed by (seed, id). Defaults to `"alternate"`. */
    order?: MixOrder;
    /** Prompt profile. Defaults to `"rm-r1-instruct"`. */
    profile?: ProfileName;
    /** `"reference"` reproduces the "Chabot B" typo of the reference data. Defaults to none. */
    quirks?: "reference";
    /** Also write `id`, `source` and `domain` columns. Defaults to `false` (only `context_messages` and `winner`, as RM-R1's datasets). */
    includeMeta?: boolean;
}

/** A rendered training row. */
export interface MixRow {
    context_messages: Message[];
    winner: WinnerLabel;
    id?: string;
    source?: string;
    domain?: string;
}

/** Options of `buildMix`. */
export interface BuildMixOptions {
    /** Stop at the first bad row instead of skipping it. Defaults to `false`. */
    strict?: boolean;
    /** Hub access for `hf:` sources. Defaults from the environment. */
    hub?: HubOptions;
    /** Progress callback, called every 1000 rows and at the end of each source. Defaults to none. */
    onProgress?: (event: {source: string, rows: number, kept: number}) => void;
}

/** What a mix did, per source and in total. */
export interface MixReport {
    output: string;
    rows: number;
    labels: Record<WinnerLabel, number>;
    sources: {name: string, read: number, filtered: number, kept: number, multiTurn: number, firstIndex: number, bad: number, badExamples: BadRowExample[]}[];
    badRows: number;
}

const filterKeys = ["equals", "notEquals", "in", "notIn", "matches", "exists"] as const;

/** Validate a mix config from YAML/JSON; errors name the field (`sources[1].take`, ...). */
export function parseMixConfig(value: unknown, origin = "mix config"): MixConfig {
    const fail = (field: string, message: string): never => {
        throw new ConfigError(`${origin}: '${field}' ${message}`);
    };
    if (value == null || typeof value !== "object" || Array.isArray(value)) fail("(top level)", "must be an object with 'sources'");
    const v = value as Record<string, unknown>;
    const known = ["sources", "output", "seed", "order", "profile", "quirks", "includeMeta"];
    for (const key of Object.keys(v)) if (!known.includes(key)) fail(key, `is not a mix option (options: ${known.join(", ")})`);
    if (!Array.isArray(v.sources) || v.sources.length === 0) fail("sources", "must be a non-empty list of sources");
    const names = new Set<string>();
    const sources = (v.sources as unknown[]).map((s, i): MixSource => {
        const at = `sources[${i}]`;
        if (s == null || typeof s !== "object" || Array.isArray(s)) return fail(at, "must be an object with name and path");
        const src = s as Record<string, unknown>;
        const sourceKeys = ["name", "path", "split", "shape", "where", "shuffle", "take"];
        for (const key of Object.keys(src)) if (!sourceKeys.includes(key)) fail(`${at}.${key}`, `is not a source option (options: ${sourceKeys.join(", ")})`);
        if (typeof src.name !== "string" || src.name === "") fail(`${at}.name`, "must be a non-empty string");
        if (names.has(src.name as string)) fail(`${at}.name`, `repeats '${src.name}'; source names must be unique`);
        names.add(src.name as string);
        if (typeof src.path !== "string" || src.path === "") fail(`${at}.path`, "must be a file, folder or hf: URI");
        if (src.split != null && typeof src.split !== "string") fail(`${at}.split`, "must be a string");
        if (src.shape != null && (typeof src.shape !== "string" || !isRecordShape(src.shape)))
            fail(`${at}.shape`, `must be one of ${recordShapes.map(x => x.name).join(", ")}`);
        if (src.shuffle != null && typeof src.shuffle !== "boolean" && !(Number.isSafeInteger(src.shuffle) && (src.shuffle as number) >= 0))
            fail(`${at}.shuffle`, "must be true, false or a non-negative integer seed");
        if (src.take != null && !(Number.isSafeInteger(src.take) && (src.take as number) >= 0)) fail(`${at}.take`, "must be a non-negative integer");
        let where: MixFilter[] | undefined;
        if (src.where != null) {
            if (!Array.isArray(src.where)) fail(`${at}.where`, "must be a list of conditions");
            where = (src.where as unknown[]).map((f, k) => {
                const fat = `${at}.where[${k}]`;
                if (f == null || typeof f !== "object" || Array.isArray(f)) return fail(fat, "must be an object {field, equals|notEquals|in|notIn|matches|exists}");
                const filter = f as Record<string, unknown>;
                for (const key of Object.keys(filter)) if (key !== "field" && !(filterKeys as readonly string[]).includes(key)) fail(`${fat}.${key}`, `is not a condition (use ${filterKeys.join(", ")})`);
                if (typeof filter.field !== "string" || filter.field === "") fail(`${fat}.field`, "must name a field");
                if (!filterKeys.some(key => key in filter)) fail(fat, `needs one of ${filterKeys.join(", ")}`);
                for (const key of ["in", "notIn"] as const) if (key in filter && !Array.isArray(filter[key])) fail(`${fat}.${key}`, "must be a list");
                if ("matches" in filter) {
                    if (typeof filter.matches !== "string") fail(`${fat}.matches`, "must be a regular expression string");
                    try {
                        new RegExp(filter.matches as string);
                    } catch (e) {
                        fail(`${fat}.matches`, `is not a valid regular expression (${(e as Error).message})`);
                    }
                }
                if ("exists" in filter && typeof filter.exists !== "boolean") fail(`${fat}.exists`, "must be true or false");
                return filter as unknown as MixFilter;
            });
        }
        return {
            name: src.name as string, path: src.path as string, split: src.split as string | undefined,
            shape: src.shape as RecordShape | undefined, where, shuffle: src.shuffle as boolean | number | undefined, take: src.take as number | undefined
        };
    });
    if (v.output != null) {
        if (!Array.isArray(v.output) || v.output.some(n => typeof n !== "string")) fail("output", "must be a list of source names");
        const out = v.output as string[];
        for (const n of out) if (!names.has(n)) fail("output", `names '${n}', which is not a source (sources: ${[...names].join(", ")})`);
        for (const n of names) if (!out.includes(n)) fail("output", `leaves out source '${n}'; list every source once`);
        if (new Set(out).size !== out.length) fail("output", "lists a source twice");
    }
    if (v.seed != null && !(Number.isSafeInteger(v.seed) && (v.seed as number) >= 0)) fail("seed", "must be a non-negative integer");
    if (v.order != null && v.order !== "alternate" && v.order !== "random") fail("order", "must be 'alternate' or 'random'");
    if (v.profile != null && (typeof v.profile !== "string" || !isProfileName(v.profile))) fail("profile", `must be one of ${profileNames.join(", ")}`);
    if (v.quirks != null && v.quirks !== "reference") fail("quirks", "must be 'reference' or absent");
    if (v.includeMeta != null && typeof v.includeMeta !== "boolean") fail("includeMeta", "must be true or false");
    return {
        sources, output: v.output as string[] | undefined, seed: v.seed as number | undefined, order: v.order as MixOrder | undefined,
        profile: v.profile as ProfileName | undefined, quirks: v.quirks as "reference" | undefined, includeMeta: v.includeMeta as boolean | undefined
    };
}

/** Read a mix config from a `.yaml`/`.yml`/`.json` file; relative source paths are relative to the file. */
export function loadMixConfig(file: string): MixConfig {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch (e) {
        throw new ConfigError(`cannot read mix config ${file} (${(e as Error).message})`);
    }
    let value: unknown;
    try {
        value = extname(file).toLowerCase() === ".json" ? JSON.parse(text) : parseYaml(text);
    } catch (e) {
        throw new ConfigError(`${file}: not valid ${extname(file).toLowerCase() === ".json" ? "JSON" : "YAML"} (${(e as Error).message.split("\n")[0]})`);
    }
    const config = parseMixConfig(value, file);
    for (const s of config.sources) if (!s.path.startsWith("hf:")) s.path = resolve(dirname(file), s.path);
    return config;
}

/** The Hub datasets of the RM-R1 recipe (mix_data.py). */
export const rmR1MixSources = {
    math: "hf:xinlai/Math-Step-DPO-10K",
    code: "hf:Vezora/Code-Preference-Pairs",
    skywork: "hf:Skywork/Skywork-Reward-Preference-80K-v0.2"
} as const;

/**
 * The RM-R1 preference mix (rm_r1/dataset/mix_data/mix_data.py) as a `MixConfig`: all of
 * Math-Step-DPO-10K, then 8,000 Code-Preference-Pairs rows chosen by `shuffle(seed=42)`, then every
 * Skywork-Reward-Preference-80K-v0.2 row whose `source` is not `magpie_ultra`; one A/B counter across
 * them in that order; written as code, Skywork, math. Paths default to the Hub datasets (train split).
 */
export function rmR1MixConfig(options: {math?: string, code?: string, skywork?: string, quirks?: "reference", profile?: ProfileName, includeMeta?: boolean} = {}): MixConfig {
    const split = (path: string | undefined, hub: string) => path == null ? {path: hub, split: "train"} : {path};
    return {
        sources: [
            {name: "math", ...split(options.math, rmR1MixSources.math), shape: "math-step-dpo"},
            {name: "code", ...split(options.code, rmR1MixSources.code), shape: "code-preference-pairs", shuffle: true, take: 8000},
            {name: "skywork", ...split(options.skywork, rmR1MixSources.skywork), shape: "skywork", where: [{field: "source", notIn: ["magpie_ultra"]}]}
        ],
        output: ["code", "skywork", "math"],
        seed: 42,
        order: "alternate",
        profile: options.profile ?? "rm-r1-instruct",
        quirks: options.quirks,
        includeMeta: options.includeMeta
    };
}

function fieldValue(row: unknown, path: string): unknown {
    let v: unknown = row;
    for (const part of path.split(".")) {
        if (v == null || typeof v !== "object") return undefined;
        v = (v as Record<string, unknown>)[part];
    }
    return v;
}

const same = (a: unknown, b: unknown): boolean => a === b || (a != null && b != null && typeof a === "object" && JSON.stringify(a) === JSON.stringify(b));

/** Whether a raw row passes every condition. */
export function passesFilters(row: unknown, filters: MixFilter[] | undefined): boolean {
    for (const f of filters ?? []) {
        const v = fieldValue(row, f.field);
        if (f.equals !== undefined && !same(v, f.equals)) return false;
        if (f.notEquals !== undefined && same(v, f.notEquals)) return false;
        if (f.in != null && !f.in.some(x => same(v, x))) return false;
        if (f.notIn != null && f.notIn.some(x => same(v, x))) return false;
        if (f.matches != null && (typeof v !== "string" || !new RegExp(f.matches).test(v))) return false;
        if (f.exists != null && (v != null) !== f.exists) return false;
    }
    return true;
}

/** A source row picked for the mix, with the file position it came from. */
interface Picked {
    value: unknown;
    index: number;
    file: string;
    location: string;
}

/**
 * The rows of a source in mix order: shuffled (all rows, as `Dataset.shuffle`), filtered, cut to
 * `take`. With a shuffle, the kept rows are the `take` passing rows of lowest permutation rank,
 * held in memory (at most `take` rows); without one, rows stream through.
 */
async function* pickRows(source: MixSource, seed: number, counts: {read: number, filtered: number}, options: BuildMixOptions, bad: BadRows): AsyncGenerator<Picked> {
    // Rows that are not valid JSON are bad rows like any other (in strict mode, the first one throws).
    const readOptions = {hub: {...options.hub, split: source.split}, onUnparsable: (e: InvalidInput) => bad.add(e, e.location ?? source.path)};
    const take = source.take ?? Infinity;
    if (source.shuffle == null || source.shuffle === false) {
        let kept = 0;
        if (kept >= take) return;
        for await (const row of readRows(source.path, readOptions)) {
            counts.read++;
            if (!passesFilters(row.value, source.where)) {
                counts.filtered++;
                continue;
            }
            yield row;
            if (++kept >= take) return;
        }
        return;
    }
    const n = await countRows(source.path, {...readOptions, onUnparsable: () => undefined});
    const permutation = numpyPermutation(n, typeof source.shuffle === "number" ? source.shuffle : seed);
    // rank[i] = position of source row i in the shuffled order
    const rank = new Uint32Array(n);
    for (let p = 0; p < n; p++) rank[permutation[p]] = p;
    const limit = Math.min(take, n);
    if (source.where == null || source.where.length === 0) {
        // No filters: the kept rows are exactly those of rank < limit (Dataset.shuffle().select(range(take))).
        const slots = new Array<Picked | undefined>(limit);
        for await (const row of readRows(source.path, readOptions)) {
            const r = rank[counts.read++];
            if (r < limit) slots[r] = row;
        }
        if (counts.read !== n) throw new InvalidInput(`${source.path} changed while being read (${n} rows counted, ${counts.read} read)`, {field: `sources.${source.name}`});
        for (const row of slots) yield row as Picked;
        return;
    }
    const kept: {rank: number, row: Picked}[] = [];
    let global = 0;
    let worst = -1;
    for await (const row of readRows(source.path, readOptions)) {
        const r = rank[global++];
        counts.read++;
        if (!passesFilters(row.value, source.where)) {
            counts.filtered++;
            continue;
        }
        if (kept.length < limit) {
            kept.push({rank: r, row});
            if (kept.length === limit) {
                kept.sort((a, b) => a.rank - b.rank);
                worst = kept[kept.length - 1].rank;
            }
        } else if (r < worst) {
            // Replace the worst-ranked kept row, keeping `kept` sorted by rank.
            kept.pop();
            let i = kept.length;
            while (i > 0 && kept[i - 1].rank > r) i--;
            kept.splice(i, 0, {rank: r, row});
            worst = kept[kept.length - 1].rank;
        }
    }
    if (global !== n) throw new InvalidInput(`${source.path} changed while being read (${n} rows counted, ${global} read)`, {field: `sources.${source.name}`});
    kept.sort((a, b) => a.rank - b.rank);
    for (const {row} of kept) yield row;
}

/**
 * Build a mix into `output` (`.parquet`, `.jsonl` or `.json`). Rows are rendered source by source
 * into temporary JSONL parts beside the output, then written in the output order; the output file
 * appears only when complete.
 */
export async function buildMix(config: MixConfig, output: string, options: BuildMixOptions = {}): Promise<MixReport> {
    const checked = parseMixConfig(config);
    const seed = checked.seed ?? 42;
    const order = checked.order ?? "alternate";
    const renderOptions = {profile: checked.profile ?? "rm-r1-instruct", quirks: checked.quirks};
    formatOf(output);
    checkOutputFolder(output);
    const workDir = mkdtempSync(join(dirname(resolve(output)), ".rmr1-mix-"));
    const report: MixReport = {output, rows: 0, labels: {model_a: 0, model_b: 0}, sources: [], badRows: 0};
    let counter = 0;   // mix_data.py's CURRENT_NUM: one counter across every source, in source order
    let final: RowWriter | undefined;
    try {
        const parts = new Map<string, string>();
        for (const source of checked.sources) {
            const bad = new BadRows({strict: options.strict});
            const counts = {read: 0, filtered: 0};
            const stats = {name: source.name, read: 0, filtered: 0, kept: 0, multiTurn: 0, firstIndex: counter, bad: 0, badExamples: [] as BadRowExample[]};
            const partFile = join(workDir, `${parts.size}.jsonl`);
            const part = openRowWriter(partFile, {format: "jsonl"});
            let shape = source.shape;
            for await (const row of pickRows(source, seed, counts, options, bad)) {
                let records: PreferenceRecord[];
                try {
                    shape ??= detectShapeOrThrow(row.value, row.location);
                    records = convertRow(row.value, shape, {location: row.location, index: row.index, file: row.file});
                } catch (e) {
                    bad.add(e, row.location);
                    continue;
                }
                for (const record of records) {
                    const chosenFirst = order === "alternate" ? counter % 2 === 0 : keyedUniform(seed, `${source.name}\u0000${record.id}`) < 0.5;
                    const pairOrder: PairOrder = chosenFirst ? "chosen-first" : "chosen-second";
                    let rendered;
                    try {
                        rendered = renderPair(record, pairOrder, renderOptions);
                    } catch (e) {
                        bad.add(e instanceof InvalidInput ? new InvalidInput(e.message, {field: e.field, location: row.location}) : e, row.location);
                        continue;
                    }
                    const out: MixRow = {context_messages: rendered.messages, winner: rendered.label};
                    if (checked.includeMeta === true) {
                        out.id = `${source.name}:${record.id}`;
                        if (record.source != null) out.source = record.source;
                        if (record.domain != null) out.domain = record.domain;
                    }
                    part.write(out as unknown as Record<string, unknown>);
                    counter++;
                    stats.kept++;
                    if (rendered.multiTurn) stats.multiTurn++;
                    report.labels[rendered.label]++;
                }
                if ((counts.read & 1023) === 0) options.onProgress?.({source: source.name, rows: counts.read, kept: stats.kept});
            }
            part.close();
            parts.set(source.name, partFile);
            stats.read = counts.read;
            stats.filtered = counts.filtered;
            stats.bad = bad.count;
            stats.badExamples = bad.examples;
            report.badRows += bad.count;
            report.sources.push(stats);
            options.onProgress?.({source: source.name, rows: counts.read, kept: stats.kept});
        }
        final = openRowWriter(output, {schema: mixSchema(checked.includeMeta === true)});
        for (const name of checked.output ?? checked.sources.map(s => s.name)) {
            for await (const {value} of readJsonl<Record<string, unknown>>(parts.get(name) as string)) final.write(value);
        }
        final.close();
        report.rows = final.count;
        return report;
    } catch (e) {
        final?.abort();
        throw e;
    } finally {
        rmSync(workDir, {recursive: true, force: true});
    }
}

/** Parquet schema of mix rows: `context_messages: list<struct<role, content>>`, `winner: string` (+ id, source, domain). */
export function mixSchema(includeMeta: boolean): ParquetSchema {
    const schema: ParquetSchema = {
        context_messages: {list: {struct: {role: "string", content: "string"}}},
        winner: "string"
    };
    if (includeMeta) Object.assign(schema, {id: "string", source: "string", domain: "string"});
    return schema;
}
