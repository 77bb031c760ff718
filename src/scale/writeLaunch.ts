// `rmr1 launch`: a ready job folder for training an RM-R1 model at the paper's scale with OpenRLHF or
// veRL on a Ray cluster. It holds the job script(s) with the paper's hyperparameters for the family
// and size (`rmR1Recipe`), the distillation SFT script (instruct family, OpenRLHF `train_sft`), the
// reward wiring (OpenRLHF's remote reward URL pointing at `rmr1 serve`, or the generated Python
// reward module for veRL / OpenRLHF), a script that starts the reward server, `config.json` with
// every value and its caveats, and a README with the steps. docs/scale-out.md walks through it.
import {existsSync, mkdirSync} from "node:fs";
import {isAbsolute, join, resolve} from "node:path";
import {writeFileAtomic} from "../data/RunDir.js";
import {InvalidInput} from "../errors.js";
import {rewardModuleSource} from "./rewardModuleSource.js";
import {modelFamilies, modelSizes, rmR1Recipe} from "./rmR1Recipe.js";
import type {ModelFamily, ModelSize, RmR1Recipe} from "./rmR1Recipe.js";

export type Trainer = "openrlhf" | "verl";
export const trainers: readonly Trainer[] = ["openrlhf", "verl"];

/**
 * - `server-url`: OpenRLHF posts to `rmr1 serve` itself (`--reward.remote_url http://…/get_reward`).
 *   Its HTTP client sends no token, so the server runs on loopback on every node (no token needed).
 * - `server`: the trainer loads the generated Python module, which posts to `rmr1 serve` with a
 *   bearer token (one shared server, reachable across the cluster).
 * - `local`: the generated module applies RM-R1's rule in Python; no server.
 */
export type RewardWiring = "server-url" | "server" | "local";
export const rewardWirings: readonly RewardWiring[] = ["server-url", "server", "local"];

/** OpenRLHF's flag spelling: `0.10` for the dotted flags of 0.10 and later (`--reward.remote_url`), `0.9` for the flat flags before (`--remote_rm_url`). */
export type OpenRlhfDialect = "0.10" | "0.9";
export const openRlhfDialects: readonly OpenRlhfDialect[] = ["0.10", "0.9"];

export interface LaunchOptions {
    family: ModelFamily;
    size: ModelSize;
    /** Folder to write. */
    out: string;
    /** Nodes of 8 GPUs for RL. Defaults to the paper's: 1 / 2 / 4 for 7B / 14B / 32B. */
    nodes?: number;
    /**
     * RL prompts: OpenRLHF reads JSONL / parquet with `context_messages` + `winner` (`rmr1 export
     * --format openrlhf`) or a Hub dataset id; veRL reads parquet (`rmr1 export --format verl`).
     * Defaults to the paper's Hub dataset for OpenRLHF, and `data/rlvr.parquet` (to export) for veRL.
     */
    data?: string;
    /** Distillation data (instruct family): JSONL with `context_messages` + `winner` = the trace. Defaults to `gaotang/RM-R1-Distill-SFT`. */
    sftData?: string;
    /** RL starting checkpoint. Defaults to the distillation output (instruct) or the DeepSeek model (deepseek). */
    model?: string;
    /** Reward wiring. Defaults to `server-url` for OpenRLHF, `local` for veRL. */
    reward?: RewardWiring;
    /** `rmr1 serve` `/get_reward` URL(s), comma-separated. Defaults to `http://127.0.0.1:5000/get_reward`. */
    rewardUrl?: string;
    /** OpenRLHF flag dialect. Defaults to `"0.10"`. */
    openrlhfVersion?: OpenRlhfDialect;
    /** Experiment name (checkpoint folders, wandb). Defaults to `rm-r1-<family>-<size>`. */
    name?: string;
}

export interface LaunchResult {
    trainer: Trainer;
    dir: string;
    /** Files written, relative to `dir`. */
    files: string[];
    config: Record<string, unknown>;
    /** The commands to run, in order. */
    steps: string[];
}

