// Sample lines: one judged comparison per line of `samples.jsonl`. `rmr1 bench score` accepts the
// minimal lines of issue 6 and the richer lines `rmr1 eval` writes (the same field names plus more):
//
//   {"benchmark":"rewardbench","id","subset","outcome"}
//   {"benchmark":"rm-bench","id","domain","chosen_style","rejected_style","outcome"[,"rotation","index"]}
//   {"benchmark":"rmb","kind":"pairwise"|"bon","id","category_path"[,"loser_index"],"outcome"}
//
// `outcome` is 1, 0.5 or 0. A line may also carry `item_id` (the item the comparison belongs to;
// defaults to `id`), `verdict` ("A" | "B" | "tie" | "error") and `chosen_position` ("A" | "B"): with a
// verdict the line is checked for consistency and the error rule (`r1` error → 0, `original`
// error → 0.5) is applied to it. Without a verdict the recorded outcome is taken as it stands.
import {existsSync} from "node:fs";
import {InvalidInput, NotFound} from "../errors.js";
import {readJsonl} from "../data/jsonl.js";
import type {Position} from "../protocol/types.js";
import {
    benchmarkNames, isBenchmarkName, parseRmbCategoryPath, rewardBenchSectionOf, rewardBenchSubsets, rmBenchDomainOf,
    rmBenchRotation, rmBenchStyleNames
} from "./constants.js";
import type {BenchmarkName, RmBenchDomain, RmBenchStyle, RmbGoal, RmbKind} from "./constants.js";
import type {BenchComparison} from "./types.js";

/** How an `error` verdict (no parsable verdict) scores: `r1` → 0 (RM-R1's harness), `original` → 0.5 (RewardBench's). */
export type ErrorRule = "r1" | "original";
export const errorRules: readonly ErrorRule[] = ["r1", "original"];

/**
 * How RM-Bench cells are filled from R1's three rotation files: `correct` (each cell from the comparison it
 * names) or `as-published` (R1's process_final_result.py, which reads rotation 3 where rotation 2 belongs).
 */
export type RmBenchMapping = "correct" | "as-published";
export const rmBenchMappings: readonly RmBenchMapping[] = ["correct", "as-published"];

/** Options shared by the scorers. */
export interface ScoreOptions {
    /** Error rule. Defaults to `"r1"` (error → 0). */
    rules?: ErrorRule;
    /** RM-Bench cell mapping. Defaults to `"correct"`. */
    rmbenchMapping?: RmBenchMapping;
}

/** A comparison's outcome: 1 chosen preferred, 0 rejected preferred, 0.5 a tie (or an error under `original`). */
export type Outcome = 0 | 0.5 | 1;

/** A judge verdict as recorded in a sample line. */
export type RecordedVerdict = "A" | "B" | "tie" | "error";
const verdicts: readonly RecordedVerdict[] = ["A", "B", "tie", "error"];

interface SampleBase {
    benchmark: BenchmarkName;
    id: string;
    /** The item this comparison belongs to (RM-Bench prompt, BoN item); defaults to `id`. */
    item_id: string;
    /** The outcome as recorded (see `sampleOutcome` for the one scoring uses). */
    outcome: Outcome;
    verdict?: RecordedVerdict;
    chosen_position?: Position;
    /** The A/B order policy the judging used (`random` is the reference protocol). */
    order_policy?: string;
    /** `file:line` the sample came from, for error messages. */
    location?: string;
}

export interface RewardBenchSample extends SampleBase {
    benchmark: "rewardbench";
    subset: string;
}

export interface RmBenchSample extends SampleBase {
    benchmark: "rm-bench";
    /** The raw domain (chat, code, math, safety-refuse, safety-response, or a scoring domain). */
    domain: string;
    scoring_domain: RmBenchDomain;
    chosen_style: RmBenchStyle;
    rejected_style: RmBenchStyle;
    /** R1's rotation file (1–3) of this cell; derived from the styles when the line omits it. */
    rotation: 1 | 2 | 3;
    /** Position in that rotation file (0–2); derived from the styles when the line omits it. */
    index: RmBenchStyle;
}

