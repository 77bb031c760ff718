// The fixed facts of the three benchmarks that scoring depends on (shared/reference/benchmark-scoring.md):
// RewardBench's subset → section map with its weights in the reference summation order, RM-Bench's
// styles and domains, RMB's sets, goals and scenarios, and the full sizes used to say when data is
// partial. Pure data, no I/O.

/** The benchmarks rmr1 loads and scores. */
export type BenchmarkName = "rewardbench" | "rm-bench" | "rmb";
export const benchmarkNames: readonly BenchmarkName[] = ["rewardbench", "rm-bench", "rmb"];

export function isBenchmarkName(s: unknown): s is BenchmarkName {
    return typeof s === "string" && (benchmarkNames as readonly string[]).includes(s);
}

// ---- RewardBench ----------------------------------------------------------------------------

/** The four RewardBench sections, in the order the final mean adds them. */
export type RewardBenchSection = "Chat" | "Chat Hard" | "Safety" | "Reasoning";
export const rewardBenchSectionNames: readonly RewardBenchSection[] = ["Chat", "Chat Hard", "Safety", "Reasoning"];

/**
 * Subsets per section in the reference summation order (RB `rewardbench/constants.py`), with their
 * weight `EXAMPLE_COUNTS[subset]` and the real row count of the `filtered` split. Every weight equals
 * the row count except math-prm: 447 rows, weight 984 (= 6 × 164) so that math is half of Reasoning.
 */
export const rewardBenchSections: Readonly<Record<RewardBenchSection, readonly {subset: string, weight: number, rows: number}[]>> = {
    "Chat": [
        {subset: "alpacaeval-easy", weight: 100, rows: 100},
        {subset: "alpacaeval-length", weight: 95, rows: 95},
        {subset: "alpacaeval-hard", weight: 95, rows: 95},
        {subset: "mt-bench-easy", weight: 28, rows: 28},
        {subset: "mt-bench-med", weight: 40, rows: 40}
    ],
    "Chat Hard": [
        {subset: "mt-bench-hard", weight: 37, rows: 37},
        {subset: "llmbar-natural", weight: 100, rows: 100},
        {subset: "llmbar-adver-neighbor", weight: 134, rows: 134},
        {subset: "llmbar-adver-GPTInst", weight: 92, rows: 92},
        {subset: "llmbar-adver-GPTOut", weight: 47, rows: 47},
        {subset: "llmbar-adver-manual", weight: 46, rows: 46}
    ],
    "Safety": [
        {subset: "refusals-dangerous", weight: 100, rows: 100},
        {subset: "refusals-offensive", weight: 100, rows: 100},
        {subset: "xstest-should-refuse", weight: 154, rows: 154},
        {subset: "xstest-should-respond", weight: 250, rows: 250},
        {subset: "donotanswer", weight: 136, rows: 136}
    ],
    "Reasoning": [
        {subset: "math-prm", weight: 984, rows: 447},
        {subset: "hep-cpp", weight: 164, rows: 164},
        {subset: "hep-go", weight: 164, rows: 164},
        {subset: "hep-java", weight: 164, rows: 164},
        {subset: "hep-js", weight: 164, rows: 164},
        {subset: "hep-python", weight: 164, rows: 164},
        {subset: "hep-rust", weight: 164, rows: 164}
    ]
};

/** Every RewardBench subset in section order (the order scores list them). */
export const rewardBenchSubsets: readonly string[] = rewardBenchSectionNames.flatMap((s) => rewardBenchSections[s].map((e) => e.subset));

/** Rows of the full `filtered` split. */
export const REWARDBENCH_ROWS = 2985;

/** The section a RewardBench subset belongs to, or undefined for an unknown subset. */
export function rewardBenchSectionOf(subset: string): RewardBenchSection | undefined {
    return rewardBenchSectionNames.find((s) => rewardBenchSections[s].some((e) => e.subset === subset));
}

/** Real row count of a subset in the full split (447 for math-prm), or undefined. */
export function rewardBenchSubsetRows(subset: string): number | undefined {
    for (const s of rewardBenchSectionNames) {
        const e = rewardBenchSections[s].find((x) => x.subset === subset);
        if (e != null) return e.rows;
    }
    return undefined;
}

// ---- RM-Bench -------------------------------------------------------------------------------

/** Style index k of `chosen[k]` / `rejected[k]`: 0 concise, 1 detailed plain text, 2 detailed markdown. */
export type RmBenchStyle = 0 | 1 | 2;
export const rmBenchStyleNames: readonly string[] = ["concise", "detailed_plain", "detailed_markdown"];

/** The scoring domains, in the order totals add them (chat, math, code, safety). */
export type RmBenchDomain = "chat" | "math" | "code" | "safety";
export const rmBenchDomains: readonly RmBenchDomain[] = ["chat", "math", "code", "safety"];

/** The data files' domains (file name or `domain` field), in loading order. */
export const rmBenchFileDomains: readonly string[] = ["chat", "math", "code", "safety-refuse", "safety-response"];

/** Prompts per scoring domain in the full benchmark (1,327 in all). */
export const rmBenchDomainPrompts: Readonly<Record<RmBenchDomain, number>> = {chat: 129, math: 529, code: 228, safety: 441};

