// Published RM-R1 results (shared/reference/rm-r1-method.md §8), for the reports that set a run beside
// them. Transcribed from the method doc's tables by a script (values exactly as printed there); do not
// edit by hand. Paper Tables 1, 6 and 7 are percentages with one decimal; Table 8 and the released
// harness outputs (§8.4, `eval/result/` of RM-R1-UIUC/RM-R1) are fractions at full precision.

/** Paper Table 1: RewardBench / RM-Bench / RMB / Avg in %, `null` where the paper has "–". */
export interface PaperOverallRow {
    group: string;
    model: string;
    rewardbench: number | null;
    rmBench: number | null;
    rmb: number | null;
    average: number | null;
}

/** Paper Table 6 (RewardBench, %). */
export interface PaperRewardBenchRow {
    model: string;
    "Chat": number;
    "Chat Hard": number;
    "Safety": number;
    "Reasoning": number;
    score: number;
    /** A remark on the row (e.g. a disagreement with Table 1). */
    note?: string;
}

/** Paper Table 7 (RM-Bench, %). */
export interface PaperRmBenchRow {
    model: string;
    chat: number;
    math: number;
    code: number;
    safety: number;
    easy: number;
    normal: number;
    hard: number;
    score: number;
}

/** Paper Table 8 (RMB, fractions with three decimals). */
export interface PaperRmbRow {
    model: string;
    "BoN Helpfulness": number;
    "Pairwise Helpfulness": number;
    "BoN Harmlessness": number;
    "Pairwise Harmlessness": number;
    score: number;
}

/** The released harness outputs of one 32B checkpoint (method doc §8.4), keys as in the released files. */
export interface ReleasedResult {
    model: string;
    /** `main_score.json`: the four sections, `avg_Result_each_section` and `absoluate_Result`. */
    rewardbench: Record<string, number>;
    /** `each_small_section_score.json`: accuracy per subset (metadata keys dropped). */
    rewardbenchSubsets: Record<string, number>;
    /** `final_result.json` (produced with the as-published rotation mapping). */
    rmBench: Record<string, number>;
    /** `META_RESULT.json`. */
    rmb: Record<string, number>;
    /** Per-scenario accuracies of the four `Final_score.json` files, keyed by category_path. */
    rmbCategories: Record<string, number>;
    /** BoN counts: `BoN Absolute Number of Correct` / `BoN Absolute Total Numbers` per goal, and the "Absolute Accuracy". */
    rmbBon: Record<string, number>;
}

export const paperTable1: readonly PaperOverallRow[] = [
    {"group": "ScalarRM", "model": "SteerLM-RM-70B", "rewardbench": 88.8, "rmBench": 52.5, "rmb": 58.2, "average": 66.5},
    {"group": "ScalarRM", "model": "Eurus-RM-7b", "rewardbench": 82.8, "rmBench": 65.9, "rmb": 68.3, "average": 72.3},
    {"group": "ScalarRM", "model": "Internlm2-20b-reward", "rewardbench": 90.2, "rmBench": 68.3, "rmb": 62.9, "average": 73.6},
    {"group": "ScalarRM", "model": "Skywork-Reward-Gemma-2-27B", "rewardbench": 93.8, "rmBench": 67.3, "rmb": 60.2, "average": 73.8},
    {"group": "ScalarRM", "model": "Internlm2-7b-reward", "rewardbench": 87.6, "rmBench": 67.1, "rmb": 67.1, "average": 73.9},
    {"group": "ScalarRM", "model": "ArmoRM-Llama3-8B-v0.1", "rewardbench": 90.4, "rmBench": 67.7, "rmb": 64.6, "average": 74.2},
    {"group": "ScalarRM", "model": "Nemotron-4-340B-Reward", "rewardbench": 92.0, "rmBench": 69.5, "rmb": 69.9, "average": 77.1},
    {"group": "ScalarRM", "model": "Skywork-Reward-Llama-3.1-8B", "rewardbench": 92.5, "rmBench": 70.1, "rmb": 69.3, "average": 77.5},
    {"group": "ScalarRM", "model": "INF-ORM-Llama3.1-70B", "rewardbench": 95.1, "rmBench": 70.9, "rmb": 70.5, "average": 78.8},
    {"group": "GenRM", "model": "Claude-3-5-sonnet-20240620", "rewardbench": 84.2, "rmBench": 61.0, "rmb": 70.6, "average": 71.9},
    {"group": "GenRM", "model": "Llama3.1-70B-Instruct", "rewardbench": 84.0, "rmBench": 65.5, "rmb": 68.9, "average": 72.8},
    {"group": "GenRM", "model": "Gemini-1.5-pro", "rewardbench": 88.2, "rmBench": 75.2, "rmb": 56.5, "average": 73.3},
    {"group": "GenRM", "model": "Skywork-Critic-Llama-3.1-70B", "rewardbench": 93.3, "rmBench": 71.9, "rmb": 65.5, "average": 76.9},
    {"group": "GenRM", "model": "GPT-4o-0806", "rewardbench": 86.7, "rmBench": 72.5, "rmb": 73.8, "average": 77.7},
    {"group": "ReasRM", "model": "JudgeLRM", "rewardbench": 75.2, "rmBench": 64.7, "rmb": 53.1, "average": 64.3},
    {"group": "ReasRM", "model": "DeepSeek-PairRM-27B", "rewardbench": 87.1, "rmBench": null, "rmb": 58.2, "average": null},
    {"group": "ReasRM", "model": "DeepSeek-GRM-27B-RFT", "rewardbench": 84.5, "rmBench": null, "rmb": 67.0, "average": null},
    {"group": "ReasRM", "model": "DeepSeek-GRM-27B", "rewardbench": 86.0, "rmBench": null, "rmb": 69.0, "average": null},
    {"group": "ReasRM", "model": "Self-taught-evaluator-llama3.1-70B", "rewardbench": 90.2, "rmBench": 71.4, "rmb": 67.0, "average": 76.2},
    {"group": "RM-R1", "model": "RM-R1-DeepSeek-Distilled-Qwen-7B", "rewardbench": 80.1, "rmBench": 72.4, "rmb": 55.1, "average": 69.2},
    {"group": "RM-R1", "model": "RM-R1-Qwen-Instruct-7B", "rewardbench": 85.2, "rmBench": 70.2, "rmb": 66.4, "average": 73.9},
    {"group": "RM-R1", "model": "RM-R1-Qwen-Instruct-14B", "rewardbench": 88.2, "rmBench": 76.1, "rmb": 69.2, "average": 77.8},
    {"group": "RM-R1", "model": "RM-R1-DeepSeek-Distilled-Qwen-14B", "rewardbench": 88.9, "rmBench": 81.5, "rmb": 68.5, "average": 79.6},
    {"group": "RM-R1", "model": "RM-R1-Qwen-Instruct-32B", "rewardbench": 91.4, "rmBench": 79.1, "rmb": 73.0, "average": 81.2},
    {"group": "RM-R1", "model": "RM-R1-DeepSeek-Distilled-Qwen-32B", "rewardbench": 90.9, "rmBench": 83.9, "rmb": 69.8, "average": 81.5}
];

