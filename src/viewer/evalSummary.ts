// The evaluation summary of a run's samples: verdict counts, position bias, per-group bars and the
// paper-layout score report. Scores come from the benchmark layer's own scorer and report
// (`scoreSamples`, `renderBenchReport`), so the page shows exactly the numbers `rmr1 bench score`
// would print for the same lines.
import {rewardBenchSubsets, rmBenchDomains, rmbSectionNames} from "../bench/constants.js";
import type {RmbSection, RmBenchDomain} from "../bench/constants.js";
import {releasedResults} from "../bench/publishedResults.js";
import {renderBenchReport} from "../bench/renderBenchReport.js";
import {errorRules, rmBenchMappings, sampleOutcome} from "../bench/samples.js";
import type {BenchSample, ErrorRule, RmBenchMapping} from "../bench/samples.js";
import {allScores, scoreSamples} from "../bench/scoreSamples.js";
import type {BenchResults} from "../bench/scoreSamples.js";
import type {EvalSummary, GroupStat, LineProblem, PositionBias, PositionStat, SampleResult, SampleRow} from "./apiTypes.js";
import type {SampleCore} from "./sampleLine.js";

/** The scoring settings a run was made with (from `run.json`'s config), defaults as `rmr1 eval`'s. */
export function scoringSettings(config: Record<string, unknown> | undefined): {rules: ErrorRule, rmbenchMapping: RmBenchMapping} {
    const c = config ?? {};
    const rules = (errorRules as readonly unknown[]).includes(c.rules) ? c.rules as ErrorRule : "r1";
    const mapping = [c.rmbenchMapping, c["rmbench-mapping"], c.rmbench_mapping].find((m) => (rmBenchMappings as readonly unknown[]).includes(m));
    return {rules, rmbenchMapping: (mapping as RmBenchMapping | undefined) ?? "correct"};
}

export interface EvalSummaryInput {
    rows: readonly SampleCore[];
    unreadable: {problems: LineProblem[], count: number};
    config?: Record<string, unknown>;
    /** The judge's name for the report. */
    model: string;
    title: string;
    seed?: number;
    /** report.md of the run, shown when the samples cannot be scored. */
    reportFile?: string;
}

export function evalSummary(input: EvalSummaryInput): EvalSummary {
    const {rows} = input;
    const {rules, rmbenchMapping} = scoringSettings(input.config);
    const verdicts = {A: 0, B: 0, tie: 0, error: 0};
    const results: Record<SampleResult, number> = {correct: 0, wrong: 0, tie: 0, error: 0, unlabelled: 0};
    let formatIssues = 0;
    const benchmarks = new Set<string>();
    const bench: BenchSample[] = [];
    const unscored: LineProblem[] = [];
    let unscoredCount = 0;
    for (const r of rows) {
        if (r.verdict != null) verdicts[r.verdict]++;
        results[r.result]++;
        if (r.violations > 0) formatIssues++;
        if (r.benchmark != null) benchmarks.add(r.benchmark);
        if (r.bench != null) bench.push(r.bench);
        if (r.benchProblem != null) {
            unscoredCount++;
            if (unscored.length < 20) unscored.push({line: r.line, message: r.benchProblem});
        }
    }

    let scored: BenchResults | null = null;
    let scoreError: string | null = null;
    let report: string | null = null;
    if (bench.length > 0) {
        try {
            scored = scoreSamples(bench, {rules, rmbenchMapping});
            report = renderBenchReport(scored, {
                title: input.title, model: input.model, rules, rmbenchMapping,
                ...(input.seed != null ? {seed: input.seed} : {})
            });
        } catch (e) {
            scoreError = (e as Error).message;
        }
    }
    if (report == null && input.reportFile != null) report = input.reportFile;
    if (unscoredCount > 0 && scoreError == null && scored != null)
        scoreError = `${unscoredCount} line${unscoredCount > 1 ? "s are" : " is"} not valid benchmark samples and left out of the scores (first: line ${unscored[0].line})`;

    return {
        total: rows.length,
        benchmarks: [...benchmarks],
        verdicts,
        results,
        formatIssues,
        groups: groupStats(rows, scored, rules),
        bias: positionBias(rows),
        report,
        scores: scored != null ? allScores(scored) as Record<string, unknown> : null,
        rules,
        rmbenchMapping,
        scoreError,
        unreadable: input.unreadable.problems,
        unreadableCount: input.unreadable.count,
        unscored,
        unscoredCount
    };
}

