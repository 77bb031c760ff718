// `rmr1 parse`: run one of the protocol's verdict extractors on a judge output (or a JSONL file of them).
import {InvalidInput} from "../../errors.js";
import {readJsonl} from "../../data/jsonl.js";
import {distillCorrect, evalVerdict, isWinnerLabel, rlReward} from "../../protocol/extractors.js";
import {parseCor} from "../../protocol/parseCor.js";
import type {WinnerLabel} from "../../protocol/types.js";
import {bool, oneOf, parseFlags} from "../args.js";
import type {Command} from "../Command.js";
import {readTextInput, writeLine} from "../io.js";

const extractors = ["rl", "eval", "distill", "cor"] as const;
type ExtractorName = typeof extractors[number];

export const parseCommand: Command = {
    name: "parse",
    summary: "Extract a verdict from a judge output: RL reward, harness verdict, distillation check or CoR structure",
    usage: `Usage: rmr1 parse --extractor rl|eval|distill|cor [--label model_a|model_b] [--jsonl] [FILE|-]

Reads a judge output (the whole file, byte for byte; stdin when FILE is - or absent) and prints one
JSON line:
  rl       {"reward":1} or {"reward":-1}: the RM-R1 RL reward, correct tagged verdict in the last
           80 code points and not the other one (needs --label)
  eval     {"verdict":"A"|"B"|"error"}: the benchmark harness rule, bare [[A]]/[[B]] anywhere;
           both or neither is "error"
  distill  {"correct":true|false}: the distillation filter, [[X]] in the last 100 code points
           (needs --label)
  cor      the Chain-of-Rubrics structure: type, solution, rubric items and weights, justify, eval
           citations with offsets, verdict, format violations

Options:
  --extractor NAME   rl, eval, distill or cor (required)
  --label LABEL      the ground truth, model_a or model_b (required for rl and distill)
  --jsonl            read JSON Lines {"text": ..., "label": ...} and print one result line per line;
                     a line's label overrides --label
See docs/protocol.md.
`,
    async run(argv) {
        const args = parseFlags(argv, {extractor: {type: "string"}, label: {type: "string"}, jsonl: {type: "boolean"}});
        const extractor = oneOf(args, "extractor", extractors);
        if (extractor == null) throw new InvalidInput("--extractor is required: rl, eval, distill or cor; see --help", {field: "extractor"});
        const defaultLabel = oneOf(args, "label", ["model_a", "model_b"] as const);
        if (args.positionals.length > 1) throw new InvalidInput(`expected one input file, got ${args.positionals.length}`, {field: "FILE"});
        const input = args.positionals[0] ?? "-";
        const needsLabel = extractor === "rl" || extractor === "distill";

        if (!bool(args, "jsonl")) {
            if (needsLabel && defaultLabel == null) throw new InvalidInput(`--label is required for the ${extractor} extractor (model_a or model_b)`, {field: "label"});
            await writeLine(extract(extractor, await readTextInput(input), defaultLabel));
            return 0;
        }
        for await (const {line, value} of readJsonl<unknown>(input)) {
            const location = `${input}:${line}`;
            if (value == null || typeof value !== "object" || Array.isArray(value))
                throw new InvalidInput("each line must be an object {\"text\": ..., \"label\": ...}", {location, field: "text"});
            const {text, label} = value as {text?: unknown, label?: unknown};
            if (typeof text !== "string") throw new InvalidInput(`'text' must be a string, got ${text === undefined ? "nothing" : typeof text}`, {location, field: "text"});
            if (label != null && !isWinnerLabel(label)) throw new InvalidInput(`'label' must be model_a or model_b, got ${JSON.stringify(label)}`, {location, field: "label"});
            const lineLabel = (label as WinnerLabel | undefined) ?? defaultLabel;
            if (needsLabel && lineLabel == null) throw new InvalidInput(`'label' is missing and no --label was given; the ${extractor} extractor needs one`, {location, field: "label"});
            await writeLine(extract(extractor, text, lineLabel));
        }
        return 0;
    }
};

function extract(extractor: ExtractorName, text: string, label: WinnerLabel | undefined): unknown {
    switch (extractor) {
        case "rl": return {reward: rlReward(text, label!)};
        case "distill": return {correct: distillCorrect(text, label!)};
        case "eval": return {verdict: evalVerdict(text)};
        case "cor": return parseCor(text);
    }
}
