// One entry point for the three loaders.
import type {BenchmarkName} from "./constants.js";
import {loadRewardBench} from "./loadRewardBench.js";
import {loadRmBench} from "./loadRmBench.js";
import {loadRmb} from "./loadRmb.js";
import type {BenchmarkData, LoadBenchmarkOptions} from "./types.js";

/** Load a benchmark by name (see `loadRewardBench`, `loadRmBench`, `loadRmb` for sources and ids). */
export function loadBenchmark(benchmark: BenchmarkName, options: LoadBenchmarkOptions = {}): Promise<BenchmarkData> {
    switch (benchmark) {
        case "rewardbench": return loadRewardBench(options);
        case "rm-bench": return loadRmBench(options);
        case "rmb": return loadRmb(options);
    }
}