export interface RmbSample extends SampleBase {
    benchmark: "rmb";
    kind: RmbKind;
    goal: RmbGoal;
    category_path: string;
    loser_index?: number;
    losers?: number;
}

export type BenchSample = RewardBenchSample | RmBenchSample | RmbSample;

/** The outcome scoring uses: the recorded one, except that an `error` verdict follows `rules`. */
export function sampleOutcome(sample: BenchSample, rules: ErrorRule = "r1"): Outcome {
    if (sample.verdict === "error") return rules === "original" ? 0.5 : 0;
    return sample.outcome;
}

/** The outcome of a verdict for a comparison whose chosen reply was shown at `chosenPosition`. */
export function verdictOutcome(verdict: RecordedVerdict, chosenPosition: Position, rules: ErrorRule = "r1"): Outcome {
    if (verdict === "tie") return 0.5;
    if (verdict === "error") return rules === "original" ? 0.5 : 0;
    return verdict === chosenPosition ? 1 : 0;
}

/**
 * Validate one parsed sample line. Throws `InvalidInput` naming the field and `location` (file:line)
 * and saying what is expected.
 */
export function parseSample(value: unknown, location?: string): BenchSample {
    function fail(field: string, message: string): never {
        throw new InvalidInput(message, {field, location});
    }
    if (value == null || typeof value !== "object" || Array.isArray(value))
        fail("sample", `a sample line must be a JSON object, got ${describe(value)}`);
    const v = value as Record<string, unknown>;
    const benchmark = v.benchmark;
    if (!isBenchmarkName(benchmark))
        fail("benchmark", `'benchmark' must be one of ${benchmarkNames.join(", ")}, got ${describe(benchmark)}`);
    const id = idField(v.id, "id", fail) ?? fail("id", "'id' is missing; every sample needs the id of its comparison or item");
    const item_id = idField(v.item_id, "item_id", fail) ?? id;
    const outcome = v.outcome;
    if (outcome !== 0 && outcome !== 0.5 && outcome !== 1)
        fail("outcome", `'outcome' must be 1, 0.5 or 0, got ${describe(outcome)}`);
    const base: SampleBase = {benchmark, id, item_id, outcome};
    if (location != null) base.location = location;
    if (v.verdict != null) {
        if (!(verdicts as readonly unknown[]).includes(v.verdict))
            fail("verdict", `'verdict' must be one of ${verdicts.join(", ")}, got ${describe(v.verdict)}`);
        base.verdict = v.verdict as RecordedVerdict;
    }
    if (v.chosen_position != null) {
        if (v.chosen_position !== "A" && v.chosen_position !== "B")
            fail("chosen_position", `'chosen_position' must be "A" or "B", got ${describe(v.chosen_position)}`);
        base.chosen_position = v.chosen_position as Position;
    }
    if (v.order_policy != null) {
        if (typeof v.order_policy !== "string") fail("order_policy", `'order_policy' must be a string, got ${describe(v.order_policy)}`);
        base.order_policy = v.order_policy;
    }
    checkConsistent(base, fail);

    if (benchmark === "rewardbench") {
        const subset = v.subset;
        if (typeof subset !== "string" || rewardBenchSectionOf(subset) == null)
            fail("subset", `'subset' must be a RewardBench subset (${rewardBenchSubsets.join(", ")}), got ${describe(subset)}`);
        return {...base, benchmark, subset};
    }
    if (benchmark === "rm-bench") {
        const domain = v.domain;
        const scoring = typeof domain === "string" ? rmBenchDomainOf(domain) : undefined;
        if (typeof domain !== "string" || scoring == null)
            fail("domain", `'domain' must start with chat, math, code or safety (e.g. safety-refuse), got ${describe(domain)}`);
        const chosen_style = styleField(v.chosen_style, "chosen_style", fail);
        const rejected_style = styleField(v.rejected_style, "rejected_style", fail);
        const derived = rmBenchRotation(chosen_style, rejected_style);
        if (v.rotation != null && v.rotation !== derived.rotation) {
            fail("rotation", `'rotation' ${describe(v.rotation)} does not match chosen_style ${chosen_style} × rejected_style ${rejected_style}, ` +
                `which R1's rotation files judge in rotation ${derived.rotation} (rejected = (chosen + rotation − 1) mod 3)`);
        }
        if (v.index != null && v.index !== derived.index)
            fail("index", `'index' ${describe(v.index)} must equal chosen_style ${chosen_style} (index k compares chosen[k])`);
        return {
            ...base, benchmark, domain, scoring_domain: scoring,
            chosen_style, rejected_style, rotation: derived.rotation, index: derived.index
        };
    }
    // rmb
    const kind = v.kind;
    if (kind !== "pairwise" && kind !== "bon")
        fail("kind", `'kind' must be "pairwise" or "bon", got ${describe(kind)}`);
    const path = v.category_path;
    const parsed = typeof path === "string" ? parseRmbCategoryPath(path) : undefined;
    if (typeof path !== "string" || parsed == null)
        fail("category_path", `'category_path' must look like Pairwise_set/<Helpfulness|Harmlessness>/<scenario> or BoN_set/…, got ${describe(path)}`);
    if (parsed.kind !== kind)
        fail("kind", `'kind' is ${describe(kind)} but category_path ${describe(path)} is in the ${parsed.kind === "bon" ? "BoN" : "Pairwise"} set`);
    const sample: RmbSample = {...base, benchmark, kind, goal: parsed.goal, category_path: path};
    if (kind === "bon") {
        const k = v.loser_index;
        if (typeof k !== "number" || !Number.isInteger(k) || k < 0)
            fail("loser_index", `'loser_index' (which loser of the BoN item, from 0) must be an integer >= 0 for kind bon, got ${describe(k)}`);
        sample.loser_index = k;
        const n = v.losers;
        if (n != null) {
            if (typeof n !== "number" || !Number.isInteger(n) || n <= k)
                fail("losers", `'losers' (the BoN item's loser count) must be an integer > loser_index ${k}, got ${describe(n)}`);
            sample.losers = n;
        }
    } else if (v.loser_index != null) {
        fail("loser_index", "'loser_index' belongs to BoN samples only; remove it or set kind to bon");
    }
    return sample;
}