/** Every file of the job folder, by name (nothing is written). */
export function launchFiles(trainer: Trainer, options: LaunchOptions): {files: Record<string, string>, config: Record<string, unknown>, steps: string[]} {
    if (!trainers.includes(trainer)) throw new InvalidInput(`unknown trainer '${String(trainer)}'; use ${trainers.join(" or ")}`, {field: "trainer"});
    if (!modelFamilies.includes(options.family)) throw new InvalidInput(`unknown family '${String(options.family)}'; use ${modelFamilies.join(" or ")}`, {field: "family"});
    if (!modelSizes.includes(options.size)) throw new InvalidInput(`unknown size '${String(options.size)}'; use ${modelSizes.join(", ")}`, {field: "size"});
    const recipe = rmR1Recipe(options.family, options.size);
    const nodes = options.nodes ?? recipe.rlvr.nodes;
    if (!Number.isInteger(nodes) || nodes < 1) throw new InvalidInput(`nodes must be an integer >= 1, got ${nodes}`, {field: "nodes"});
    const gpus = nodes * recipe.rlvr.gpusPerNode;
    if (gpus % recipe.rlvr.tensorParallel !== 0) throw new InvalidInput(`${gpus} GPUs do not split into tensor-parallel groups of ${recipe.rlvr.tensorParallel}`, {field: "nodes"});
    const reward = options.reward ?? (trainer === "openrlhf" ? "server-url" : "local");
    if (!rewardWirings.includes(reward)) throw new InvalidInput(`unknown reward wiring '${String(reward)}'; use ${rewardWirings.join(", ")}`, {field: "reward"});
    if (trainer === "verl" && reward === "server-url")
        throw new InvalidInput("veRL takes a Python reward function, not a URL; use --reward server (the module calls rmr1 serve) or --reward local", {field: "reward"});
    const dialect = options.openrlhfVersion ?? "0.10";
    if (!openRlhfDialects.includes(dialect)) throw new InvalidInput(`unknown OpenRLHF version '${String(dialect)}'; use ${openRlhfDialects.join(" or ")}`, {field: "openrlhfVersion"});
    const rewardUrl = options.rewardUrl ?? "http://127.0.0.1:5000/get_reward";
    if (/["'$`\\\s]/.test(rewardUrl)) throw new InvalidInput(`the reward URL '${rewardUrl}' holds quotes, '$', a backslash or spaces; give plain URLs separated by commas`, {field: "rewardUrl"});
    for (const url of rewardUrl.split(",")) {
        let parsed: URL;
        try {
            parsed = new URL(url.trim());
        } catch {
            throw new InvalidInput(`'${url}' is not a URL; give rmr1 serve's /get_reward URL, e.g. http://head-node:5000/get_reward`, {field: "rewardUrl"});
        }
        if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new InvalidInput(`'${url}' must be an http(s) URL`, {field: "rewardUrl"});
    }
    const name = options.name ?? `rm-r1-${options.family}-${options.size}`;
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new InvalidInput(`name '${name}' may hold letters, digits, '.', '_' and '-' only`, {field: "name"});
    const dir = dataPath(resolve(options.out));
    const dataDefault = trainer === "verl" ? join(dir, "data", "rlvr.parquet") : recipe.rlvr.dataset;
    const data = options.data != null ? dataPath(options.data) : dataDefault;
    if (trainer === "verl" && !data.endsWith(".parquet"))
        throw new InvalidInput(`veRL reads parquet; write the RL data with 'rmr1 export --format verl --in ... --out rlvr.parquet', got '${options.data}'`, {field: "data"});
    const sftData = options.sftData != null ? dataPath(options.sftData) : recipe.distill?.dataset;
    const saveDir = join(dir, "checkpoints");
    const distillDir = join(saveDir, `${name}-distill`);
    const model = options.model != null ? dataPath(options.model) : recipe.distill != null ? distillDir : recipe.rlvr.initModel;
    const plan: Plan = {trainer, recipe, nodes, reward, dialect, rewardUrl, name, dir, data, sftData, saveDir, distillDir, model};

    const files: Record<string, string> = {};
    if (recipe.distill != null) files["train_distill.sh"] = distillScript(plan);
    files["train_rlvr.sh"] = trainer === "openrlhf" ? openRlhfScript(plan) : verlScript(plan);
    if (reward !== "local") files["serve_reward.sh"] = serveScript(plan);
    if (reward !== "server-url") files["rmr1_reward.py"] = rewardModuleSource({defaultMode: reward === "local" ? "local" : "server", defaultUrl: rewardUrl});
    const steps = stepsFor(plan);
    const config = configOf(plan);
    files["config.json"] = JSON.stringify(config, null, 2) + "\n";
    files["README.md"] = readme(plan, steps, Object.keys(files));
    return {files, config, steps};
}

/** Write the job folder for `trainer` (see `launchFiles`); existing files of the same names are replaced. */
export function writeLaunch(trainer: Trainer, options: LaunchOptions): LaunchResult {
    const {files, config, steps} = launchFiles(trainer, options);
    const dir = resolve(options.out);
    mkdirSync(dir, {recursive: true});
    for (const [file, text] of Object.entries(files)) writeFileAtomic(join(dir, file), text);
    return {trainer, dir, files: Object.keys(files), config, steps};
}

/** OpenRLHF job folder (`writeLaunch("openrlhf", ...)`). */
export function writeOpenRlhfLaunch(options: LaunchOptions): LaunchResult {
    return writeLaunch("openrlhf", options);
}

/** veRL job folder (`writeLaunch("verl", ...)`). */
export function writeVerlLaunch(options: LaunchOptions): LaunchResult {
    return writeLaunch("verl", options);
}

interface Plan {
    trainer: Trainer;
    recipe: RmR1Recipe;
    nodes: number;
    reward: RewardWiring;
    dialect: OpenRlhfDialect;
    rewardUrl: string;
    name: string;
    dir: string;
    data: string;
    sftData?: string;
    saveDir: string;
    distillDir: string;
    model: string;
}

/** A local path made absolute (the job runs elsewhere); a Hub id (`owner/name` or `hf:owner/name`) kept. */
function dataPath(value: string): string {
    if (/["$`\\\n]/.test(value)) throw new InvalidInput(`'${value}' holds a character the job scripts cannot quote (", $, \`, \\ or a newline); rename it`, {field: "path"});
    if (value.startsWith("hf:")) return value.slice(3).replace(/^datasets\//, "").split("@")[0];
    if (isAbsolute(value) || existsSync(value) || /\.(jsonl?|parquet|arrow)$/i.test(value) || value.startsWith(".")) return resolve(value);
    return value;
}

/** A shell word: bare when safe, double-quoted when it uses `$VARS` (so they expand), else single-quoted. */
function sh(value: string | number): string {
    const s = String(value);
    if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
    if (s.includes("$") && !/["\\`]/.test(s)) return `"${s}"`;
    return `'${s.replace(/'/g, "'\\''")}'`;
}

/** `--flag value` lines of a command, one per line with continuations. */
function flagLines(flags: [string, (string | number)[]][]): string {
    return flags.map(([flag, values]) => `    ${[flag, ...values.map(sh)].join(" ")}`).join(" \\\n");
}

/** A number as the Python side reads it best (1e-6, 0.001, 4096). */
function num(x: number): string {
    if (x !== 0 && Math.abs(x) < 1e-3) return x.toExponential();
    return String(x);
}

/** OpenRLHF flag names in both dialects: [dotted (0.10+), flat (0.9)]. */
const ppoFlag: Record<string, [string, string]> = {
    actorNodes: ["--actor.num_nodes", "--actor_num_nodes"],
    actorGpus: ["--actor.num_gpus_per_node", "--actor_num_gpus_per_node"],
    refNodes: ["--ref.num_nodes", "--ref_num_nodes"],
    refGpus: ["--ref.num_gpus_per_node", "--ref_num_gpus_per_node"],
    vllmEngines: ["--vllm.num_engines", "--vllm_num_engines"],
    vllmTp: ["--vllm.tensor_parallel_size", "--vllm_tensor_parallel_size"],
    vllmMem: ["--vllm.gpu_memory_utilization", "--vllm_gpu_memory_utilization"],
    colocate: ["--train.colocate_all", "--colocate_all_models"],
    vllmSleep: ["--vllm.enable_sleep", "--vllm_enable_sleep"],
    dsSleep: ["--ds.enable_sleep", "--deepspeed_enable_sleep"],
    model: ["--actor.model_name_or_path", "--pretrain"],
    remoteRm: ["--reward.remote_url", "--remote_rm_url"],
    outputDir: ["--ckpt.output_dir", "--save_path"],
    ckptPath: ["--ckpt.path", "--ckpt_path"],
    saveSteps: ["--ckpt.save_steps", "--save_steps"],
    saveHf: ["--ckpt.save_hf", "--save_hf_ckpt"],
    loadCkpt: ["--ckpt.load_enable", "--load_checkpoint"],
    loggingSteps: ["--logger.logging_steps", "--logging_steps"],
    evalSteps: ["--eval.steps", "--eval_steps"],
    microRollout: ["--rollout.micro_batch_size", "--micro_rollout_batch_size"],
    microTrain: ["--train.micro_batch_size", "--micro_train_batch_size"],
    trainBatch: ["--train.batch_size", "--train_batch_size"],
    rolloutBatch: ["--rollout.batch_size", "--rollout_batch_size"],
    nSamples: ["--rollout.n_samples_per_prompt", "--n_samples_per_prompt"],
    maxEpochs: ["--train.max_epochs", "--max_epochs"],
    episodes: ["--train.num_episodes", "--num_episodes"],
    maxLen: ["--data.max_len", "--max_len"],
    maxNew: ["--rollout.max_new_tokens", "--max_new_tokens"],
    temperature: ["--rollout.temperature", "--temperature"],
    topP: ["--rollout.top_p", "--top_p"],
    zero: ["--ds.zero_stage", "--zero_stage"],
    dtype: ["--ds.param_dtype", "--param_dtype"],
    gradCkpt: ["--actor.gradient_checkpointing_enable", "--gradient_checkpointing"],
    packing: ["--ds.packing_samples", "--packing_samples"],
    refOffload: ["--ref.offload", "--ref_reward_offload"],
    lr: ["--actor.adam.lr", "--actor_learning_rate"],
    betas: ["--actor.adam.betas", "--adam_betas"],
    weightDecay: ["--actor.adam.weight_decay", "--l2"],
    scheduler: ["--actor.lr_scheduler", "--lr_scheduler"],
    warmup: ["--actor.lr_warmup_ratio", "--lr_warmup_ratio"],
    maxNorm: ["--actor.max_norm", "--max_norm"],
    clip: ["--actor.eps_clip", "--eps_clip"],
    entropy: ["--actor.entropy_coef", "--entropy_loss_coef"],
    estimator: ["--algo.advantage.estimator", "--advantage_estimator"],
    klLoss: ["--algo.kl.use_loss", "--use_kl_loss"],
    klEstimator: ["--algo.kl.estimator", "--kl_estimator"],
    klCoef: ["--algo.kl.init_coef", "--init_kl_coef"],
    data: ["--data.prompt_dataset", "--prompt_data"],
    inputKey: ["--data.input_key", "--input_key"],
    labelKey: ["--data.label_key", "--label_key"],
    chatTemplate: ["--data.apply_chat_template", "--apply_chat_template"]
};

const sftFlag: Record<string, [string, string]> = {
    model: ["--model.model_name_or_path", "--pretrain"],
    dataset: ["--data.dataset", "--dataset"],
    inputKey: ["--data.input_key", "--input_key"],
    outputKey: ["--data.output_key", "--output_key"],
    chatTemplate: ["--data.apply_chat_template", "--apply_chat_template"],
    trainBatch: ["--train.batch_size", "--train_batch_size"],
    microBatch: ["--train.micro_batch_size", "--micro_train_batch_size"],
    epochs: ["--train.max_epochs", "--max_epochs"],
    maxLen: ["--data.max_len", "--max_len"],
    lr: ["--adam.lr", "--learning_rate"],
    betas: ["--adam.betas", "--adam_betas"],
    weightDecay: ["--adam.weight_decay", "--l2"],
    scheduler: ["--lr_scheduler", "--lr_scheduler"],
    warmup: ["--lr_warmup_ratio", "--lr_warmup_ratio"],
    maxNorm: ["--max_norm", "--max_norm"],
    zero: ["--ds.zero_stage", "--zero_stage"],
    adamOffload: ["--ds.adam_offload", "--adam_offload"],
    dtype: ["--ds.param_dtype", "--param_dtype"],
    gradCkpt: ["--model.gradient_checkpointing_enable", "--gradient_checkpointing"],
    packing: ["--ds.packing_samples", "--packing_samples"],
    outputDir: ["--ckpt.output_dir", "--save_path"],
    saveSteps: ["--ckpt.save_steps", "--save_steps"],
    evalSteps: ["--eval.steps", "--eval_steps"],
    loggingSteps: ["--logger.logging_steps", "--logging_steps"],
    seed: ["--train.seed", "--seed"]
};

function flagsOf(table: Record<string, [string, string]>, dialect: OpenRlhfDialect, entries: [string, (string | number)[]][]): [string, (string | number)[]][] {
    return entries.map(([key, values]) => [table[key][dialect === "0.10" ? 0 : 1], values]);
}

function header(plan: Plan, what: string): string {
    const r = plan.recipe;
    return `#!/usr/bin/env bash
# ${what}
# Written by: rmr1 launch ${plan.trainer} --family ${r.family} --size ${r.size} --nodes ${plan.nodes}
# Every value and its source: config.json; the steps: README.md; docs/scale-out.md.
set -euo pipefail
cd "$(dirname "$0")"
`;
}

function distillScript(plan: Plan): string {
    const d = plan.recipe.distill!;
    const flags = flagsOf(sftFlag, plan.dialect, [
        ["model", ["$BASE_MODEL"]],
        ["dataset", ["$SFT_DATA"]],
        ["inputKey", ["context_messages"]],
        ["outputKey", ["winner"]],
        ["chatTemplate", []],
        ["trainBatch", [d.trainBatchSize]],
        ["microBatch", [d.microBatchPerGpu]],
        ["epochs", [d.epochs]],
        ["maxLen", [d.maxLen]],
        ["lr", [num(d.learningRate)]],
        ["betas", [d.adamBetas[0], d.adamBetas[1]]],
        ["weightDecay", [d.weightDecay]],
        ["scheduler", [d.lrScheduler]],
        ["warmup", [d.lrWarmupRatio]],
        ["maxNorm", [d.maxNorm]],
        ["zero", [d.zeroStage]],
        ["adamOffload", []],
        ["dtype", ["bf16"]],
        ["gradCkpt", []],
        ["packing", []],
        ["outputDir", ["$SFT_DIR"]],
        ["saveSteps", [-1]],
        ["evalSteps", [-1]],
        ["loggingSteps", [1]],
        ["seed", [d.seed]]
    ]);
    return `${header(plan, `RM-R1 distillation (SFT on teacher reasoning traces) of ${d.baseModel}, OpenRLHF ${plan.dialect === "0.10" ? ">= 0.10" : "0.9.x"}.`)}
# One node, ${d.gpus} GPUs (GPUS to change), DeepSpeed ZeRO-${d.zeroStage} as the reference scripts.
# SFT_DATA rows: {"context_messages": [system, user], "winner": "<the teacher's trace ending <answer>[[X]]</answer>>"}
#   (rmr1 export --format openrlhf --mode sft writes them).
BASE_MODEL="\${BASE_MODEL:-${d.baseModel}}"
SFT_DATA="\${SFT_DATA:-${plan.sftData}}"
SFT_DIR="\${SFT_DIR:-${plan.distillDir}}"
GPUS="\${GPUS:-localhost:${Array.from({length: d.gpus}, (_, i) => i).join(",")}}"

deepspeed --include "$GPUS" --module openrlhf.cli.train_sft \\
${flagLines(flags)}
`;
}

function rewardTarget(plan: Plan): string {
    // Relative: the Ray job's working directory is this folder on every node.
    return plan.reward === "server-url" ? "$RMR1_REWARD_URL" : "rmr1_reward.py";
}

function rewardEnv(plan: Plan): string {
    const mode = plan.reward === "local" ? "local" : "server";
    return `RMR1_REWARD_URL="\${RMR1_REWARD_URL:-${plan.rewardUrl}}"
RMR1_REWARD_MODE="\${RMR1_REWARD_MODE:-${mode}}"
RMR1_TOKEN_FILE="\${RMR1_TOKEN_FILE:-}"`;
}

/**
 * The runtime environment of the Ray job: this folder as the working directory on every node
 * (checkpoints and data excluded from the upload), and the reward settings; the token travels as a
 * file path, so it never shows in the job's metadata.
 */
const runtimeEnv = `RUNTIME_ENV=$(printf '{"working_dir": "%s", "excludes": ["checkpoints", "data"], "env_vars": {"RMR1_REWARD_URL": "%s", "RMR1_REWARD_MODE": "%s", "RMR1_TOKEN_FILE": "%s"}}' \\
    "$PWD" "$RMR1_REWARD_URL" "$RMR1_REWARD_MODE" "$RMR1_TOKEN_FILE")`;

/** The end of an RLVR script: the overridable paths, the reward and runtime environment, and the Ray job running `module` with `args` (already formatted). */
function rayJob(plan: Plan, module: string, args: string): string {
    return `MODEL="\${MODEL:-${plan.model}}"
DATA="\${DATA:-${plan.data}}"
SAVE_DIR="\${SAVE_DIR:-${plan.saveDir}}"
NAME="\${NAME:-${plan.name}}"
RAY_ADDRESS="\${RAY_ADDRESS:-http://127.0.0.1:8265}"
${rewardEnv(plan)}
${runtimeEnv}

ray job submit --address="$RAY_ADDRESS" --runtime-env-json="$RUNTIME_ENV" \\
    -- python3 -m ${module} \\
${args}
`;
}

function openRlhfScript(plan: Plan): string {
    const r = plan.recipe.rlvr;
    const gpus = plan.nodes * r.gpusPerNode;
    const flags = flagsOf(ppoFlag, plan.dialect, [
        ["actorNodes", [plan.nodes]],
        ["actorGpus", [r.gpusPerNode]],
        ["refNodes", [plan.nodes]],
        ["refGpus", [r.gpusPerNode]],
        ["vllmEngines", [gpus / r.tensorParallel]],
        ["vllmTp", [r.tensorParallel]],
        ["vllmMem", [r.gpuMemoryUtilization]],
        ["colocate", []],
        ["vllmSleep", []],
        ["dsSleep", []],
        ["model", ["$MODEL"]],
        ["remoteRm", [rewardTarget(plan)]],
        ["data", ["$DATA"]],
        ["inputKey", ["context_messages"]],
        ["labelKey", ["winner"]],
        ["chatTemplate", []],
        ["rolloutBatch", [r.trainBatchSize]],
        ["nSamples", [r.n]],
        ["trainBatch", [r.miniBatchSize * r.n]],
        ["microTrain", [r.microBatchPerGpu]],
        ["microRollout", [r.logProbMicroBatchPerGpu]],
        ["maxEpochs", [1]],
        ["episodes", [r.epochs]],
        ["maxLen", [r.maxPromptLength + r.maxResponseLength]],
        ["maxNew", [r.maxResponseLength]],
        ["temperature", [r.temperature]],
        ["topP", [r.topP]],
        ["estimator", ["group_norm"]],
        ["klLoss", []],
        ["klEstimator", ["k3"]],
        ["klCoef", [num(r.klLossCoef)]],
        ["entropy", [r.entropyCoeff]],
        ["clip", [r.clipRatio]],
        ["lr", [num(r.learningRate)]],
        ["betas", [r.adamBetas[0], r.adamBetas[1]]],
        ["weightDecay", [r.weightDecay]],
        ["scheduler", ["constant"]],
        ["warmup", [0]],
        ["maxNorm", [r.gradClip]],
        ["zero", [3]],
        ["dtype", ["bf16"]],
        ["gradCkpt", []],
        ["packing", []],
        ["refOffload", []],
        ["outputDir", ["$SAVE_DIR/$NAME"]],
        ["ckptPath", ["$SAVE_DIR/$NAME/ckpt"]],
        ["saveSteps", [r.saveFreq]],
        ["saveHf", []],
        ["loadCkpt", []],
        ["loggingSteps", [1]],
        ["evalSteps", [-1]]
    ]);
    return `${header(plan, `RM-R1 RLVR (GRPO, verifiable +1/-1 reward) of ${plan.recipe.baseModel} (${plan.recipe.family}), OpenRLHF ${plan.dialect === "0.10" ? ">= 0.10" : "0.9.x"} on Ray.`)}
# ${plan.nodes} node(s) x ${r.gpusPerNode} GPUs; GRPO = group_norm advantages over n=${r.n} samples per prompt, KL as a loss
# (k3 = veRL's low_var_kl, coef ${num(r.klLossCoef)}), no KL in the reward. ${r.trainBatchSize} prompts per step, ${r.miniBatchSize} per
# optimizer step (${r.miniBatchSize * r.n} sequences). Run on a machine of the cluster; RAY_ADDRESS names its dashboard.
# Reward: ${plan.reward === "server-url"
        ? "OpenRLHF posts to rmr1 serve at RMR1_REWARD_URL (start serve_reward.sh on every node first)."
        : plan.reward === "server" ? "rmr1_reward.py posts to rmr1 serve at RMR1_REWARD_URL with the bearer token in RMR1_TOKEN_FILE." : "rmr1_reward.py applies the RM-R1 rule in Python (no server)."}
${rayJob(plan, "openrlhf.cli.train_ppo_ray", flagLines(flags))}`;
}

function verlScript(plan: Plan): string {
    const r = plan.recipe.rlvr;
    const overrides: [string, string | number][] = [
        ["algorithm.adv_estimator", "grpo"],
        ["algorithm.use_kl_in_reward", "False"],
        ["algorithm.kl_ctrl.kl_coef", 0.0],
        ["data.train_files", "$DATA"],
        ["data.val_files", "$DATA"],
        ["data.prompt_key", "prompt"],
        ["data.train_batch_size", r.trainBatchSize],
        ["data.max_prompt_length", r.maxPromptLength],
        ["data.max_response_length", r.maxResponseLength],
        ["data.filter_overlong_prompts", "True"],
        ["data.truncation", "error"],
        ["data.shuffle", "True"],
        ["data.seed", r.dataSeed],
        ["actor_rollout_ref.model.path", "$MODEL"],
        ["actor_rollout_ref.model.use_remove_padding", "True"],
        ["actor_rollout_ref.model.enable_gradient_checkpointing", "True"],
        ["actor_rollout_ref.actor.optim.lr", num(r.learningRate)],
        ["actor_rollout_ref.actor.optim.lr_warmup_steps_ratio", 0],
        ["actor_rollout_ref.actor.optim.weight_decay", r.weightDecay],
        ["actor_rollout_ref.actor.ppo_mini_batch_size", r.miniBatchSize],
        ["actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu", r.microBatchPerGpu],
        ["actor_rollout_ref.actor.use_dynamic_bsz", "False"],
        ["actor_rollout_ref.actor.ppo_epochs", 1],
        ["actor_rollout_ref.actor.shuffle", "False"],
        ["actor_rollout_ref.actor.clip_ratio", r.clipRatio],
        ["actor_rollout_ref.actor.grad_clip", r.gradClip],
        ["actor_rollout_ref.actor.entropy_coeff", r.entropyCoeff],
        ["actor_rollout_ref.actor.use_kl_loss", "True"],
        ["actor_rollout_ref.actor.kl_loss_coef", num(r.klLossCoef)],
        ["actor_rollout_ref.actor.kl_loss_type", r.klLossType],
        ["actor_rollout_ref.actor.fsdp_config.param_offload", "False"],
        ["actor_rollout_ref.actor.fsdp_config.optimizer_offload", "False"],
        ["actor_rollout_ref.rollout.name", "vllm"],
        ["actor_rollout_ref.rollout.tensor_model_parallel_size", r.tensorParallel],
        ["actor_rollout_ref.rollout.gpu_memory_utilization", r.gpuMemoryUtilization],
        ["actor_rollout_ref.rollout.n", r.n],
        ["actor_rollout_ref.rollout.temperature", r.temperature],
        ["actor_rollout_ref.rollout.top_p", r.topP],
        ["actor_rollout_ref.rollout.top_k", r.topK],
        ["actor_rollout_ref.rollout.max_num_batched_tokens", r.maxPromptLength + r.maxResponseLength],
        ["actor_rollout_ref.rollout.enable_chunked_prefill", "False"],
        ["actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu", r.logProbMicroBatchPerGpu],
        ["actor_rollout_ref.ref.log_prob_micro_batch_size_per_gpu", r.logProbMicroBatchPerGpu],
        ["actor_rollout_ref.ref.fsdp_config.param_offload", "True"],
        ["reward_model.enable", "False"],
        ["reward_model.reward_manager", "naive"],
        ["custom_reward_function.path", "rmr1_reward.py"],
        ["custom_reward_function.name", "compute_score"],
        ["trainer.nnodes", plan.nodes],
        ["trainer.n_gpus_per_node", r.gpusPerNode],
        ["trainer.total_epochs", r.epochs],
        ["trainer.save_freq", r.saveFreq],
        ["trainer.test_freq", -1],
        ["trainer.val_before_train", "False"],
        ["trainer.balance_batch", "True"],
        ["trainer.resume_mode", "auto"],
        ["trainer.logger", "['console','wandb']"],
        ["trainer.project_name", "rmr1"],
        ["trainer.experiment_name", "$NAME"],
        ["trainer.default_local_dir", "$SAVE_DIR/$NAME"]
    ];
    const lines = overrides.map(([key, value]) => {
        const v = String(value);
        // `$VARS` expand inside double quotes; Hydra lists are single-quoted for the shell.
        const word = v.includes("$") ? `"${key}=${v}"` : /^[A-Za-z0-9_.:/+-]+$/.test(v) ? `${key}=${v}` : `'${key}=${v}'`;
        return `    ${word}`;
    });
    return `${header(plan, `RM-R1 RLVR (GRPO, verifiable +1/-1 reward) of ${plan.recipe.baseModel} (${plan.recipe.family}), veRL 0.7 on Ray.`)}
# ${plan.nodes} node(s) x ${r.gpusPerNode} GPUs; the settings of rm_r1/scripts/RLVR/*.sh (method doc §4) on current veRL keys.
# DATA: parquet in veRL's schema (rmr1 export --format verl): prompt = the filled RM-R1 messages,
#   reward_model.ground_truth = model_a|model_b. The reward function is rmr1_reward.py:compute_score
#   (${plan.reward === "local" ? "the RM-R1 rule in Python, no server" : "posting to rmr1 serve at RMR1_REWARD_URL"}).
${rayJob(plan, "verl.trainer.main_ppo", lines.join(" \\\n"))}`;
}

function serveScript(plan: Plan): string {
    const perNode = plan.reward === "server-url";
    const port = (() => {
        try {
            return new URL(plan.rewardUrl.split(",")[0].trim()).port || "5000";
        } catch {
            return "5000";
        }
    })();
    return `#!/usr/bin/env bash
# Start the RM-R1 reward server: rmr1 serve in mode rm-r1 (the verifiable +1/-1 reward of the paper;
# no model is loaded: the trainer sends the reward model's own output and the label).
${perNode
        ? `# OpenRLHF's HTTP client sends no token, so run this on EVERY node of the cluster: the server binds
# 127.0.0.1 and each node's rollout workers use their own (RMR1_REWARD_URL=http://127.0.0.1:${port}/get_reward).`
        : `# One server for the cluster: it binds RMR1_HOST (default 0.0.0.0) and needs a bearer token, read from
# RMR1_TOKEN_FILE (write one: openssl rand -hex 32 > token && chmod 600 token) on a filesystem the
# Ray workers share, or from RMR1_TOKEN.`}
set -euo pipefail
RMR1_BIN="\${RMR1_BIN:-rmr1}"
RMR1_PORT="\${RMR1_PORT:-${port}}"
${perNode
        ? "exec $RMR1_BIN serve --reward-mode rm-r1 --host 127.0.0.1 --port \"$RMR1_PORT\" --quiet \"$@\""
        : `RMR1_HOST="\${RMR1_HOST:-0.0.0.0}"
if [ -n "\${RMR1_TOKEN_FILE:-}" ]; then RMR1_TOKEN="$(cat "$RMR1_TOKEN_FILE")"; export RMR1_TOKEN; fi
: "\${RMR1_TOKEN:?set RMR1_TOKEN_FILE or RMR1_TOKEN}"
exec $RMR1_BIN serve --reward-mode rm-r1 --host "$RMR1_HOST" --port "$RMR1_PORT" --quiet "$@"`}
`;
}

function stepsFor(plan: Plan): string[] {
    const steps: string[] = [];
    if (plan.trainer === "verl" && plan.data === join(plan.dir, "data", "rlvr.parquet"))
        steps.push(`rmr1 export --format verl --in hf:${plan.recipe.rlvr.dataset} --out ${plan.data}`);
    if (plan.recipe.distill != null) steps.push("bash train_distill.sh        # distillation SFT (one node); writes " + plan.distillDir);
    if (plan.reward === "server-url") steps.push("bash serve_reward.sh &       # on every node (loopback reward server)");
    if (plan.reward === "server") steps.push("bash serve_reward.sh &       # once, on a node the workers can reach (token required)");
    steps.push("bash train_rlvr.sh           # submits the RL job to the Ray cluster at RAY_ADDRESS");
    return steps;
}

function configOf(plan: Plan): Record<string, unknown> {
    return {
        generated_by: "rmr1 launch",
        trainer: plan.trainer,
        ...(plan.trainer === "openrlhf" ? {openrlhf_flags: plan.dialect === "0.10" ? "0.10+ (dotted)" : "0.9 (flat)"} : {verl_version: "0.7"}),
        family: plan.recipe.family,
        size: plan.recipe.size,
        name: plan.name,
        nodes: plan.nodes,
        reward: {wiring: plan.reward, url: plan.reward === "local" ? null : plan.rewardUrl, rule: "rm-r1: +1 when the last 80 code points hold the correct <answer>[[X]]</answer> and not the other, else -1"},
        paths: {data: plan.data, sft_data: plan.sftData ?? null, model: plan.model, save_dir: plan.saveDir},
        recipe: plan.recipe
    };
}

function readme(plan: Plan, steps: string[], files: string[]): string {
    const r = plan.recipe;
    return `# ${plan.name}: RM-R1 ${r.family} ${r.size} with ${plan.trainer === "openrlhf" ? "OpenRLHF" : "veRL"}

Written by \`rmr1 launch ${plan.trainer} --family ${r.family} --size ${r.size} --nodes ${plan.nodes}\`. The full path from
rmr1 data to a trained checkpoint and back into rmr1 is in docs/scale-out.md.

Files: ${files.map((f) => `\`${f}\``).join(", ")}, \`README.md\`.

## Steps

\`\`\`bash
${steps.join("\n")}
\`\`\`

Every script reads its paths from the environment first (MODEL, DATA, SAVE_DIR, RAY_ADDRESS,
RMR1_REWARD_URL, ...), so the same folder works on another cluster.

## Settings (config.json has them all)

| | value |
|---|---|
| RL learning rate | ${num(r.rlvr.learningRate)} |
| prompts per step / per optimizer step | ${r.rlvr.trainBatchSize} / ${r.rlvr.miniBatchSize} |
| samples per prompt (GRPO group) | ${r.rlvr.n} |
| temperature / top-p | ${r.rlvr.temperature} / ${r.rlvr.topP} |
| KL loss | ${r.rlvr.klLossType} (k3), ${num(r.rlvr.klLossCoef)}; none in the reward |
| max prompt / response tokens | ${r.rlvr.maxPromptLength} / ${r.rlvr.maxResponseLength} |
| vLLM tensor parallel / memory | ${r.rlvr.tensorParallel} / ${r.rlvr.gpuMemoryUtilization} |
| nodes x GPUs | ${plan.nodes} x ${r.rlvr.gpusPerNode} |
${r.distill != null ? `| distillation learning rate, batch, max length | ${num(r.distill.learningRate)}, ${r.distill.trainBatchSize}, ${r.distill.maxLen} |\n` : ""}
## Caveats

${r.notes.map((n) => `- ${n}`).join("\n")}
`;
}
