// What a benchmark loader produces: comparisons (one judged (chosen, rejected) pair each) as
// `PreferencePair`s plus the metadata scoring needs, in the field names the samples file uses.
import type {HubOptions} from "../data/hub.js";
import type {PreferencePair} from "../protocol/types.js";
import type {BenchmarkName, RewardBenchSection, RmBenchDomain, RmBenchStyle, RmbGoal, RmbKind, RmbSection} from "./constants.js";

/** Fields every comparison has. `id` is stable across runs and unique within its benchmark. */
interface ComparisonBase extends PreferencePair {
    benchmark: BenchmarkName;
    /** Stable comparison id, e.g. `rewardbench/donotanswer/3692`, `rm-bench/chat/8/c0-r2`, `rmb/bon/<uid>/1`. */
    id: string;
    /** The benchmark item it belongs to: the RewardBench row id, RM-Bench prompt id, RMB `pair_uid` / `bon_uid`. */
    item_id: string;
}

/** One RewardBench row (single-turn: `prompt` is one user message). */
export interface RewardBenchComparison extends ComparisonBase {
    benchmark: "rewardbench";
    subset: string;
    section: RewardBenchSection;
    chosen_model: string;
    rejected_model: string;
}

/** One cell (chosen style i, rejected style j) of an RM-Bench prompt's 3×3 matrix. */
export interface RmBenchComparison extends ComparisonBase {
    benchmark: "rm-bench";
    /** The data file's domain: chat, math, code, safety-refuse or safety-response. */
    domain: string;
    /** The scoring domain (safety = safety-refuse ∪ safety-response). */
    scoring_domain: RmBenchDomain;
    /** The row's upstream `subset` (where the prompt came from; not a scoring key). */
    subset?: string;
    chosen_style: RmBenchStyle;
    rejected_style: RmBenchStyle;
    /** R1's rotation file (1–3) that judges this cell: rejected = (chosen + rotation − 1) mod 3. */
    rotation: 1 | 2 | 3;
    /** The position (0–2) in that rotation file; equals `chosen_style`. */
    index: RmBenchStyle;
}

/** One RMB pair: a pairwise item, or one (best, loser k) comparison of a Best-of-N item. */
export interface RmbComparison extends ComparisonBase {
    benchmark: "rmb";
    kind: RmbKind;
    goal: RmbGoal;
    section: RmbSection;
    category_path: string;
    /** BoN only: which loser of `loser_list` (0-based) the best answer is compared with. */
    loser_index?: number;
    /** BoN only: how many losers the item has (its comparisons are loser_index 0 … losers−1). */
    losers?: number;
    chosen_model: string;
    rejected_model: string;
}

export type BenchComparison = RewardBenchComparison | RmBenchComparison | RmbComparison;

/** A loaded benchmark (or the part of it that is available), with a plain account of what is missing. */
export interface BenchmarkData<C extends BenchComparison = BenchComparison> {
    benchmark: BenchmarkName;
    /** Where it was read from: a local path or an `hf://` id. */
    source: string;
    /** Files read, in order. */
    files: string[];
    /** Items read (RewardBench rows, RM-Bench prompts, RMB pairs + BoN items). */
    items: number;
    comparisons: C[];
    /** True when the data is not the full benchmark (missing domain or files, or a filter/limit). */
    partial: boolean;
    /** One plain sentence per gap, e.g. "RM-Bench domain math is missing (529 prompts)". Empty when complete. */
    missing: string[];
}

/** Options of the benchmark loaders. */
export interface LoadBenchmarkOptions {
    /** A local folder or file, or an `hf:` URI. Defaults to the shared benchmark folder when it exists, else the benchmark's Hub dataset. */
    source?: string;
    /**
     * Keep only items matching one of these names: a RewardBench subset or section; an RM-Bench domain
     * (chat, math, code, safety, or a file domain such as safety-refuse); an RMB set (`pairwise`, `bon`),
     * goal, section (`BoN Helpfulness`) or category_path prefix. Defaults to every item.
     */
    subsets?: string[];
    /** At most this many items from each RewardBench subset, RM-Bench domain or RMB section (a stratified slice). Defaults to all. */
    limit?: number;
    /** Hub access (endpoint, cache, token, offline). Defaults from the environment like `huggingface_hub`. */
    hub?: HubOptions;
}
