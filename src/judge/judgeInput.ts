// What a judge reads: a labelled TRL preference pair (`chosen`/`rejected`) or an unlabelled pair of
// candidates (`first`/`second`), each with an `id`; and the rank input, one prompt with N
// candidates. Validation names the field (and the file:line when the value came from a file).
import {createHash} from "node:crypto";
import {InvalidInput} from "../errors.js";
import {pairConversations, renderComparison} from "../protocol/renderPair.js";
import type {Message, PreferencePair} from "../protocol/types.js";
import {stableStringify} from "../engines/stableStringify.js";

/** A labelled pair: `chosen` is the better reply. `id` is generated from the content when absent. */
export interface LabelledPair extends PreferencePair {
    id?: string;
}

/**
 * An unlabelled pair: two candidate replies (message lists, or strings when `prompt` is given) to
 * the same conversation, in the same two forms as `PreferencePair`.
 */
export interface UnlabelledPair {
    id?: string;
    prompt?: Message[];
    first: Message[] | string;
    second: Message[] | string;
}

export type JudgeInput = LabelledPair | UnlabelledPair;

/** One line of `rmr1 rank` input: a prompt and N candidate replies (strings or message lists). */
export interface RankInput {
    id?: string;
    prompt: Message[];
    candidates: (Message[] | string)[];
}

export function isLabelled(input: JudgeInput): input is LabelledPair {
    return "chosen" in input || "rejected" in input;
}

/**
 * A stable id from the content (`sha256:` and 16 hex digits of the canonical JSON of the fields that
 * define the item), so a rerun over the same file finds the same ids and resumes.
 */
export function contentId(fields: Record<string, unknown>): string {
    return "sha256:" + createHash("sha256").update(stableStringify(fields)).digest("hex").slice(0, 16);
}

/** A candidate reply as messages: a string is one assistant message. */
export function candidateMessages(candidate: Message[] | string): Message[] {
    return typeof candidate === "string" ? [{role: "assistant", content: candidate}] : candidate;
}

/** The two full conversations (prompt + reply) of an unlabelled pair. */
export function unlabelledConversations(pair: UnlabelledPair): {first: Message[], second: Message[]} {
    const prompt = pair.prompt ?? [];
    return {first: [...prompt, ...candidateMessages(pair.first)], second: [...prompt, ...candidateMessages(pair.second)]};
}

/**
 * Check one judge input (an object read from a file or a request) and give it an id. Throws
 * `InvalidInput` naming the field and `location`. `idGenerated` says the id came from the content.
 */
export function parseJudgeInput(value: unknown, location?: string): {input: JudgeInput & {id: string}, idGenerated: boolean} {
    const object = expectObject(value, location);
    const labelled = "chosen" in object || "rejected" in object;
    const unlabelled = "first" in object || "second" in object;
    const {id, generated} = readId(object, location, () => {
        const {prompt, chosen, rejected, first, second} = object;
        return labelled ? {prompt, chosen, rejected} : {prompt, first, second};
    });
    if (labelled && unlabelled)
        throw new InvalidInput("a pair has either 'chosen'/'rejected' (labelled) or 'first'/'second' (unlabelled), not both", {field: "first", location});
    if (!labelled && !unlabelled)
        throw new InvalidInput("a pair needs 'chosen' and 'rejected' message lists (TRL preference format), or 'first' and 'second' to compare without a label", {field: "chosen", location});
    try {
        if (labelled) {
            const pair = {id, prompt: object.prompt, chosen: object.chosen, rejected: object.rejected} as LabelledPair & {id: string};
            if (pair.prompt === undefined) delete pair.prompt;
            // Validates roles and shapes, naming the field; rendering itself happens per call.
            pairConversations(pair);
            return {input: pair, idGenerated: generated};
        }
        const pair = {id, prompt: object.prompt, first: object.first, second: object.second} as UnlabelledPair & {id: string};
        if (pair.prompt === undefined) delete pair.prompt;
        else checkMessages(pair.prompt, "prompt", true);
        checkCandidate(pair.first, "first", pair.prompt != null);
        checkCandidate(pair.second, "second", pair.prompt != null);
        const {first, second} = unlabelledConversations(pair);
        renderComparison(first, second);
        return {input: pair, idGenerated: generated};
    } catch (e) {
        throw relocate(e, location);
    }
}

/** Check one rank input line and give it an id (see `parseJudgeInput`). */
export function parseRankInput(value: unknown, location?: string): {input: RankInput & {id: string}, idGenerated: boolean} {
    const object = expectObject(value, location);
    const {id, generated} = readId(object, location, () => ({prompt: object.prompt, candidates: object.candidates}));
    if (!Array.isArray(object.candidates) || object.candidates.length < 2)
        throw new InvalidInput("'candidates' must be a list of at least 2 replies (strings or message lists)", {field: "candidates", location});
    const input = {id, prompt: object.prompt as Message[], candidates: object.candidates as (Message[] | string)[]};
    try {
        checkMessages(input.prompt, "prompt", false);
        input.candidates.forEach((c, i) => checkCandidate(c, `candidates[${i}]`, true));
        // Validates the prompt's messages and the single-turn rules once, with the first two candidates.
        renderComparison([...input.prompt, ...candidateMessages(input.candidates[0])], [...input.prompt, ...candidateMessages(input.candidates[1])]);
    } catch (e) {
        throw relocate(e, location);
    }
    return {input, idGenerated: generated};
}

function expectObject(value: unknown, location: string | undefined): Record<string, unknown> {
    if (value == null || typeof value !== "object" || Array.isArray(value))
        throw new InvalidInput(`expected a JSON object, got ${Array.isArray(value) ? "a list" : value === null ? "null" : typeof value}`, {location});
    return value as Record<string, unknown>;
}

function readId(object: Record<string, unknown>, location: string | undefined, content: () => Record<string, unknown>): {id: string, generated: boolean} {
    const id = object.id;
    if (id == null) return {id: contentId(content()), generated: true};
    if (typeof id === "number" && Number.isFinite(id)) return {id: String(id), generated: false};
    if (typeof id !== "string" || id === "")
        throw new InvalidInput(`'id' must be a non-empty string or a number, got ${JSON.stringify(id)}`, {field: "id", location});
    return {id, generated: false};
}

function checkCandidate(value: unknown, field: string, hasPrompt: boolean): void {
    if (typeof value === "string") {
        if (!hasPrompt) throw new InvalidInput(`'${field}' is a string, which needs a 'prompt' to answer; give 'prompt' or make '${field}' a message list`, {field});
        return;
    }
    checkMessages(value, field, false);
}

function checkMessages(value: unknown, field: string, allowEmpty: boolean): void {
    if (!Array.isArray(value) || (value.length === 0 && !allowEmpty))
        throw new InvalidInput(`'${field}' must be a ${allowEmpty ? "" : "non-empty "}list of {role, content} messages`, {field});
    value.forEach((m: unknown, i) => {
        const ok = m != null && typeof m === "object" && typeof (m as Message).content === "string" &&
            ["system", "user", "assistant"].includes((m as Message).role);
        if (!ok) throw new InvalidInput(`'${field}[${i}]' must be a {role, content} message with role system, user or assistant`, {field: `${field}[${i}]`});
    });
}

/** The same `InvalidInput` with the file:line in front; other errors unchanged. */
function relocate(e: unknown, location: string | undefined): unknown {
    if (!(e instanceof InvalidInput) || location == null || e.location != null) return e;
    return new InvalidInput(e.message, {field: e.field, location, cause: e});
}