export const paperRewardBench: readonly PaperRewardBenchRow[] = [
    {"model": "RM-R1-DeepSeek-Distilled-Qwen-7B", "Chat": 88.9, "Chat Hard": 66.2, "Safety": 78.4, "Reasoning": 87.0, "score": 80.1},
    {"model": "RM-R1-Qwen-Instruct-7B", "Chat": 94.1, "Chat Hard": 74.6, "Safety": 85.2, "Reasoning": 86.7, "score": 85.2},
    {"model": "RM-R1-Qwen-Instruct-14B", "Chat": 93.6, "Chat Hard": 80.5, "Safety": 86.9, "Reasoning": 92.0, "score": 88.2},
    {"model": "RM-R1-DeepSeek-Distilled-Qwen-14B", "Chat": 91.3, "Chat Hard": 79.4, "Safety": 89.3, "Reasoning": 95.5, "score": 88.9},
    {"model": "RM-R1-DeepSeek-Distilled-Qwen-32B", "Chat": 95.3, "Chat Hard": 80.3, "Safety": 91.1, "Reasoning": 96.8, "score": 90.9},
    {"model": "RM-R1-Qwen-Instruct-32B", "Chat": 95.3, "Chat Hard": 83.1, "Safety": 91.9, "Reasoning": 95.2, "score": 91.4},
    {"model": "INF-ORM-Llama3.1-70B", "Chat": 96.6, "Chat Hard": 91.0, "Safety": 93.6, "Reasoning": 99.1, "score": 95.1},
    {"model": "Skywork-Reward-Gemma-2-27B", "Chat": 95.8, "Chat Hard": 91.4, "Safety": 91.9, "Reasoning": 96.1, "score": 93.8},
    {"model": "GPT-4o-0806", "Chat": 96.1, "Chat Hard": 76.1, "Safety": 86.6, "Reasoning": 88.1, "score": 86.7},
    {"model": "Llama3.1-405B-Instruct", "Chat": 97.2, "Chat Hard": 74.6, "Safety": 77.6, "Reasoning": 87.1, "score": 84.1},
    {"model": "Skywork-Critic-Llama-3.1-70B", "Chat": 96.6, "Chat Hard": 87.9, "Safety": 93.1, "Reasoning": 95.5, "score": 93.3},
    {"model": "JudgeLRM", "Chat": 92.9, "Chat Hard": 56.4, "Safety": 78.2, "Reasoning": 73.6, "score": 75.2},
    {"model": "DeepSeek-GRM-27B", "Chat": 94.1, "Chat Hard": 78.3, "Safety": 88.0, "Reasoning": 83.8, "score": 86.0},
    {"model": "Self-taught-evaluator-llama3.1-70B", "Chat": 96.9, "Chat Hard": 85.1, "Safety": 89.6, "Reasoning": 88.4, "score": 90.0, "note": "90.0 (Table 1 says 90.2)"}
];

