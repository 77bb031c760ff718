// Where a batch goes and how its request files look. The bodies come from the engines' own
// builders (`toOpenAIChatBody`, `toAnthropicMessagesBody`), so a batch asks exactly what the online
// engine would.
//   OpenAI Batch input: JSONL, one `{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}`
//     per line; at most 50,000 requests and 200 MB per file.
//   Anthropic Message Batches: the create body `{"requests": [{"custom_id", "params"}]}` (JSON);
//     at most 100,000 requests and 256 MB per batch.
import {stableStringify} from "../../engines/stableStringify.js";
import {ConfigError} from "../../errors.js";
import {anthropicDefaultBaseUrl} from "../../engines/anthropic/AnthropicEngine.js";
import {anthropicDefaultMaxTokens, toAnthropicMessagesBody} from "../../engines/anthropic/anthropicMessages.js";
import type {GenerateRequest} from "../../engines/Engine.js";
import {resolveBaseUrls} from "../../engines/http/HttpChatEngine.js";
import {openAIDefaultBaseUrl} from "../../engines/openai/OpenAIEngine.js";
import {toOpenAIChatBody} from "../../engines/openai/openaiChat.js";
import type {OpenAIChatBodyOptions} from "../../engines/openai/openaiChat.js";
import {defaultPrices, priceOf} from "../../engines/prices.js";
import type {ModelPrice, PriceTable} from "../../engines/prices.js";

/** The batch APIs rmr1 writes files for. */
export type BatchProvider = "openai" | "anthropic";

/** Both providers bill batch requests at half their list price. */
export const BATCH_DISCOUNT = 0.5;

/** Largest batch each provider accepts: requests, and bytes of the request file. */
export const batchLimits: Readonly<Record<BatchProvider, {requests: number, bytes: number}>> = {
    openai: {requests: 50_000, bytes: 200 * 1024 * 1024},
    anthropic: {requests: 100_000, bytes: 256 * 1024 * 1024}
};

/** A teacher reached through a batch API. */
export interface BatchTarget {
    provider: BatchProvider;
    model: string;
    /** `openai:<model>` / `anthropic:<model>`, as the online engine's id. */
    id: string;
    /** Provider, model and base URL: recorded with every request. */
    identity: string;
    /** API root: `https://api.openai.com/v1` / `https://api.anthropic.com`, or a local server. */
    baseUrl: string;
    /** Whether the base URL is the provider's own API (prices and key required). */
    official: boolean;
    apiKey?: string;
    /** List price (batch requests cost `BATCH_DISCOUNT` of it); undefined when unknown. */
    price?: ModelPrice;
    /** OpenAI body options, chosen as the online engine chooses them for this base URL. */
    openAIBody: OpenAIChatBodyOptions;
    /** Anthropic `max_tokens` of requests without `maxTokens`. */
    defaultMaxTokens: number;
}

export interface BatchTargetOptions {
    /** API root. Defaults to `OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL`, else the provider's API. */
    baseUrl?: string;
    /** API key for `submit`. Defaults to `OPENAI_API_KEY` / `ANTHROPIC_API_KEY`. */
    apiKey?: string;
    /** Prices merged over the built-in table (which applies on the providers' own APIs only). Defaults to none. */
    prices?: PriceTable;
    /** OpenAI: `maxTokensField` and `extraBody` as the online engine's options of the same names. Defaults to the engine's choice for the base URL. */
    openAIBody?: Pick<OpenAIChatBodyOptions, "maxTokensField" | "extraBody">;
    /** Anthropic: `max_tokens` of requests without `maxTokens`, as the online engine's option. Defaults to `4096`. */
    defaultMaxTokens?: number;
}

