// Converters from the row shapes people hold to `PreferenceRecord`s, and detection of the shape.
// One input row can give several records: an RMB best-of-N item gives one per loser, an RM-Bench
// prompt one per (chosen style, rejected style).
import {basename, extname} from "node:path";
import {InvalidInput} from "../errors.js";
import type {Message, WinnerLabel} from "../protocol/types.js";
import {getProfile, profileNames, type PromptProfile} from "../protocol/profiles.js";
import {describeValue, pairFromConversations, toMessages, toText, type PreferenceRecord} from "./PreferenceRecord.js";

/** A row layout rmr1 converts. */
export type RecordShape =
    | "rm-r1" | "rmb-pairwise" | "rmb-bon" | "rm-bench" | "math-step-dpo"
    | "code-preference-pairs" | "rewardbench" | "skywork" | "trl";

/** Every shape, in detection order (most specific first), with the fields that identify it. */
export const recordShapes: readonly {name: RecordShape, fields: string}[] = [
    {name: "rm-r1", fields: "context_messages (list), winner (model_a|model_b)"},
    {name: "rmb-bon", fields: "conversation_input, bon_best {answer}, loser_list [{answer}]"},
    {name: "rmb-pairwise", fields: "conversation_input, chosen {answer}, reject {answer}"},
    {name: "math-step-dpo", fields: "prompt, initial_reason_steps, full_chosen, full_rejected"},
    {name: "code-preference-pairs", fields: "input, accepted, rejected"},
    {name: "rm-bench", fields: "prompt, chosen [3 strings], rejected [3 strings]"},
    {name: "skywork", fields: "chosen, rejected (message lists), source"},
    {name: "rewardbench", fields: "prompt, chosen, rejected (strings), subset"},
    {name: "trl", fields: "[prompt], chosen, rejected (strings or message lists)"}
];

export function isRecordShape(s: string): s is RecordShape {
    return recordShapes.some(x => x.name === s);
}

