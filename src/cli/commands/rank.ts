// `rmr1 rank`: rank N candidate replies per prompt with a pairwise judge (knockout, Elo or
// Bradley–Terry over a round-robin). A thin wrapper over `rankFile`.
import {Judge} from "../../judge/Judge.js";
import {rankMethods} from "../../judge/rankCandidates.js";
import {rankFile} from "../../judge/rankFile.js";
import {bool, int, oneOf, parseFlags, req, str} from "../args.js";
import type {Command} from "../Command.js";
import {engineFrom, jobsFrom} from "../engineFlags.js";
import {interruptSignal} from "../interruptSignal.js";
import {ProgressBar, progressTo} from "../ProgressBar.js";
import {checkInputExists, generatedIdsNote, judgeFlags, judgeFlagsHelp, judgeOptionsFrom} from "./judge.js";

export const rankCommand: Command = {
    name: "rank",
    summary: "rank N candidate replies per prompt with a judge (knockout, Elo, Bradley–Terry)",
    usage: `Usage: rmr1 rank --model PROVIDER --input candidates.jsonl --method knockout|elo|bt
                 [--output rankings.jsonl] [-j N] [--comparisons N] [judge options]

Each input line is {"id", "prompt": [messages], "candidates": [string | messages]} (an id is
generated from the content when absent). Methods:
  knockout  a seeded bracket, n-1 comparisons: finds the best candidate (best-of-N)
  elo       round-robin, n(n-1)/2 comparisons, Elo ratings averaged over 100 replay orders
  bt        round-robin, Bradley–Terry maximum-likelihood ratings (ties count half)
Each output line holds the ranking (indices, best first), the best index, per-candidate scores and
every comparison with its judgment. With --output the job is resumable (ids already there are
skipped); without it, rankings are printed to stdout. See docs/judging.md.

Options:
  --input FILE         candidates, JSONL (- for stdin) (required)
  --method M           ${rankMethods.join(", ")} (default knockout)
  --output FILE        rankings, JSONL, appended to (default: print to stdout)
  -j, --jobs N         prompts ranked at once (default 1)
  --comparisons N      comparisons in flight within one prompt (default 4)
${judgeFlagsHelp}
`,
    async run(argv) {
        const args = parseFlags(argv, {...judgeFlags, method: {type: "string"}, comparisons: {type: "string"}}, {allowPositionals: false});
        const input = req(args, "input");
        const output = str(args, "output") ?? null;
        const method = oneOf(args, "method", rankMethods, "knockout");
        const jobs = jobsFrom(args, 1, 1024);
        const comparisons = int(args, "comparisons", 4, 1, 1024);
        const options = judgeOptionsFrom(args);
        checkInputExists(input);
        const engine = await engineFrom(args);
        const interrupt = interruptSignal();
        const bar = new ProgressBar(0, {label: "rank", silent: bool(args, "quiet")});
        try {
            const judge = new Judge(engine, options);
            const result = await rankFile({
                judge, input, output, method, concurrency: jobs, comparisons, signal: interrupt.signal,
                onProgress: progressTo(bar),
                onRanking: output == null ? (r) => process.stdout.write(JSON.stringify(r) + "\n") : undefined
            }).finally(() => bar.finish());
            const lines = [
                `ranked ${result.written} prompt${result.written === 1 ? "" : "s"} by ${method} with ${result.comparisons} comparisons` +
                    (output == null ? "" : ` (${result.resumed} already in the output) → ${output}`),
                `tokens ${result.tokens.prompt} prompt / ${result.tokens.completion} completion  cost ${result.cost_usd == null ? "n/a" : "$" + result.cost_usd.toFixed(4)}`
            ];
            if (result.generatedIds > 0) lines.push(generatedIdsNote(result.generatedIds));
            // Keep stdout for the rankings when they are printed there.
            (output == null ? process.stderr : process.stdout).write(lines.join("\n") + "\n");
            return 0;
        } finally {
            interrupt.dispose();
            await engine.close();
        }
    }
};
