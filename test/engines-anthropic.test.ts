// The Anthropic Messages engine against a local server speaking the Messages protocol.
import {describe, expect, it} from "vitest";
import {ConfigError, EngineAuthError, EngineRateLimited} from "../src/errors.js";
import {AnthropicEngine} from "../src/engines/anthropic/AnthropicEngine.js";
import type {AnthropicEngineOptions} from "../src/engines/anthropic/AnthropicEngine.js";
import {toAnthropicMessagesBody} from "../src/engines/anthropic/anthropicMessages.js";
import {scriptedServers} from "./helpers/scriptedServers.js";

const {server, track} = scriptedServers();

function engine(options: Partial<AnthropicEngineOptions> & {baseUrls: string | string[]}): AnthropicEngine {
    return track(new AnthropicEngine({model: "claude-test", apiKey: "key-1", retryBaseMs: 2, retryMaxMs: 10, ...options}));
}

describe("AnthropicEngine", () => {
    it("lifts system messages to `system`, sends the headers and a default max_tokens", async () => {
        const s = await server({apiKey: "key-1"});
        const [result] = await engine({baseUrls: s.url}).generate([{
            messages: [
                {role: "system", content: "You are a judge."},
                {role: "user", content: "first"},
                {role: "assistant", content: "noted"},
                {role: "user", content: "which one"}
            ],
            options: {temperature: 0.5, stop: ["</answer>"]}
        }]);
        const seen = s.requests[0];
        expect(seen.path).toBe("/v1/messages");
        expect(seen.headers["x-api-key"]).toBe("key-1");
        expect(seen.headers["anthropic-version"]).toBe("2023-06-01");
        expect(seen.body).toEqual({
            model: "claude-test",
            max_tokens: 4096,
            system: "You are a judge.",
            messages: [{role: "user", content: "first"}, {role: "assistant", content: "noted"}, {role: "user", content: "which one"}],
            temperature: 0.5,
            stop_sequences: ["</answer>"]
        });
        expect(result.completions).toEqual([{text: "echo: which one", finishReason: "stop"}]);
        expect(result.usage).toEqual({promptTokens: 8, completionTokens: 3});
        expect(result.model).toBe("claude-test");
    });

    it("maps stop_reason: max_tokens → length, stop_sequence → stop", async () => {
        const s = await server();
        const e = engine({baseUrls: s.url});
        const [long] = await e.generate([{messages: [{role: "user", content: "a b c d e"}], options: {maxTokens: 2}}]);
        expect(long.completions[0]).toEqual({text: "echo: a ", finishReason: "length"});
        const [stopped] = await e.generate([{messages: [{role: "user", content: "a b STOP c"}], options: {stop: ["STOP"]}}]);
        expect(stopped.completions[0]).toEqual({text: "echo: a b ", finishReason: "stop"});
    });

    it("fans n > 1 out as n requests (the API has no n)", async () => {
        const s = await server();
        const [result] = await engine({baseUrls: s.url}).generate([{messages: [{role: "user", content: "q"}], options: {n: 3, temperature: 1}}]);
        expect(result.completions).toHaveLength(3);
        expect(s.requests).toHaveLength(3);
        expect(s.requests.every((r) => !("n" in r.body) && !("seed" in r.body))).toBe(true);
        expect(result.usage.completionTokens).toBe(6);
    });

    it("retries 529 overloaded and 429 with Retry-After, then answers", async () => {
        const s = await server();
        s.failNext(
            {kind: "status", status: 529, body: JSON.stringify({type: "error", error: {type: "overloaded_error", message: "Overloaded"}})},
            {kind: "status", status: 429, headers: {"retry-after": "0.2"}}
        );
        const [result] = await engine({baseUrls: s.url}).generate([{messages: [{role: "user", content: "x"}]}]);
        expect(result.completions[0].text).toBe("echo: x");
        expect(s.requests.map((r) => r.outcome)).toEqual(["status", "status", "ok"]);
        expect(s.requests[2].at - s.requests[1].at).toBeGreaterThanOrEqual(190);
    });

    it("surfaces rate limits and auth failures as typed errors naming the fix", async () => {
        const s = await server({apiKey: "right", fault: (r) => (r.body.messages[0].content === "limited" ? {kind: "status", status: 429} : undefined)});
        const limited = await engine({baseUrls: s.url, apiKey: "right", retries: 1}).generate([{messages: [{role: "user", content: "limited"}]}]).catch((e: unknown) => e);
        expect(limited).toBeInstanceOf(EngineRateLimited);
        const denied = await engine({baseUrls: s.url, apiKey: "wrong"}).generate([{messages: [{role: "user", content: "x"}]}]).catch((e: unknown) => e);
        expect(denied).toBeInstanceOf(EngineAuthError);
        expect((denied as Error).message).toMatch(/invalid x-api-key.*ANTHROPIC_API_KEY/);
    });

    it("computes cost from the price table", async () => {
        const s = await server();
        const [result] = await engine({baseUrls: s.url, prices: {"claude-test": {inputPer1M: 3, outputPer1M: 15}}})
            .generate([{messages: [{role: "user", content: "x y"}]}]);
        expect(result.usage.costUsd).toBeCloseTo((2 * 3 + 3 * 15) / 1e6, 15);
    });

    it("needs ANTHROPIC_API_KEY for api.anthropic.com", () => {
        const saved = process.env.ANTHROPIC_API_KEY;
        delete process.env.ANTHROPIC_API_KEY;
        try {
            expect(() => new AnthropicEngine({model: "claude-sonnet-4-5"})).toThrow(ConfigError);
            expect(() => new AnthropicEngine({model: "claude-sonnet-4-5"})).toThrow(/ANTHROPIC_API_KEY/);
        } finally {
            if (saved != null) process.env.ANTHROPIC_API_KEY = saved;
        }
    });

    it("accepts a base URL with /v1 as the SDKs' root", async () => {
        const s = await server();
        await engine({baseUrls: `${s.url}/v1/`}).generate([{messages: [{role: "user", content: "x"}]}]);
        expect(s.requests[0].path).toBe("/v1/messages");
    });

    it("builds batch bodies identical to online ones, and refuses n > 1 there", () => {
        const request = {messages: [{role: "system" as const, content: "S"}, {role: "user" as const, content: "U"}], options: {maxTokens: 10, topP: 0.9}};
        expect(toAnthropicMessagesBody(request, "m")).toEqual({
            model: "m", max_tokens: 10, system: "S", messages: [{role: "user", content: "U"}], temperature: 0, top_p: 0.9
        });
        expect(() => toAnthropicMessagesBody({...request, options: {n: 2}}, "m")).toThrow(/fanOutRequest/);
    });
});
