import {describe, expect, it} from "vitest";
import {EngineProtocolError} from "../../errors.js";
import {parseOpenAIChatCompletion, toOpenAIChatBody} from "./openaiChat.js";

describe("toOpenAIChatBody", () => {
    const request = {messages: [{role: "user" as const, content: "hi"}]};
    it("spells out temperature and top_p, and only the options that are set", () => {
        expect(toOpenAIChatBody(request, "m")).toEqual({model: "m", messages: [{role: "user", content: "hi"}], temperature: 0, top_p: 1});
        expect(toOpenAIChatBody(request, "m", {explicitTopP: false})).not.toHaveProperty("top_p");
        expect(toOpenAIChatBody({...request, options: {n: 1, logprobs: false, topLogprobs: 5}}, "m")).toEqual(toOpenAIChatBody(request, "m"));
    });
    it("names the token limit as asked and lets request fields win over extraBody", () => {
        const body = toOpenAIChatBody({...request, options: {maxTokens: 8, temperature: 0.7}}, "m",
            {maxTokensField: "max_completion_tokens", extraBody: {temperature: 2, top_k: 20}});
        expect(body).toMatchObject({max_completion_tokens: 8, temperature: 0.7, top_k: 20});
        expect(body).not.toHaveProperty("max_tokens");
    });
});

describe("parseOpenAIChatCompletion", () => {
    it("orders choices by index and maps finish reasons", () => {
        const parsed = parseOpenAIChatCompletion({
            model: "m",
            choices: [
                {index: 1, message: {content: "b"}, finish_reason: "length"},
                {index: 0, message: {content: null}, finish_reason: "content_filter"}
            ],
            usage: {prompt_tokens: 5, completion_tokens: 2}
        });
        expect(parsed.completions).toEqual([{text: "", finishReason: "content_filter"}, {text: "b", finishReason: "length"}]);
        expect(parsed.promptTokens).toBe(5);
        expect(parsed.systemFingerprint).toBeUndefined();
    });
    it("rejects bodies that are not the protocol", () => {
        for (const body of [null, [], "x", {}, {choices: []}, {choices: [{}]}, {choices: [{message: {content: 3}}]}, {error: {message: "boom"}},
            {choices: [{message: {content: "x"}, logprobs: {content: [{token: "x"}]}}]}])
            expect(() => parseOpenAIChatCompletion(body)).toThrow(EngineProtocolError);
    });
});
