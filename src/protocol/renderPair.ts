// Rendering a preference pair into the judge's prompt messages, exactly as the RM-R1 reference does
// (method doc §1.8; mix_data.py `get_smaller_dataset_sky`, `convert_sky_data_single/_multi`).
//
// - Single-turn when both full conversations are exactly [user, assistant]: `{question}` is the user
//   message, `{answer_a}` / `{answer_b}` the two replies after position assignment.
// - Multi-turn otherwise: each side's whole conversation becomes one line per message,
//   `User: …` / `Chatbot A: …` (conversation_1) / `Chatbot B: …` (conversation_2), joined by "\n".
// - Substitution is literal and single-pass (Python `str.format`): `$&`, `$1` or `{answer_b}` inside a
//   reply are inserted as written and never re-scanned.
import {InvalidInput} from "../errors.js";
import type {Message, PairOrder, PreferencePair, Position, WinnerLabel} from "./types.js";
import {getProfile} from "./profiles.js";
import type {ProfileName, PromptProfile} from "./profiles.js";

export interface RenderOptions {
    /** Prompt profile. Defaults to `"rm-r1-instruct"`. */
    profile?: ProfileName;
    /**
     * `"reference"` reproduces the reference training data's quirks: in a multi-turn pair rendered with
     * the chosen reply in A, the B speaker is written "Chabot B" (mix_data.py's typo; RM-R1 profiles
     * only). Defaults to none: the names are spelt correctly.
     */
    quirks?: "reference";
}

export interface RenderedPair {
    /** The judge prompt: [system, user] for profiles with a system prompt, else [user]. */
    messages: Message[];
    /** The ground truth for this order: `model_a` when the chosen reply is Chatbot A. */
    label: WinnerLabel;
    /** Whether the multi-turn template was used. */
    multiTurn: boolean;
    /** Where the chosen reply was placed. */
    chosenPosition: Position;
}

const pairOrders: readonly PairOrder[] = ["chosen-first", "chosen-second"];
const roles: readonly string[] = ["system", "user", "assistant"];

/** A validated conversation and the input field each of its messages came from (for error messages). */
interface Conversation {
    messages: Message[];
    fields: string[];
}

/** A labelled pair in the given order (chosen-first → chosen reply is Chatbot A, label model_a). */
export function renderPair(pair: PreferencePair, order: PairOrder, options: RenderOptions = {}): RenderedPair {
    if (!pairOrders.includes(order))
        throw new InvalidInput(`unknown order '${String(order)}'; use chosen-first or chosen-second`, {field: "order"});
    const profile = resolveProfile(options);
    const {chosen, rejected} = splitPair(pair);
    const chosenFirst = order === "chosen-first";
    const [a, b] = chosenFirst ? [chosen, rejected] : [rejected, chosen];
    // mix_data.py passes assistant_name="Chabot B" only on the chosen-in-A branch of the multi-turn path.
    const nameB = chosenFirst && options.quirks === "reference" && profile.quirkNameB != null ? profile.quirkNameB : profile.nameB;
    const {messages, multiTurn} = render(a, b, profile, nameB);
    return {messages, label: chosenFirst ? "model_a" : "model_b", multiTurn, chosenPosition: chosenFirst ? "A" : "B"};
}

/** Two unlabelled full conversations (sharing earlier turns); `a` is shown as Chatbot A. */
export function renderComparison(a: Message[], b: Message[], options: RenderOptions = {}): {messages: Message[], multiTurn: boolean} {
    const profile = resolveProfile(options);
    return render(validateMessages(a, "a", false), validateMessages(b, "b", false), profile, profile.nameB);
}

/** Split a pair into its two full conversations (prompt + reply), validating roles; InvalidInput names the field. */
export function pairConversations(pair: PreferencePair): {chosen: Message[], rejected: Message[]} {
    const {chosen, rejected} = splitPair(pair);
    return {chosen: chosen.messages, rejected: rejected.messages};
}

function resolveProfile(options: RenderOptions): PromptProfile {
    if (options.quirks != null && options.quirks !== "reference")
        throw new InvalidInput(`unknown quirks mode '${String(options.quirks)}'; the only mode is 'reference'`, {field: "quirks"});
    return getProfile(options.profile ?? "rm-r1-instruct");
}

function splitPair(pair: PreferencePair): {chosen: Conversation, rejected: Conversation} {
    if (pair == null || typeof pair !== "object" || Array.isArray(pair))
        throw new InvalidInput("a preference pair must be an object with 'chosen' and 'rejected' message lists", {field: "pair"});
    const prompt = pair.prompt == null ? emptyConversation() : validateMessages(pair.prompt, "prompt", true);
    const chosen = validateMessages(pair.chosen, "chosen", false);
    const rejected = validateMessages(pair.rejected, "rejected", false);
    return {chosen: concat(prompt, chosen), rejected: concat(prompt, rejected)};
}