/** Accuracy by where the chosen reply sat, and the share of A verdicts (position bias). */
export function positionBias(rows: readonly Pick<SampleRow, "chosenPosition" | "verdict" | "result">[]): PositionBias {
    const stat = (): PositionStat => ({n: 0, correct: 0, accuracy: null});
    const inA = stat();
    const inB = stat();
    let a = 0, b = 0;
    for (const r of rows) {
        if (r.verdict === "A") a++;
        else if (r.verdict === "B") b++;
        if (r.chosenPosition == null || r.result === "unlabelled") continue;
        const s = r.chosenPosition === "A" ? inA : inB;
        s.n++;
        if (r.result === "correct") s.correct++;
    }
    for (const s of [inA, inB]) s.accuracy = s.n > 0 ? s.correct / s.n : null;
    return {
        chosenInA: inA, chosenInB: inB, verdictsAB: a + b, aShare: a + b > 0 ? a / (a + b) : null,
        delta: inA.accuracy != null && inB.accuracy != null ? inA.accuracy - inB.accuracy : null
    };
}

/**
 * One bar per group. The value is the benchmark's own number for the group where it defines one
 * (RewardBench subset accuracy, RM-Bench domain value, RMB section score), else the mean outcome.
 */
function groupStats(rows: readonly SampleCore[], scored: BenchResults | null, rules: ErrorRule): GroupStat[] {
    const groups = new Map<string, {benchmark: string | null, label: string, count: number, correct: number, sum: number}>();
    for (const r of rows) {
        if (r.group == null) continue;
        const key = groupKey(r.benchmark, r.group);
        const g = groups.get(key) ?? {benchmark: r.benchmark, label: r.group, count: 0, correct: 0, sum: 0};
        g.count++;
        if (r.result === "correct") g.correct++;
        g.sum += r.bench != null ? sampleOutcome(r.bench, rules) : r.outcome ?? 0;
        groups.set(key, g);
    }
    const out: GroupStat[] = [];
    for (const [key, g] of groups) {
        const plain = {value: g.sum / g.count, measure: "mean outcome", released: [] as GroupStat["released"]};
        const official = officialValue(g.benchmark, g.label, scored);
        out.push({key, benchmark: g.benchmark, label: g.label, count: g.count, correct: g.correct, ...(official ?? plain)});
    }
    return out.sort((x, y) => groupOrder(x) - groupOrder(y) || (x.benchmark ?? "").localeCompare(y.benchmark ?? "") || x.label.localeCompare(y.label));
}

/** The filter key of a group: benchmark and group name. */
export function groupKey(benchmark: string | null, group: string): string {
    return benchmark != null ? `${benchmark}/${group}` : group;
}

function officialValue(benchmark: string | null, group: string, scored: BenchResults | null): Pick<GroupStat, "value" | "measure" | "released"> | null {
    if (scored == null) return null;
    if (benchmark === "rewardbench") {
        const v = scored["rewardbench"]?.scores.subsets[group];
        if (v == null) return null;
        return {value: v, measure: "subset accuracy", released: released((r) => r.rewardbenchSubsets[group])};
    }
    if (benchmark === "rm-bench") {
        const d = scored["rm-bench"]?.details.domains[group as RmBenchDomain];
        if (d == null) return null;
        return {value: d.value, measure: "domain score (mean of the 3×3 style matrix)", released: released((r) => r.rmBench[group])};
    }
    if (benchmark === "rmb") {
        const v = scored["rmb"]?.scores[group as RmbSection];
        if (v == null) return null;
        return {value: v, measure: group.startsWith("BoN") ? "section score (an item counts when every loser is beaten)" : "section accuracy", released: released((r) => r.rmb[group])};
    }
    return null;
}

function released(pick: (r: typeof releasedResults[number]) => number | undefined): GroupStat["released"] {
    const out: GroupStat["released"] = [];
    for (const r of releasedResults) {
        const v = pick(r);
        if (typeof v === "number") out.push({model: r.model, value: v});
    }
    return out;
}

/** Groups in the benchmarks' table order. */
function groupOrder(g: GroupStat): number {
    const lists: [string, readonly string[]][] = [["rewardbench", rewardBenchSubsets], ["rm-bench", rmBenchDomains], ["rmb", rmbSectionNames]];
    for (let b = 0; b < lists.length; b++) {
        if (g.benchmark !== lists[b][0]) continue;
        const i = lists[b][1].indexOf(g.label);
        return b * 1000 + (i >= 0 ? i : 999);
    }
    return 10_000;
}
