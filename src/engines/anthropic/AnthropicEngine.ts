// Claude through the Anthropic Messages API (`POST /v1/messages`), with the same retries, limits,
// balancing, usage and cost as the OpenAI engine. See docs/engines/anthropic.md.
import {ConfigError} from "../../errors.js";
import type {GenerateRequest, GenerateResult} from "../Engine.js";
import {fanOutRequest, mergeParsed} from "../fanOut.js";
import type {ParsedChat} from "../fanOut.js";
import type {CancelScope} from "../http/CancelScope.js";
import {HttpChatEngine, resolveBaseUrls} from "../http/HttpChatEngine.js";
import {JsonHttpClient} from "../http/JsonHttpClient.js";
import type {HttpOptions} from "../http/JsonHttpClient.js";
import {defaultPrices} from "../prices.js";
import type {PriceTable} from "../prices.js";
import {stableStringify} from "../stableStringify.js";
import {parseAnthropicMessage, toAnthropicMessagesBody} from "./anthropicMessages.js";

export const anthropicDefaultBaseUrl = "https://api.anthropic.com";

export interface AnthropicEngineOptions extends HttpOptions {
    /** Model name, e.g. `claude-sonnet-4-5`. */
    model: string;
    /** API roots (without `/v1`); a string may list several, comma-separated. Defaults to `ANTHROPIC_BASE_URL`, else `https://api.anthropic.com`. */
    baseUrls?: string | string[];
    /** API key sent as `x-api-key`. Defaults to `ANTHROPIC_API_KEY`; required only for api.anthropic.com. */
    apiKey?: string;
    /** `anthropic-version` header. Defaults to `"2023-06-01"`. */
    anthropicVersion?: string;
    /** `max_tokens` when a request sets none (the API requires it). Defaults to `4096`. */
    defaultMaxTokens?: number;
    /** Prices per model (USD per 1M tokens), merged over the built-in table for api.anthropic.com. Defaults to none for other servers. */
    prices?: PriceTable;
    /** Extra headers for every request (e.g. `anthropic-beta`). Defaults to none. */
    headers?: Record<string, string>;
}

function isOfficial(url: string): boolean {
    return new URL(url).hostname === "api.anthropic.com";
}

export class AnthropicEngine extends HttpChatEngine {
    readonly id: string;
    readonly identity: string;
    readonly baseUrls: readonly string[];
    protected readonly client: JsonHttpClient;
    private readonly defaultMaxTokens: number;

    constructor(options: AnthropicEngineOptions) {
        const model = options.model;
        if (typeof model !== "string" || model === "") throw new ConfigError("anthropic: a model name is required, e.g. anthropic:claude-sonnet-4-5");
        // The SDK's base URL has no /v1 (it is part of the path); accept one anyway.
        const baseUrls = resolveBaseUrls(options.baseUrls, "baseUrls", "ANTHROPIC_BASE_URL", anthropicDefaultBaseUrl).urls
            .map((url) => url.replace(/\/v1$/, ""));
        const official = baseUrls.some(isOfficial);
        super(model, official ? {...defaultPrices, ...options.prices} : {...options.prices});
        const apiKey = options.apiKey ?? process.env.ANTHROPIC_API_KEY;
        if (official && (apiKey == null || apiKey === ""))
            throw new ConfigError(`anthropic:${model} needs an API key: set ANTHROPIC_API_KEY (or pass apiKey)`);
        if (options.defaultMaxTokens != null && !(Number.isInteger(options.defaultMaxTokens) && options.defaultMaxTokens >= 1))
            throw new ConfigError(`defaultMaxTokens must be an integer >= 1, got ${options.defaultMaxTokens}`);
        this.id = `anthropic:${model}`;
        this.baseUrls = baseUrls;
        this.defaultMaxTokens = options.defaultMaxTokens ?? 4096;
        // The default max_tokens changes answers (truncation), so it is part of the identity.
        this.identity = stableStringify({provider: "anthropic", model, baseUrls: [...baseUrls].sort(), defaultMaxTokens: this.defaultMaxTokens});
        this.client = new JsonHttpClient({
            ...options,
            engine: this.id,
            baseUrls,
            headers: {
                ...(apiKey != null && apiKey !== "" ? {"x-api-key": apiKey} : {}),
                "anthropic-version": options.anthropicVersion ?? "2023-06-01",
                ...options.headers
            },
            authHint: "Set ANTHROPIC_API_KEY (or apiKey) to a valid key",
            baseUrlHint: "ANTHROPIC_BASE_URL, e.g. https://api.anthropic.com"
        });
    }

    protected async generateOne(request: GenerateRequest, scope: CancelScope): Promise<GenerateResult> {
        const start = performance.now();
        // No `n` in the Messages API: always one request per sample.
        const parts = await Promise.all(fanOutRequest(request).map((copy) => this.client.post(
            "/v1/messages",
            toAnthropicMessagesBody(copy, this.model, {defaultMaxTokens: this.defaultMaxTokens}),
            parseAnthropicMessage,
            scope
        )));
        const parsed: ParsedChat = parts.length === 1 ? parts[0] : mergeParsed(parts);
        return this.toResult(parsed, start);
    }
}