function validateMessages(value: unknown, field: string, allowEmpty: boolean): Conversation {
    if (value === undefined)
        throw new InvalidInput(`'${field}' is missing; it must be a list of {role, content} messages`, {field});
    if (!Array.isArray(value))
        throw new InvalidInput(`'${field}' must be a list of {role, content} messages, got ${describe(value)}`, {field});
    if (value.length === 0 && !allowEmpty)
        throw new InvalidInput(`'${field}' is an empty list; it needs at least the assistant reply`, {field});
    const messages: Message[] = [];
    const fields: string[] = [];
    value.forEach((m: unknown, i) => {
        const at = `${field}[${i}]`;
        if (m == null || typeof m !== "object" || Array.isArray(m))
            throw new InvalidInput(`'${at}' must be a {role, content} message, got ${describe(m)}`, {field: at});
        const {role, content} = m as {role?: unknown, content?: unknown};
        if (typeof role !== "string" || !roles.includes(role))
            throw new InvalidInput(`'${at}.role' must be one of ${roles.join(", ")}, got ${describe(role)}`, {field: `${at}.role`});
        if (typeof content !== "string")
            throw new InvalidInput(`'${at}.content' must be a string, got ${describe(content)}`, {field: `${at}.content`});
        messages.push({role: role as Message["role"], content});
        fields.push(at);
    });
    return {messages, fields};
}

function render(a: Conversation, b: Conversation, profile: PromptProfile, nameB: string): {messages: Message[], multiTurn: boolean} {
    let user: string;
    let multiTurn: boolean;
    if (isSingleTurn(a.messages) && isSingleTurn(b.messages)) {
        multiTurn = false;
        // mix_data.py asserts the two questions are equal; here it is an input error naming the field.
        if (a.messages[0].content !== b.messages[0].content)
            throw new InvalidInput(`'${b.fields[0]}.content' differs from '${a.fields[0]}.content': a single-turn pair must ask one question`, {field: `${b.fields[0]}.content`});
        user = fillTemplate(profile.singleTurnUser, {
            question: a.messages[0].content,
            answer_a: a.messages[1].content,
            answer_b: b.messages[1].content
        });
    } else {
        multiTurn = true;
        user = fillTemplate(profile.multiTurnUser, {
            conversation_1: renderConversation(a, profile.userName, profile.nameA),
            conversation_2: renderConversation(b, profile.userName, nameB)
        });
    }
    const messages: Message[] = profile.system != null
        ? [{role: "system", content: profile.system}, {role: "user", content: user}]
        : [{role: "user", content: user}];
    return {messages, multiTurn};
}

/** The reference's single-turn test: exactly two messages, user then assistant. */
function isSingleTurn(messages: Message[]): boolean {
    return messages.length === 2 && messages[0].role === "user" && messages[1].role === "assistant";
}

/** One line per message, `User: …` or `<assistantName>: …`, joined by "\n" (convert_sky_data_multi). */
function renderConversation(conversation: Conversation, userName: string, assistantName: string): string {
    return conversation.messages.map((m, i) => {
        if (m.role === "user") return `${userName}: ${m.content}`;
        if (m.role === "assistant") return `${assistantName}: ${m.content}`;
        throw new InvalidInput(
            `'${conversation.fields[i]}.role' is '${m.role}': a multi-turn RM-R1 prompt renders only user and assistant messages ` +
            "(the reference asserts this); drop the message or fold it into the first user turn",
            {field: `${conversation.fields[i]}.role`}
        );
    }).join("\n");
}

const placeholder = /\{(question|answer_a|answer_b|conversation_1|conversation_2)\}/g;

/**
 * Python `str.format` for our templates: every placeholder is replaced by its value in one pass over
 * the template, so inserted text is never re-scanned and `$` patterns in values mean nothing.
 */
export function fillTemplate(template: string, values: Partial<Record<string, string>>): string {
    return template.replace(placeholder, (_match, name: string) => {
        const value = values[name];
        if (value == null) throw new Error(`template placeholder {${name}} has no value`);
        return value;
    });
}

function emptyConversation(): Conversation {
    return {messages: [], fields: []};
}

function concat(x: Conversation, y: Conversation): Conversation {
    return {messages: [...x.messages, ...y.messages], fields: [...x.fields, ...y.fields]};
}

function describe(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
    return typeof value === "object" ? "an object" : String(value);
}
