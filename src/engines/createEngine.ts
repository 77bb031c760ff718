// Engines by provider string, in the ecosystem's `provider:model` style: `openai:<model>`,
// `anthropic:<model>`, `gguf:<path | hf:owner/repo/file.gguf>`, `native:<checkpoint dir>`, and
// whatever other layers register (`registerEngineProvider`). In-process engines are loaded with a
// dynamic import so that a run that never uses them never loads node-llama-cpp or the kernels.
import {ConfigError} from "../errors.js";
import {AnthropicEngine} from "./anthropic/AnthropicEngine.js";
import {ResponseCache} from "./cache/ResponseCache.js";
import {withCache} from "./cache/withCache.js";
import type {Engine} from "./Engine.js";
import {OpenAIEngine} from "./openai/OpenAIEngine.js";
import type {PriceTable} from "./prices.js";

/**
 * Options for `createEngine`. Each engine reads the ones that apply to it; in-process engines
 * (`gguf:`, `native:`, registered ones) receive the whole object and may read further fields.
 */
export interface EngineOptions {
    /** Requests in flight at once (HTTP engines; in-process engines: parallel sequences). Defaults to `16` for HTTP engines. */
    concurrency?: number;
    /** Time limit of one HTTP attempt in milliseconds. Defaults to `600000`. */
    timeoutMs?: number;
    /** Retries on 408/409/429/5xx, timeouts and connection errors. Defaults to `4`. */
    retries?: number;
    /** API roots for `openai:` / `anthropic:`; a string may list several, comma-separated. Defaults to `OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL`, else the provider's API. */
    baseUrls?: string | string[];
    /** API key. Defaults to `OPENAI_API_KEY` / `ANTHROPIC_API_KEY`; required only by the providers' own APIs. */
    apiKey?: string;
    /** Prices in USD per 1M tokens by model, merged over the built-in table. Defaults to the built-in table on the providers' APIs, none elsewhere. */
    prices?: PriceTable;
    /**
     * Response cache: `true` for the default file (`RMR1_CACHE_DIR`, else `~/.cache/rmr1/responses.sqlite`),
     * a path, an open `ResponseCache`, or `false` (`--no-cache`). Defaults to `true` for `openai:` and
     * `anthropic:` (paid calls), `false` for the others.
     */
    cache?: boolean | string | ResponseCache;
    /** Cache entries older than this many milliseconds are ignored, when the cache is opened here. Defaults to no expiry. */
    cacheTtlMs?: number;
    /** Engine-specific options (`threads`, `contextSize`, `fanOutN`, `extraBody`, ...), passed through. */
    [option: string]: unknown;
}

/** Builds an engine from the part of the provider string after `prefix:`. */
export type EngineFactory = (rest: string, options: EngineOptions) => Engine | Promise<Engine>;

interface Provider {
    factory: EngineFactory;
    /** Whether results are cached when `options.cache` is not given. */
    cacheByDefault: boolean;
}

const providers = new Map<string, Provider>();

/**
 * Add (or replace) a provider: `createEngine("<prefix>:<rest>")` then calls `factory(rest, options)`.
 * `cacheByDefault` says whether its answers go through the response cache unless `cache: false`
 * (defaults to `false`: an in-process engine is cheap to ask again, and its identity must include
 * a hash of its weights before caching is safe).
 */
export function registerEngineProvider(prefix: string, factory: EngineFactory, options: {cacheByDefault?: boolean} = {}): void {
    if (!/^[a-z][a-z0-9-]*$/.test(prefix)) throw new ConfigError(`engine provider prefix '${prefix}' must be lower-case letters, digits and dashes`);
    providers.set(prefix, {factory, cacheByDefault: options.cacheByDefault ?? false});
}

/** The registered provider prefixes, sorted. */
export function engineProviders(): string[] {
    return [...providers.keys()].sort();
}

/**
 * The engine named by `provider` (`openai:gpt-4o-mini`, `anthropic:claude-sonnet-4-5`,
 * `gguf:model.gguf`, `native:runs/x/checkpoints/step-100`, ...). Only the first colon separates the
 * prefix, so model names may contain colons (`openai:llama3.2:1b` for Ollama).
 */
export async function createEngine(provider: string, options: EngineOptions = {}): Promise<Engine> {
    const colon = provider.indexOf(":");
    const prefix = colon < 0 ? provider : provider.slice(0, colon);
    const rest = colon < 0 ? "" : provider.slice(colon + 1);
    const entry = providers.get(prefix);
    if (entry == null || colon < 0) {
        const known = engineProviders().map((p) => `${p}:`).join(", ");
        throw new ConfigError(colon < 0
            ? `engine '${provider}' has no provider prefix; write <provider>:<model>, with provider one of ${known}`
            : `unknown engine provider '${prefix}:' in '${provider}'; known providers: ${known}`);
    }
    if (rest === "") throw new ConfigError(`engine '${provider}' names no model; write ${prefix}:<model>`);
    const engine = await entry.factory(rest, options);
    const cacheOption = options.cache ?? entry.cacheByDefault;
    if (cacheOption === false) return engine;
    if (cacheOption instanceof ResponseCache) return withCache(engine, cacheOption);
    let cache: ResponseCache;
    try {
        cache = new ResponseCache({path: typeof cacheOption === "string" ? cacheOption : undefined, ttlMs: options.cacheTtlMs});
    } catch (e) {
        await engine.close();
        throw e;
    }
    return withCache(engine, cache, {closeCache: true});
}

/** The class an in-process engine module exports. */
interface EngineLoader {
    load(source: string, options?: EngineOptions): Promise<Engine>;
}

/**
 * Import an in-process engine module only when it is asked for. The specifier is a variable so the
 * type checker does not tie this file to modules other layers provide.
 */
async function loadEngineModule(specifier: string, exportName: string, provider: string): Promise<EngineLoader> {
    let module: Record<string, unknown>;
    try {
        module = await import(specifier) as Record<string, unknown>;
    } catch (e) {
        if ((e as {code?: string}).code === "ERR_MODULE_NOT_FOUND" && String((e as Error).message).includes(specifier.replace(/^\.+\//, "")))
            throw new ConfigError(`the ${provider} engine is not part of this build of rmr1`, {cause: e});
        throw e;
    }
    const loader = module[exportName] as EngineLoader | undefined;
    if (loader == null || typeof loader.load !== "function")
        throw new ConfigError(`the ${provider} engine module does not export ${exportName}.load`);
    return loader;
}

registerEngineProvider("openai", (model, options) => new OpenAIEngine({...options, model}), {cacheByDefault: true});
registerEngineProvider("anthropic", (model, options) => new AnthropicEngine({...options, model}), {cacheByDefault: true});
registerEngineProvider("gguf", async (source, options) =>
    (await loadEngineModule("./gguf/GgufEngine.js", "GgufEngine", "gguf:")).load(source, options));
registerEngineProvider("native", async (dir, options) =>
    (await loadEngineModule("../native/NativeEngine.js", "NativeEngine", "native:")).load(dir, options));
