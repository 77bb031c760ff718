// `rmr1 world generate`: the quickstart world's preference pairs as JSONL.
// `rmr1 world pretrain`: the quickstart's base model, pretrained from scratch as a policy of the world.
import {JsonlWriter} from "../../data/jsonl.js";
import {generateWorldPairs} from "../../world/generateWorld.js";
import type {WorldFamily, WorldLevel} from "../../world/levels.js";
import type {WorldSplit} from "../../world/splits.js";
import type {Command} from "../Command.js";
import {ProgressBar} from "../ProgressBar.js";
import {bool, int, num, oneOf, parseFlags, req, str} from "../args.js";
import {InvalidInput} from "../../errors.js";
import {pretrainPolicy, pretrainReport} from "../../world/pretrainPolicy.js";
import {RESUMABLE_STOP, withInterrupt} from "../interruptSignal.js";
// Registers the `world:teacher` engine provider, so every command that takes an engine (rmr1 distill,
// rmr1 judge) accepts it: the CLI loads every command module at start.
import "../../world/WorldTeacher.js";

const usage = `Usage: rmr1 world generate --n N --out FILE [options]

Write N preference pairs of the quickstart's world as JSONL, in the TRL conversational convention
with the record fields of rmr1: {"id","prompt":[user],"chosen":[assistant],"rejected":[assistant],
"source":"world","domain","meta":{"family","level","kind","split",...}}. The same options and seed
always give the same file. Rendering with balanced A/B sides is left to the consumer (see
balancedOrders in docs/world.md).

Families:
  arith   (domain reasoning) "Compute 47 + 38 * 2." answered with steps "a op b = c" and "Answer: N";
          the rejected reply has one mistake carried through (carry, digit, sign, precedence)
  lists   (domain chat) "List 3 animals in lowercase, separated by commas."; the rejected reply
          breaks exactly one rule (count, case, separator, category, repeat)

Levels:
  1       one operator, operands 0-99 (0-9 next to *), lists of 2-3 items
  2       one or two operators, operands 0-999 (0-99 next to *), lists of 2-4
  3       one to three operators, lists of 2-5
  mix     a uniform level per pair

Options:
  --n N                        number of pairs (required)
  --out FILE                   output JSONL file, overwritten (required; - for stdout)
  --family arith|lists|all     family, all = a fair coin per pair (default all)
  --level 1|2|3|mix            difficulty (default 1)
  --seed S                     seed (default 0)
  --split train|validation|test|any
                               only questions of this split of the world's fixed question partition,
                               so train and test files never share a prompt (default any)
  --allow-duplicates           keep pairs identical to an earlier one (default: skipped)

Example:
  rmr1 world generate --family all --level 1 --split train --n 20000 --seed 1 --out train.jsonl
  rmr1 world generate --family all --level 1 --split test --n 300 --seed 2 --out test.jsonl
`;

export const worldGenerateCommand: Command = {
    name: "world generate",
    summary: "Generate preference pairs of the quickstart's arith/lists world (JSONL)",
    usage,
    async run(argv: string[]): Promise<number> {
        const args = parseFlags(argv, {
            "n": {type: "string"},
            "out": {type: "string"},
            "family": {type: "string"},
            "level": {type: "string"},
            "seed": {type: "string"},
            "split": {type: "string"},
            "allow-duplicates": {type: "boolean"}
        }, {allowPositionals: false});
        req(args, "n");
        const n = int(args, "n", 0, 1);
        const out = req(args, "out");
        const family = oneOf(args, "family", ["arith", "lists", "all"] as const, "all") as WorldFamily | "all";
        const levelText = oneOf(args, "level", ["1", "2", "3", "mix"] as const, "1");
        const level = levelText === "mix" ? "mix" : Number(levelText) as WorldLevel;
        const seed = int(args, "seed", 0, 0, 2 ** 32 - 1);
        const split = oneOf(args, "split", ["train", "validation", "test", "any"] as const, "any") as WorldSplit | "any";
        const writer = new JsonlWriter(out === "-" ? "/dev/stdout" : out, {truncate: out !== "-"});
        const progress = new ProgressBar(n, {label: "world generate"});
        let done = 0;
        try {
            for (const pair of generateWorldPairs({n, seed, family, level, split, unique: args.flags["allow-duplicates"] !== true})) {
                writer.write(pair);
                progress.update(++done);
            }
        } finally {
            writer.close();
        }
        progress.finish(out === "-" ? "" : `→ ${out}`);
        return 0;
    }
};