/** Where a row came from, used for ids and error messages. */
export interface ConvertContext {
    /** `file:line` or `file row N`. */
    location: string;
    /** 0-based index of the row in its file. */
    index: number;
    /** The file, for ids and for the RM-Bench domain (`chat_filtered.json` → `chat`). Defaults to none. */
    file?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v != null && typeof v === "object" && !Array.isArray(v);
const isMessageList = (v: unknown): boolean => Array.isArray(v) && v.length > 0 && v.every(m => isObject(m) && "role" in m && "content" in m);

/** The shape of a row, or undefined when it matches none. */
export function detectShape(row: unknown): RecordShape | undefined {
    if (!isObject(row)) return undefined;
    const has = (k: string) => row[k] !== undefined;
    if (Array.isArray(row.context_messages) && has("winner")) return "rm-r1";
    if (has("conversation_input") && isObject(row.bon_best) && Array.isArray(row.loser_list)) return "rmb-bon";
    if (has("conversation_input") && isObject(row.chosen) && isObject(row.reject)) return "rmb-pairwise";
    if (has("prompt") && has("initial_reason_steps") && has("full_chosen") && has("full_rejected")) return "math-step-dpo";
    if (has("input") && has("accepted") && has("rejected")) return "code-preference-pairs";
    if (typeof row.prompt === "string" && isStringList(row.chosen) && isStringList(row.rejected)) return "rm-bench";
    if (!has("prompt") && typeof row.source === "string" && isMessageList(row.chosen) && isMessageList(row.rejected)) return "skywork";
    if (typeof row.prompt === "string" && typeof row.chosen === "string" && typeof row.rejected === "string" && typeof row.subset === "string") return "rewardbench";
    if (has("chosen") && has("rejected")) return "trl";
    return undefined;
}

function isStringList(v: unknown): boolean {
    return Array.isArray(v) && v.length > 0 && v.every(x => typeof x === "string");
}

/** `detectShape`, or an `InvalidInput` that lists the shapes rmr1 knows. */
export function detectShapeOrThrow(row: unknown, location: string): RecordShape {
    const shape = detectShape(row);
    if (shape != null) return shape;
    const keys = isObject(row) ? `fields ${Object.keys(row).join(", ") || "(none)"}` : describeValue(row);
    throw new InvalidInput(
        `cannot tell what kind of preference row this is (it has ${keys}); known shapes: ` +
        recordShapes.map(s => `${s.name} (${s.fields})`).join("; ") + ". Pass the shape explicitly if detection picks the wrong one",
        {location, field: "shape"}
    );
}

/** Convert one row of a known shape; errors name the field and location. */
export function convertRow(row: unknown, shape: RecordShape, context: ConvertContext): PreferenceRecord[] {
    const at = context.location;
    if (!isObject(row)) throw new InvalidInput(`a row must be a JSON object, got ${describeValue(row)}`, {location: at});
    switch (shape) {
        case "rewardbench": return [fromRewardBench(row, context)];
        case "skywork": return [fromSkywork(row, context)];
        case "code-preference-pairs": return [fromCodePreferencePairs(row, context)];
        case "math-step-dpo": return [fromMathStepDpo(row, context)];
        case "rmb-pairwise": return [fromRmbPairwise(row, context)];
        case "rmb-bon": return fromRmbBon(row, context);
        case "rm-bench": return fromRmBench(row, context);
        case "rm-r1": return [fromRmR1(row, context)];
        case "trl": return [fromTrl(row, context)];
    }
}

/** `<file stem>:<row index>`, the id of rows whose source has none. */
function rowId(context: ConvertContext): string {
    const stem = context.file != null ? basename(context.file, extname(context.file)) : "row";
    return `${stem}:${context.index}`;
}

function optionalId(value: unknown): string | undefined {
    if (typeof value === "string" && value !== "") return value;
    if (typeof value === "number" || typeof value === "bigint") return String(value);
    return undefined;
}

const user = (content: string): Message[] => [{role: "user", content}];
const assistant = (content: string): Message[] => [{role: "assistant", content}];

function fromRewardBench(row: Record<string, unknown>, c: ConvertContext): PreferenceRecord {
    const subset = toText(row.subset, "subset", c.location);
    const upstream = optionalId(row.id);
    return {
        // RewardBench ids repeat across subsets (3692 is in donotanswer and hep-python).
        id: upstream != null ? `${subset}:${upstream}` : rowId(c),
        source: "rewardbench",
        domain: subset,
        prompt: user(toText(row.prompt, "prompt", c.location)),
        chosen: assistant(toText(row.chosen, "chosen", c.location)),
        rejected: assistant(toText(row.rejected, "rejected", c.location)),
        meta: pick(row, ["chosen_model", "rejected_model", "id"])
    };
}

function fromSkywork(row: Record<string, unknown>, c: ConvertContext): PreferenceRecord {
    const chosen = toMessages(row.chosen, "chosen", c.location);
    const rejected = toMessages(row.rejected, "rejected", c.location);
    return {
        id: optionalId(row.id) ?? rowId(c),
        source: "skywork",
        domain: toText(row.source, "source", c.location),
        ...pairFromConversations(chosen, rejected)
    };
}

function fromCodePreferencePairs(row: Record<string, unknown>, c: ConvertContext): PreferenceRecord {
    return {
        id: optionalId(row.id) ?? optionalId(row.ID) ?? rowId(c),
        source: "code-preference-pairs",
        domain: "code",
        prompt: user(toText(row.input, "input", c.location)),
        chosen: assistant(toText(row.accepted, "accepted", c.location)),
        rejected: assistant(toText(row.rejected, "rejected", c.location))
    };
}

/** Math-Step-DPO answers are the shared reasoning prefix plus each continuation, concatenated with no separator (as mix_data.py does). */
function fromMathStepDpo(row: Record<string, unknown>, c: ConvertContext): PreferenceRecord {
    const prefix = toText(row.initial_reason_steps, "initial_reason_steps", c.location);
    return {
        id: optionalId(row.id) ?? rowId(c),
        source: "math-step-dpo",
        domain: "math",
        prompt: user(toText(row.prompt, "prompt", c.location)),
        chosen: assistant(prefix + toText(row.full_chosen, "full_chosen", c.location)),
        rejected: assistant(prefix + toText(row.full_rejected, "full_rejected", c.location)),
        meta: pick(row, ["dataset", "answer"])
    };
}

/** RMB messages carry a `language` key (null when absent upstream); only role and content are kept. */
function rmbConversation(row: Record<string, unknown>, c: ConvertContext): Message[] {
    const messages = toMessages(row.conversation_input, "conversation_input", c.location);
    const last = messages[messages.length - 1];
    if (last.role !== "user")
        throw new InvalidInput(`'conversation_input' must end with a user message, ends with '${last.role}'`, {field: `conversation_input[${messages.length - 1}].role`, location: c.location});
    return messages;
}

function answerOf(value: unknown, field: string, c: ConvertContext): {answer: string, model?: string} {
    if (!isObject(value)) throw new InvalidInput(`'${field}' must be an object {llm_name, answer}, got ${describeValue(value)}`, {field, location: c.location});
    const answer = toText(value.answer, `${field}.answer`, c.location);
    return {answer, model: typeof value.llm_name === "string" ? value.llm_name : undefined};
}

function fromRmbPairwise(row: Record<string, unknown>, c: ConvertContext): PreferenceRecord {
    const prompt = rmbConversation(row, c);
    const chosen = answerOf(row.chosen, "chosen", c);
    const rejected = answerOf(row.reject, "reject", c);
    return {
        id: optionalId(row.pair_uid) ?? rowId(c),
        source: "rmb",
        domain: typeof row.category_path === "string" ? row.category_path : undefined,
        prompt,
        chosen: assistant(chosen.answer),
        rejected: assistant(rejected.answer),
        meta: {chosen_model: chosen.model, rejected_model: rejected.model}
    };
}

function fromRmbBon(row: Record<string, unknown>, c: ConvertContext): PreferenceRecord[] {
    const prompt = rmbConversation(row, c);
    const best = answerOf(row.bon_best, "bon_best", c);
    const losers = row.loser_list as unknown[];
    if (losers.length === 0) throw new InvalidInput("'loser_list' is empty", {field: "loser_list", location: c.location});
    const group = optionalId(row.bon_uid) ?? rowId(c);
    return losers.map((loser, k) => {
        const rejected = answerOf(loser, `loser_list[${k}]`, c);
        return {
            id: `${group}:${k}`,
            source: "rmb",
            domain: typeof row.category_path === "string" ? row.category_path : undefined,
            prompt,
            chosen: assistant(best.answer),
            rejected: assistant(rejected.answer),
            // A best-of-N item counts as correct only if the best reply wins every one of its pairs.
            meta: {bon_uid: group, loser_index: k, losers: losers.length, chosen_model: best.model, rejected_model: rejected.model}
        };
    });
}

/** RM-Bench style order: `[0]` concise, `[1]` detailed plain text, `[2]` detailed markdown. */
export const rmBenchStyles = ["concise", "detailed", "markdown"] as const;

function fromRmBench(row: Record<string, unknown>, c: ConvertContext): PreferenceRecord[] {
    const prompt = user(toText(row.prompt, "prompt", c.location));
    const chosen = row.chosen as unknown[];
    const rejected = row.rejected as unknown[];
    for (const [field, list] of [["chosen", chosen], ["rejected", rejected]] as const) {
        if (list.length !== 3) throw new InvalidInput(`'${field}' must hold 3 styles (concise, detailed, markdown), has ${list.length}`, {field, location: c.location});
        list.forEach((v, i) => toText(v, `${field}[${i}]`, c.location));
    }
    // The domain is a field of upstream's total_dataset.json; the per-domain files carry it in their name.
    const domain = typeof row.domain === "string" ? row.domain
        : c.file != null ? basename(c.file, extname(c.file)).replace(/_filtered$/, "") : undefined;
    const base = optionalId(row.id) ?? String(c.index);
    const out: PreferenceRecord[] = [];
    for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
            out.push({
                id: `${domain ?? "rm-bench"}:${base}:${i}${j}`,
                source: "rm-bench",
                domain,
                prompt,
                chosen: assistant(chosen[i] as string),
                rejected: assistant(rejected[j] as string),
                meta: {rm_bench_id: row.id, chosen_style: rmBenchStyles[i], rejected_style: rmBenchStyles[j], subset: row.subset}
            });
        }
    }
    return out;
}

