// Chat completions against OpenAI or any OpenAI-compatible server (vLLM, SGLang, llama.cpp server,
// Ollama's /v1), over node:http keep-alive connections (`HttpTransport`). See docs/engines/openai.md.
import {ConfigError, EngineBadRequest} from "../../errors.js";
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
import {parseOpenAIChatCompletion, toOpenAIChatBody} from "./openaiChat.js";
import type {OpenAIChatBodyOptions} from "./openaiChat.js";

export const openAIDefaultBaseUrl = "https://api.openai.com/v1";

export interface OpenAIEngineOptions extends HttpOptions {
    /** Model name sent to the server, e.g. `gpt-4o-mini` or the name vLLM serves. */
    model: string;
    /**
     * API roots (ending in `/v1` for OpenAI-compatible servers); a string may list several,
     * comma-separated. Requests go to the one with the fewest in flight, failing over when one is down.
     * Defaults to `OPENAI_BASE_URL`, else `https://api.openai.com/v1`.
     */
    baseUrls?: string | string[];
    /** Bearer token. Defaults to `OPENAI_API_KEY`; required only for api.openai.com. */
    apiKey?: string;
    /**
     * How `n > 1` is asked for: `"auto"` sends `n` and, if the server rejects it (llama.cpp server)
     * or returns fewer choices, sends n single requests from then on; `"always"` always sends n
     * requests; `"never"` always sends `n`. Defaults to `"auto"`.
     */
    fanOutN?: "auto" | "always" | "never";
    /** Prices per model (USD per 1M tokens), merged over the built-in table for api.openai.com. Defaults to none for other servers. */
    prices?: PriceTable;
    /** Token-limit field name. Defaults to `max_completion_tokens` for api.openai.com, `max_tokens` elsewhere. */
    maxTokensField?: OpenAIChatBodyOptions["maxTokensField"];
    /** Extra body fields for every request (vLLM's `top_k`, `repetition_penalty`, ...); part of the identity. Defaults to none. */
    extraBody?: Record<string, unknown>;
    /** Extra headers for every request. Defaults to none. */
    headers?: Record<string, string>;
}

function isOfficial(url: string): boolean {
    return new URL(url).hostname === "api.openai.com";
}

export class OpenAIEngine extends HttpChatEngine {
    readonly id: string;
    readonly identity: string;
    readonly baseUrls: readonly string[];
    protected readonly client: JsonHttpClient;
    private readonly bodyOptions: OpenAIChatBodyOptions;
    private readonly fanOutN: "auto" | "always" | "never";
    /** Set once the server has shown it does not do `n > 1`. */
    private nUnsupported = false;

    constructor(options: OpenAIEngineOptions) {
        const model = options.model;
        if (typeof model !== "string" || model === "") throw new ConfigError("openai: a model name is required, e.g. openai:gpt-4o-mini");
        const baseUrls = resolveBaseUrls(options.baseUrls, "baseUrls", "OPENAI_BASE_URL", openAIDefaultBaseUrl).urls;
        const official = baseUrls.some(isOfficial);
        super(model, official ? {...defaultPrices, ...options.prices} : {...options.prices});
        const apiKey = options.apiKey ?? process.env.OPENAI_API_KEY;
        if (official && (apiKey == null || apiKey === ""))
            throw new ConfigError(`openai:${model} needs an API key for ${openAIDefaultBaseUrl}: set OPENAI_API_KEY (or pass apiKey), or point --base-url / OPENAI_BASE_URL at a local server`);
        this.id = `openai:${model}`;
        this.baseUrls = baseUrls;
        this.fanOutN = options.fanOutN ?? "auto";
        this.bodyOptions = {
            maxTokensField: options.maxTokensField ?? (official ? "max_completion_tokens" : "max_tokens"),
            explicitTopP: !official,
            extraBody: options.extraBody
        };
        // Everything that can change an answer besides the request: where it goes and what is added
        // to every body. Sorted URLs: the same replicas in another order serve the same model.
        this.identity = stableStringify({
            provider: "openai",
            model,
            baseUrls: [...baseUrls].sort(),
            ...(options.extraBody != null ? {extraBody: options.extraBody} : {})
        });
        this.client = new JsonHttpClient({
            ...options,
            engine: this.id,
            baseUrls,
            headers: {...(apiKey != null && apiKey !== "" ? {authorization: `Bearer ${apiKey}`} : {}), ...options.headers},
            authHint: "Set OPENAI_API_KEY (or apiKey) to a valid key for this server",
            baseUrlHint: "--base-url / OPENAI_BASE_URL, e.g. http://localhost:8000/v1"
        });
    }

    protected async generateOne(request: GenerateRequest, scope: CancelScope): Promise<GenerateResult> {
        const start = performance.now();
        const n = request.options?.n ?? 1;
        if (n > 1 && (this.fanOutN === "always" || (this.fanOutN === "auto" && this.nUnsupported)))
            return this.toResult(await this.fanOut(request, 0, scope), start);
        let parsed: ParsedChat;
        try {
            parsed = await this.call(request, scope);
        } catch (e) {
            // llama.cpp server answers n > 1 with a 400. Try the samples one by one: if that works,
            // n was the problem, and later requests go one by one straight away.
            if (!(n > 1 && this.fanOutN === "auto" && e instanceof EngineBadRequest)) throw e;
            parsed = await this.fanOut(request, 0, scope);
            this.nUnsupported = true;
            return this.toResult(parsed, start);
        }
        // Some servers ignore `n` and answer once: fetch the missing samples one by one.
        if (n > 1 && parsed.completions.length < n && this.fanOutN === "auto") {
            const rest = await this.fanOut(request, parsed.completions.length, scope);
            parsed = mergeParsed([parsed, rest]);
            this.nUnsupported = true;
        }
        return this.toResult(parsed, start);
    }

    private call(request: GenerateRequest, scope: CancelScope): Promise<ParsedChat> {
        const body = toOpenAIChatBody(request, this.model, this.bodyOptions);
        return this.client.post("/chat/completions", body, parseOpenAIChatCompletion, scope);
    }

    private async fanOut(request: GenerateRequest, from: number, scope: CancelScope): Promise<ParsedChat> {
        const parts = await Promise.all(fanOutRequest(request, from).map((copy) => this.call(copy, scope)));
        return mergeParsed(parts);
    }
}