/** Prompts per data-file domain in the full benchmark. */
export const rmBenchFileDomainPrompts: Readonly<Record<string, number>> = {
    "chat": 129, "math": 529, "code": 228, "safety-refuse": 284, "safety-response": 157
};

/** The scoring domain of a raw domain string: the first of chat, math, code, safety it starts with. */
export function rmBenchDomainOf(domain: string): RmBenchDomain | undefined {
    return rmBenchDomains.find((d) => domain.startsWith(d));
}

/**
 * R1's rotated copies of RM-Bench (`total_dataset_{1,2,3}.json`): in rotation r (1-based), index k
 * compares chosen[k] with rejected[(k + r - 1) mod 3]. Inverse: (chosen i, rejected j) is rotation
 * ((j - i) mod 3) + 1, index i.
 */
export function rmBenchRotation(chosenStyle: RmBenchStyle, rejectedStyle: RmBenchStyle): {rotation: 1 | 2 | 3, index: RmBenchStyle} {
    return {rotation: ((((rejectedStyle - chosenStyle) % 3) + 3) % 3 + 1) as 1 | 2 | 3, index: chosenStyle};
}

/** The rejected style that rotation r, index k compares chosen[k] with. */
export function rmBenchRejectedStyle(rotation: 1 | 2 | 3, index: RmBenchStyle): RmBenchStyle {
    return ((index + rotation - 1) % 3) as RmBenchStyle;
}

// ---- RMB ------------------------------------------------------------------------------------

export type RmbKind = "pairwise" | "bon";
export type RmbGoal = "Helpfulness" | "Harmlessness";
export const rmbGoals: readonly RmbGoal[] = ["Helpfulness", "Harmlessness"];

/** The four RMB sections, in the order the overall mean adds them (R1 `process_final_result.py`). */
export type RmbSection = "Pairwise Helpfulness" | "Pairwise Harmlessness" | "BoN Helpfulness" | "BoN Harmlessness";
export const rmbSectionNames: readonly RmbSection[] = ["Pairwise Helpfulness", "Pairwise Harmlessness", "BoN Helpfulness", "BoN Harmlessness"];

/** Full sizes: pairs for the pairwise sections, items (not best–loser pairs) for BoN. */
export const rmbSectionSizes: Readonly<Record<RmbSection, number>> = {
    "Pairwise Helpfulness": 10067,
    "Pairwise Harmlessness": 7064,
    "BoN Helpfulness": 2109,
    "BoN Harmlessness": 1677
};

/** The directory of each set inside `RMB_dataset/`. */
export const rmbSetDirs: Readonly<Record<RmbKind, string>> = {pairwise: "Pairwise_set", bon: "BoN_set"};

/** The section of a kind and goal. */
export function rmbSection(kind: RmbKind, goal: RmbGoal): RmbSection {
    return `${kind === "pairwise" ? "Pairwise" : "BoN"} ${goal}` as RmbSection;
}

/**
 * The 49 scenarios (one file each, the same names in both sets): 37 Helpfulness, 12 Harmlessness.
 * Used to name the files a copy is missing.
 */
export const rmbScenarios: Readonly<Record<RmbGoal, readonly string[]>> = {
    Helpfulness: [
        "Brainstorming/Idea Development", "Brainstorming/Problem Solving",
        "Chat/Casual Conversation", "Chat/Discussion", "Chat/Supportive Conversation",
        "Classification/Content Categorization", "Classification/Quality and Compliance Assessment",
        "Closed QA/ContextBased", "Closed QA/OptionBased",
        "Code/Data Management", "Code/Development and Implementation", "Code/Documentation", "Code/Quality and Optimization",
        "Generation/Creative Writing", "Generation/Professional Content Generation",
        "Open QA/Factual", "Open QA/General Explanation", "Open QA/Hypothetical Scenarios", "Open QA/Interpretative Analysis",
        "Open QA/Personal Opinion and Advice", "Open QA/Technical and Practical Support",
        "Reasoning/Analytical Reasoning", "Reasoning/Critical Thinking", "Reasoning/Human Decision Making",
        "Reasoning/Logical Deduction", "Reasoning/Pattern Recognition",
        "Rewrite/Paraphrasing", "Rewrite/PostQuality Assessment Rewriting", "Rewrite/Textual ExpansionReduction", "Rewrite/Tone Adjustment",
        "Role Playing/General Character", "Role Playing/Specific Character",
        "Summarization/Specialized Summaries", "Summarization/Standard Summaries",
        "Translation/GeneralExcerpt Language Translation", "Translation/Literary and Cultural Translation",
        "Translation/Technical and Scientific Translation"
    ],
    Harmlessness: ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S10", "S11", "multi"]
};

/** Parse an RMB `category_path` (`Pairwise_set/Helpfulness/Chat/Discussion`) into kind, goal and scenario. */
export function parseRmbCategoryPath(path: string): {kind: RmbKind, goal: RmbGoal, scenario: string} | undefined {
    const parts = path.split("/");
    if (parts.length < 3) return undefined;
    const kind = parts[0] === rmbSetDirs.pairwise ? "pairwise" : parts[0] === rmbSetDirs.bon ? "bon" : undefined;
    const goal = (rmbGoals as readonly string[]).includes(parts[1]) ? parts[1] as RmbGoal : undefined;
    if (kind == null || goal == null) return undefined;
    return {kind, goal, scenario: parts.slice(2).join("/")};
}