function fromTrl(row: Record<string, unknown>, c: ConvertContext): PreferenceRecord {
    const side = (field: "chosen" | "rejected"): Message[] => typeof row[field] === "string"
        ? assistant(row[field] as string)
        : toMessages(row[field], field, c.location);
    const chosen = side("chosen");
    const rejected = side("rejected");
    const base = {
        id: optionalId(row.id) ?? rowId(c),
        source: typeof row.source === "string" ? row.source : undefined,
        domain: typeof row.domain === "string" ? row.domain : undefined,
        meta: isObject(row.meta) ? row.meta : undefined
    };
    if (row.prompt == null) {
        if (typeof row.chosen === "string" || typeof row.rejected === "string")
            throw new InvalidInput("a row without 'prompt' needs 'chosen' and 'rejected' as whole conversations (message lists), not strings", {field: "prompt", location: c.location});
        return {...base, ...pairFromConversations(chosen, rejected)};
    }
    const prompt = typeof row.prompt === "string" ? user(row.prompt) : toMessages(row.prompt, "prompt", c.location, {allowEmpty: true});
    return {...base, prompt, chosen, rejected};
}

function pick(row: Record<string, unknown>, keys: string[]): Record<string, unknown> | undefined {
    const out: Record<string, unknown> = {};
    for (const k of keys) if (row[k] !== undefined && row[k] !== null) out[k] = row[k];
    return Object.keys(out).length > 0 ? out : undefined;
}

