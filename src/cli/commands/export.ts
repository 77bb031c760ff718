// `rmr1 export`: write a dataset in an RLHF trainer's schema (OpenRLHF, veRL, TRL).
import {profileNames} from "../../protocol/profiles.js";
import {exportDataset, exportFormats} from "../../data/exportDataset.js";
import {recordShapes} from "../../data/converters.js";
import {bool, int, oneOf, parseFlags, req, str} from "../args.js";
import type {Command} from "../Command.js";

export const exportCommand: Command = {
    name: "export",
    summary: "Export preference data or a mix to OpenRLHF, veRL or TRL dataset files",
    usage: `Usage: rmr1 export --format openrlhf|verl|trl --in SRC --out FILE [options]

SRC is a file (.parquet/.jsonl/.json), a folder of them, or hf:owner/name[@revision]. Rendered RM-R1
rows {context_messages, winner} (rmr1 mix output) pass through unchanged; preference pairs of any
known shape (${recordShapes.map(s => s.name).join(", ")}) are rendered with the RM-R1 templates.

Formats:
  openrlhf  JSONL {context_messages, winner}. --mode sft writes the reasoning trace as the target
            (from 'trace', or 'winner' when it holds a trace).
  verl      parquet {data_source, prompt, ability, reward_model {style: rule, ground_truth}, extra_info {split, index, id}}
  trl       JSONL (or .parquet) {prompt, chosen, rejected} message lists

Options:
  --format NAME        openrlhf | verl | trl (required)
  --in SRC             input (required)
  --out FILE           output file (required; verl writes parquet)
  --mode rl|sft        OpenRLHF dataset kind (default rl)
  --input-key KEY      OpenRLHF prompt key (default context_messages)
  --label-key KEY      OpenRLHF label/target key (default winner)
  --target-field F     SFT: the input field holding the trace (default trace, else winner)
  --data-source NAME   veRL data_source (default: the input's name)
  --ability NAME       veRL ability (default: the record's domain, else reward-modeling)
  --split NAME         veRL extra_info.split (default train)
  --shape NAME         input row shape (default: detected)
  --profile NAME       ${profileNames.join(" | ")} (default rm-r1-instruct), when pairs are rendered
  --quirks reference   "Chabot B" typo, when pairs are rendered
  --order alternate|random   A/B assignment when pairs are rendered (default alternate)
  --seed N             seed for --order random (default 42)
  --meta               TRL: also write id, source, domain
  --strict             stop at the first bad row (default: skip, count, report the first 5)
See docs/data.md.
`,
    async run(argv) {
        const args = parseFlags(argv, {
            format: {type: "string"}, in: {type: "string"}, out: {type: "string"}, mode: {type: "string"},
            "input-key": {type: "string"}, "label-key": {type: "string"}, "target-field": {type: "string"},
            "data-source": {type: "string"}, ability: {type: "string"}, split: {type: "string"}, shape: {type: "string"},
            profile: {type: "string"}, quirks: {type: "string"}, order: {type: "string"}, seed: {type: "string"},
            meta: {type: "boolean"}, strict: {type: "boolean"}
        }, {allowPositionals: false});
        const format = oneOf(args, "format", exportFormats);
        if (format == null) req(args, "format");
        const report = await exportDataset(req(args, "in"), req(args, "out"), {
            format: format as NonNullable<typeof format>,
            mode: oneOf(args, "mode", ["rl", "sft"] as const, "rl"),
            inputKey: str(args, "input-key"),
            labelKey: str(args, "label-key"),
            targetField: str(args, "target-field"),
            dataSource: str(args, "data-source"),
            ability: str(args, "ability"),
            split: str(args, "split"),
            shape: oneOf(args, "shape", recordShapes.map(s => s.name)),
            profile: oneOf(args, "profile", profileNames),
            quirks: oneOf(args, "quirks", ["reference"] as const),
            order: oneOf(args, "order", ["alternate", "random"] as const, "alternate"),
            seed: int(args, "seed", 42, 0),
            includeMeta: bool(args, "meta"),
            strict: bool(args, "strict")
        });
        const lines = [`wrote ${report.rows} ${report.format} rows to ${report.output}`, `  ${report.usage}`];
        if (report.badRows > 0) {
            lines.push(`  skipped ${report.badRows} bad rows (use --strict to stop at the first); first ${report.badExamples.length}:`);
            for (const e of report.badExamples) lines.push(`    ${e.location}: ${e.message}`);
        }
        process.stdout.write(lines.join("\n") + "\n");
        return 0;
    }
};
