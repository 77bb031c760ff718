// `rmr1 bench score`: score a samples file exactly as the reference scripts do and print JSON.
import {writeFileAtomic} from "../../data/RunDir.js";
import type {BenchmarkName} from "../../bench/constants.js";
import {allScores, scoreSamplesFile} from "../../bench/scoreSamples.js";
import {renderBenchReport} from "../../bench/renderBenchReport.js";
import {bool, parseFlags, req, str} from "../args.js";
import {benchmarkFlags, benchmarkFrom, scoringFrom} from "../benchmarkFlags.js";
import type {Command} from "../Command.js";

export const benchScoreCommand: Command = {
    name: "bench score",
    summary: "Score a benchmark samples file (RewardBench, RM-Bench, RMB) exactly as the reference does",
    usage: `Usage: rmr1 bench score --benchmark rewardbench|rm-bench|rmb|all --samples FILE
                        [--rules r1|original] [--rmbench-mapping correct|as-published]
                        [--details] [--report FILE] [--model NAME]

Reads one judged comparison per line and prints the scores as JSON (fractions in [0,1], full double
precision, computed in the reference scripts' operation order). Accepted lines: those rmr1 eval
writes, and these minimal ones (outcome is 1, 0.5 or 0):
  {"benchmark":"rewardbench","id":…,"subset":…,"outcome":…}
  {"benchmark":"rm-bench","id":…,"domain":…,"chosen_style":0-2,"rejected_style":0-2,"outcome":…}
      ("id" is the prompt id; optional "rotation" 1-3 and "index" 0-2 are checked against the styles)
  {"benchmark":"rmb","kind":"pairwise"|"bon","id":…,"category_path":…,"loser_index":…,"outcome":…}
      (BoN: "id" is the item's bon_uid, "loser_index" the loser it was compared with)
A line may add "verdict" ("A"|"B"|"tie"|"error") and "chosen_position" ("A"|"B"); a verdict is
checked against the outcome, and an error verdict is scored by --rules.

Output keys:
  rewardbench  Chat, Chat Hard, Safety, Reasoning, score (mean of the sections), accuracy, subsets
  rm-bench     chat, math, code, safety, hard, normal, easy, score (absent domains omitted)
  rmb          Pairwise Helpfulness, Pairwise Harmlessness, BoN Helpfulness, BoN Harmlessness, score
  all          {"rewardbench":…, "rm-bench":…, "rmb":…, "average"} (average only with all three)
"partial": true is added when the samples do not cover the full benchmark.

Options:
  --benchmark NAME       rewardbench, rm-bench, rmb or all (required); with one benchmark, lines of
                         the others are skipped
  --samples FILE         the samples file (required; - for stdin)
  --rules RULE           r1 (default): a verdict error scores 0, as in RM-R1's harness;
                         original: it scores 0.5, as in the original RewardBench
  --rmbench-mapping M    correct (default), or as-published: R1's process_final_result.py, which
                         reads rotation 3 twice and ignores rotation 2 (reproduces released numbers)
  --details              add a "details" object (counts, matrices, per-scenario accuracies)
  --report FILE          also write a Markdown report beside the published RM-R1 rows
  --model NAME           the judge's name for the report (default "this run")
See docs/benchmarks.md.
`,
    async run(argv) {
        const args = parseFlags(argv, {
            ...benchmarkFlags,
            "samples": {type: "string"},
            "details": {type: "boolean"},
            "report": {type: "string"},
            "model": {type: "string"}
        }, {allowPositionals: false});
        const benchmark = benchmarkFrom(args);
        const file = req(args, "samples");
        const {rules, rmbenchMapping} = scoringFrom(args);
        const {results, skipped} = await scoreSamplesFile(file, benchmark, {rules, rmbenchMapping});
        if (skipped > 0) process.stderr.write(`rmr1: skipped ${skipped} lines of other benchmarks (use --benchmark all to score them)\n`);

        let output: unknown;
        if (benchmark === "all") {
            output = allScores(results);
            if (bool(args, "details")) {
                output = {...output as object, details: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.details]))};
            }
        } else {
            const r = results[benchmark as BenchmarkName]!;
            output = bool(args, "details") ? {...r.scores, details: r.details} : r.scores;
        }
        process.stdout.write(JSON.stringify(output, null, 2) + "\n");

        const report = str(args, "report");
        if (report != null) writeFileAtomic(report, renderBenchReport(results, {rules, rmbenchMapping, model: str(args, "model")}));
        return 0;
    }
};
