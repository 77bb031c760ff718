// `POST /v1/chat/completions`: the OpenAI chat-completions protocol over any rmr1 engine (ecosystem
// §3.4), so OpenAI clients (openai-node, the Python SDK, rmr1's own `openai:` engine, vLLM-style
// tooling) can use the native and GGUF models served here. Non-streaming answers are
// `chat.completion` objects; with `"stream": true` the answer is server-sent events in the
// `chat.completion.chunk` shape ending with `data: [DONE]`. The engine interface returns whole
// completions, so a stream carries each completion in one content chunk (no token-by-token timing).
import {randomUUID} from "node:crypto";
import {InvalidInput} from "../errors.js";
import type {Completion, GenerateRequest, GenerateResult, SamplingOptions, TokenLogprob} from "../engines/Engine.js";
import type {Message} from "../protocol/types.js";

/** Limits of the chat route. */
export interface ChatLimits {
    /** Most completions per request (`n`). */
    maxN: number;
    /** Most messages per request. */
    maxMessages: number;
}

export interface ChatCall {
    request: GenerateRequest;
    stream: boolean;
    /** `stream_options.include_usage`: end the stream with a usage chunk. */
    includeUsage: boolean;
    /** The `model` the client named (echoed back when given). */
    model?: string;
}

const roles = new Set(["system", "user", "assistant", "developer"]);

/** Fields that would change the answer and that the engines here cannot honour. */
const unsupported = ["tools", "tool_choice", "functions", "function_call", "logit_bias", "audio", "modalities", "prediction"];

/** Check a chat-completions body and turn it into a `GenerateRequest`; `InvalidInput` names the field. */
export function parseChatRequest(body: unknown, limits: ChatLimits): ChatCall {
    if (body == null || typeof body !== "object" || Array.isArray(body))
        throw new InvalidInput("the body must be a JSON object with 'messages'");
    const b = body as Record<string, unknown>;
    for (const name of unsupported) {
        if (b[name] != null) throw new InvalidInput(`'${name}' is not supported by this server (rmr1 engines generate plain text)`, {field: name});
    }
    for (const name of ["frequency_penalty", "presence_penalty"]) {
        if (b[name] != null && b[name] !== 0) throw new InvalidInput(`'${name}' is not supported by this server; leave it unset or 0`, {field: name});
    }
    const format = b.response_format as {type?: unknown} | undefined;
    if (format != null && format.type !== "text")
        throw new InvalidInput("'response_format' other than {\"type\": \"text\"} is not supported by this server", {field: "response_format.type"});
    const messages = parseMessages(b.messages, limits.maxMessages);
    const options: SamplingOptions = {};
    const n = optionalNumber(b, "n", (x) => Number.isInteger(x) && x >= 1 && x <= limits.maxN, `an integer from 1 to ${limits.maxN}`);
    if (n != null) options.n = n;
    const temperature = optionalNumber(b, "temperature", (x) => x >= 0 && x <= 2, "a number from 0 to 2");
    // OpenAI's default temperature is 1; a client that omits it gets sampling, as it would there.
    options.temperature = temperature ?? 1;
    const topP = optionalNumber(b, "top_p", (x) => x > 0 && x <= 1, "a number in (0, 1]");
    if (topP != null) options.topP = topP;
    const maxCompletion = optionalNumber(b, "max_completion_tokens", (x) => Number.isInteger(x) && x >= 1, "an integer >= 1");
    const maxTokens = optionalNumber(b, "max_tokens", (x) => Number.isInteger(x) && x >= 1, "an integer >= 1");
    if (maxCompletion != null || maxTokens != null) options.maxTokens = maxCompletion ?? maxTokens;
    const seed = optionalNumber(b, "seed", (x) => Number.isSafeInteger(x), "an integer");
    if (seed != null) options.seed = seed;
    if (b.stop != null) {
        const stop = typeof b.stop === "string" ? [b.stop] : b.stop;
        if (!Array.isArray(stop) || stop.length > 4 || !stop.every((s) => typeof s === "string" && s !== ""))
            throw new InvalidInput("'stop' must be a non-empty string or a list of up to 4 of them", {field: "stop"});
        options.stop = stop as string[];
    }
    if (b.logprobs != null && typeof b.logprobs !== "boolean") throw new InvalidInput("'logprobs' must be true or false", {field: "logprobs"});
    const topLogprobs = optionalNumber(b, "top_logprobs", (x) => Number.isInteger(x) && x >= 0 && x <= 20, "an integer from 0 to 20");
    if (topLogprobs != null && b.logprobs !== true) throw new InvalidInput("'top_logprobs' needs 'logprobs': true", {field: "top_logprobs"});
    if (b.logprobs === true) {
        options.logprobs = true;
        if (topLogprobs != null && topLogprobs > 0) options.topLogprobs = topLogprobs;
    }
    if (b.stream != null && typeof b.stream !== "boolean") throw new InvalidInput("'stream' must be true or false", {field: "stream"});
    const streamOptions = b.stream_options as {include_usage?: unknown} | undefined;
    if (streamOptions != null && (typeof streamOptions !== "object" || (streamOptions.include_usage != null && typeof streamOptions.include_usage !== "boolean")))
        throw new InvalidInput("'stream_options' must be {\"include_usage\": true|false}", {field: "stream_options"});
    if (b.model != null && typeof b.model !== "string") throw new InvalidInput("'model' must be a string", {field: "model"});
    return {
        request: {messages, options},
        stream: b.stream === true,
        includeUsage: streamOptions?.include_usage === true,
        ...(typeof b.model === "string" ? {model: b.model} : {})
    };
}

