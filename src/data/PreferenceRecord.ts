// The one preference record type of rmr1: a `PreferencePair` in TRL's conversational convention
// plus an id, where it came from and free-form metadata.
import {InvalidInput} from "../errors.js";
import type {Message, PreferencePair, Role} from "../protocol/types.js";

/**
 * A preference pair with identity. `prompt` holds the shared turns and `chosen`/`rejected` the
 * replies (explicit-prompt form), or `prompt` is absent and `chosen`/`rejected` are two whole
 * conversations (implicit-prompt form, used only when the two do not share a first turn).
 */
export interface PreferenceRecord extends PreferencePair {
    /** Unique within its dataset (see each converter for how it is formed). */
    id: string;
    /** The dataset it came from: `rewardbench`, `rm-bench`, `rmb`, `skywork`, `code-preference-pairs`, `math-step-dpo`, `rm-r1`, or the row's own `source`. */
    source?: string;
    /** A grouping key the source provides: RewardBench subset, RM-Bench domain, RMB category path, Skywork `source`, `code`, `math`. */
    domain?: string;
    /** Everything else worth keeping (model names, styles, upstream ids). */
    meta?: Record<string, unknown>;
}

const roles: readonly Role[] = ["system", "user", "assistant"];

/**
 * Validate a message list from untrusted input. `field` names it in errors (`chosen`,
 * `conversation_input`, ...); `location` is the file and row. `null` keys are treated as absent.
 */
export function toMessages(value: unknown, field: string, location: string, options: {allowEmpty?: boolean} = {}): Message[] {
    if (!Array.isArray(value))
        throw new InvalidInput(`'${field}' must be a list of {role, content} messages, got ${describeValue(value)}`, {field, location});
    if (value.length === 0 && options.allowEmpty !== true)
        throw new InvalidInput(`'${field}' is an empty list`, {field, location});
    return value.map((m: unknown, i) => {
        const at = `${field}[${i}]`;
        if (m == null || typeof m !== "object" || Array.isArray(m))
            throw new InvalidInput(`'${at}' must be a {role, content} message, got ${describeValue(m)}`, {field: at, location});
        const {role, content} = m as {role?: unknown, content?: unknown};
        if (typeof role !== "string" || !(roles as readonly string[]).includes(role))
            throw new InvalidInput(`'${at}.role' must be one of ${roles.join(", ")}, got ${describeValue(role)}`, {field: `${at}.role`, location});
        if (typeof content !== "string")
            throw new InvalidInput(`'${at}.content' must be a string, got ${describeValue(content)}`, {field: `${at}.content`, location});
        return {role: role as Role, content};
    });
}

/** A required string field. */
export function toText(value: unknown, field: string, location: string): string {
    if (typeof value !== "string") throw new InvalidInput(`'${field}' must be a string, got ${describeValue(value)}`, {field, location});
    return value;
}

/**
 * A pair from two whole conversations: their longest shared prefix becomes `prompt` (explicit
 * form), so `prompt + chosen` is the chosen conversation again. If they share nothing, or one is a
 * prefix of the other, the conversations are kept whole (implicit form).
 */
export function pairFromConversations(chosen: Message[], rejected: Message[]): PreferencePair {
    let k = 0;
    while (k < chosen.length && k < rejected.length && chosen[k].role === rejected[k].role && chosen[k].content === rejected[k].content) k++;
    if (k === 0 || k === chosen.length || k === rejected.length) return {chosen, rejected};
    return {prompt: chosen.slice(0, k), chosen: chosen.slice(k), rejected: rejected.slice(k)};
}

/** A short description of a value for error messages. */
export function describeValue(value: unknown): string {
    if (value === undefined) return "nothing (the field is missing)";
    if (value === null) return "null";
    if (Array.isArray(value)) return `a list of ${value.length}`;
    if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
    if (typeof value === "object") return "an object";
    return `${typeof value} ${String(value)}`;
}
