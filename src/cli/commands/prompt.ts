// `rmr1 prompt`: render a preference pair into the judge's prompt messages.
import {InvalidInput} from "../../errors.js";
import {profileNames} from "../../protocol/profiles.js";
import {renderPair} from "../../protocol/renderPair.js";
import type {PairOrder, PreferencePair} from "../../protocol/types.js";
import {oneOf, parseFlags, req} from "../args.js";
import type {Command} from "../Command.js";
import {readTextInput, writeLine} from "../io.js";

export const promptCommand: Command = {
    name: "prompt",
    summary: "Render a preference pair into RM-R1 judge prompt messages",
    usage: `Usage: rmr1 prompt --pair FILE|- [--profile rm-r1-instruct|rm-r1-reasoning|tiny]
                   [--order chosen-first|chosen-second] [--quirks reference]

Reads one preference pair in TRL's conversational form, {"prompt": [...], "chosen": [...],
"rejected": [...]} or {"chosen": [...], "rejected": [...]} (full conversations), and prints
{"messages": [...]}: the judge prompt, filled literally (single-turn when both conversations are
exactly [user, assistant], multi-turn otherwise).

Options:
  --pair FILE        JSON file holding the pair; - reads stdin (required)
  --profile NAME     prompt profile (default rm-r1-instruct)
  --order ORDER      chosen-first puts the chosen reply in Chatbot A (default chosen-first)
  --quirks reference reproduce the training data's "Chabot B" typo (multi-turn, chosen in A)
See docs/protocol.md.
`,
    async run(argv) {
        const args = parseFlags(argv, {pair: {type: "string"}, profile: {type: "string"}, order: {type: "string"}, quirks: {type: "string"}}, {allowPositionals: false});
        const profile = oneOf(args, "profile", profileNames, "rm-r1-instruct");
        const order = oneOf(args, "order", ["chosen-first", "chosen-second"] as const satisfies readonly PairOrder[], "chosen-first");
        const quirks = oneOf(args, "quirks", ["reference"] as const);
        const file = req(args, "pair");
        const text = await readTextInput(file, "--pair");
        let pair: unknown;
        try {
            pair = JSON.parse(text);
        } catch (e) {
            throw new InvalidInput(`--pair ${file}: not valid JSON (${(e as Error).message})`, {field: "pair"});
        }
        const {messages} = renderPair(pair as PreferencePair, order, {profile, quirks});
        await writeLine({messages});
        return 0;
    }
};
