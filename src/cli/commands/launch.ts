// `rmr1 launch openrlhf|verl`: write a ready job folder (scripts, reward wiring, config, README) for
// training an RM-R1 model at the paper's scale on a Ray cluster. A thin wrapper over `writeLaunch`.
import {InvalidInput} from "../../errors.js";
import {modelFamilies, modelSizes} from "../../scale/rmR1Recipe.js";
import {openRlhfDialects, rewardWirings, trainers, writeLaunch} from "../../scale/writeLaunch.js";
import type {Trainer} from "../../scale/writeLaunch.js";
import {int, oneOf, parseFlags, str} from "../args.js";
import type {Command} from "../Command.js";

export const launchCommand: Command = {
    name: "launch",
    summary: "write an OpenRLHF / veRL job (scripts, paper hyperparameters, reward wiring) for a Ray cluster",
    usage: `Usage: rmr1 launch openrlhf|verl --family instruct|deepseek --size 7b|14b|32b [--nodes N]
                   [--data FILE] [--sft-data FILE] [--model PATH] [--out DIR]
                   [--reward server-url|server|local] [--reward-url URL] [--openrlhf-version 0.10|0.9]

Writes a job folder with the paper's settings for that family and size (method doc §4-5):
  train_distill.sh   instruct family: OpenRLHF train_sft on teacher traces (lr 5e-6/3e-6/2e-6 for
                     7B/14B/32B, batch 128, max length 12288, ZeRO-3)
  train_rlvr.sh      GRPO on Ray: lr per size and family, 1024 prompts per step, mini-batch 128,
                     n = 7, temperature 1.0, KL loss low_var_kl (k3) 1e-3, prompt/response 4096/8192,
                     vLLM tensor parallel 4, 1/2/4 nodes of 8 GPUs for 7B/14B/32B
  serve_reward.sh    starts rmr1 serve for the verifiable +1/-1 reward (when the reward uses it)
  rmr1_reward.py     veRL compute_score / OpenRLHF reward_func: calls rmr1 serve with a token, or
                     applies the RM-R1 rule locally (byte for byte the reference's lm_as_judge.py)
  config.json, README.md

Reward wiring (--reward):
  server-url  OpenRLHF posts to rmr1 serve (--reward.remote_url URL); the server runs on loopback
              on every node, as OpenRLHF's HTTP client sends no token (OpenRLHF default)
  server      the trainer loads rmr1_reward.py, which posts to one shared rmr1 serve with a bearer token
  local       rmr1_reward.py applies the rule in Python; no server (veRL default)

Options:
  --family F           ${modelFamilies.join(", ")} (required)
  --size S             ${modelSizes.join(", ")} (required)
  --nodes N            nodes of 8 GPUs for RL (default the paper's: 1, 2, 4)
  --data FILE          RL data: OpenRLHF JSONL/parquet {context_messages, winner} or a Hub id;
                       veRL parquet (rmr1 export --format verl) (default the paper's Hub dataset)
  --sft-data FILE      distillation data {context_messages, winner: trace} (default gaotang/RM-R1-Distill-SFT)
  --model PATH         RL starting checkpoint (default the distillation output, or the DeepSeek model)
  --out DIR            folder to write (default runs/launch-<trainer>-<family>-<size>)
  --reward W           ${rewardWirings.join(", ")} (see above)
  --reward-url URL     rmr1 serve /get_reward URL(s), comma-separated (default http://127.0.0.1:5000/get_reward)
  --openrlhf-version V ${openRlhfDialects.join(" (dotted flags, default) or ")} (flat flags)
  --name NAME          experiment name (default rm-r1-<family>-<size>)

See docs/scale-out.md for the path from rmr1 data to a trained checkpoint and back into rmr1.
`,
    async run(argv) {
        const args = parseFlags(argv, {
            family: {type: "string"}, size: {type: "string"}, nodes: {type: "string"}, data: {type: "string"},
            "sft-data": {type: "string"}, model: {type: "string"}, out: {type: "string"}, reward: {type: "string"},
            "reward-url": {type: "string"}, "openrlhf-version": {type: "string"}, name: {type: "string"}
        });
        const trainer = args.positionals[0];
        if (args.positionals.length !== 1 || !trainers.includes(trainer as Trainer))
            throw new InvalidInput(`name the trainer: rmr1 launch ${trainers.join("|")} ...; see --help`, {field: "trainer"});
        const family = oneOf(args, "family", modelFamilies);
        const size = oneOf(args, "size", modelSizes);
        if (family == null) throw new InvalidInput(`--family is required (${modelFamilies.join(" or ")}); see --help`, {field: "family"});
        if (size == null) throw new InvalidInput(`--size is required (${modelSizes.join(", ")}); see --help`, {field: "size"});
        const result = writeLaunch(trainer as Trainer, {
            family, size,
            out: str(args, "out") ?? `runs/launch-${trainer}-${family}-${size}`,
            nodes: args.flags.nodes == null ? undefined : int(args, "nodes", 1, 1, 1024),
            data: str(args, "data"),
            sftData: str(args, "sft-data"),
            model: str(args, "model"),
            reward: oneOf(args, "reward", rewardWirings),
            rewardUrl: str(args, "reward-url"),
            openrlhfVersion: oneOf(args, "openrlhf-version", openRlhfDialects),
            name: str(args, "name")
        });
        process.stdout.write([
            `wrote ${result.files.length} files to ${result.dir}: ${result.files.join(", ")}`,
            "next:",
            ...result.steps.map((s) => `  cd ${result.dir} && ${s}`),
            ""
        ].join("\n"));
        return 0;
    }
};