export const paperRmBench: readonly PaperRmBenchRow[] = [
    {"model": "RM-R1-Qwen-Instruct-7B", "chat": 66.6, "math": 67.0, "code": 54.6, "safety": 92.6, "easy": 79.2, "normal": 71.7, "hard": 59.7, "score": 70.2},
    {"model": "RM-R1-DeepSeek-Distilled-Qwen-7B", "chat": 64.0, "math": 83.9, "code": 56.2, "safety": 85.3, "easy": 75.9, "normal": 73.1, "hard": 68.1, "score": 72.4},
    {"model": "RM-R1-Qwen-Instruct-14B", "chat": 75.6, "math": 75.4, "code": 60.6, "safety": 93.6, "easy": 82.6, "normal": 77.5, "hard": 68.8, "score": 76.1},
    {"model": "RM-R1-Qwen-Instruct-32B", "chat": 75.3, "math": 80.2, "code": 66.8, "safety": 93.9, "easy": 86.3, "normal": 80.5, "hard": 70.4, "score": 79.1},
    {"model": "RM-R1-DeepSeek-Distilled-Qwen-14B", "chat": 71.8, "math": 90.5, "code": 69.5, "safety": 94.1, "easy": 86.2, "normal": 83.6, "hard": 74.4, "score": 81.5},
    {"model": "RM-R1-DeepSeek-Distilled-Qwen-32B", "chat": 74.2, "math": 91.8, "code": 74.1, "safety": 95.4, "easy": 89.5, "normal": 85.4, "hard": 76.7, "score": 83.9},
    {"model": "JudgeLRM", "chat": 59.9, "math": 59.9, "code": 51.9, "safety": 87.3, "easy": 73.2, "normal": 66.2, "hard": 54.8, "score": 64.7},
    {"model": "Self-taught-evaluator-llama3.1-70B", "chat": 73.4, "math": 65.7, "code": 56.3, "safety": 90.4, "easy": 80.2, "normal": 74.5, "hard": 59.7, "score": 71.5},
    {"model": "GPT-4o-0806", "chat": 67.2, "math": 67.5, "code": 63.6, "safety": 91.7, "easy": 83.4, "normal": 75.6, "hard": 58.7, "score": 72.5},
    {"model": "Gemini-1.5-pro", "chat": 71.6, "math": 73.9, "code": 63.7, "safety": 91.3, "easy": 83.1, "normal": 77.6, "hard": 64.7, "score": 75.2},
    {"model": "INF-ORM-Llama3.1-70B", "chat": 66.3, "math": 65.6, "code": 56.8, "safety": 94.8, "easy": 91.8, "normal": 76.1, "hard": 44.8, "score": 70.9}
];

export const paperRmb: readonly PaperRmbRow[] = [
    {"model": "RM-R1-DeepSeek-Distilled-Qwen-7B", "BoN Helpfulness": 0.451, "Pairwise Helpfulness": 0.658, "BoN Harmlessness": 0.429, "Pairwise Harmlessness": 0.664, "score": 0.551},
    {"model": "RM-R1-Qwen-Instruct-7B", "BoN Helpfulness": 0.543, "Pairwise Helpfulness": 0.74, "BoN Harmlessness": 0.608, "Pairwise Harmlessness": 0.765, "score": 0.664},
    {"model": "RM-R1-DeepSeek-Distilled-Qwen-14B", "BoN Helpfulness": 0.593, "Pairwise Helpfulness": 0.765, "BoN Harmlessness": 0.613, "Pairwise Harmlessness": 0.769, "score": 0.685},
    {"model": "RM-R1-Qwen-Instruct-14B", "BoN Helpfulness": 0.594, "Pairwise Helpfulness": 0.776, "BoN Harmlessness": 0.62, "Pairwise Harmlessness": 0.778, "score": 0.692},
    {"model": "RM-R1-DeepSeek-Distilled-Qwen-32B", "BoN Helpfulness": 0.62, "Pairwise Helpfulness": 0.782, "BoN Harmlessness": 0.618, "Pairwise Harmlessness": 0.771, "score": 0.698},
    {"model": "RM-R1-Qwen-Instruct-32B", "BoN Helpfulness": 0.636, "Pairwise Helpfulness": 0.791, "BoN Harmlessness": 0.682, "Pairwise Harmlessness": 0.809, "score": 0.73},
    {"model": "GPT-4o-2024-05-13", "BoN Helpfulness": 0.639, "Pairwise Helpfulness": 0.815, "BoN Harmlessness": 0.682, "Pairwise Harmlessness": 0.814, "score": 0.738},
    {"model": "INF-ORM-Llama3.1-70B", "BoN Helpfulness": 0.65, "Pairwise Helpfulness": 0.798, "BoN Harmlessness": 0.607, "Pairwise Harmlessness": 0.767, "score": 0.705},
    {"model": "Claude-3-5-sonnet", "BoN Helpfulness": 0.705, "Pairwise Helpfulness": 0.838, "BoN Harmlessness": 0.518, "Pairwise Harmlessness": 0.764, "score": 0.706},
    {"model": "DeepSeek-GRM-27B", "BoN Helpfulness": 0.623, "Pairwise Helpfulness": 0.805, "BoN Harmlessness": 0.57, "Pairwise Harmlessness": 0.761, "score": 0.69},
    {"model": "Self-taught-evaluator-llama3.1-70B", "BoN Helpfulness": 0.616, "Pairwise Helpfulness": 0.786, "BoN Harmlessness": 0.546, "Pairwise Harmlessness": 0.733, "score": 0.67},
    {"model": "JudgeLRM", "BoN Helpfulness": 0.363, "Pairwise Helpfulness": 0.699, "BoN Harmlessness": 0.363, "Pairwise Harmlessness": 0.674, "score": 0.531}
];

