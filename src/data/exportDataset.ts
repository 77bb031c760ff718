// Export to the dataset schemas of the RLHF trainers (ecosystem §3):
//   openrlhf  JSONL, one object per line. RL: {context_messages, winner} read with
//             `--input_key context_messages --label_key winner --apply_chat_template`.
//             SFT: {context_messages, winner: <trace>} read with `--input_key context_messages
//             --output_key winner --apply_chat_template` (RM-R1's distillation layout).
//   verl      parquet: data_source, prompt (list<struct<role, content>>), ability,
//             reward_model {style: "rule", ground_truth: model_a|model_b}, extra_info {split, index, id}.
//   trl       preference rows {prompt, chosen, rejected} as message lists (conversational, explicit prompt).
// Input is either rendered RM-R1 rows ({context_messages, winner}, e.g. `rmr1 mix` output), passed
// through as they are, or preference pairs of any known shape, rendered here.
import {basename, extname} from "node:path";
import {InvalidInput} from "../errors.js";
import {renderPair} from "../protocol/renderPair.js";
import type {ProfileName} from "../protocol/profiles.js";
import {keyedUniform} from "../protocol/rng.js";
import type {Message, WinnerLabel} from "../protocol/types.js";
import {BadRows, type BadRowExample} from "./BadRows.js";
import {convertRow, detectShapeOrThrow, type RecordShape} from "./converters.js";
import {toMessages, type PreferenceRecord} from "./PreferenceRecord.js";
import {openRowWriter, readFileRows, resolveSource, type RowWriter, type SourceRow} from "./rows.js";
import type {ParquetSchema} from "./parquet.js";
import type {HubSourceOptions} from "./hub.js";

/** A trainer dataset schema. */
export type ExportFormat = "openrlhf" | "verl" | "trl";
export const exportFormats: readonly ExportFormat[] = ["openrlhf", "verl", "trl"];

/** Options of `exportDataset`. */
export interface ExportOptions {
    format: ExportFormat;
    /** OpenRLHF: `rl` (label = winner) or `sft` (target = a reasoning trace). Defaults to `"rl"`. */
    mode?: "rl" | "sft";
    /** OpenRLHF: the prompt key. Defaults to `"context_messages"`. */
    inputKey?: string;
    /** OpenRLHF: the label (RL) or target (SFT) key. Defaults to `"winner"`. */
    labelKey?: string;
    /** OpenRLHF SFT: the input field holding the trace. Defaults to `"trace"`, else `winner` when it is not a label. */
    targetField?: string;
    /** veRL `data_source`. Defaults to the input file's name without extension. */
    dataSource?: string;
    /** veRL `ability`. Defaults to the record's domain when pairs are rendered here, else `"reward-modeling"`. */
    ability?: string;
    /** veRL `extra_info.split`. Defaults to `"train"`. */
    split?: string;
    /** Rendering pairs: profile. Defaults to `"rm-r1-instruct"`. */
    profile?: ProfileName;
    /** Rendering pairs: `"reference"` for the "Chabot B" typo. Defaults to none. */
    quirks?: "reference";
    /** Rendering pairs: A/B assignment, alternating (even → chosen in A) or seeded random per id. Defaults to `"alternate"`. */
    order?: "alternate" | "random";
    /** Seed for `order: random`. Defaults to `42`. */
    seed?: number;
    /** Input row shape. Defaults to detection per file. */
    shape?: RecordShape;
    /** TRL: also write `id`, `source`, `domain`. Defaults to `false`. */
    includeMeta?: boolean;
    /** Stop at the first bad row. Defaults to `false` (skip, count and report). */
    strict?: boolean;
    /** Hub access for `hf:` inputs. Defaults from the environment. */
    hub?: HubSourceOptions;
}

export interface ExportReport {
    output: string;
    format: ExportFormat;
    rows: number;
    badRows: number;
    badExamples: BadRowExample[];
    /** How to point the trainer at the file. */
    usage: string;
}

/** veRL's parquet schema for RM-R1 rows. */
export const verlSchema: ParquetSchema = {
    data_source: "string",
    prompt: {list: {struct: {role: "string", content: "string"}}},
    ability: "string",
    reward_model: {struct: {style: "string", ground_truth: "string"}},
    extra_info: {struct: {split: "string", index: "int64", id: "string"}}
};

/** One unit to export: a rendered prompt with its label, and the pair when it is known. */
interface Item {
    messages: Message[];
    winner: string;
    record?: PreferenceRecord;
    id?: string;
    domain?: string;
}

/** Write `input` (file, folder, hf: URI) to `output` in a trainer's schema. */
export async function exportDataset(input: string, output: string, options: ExportOptions): Promise<ExportReport> {
    const format = options.format;
    if (!exportFormats.includes(format)) throw new InvalidInput(`unknown export format '${String(format)}'; use ${exportFormats.join(", ")}`, {field: "format"});
    const mode = options.mode ?? "rl";
    if (format === "trl" && mode === "sft") throw new InvalidInput("--mode sft applies to openrlhf only", {field: "mode"});
    const bad = new BadRows({strict: options.strict});
    const dataSource = options.dataSource ?? (input.startsWith("hf:") ? input.slice(3).split("@")[0] : basename(input, extname(input)));
    const inputKey = options.inputKey ?? "context_messages";
    const labelKey = options.labelKey ?? "winner";
    const writer: RowWriter = format === "verl"
        ? openRowWriter(output, {format: "parquet", schema: verlSchema})
        : openRowWriter(output);
    let counter = 0;
    try {
        for await (const {item, row} of items(input, options, bad, () => counter)) {
            let out: Record<string, unknown>;
            try {
                out = toRow(item, format, mode, {inputKey, labelKey, dataSource, options, index: writer.count, row});
            } catch (e) {
                bad.add(e, row.location);
                continue;
            }
            writer.write(out);
            counter++;
        }
        writer.close();
    } catch (e) {
        writer.abort();
        throw e;
    }
    return {output, format, rows: writer.count, badRows: bad.count, badExamples: bad.examples, usage: usageFor(format, mode, inputKey, labelKey, output)};
}

