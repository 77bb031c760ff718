// Where benchmark data comes from: a local folder or file, or the Hugging Face Hub. With no source
// given, the shared benchmark folder is used when it exists (`$RMR1_BENCHMARKS_DIR`, else
// `../shared/benchmarks/` beside the package), else the benchmark's Hub dataset.
import {existsSync} from "node:fs";
import {basename, dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {NotFound} from "../errors.js";
import {isHubUri, resolveHubSource} from "../data/hub.js";
import type {HubSourceOptions} from "../data/hub.js";
import {resolveSource} from "../data/rows.js";
import type {BenchmarkName} from "./constants.js";

/**
 * The Hub dataset each benchmark loads by default, and what is taken from it. RMB has no official Hub
 * copy: its data lives in the GitHub repository `Zhou-Zoey/RMB-Reward-Model-Benchmark` (`RMB_dataset/`).
 */
export const benchmarkHubSources: Readonly<Record<BenchmarkName, {uri?: string, note: string}>> = {
    "rewardbench": {uri: "hf://datasets/allenai/reward-bench", note: "split `filtered` (data/filtered-00000-of-00001.parquet, 2,985 rows)"},
    "rm-bench": {uri: "hf://datasets/THU-KEG/RM-Bench/total_dataset.json", note: "total_dataset.json (1,327 prompts, all five domains, `domain` field per row)"},
    "rmb": {
        note: "its data is not on the Hub: clone https://github.com/Zhou-Zoey/RMB-Reward-Model-Benchmark and pass its RMB_dataset/ folder as the source"
    }
};

/** The folder under the shared benchmark root that holds each benchmark. */
const sharedFolders: Readonly<Record<BenchmarkName, string>> = {"rewardbench": "rewardbench", "rm-bench": "rm-bench", "rmb": "rmb"};

/** The shared benchmark root: `$RMR1_BENCHMARKS_DIR`, else `../shared/benchmarks` beside the package root, when it exists. */
export function sharedBenchmarkDir(): string | undefined {
    const env = process.env.RMR1_BENCHMARKS_DIR;
    if (env != null && env !== "") return existsSync(env) ? resolve(env) : undefined;
    // src/bench/ (tsx) and dist/bench/ (built) are both two levels below the package root.
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
    const dir = join(root, "..", "shared", "benchmarks");
    return existsSync(dir) ? dir : undefined;
}

/** The source a loader uses when none is given: the shared folder when present, else the Hub dataset. */
export function defaultBenchmarkSource(benchmark: BenchmarkName): string {
    const shared = sharedBenchmarkDir();
    if (shared != null) {
        const dir = join(shared, sharedFolders[benchmark]);
        if (existsSync(dir)) return dir;
    }
    const hub = benchmarkHubSources[benchmark].uri;
    if (hub != null) return hub;
    throw new NotFound(`no local ${benchmark} data (no shared benchmark folder; set RMR1_BENCHMARKS_DIR or pass a source), and ${benchmarkHubSources[benchmark].note}`);
}

/**
 * The local files of a benchmark source, sorted by path: a file, every data file under a folder, or
 * the files of an `hf:` URI (downloaded into the Hub cache; `hub` selects split and extensions).
 */
export async function benchmarkFiles(source: string, hub: HubSourceOptions = {}): Promise<string[]> {
    if (isHubUri(source)) return resolveHubSource(source, hub);
    if (!existsSync(source)) throw new NotFound(`${source}: no such file or folder`);
    return resolveSource(source);
}

/** A file's name without its extension. */
export function stem(file: string): string {
    return basename(file).replace(/\.[^.]+$/, "");
}

