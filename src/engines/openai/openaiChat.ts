// The OpenAI chat-completions wire format: a `GenerateRequest` as a request body, and a response
// body as completions, usage and logprobs. The online engine and the OpenAI Batch files (one body
// per JSONL line) both use these, so a batch asks exactly what an online call would.
import {EngineProtocolError} from "../../errors.js";
import type {Completion, FinishReason, GenerateRequest, TokenLogprob} from "../Engine.js";
import type {ParsedChat} from "../fanOut.js";

export interface OpenAIChatBodyOptions {
    /**
     * Field carrying `maxTokens`: `max_tokens` (read by vLLM, SGLang, llama.cpp server, Ollama) or
     * `max_completion_tokens` (OpenAI's current name, the only one its reasoning models accept).
     * Defaults to `"max_tokens"`.
     */
    maxTokensField?: "max_tokens" | "max_completion_tokens";
    /**
     * Send `top_p: 1` when the request leaves `topP` unset. Servers such as vLLM otherwise apply the
     * model's `generation_config.json` (often top_p < 1), so the same request samples differently on
     * different servers. OpenAI's reasoning models reject `top_p` altogether, hence the switch.
     * Defaults to `true`.
     */
    explicitTopP?: boolean;
    /** Extra fields for the server (vLLM's `top_k`, `min_p`, `repetition_penalty`, ...); the request's own fields win. Defaults to none. */
    extraBody?: Record<string, unknown>;
}

/**
 * The `/chat/completions` body for `request`. `temperature` is always sent (default 0, greedy) since
 * servers default to 1; `n` is sent only when above 1.
 */
export function toOpenAIChatBody(request: GenerateRequest, model: string, options: OpenAIChatBodyOptions = {}): Record<string, unknown> {
    const o = request.options ?? {};
    const body: Record<string, unknown> = {
        ...options.extraBody,
        model,
        messages: request.messages.map(({role, content}) => ({role, content})),
        temperature: o.temperature ?? 0
    };
    if (o.topP != null) body.top_p = o.topP;
    else if (options.explicitTopP ?? true) body.top_p = 1;
    if (o.maxTokens != null) body[options.maxTokensField ?? "max_tokens"] = o.maxTokens;
    if (o.stop != null && o.stop.length > 0) body.stop = o.stop;
    if (o.seed != null) body.seed = o.seed;
    if (o.n != null && o.n > 1) body.n = o.n;
    if (o.logprobs === true) {
        body.logprobs = true;
        if (o.topLogprobs != null && o.topLogprobs > 0) body.top_logprobs = o.topLogprobs;
    }
    return body;
}

const finishReasons: Record<string, FinishReason> = {
    stop: "stop",
    length: "length",
    content_filter: "content_filter",
    tool_calls: "stop",
    function_call: "stop",
    eos: "stop"
};

/**
 * Read a `chat.completion` body. Throws `EngineProtocolError` (a malformed answer, retried by the
 * client) when it is not one: no `choices`, a choice without a message, content that is not text.
 */
export function parseOpenAIChatCompletion(json: unknown): ParsedChat {
    if (json == null || typeof json !== "object" || Array.isArray(json))
        throw new EngineProtocolError("the answer is not a JSON object");
    const body = json as Record<string, any>;
    if (body.error != null) throw new EngineProtocolError(`the answer is an error: ${JSON.stringify(body.error).slice(0, 300)}`);
    if (!Array.isArray(body.choices) || body.choices.length === 0)
        throw new EngineProtocolError("the answer has no `choices`");
    const choices = [...body.choices as any[]].sort((a, b) => (a?.index ?? 0) - (b?.index ?? 0));
    const completions = choices.map((choice, i): Completion => {
        const message = choice?.message;
        if (message == null || typeof message !== "object") throw new EngineProtocolError(`choices[${i}] has no \`message\``);
        const content = message.content;
        if (content != null && typeof content !== "string") throw new EngineProtocolError(`choices[${i}].message.content is not a string`);
        const completion: Completion = {
            text: content ?? "",
            finishReason: finishReasons[choice.finish_reason as string] ?? "stop"
        };
        const logprobs = parseLogprobs(choice.logprobs, i);
        if (logprobs != null) completion.logprobs = logprobs;
        return completion;
    });
    const usage = body.usage ?? {};
    const parsed: ParsedChat = {
        completions,
        promptTokens: count(usage.prompt_tokens),
        completionTokens: count(usage.completion_tokens),
        model: typeof body.model === "string" ? body.model : ""
    };
    if (typeof body.system_fingerprint === "string" && body.system_fingerprint !== "") parsed.systemFingerprint = body.system_fingerprint;
    return parsed;
}

/** `choices[i].logprobs.content` ({token, logprob, top_logprobs}[]) as `TokenLogprob[]`. */
function parseLogprobs(logprobs: any, i: number): TokenLogprob[] | undefined {
    const content = logprobs?.content;
    if (content == null) return undefined;
    if (!Array.isArray(content)) throw new EngineProtocolError(`choices[${i}].logprobs.content is not an array`);
    return content.map((entry: any, t: number): TokenLogprob => {
        if (typeof entry?.token !== "string" || typeof entry?.logprob !== "number")
            throw new EngineProtocolError(`choices[${i}].logprobs.content[${t}] lacks a token or logprob`);
        const token: TokenLogprob = {token: entry.token, logprob: entry.logprob};
        if (Array.isArray(entry.top_logprobs) && entry.top_logprobs.length > 0) {
            token.top = entry.top_logprobs
                .filter((alt: any) => typeof alt?.token === "string" && typeof alt?.logprob === "number")
                .map((alt: any) => ({token: alt.token, logprob: alt.logprob}))
                .sort((a: {logprob: number}, b: {logprob: number}) => b.logprob - a.logprob);
        }
        return token;
    });
}

function count(value: unknown): number {
    return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : 0;
}
