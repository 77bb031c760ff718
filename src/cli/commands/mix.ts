// `rmr1 mix`: build a training mix of rendered RM-R1 rows {context_messages, winner}.
import {writeFileSync} from "node:fs";
import {ConfigError} from "../../errors.js";
import {profileNames} from "../../protocol/profiles.js";
import {buildMix, loadMixConfig, rmR1MixConfig, type MixConfig, type MixReport} from "../../data/mix.js";
import {bool, oneOf, parseFlags, req, str} from "../args.js";
import type {Command} from "../Command.js";

export const mixCommand: Command = {
    name: "mix",
    summary: "Build a preference training mix (the RM-R1 recipe or your own config)",
    usage: `Usage: rmr1 mix --recipe rm-r1 --out FILE [--math SRC] [--code SRC] [--skywork SRC]
       rmr1 mix --config MIX.yaml --out FILE

Writes rendered RM-R1 training rows {context_messages, winner} to FILE (.parquet, .jsonl or .json).

--recipe rm-r1 reproduces rm_r1/dataset/mix_data/mix_data.py: all Math-Step-DPO-10K rows (answers =
initial_reason_steps + full_*), 8,000 Code-Preference-Pairs rows chosen by Dataset.shuffle(seed=42)
(NumPy's PCG64 permutation, bit-exact), every Skywork-Reward-Preference-80K-v0.2 row except
source=magpie_ultra; positions alternate on one counter (math, code, Skywork order; even = chosen in
A = model_a); rows are written code, Skywork, math. Sources default to the Hugging Face datasets
(train split, cached in the Hub cache; HF_TOKEN, HF_HUB_OFFLINE honoured).

A SRC is a file (.parquet/.jsonl/.json), a folder of them, or hf:owner/name[@revision].

--config reads a YAML or JSON mix (see docs/data.md):
  sources:                       # processed in this order (the A/B counter runs across them)
    - {name: mine, path: data/pairs.jsonl, where: [{field: lang, equals: en}], take: 5000}
    - {name: code, path: hf:Vezora/Code-Preference-Pairs, split: train, shuffle: true, take: 800}
  output: [code, mine]           # write order (default: source order)
  seed: 42                       # shuffle / random-order seed
  order: alternate               # or random (seeded coin per record id)
  profile: rm-r1-instruct        # ${profileNames.join(" | ")}
  includeMeta: false             # also write id, source, domain columns

Options:
  --out FILE           output file (required)
  --recipe rm-r1       the RM-R1 recipe
  --math/--code/--skywork SRC   recipe sources instead of the Hub datasets
  --config FILE        a custom mix (YAML or JSON)
  --profile NAME       override the profile (default rm-r1-instruct)
  --quirks reference   reproduce the reference data's "Chabot B" typo (multi-turn, chosen in A)
  --meta               also write id, source and domain columns
  --strict             stop at the first bad row (default: skip, count, report the first 5)
  --report FILE        also write the report as JSON
See docs/data.md.
`,
    async run(argv) {
        const args = parseFlags(argv, {
            out: {type: "string"}, recipe: {type: "string"}, config: {type: "string"},
            math: {type: "string"}, code: {type: "string"}, skywork: {type: "string"},
            profile: {type: "string"}, quirks: {type: "string"}, meta: {type: "boolean"},
            strict: {type: "boolean"}, report: {type: "string"}
        }, {allowPositionals: false});
        const out = req(args, "out");
        const recipe = oneOf(args, "recipe", ["rm-r1"] as const);
        const configFile = str(args, "config");
        if ((recipe == null) === (configFile == null)) throw new ConfigError("give exactly one of --recipe rm-r1 or --config FILE; see --help");
        const profile = oneOf(args, "profile", profileNames);
        const quirks = oneOf(args, "quirks", ["reference"] as const);
        let config: MixConfig;
        if (recipe != null) {
            config = rmR1MixConfig({math: str(args, "math"), code: str(args, "code"), skywork: str(args, "skywork"), quirks, profile, includeMeta: bool(args, "meta")});
        } else {
            for (const flag of ["math", "code", "skywork"]) if (str(args, flag) != null) throw new ConfigError(`--${flag} belongs to --recipe rm-r1; name sources in the config instead`);
            config = loadMixConfig(configFile as string);
            if (profile != null) config.profile = profile;
            if (quirks != null) config.quirks = quirks;
            if (bool(args, "meta")) config.includeMeta = true;
        }
        const report = await buildMix(config, out, {
            strict: bool(args, "strict"),
            onProgress: ({source, rows, kept}) => {
                if (process.stderr.isTTY) process.stderr.write(`\r${source}: ${rows} rows read, ${kept} kept   `);
            }
        });
        if (process.stderr.isTTY) process.stderr.write("\n");
        process.stdout.write(formatMixReport(report) + "\n");
        const reportFile = str(args, "report");
        if (reportFile != null) writeFileSync(reportFile, JSON.stringify(report, null, 2) + "\n");
        return 0;
    }
};

/** The mix report as a few lines for people. */
export function formatMixReport(report: MixReport): string {
    const lines = [`wrote ${report.rows} rows to ${report.output} (model_a ${report.labels.model_a}, model_b ${report.labels.model_b})`];
    for (const s of report.sources) {
        lines.push(`  ${s.name}: read ${s.read}, filtered out ${s.filtered}, kept ${s.kept} (${s.multiTurn} multi-turn), counter from ${s.firstIndex}${s.bad > 0 ? `, skipped ${s.bad} bad` : ""}`);
        for (const e of s.badExamples) lines.push(`    ${e.location}: ${e.message}`);
    }
    return lines.join("\n");
}
