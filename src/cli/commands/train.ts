// `rmr1 train sft` and `rmr1 train grpo`: thin wrappers over `trainSft` / `trainGrpo`.
// Ctrl-C stops after the step in progress and saves a checkpoint; the same command resumes.
import {InvalidInput} from "../../errors.js";
import {profileNames} from "../../protocol/profiles.js";
import {trainPresetNames} from "../../train/presets.js";
import {rlOrders} from "../../train/rlData.js";
import {rolloutBackends} from "../../train/rollouts.js";
import {trainSft, type SftOptions} from "../../train/trainSft.js";
import {trainGrpo, type GrpoOptions} from "../../train/trainGrpo.js";
import {bool, int, num, oneOf, parseFlags, req, str, type FlagSpec, type ParsedArgs} from "../args.js";
import type {Command} from "../Command.js";
import {withInterrupt} from "../interruptSignal.js";

const runFlags: FlagSpec = {
    model: {type: "string"}, data: {type: "string"}, out: {type: "string"}, preset: {type: "string"},
    lr: {type: "string"}, "batch-size": {type: "string"}, "micro-batch-size": {type: "string"}, epochs: {type: "string"},
    "max-steps": {type: "string"}, "weight-decay": {type: "string"}, beta1: {type: "string"}, beta2: {type: "string"},
    "grad-clip": {type: "string"}, seed: {type: "string"}, strict: {type: "boolean"}, threads: {type: "string"},
    "checkpoint-every": {type: "string"}, "keep-checkpoints": {type: "string"}, gguf: {type: "boolean"}, quiet: {type: "boolean"},
    aggregation: {type: "string"}
};

/** Flags every trainer shares, as option fields (absent flags stay undefined so the preset applies). */
function commonOptions(args: ParsedArgs): Record<string, unknown> {
    const optInt = (name: string, min = 1) => (str(args, name) == null ? undefined : int(args, name, 0, min));
    const optNum = (name: string, min = 0) => (str(args, name) == null ? undefined : num(args, name, 0, min));
    const preset = str(args, "preset");
    if (preset != null && !(trainPresetNames as readonly string[]).includes(preset))
        throw new InvalidInput(`--preset must be one of ${trainPresetNames.join(", ")}; got '${preset}'`, {field: "preset"});
    return {
        model: req(args, "model"), data: req(args, "data"), out: req(args, "out"), preset,
        lr: optNum("lr"), batchSize: optInt("batch-size"), microBatchSize: optInt("micro-batch-size"), epochs: optInt("epochs"),
        maxSteps: optInt("max-steps"), weightDecay: optNum("weight-decay"), beta1: optNum("beta1"), beta2: optNum("beta2"),
        gradClip: optNum("grad-clip"), seed: optInt("seed", 0), strict: bool(args, "strict"), threads: optInt("threads"),
        checkpointEvery: optInt("checkpoint-every", 0), keepCheckpoints: optInt("keep-checkpoints"), gguf: bool(args, "gguf"),
        aggregation: oneOf(args, "aggregation", ["token-mean", "seq-mean"] as const),
        progressBar: !bool(args, "quiet")
    };
}

/** Ctrl-C stops a trainer after the step in progress (a second Ctrl-C exits at once); SIGTERM is left to its default. */
const trainInterrupt = {message: "stopping after this step (Ctrl-C again to quit now)...", signals: ["SIGINT"]} as const;

const commonUsage = `  --model DIR              starting checkpoint (an rmr1 model folder) (required)
  --data SRC               training data: .jsonl/.json/.parquet, a folder, or hf:owner/name (required)
  --out DIR                run folder; the same command with the same --out resumes (required)
  --preset NAME            ${trainPresetNames.join(" | ")} (default paper)
  --lr X                   peak learning rate
  --batch-size N           global batch (examples for SFT, prompts for GRPO)
  --micro-batch-size N     examples (SFT) or responses (GRPO) per forward/backward
  --epochs N               passes over the data
  --max-steps N            stop after N optimizer steps
  --weight-decay X, --beta1 X, --beta2 X, --grad-clip X   AdamW and clipping
  --aggregation MODE       token-mean | seq-mean (loss average; see docs/training.md)
  --seed N                 data order, held-out split, sampling
  --strict                 fail on the first bad or over-long row (default: skip and count)
  --threads N              kernel threads (default RMR1_THREADS, else all cores)
  --checkpoint-every N     resumable checkpoint every N steps (default 50; 0 = only at the end)
  --keep-checkpoints N     step checkpoints kept on disk (default 2)
  --gguf                   also write model.gguf into <out>/model
  --quiet                  no progress bar`;