// ---- RM-R1 rendered rows ({context_messages, winner}) back to pairs -----------------------------

/**
 * Undo the rendering of an RM-R1 training row: recognise the profile from the system prompt (or its
 * absence), match the single- or multi-turn template, and read the question and the two replies
 * back. The winner's side becomes `chosen`. A multi-turn conversation is split into messages at
 * lines that start with a speaker name (`User: `, `Chatbot A: `, ...): a reply that itself contains
 * such a line cannot be told apart, which is the one lossy case.
 */
function fromRmR1(row: Record<string, unknown>, c: ConvertContext): PreferenceRecord {
    const winner = row.winner;
    if (winner !== "model_a" && winner !== "model_b") {
        throw new InvalidInput(
            `'winner' must be model_a or model_b, got ${describeValue(winner)} (rows whose winner holds a reasoning trace are SFT targets, not preference pairs)`,
            {field: "winner", location: c.location}
        );
    }
    const messages = toMessages(row.context_messages, "context_messages", c.location);
    for (const name of profileNames) {
        const profile = getProfile(name);
        const userText = promptUserText(messages, profile);
        if (userText == null) continue;
        const parsed = parseRendered(userText, profile);
        if (parsed == null) continue;
        const [a, b] = [parsed.a, parsed.b];
        const [chosen, rejected] = winner === "model_a" ? [a, b] : [b, a];
        return {
            id: optionalId(row.id) ?? rowId(c),
            source: "rm-r1",
            ...pairFromConversations(chosen, rejected),
            meta: {winner: winner as WinnerLabel, profile: name, multi_turn: parsed.multiTurn}
        };
    }
    throw new InvalidInput(
        `'context_messages' is not an RM-R1 prompt of a known profile (${profileNames.join(", ")}), or a reply contains a template delimiter so the split is ambiguous`,
        {field: "context_messages", location: c.location}
    );
}

