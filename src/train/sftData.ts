// SFT examples: a prompt (chat messages) and the assistant response to learn, read from the row
// shapes people hold, and turned into token ids with the byte tokenizer's chat template.
//
// Row shapes (detected per row):
// - RM-R1 distillation rows `{context_messages, winner}` whose `winner` holds the teacher's trace
//   (method doc §5: OpenRLHF `--input_key context_messages --output_key winner`);
// - TRL conversational rows `{messages: [..., {role: "assistant", content}]}`;
// - TRL prompt–completion rows `{prompt, completion}`, each a string or a message list;
// - OpenRLHF rows `{input, output}` (`rmr1 distill --format openrlhf`).
import {InvalidInput} from "../errors.js";
import type {Message} from "../protocol/types.js";
import {describeValue, toMessages} from "../data/PreferenceRecord.js";
import {readRows, type ReadRowsOptions, type SourceRow} from "../data/rows.js";
import {ByteTokenizer, specialTokens} from "../native/tokenizer/ByteTokenizer.js";

/** One supervised example: learn `response` as the assistant's reply to `prompt`. */
export interface SftExample {
    /** The row's `id`, else `<row index>`. */
    id: string;
    prompt: Message[];
    response: string;
    /** `file:line` or `file row N`, for error messages. */
    location: string;
}

/** A tokenised example: ids of prompt + response, and which next-token predictions are trained. */
export interface SftSequence {
    id: string;
    /** Token ids [n]: `<bos>`, the prompt messages, `<assistant>`, the response bytes, `<eos>`. */
    tokens: Uint16Array;
    /** Index of the first target token that is trained (the first response byte, or `<assistant>` with `trainOnHeader`). */
    lossStart: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => v != null && typeof v === "object" && !Array.isArray(v);

/** Turn one row into an SFT example; `InvalidInput` names the field and row. */
export function sftExampleFromRow(value: unknown, index: number, location: string): SftExample {
    if (!isObject(value)) throw new InvalidInput(`an SFT row must be a JSON object, got ${describeValue(value)}`, {location});
    const id = typeof value.id === "string" || typeof value.id === "number" ? String(value.id) : String(index);
    if (value.context_messages !== undefined) {
        const prompt = toMessages(value.context_messages, "context_messages", location);
        const winner = value.winner;
        if (winner === "model_a" || winner === "model_b")
            throw new InvalidInput(`'winner' holds the label ${winner}, not a reasoning trace; SFT needs the teacher's trace as the target (distil traces first, or use this file for GRPO)`, {field: "winner", location});
        if (typeof winner !== "string" || winner === "")
            throw new InvalidInput(`'winner' must hold the target trace as a string, got ${describeValue(winner)}`, {field: "winner", location});
        return {id, prompt, response: winner, location};
    }
    if (value.messages !== undefined) {
        const messages = toMessages(value.messages, "messages", location);
        const last = messages[messages.length - 1];
        if (last.role !== "assistant")
            throw new InvalidInput(`the last message must be the assistant reply to learn, is '${last.role}'`, {field: `messages[${messages.length - 1}].role`, location});
        if (messages.length < 2) throw new InvalidInput("'messages' needs at least one prompt message before the assistant reply", {field: "messages", location});
        return {id, prompt: messages.slice(0, -1), response: last.content, location};
    }
    if (value.input !== undefined && value.output !== undefined) {
        const prompt = typeof value.input === "string" ? [{role: "user" as const, content: value.input}] : toMessages(value.input, "input", location);
        if (typeof value.output !== "string") throw new InvalidInput(`'output' must hold the target text, got ${describeValue(value.output)}`, {field: "output", location});
        return {id, prompt, response: value.output, location};
    }
    if (value.chosen !== undefined && value.rejected !== undefined)
        throw new InvalidInput("this is a preference pair (chosen/rejected), not an SFT example; train GRPO or a Bradley–Terry model on it, or distil reasoning traces from it first", {field: "chosen", location});
    if (value.prompt !== undefined || value.completion !== undefined) {
        const prompt = typeof value.prompt === "string" ? [{role: "user" as const, content: value.prompt}] : toMessages(value.prompt, "prompt", location);
        let response: string;
        if (typeof value.completion === "string") {
            response = value.completion;
        } else {
            const completion = toMessages(value.completion, "completion", location);
            if (completion.length !== 1 || completion[0].role !== "assistant")
                throw new InvalidInput("'completion' must be a string or a single assistant message", {field: "completion", location});
            response = completion[0].content;
        }
        return {id, prompt, response, location};
    }
    const keys = Object.keys(value).join(", ") || "(none)";
    throw new InvalidInput(
        `cannot tell what kind of SFT row this is (it has fields ${keys}); use {context_messages, winner: <trace>}, {messages: [..., assistant]}, {prompt, completion} or {input, output}`,
        {location}
    );
}

/** Read SFT examples from a file, folder or `hf:` URI. Bad rows go to `onBadRow`, else throw. */
export async function* readSftExamples(source: string, options: ReadRowsOptions & {onBadRow?: (error: InvalidInput, row: SourceRow) => void} = {}): AsyncGenerator<SftExample> {
    for await (const row of readRows(source, options)) {
        try {
            yield sftExampleFromRow(row.value, row.index, row.location);
        } catch (e) {
            if (options.onBadRow == null || !(e instanceof InvalidInput)) throw e;
            options.onBadRow(e, row);
        }
    }
}

const tokenizer = new ByteTokenizer();

/**
 * Tokenise an example with the byte chat template: the prompt with the generation prompt
 * (`<assistant>`), then the response bytes and `<eos>`. With `trainOnHeader` the `<assistant>`
 * token is trained too, as the reference's OpenRLHF preprocessing trains the assistant header.
 */
export function tokenizeSft(example: SftExample, options: {trainOnHeader?: boolean} = {}): SftSequence {
    const prompt = tokenizer.applyChatTemplate(example.prompt, {addGenerationPrompt: true});
    const response = tokenizer.encode(example.response);
    const tokens = new Uint16Array(prompt.length + response.length + 1);
    tokens.set(prompt, 0);
    tokens.set(response, prompt.length);
    tokens[tokens.length - 1] = specialTokens.eos;
    return {id: example.id, tokens, lossStart: options.trainOnHeader === true ? prompt.length - 1 : prompt.length};
}