export const trainSftCommand: Command = {
    name: "train sft",
    summary: "Supervised fine-tuning of a native model on reasoning traces (distillation)",
    usage: `Usage: rmr1 train sft --model DIR --data TRACES --out runs/NAME [options]

Next-token NLL on the response tokens only, micro-batches with gradient accumulation, AdamW,
cosine schedule with 3% warm-up and a floor at 0.1x the peak, gradient clipping, a held-out loss,
resumable checkpoints. Rows: {context_messages, winner: <trace>} (RM-R1 distillation data),
{messages: [..., {role: assistant}]} or {prompt, completion}.
Writes <out>/run.json, metrics.jsonl, checkpoints/step-N/, scores.json and the final model <out>/model.

Options:
${commonUsage}
  --eval-data SRC          held-out data (default: a seeded --eval-fraction of --data)
  --eval-fraction X        fraction held out (default 0.05; 0 for none)
  --eval-every N           held-out loss every N steps (default 50)
  --max-len N              skip examples longer than N tokens (default: the model's maxSeqLen)
  --train-on-header        also train on the <|assistant|> header token (the reference does)
  --schedule cosine|constant   (default cosine)
  --warmup-ratio X         (default 0.03)   --min-lr-ratio X   (default 0.1)
See docs/training.md.
`,
    async run(argv) {
        const args = parseFlags(argv, {
            ...runFlags, "eval-data": {type: "string"}, "eval-fraction": {type: "string"}, "eval-every": {type: "string"},
            "max-len": {type: "string"}, "train-on-header": {type: "boolean"}, schedule: {type: "string"},
            "warmup-ratio": {type: "string"}, "min-lr-ratio": {type: "string"}
        }, {allowPositionals: false});
        const options = {
            ...commonOptions(args),
            evalData: str(args, "eval-data"),
            evalFraction: str(args, "eval-fraction") == null ? undefined : num(args, "eval-fraction", 0.05, 0, 1),
            evalEvery: str(args, "eval-every") == null ? undefined : int(args, "eval-every", 50, 1),
            maxLen: str(args, "max-len") == null ? undefined : int(args, "max-len", 0, 2),
            trainOnHeader: bool(args, "train-on-header"),
            schedule: oneOf(args, "schedule", ["cosine", "constant"] as const),
            warmupRatio: str(args, "warmup-ratio") == null ? undefined : num(args, "warmup-ratio", 0, 0, 0.99),
            minLrRatio: str(args, "min-lr-ratio") == null ? undefined : num(args, "min-lr-ratio", 0, 0, 1),
            command: ["rmr1", "train", "sft", ...argv].join(" ")
        } as SftOptions;
        const result = await withInterrupt(trainInterrupt, (signal) => trainSft({...options, signal}));
        const m = result.metrics;
        process.stdout.write(`trained ${result.steps} steps: loss ${m.loss.toFixed(4)}` +
            (m.evalLoss != null ? `, held-out loss ${m.initialEvalLoss?.toFixed(4)} → ${m.evalLoss.toFixed(4)}` : "") +
            `, ${m.tokensPerSecond.toFixed(0)} tokens/s\n`);
        if (result.skipped.badRows + result.skipped.overlong > 0) process.stdout.write(`skipped ${result.skipped.badRows} bad rows and ${result.skipped.overlong} over-long examples (see ${result.runDir}/scores.json)\n`);
        process.stdout.write(`model: ${result.modelDir}\n`);
        return 0;
    }
};

