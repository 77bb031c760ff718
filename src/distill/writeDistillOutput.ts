// The SFT set of a job: one row per kept trace, paired with the item's un-hinted prompt, in input
// order, in the layout a trainer reads:
//   rm-r1     {"context_messages": [system, user], "winner": <trace>}: RM-R1's Distill-SFT layout
//             (OpenRLHF --input_key context_messages --output_key winner --apply_chat_template).
//   openrlhf  {"input": [system, user], "output": <trace>}: OpenRLHF's own key names
//             (--input_key input --output_key output --apply_chat_template).
//   trl       {"messages": [system, user, {"role": "assistant", "content": <trace>}]}: TRL's
//             conversational SFT format (SFTTrainer; assistant_only_loss=True trains on the trace only).
// Provenance (item id, pass, teacher, model, label, A/B order, prompt hash) goes to a line-aligned
// side file `<output>.provenance.jsonl`, or with `provenance: "inline"` into a `provenance` field of
// each row (trainers ignore columns they are not told to read).
import {basename, dirname, extname, join} from "node:path";
import {InvalidInput} from "../errors.js";
import {openRowWriter} from "../data/rows.js";
import type {Message} from "../protocol/types.js";
import type {DistillStore} from "./DistillStore.js";

/** An SFT row layout. */
export type DistillFormat = "rm-r1" | "openrlhf" | "trl";
export const distillFormats: readonly DistillFormat[] = ["rm-r1", "openrlhf", "trl"];

/** Where each SFT row came from. */
export interface DistillProvenance {
    /** Row number in the SFT file, from 0. */
    row: number;
    /** The input item's id. */
    id: string;
    /** 1 when the first teacher's trace was right, 2 when it came from the hinted second pass. */
    pass: 1 | 2;
    /** Provider string of the teacher that wrote the trace. */
    teacher: string;
    /** The model that answered, as the API reported it. */
    model: string | null;
    label: string;
    chosen_position: string;
    /** How the A/B order was chosen: alternate, random or given. */
    order: string;
    /** SHA-256 of the prompt the trace answered (for pass 2, the hinted prompt). */
    prompt_hash: string;
    /** The job store's call id. */
    call: number;
}

export interface DistillOutputOptions {
    /** Row layout. Defaults to `"rm-r1"`. */
    format?: DistillFormat;
    /** The SFT file (`.jsonl`). Defaults to `<job>/sft.jsonl`. */
    output?: string;
    /** `file`: a line-aligned `<output stem>.provenance.jsonl`; `inline`: a `provenance` field per row. Defaults to `"file"`. */
    provenance?: "file" | "inline";
}

export interface DistillOutput {
    file: string;
    /** The provenance side file, or null when inline. */
    provenance: string | null;
    format: DistillFormat;
    rows: number;
    /** How to point the trainer at the file. */
    usage: string;
}

/** The SFT row of a trace in `format`. */
export function sftRow(format: DistillFormat, prompt: Message[], trace: string): Record<string, unknown> {
    switch (format) {
        case "rm-r1": return {context_messages: prompt, winner: trace};
        case "openrlhf": return {input: prompt, output: trace};
        case "trl": return {messages: [...prompt, {role: "assistant", content: trace}]};
    }
}

/** Write the job's SFT set (atomically: the files appear complete or not at all). */
export function writeDistillOutput(store: DistillStore, options: DistillOutputOptions = {}): DistillOutput {
    const format = options.format ?? "rm-r1";
    if (!distillFormats.includes(format)) throw new InvalidInput(`unknown format '${String(format)}'; use ${distillFormats.join(", ")}`, {field: "format"});
    const file = options.output ?? join(store.dir, "sft.jsonl");
    if (extname(file).toLowerCase() !== ".jsonl") throw new InvalidInput(`the SFT output must be a .jsonl file, got '${file}'`, {field: "output"});
    const inline = options.provenance === "inline";
    const provenanceFile = inline ? null : join(dirname(file), `${basename(file, extname(file))}.provenance.jsonl`);
    const rows = openRowWriter(file, {format: "jsonl"});
    const side = provenanceFile == null ? null : openRowWriter(provenanceFile, {format: "jsonl"});
    try {
        for (const item of store.items()) {
            if (item.state !== "kept" || item.keptCall == null) continue;
            const call = store.call(item.keptCall);
            const provenance: DistillProvenance = {
                row: rows.count, id: item.id, pass: call.pass, teacher: call.engine, model: call.model, label: item.label,
                chosen_position: item.chosenPosition, order: item.orderPolicy, prompt_hash: call.promptHash, call: call.id
            };
            const row = sftRow(format, item.messages, call.output ?? "");
            rows.write(inline ? {...row, provenance} : row);
            side?.write(provenance as unknown as Record<string, unknown>);
        }
        rows.close();
        side?.close();
    } catch (e) {
        rows.abort();
        side?.abort();
        throw e;
    }
    return {file, provenance: provenanceFile, format, rows: rows.count, usage: usageOf(format, file)};
}

function usageOf(format: DistillFormat, file: string): string {
    switch (format) {
        case "rm-r1": return `OpenRLHF (as RM-R1): --dataset ${file} --input_key context_messages --output_key winner --apply_chat_template; rmr1 train sft --data ${file}`;
        case "openrlhf": return `OpenRLHF: --dataset ${file} --input_key input --output_key output --apply_chat_template`;
        case "trl": return `TRL: load_dataset("json", data_files="${file}") → SFTTrainer (conversational "messages"; assistant_only_loss=True to train on the trace only)`;
    }
}
