// Reading the result files of the two batch APIs, line by line, into answers or failures.
//   OpenAI (output and error files): `{"id", "custom_id", "response": {"status_code", "request_id",
//     "body": <chat.completion>} | null, "error": {"code", "message"} | null}`; a request that expired
//     with its batch has `error.code` `batch_expired`.
//   Anthropic (results_url JSONL): `{"custom_id", "result": {"type": "succeeded", "message": <message>}
//     | {"type": "errored", "error": {"type": "error", "error": {"type", "message"}}}
//     | {"type": "canceled"} | {"type": "expired"}}`.
// Answers are read with the engines' response parsers (`parseOpenAIChatCompletion`,
// `parseAnthropicMessage`), as online answers are.
import {EngineProtocolError, InvalidInput} from "../../errors.js";
import {parseAnthropicMessage} from "../../engines/anthropic/anthropicMessages.js";
import type {ParsedChat} from "../../engines/fanOut.js";
import {parseOpenAIChatCompletion} from "../../engines/openai/openaiChat.js";
import type {BatchProvider} from "./BatchTarget.js";

/** What happened to one request of a batch. */
export type BatchResult =
    | {customId: string, provider: BatchProvider, ok: true, parsed: ParsedChat}
    | {customId: string, provider: BatchProvider, ok: false, kind: "errored" | "expired" | "canceled", error: string};

/** One result line (parsed JSON) of either provider; `location` (`file:line`) names it in errors. */
export function parseBatchResult(value: unknown, location: string): BatchResult {
    if (value == null || typeof value !== "object" || Array.isArray(value))
        throw new InvalidInput("a batch result line must be a JSON object", {location});
    const line = value as Record<string, any>;
    const customId = line.custom_id;
    if (typeof customId !== "string" || customId === "")
        throw new InvalidInput("a batch result line needs a string 'custom_id'; is this a batch result file (OpenAI output/error file, Anthropic results)?", {field: "custom_id", location});
    if ("result" in line) return anthropicResult(customId, line.result, location);
    if ("response" in line || "error" in line) return openAIResult(customId, line, location);
    throw new InvalidInput("not a batch result line: it has neither 'response'/'error' (OpenAI Batch) nor 'result' (Anthropic Message Batches)", {location});
}

function openAIResult(customId: string, line: Record<string, any>, location: string): BatchResult {
    const fail = (kind: "errored" | "expired", error: string): BatchResult => ({customId, provider: "openai", ok: false, kind, error});
    if (line.error != null) {
        const code = typeof line.error.code === "string" ? line.error.code : "error";
        return fail(code === "batch_expired" ? "expired" : "errored", `${code}: ${String(line.error.message ?? "").slice(0, 500)}`);
    }
    const response = line.response;
    if (response == null || typeof response !== "object")
        throw new InvalidInput("an OpenAI batch result line has neither 'response' nor 'error'", {field: "response", location});
    if (response.status_code !== 200) {
        const message = response.body?.error?.message ?? JSON.stringify(response.body ?? null);
        return fail("errored", `HTTP ${String(response.status_code)}: ${String(message).slice(0, 500)}`);
    }
    return parsed(customId, "openai", () => parseOpenAIChatCompletion(response.body));
}

function anthropicResult(customId: string, result: any, location: string): BatchResult {
    const type = result?.type;
    if (type === "succeeded") return parsed(customId, "anthropic", () => parseAnthropicMessage(result.message));
    if (type === "errored") {
        const inner = result.error?.error ?? result.error;
        const text = typeof inner?.message === "string" ? `${String(inner.type ?? "error")}: ${inner.message}` : JSON.stringify(result.error ?? null);
        return {customId, provider: "anthropic", ok: false, kind: "errored", error: text.slice(0, 500)};
    }
    if (type === "canceled" || type === "expired") return {customId, provider: "anthropic", ok: false, kind: type, error: `the request was ${type} before it ran`};
    throw new InvalidInput(`unknown Anthropic batch result type ${JSON.stringify(type)}; expected succeeded, errored, canceled or expired`, {field: "result.type", location});
}

/** A succeeded line whose body is not the protocol counts as errored (it is re-queued), not as a crash. */
function parsed(customId: string, provider: BatchProvider, parse: () => ParsedChat): BatchResult {
    try {
        return {customId, provider, ok: true, parsed: parse()};
    } catch (e) {
        if (!(e instanceof EngineProtocolError)) throw e;
        return {customId, provider, ok: false, kind: "errored", error: `malformed answer: ${e.message}`};
    }
}
