// The paper's training constants per model family and size (method doc §4–§5): what `rmr1 launch`
// writes into OpenRLHF and veRL job scripts. Where the paper (App. E) and the released scripts
// disagree, the paper's value is used and the disagreement is listed in `notes`, so the choice is
// visible in every generated config.
import {InvalidInput} from "../errors.js";

/** `instruct`: Qwen2.5-Instruct, distilled then RL; `deepseek`: DeepSeek-R1-Distill-Qwen, RL only. */
export type ModelFamily = "instruct" | "deepseek";
export type ModelSize = "7b" | "14b" | "32b";

export const modelFamilies: readonly ModelFamily[] = ["instruct", "deepseek"];
export const modelSizes: readonly ModelSize[] = ["7b", "14b", "32b"];

/** RLVR (GRPO) settings, in veRL's terms (method doc §4). */
export interface RlvrRecipe {
    /** The starting checkpoint: the distilled model (instruct) or the DeepSeek base (deepseek). */
    initModel: string;
    /** The Hugging Face dataset the paper trained on. */
    dataset: string;
    learningRate: number;
    nodes: number;
    gpusPerNode: number;
    /** Prompts per training step (`data.train_batch_size`). */
    trainBatchSize: number;
    /** Prompts per optimizer step (`ppo_mini_batch_size`); ×n sequences. */
    miniBatchSize: number;
    /** Rollouts per prompt (GRPO group size). */
    n: number;
    temperature: number;
    topP: number;
    topK: number;
    klLossCoef: number;
    /** veRL's `low_var_kl` (k3); OpenRLHF calls it `k3`. */
    klLossType: "low_var_kl";
    entropyCoeff: number;
    clipRatio: number;
    gradClip: number;
    adamBetas: [number, number];
    weightDecay: number;
    maxPromptLength: number;
    maxResponseLength: number;
    tensorParallel: number;
    gpuMemoryUtilization: number;
    /** Training micro-batch per GPU, in sequences. */
    microBatchPerGpu: number;
    /** Log-probability micro-batch per GPU, in sequences. */
    logProbMicroBatchPerGpu: number;
    saveFreq: number;
    epochs: number;
    /** `data.seed` of the shuffle. */
    dataSeed: number;
}

/** Distillation SFT settings for OpenRLHF's `train_sft` (method doc §5). */
export interface DistillRecipe {
    baseModel: string;
    dataset: string;
    learningRate: number;
    /** Global batch (sequences). */
    trainBatchSize: number;
    microBatchPerGpu: number;
    epochs: number;
    maxLen: number;
    zeroStage: number;
    gpus: number;
    /** OpenRLHF defaults the reference relied on. */
    lrScheduler: "cosine_with_min_lr";
    lrWarmupRatio: number;
    adamBetas: [number, number];
    weightDecay: number;
    maxNorm: number;
    seed: number;
}

export interface RmR1Recipe {
    family: ModelFamily;
    size: ModelSize;
    /** Hugging Face id of the base model. */
    baseModel: string;
    /** Null for the deepseek family (it starts RL from the DeepSeek distilled model). */
    distill: DistillRecipe | null;
    rlvr: RlvrRecipe;
    /** Where a value comes from when the paper and the scripts disagree, and other caveats. */
    notes: string[];
}

const qwen: Record<ModelSize, string> = {"7b": "Qwen/Qwen2.5-7B-Instruct", "14b": "Qwen/Qwen2.5-14B-Instruct", "32b": "Qwen/Qwen2.5-32B-Instruct"};
const deepseek: Record<ModelSize, string> = {
    "7b": "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", "14b": "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", "32b": "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"
};
/** Paper App. E: RL learning rates. */
const rlLr: Record<ModelFamily, Record<ModelSize, number>> = {
    instruct: {"7b": 1e-6, "14b": 7e-7, "32b": 5e-7},
    deepseek: {"7b": 1e-6, "14b": 1e-6, "32b": 8e-7}
};
/** Paper App. E: distillation learning rates (the released scripts use 5e-6 for all three). */
const sftLr: Record<ModelSize, number> = {"7b": 5e-6, "14b": 3e-6, "32b": 2e-6};
/** Paper App. E: 7B / 14B / 32B on 1 / 2 / 4 nodes of 8 H100. */
const nodesBySize: Record<ModelSize, number> = {"7b": 1, "14b": 2, "32b": 4};

