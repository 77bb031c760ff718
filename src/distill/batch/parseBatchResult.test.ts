import {describe, expect, it} from "vitest";
import {InvalidInput} from "../../errors.js";
import {parseBatchResult} from "./parseBatchResult.js";

// Lines in the shapes the providers document (OpenAI Batch output/error files; Anthropic
// `MessageBatchIndividualResponse`), with our own values.
const openAIOk = {
    id: "batch_req_403hYy7n", custom_id: "p1-i0-c1", error: null,
    response: {status_code: 200, request_id: "af0bac0d", body: {
        id: "chatcmpl-A1Ef", object: "chat.completion", created: 1724858089, model: "o3-2025-04-16", system_fingerprint: "fp_f33667828e",
        choices: [{index: 0, message: {role: "assistant", content: "trace <answer>[[B]]</answer>", refusal: null}, logprobs: null, finish_reason: "stop"}],
        usage: {prompt_tokens: 24, completion_tokens: 8, total_tokens: 32}
    }}
};

describe("parseBatchResult", () => {
    it("reads an OpenAI output line with the chat-completion parser", () => {
        const r = parseBatchResult(openAIOk, "out.jsonl:1");
        expect(r).toEqual({customId: "p1-i0-c1", provider: "openai", ok: true, parsed: {
            completions: [{text: "trace <answer>[[B]]</answer>", finishReason: "stop"}], promptTokens: 24, completionTokens: 8,
            model: "o3-2025-04-16", systemFingerprint: "fp_f33667828e"
        }});
    });

    it("reads OpenAI failures: a non-200 response, an error-file line, an expired request, a malformed body", () => {
        const non200 = {...openAIOk, response: {status_code: 400, request_id: "x", body: {error: {message: "Invalid 'messages'", type: "invalid_request_error"}}}};
        expect(parseBatchResult(non200, "f:1")).toMatchObject({ok: false, kind: "errored", error: "HTTP 400: Invalid 'messages'"});
        expect(parseBatchResult({id: "b", custom_id: "c", response: null, error: {code: "server_error", message: "boom"}}, "f:2"))
            .toMatchObject({ok: false, kind: "errored", error: "server_error: boom"});
        expect(parseBatchResult({id: "b", custom_id: "c", response: null, error: {code: "batch_expired", message: "expired"}}, "f:3"))
            .toMatchObject({ok: false, kind: "expired"});
        const malformed = {...openAIOk, response: {status_code: 200, request_id: "x", body: {choices: []}}};
        expect(parseBatchResult(malformed, "f:4")).toMatchObject({ok: false, kind: "errored", error: expect.stringMatching(/^malformed answer/)});
    });

    it("reads every Anthropic result type", () => {
        const message = {id: "msg_1", type: "message", role: "assistant", model: "claude-3-7-sonnet-20250219",
            content: [{type: "text", text: "a "}, {type: "text", text: "<answer>[[A]]</answer>"}], stop_reason: "max_tokens", stop_sequence: null,
            usage: {input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 2}};
        expect(parseBatchResult({custom_id: "p1-i1-c2", result: {type: "succeeded", message}}, "r:1")).toEqual({customId: "p1-i1-c2", provider: "anthropic", ok: true, parsed: {
            completions: [{text: "a <answer>[[A]]</answer>", finishReason: "length"}], promptTokens: 12, completionTokens: 5, model: "claude-3-7-sonnet-20250219"
        }});
        expect(parseBatchResult({custom_id: "x", result: {type: "errored", error: {type: "error", error: {type: "overloaded_error", message: "Overloaded"}}}}, "r:2"))
            .toMatchObject({ok: false, kind: "errored", error: "overloaded_error: Overloaded"});
        expect(parseBatchResult({custom_id: "x", result: {type: "expired"}}, "r:3")).toMatchObject({ok: false, kind: "expired"});
        expect(parseBatchResult({custom_id: "x", result: {type: "canceled"}}, "r:4")).toMatchObject({ok: false, kind: "canceled"});
    });

    it("names the line of anything that is not a result", () => {
        expect(() => parseBatchResult([1], "f:7")).toThrow(InvalidInput);
        expect(() => parseBatchResult({id: 1}, "f:8")).toThrow(/^f:8: a batch result line needs a string 'custom_id'/);
        expect(() => parseBatchResult({custom_id: "a", answer: 1}, "f:9")).toThrow(/neither 'response'\/'error'/);
        expect(() => parseBatchResult({custom_id: "a", result: {type: "done"}}, "f:10")).toThrow(/unknown Anthropic batch result type "done"/);
    });
});
