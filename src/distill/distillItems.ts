// The items of a distillation job: each input pair rendered into the judge prompt the teacher sees
// (and the SFT row keeps), with its label and the A/B order it was given.
//
// Input is either preference pairs of any shape the data layer reads (rendered here with the chosen
// profile; the A/B order alternates by position as in the reference mix, or is a seeded coin per
// id), or rows already rendered by `rmr1 mix` / the reference (`{context_messages, winner}`), which
// are used exactly as they are: the reference distils the prompts of its RL mix.
import {createHash} from "node:crypto";
import {basename, extname} from "node:path";
import {InvalidInput} from "../errors.js";
import {convertRow, detectShapeOrThrow} from "../data/converters.js";
import type {RecordShape} from "../data/converters.js";
import {toMessages} from "../data/PreferenceRecord.js";
import type {PreferenceRecord} from "../data/PreferenceRecord.js";
import {readFileRows, resolveSource} from "../data/rows.js";
import type {HubSourceOptions} from "../data/hub.js";
import {isWinnerLabel} from "../protocol/extractors.js";
import type {ProfileName} from "../protocol/profiles.js";
import {renderPair} from "../protocol/renderPair.js";
import {keyedUniform} from "../protocol/rng.js";
import {stableStringify} from "../engines/stableStringify.js";
import type {Message, WinnerLabel} from "../protocol/types.js";
import type {DistillItem} from "./DistillStore.js";

/** A row already rendered into the RM-R1 prompt, as `rmr1 mix` writes it. */
export interface RenderedDistillRow {
    /** Defaults to `<file stem>:<row index>` in a file, the position in memory (as the data layer's converters name rows). */
    id?: string;
    context_messages: Message[];
    winner: WinnerLabel;
    source?: string;
    domain?: string;
}

/** What `distill` reads: a file, folder or `hf:` URI, or pairs / rendered rows in memory. */
export type DistillInput = string | Iterable<PreferenceRecord | RenderedDistillRow> | AsyncIterable<PreferenceRecord | RenderedDistillRow>;

/** How pairs become prompts. */
export interface DistillItemOptions {
    /** Prompt profile for pairs. Defaults to `"rm-r1-instruct"`. */
    profile?: ProfileName;
    /** `"reference"` writes the reference mix's "Chabot B" typo in multi-turn prompts. Defaults to none. */
    quirks?: "reference";
    /** A/B order of pairs: `alternate` (even positions chosen-first, as mix_data.py) or `random` (a seeded coin per id). Defaults to `"alternate"`. */
    order?: "alternate" | "random";
    /** Seed of `order: "random"`. Defaults to `0`. */
    seed?: number;
    /** Only the first N items. Defaults to all. */
    limit?: number;
    /** Hub access for `hf:` inputs. Defaults from the environment. */
    hub?: HubSourceOptions;
}

/** A new item: everything the store keeps except its state. */
export type NewDistillItem = Omit<DistillItem, "state" | "keptCall">;

/**
 * Read and render every input item. Strict: the first row that cannot become a prompt throws
 * `InvalidInput` naming its location, before any teacher is paid. Ids must be unique.
 */
export async function loadDistillItems(input: DistillInput, options: DistillItemOptions = {}): Promise<NewDistillItem[]> {
    const limit = options.limit ?? Infinity;
    const items: NewDistillItem[] = [];
    const seen = new Map<string, string>();
    const add = (item: NewDistillItem, location: string) => {
        const earlier = seen.get(item.id);
        if (earlier != null) throw new InvalidInput(`id '${item.id}' appears twice (first at ${earlier}); ids must be unique within a distillation job`, {field: "id", location});
        seen.set(item.id, location);
        items.push(item);
    };
    for await (const row of rows(input, options.hub)) {
        if (items.length >= limit) break;
        const {value, location, shape} = row;
        if (shape === "rm-r1") {
            const defaultId = row.file != null ? `${basename(row.file, extname(row.file))}:${row.index}` : String(row.index);
            add(renderedItem(value as Record<string, unknown>, items.length, location, defaultId), location);
            continue;
        }
        const records = shape == null ? [value as PreferenceRecord] : convertRow(value, shape, {location, index: row.index, file: row.file});
        for (const record of records) {
            if (items.length >= limit) break;
            add(pairItem(record, items.length, location, options), location);
        }
    }
    if (items.length === 0) throw new InvalidInput("the input holds no pairs to distil", {field: "input"});
    return items;
}