/** A verdict and the recorded outcome must agree (the outcome of an error depends on the rule it was written with). */
function checkConsistent(s: SampleBase, fail: (field: string, message: string) => never): void {
    if (s.verdict == null) return;
    if (s.verdict === "tie" && s.outcome !== 0.5)
        fail("outcome", `'outcome' ${s.outcome} contradicts verdict tie (a tie scores 0.5)`);
    if (s.verdict === "error" && s.outcome === 1)
        fail("outcome", "'outcome' 1 contradicts verdict error (an error scores 0 or 0.5)");
    if ((s.verdict === "A" || s.verdict === "B") && s.chosen_position != null) {
        const expected = s.verdict === s.chosen_position ? 1 : 0;
        if (s.outcome !== expected)
            fail("outcome", `'outcome' ${s.outcome} contradicts verdict ${s.verdict} with the chosen reply at ${s.chosen_position} (expected ${expected})`);
    }
}

function idField(value: unknown, field: string, fail: (field: string, message: string) => never): string | undefined {
    if (value == null) return undefined;
    if (typeof value === "string" && value !== "") return value;
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    return fail(field, `'${field}' must be a non-empty string or a number, got ${describe(value)}`);
}

function styleField(value: unknown, field: string, fail: (field: string, message: string) => never): RmBenchStyle {
    if (value === 0 || value === 1 || value === 2) return value;
    if (typeof value === "string") {
        const k = rmBenchStyleNames.indexOf(value);
        if (k >= 0) return k as RmBenchStyle;
    }
    return fail(field, `'${field}' must be 0, 1 or 2 (${rmBenchStyleNames.map((n, i) => `${i} ${n}`).join(", ")}), got ${describe(value)}`);
}