const pretrainUsage = `Usage: rmr1 world pretrain --out DIR [--steps N | --minutes M] [--seed S] [options]

Train the quickstart's small "instruct" base model from scratch as a policy of the world: it learns
to answer "Compute ..." with its steps and "List ..." requests (levels 1-3), and to check a given
reply ("Check: Compute 47 + 38.\\nAnswer: 95" -> "47 + 38 = 85\\n95 bad"), the skills a judge builds
on. The data are generated from the seed (train questions only); training is the SFT trainer
(AdamW, cosine schedule, resumable: run the same command again after Ctrl-C). At the end the model
answers held-out questions greedily and its accuracy as a policy is reported.

The quickstart ships the result of this command in assets/base-policy (see its README).

Options:
  --out DIR            run folder; the base model is written to DIR/model (required)
  --steps N            optimizer steps of 64 conversations (default 3000)
  --minutes M          instead of --steps: time a few steps on this machine and train about M minutes
                       (the step count is recorded, so rerun with --steps to reproduce)
  --seed S             seed of the initial weights, the data and its order (default 1)
  --lr X               peak learning rate (default 2e-3)
  --batch-size N       conversations per step (default 64)
  --eval-per-cell N    held-out questions per family and level for the policy accuracy (default 100)
  --threads N          kernel threads (default RMR1_THREADS, else all cores)
  --quiet              no progress bar

Example:
  rmr1 world pretrain --out runs/base --steps 8000 --seed 1
`;

export const worldPretrainCommand: Command = {
    name: "world pretrain",
    summary: "Pretrain the quickstart's base model from scratch as a policy of the world",
    usage: pretrainUsage,
    async run(argv: string[]): Promise<number> {
        const args = parseFlags(argv, {
            "out": {type: "string"}, "steps": {type: "string"}, "minutes": {type: "string"}, "seed": {type: "string"},
            "lr": {type: "string"}, "batch-size": {type: "string"}, "eval-per-cell": {type: "string"}, "threads": {type: "string"},
            "quiet": {type: "boolean"}
        }, {allowPositionals: false});
        const out = req(args, "out");
        if (str(args, "steps") != null && str(args, "minutes") != null) throw new InvalidInput("give --steps or --minutes, not both", {field: "minutes"});
        const optional = <T>(name: string, read: () => T): T | undefined => (str(args, name) == null ? undefined : read());
        const result = await withInterrupt({message: RESUMABLE_STOP}, (signal) => pretrainPolicy({
            out,
            steps: optional("steps", () => int(args, "steps", 0, 1)),
            minutes: optional("minutes", () => num(args, "minutes", 0, 0.01)),
            seed: int(args, "seed", 1, 0, 2 ** 31 - 1),
            lr: optional("lr", () => num(args, "lr", 0, 1e-9)),
            batchSize: optional("batch-size", () => int(args, "batch-size", 0, 1)),
            evalPerCell: optional("eval-per-cell", () => int(args, "eval-per-cell", 0, 1)),
            threads: optional("threads", () => int(args, "threads", 0, 1)),
            progressBar: !bool(args, "quiet"), signal, command: ["rmr1", "world", "pretrain", ...argv].join(" "),
            log: (line) => process.stderr.write(line + "\n")
        }));
        process.stdout.write(pretrainReport(result) + `\nbase model: ${result.modelDir}\n`);
        return 0;
    }
};
