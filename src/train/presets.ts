// Named sets of hyper-parameters. `paper` is the reference recipe's constants (method doc §4, §5)
// for documentation and for scale-out; `tiny` is sized for the 0.87M-parameter d128/L4 model on a
// 2-core CPU from the tiny-world calibrations (world-calibration.md §7, world-calibration-2.md §4,
// §6) and this trainer's own measurements (docs/training.md, "Presets").
import {InvalidInput} from "../errors.js";
import type {AdvantageNorm} from "./advantages.js";
import type {LossAggregation} from "./policyLoss.js";

export type TrainPresetName = "paper" | "tiny";
export const trainPresetNames: readonly TrainPresetName[] = ["paper", "tiny"];

/** SFT hyper-parameters a preset fixes (defaults: the `paper` preset, or the one named by `preset`). */
export interface SftPreset {
    /** Peak learning rate. `paper` 5e-6, `tiny` 1e-3. */
    lr: number;
    /** Examples per optimizer step (global batch). `paper` 128, `tiny` 32. */
    batchSize: number;
    /** Examples per forward/backward (gradient accumulation splits the batch). `paper` 1, `tiny` 8. */
    microBatchSize: number;
    /** Passes over the data. `paper` and `tiny` 1. */
    epochs: number;
    /** `cosine` (warm-up, then cosine to the floor) or `constant`. Both presets: cosine. */
    schedule: "cosine" | "constant";
    /** Warm-up as a fraction of the steps (rounded up). Both presets: 0.03. */
    warmupRatio: number;
    /** Cosine floor as a fraction of the peak. Both presets: 0.1. */
    minLrRatio: number;
    /** AdamW β1. Both presets: 0.9. */
    beta1: number;
    /** AdamW β2. Both presets: 0.95. */
    beta2: number;
    /** AdamW decoupled weight decay (matrices only). `paper` 0, `tiny` 0.1. */
    weightDecay: number;
    /** Maximum global gradient norm. Both presets: 1. */
    gradClip: number;
    /** `seq-mean` (each example's mean, then the batch mean) or `token-mean`. Both presets: seq-mean. */
    aggregation: LossAggregation;
    /** Seed of the data order and the held-out split. Both presets: 42. */
    seed: number;
}

/** GRPO/PPO hyper-parameters a preset fixes (defaults: the `paper` preset, or the one named by `preset`). */
export interface GrpoPreset {
    /** Constant learning rate. `paper` 1e-6, `tiny` 1e-5. */
    lr: number;
    /** Prompts per step. `paper` 1024, `tiny` 4. */
    batchSize: number;
    /** Prompts per optimizer update (each brings its `groupSize` responses). `paper` 128, `tiny` 4. */
    miniBatchSize: number;
    /** Responses per forward/backward (gradient accumulation inside a mini-batch). `paper` 4, `tiny` 28. */
    microBatchSize: number;
    /** Rollouts per prompt. Both presets: 7. */
    groupSize: number;
    /** Rollout temperature. Both presets: 1. */
    temperature: number;
    /** Rollout nucleus mass. Both presets: 1. */
    topP: number;
    /** Prompts longer than this (after the chat template) are skipped. `paper` 4096, `tiny` 352. */
    maxPromptTokens: number;
    /** New tokens per rollout. `paper` 8192, `tiny` 160. */
    maxResponseTokens: number;
    /** Coefficient of the low_var_kl loss to the reference model (0 turns the reference off). `paper` 0.001, `tiny` 0.05. */
    klCoef: number;
    /** Ratio clip ε. Both presets: 0.2. */
    clip: number;
    /** Passes over the prompts. Both presets: 1. */
    epochs: number;
    /** Passes over each step's rollouts. Both presets: 1. */
    ppoEpochs: number;
    /** GRPO advantage: `std` ((r − mean)/(std + 1e-6)) or `mean-only`. Both presets: std. */
    advantageNorm: AdvantageNorm;
    /** `token-mean` (verl) or `seq-mean` (the paper's Eq. 9). Both presets: token-mean. */
    aggregation: LossAggregation;
    /** AdamW β1. Both presets: 0.9. */
    beta1: number;
    /** AdamW β2. Both presets: 0.999. */
    beta2: number;
    /** AdamW weight decay. Both presets: 0.01. */
    weightDecay: number;
    /** Maximum global gradient norm. Both presets: 1. */
    gradClip: number;
    /** PPO critic learning rate (verl `critic.optim.lr`). `paper` 1e-5, `tiny` 1e-4. */
    criticLr: number;
    /** PPO value clip (verl `cliprange_value`). Both presets: 0.5. */
    valueClip: number;
    /** Seed of the prompt order, rollouts and value-head init. Both presets: 1. */
    seed: number;
}

