// What the OpenAI-compatible and Anthropic engines share: a batch of requests run concurrently
// through one `JsonHttpClient` (so the concurrency limit holds across calls), a failure that cancels
// the rest of its batch, usage and cost per request, and `close()` aborting whatever is in flight.
import {Aborted, ConfigError} from "../../errors.js";
import type {CallOptions, Engine, GenerateRequest, GenerateResult} from "../Engine.js";
import type {ParsedChat} from "../fanOut.js";
import {costUsd, priceOf} from "../prices.js";
import type {PriceTable} from "../prices.js";
import {validateRequests} from "../validateRequests.js";
import {CancelScope} from "./CancelScope.js";
import type {JsonHttpClient} from "./JsonHttpClient.js";

export abstract class HttpChatEngine implements Engine {
    abstract readonly id: string;
    abstract readonly identity: string;
    /** The model name sent with each request. */
    readonly model: string;
    protected abstract readonly client: JsonHttpClient;
    private readonly prices: Readonly<PriceTable>;
    private readonly priced: boolean;
    /** The scopes of the `generate` calls in flight, so that `close()` can cancel them. */
    private readonly scopes = new Set<CancelScope>();
    private closed = false;

    protected constructor(model: string, prices: Readonly<PriceTable>) {
        this.model = model;
        this.prices = prices;
        this.priced = Object.keys(prices).length > 0;
    }

    async generate(requests: GenerateRequest[], options: CallOptions = {}): Promise<GenerateResult[]> {
        validateRequests(requests);
        if (this.closed) throw new Aborted(`${this.id}: the engine is closed`);
        // The call's scope: cancelled by the caller's signal, by close(), or by the first failure,
        // so that a failed batch does not keep paying for answers nobody will read.
        const scope = new CancelScope(options.signal);
        this.scopes.add(scope);
        try {
            if (requests.length === 1) return [await this.generateOne(requests[0], scope)];
            return await Promise.all(requests.map((request) => this.generateOne(request, scope).catch((e: unknown) => {
                scope.cancel();
                throw e;
            })));
        } finally {
            scope.dispose();
            this.scopes.delete(scope);
        }
    }

    /** Answer one request (all its `n` samples). */
    protected abstract generateOne(request: GenerateRequest, scope: CancelScope): Promise<GenerateResult>;

    /** A parsed response as a `GenerateResult`: latency since `start` and the cost from the price table. */
    protected toResult(parsed: ParsedChat, start: number): GenerateResult {
        const price = this.priced ? priceOf(this.model, this.prices) ?? priceOf(parsed.model, this.prices) : undefined;
        const cost = costUsd(parsed.promptTokens, parsed.completionTokens, price);
        const result: GenerateResult = {
            completions: parsed.completions,
            usage: {promptTokens: parsed.promptTokens, completionTokens: parsed.completionTokens},
            latencyMs: performance.now() - start,
            model: parsed.model
        };
        if (cost != null) result.usage.costUsd = cost;
        if (parsed.systemFingerprint != null) result.systemFingerprint = parsed.systemFingerprint;
        return result;
    }

    /** Abort every request in flight (they reject with `Aborted`) and close idle connections; later calls are refused. */
    async close(): Promise<void> {
        this.closed = true;
        for (const scope of this.scopes) scope.cancel();
        this.client.close();
    }
}

/**
 * A provider's base URLs: the option when given (`optionName` names it in errors), else the
 * environment variable `env` when set and not blank, else `fallback` (the provider's API). `source`
 * is what errors about them should name.
 */
export function resolveBaseUrls(option: string | readonly string[] | undefined, optionName: string, env: string, fallback: string): {urls: string[], source: string} {
    if (option != null) return {urls: parseBaseUrls(option, optionName), source: optionName};
    const fromEnv = process.env[env];
    return {urls: fromEnv != null && fromEnv.trim() !== "" ? parseBaseUrls(fromEnv, env) : [fallback], source: env};
}

/**
 * Base URLs from an option or an environment variable (`source` names it in errors): a string may
 * list several, comma-separated. Trailing slashes are dropped.
 */
export function parseBaseUrls(value: string | readonly string[], source: string): string[] {
    const list = (typeof value === "string" ? value.split(",") : [...value])
        .map((url) => url.trim().replace(/\/+$/, ""))
        .filter((url) => url !== "");
    if (list.length === 0) throw new ConfigError(`${source} is empty; give at least one base URL such as http://localhost:8000/v1`);
    for (const url of list) {
        let protocol = "";
        try {
            protocol = new URL(url).protocol;
        } catch {
            // reported below
        }
        if (protocol !== "http:" && protocol !== "https:")
            throw new ConfigError(`${source}: '${url}' is not an http(s) URL; give one such as http://localhost:8000/v1`);
    }
    return list;
}
