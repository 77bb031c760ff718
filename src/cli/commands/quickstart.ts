// `rmr1 quickstart`: the whole RM-R1 recipe on the tiny world, offline, in minutes. A thin wrapper
// over `runQuickstart`; Ctrl-C stops after the step in progress and the same command resumes.
import {displayPath} from "../../quickstart/quickstartReport.js";
import {quickstartReport} from "../../quickstart/quickstartReport.js";
import {quickstartBudgets} from "../../quickstart/quickstartPresets.js";
import {runQuickstart} from "../../quickstart/runQuickstart.js";
import {bool, int, oneOf, parseFlags, str} from "../args.js";
import type {Command} from "../Command.js";
import {RESUMABLE_STOP, withInterrupt} from "../interruptSignal.js";

const usage = `Usage: rmr1 quickstart [--out runs/quickstart] [--budget fast|full] [--seed S]

Train and evaluate a reasoning reward model end to end, offline, on this CPU: RM-R1's recipe on a
small world of arithmetic ("Compute 47 + 38.") and instruction-following ("List 3 animals in
lowercase, separated by commas.") preference pairs, starting from the small base model shipped in
assets/base-policy (pretrained from scratch as a policy of the world).

  1. data     generate training, GRPO, dev and held-out test pairs (no question shared)
  2. distill  the world's teacher writes Chain-of-Rubrics traces, two passes as in the paper
  3. sft      distillation SFT of the base model
  4. grpo     GRPO with the verifiable reward (+1 right verdict, -1 wrong)
  5. scalar   baseline: scalar Bradley-Terry reward model on the same pairs
  6. direct   baseline: generative RM trained to answer only the verdict
  7. eval     every model on the held-out test set, per family and difficulty level

It prints a table like the paper's ablation (accuracy per family and overall for every variant,
next to the always-A baseline, which scores exactly 50%) and writes scores.json and report.md
into the run folder, with the trained model and a command that uses it. Interrupted runs resume.

Options:
  --out DIR             run folder (default runs/quickstart)
  --budget fast|full    full: about 10 minutes on 2 cores; fast: about 2 minutes, smaller
                        everything (the test suite runs it) (default full)
  --seed S              seed of the data, teacher, orders and trainers (default 1)
  --base DIR            base model (default: the shipped assets/base-policy)
  --threads N           kernel threads (default RMR1_THREADS, else all cores)
  --quiet               no progress bars

Afterwards:
  rmr1 view runs/quickstart                            each stage as a run: curves, GRPO rollouts
  rmr1 judge --model native:runs/quickstart/grpo/best --profile tiny --input pairs.jsonl --output judged.jsonl
`;

export const quickstartCommand: Command = {
    name: "quickstart",
    summary: "Train and evaluate a reasoning reward model end to end on the offline tiny world (minutes, CPU)",
    usage,
    async run(argv: string[]): Promise<number> {
        const args = parseFlags(argv, {
            "out": {type: "string"}, "budget": {type: "string"}, "seed": {type: "string"}, "base": {type: "string"},
            "threads": {type: "string"}, "quiet": {type: "boolean"}
        }, {allowPositionals: false});
        const out = str(args, "out", "runs/quickstart")!;
        const budget = oneOf(args, "budget", quickstartBudgets, "full");
        const seed = int(args, "seed", 1, 0, 2 ** 31 - 1);
        const threads = str(args, "threads") == null ? undefined : int(args, "threads", 0, 1);
        const err = (line: string) => process.stderr.write(line + "\n");
        err(`rmr1 quickstart: RM-R1 end to end on the tiny world (${budget} budget, ${budget === "full" ? "about 10 minutes" : "about 2 minutes"} on 2 cores), seed ${seed}, into ${out}`);
        const scores = await withInterrupt({message: RESUMABLE_STOP}, (signal) => runQuickstart({
            out, budget, seed, base: str(args, "base"), threads, signal, progressBar: !bool(args, "quiet"), log: err,
            command: ["rmr1", "quickstart", ...argv].join(" ")
        }));
        process.stdout.write("\n" + quickstartReport(scores));
        process.stdout.write(`\nWritten: ${displayPath(out)}/scores.json and ${displayPath(out)}/report.md. Next: rmr1 view ${displayPath(out)}\n`);
        return 0;
    }
};
