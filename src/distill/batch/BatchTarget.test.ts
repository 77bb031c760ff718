import {afterEach, describe, expect, it} from "vitest";
import {ConfigError} from "../../errors.js";
import {batchFileText, batchRequestLine, batchTarget, splitBatches} from "./BatchTarget.js";

const env = {...process.env};
afterEach(() => {
    process.env = {...env};
});

describe("batchTarget", () => {
    it("targets the providers' own APIs with their prices and body options by default", () => {
        delete process.env.OPENAI_BASE_URL;
        delete process.env.ANTHROPIC_BASE_URL;
        const o3 = batchTarget("openai:o3-2025-04-16");
        expect(o3).toMatchObject({provider: "openai", model: "o3-2025-04-16", id: "openai:o3-2025-04-16", baseUrl: "https://api.openai.com/v1", official: true,
            price: {inputPer1M: 2, outputPer1M: 8}, openAIBody: {maxTokensField: "max_completion_tokens", explicitTopP: false}});
        const line = batchRequestLine(o3, "p2-i3-c9", {messages: [{role: "user", content: "hi"}], options: {temperature: 1, maxTokens: 100}});
        expect(line).toEqual({custom_id: "p2-i3-c9", method: "POST", url: "/v1/chat/completions",
            body: {model: "o3-2025-04-16", messages: [{role: "user", content: "hi"}], temperature: 1, max_completion_tokens: 100}});
        const claude = batchTarget("anthropic:claude-3-7-sonnet-20250219");
        expect(claude).toMatchObject({baseUrl: "https://api.anthropic.com", official: true, price: {inputPer1M: 3, outputPer1M: 15}});
        const request = batchRequestLine(claude, "p1-i0-c1", {messages: [{role: "system", content: "S"}, {role: "user", content: "U"}], options: {maxTokens: 8192, temperature: 1}});
        expect(request).toEqual({custom_id: "p1-i0-c1", params: {model: "claude-3-7-sonnet-20250219", max_tokens: 8192, messages: [{role: "user", content: "U"}], temperature: 1, system: "S"}});
        expect(JSON.parse(batchFileText("anthropic", [request]))).toEqual({requests: [request]});
        expect(batchFileText("openai", [line, line]).split("\n")).toEqual([JSON.stringify(line), JSON.stringify(line), ""]);
    });

    it("takes a local server (no prices, vLLM body options) and refuses engines without a batch API", () => {
        const local = batchTarget("openai:qwen", {baseUrl: "http://localhost:8000/v1/"});
        expect(local).toMatchObject({baseUrl: "http://localhost:8000/v1", official: false, price: undefined, openAIBody: {maxTokensField: "max_tokens", explicitTopP: true}});
        expect(batchTarget("anthropic:c", {baseUrl: "http://localhost:9/v1"}).baseUrl).toBe("http://localhost:9");
        process.env.OPENAI_BASE_URL = "http://127.0.0.1:1234/v1";
        expect(batchTarget("openai:x").baseUrl).toBe("http://127.0.0.1:1234/v1");
        expect(() => batchTarget("world:teacher")).toThrow(ConfigError);
        expect(() => batchTarget("openai:")).toThrow(/names no model/);
        expect(() => batchTarget("openai:x", {baseUrl: "http://a/v1,http://b/v1"})).toThrow(/one API/);
    });
});

describe("splitBatches", () => {
    it("splits by request count and by bytes", () => {
        const items = Array.from({length: 10}, (_, i) => i);
        expect(splitBatches("openai", items, () => 10, {requests: 4, bytes: 1e9}).map((b) => b.length)).toEqual([4, 4, 2]);
        expect(splitBatches("openai", items, () => 98, {requests: 100, bytes: 400}).map((b) => b.length)).toEqual([3, 3, 3, 1]);
        expect(splitBatches("anthropic", [], () => 1)).toEqual([]);
    });
});