export const trainGrpoCommand: Command = {
    name: "train grpo",
    summary: "RL with the verifiable reward: GRPO (or --algo ppo) on judge prompts",
    usage: `Usage: rmr1 train grpo --model DIR --data PAIRS --out runs/NAME [options]

Each step: --batch-size prompts, --group-size rollouts each from the current policy, reward +1/-1
from the RM-R1 RL extractor (tagged verdict in the last 80 characters), group-normalised
advantages, clipped surrogate (0.2) with a token-level mean, low_var_kl to the frozen starting
model, constant LR, mini-batches, one PPO epoch. Data: RM-R1 rows {context_messages, winner} or
preference pairs in any shape 'rmr1 export' reads (rendered with --profile, A/B by --order).
Writes <out>/run.json, metrics.jsonl, checkpoints/step-N/, scores.json, <out>/model (and <out>/best).

Options:
${commonUsage}
  --algo grpo|ppo          (default grpo); ppo adds a value-head critic, GAE (gamma = lambda = 1)
  --group-size N           rollouts per prompt (paper 7)
  --mini-batch-size N      prompts per optimizer update (paper 128)
  --temperature X, --top-p X    rollout sampling (paper 1, 1)
  --max-prompt-tokens N    skip longer prompts (paper 4096)
  --max-response-tokens N  (paper 8192)
  --kl-coef X              low_var_kl coefficient (paper 0.001)
  --clip X                 ratio clip (paper 0.2)
  --advantage std|mean-only     group normalisation (paper std)
  --critic-lr X, --value-clip X  PPO critic (paper 1e-5, 0.5)
  --profile NAME           ${profileNames.join(" | ")} for rendering pairs (default tiny)
  --order alternate|random A/B placement of rendered pairs (default alternate)
  --rollout native|gguf    sample with the native decoder (default) or node-llama-cpp on a GGUF exported each step
  --dev-data SRC           dev prompts: judge them greedily every --dev-every steps, keep the best in <out>/best
  --dev-every N            (default 10)   --dev-max N   (default 100)
See docs/training.md.
`,
    async run(argv) {
        const args = parseFlags(argv, {
            ...runFlags, algo: {type: "string"}, "group-size": {type: "string"}, "mini-batch-size": {type: "string"},
            temperature: {type: "string"}, "top-p": {type: "string"}, "max-prompt-tokens": {type: "string"}, "max-response-tokens": {type: "string"},
            "kl-coef": {type: "string"}, clip: {type: "string"}, advantage: {type: "string"}, "critic-lr": {type: "string"}, "value-clip": {type: "string"},
            profile: {type: "string"}, order: {type: "string"}, rollout: {type: "string"},
            "dev-data": {type: "string"}, "dev-every": {type: "string"}, "dev-max": {type: "string"}
        }, {allowPositionals: false});
        const optInt = (name: string) => (str(args, name) == null ? undefined : int(args, name, 0, 1));
        const optNum = (name: string) => (str(args, name) == null ? undefined : num(args, name, 0, 0));
        const options = {
            ...commonOptions(args),
            algo: oneOf(args, "algo", ["grpo", "ppo"] as const),
            groupSize: optInt("group-size"), miniBatchSize: optInt("mini-batch-size"),
            temperature: optNum("temperature"), topP: optNum("top-p"),
            maxPromptTokens: optInt("max-prompt-tokens"), maxResponseTokens: optInt("max-response-tokens"),
            klCoef: optNum("kl-coef"), clip: optNum("clip"), advantageNorm: oneOf(args, "advantage", ["std", "mean-only"] as const),
            criticLr: optNum("critic-lr"), valueClip: optNum("value-clip"),
            profile: oneOf(args, "profile", profileNames), order: oneOf(args, "order", rlOrders), rollout: oneOf(args, "rollout", rolloutBackends),
            devData: str(args, "dev-data"), devEvery: optInt("dev-every"), devMax: optInt("dev-max"),
            command: ["rmr1", "train", "grpo", ...argv].join(" ")
        } as GrpoOptions;
        const result = await withInterrupt(trainInterrupt, (signal) => trainGrpo({...options, signal}));
        const m = result.metrics;
        process.stdout.write(`trained ${result.steps} steps: mean reward ${m.firstReward.toFixed(3)} (first steps) → ${m.lastReward.toFixed(3)} (last steps)${Number.isFinite(m.kl) ? `, KL ${m.kl.toFixed(4)}` : ""}\n`);
        if (m.bestDevAccuracy != null) process.stdout.write(`dev accuracy ${m.initialDevAccuracy?.toFixed(3)} at start, best ${m.bestDevAccuracy.toFixed(3)} at step ${m.bestStep}: ${result.bestDir}\n`);
        if (result.skipped.badRows + result.skipped.overlong > 0) process.stdout.write(`skipped ${result.skipped.badRows} bad rows and ${result.skipped.overlong} over-long prompts (see ${result.runDir}/scores.json)\n`);
        process.stdout.write(`model: ${result.modelDir}\n`);
        return 0;
    }
};
