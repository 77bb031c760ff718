import {describe, expect, it} from "vitest";
import {InvalidInput} from "../errors.js";
import {parseChatRequest, toChatChunks, toChatCompletion} from "./chatCompletions.js";

const limits = {maxN: 4, maxMessages: 10};
const fieldOf = (body: unknown) => {
    try {
        parseChatRequest(body, limits);
    } catch (e) {
        if (e instanceof InvalidInput) return e.field;
        throw e;
    }
    return null;
};

describe("chat completions", () => {
    it("maps an OpenAI body to a generate request", () => {
        const call = parseChatRequest({
            model: "m",
            messages: [{role: "developer", content: "Be brief."}, {role: "user", content: [{type: "text", text: "Hi "}, {type: "text", text: "there"}]}],
            n: 2, temperature: 0.5, top_p: 0.9, max_completion_tokens: 30, max_tokens: 99, stop: "END", seed: 7, logprobs: true, top_logprobs: 3,
            stream: true, stream_options: {include_usage: true}, user: "ignored", frequency_penalty: 0
        }, limits);
        expect(call).toEqual({
            request: {
                messages: [{role: "system", content: "Be brief."}, {role: "user", content: "Hi there"}],
                options: {n: 2, temperature: 0.5, topP: 0.9, maxTokens: 30, stop: ["END"], seed: 7, logprobs: true, topLogprobs: 3}
            },
            stream: true, includeUsage: true, model: "m"
        });
        // OpenAI's default temperature is 1.
        expect(parseChatRequest({messages: [{role: "user", content: "x"}]}, limits).request.options).toEqual({temperature: 1});
    });

    it("names the field of every mistake", () => {
        const m = [{role: "user", content: "x"}];
        expect(fieldOf({})).toBe("messages");
        expect(fieldOf({messages: [{role: "tool", content: "x"}]})).toBe("messages[0].role");
        expect(fieldOf({messages: [{role: "user", content: [{type: "image_url"}]}]})).toBe("messages[0].content[0]");
        expect(fieldOf({messages: m, n: 5})).toBe("n");
        expect(fieldOf({messages: m, max_tokens: 0})).toBe("max_tokens");
        expect(fieldOf({messages: m, stop: ["a", "b", "c", "d", "e"]})).toBe("stop");
        expect(fieldOf({messages: m, top_logprobs: 2})).toBe("top_logprobs");
        expect(fieldOf({messages: m, response_format: {type: "json_object"}})).toBe("response_format.type");
        expect(fieldOf({messages: m, presence_penalty: 0.5})).toBe("presence_penalty");
        expect(fieldOf({messages: Array.from({length: 11}, () => m[0])})).toBe("messages");
    });

    it("answers in the chat.completion and chunk shapes", () => {
        const result = {
            completions: [{text: "Hi!", finishReason: "length" as const, logprobs: [{token: "H", logprob: -0.1, top: [{token: "H", logprob: -0.1}]}]}],
            usage: {promptTokens: 5, completionTokens: 3}, latencyMs: 1, model: "x"
        };
        const body = toChatCompletion(result, {model: "m", systemFingerprint: "fp_1", id: "chatcmpl-1", created: 100});
        expect(body).toEqual({
            id: "chatcmpl-1", object: "chat.completion", created: 100, model: "m", system_fingerprint: "fp_1",
            choices: [{index: 0, message: {role: "assistant", content: "Hi!"}, finish_reason: "length",
                logprobs: {content: [{token: "H", logprob: -0.1, bytes: [72], top_logprobs: [{token: "H", logprob: -0.1, bytes: [72]}]}]}}],
            usage: {prompt_tokens: 5, completion_tokens: 3, total_tokens: 8}
        });
        const chunks = toChatChunks(result, {model: "m", systemFingerprint: "fp_1", id: "chatcmpl-1", created: 100}, false);
        expect(chunks.at(-1)).toBe("data: [DONE]\n\n");
        const parsed = chunks.slice(0, -1).map((c) => JSON.parse(c.slice(6)));
        expect(parsed.map((c) => c.choices[0].delta)).toEqual([{role: "assistant", content: ""}, {content: "Hi!"}, {}]);
        expect(parsed[2].choices[0].finish_reason).toBe("length");
        expect(parsed.every((c) => !("usage" in c))).toBe(true);
    });
});