/** The recipe for `family` and `size`; `InvalidInput` for an unknown one. */
export function rmR1Recipe(family: ModelFamily, size: ModelSize): RmR1Recipe {
    if (!modelFamilies.includes(family)) throw new InvalidInput(`unknown family '${String(family)}'; use ${modelFamilies.join(" or ")}`, {field: "family"});
    if (!modelSizes.includes(size)) throw new InvalidInput(`unknown size '${String(size)}'; use ${modelSizes.join(", ")}`, {field: "size"});
    const small = size === "7b";
    const notes = [
        "GPU memory utilisation 0.4 as in the paper (the local scripts use 0.5).",
        "Prompts longer than 4096 tokens are dropped by veRL (data.filter_overlong_prompts); OpenRLHF has no such filter and keeps them (its data.max_len caps prompt plus response).",
        "The RL reward is the RM-R1 rule on the last 80 code points of the response. The veRL the paper pinned (e49fb572) decoded the response with its EOS token; veRL 0.7 skips special tokens, which moves the 80-character window 10-19 visible characters further back. OpenRLHF sends the EOS token, as the paper's runs had it."
    ];
    let distill: DistillRecipe | null = null;
    let initModel: string;
    let dataset: string;
    if (family === "instruct") {
        distill = {
            baseModel: qwen[size],
            dataset: "gaotang/RM-R1-Distill-SFT",
            learningRate: sftLr[size],
            trainBatchSize: 128,
            microBatchPerGpu: 1,
            epochs: 1,
            maxLen: 12288,
            zeroStage: 3,
            gpus: 4,
            lrScheduler: "cosine_with_min_lr",
            lrWarmupRatio: 0.03,
            adamBetas: [0.9, 0.95],
            weightDecay: 0,
            maxNorm: 1.0,
            seed: 42
        };
        initModel = "<the distillation checkpoint>";
        dataset = "gaotang/RM-R1-after-Distill-RLVR";
        notes.push(`Distillation learning rate ${sftLr[size].toExponential()} from the paper (App. E); the released scripts use 5e-6 for every size.`);
        if (size === "14b") notes.push("RL learning rate 7e-7 from the paper and the slurm script; the local 14B script uses 1e-6.");
        if (size !== "7b") notes.push("RL data gaotang/RM-R1-after-Distill-RLVR (64K, as the paper and the local scripts); the slurm 14B/32B scripts name RM-R1-Reasoning-RLVR, probably a copy-paste slip.");
    } else {
        initModel = deepseek[size];
        dataset = "gaotang/RM-R1-Reasoning-RLVR";
    }
    return {
        family,
        size,
        baseModel: family === "instruct" ? qwen[size] : deepseek[size],
        distill,
        rlvr: {
            initModel,
            dataset,
            learningRate: rlLr[family][size],
            nodes: nodesBySize[size],
            gpusPerNode: 8,
            trainBatchSize: 1024,
            miniBatchSize: 128,
            n: 7,
            temperature: 1.0,
            topP: 1,
            topK: -1,
            klLossCoef: 1e-3,
            klLossType: "low_var_kl",
            entropyCoeff: 0,
            clipRatio: 0.2,
            gradClip: 1.0,
            adamBetas: [0.9, 0.999],
            weightDecay: 0.01,
            maxPromptLength: 4096,
            maxResponseLength: 8192,
            tensorParallel: 4,
            gpuMemoryUtilization: 0.4,
            microBatchPerGpu: small ? 4 : 1,
            logProbMicroBatchPerGpu: small ? 4 : 1,
            saveFreq: small ? 100 : 45,
            epochs: 1,
            dataSeed: 1
        },
        notes
    };
}
