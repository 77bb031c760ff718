// RL prompts: the judge prompt (chat messages) and its ground-truth label, as the reference's
// `RubricRMDataset` builds them (method doc §4.5): RM-R1 rows `{context_messages, winner}` are used
// as they are; any other preference pair the data layer reads is rendered with `renderPair` in
// the chosen profile, with the chosen reply placed in A or B by the order policy.
import {InvalidInput} from "../errors.js";
import {keyedUniform} from "../protocol/rng.js";
import {renderPair} from "../protocol/renderPair.js";
import type {ProfileName} from "../protocol/profiles.js";
import type {Message, PairOrder, WinnerLabel} from "../protocol/types.js";
import {convertRow, detectShapeOrThrow, type RecordShape} from "../data/converters.js";
import {describeValue, toMessages} from "../data/PreferenceRecord.js";
import {readFileRows, resolveSource, type ReadRowsOptions, type SourceRow} from "../data/rows.js";

/** One RL prompt. */
export interface RlPrompt {
    id: string;
    /** The rendered judge prompt ([system, user] or [user]). */
    messages: Message[];
    /** Which position holds the better reply. */
    label: WinnerLabel;
    location: string;
}

/**
 * How pairs are placed: `alternate` puts the chosen reply first on even rows and second on odd
 * rows (the reference's mix_data.py counter); `random` flips a seeded coin per pair id.
 */
export type RlOrder = "alternate" | "random";

export const rlOrders: readonly RlOrder[] = ["alternate", "random"];

/** Options of `readRlPrompts`. */
export interface ReadRlPromptsOptions extends ReadRowsOptions {
    /** Prompt profile for rendering pairs. Defaults to `"tiny"`. */
    profile?: ProfileName;
    /** A/B placement of rendered pairs. Defaults to `"alternate"`. */
    order?: RlOrder;
    /** Seed of the `random` order. Defaults to `1`. */
    seed?: number;
    /** Called for each row that cannot be used; reading goes on. Defaults to none: the first bad row throws. */
    onBadRow?: (error: InvalidInput, row: SourceRow) => void;
}

const isObject = (v: unknown): v is Record<string, unknown> => v != null && typeof v === "object" && !Array.isArray(v);

/** Read RL prompts from a file, folder or `hf:` URI. */
export async function* readRlPrompts(source: string, options: ReadRlPromptsOptions = {}): AsyncGenerator<RlPrompt> {
    const profile = options.profile ?? "tiny";
    const order = options.order ?? "alternate";
    const seed = options.seed ?? 1;
    let pairIndex = 0;
    for (const file of await resolveSource(source, options)) {
        let shape: RecordShape | undefined;
        for await (const row of readFileRows(file, options)) {
            try {
                const value = row.value;
                if (isObject(value) && value.context_messages !== undefined) {
                    yield rmR1Prompt(value, row);
                    continue;
                }
                shape ??= detectShapeOrThrow(value, row.location);
                for (const record of convertRow(value, shape, {location: row.location, index: row.index, file})) {
                    const chosenFirst = order === "alternate" ? pairIndex % 2 === 0 : keyedUniform(seed, record.id) < 0.5;
                    pairIndex++;
                    const pairOrder: PairOrder = chosenFirst ? "chosen-first" : "chosen-second";
                    let rendered;
                    try {
                        rendered = renderPair(record, pairOrder, {profile});
                    } catch (e) {
                        if (e instanceof InvalidInput) throw new InvalidInput(e.message, {field: e.field, location: row.location});
                        throw e;
                    }
                    yield {id: record.id, messages: rendered.messages, label: rendered.label, location: row.location};
                }
            } catch (e) {
                if (options.onBadRow == null || !(e instanceof InvalidInput)) throw e;
                options.onBadRow(e, row);
            }
        }
    }
}

function rmR1Prompt(value: Record<string, unknown>, row: SourceRow): RlPrompt {
    const messages = toMessages(value.context_messages, "context_messages", row.location);
    const winner = value.winner;
    if (winner === undefined || winner === null)
        throw new InvalidInput("the row has no label: 'winner' must be model_a or model_b", {field: "winner", location: row.location});
    if (winner !== "model_a" && winner !== "model_b")
        throw new InvalidInput(`'winner' must be model_a or model_b, got ${describeValue(winner)}`, {field: "winner", location: row.location});
    const id = typeof value.id === "string" || typeof value.id === "number" ? String(value.id) : `${row.index}`;
    return {id, messages, label: winner, location: row.location};
}