function describe(value: unknown): string {
    if (value === undefined) return "nothing";
    const s = JSON.stringify(value);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Options of `readSamples`. */
export interface ReadSamplesOptions {
    /** Keep only this benchmark's lines (others are counted in `skipped`). Defaults to every benchmark. */
    benchmark?: BenchmarkName;
}

/**
 * Read and validate a samples file. The first invalid line throws `InvalidInput` with `file:line`.
 * Lines of other benchmarks are skipped when `benchmark` is given (an `rmr1 eval --benchmark all`
 * run writes all three into one file).
 */
export async function readSamples(file: string, options: ReadSamplesOptions = {}): Promise<{samples: BenchSample[], skipped: number}> {
    if (file !== "-" && !existsSync(file))
        throw new NotFound(`samples file ${file} does not exist; pass the samples.jsonl of a run (or a file of sample lines)`);
    const samples: BenchSample[] = [];
    let skipped = 0;
    for await (const {line, value} of readJsonl(file)) {
        const sample = parseSample(value, `${file}:${line}`);
        if (options.benchmark != null && sample.benchmark !== options.benchmark) {
            skipped++;
            continue;
        }
        samples.push(sample);
    }
    return {samples, skipped};
}

/**
 * Throw `InvalidInput` at the second of two samples with the same key (the same comparison judged
 * twice would be counted twice). `what` describes the key for the message.
 */
export function assertUniqueSamples<S extends BenchSample>(samples: readonly S[], keyOf: (s: S) => string, what: (s: S) => string): void {
    const seen = new Map<string, S>();
    for (const s of samples) {
        const key = keyOf(s);
        const first = seen.get(key);
        if (first != null) {
            throw new InvalidInput(
                `${what(s)} appears twice${first.location != null ? ` (first at ${first.location})` : ""}; each comparison must be scored once, remove the duplicate line`,
                {field: "id", location: s.location}
            );
        }
        seen.set(key, s);
    }
}

/** What every scorer reports about its samples besides the scores. */
export interface SampleSummary {
    /** Comparisons scored. */
    comparisons: number;
    /** Lines with verdict `error` (scored by the error rule). */
    errors: number;
    /** Lines with verdict `tie` (scored 0.5). */
    ties: number;
    /** Order policies named by the lines (`random` is the reference protocol); empty when none say. */
    order_policies: string[];
}

export function summarizeSamples(samples: readonly BenchSample[]): SampleSummary {
    const policies = new Set<string>();
    let errors = 0;
    let ties = 0;
    for (const s of samples) {
        if (s.verdict === "error") errors++;
        else if (s.verdict === "tie") ties++;
        if (s.order_policy != null) policies.add(s.order_policy);
    }
    return {comparisons: samples.length, errors, ties, order_policies: [...policies].sort()};
}

/**
 * The identifying fields of a comparison as a sample line writes them (no texts): what `rmr1 eval`
 * puts on each line before the order, output, verdict and outcome.
 */
export function comparisonSampleFields(c: BenchComparison): Record<string, unknown> {
    const base = {benchmark: c.benchmark, id: c.id, item_id: c.item_id};
    switch (c.benchmark) {
        case "rewardbench":
            return {...base, subset: c.subset, section: c.section};
        case "rm-bench":
            return {...base, domain: c.domain, chosen_style: c.chosen_style, rejected_style: c.rejected_style, rotation: c.rotation, index: c.index};
        case "rmb":
            return {...base, kind: c.kind, category_path: c.category_path, ...(c.kind === "bon" ? {loser_index: c.loser_index, losers: c.losers} : {})};
    }
}
