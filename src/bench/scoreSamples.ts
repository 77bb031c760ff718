// Scoring a samples file: one benchmark, or all three plus the paper's overall average
// (Table 1's Avg = mean of RewardBench, RM-Bench and RMB).
import {InvalidInput} from "../errors.js";
import type {BenchmarkName} from "./constants.js";
import {readSamples} from "./samples.js";
import type {BenchSample, RewardBenchSample, RmBenchSample, RmbSample, ScoreOptions} from "./samples.js";
import {scoreRewardBench} from "./scoreRewardBench.js";
import type {RewardBenchDetails, RewardBenchScores} from "./scoreRewardBench.js";
import {scoreRmBench} from "./scoreRmBench.js";
import type {RmBenchDetails, RmBenchScores} from "./scoreRmBench.js";
import {scoreRmb} from "./scoreRmb.js";
import type {RmbDetails, RmbScores} from "./scoreRmb.js";

/** Scores and details of every benchmark present, keyed by benchmark name. */
export interface BenchResults {
    "rewardbench"?: {scores: RewardBenchScores, details: RewardBenchDetails};
    "rm-bench"?: {scores: RmBenchScores, details: RmBenchDetails};
    "rmb"?: {scores: RmbScores, details: RmbDetails};
}

/** The printed form of `--benchmark all`: each benchmark's scores, the paper's average when all three are present. */
export interface AllScores {
    "rewardbench"?: RewardBenchScores;
    "rm-bench"?: RmBenchScores;
    "rmb"?: RmbScores;
    /** ((RewardBench + RM-Bench) + RMB) / 3, present only when all three were scored. */
    average?: number;
    partial?: true;
}

/** The paper's overall average (Table 1 "Avg"): ((RewardBench + RM-Bench) + RMB) / 3. */
export function paperAverage(rewardbench: number, rmBench: number, rmb: number): number {
    return ((rewardbench + rmBench) + rmb) / 3;
}

/** Score already-parsed samples of any mix of benchmarks; each benchmark present gets its scores. */
export function scoreSamples(samples: readonly BenchSample[], options: ScoreOptions = {}): BenchResults {
    const rb: RewardBenchSample[] = [];
    const rmBench: RmBenchSample[] = [];
    const rmb: RmbSample[] = [];
    for (const s of samples) {
        if (s.benchmark === "rewardbench") rb.push(s);
        else if (s.benchmark === "rm-bench") rmBench.push(s);
        else rmb.push(s);
    }
    const out: BenchResults = {};
    if (rb.length > 0) out["rewardbench"] = scoreRewardBench(rb, options);
    if (rmBench.length > 0) out["rm-bench"] = scoreRmBench(rmBench, options);
    if (rmb.length > 0) out["rmb"] = scoreRmb(rmb, options);
    return out;
}

/** Combine per-benchmark results into the `--benchmark all` shape. */
export function allScores(results: BenchResults): AllScores {
    const out: AllScores = {};
    if (results["rewardbench"] != null) out["rewardbench"] = results["rewardbench"].scores;
    if (results["rm-bench"] != null) out["rm-bench"] = results["rm-bench"].scores;
    if (results["rmb"] != null) out["rmb"] = results["rmb"].scores;
    const rb = out["rewardbench"];
    const rmBench = out["rm-bench"];
    const rmb = out["rmb"];
    if (rb != null && rmBench != null && rmb != null) out.average = paperAverage(rb.score, rmBench.score, rmb.score);
    if (rb == null || rmBench == null || rmb == null || rb.partial === true || rmBench.partial === true || rmb.partial === true) out.partial = true;
    return out;
}

/**
 * Read, validate and score a samples file. With a single benchmark, other benchmarks' lines are skipped
 * (`skipped` counts them) and it is an error when none of the asked benchmark's lines are present.
 */
export async function scoreSamplesFile(file: string, benchmark: BenchmarkName | "all", options: ScoreOptions = {}): Promise<{results: BenchResults, skipped: number, samples: number}> {
    const {samples, skipped} = await readSamples(file, benchmark === "all" ? {} : {benchmark});
    if (samples.length === 0) {
        throw new InvalidInput(
            benchmark === "all" ? `${file} has no sample lines` : `${file} has no ${benchmark} sample lines${skipped > 0 ? ` (${skipped} lines of other benchmarks)` : ""}; check --benchmark`,
            {field: "samples"}
        );
    }
    return {results: scoreSamples(samples, options), skipped, samples: samples.length};
}