function optionalNumber(b: Record<string, unknown>, name: string, ok: (x: number) => boolean, what: string): number | undefined {
    const v = b[name];
    if (v == null) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v) || !ok(v)) throw new InvalidInput(`'${name}' must be ${what}, got ${JSON.stringify(v)}`, {field: name});
    return v;
}

function parseMessages(value: unknown, maxMessages: number): Message[] {
    if (!Array.isArray(value) || value.length === 0) throw new InvalidInput("'messages' must be a non-empty list of {role, content}", {field: "messages"});
    if (value.length > maxMessages) throw new InvalidInput(`'messages' has ${value.length} entries; this server takes at most ${maxMessages}`, {field: "messages"});
    return value.map((m: unknown, i): Message => {
        const field = `messages[${i}]`;
        if (m == null || typeof m !== "object") throw new InvalidInput(`'${field}' must be an object {role, content}`, {field});
        const {role, content} = m as {role?: unknown, content?: unknown};
        if (typeof role !== "string" || !roles.has(role))
            throw new InvalidInput(`'${field}.role' must be system, developer, user or assistant, got ${JSON.stringify(role)}`, {field: `${field}.role`});
        let text: string;
        if (typeof content === "string") text = content;
        else if (Array.isArray(content)) {
            // Content parts: only text parts can be given to a text model.
            text = content.map((part: unknown, j) => {
                const p = part as {type?: unknown, text?: unknown};
                if (p?.type !== "text" || typeof p.text !== "string")
                    throw new InvalidInput(`'${field}.content[${j}]' must be a text part {"type": "text", "text": ...}; this server serves text models`, {field: `${field}.content[${j}]`});
                return p.text;
            }).join("");
        } else throw new InvalidInput(`'${field}.content' must be a string or a list of text parts`, {field: `${field}.content`});
        return {role: role === "developer" ? "system" : role as Message["role"], content: text};
    });
}

/** What the answer reports besides the engine result. */
export interface ChatMeta {
    model: string;
    systemFingerprint: string;
    /** Defaults to a new `chatcmpl-` id. */
    id?: string;
    /** Unix seconds. Defaults to now. */
    created?: number;
}

function finishReason(c: Completion): string {
    return c.finishReason === "error" ? "stop" : c.finishReason;
}

function logprobsObject(logprobs: TokenLogprob[] | undefined): {content: unknown[]} | null {
    if (logprobs == null) return null;
    return {
        content: logprobs.map((t) => ({
            token: t.token,
            logprob: t.logprob,
            bytes: [...Buffer.from(t.token, "utf8")],
            top_logprobs: (t.top ?? []).map((a) => ({token: a.token, logprob: a.logprob, bytes: [...Buffer.from(a.token, "utf8")]}))
        }))
    };
}

function usageObject(result: GenerateResult): {prompt_tokens: number, completion_tokens: number, total_tokens: number} {
    return {
        prompt_tokens: result.usage.promptTokens,
        completion_tokens: result.usage.completionTokens,
        total_tokens: result.usage.promptTokens + result.usage.completionTokens
    };
}

/** A `chat.completion` object for an engine result. */
export function toChatCompletion(result: GenerateResult, meta: ChatMeta): Record<string, unknown> {
    return {
        id: meta.id ?? `chatcmpl-${randomUUID().replace(/-/g, "")}`,
        object: "chat.completion",
        created: meta.created ?? Math.floor(Date.now() / 1000),
        model: meta.model,
        system_fingerprint: meta.systemFingerprint,
        choices: result.completions.map((c, index) => ({
            index,
            message: {role: "assistant", content: c.text},
            logprobs: logprobsObject(c.logprobs),
            finish_reason: finishReason(c)
        })),
        usage: usageObject(result)
    };
}

/** The server-sent events of a streamed answer, each a complete `data: ...\n\n` line. */
export function toChatChunks(result: GenerateResult, meta: ChatMeta, includeUsage: boolean): string[] {
    const base = {
        id: meta.id ?? `chatcmpl-${randomUUID().replace(/-/g, "")}`,
        object: "chat.completion.chunk",
        created: meta.created ?? Math.floor(Date.now() / 1000),
        model: meta.model,
        system_fingerprint: meta.systemFingerprint
    };
    const event = (payload: Record<string, unknown>) => `data: ${JSON.stringify({...base, ...payload, ...(includeUsage ? {usage: payload.usage ?? null} : {})})}\n\n`;
    const out: string[] = [];
    result.completions.forEach((c, index) => {
        out.push(event({choices: [{index, delta: {role: "assistant", content: ""}, logprobs: null, finish_reason: null}]}));
        out.push(event({choices: [{index, delta: {content: c.text}, logprobs: logprobsObject(c.logprobs), finish_reason: null}]}));
        out.push(event({choices: [{index, delta: {}, logprobs: null, finish_reason: finishReason(c)}]}));
    });
    if (includeUsage) out.push(event({choices: [], usage: usageObject(result)}));
    out.push("data: [DONE]\n\n");
    return out;
}