export const sftPresets: Record<TrainPresetName, SftPreset> = {
    // OpenRLHF train_sft as the RM-R1 distillation scripts run it (§5).
    paper: {
        lr: 5e-6, batchSize: 128, microBatchSize: 1, epochs: 1, schedule: "cosine", warmupRatio: 0.03, minLrRatio: 0.1,
        beta1: 0.9, beta2: 0.95, weightDecay: 0, gradClip: 1, aggregation: "seq-mean", seed: 42
    },
    // Calibration 2's judge SFT: lr 1e-3, batch 32, cosine to 10 %, wd 0.1, clip 1. Micro-batches of
    // 8, 16 and 32 ran within noise of each other here (bench/results/train.md); 8 needs the least memory.
    tiny: {
        lr: 1e-3, batchSize: 32, microBatchSize: 8, epochs: 1, schedule: "cosine", warmupRatio: 0.03, minLrRatio: 0.1,
        beta1: 0.9, beta2: 0.95, weightDecay: 0.1, gradClip: 1, aggregation: "seq-mean", seed: 42
    }
};

export const grpoPresets: Record<TrainPresetName, GrpoPreset> = {
    // verl ppo_trainer.yaml with the RM-R1 RLVR script overrides (§4.2–4.4), 7B Instruct LR.
    paper: {
        lr: 1e-6, batchSize: 1024, miniBatchSize: 128, microBatchSize: 4, groupSize: 7, temperature: 1, topP: 1,
        maxPromptTokens: 4096, maxResponseTokens: 8192, klCoef: 1e-3, clip: 0.2, epochs: 1, ppoEpochs: 1,
        advantageNorm: "std", aggregation: "token-mean", beta1: 0.9, beta2: 0.999, weightDecay: 0.01, gradClip: 1,
        criticLr: 1e-5, valueClip: 0.5, seed: 1
    },
    // Calibration 2 (§4, §6): lr ≤ 2e-5 and KL 0.05–0.1 after lr 1e-4 / KL 0.02 regressed; 4 prompts × 7.
    tiny: {
        lr: 1e-5, batchSize: 4, miniBatchSize: 4, microBatchSize: 28, groupSize: 7, temperature: 1, topP: 1,
        maxPromptTokens: 352, maxResponseTokens: 160, klCoef: 0.05, clip: 0.2, epochs: 1, ppoEpochs: 1,
        advantageNorm: "std", aggregation: "token-mean", beta1: 0.9, beta2: 0.999, weightDecay: 0.01, gradClip: 1,
        criticLr: 1e-4, valueClip: 0.5, seed: 1
    }
};

export function isTrainPresetName(s: string): s is TrainPresetName {
    return (trainPresetNames as readonly string[]).includes(s);
}

/** The preset named `name`, or an `InvalidInput` naming the choices. */
export function getPreset<T>(presets: Record<TrainPresetName, T>, name: string): T {
    if (!isTrainPresetName(name)) throw new InvalidInput(`unknown preset '${name}'; use one of ${trainPresetNames.join(", ")}`, {field: "preset"});
    return presets[name];
}