function promptUserText(messages: Message[], profile: PromptProfile): string | undefined {
    if (profile.system != null) {
        if (messages.length === 2 && messages[0].role === "system" && messages[0].content === profile.system && messages[1].role === "user") return messages[1].content;
        return undefined;
    }
    if (messages.length === 1 && messages[0].role === "user") return messages[0].content;
    return undefined;
}

function parseRendered(text: string, profile: PromptProfile): {a: Message[], b: Message[], multiTurn: boolean} | undefined {
    const single = matchTemplate(text, profile.singleTurnUser, ["question", "answer_a", "answer_b"]);
    if (single != null) {
        const q = user(single.question);
        return {a: [...q, ...assistant(single.answer_a)], b: [...q, ...assistant(single.answer_b)], multiTurn: false};
    }
    const multi = matchTemplate(text, profile.multiTurnUser, ["conversation_1", "conversation_2"]);
    if (multi == null) return undefined;
    const namesB = profile.quirkNameB != null ? [profile.nameB, profile.quirkNameB] : [profile.nameB];
    const a = splitConversation(multi.conversation_1, profile.userName, [profile.nameA]);
    const b = splitConversation(multi.conversation_2, profile.userName, namesB);
    if (a == null || b == null) return undefined;
    return {a, b, multiTurn: true};
}

/**
 * Match `text` against a template with the given placeholders in order. Literal parts between
 * placeholders must occur exactly once in a consistent arrangement; otherwise the match is refused
 * rather than guessed.
 */
function matchTemplate<K extends string>(text: string, template: string, names: K[]): Record<K, string> | undefined {
    const literals: string[] = [];
    let rest = template;
    for (const name of names) {
        const i = rest.indexOf(`{${name}}`);
        if (i < 0) return undefined;
        literals.push(rest.slice(0, i));
        rest = rest.slice(i + name.length + 2);
    }
    literals.push(rest);
    const head = literals[0];
    const tail = literals[literals.length - 1];
    if (!text.startsWith(head) || !text.endsWith(tail) || text.length < head.length + tail.length) return undefined;
    const middle = text.slice(head.length, text.length - tail.length);
    // Every way of placing the inner literals in order; accept only a unique one.
    const solutions: number[][] = [];
    const place = (k: number, from: number, positions: number[]): void => {
        if (solutions.length > 1) return;
        if (k === literals.length - 1) {
            solutions.push(positions);
            return;
        }
        const literal = literals[k];
        for (let i = middle.indexOf(literal, from); i >= 0; i = middle.indexOf(literal, i + 1)) place(k + 1, i + literal.length, [...positions, i]);
    };
    place(1, 0, []);
    if (solutions.length !== 1) return undefined;
    const positions = solutions[0];
    const out = {} as Record<K, string>;
    let start = 0;
    names.forEach((name, k) => {
        const end = k < positions.length ? positions[k] : middle.length;
        out[name] = middle.slice(start, end);
        if (k < positions.length) start = positions[k] + literals[k + 1].length;
    });
    return out;
}

/** Split a rendered conversation (`User: …\nChatbot A: …`) back into messages. */
function splitConversation(text: string, userName: string, assistantNames: string[]): Message[] | undefined {
    const prefixes: [string, Message["role"]][] = [[`${userName}: `, "user"], ...assistantNames.map(n => [`${n}: `, "assistant"] as [string, Message["role"]])];
    const messages: Message[] = [];
    for (const line of text.split("\n")) {
        const hit = prefixes.find(([p]) => line.startsWith(p));
        if (hit != null) messages.push({role: hit[1], content: line.slice(hit[0].length)});
        else if (messages.length === 0) return undefined;
        else messages[messages.length - 1].content += "\n" + line;
    }
    return messages.length > 0 ? messages : undefined;
}