async function* items(input: string, options: ExportOptions, bad: BadRows, counter: () => number): AsyncGenerator<{item: Item, row: SourceRow}> {
    const order = options.order ?? "alternate";
    const seed = options.seed ?? 42;
    for (const file of await resolveSource(input, {hub: options.hub})) {
        let shape = options.shape;
        for await (const row of readFileRows(file, {onUnparsable: e => bad.add(e, e.location ?? file)})) {
            try {
                shape ??= detectShapeOrThrow(row.value, row.location);
                const value = row.value as Record<string, unknown>;
                if (shape === "rm-r1" && options.format !== "trl") {
                    // Rendered rows go through untouched; only the TRL export needs the pair back.
                    const messages = toMessages(value.context_messages, "context_messages", row.location);
                    if (typeof value.winner !== "string") throw new InvalidInput("'winner' must be a string", {field: "winner", location: row.location});
                    yield {item: {messages, winner: value.winner, id: typeof value.id === "string" ? value.id : undefined, domain: typeof value.domain === "string" ? value.domain : undefined}, row};
                    continue;
                }
                for (const record of convertRow(row.value, shape, {location: row.location, index: row.index, file})) {
                    if (options.format === "trl") {
                        yield {item: {messages: [], winner: "", record, id: record.id}, row};
                        continue;
                    }
                    const chosenFirst = order === "alternate" ? counter() % 2 === 0 : keyedUniform(seed, record.id) < 0.5;
                    let rendered;
                    try {
                        rendered = renderPair(record, chosenFirst ? "chosen-first" : "chosen-second", {profile: options.profile, quirks: options.quirks});
                    } catch (e) {
                        throw e instanceof InvalidInput ? new InvalidInput(e.message, {field: e.field, location: row.location}) : e;
                    }
                    yield {item: {messages: rendered.messages, winner: rendered.label, record, id: record.id, domain: record.domain}, row};
                }
            } catch (e) {
                bad.add(e, row.location);
            }
        }
    }
}

const labels: readonly string[] = ["model_a", "model_b"] satisfies WinnerLabel[];

function toRow(item: Item, format: ExportFormat, mode: "rl" | "sft", c: {inputKey: string, labelKey: string, dataSource: string, options: ExportOptions, index: number, row: SourceRow}): Record<string, unknown> {
    const {options, row} = c;
    if (format === "trl") {
        const r = item.record as PreferenceRecord;
        const out: Record<string, unknown> = {};
        if (r.prompt != null) out.prompt = r.prompt;
        out.chosen = r.chosen;
        out.rejected = r.rejected;
        if (options.includeMeta === true) {
            out.id = r.id;
            if (r.source != null) out.source = r.source;
            if (r.domain != null) out.domain = r.domain;
        }
        return out;
    }
    if (format === "openrlhf" && mode === "sft") {
        const raw = row.value as Record<string, unknown>;
        const field = options.targetField ?? (typeof raw.trace === "string" ? "trace" : "winner");
        const target = raw[field];
        if (typeof target !== "string" || labels.includes(target))
            throw new InvalidInput(`SFT export needs the reasoning trace in '${field}', got ${typeof target === "string" ? `the label '${target}'` : "no text"}; pass --target-field`, {field, location: row.location});
        return {[c.inputKey]: item.messages, [c.labelKey]: target};
    }
    if (!labels.includes(item.winner))
        throw new InvalidInput(`'winner' must be model_a or model_b, got '${item.winner.slice(0, 40)}'`, {field: "winner", location: row.location});
    if (format === "openrlhf") return {[c.inputKey]: item.messages, [c.labelKey]: item.winner};
    return {
        data_source: c.dataSource,
        prompt: item.messages,
        ability: options.ability ?? item.domain ?? "reward-modeling",
        reward_model: {style: "rule", ground_truth: item.winner},
        extra_info: {split: options.split ?? "train", index: c.index, id: item.id ?? null}
    };
}

function usageFor(format: ExportFormat, mode: "rl" | "sft", inputKey: string, labelKey: string, output: string): string {
    if (format === "openrlhf")
        return mode === "rl"
            ? `OpenRLHF: --prompt_data ${output} --input_key ${inputKey} --label_key ${labelKey} --apply_chat_template`
            : `OpenRLHF: --dataset ${output} --input_key ${inputKey} --output_key ${labelKey} --apply_chat_template`;
    if (format === "verl") return `veRL: data.train_files=${output} data.prompt_key=prompt (reward: reward_model.ground_truth)`;
    return `TRL: datasets.load_dataset("json", data_files="${output}") → DPOTrainer / RewardTrainer (conversational preference format)`;
}
