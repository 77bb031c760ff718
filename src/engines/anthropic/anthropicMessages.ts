// The Anthropic Messages wire format: a `GenerateRequest` as a `/v1/messages` body (system messages
// lifted to the top-level `system`), and a `message` body as a completion. The online engine and
// Message Batches files (`{custom_id, params}` per line) both use these.
import {EngineProtocolError, InvalidInput} from "../../errors.js";
import type {FinishReason, GenerateRequest} from "../Engine.js";
import type {ParsedChat} from "../fanOut.js";

/** `max_tokens` when the request sets none: the API requires one, and 4096 is the largest every Claude model accepts. */
export const anthropicDefaultMaxTokens = 4096;

export interface AnthropicMessagesBodyOptions {
    /** `max_tokens` when the request has no `maxTokens`. Defaults to `4096`. */
    defaultMaxTokens?: number;
}

/**
 * The Messages body for one sample of `request`. The API has no `n`, no seed and no logprobs: fan
 * `n > 1` out first (`fanOutRequest`); seed and logprobs are not sent. `top_p` is sent only when set
 * to something other than 1, since recent models refuse `temperature` and `top_p` together.
 */
export function toAnthropicMessagesBody(request: GenerateRequest, model: string, options: AnthropicMessagesBodyOptions = {}): Record<string, unknown> {
    const o = request.options ?? {};
    if (o.n != null && o.n > 1)
        throw new InvalidInput("the Anthropic Messages API has no `n`: split the request with fanOutRequest() first", {field: "options.n"});
    const system = request.messages.filter((m) => m.role === "system").map((m) => m.content);
    const body: Record<string, unknown> = {
        model,
        max_tokens: o.maxTokens ?? options.defaultMaxTokens ?? anthropicDefaultMaxTokens,
        messages: request.messages.filter((m) => m.role !== "system").map(({role, content}) => ({role, content})),
        temperature: o.temperature ?? 0
    };
    if (system.length > 0) body.system = system.join("\n\n");
    if (o.topP != null && o.topP !== 1) body.top_p = o.topP;
    if (o.stop != null && o.stop.length > 0) body.stop_sequences = o.stop;
    return body;
}

const stopReasons: Record<string, FinishReason> = {
    end_turn: "stop",
    stop_sequence: "stop",
    tool_use: "stop",
    pause_turn: "stop",
    max_tokens: "length",
    model_context_window_exceeded: "length",
    refusal: "content_filter"
};

/** Read a `message` body; throws `EngineProtocolError` when it is not one. */
export function parseAnthropicMessage(json: unknown): ParsedChat {
    if (json == null || typeof json !== "object" || Array.isArray(json))
        throw new EngineProtocolError("the answer is not a JSON object");
    const body = json as Record<string, any>;
    if (body.type === "error" || body.error != null)
        throw new EngineProtocolError(`the answer is an error: ${JSON.stringify(body.error ?? body).slice(0, 300)}`);
    if (!Array.isArray(body.content)) throw new EngineProtocolError("the answer has no `content` array");
    const text = body.content
        .filter((block: any) => block?.type === "text")
        .map((block: any) => {
            if (typeof block.text !== "string") throw new EngineProtocolError("a text block has no `text`");
            return block.text as string;
        })
        .join("");
    const usage = body.usage ?? {};
    return {
        completions: [{text, finishReason: stopReasons[body.stop_reason as string] ?? "stop"}],
        // Prompt tokens read from or written to Anthropic's prompt cache are prompt tokens too.
        promptTokens: count(usage.input_tokens) + count(usage.cache_creation_input_tokens) + count(usage.cache_read_input_tokens),
        completionTokens: count(usage.output_tokens),
        model: typeof body.model === "string" ? body.model : ""
    };
}

function count(value: unknown): number {
    return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : 0;
}