/** The batch target a provider string names; only `openai:` and `anthropic:` have batch APIs. */
export function batchTarget(providerString: string, options: BatchTargetOptions = {}): BatchTarget {
    const colon = providerString.indexOf(":");
    const prefix = colon < 0 ? providerString : providerString.slice(0, colon);
    const model = colon < 0 ? "" : providerString.slice(colon + 1);
    if (prefix !== "openai" && prefix !== "anthropic")
        throw new ConfigError(`batch mode needs openai:<model> or anthropic:<model> teachers (the two batch APIs), got '${providerString}'; use --mode online for other engines`);
    if (model === "") throw new ConfigError(`teacher '${providerString}' names no model; write ${prefix}:<model>`);
    const provider: BatchProvider = prefix;
    const {urls, source} = provider === "openai"
        ? resolveBaseUrls(options.baseUrl, "baseUrl", "OPENAI_BASE_URL", openAIDefaultBaseUrl)
        : resolveBaseUrls(options.baseUrl, "baseUrl", "ANTHROPIC_BASE_URL", anthropicDefaultBaseUrl);
    if (urls.length > 1) throw new ConfigError(`${source}: a batch goes to one API, got ${urls.length} base URLs`);
    // The Anthropic paths carry /v1 themselves (as in the online engine).
    const baseUrl = provider === "anthropic" ? urls[0].replace(/\/v1$/, "") : urls[0];
    const official = new URL(baseUrl).hostname === (provider === "openai" ? "api.openai.com" : "api.anthropic.com");
    const prices = official ? {...defaultPrices, ...options.prices} : {...options.prices};
    const apiKey = options.apiKey ?? (provider === "openai" ? process.env.OPENAI_API_KEY : process.env.ANTHROPIC_API_KEY);
    return {
        provider,
        model,
        id: `${provider}:${model}`,
        identity: stableStringify({provider, model, baseUrls: [baseUrl], api: "batch"}),
        baseUrl,
        official,
        apiKey: apiKey != null && apiKey !== "" ? apiKey : undefined,
        price: priceOf(model, prices),
        // As OpenAIEngine decides: OpenAI's own API wants max_completion_tokens and no implicit top_p
        // (its reasoning models reject top_p); other servers get max_tokens and an explicit top_p: 1.
        openAIBody: {
            ...(official ? {maxTokensField: "max_completion_tokens", explicitTopP: false} : {maxTokensField: "max_tokens", explicitTopP: true}),
            ...definedOnly(options.openAIBody ?? {})
        },
        defaultMaxTokens: options.defaultMaxTokens ?? anthropicDefaultMaxTokens
    };
}

/** One request of a batch file, in the target's format. */
export function batchRequestLine(target: BatchTarget, customId: string, request: GenerateRequest): Record<string, unknown> {
    if (target.provider === "openai")
        return {custom_id: customId, method: "POST", url: "/v1/chat/completions", body: toOpenAIChatBody(request, target.model, target.openAIBody)};
    return {custom_id: customId, params: toAnthropicMessagesBody(request, target.model, {defaultMaxTokens: target.defaultMaxTokens})};
}

function definedOnly<T extends object>(value: T): Partial<T> {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The request file's text: JSONL lines (OpenAI) or the `{requests: [...]}` create body (Anthropic). */
export function batchFileText(provider: BatchProvider, lines: readonly Record<string, unknown>[]): string {
    if (provider === "openai") return lines.map((line) => JSON.stringify(line)).join("\n") + "\n";
    return JSON.stringify({requests: lines}) + "\n";
}

/** The request file's extension: `.jsonl` (OpenAI) or `.json` (Anthropic). */
export function batchFileExtension(provider: BatchProvider): string {
    return provider === "openai" ? ".jsonl" : ".json";
}

/**
 * Split requests into batches within the provider's limits (count and bytes of the encoded lines,
 * with a 1% margin for the file's framing).
 */
export function splitBatches<T>(provider: BatchProvider, items: readonly T[], bytesOf: (item: T) => number, limits = batchLimits[provider]): T[][] {
    const out: T[][] = [];
    let current: T[] = [];
    let bytes = 0;
    const maxBytes = limits.bytes * 0.99;
    for (const item of items) {
        const size = bytesOf(item) + 2;
        if (current.length > 0 && (current.length >= limits.requests || bytes + size > maxBytes)) {
            out.push(current);
            current = [];
            bytes = 0;
        }
        current.push(item);
        bytes += size;
    }
    if (current.length > 0) out.push(current);
    return out;
}
