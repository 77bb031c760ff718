// The quickstart's budgets. Every number here was measured on the project's 2-core machine; the
// experiments behind them are in docs/quickstart-notes.md.
import type {AdvantageNorm} from "../train/advantages.js";
import type {QuickstartDataSpec} from "./quickstartData.js";

export type QuickstartBudget = "fast" | "full";
export const quickstartBudgets: readonly QuickstartBudget[] = ["fast", "full"];

/** Hyper-parameters of a supervised stage (the reasoning SFT and the direct RM). */
export interface QuickstartSftSpec {
    steps: number;
    /** Share of the SFT rows that replay the base model's own check tasks (`writeSftMix`). */
    replay: number;
    batchSize: number;
    microBatchSize: number;
    lr: number;
}

/** Hyper-parameters of the GRPO stage. */
export interface QuickstartGrpoSpec {
    steps: number;
    /** Prompts per step. */
    batchSize: number;
    groupSize: number;
    lr: number;
    klCoef: number;
    advantageNorm: AdvantageNorm;
    maxResponseTokens: number;
    /** Dev-set keep-best cadence and size. */
    devEvery: number;
    devMax: number;
}

/** Hyper-parameters of the scalar Bradley–Terry baseline. */
export interface QuickstartBtSpec {
    steps: number;
    /** Pairs per step. */
    batchSize: number;
    lr: number;
}

/** Everything a budget fixes. */
export interface QuickstartPreset {
    data: QuickstartDataSpec;
    /** The teacher's first-pass error rate (pass 2 fixes the wrong traces). */
    teacherError: number;
    sft: QuickstartSftSpec;
    grpo: QuickstartGrpoSpec;
    bt: QuickstartBtSpec;
    direct: QuickstartSftSpec;
    /** Most new tokens of a judge's answer at evaluation. */
    evalMaxTokens: number;
}

/**
 * The two budgets (docs/quickstart-notes.md §5–6). `full`: 9,600 level-1 pairs distilled, SFT for one
 * epoch of traces plus 25% replay (400 steps asked, 392 after the 2% held out; 300 steps gave 86.5%
 * on level-1 arith, one epoch 92.5%), 60 GRPO steps; 9m35s on 2 cores. `fast`: the same recipe at a
 * quarter of the data and twice the learning rate (at lr 1e-3 it stays at chance), 5 GRPO steps;
 * 2m07s.
 */
export const quickstartPresets: Record<QuickstartBudget, QuickstartPreset> = {
    full: {
        data: {trainPairs: 9600, trainLevels: {1: 1}, rlPairs: 60 * 4, devPairs: 100, testPerCell: {1: 200, 2: 100, 3: 100}},
        teacherError: 0.2,
        sft: {steps: 400, batchSize: 32, microBatchSize: 16, lr: 1e-3, replay: 0.25},
        grpo: {steps: 60, batchSize: 4, groupSize: 7, lr: 5e-5, klCoef: 0.05, advantageNorm: "std", maxResponseTokens: 520, devEvery: 10, devMax: 100},
        bt: {steps: 300, batchSize: 16, lr: 1e-3},
        direct: {steps: 300, batchSize: 32, microBatchSize: 32, lr: 1e-3, replay: 0.25},
        evalMaxTokens: 640
    },
    fast: {
        data: {trainPairs: 3000, trainLevels: {1: 1}, rlPairs: 5 * 4, devPairs: 40, testPerCell: {1: 60, 2: 20, 3: 20}},
        teacherError: 0.2,
        sft: {steps: 240, batchSize: 16, microBatchSize: 16, lr: 2e-3, replay: 0.25},
        grpo: {steps: 5, batchSize: 4, groupSize: 7, lr: 5e-5, klCoef: 0.05, advantageNorm: "std", maxResponseTokens: 520, devEvery: 5, devMax: 40},
        bt: {steps: 40, batchSize: 16, lr: 1e-3},
        direct: {steps: 40, batchSize: 32, microBatchSize: 32, lr: 1e-3, replay: 0.25},
        evalMaxTokens: 640
    }
};