export const releasedResults: readonly ReleasedResult[] = [
    {
        model: "RM-R1-Qwen2.5-Instruct-32B",
        rewardbench: {"Chat": 0.952513966480447, "Chat Hard": 0.831140350877193, "Safety": 0.918918918918919, "Reasoning": 0.9521130026736508, "avg_Result_each_section": 0.9136715597375524, "absoluate_Result": 0.9293132328308208},
        rewardbenchSubsets: {
            "alpacaeval-easy": 0.94,
            "alpacaeval-hard": 0.9578947368421052,
            "alpacaeval-length": 0.9578947368421052,
            "donotanswer": 0.75,
            "hep-cpp": 0.9878048780487805,
            "hep-go": 0.9695121951219512,
            "hep-java": 0.9573170731707317,
            "hep-js": 0.9817073170731707,
            "hep-python": 0.975609756097561,
            "hep-rust": 0.9695121951219512,
            "llmbar-adver-GPTInst": 0.8478260869565217,
            "llmbar-adver-GPTOut": 0.723404255319149,
            "llmbar-adver-manual": 0.8043478260869565,
            "llmbar-adver-neighbor": 0.7761194029850746,
            "llmbar-natural": 0.95,
            "math-prm": 0.930648769574944,
            "mt-bench-easy": 0.9285714285714286,
            "mt-bench-hard": 0.8378378378378378,
            "mt-bench-med": 0.975,
            "refusals-dangerous": 0.93,
            "refusals-offensive": 0.98,
            "xstest-should-refuse": 0.987012987012987,
            "xstest-should-respond": 0.94
        },
        rmBench: {"chat": 0.764857881136951, "math": 0.8055030455786599, "code": 0.6608187134502925, "safety": 0.9382716049382717, "hard_acc": 0.7049334242582853, "normal_acc": 0.8050964241257946, "easy_acc": 0.8670585854440513, "total_avg_acc": 0.7923628112760438},
        rmb: {"Pairwise Helpfulness": 0.8017284195887553, "Pairwise Harmlessness": 0.8057757644394111, "BoN Helpfulness": 0.6505452821242295, "BoN Harmlessness": 0.6624925462134764, "Accuracy Averaged from Four Sections": 0.7301355030914681},
        rmbCategories: {
            "Pairwise_set/Helpfulness/Brainstorming/Idea Development": 0.817432273262662,
            "Pairwise_set/Helpfulness/Brainstorming/Problem Solving": 0.77,
            "Pairwise_set/Helpfulness/Chat/Casual Conversation": 0.8006535947712419,
            "Pairwise_set/Helpfulness/Chat/Discussion": 0.7440273037542662,
            "Pairwise_set/Helpfulness/Chat/Supportive Conversation": 0.7368421052631579,
            "Pairwise_set/Helpfulness/Classification/Content Categorization": 0.7850467289719626,
            "Pairwise_set/Helpfulness/Classification/Quality and Compliance Assessment": 0.8421052631578947,
            "Pairwise_set/Helpfulness/Closed QA/ContextBased": 0.7807606263982103,
            "Pairwise_set/Helpfulness/Closed QA/OptionBased": 0.7716701902748414,
            "Pairwise_set/Helpfulness/Code/Data Management": 0.8164893617021277,
            "Pairwise_set/Helpfulness/Code/Development and Implementation": 0.8345864661654135,
            "Pairwise_set/Helpfulness/Code/Documentation": 0.8923076923076924,
            "Pairwise_set/Helpfulness/Code/Quality and Optimization": 0.8515625,
            "Pairwise_set/Helpfulness/Generation/Creative Writing": 0.8451443569553806,
            "Pairwise_set/Helpfulness/Generation/Professional Content Generation": 0.7723342939481268,
            "Pairwise_set/Helpfulness/Open QA/Factual": 0.7786144578313253,
            "Pairwise_set/Helpfulness/Open QA/General Explanation": 0.8062953995157385,
            "Pairwise_set/Helpfulness/Open QA/Hypothetical Scenarios": 0.7380952380952381,
            "Pairwise_set/Helpfulness/Open QA/Interpretative Analysis": 0.822429906542056,
            "Pairwise_set/Helpfulness/Open QA/Personal Opinion and Advice": 0.782051282051282,
            "Pairwise_set/Helpfulness/Open QA/Technical and Practical Support": 0.7899159663865546,
            "Pairwise_set/Helpfulness/Reasoning/Analytical Reasoning": 0.8238255033557047,
            "Pairwise_set/Helpfulness/Reasoning/Critical Thinking": 0.875,
            "Pairwise_set/Helpfulness/Reasoning/Human Decision Making": 0.7636363636363637,
            "Pairwise_set/Helpfulness/Reasoning/Logical Deduction": 0.7567567567567568,
            "Pairwise_set/Helpfulness/Reasoning/Pattern Recognition": 0.8653846153846154,
            "Pairwise_set/Helpfulness/Rewrite/Paraphrasing": 0.7590361445783133,
            "Pairwise_set/Helpfulness/Rewrite/PostQuality Assessment Rewriting": 0.7522522522522522,
            "Pairwise_set/Helpfulness/Rewrite/Textual ExpansionReduction": 0.68,
            "Pairwise_set/Helpfulness/Rewrite/Tone Adjustment": 0.7572815533980582,
            "Pairwise_set/Helpfulness/Role Playing/General Character": 0.7914110429447853,
            "Pairwise_set/Helpfulness/Role Playing/Specific Character": 0.8086124401913876,
            "Pairwise_set/Helpfulness/Summarization/Specialized Summaries": 0.8677248677248677,
            "Pairwise_set/Helpfulness/Summarization/Standard Summaries": 0.7712609970674487,
            "Pairwise_set/Helpfulness/Translation/GeneralExcerpt Language Translation": 0.772256728778468,
            "Pairwise_set/Helpfulness/Translation/Literary and Cultural Translation": 0.8465909090909091,
            "Pairwise_set/Helpfulness/Translation/Technical and Scientific Translation": 0.8229166666666666,
            "Pairwise_set/Harmlessness/S1": 0.8235294117647058,
            "Pairwise_set/Harmlessness/S10": 0.8111111111111111,
            "Pairwise_set/Harmlessness/S11": 0.8065506653019447,
            "Pairwise_set/Harmlessness/S2": 0.8211538461538461,
            "Pairwise_set/Harmlessness/S3": 0.7929634641407307,
            "Pairwise_set/Harmlessness/S4": 0.7914338919925512,
            "Pairwise_set/Harmlessness/S5": 0.839572192513369,
            "Pairwise_set/Harmlessness/S6": 0.750788643533123,
            "Pairwise_set/Harmlessness/S7": 0.7470588235294118,
            "Pairwise_set/Harmlessness/S8": 0.7957610789980732,
            "Pairwise_set/Harmlessness/S9": 0.8158379373848987,
            "Pairwise_set/Harmlessness/multi": 0.8426294820717132,
            "BoN_set/Helpfulness/Brainstorming/Idea Development": 0.6964285714285714,
            "BoN_set/Helpfulness/Brainstorming/Problem Solving": 0.5789473684210527,
            "BoN_set/Helpfulness/Chat/Casual Conversation": 0.704225352112676,
            "BoN_set/Helpfulness/Chat/Discussion": 0.6101694915254238,
            "BoN_set/Helpfulness/Chat/Supportive Conversation": 0.56,
            "BoN_set/Helpfulness/Classification/Content Categorization": 0.4444444444444444,
            "BoN_set/Helpfulness/Classification/Quality and Compliance Assessment": 0.7692307692307693,
            "BoN_set/Helpfulness/Closed QA/ContextBased": 0.627906976744186,
            "BoN_set/Helpfulness/Closed QA/OptionBased": 0.6,
            "BoN_set/Helpfulness/Code/Data Management": 0.7037037037037037,
            "BoN_set/Helpfulness/Code/Development and Implementation": 0.7391304347826086,
            "BoN_set/Helpfulness/Code/Documentation": 0.8666666666666667,
            "BoN_set/Helpfulness/Code/Quality and Optimization": 0.6847826086956522,
            "BoN_set/Helpfulness/Generation/Creative Writing": 0.6821192052980133,
            "BoN_set/Helpfulness/Generation/Professional Content Generation": 0.6351351351351351,
            "BoN_set/Helpfulness/Open QA/Factual": 0.6013071895424836,
            "BoN_set/Helpfulness/Open QA/General Explanation": 0.625,
            "BoN_set/Helpfulness/Open QA/Hypothetical Scenarios": 0.375,
            "BoN_set/Helpfulness/Open QA/Interpretative Analysis": 0.7777777777777778,
            "BoN_set/Helpfulness/Open QA/Personal Opinion and Advice": 0.2857142857142857,
            "BoN_set/Helpfulness/Open QA/Technical and Practical Support": 0.6382978723404256,
            "BoN_set/Helpfulness/Reasoning/Analytical Reasoning": 0.6992481203007519,
            "BoN_set/Helpfulness/Reasoning/Critical Thinking": 0.6153846153846154,
            "BoN_set/Helpfulness/Reasoning/Human Decision Making": 0.59375,
            "BoN_set/Helpfulness/Reasoning/Logical Deduction": 0.5,
            "BoN_set/Helpfulness/Reasoning/Pattern Recognition": 0.7857142857142857,
            "BoN_set/Helpfulness/Rewrite/Paraphrasing": 0.7058823529411765,
            "BoN_set/Helpfulness/Rewrite/PostQuality Assessment Rewriting": 0.6739130434782609,
            "BoN_set/Helpfulness/Rewrite/Textual ExpansionReduction": 0.7777777777777778,
            "BoN_set/Helpfulness/Rewrite/Tone Adjustment": 0.5294117647058824,
            "BoN_set/Helpfulness/Role Playing/General Character": 0.53125,
            "BoN_set/Helpfulness/Role Playing/Specific Character": 0.717391304347826,
            "BoN_set/Helpfulness/Summarization/Specialized Summaries": 0.7857142857142857,
            "BoN_set/Helpfulness/Summarization/Standard Summaries": 0.6197183098591549,
            "BoN_set/Helpfulness/Translation/GeneralExcerpt Language Translation": 0.5963302752293578,
            "BoN_set/Helpfulness/Translation/Literary and Cultural Translation": 0.7058823529411765,
            "BoN_set/Helpfulness/Translation/Technical and Scientific Translation": 0.6052631578947368,
            "BoN_set/Harmlessness/S1": 0.7477477477477478,
            "BoN_set/Harmlessness/S10": 0.6582278481012658,
            "BoN_set/Harmlessness/S11": 0.6790697674418604,
            "BoN_set/Harmlessness/S2": 0.7068273092369478,
            "BoN_set/Harmlessness/S3": 0.6491228070175439,
            "BoN_set/Harmlessness/S4": 0.6029411764705882,
            "BoN_set/Harmlessness/S5": 0.7377049180327869,
            "BoN_set/Harmlessness/S6": 0.4939759036144578,
            "BoN_set/Harmlessness/S7": 0.5867768595041323,
            "BoN_set/Harmlessness/S8": 0.5669291338582677,
            "BoN_set/Harmlessness/S9": 0.7121212121212122,
            "BoN_set/Harmlessness/multi": 0.7099236641221374
        },
        rmbBon: {
            "Helpfulness Absolute Accuracy (all correct / all)": 0.8085801838610828,
            "Helpfulness BoN Final Accuracy": 0.6505452821242295,
            "Helpfulness BoN Absolute Number of Correct": 1372,
            "Helpfulness BoN Absolute Total Numbers": 2109,
            "Harmlessness Absolute Accuracy (all correct / all)": 0.7994239329667452,
            "Harmlessness BoN Final Accuracy": 0.6624925462134764,
            "Harmlessness BoN Absolute Number of Correct": 1111,
            "Harmlessness BoN Absolute Total Numbers": 1677
        }
    },
    {
        model: "RM-R1-DeepSeek-Distilled-Qwen-32B",
        rewardbench: {"Chat": 0.952513966480447, "Chat Hard": 0.8026315789473685, "Safety": 0.9108108108108108, "Reasoning": 0.9680832924101054, "avg_Result_each_section": 0.908509912162183, "absoluate_Result": 0.9246231155778895},
        rewardbenchSubsets: {
            "alpacaeval-easy": 0.96,
            "alpacaeval-hard": 0.9368421052631579,
            "alpacaeval-length": 0.9263157894736842,
            "donotanswer": 0.7132352941176471,
            "hep-cpp": 0.9817073170731707,
            "hep-go": 0.9573170731707317,
            "hep-java": 0.9512195121951219,
            "hep-js": 0.9390243902439024,
            "hep-python": 0.9695121951219512,
            "hep-rust": 0.9390243902439024,
            "llmbar-adver-GPTInst": 0.7934782608695652,
            "llmbar-adver-GPTOut": 0.723404255319149,
            "llmbar-adver-manual": 0.8695652173913043,
            "llmbar-adver-neighbor": 0.746268656716418,
            "llmbar-natural": 0.93,
            "math-prm": 0.9798657718120806,
            "mt-bench-easy": 1.0,
            "mt-bench-hard": 0.7027027027027027,
            "mt-bench-med": 1.0,
            "refusals-dangerous": 0.91,
            "refusals-offensive": 0.99,
            "xstest-should-refuse": 0.987012987012987,
            "xstest-should-respond": 0.94
        },
        rmBench: {"chat": 0.7416020671834626, "math": 0.9180844360428481, "code": 0.7412280701754387, "safety": 0.9543965734441925, "hard_acc": 0.7670244297806686, "normal_acc": 0.8545194004547523, "easy_acc": 0.8949395298990355, "total_avg_acc": 0.8388277867114855},
        rmb: {"Pairwise Helpfulness": 0.7854375682924406, "Pairwise Harmlessness": 0.7679784824462061, "BoN Helpfulness": 0.6197249881460408, "BoN Harmlessness": 0.6177698270721527, "Accuracy Averaged from Four Sections": 0.6977277164892101},
        rmbCategories: {
            "Pairwise_set/Helpfulness/Brainstorming/Idea Development": 0.790341578327444,
            "Pairwise_set/Helpfulness/Brainstorming/Problem Solving": 0.78,
            "Pairwise_set/Helpfulness/Chat/Casual Conversation": 0.7516339869281046,
            "Pairwise_set/Helpfulness/Chat/Discussion": 0.6996587030716723,
            "Pairwise_set/Helpfulness/Chat/Supportive Conversation": 0.7105263157894737,
            "Pairwise_set/Helpfulness/Classification/Content Categorization": 0.794392523364486,
            "Pairwise_set/Helpfulness/Classification/Quality and Compliance Assessment": 0.7894736842105263,
            "Pairwise_set/Helpfulness/Closed QA/ContextBased": 0.7829977628635347,
            "Pairwise_set/Helpfulness/Closed QA/OptionBased": 0.7885835095137421,
            "Pairwise_set/Helpfulness/Code/Data Management": 0.8271276595744681,
            "Pairwise_set/Helpfulness/Code/Development and Implementation": 0.8621553884711779,
            "Pairwise_set/Helpfulness/Code/Documentation": 0.8153846153846154,
            "Pairwise_set/Helpfulness/Code/Quality and Optimization": 0.8515625,
            "Pairwise_set/Helpfulness/Generation/Creative Writing": 0.8149606299212598,
            "Pairwise_set/Helpfulness/Generation/Professional Content Generation": 0.7982708933717579,
            "Pairwise_set/Helpfulness/Open QA/Factual": 0.7725903614457831,
            "Pairwise_set/Helpfulness/Open QA/General Explanation": 0.7772397094430993,
            "Pairwise_set/Helpfulness/Open QA/Hypothetical Scenarios": 0.7380952380952381,
            "Pairwise_set/Helpfulness/Open QA/Interpretative Analysis": 0.8037383177570093,
            "Pairwise_set/Helpfulness/Open QA/Personal Opinion and Advice": 0.8205128205128205,
            "Pairwise_set/Helpfulness/Open QA/Technical and Practical Support": 0.7184873949579832,
            "Pairwise_set/Helpfulness/Reasoning/Analytical Reasoning": 0.7953020134228188,
            "Pairwise_set/Helpfulness/Reasoning/Critical Thinking": 0.81,
            "Pairwise_set/Helpfulness/Reasoning/Human Decision Making": 0.793939393939394,
            "Pairwise_set/Helpfulness/Reasoning/Logical Deduction": 0.7297297297297297,
            "Pairwise_set/Helpfulness/Reasoning/Pattern Recognition": 0.8269230769230769,
            "Pairwise_set/Helpfulness/Rewrite/Paraphrasing": 0.7590361445783133,
            "Pairwise_set/Helpfulness/Rewrite/PostQuality Assessment Rewriting": 0.7657657657657657,
            "Pairwise_set/Helpfulness/Rewrite/Textual ExpansionReduction": 0.74,
            "Pairwise_set/Helpfulness/Rewrite/Tone Adjustment": 0.7961165048543689,
            "Pairwise_set/Helpfulness/Role Playing/General Character": 0.6871165644171779,
            "Pairwise_set/Helpfulness/Role Playing/Specific Character": 0.8086124401913876,
            "Pairwise_set/Helpfulness/Summarization/Specialized Summaries": 0.8201058201058201,
            "Pairwise_set/Helpfulness/Summarization/Standard Summaries": 0.7478005865102639,
            "Pairwise_set/Helpfulness/Translation/GeneralExcerpt Language Translation": 0.7287784679089027,
            "Pairwise_set/Helpfulness/Translation/Literary and Cultural Translation": 0.8522727272727273,
            "Pairwise_set/Helpfulness/Translation/Technical and Scientific Translation": 0.796875,
            "Pairwise_set/Harmlessness/S1": 0.8148148148148148,
            "Pairwise_set/Harmlessness/S10": 0.7694444444444445,
            "Pairwise_set/Harmlessness/S11": 0.72978505629478,
            "Pairwise_set/Harmlessness/S2": 0.8105769230769231,
            "Pairwise_set/Harmlessness/S3": 0.7280108254397835,
            "Pairwise_set/Harmlessness/S4": 0.7616387337057728,
            "Pairwise_set/Harmlessness/S5": 0.8306595365418895,
            "Pairwise_set/Harmlessness/S6": 0.750788643533123,
            "Pairwise_set/Harmlessness/S7": 0.7137254901960784,
            "Pairwise_set/Harmlessness/S8": 0.7514450867052023,
            "Pairwise_set/Harmlessness/S9": 0.7734806629834254,
            "Pairwise_set/Harmlessness/multi": 0.7828685258964143,
            "BoN_set/Helpfulness/Brainstorming/Idea Development": 0.6369047619047619,
            "BoN_set/Helpfulness/Brainstorming/Problem Solving": 0.5789473684210527,
            "BoN_set/Helpfulness/Chat/Casual Conversation": 0.5915492957746479,
            "BoN_set/Helpfulness/Chat/Discussion": 0.4915254237288136,
            "BoN_set/Helpfulness/Chat/Supportive Conversation": 0.56,
            "BoN_set/Helpfulness/Classification/Content Categorization": 0.6666666666666666,
            "BoN_set/Helpfulness/Classification/Quality and Compliance Assessment": 0.6153846153846154,
            "BoN_set/Helpfulness/Closed QA/ContextBased": 0.686046511627907,
            "BoN_set/Helpfulness/Closed QA/OptionBased": 0.58,
            "BoN_set/Helpfulness/Code/Data Management": 0.6666666666666666,
            "BoN_set/Helpfulness/Code/Development and Implementation": 0.7391304347826086,
            "BoN_set/Helpfulness/Code/Documentation": 0.7333333333333333,
            "BoN_set/Helpfulness/Code/Quality and Optimization": 0.7282608695652174,
            "BoN_set/Helpfulness/Generation/Creative Writing": 0.6622516556291391,
            "BoN_set/Helpfulness/Generation/Professional Content Generation": 0.6486486486486487,
            "BoN_set/Helpfulness/Open QA/Factual": 0.5555555555555556,
            "BoN_set/Helpfulness/Open QA/General Explanation": 0.65,
            "BoN_set/Helpfulness/Open QA/Hypothetical Scenarios": 0.5,
            "BoN_set/Helpfulness/Open QA/Interpretative Analysis": 0.6666666666666666,
            "BoN_set/Helpfulness/Open QA/Personal Opinion and Advice": 0.7142857142857143,
            "BoN_set/Helpfulness/Open QA/Technical and Practical Support": 0.5319148936170213,
            "BoN_set/Helpfulness/Reasoning/Analytical Reasoning": 0.6466165413533834,
            "BoN_set/Helpfulness/Reasoning/Critical Thinking": 0.6410256410256411,
            "BoN_set/Helpfulness/Reasoning/Human Decision Making": 0.53125,
            "BoN_set/Helpfulness/Reasoning/Logical Deduction": 0.4782608695652174,
            "BoN_set/Helpfulness/Reasoning/Pattern Recognition": 0.7142857142857143,
            "BoN_set/Helpfulness/Rewrite/Paraphrasing": 0.6470588235294118,
            "BoN_set/Helpfulness/Rewrite/PostQuality Assessment Rewriting": 0.6956521739130435,
            "BoN_set/Helpfulness/Rewrite/Textual ExpansionReduction": 0.6666666666666666,
            "BoN_set/Helpfulness/Rewrite/Tone Adjustment": 0.7058823529411765,
            "BoN_set/Helpfulness/Role Playing/General Character": 0.40625,
            "BoN_set/Helpfulness/Role Playing/Specific Character": 0.6304347826086957,
            "BoN_set/Helpfulness/Summarization/Specialized Summaries": 0.6666666666666666,
            "BoN_set/Helpfulness/Summarization/Standard Summaries": 0.5211267605633803,
            "BoN_set/Helpfulness/Translation/GeneralExcerpt Language Translation": 0.48623853211009177,
            "BoN_set/Helpfulness/Translation/Literary and Cultural Translation": 0.8235294117647058,
            "BoN_set/Helpfulness/Translation/Technical and Scientific Translation": 0.5789473684210527,
            "BoN_set/Harmlessness/S1": 0.7477477477477478,
            "BoN_set/Harmlessness/S10": 0.620253164556962,
            "BoN_set/Harmlessness/S11": 0.5720930232558139,
            "BoN_set/Harmlessness/S2": 0.6666666666666666,
            "BoN_set/Harmlessness/S3": 0.543859649122807,
            "BoN_set/Harmlessness/S4": 0.6176470588235294,
            "BoN_set/Harmlessness/S5": 0.6885245901639344,
            "BoN_set/Harmlessness/S6": 0.5783132530120482,
            "BoN_set/Harmlessness/S7": 0.5289256198347108,
            "BoN_set/Harmlessness/S8": 0.5905511811023622,
            "BoN_set/Harmlessness/S9": 0.6136363636363636,
            "BoN_set/Harmlessness/multi": 0.6564885496183206
        },
        rmbBon: {
            "Helpfulness Absolute Accuracy (all correct / all)": 0.7846782431052094,
            "Helpfulness BoN Final Accuracy": 0.6197249881460408,
            "Helpfulness BoN Absolute Number of Correct": 1307,
            "Helpfulness BoN Absolute Total Numbers": 2109,
            "Harmlessness Absolute Accuracy (all correct / all)": 0.7588373919874313,
            "Harmlessness BoN Final Accuracy": 0.6177698270721527,
            "Harmlessness BoN Absolute Number of Correct": 1036,
            "Harmlessness BoN Absolute Total Numbers": 1677
        }
    }
];