/** SHA-256 over the items as rendered: a resumed job checks its input has not changed. */
export function itemsDigest(items: readonly NewDistillItem[]): string {
    const hash = createHash("sha256");
    for (const item of items) hash.update(stableStringify([item.id, item.label, item.messages])).update("\n");
    return hash.digest("hex");
}

interface InputRow {
    value: unknown;
    location: string;
    /** The row's shape (`rm-r1` rows are used as rendered); undefined for in-memory records. */
    shape: RecordShape | undefined;
    /** Index of the row in its file, or position in an in-memory input. */
    index: number;
    /** The file the row came from; undefined in memory. */
    file?: string;
}

async function* rows(input: DistillInput, hub: HubSourceOptions | undefined): AsyncGenerator<InputRow> {
    if (typeof input === "string") {
        for (const file of await resolveSource(input, {hub})) {
            let shape: RecordShape | undefined;
            for await (const row of readFileRows(file)) {
                shape ??= detectShapeOrThrow(row.value, row.location);
                yield {value: row.value, location: row.location, shape, index: row.index, file};
            }
        }
        return;
    }
    let index = 0;
    for await (const value of input as AsyncIterable<unknown>) {
        const isRendered = value != null && typeof value === "object" && "context_messages" in value;
        yield {value, location: `input[${index}]`, shape: isRendered ? "rm-r1" : undefined, index};
        index++;
    }
}

function renderedItem(row: Record<string, unknown>, idx: number, location: string, defaultId: string): NewDistillItem {
    const messages = toMessages(row.context_messages, "context_messages", location);
    const winner = row.winner;
    if (!isWinnerLabel(winner))
        throw new InvalidInput(`'winner' must be model_a or model_b, got ${JSON.stringify(winner)?.slice(0, 60)} (a row whose winner is a trace is already distilled)`, {field: "winner", location});
    if (messages[messages.length - 1].role !== "user")
        throw new InvalidInput("the last message of 'context_messages' must be the user's judge prompt", {field: `context_messages[${messages.length - 1}].role`, location});
    return {
        idx,
        id: optionalString(row.id) ?? defaultId,
        messages,
        label: winner,
        chosenPosition: winner === "model_a" ? "A" : "B",
        orderPolicy: "given",
        // The rendered prompt does not say; the multi-turn template is the one with conversation blocks.
        multiTurn: messages[messages.length - 1].content.includes("[The Start of the Conversation between Chatbot A"),
        source: optionalString(row.source) ?? null,
        domain: optionalString(row.domain) ?? null
    };
}

function pairItem(record: PreferenceRecord, idx: number, location: string, options: DistillItemOptions): NewDistillItem {
    if (record == null || typeof record !== "object" || typeof record.id !== "string" || record.id === "")
        throw new InvalidInput("a preference record needs a non-empty string 'id'", {field: "id", location});
    const policy = options.order ?? "alternate";
    if (policy !== "alternate" && policy !== "random") throw new InvalidInput(`unknown order '${String(policy)}'; use alternate or random`, {field: "order"});
    const chosenFirst = policy === "alternate" ? idx % 2 === 0 : keyedUniform(options.seed ?? 0, record.id) < 0.5;
    let rendered;
    try {
        rendered = renderPair(record, chosenFirst ? "chosen-first" : "chosen-second", {profile: options.profile, quirks: options.quirks});
    } catch (e) {
        if (e instanceof InvalidInput) throw new InvalidInput(e.message, {field: e.field, location});
        throw e;
    }
    return {
        idx,
        id: record.id,
        messages: rendered.messages,
        label: rendered.label,
        chosenPosition: rendered.chosenPosition,
        orderPolicy: policy,
        multiTurn: rendered.multiTurn,
        source: record.source ?? null,
        domain: record.domain ?? null
    };
}

function optionalString(value: unknown): string | undefined {
    if (typeof value === "string" && value !== "") return value;
    if (typeof value === "number") return String(value);
    return undefined;
}
