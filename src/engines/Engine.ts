// The one interface every text-generation engine implements: OpenAI-compatible HTTP, Anthropic,
// in-process GGUF (node-llama-cpp), the native model, and the quickstart world's teacher.
import type {Message} from "../protocol/types.js";

/** Sampling options for one request. */
export interface SamplingOptions {
    /** Sampling temperature; 0 means greedy. Defaults to `0`. */
    temperature?: number;
    /** Nucleus sampling mass. Defaults to `1`. */
    topP?: number;
    /** Maximum number of new tokens per completion. Defaults to the engine's own default. */
    maxTokens?: number;
    /** Strings that end generation (not included in the text). Defaults to none. */
    stop?: string[];
    /** Seed for sampling; the same seed and request give the same output where the engine allows. Defaults to none. */
    seed?: number;
    /** Number of completions for this request. Defaults to `1`. */
    n?: number;
    /** Return per-token log-probabilities. Defaults to `false`. */
    logprobs?: boolean;
    /** With `logprobs`, also return this many most likely alternatives per position (0–20). Defaults to `0`. */
    topLogprobs?: number;
}

/** One generation request: a conversation to continue as the assistant, and how to sample. */
export interface GenerateRequest {
    messages: Message[];
    options?: SamplingOptions;
}

/** A token with its log-probability (natural log). */
export interface TokenLogprob {
    token: string;
    logprob: number;
    /** The most likely alternatives at this position, best first, when asked for with `topLogprobs`. */
    top?: {token: string, logprob: number}[];
}

/** Why a completion ended. */
export type FinishReason = "stop" | "length" | "content_filter" | "error";

/** One completion of a request. */
export interface Completion {
    text: string;
    finishReason: FinishReason;
    /** Per generated token, when `logprobs` was asked for and the engine supports it. */
    logprobs?: TokenLogprob[];
}

/** Token usage and cost of one request (all its completions). */
export interface Usage {
    promptTokens: number;
    completionTokens: number;
    /** Cost in US dollars when the price of the model is known. */
    costUsd?: number;
}

/** The answer to one `GenerateRequest`. */
export interface GenerateResult {
    /** `n` completions, in order. */
    completions: Completion[];
    usage: Usage;
    /** Wall time of the request in milliseconds (0 when served from the cache). */
    latencyMs: number;
    /** The model that answered, as the engine reports it. */
    model: string;
    /** Server build fingerprint (`system_fingerprint`) when the engine reports one. */
    systemFingerprint?: string;
    /** True when the result came from the response cache. */
    cached?: boolean;
}

/** Per-call options that are not part of the request itself (and so not part of a cache key). */
export interface CallOptions {
    /** Abort the call. */
    signal?: AbortSignal;
}

/**
 * A text-generation engine. `generate` takes a batch of requests and answers each one; engines that
 * batch internally (native, GGUF, servers with concurrency) run them together.
 *
 * Errors are `EngineError` subclasses from `src/errors.ts`. A failed request rejects the whole
 * promise; callers that want per-request failures call `generate` once per request.
 */
export interface Engine {
    /** Provider string naming the engine, e.g. `openai:gpt-4o-mini` or `native:runs/q/model`. */
    readonly id: string;
    /**
     * Everything that changes what the engine returns for a request, beyond the request itself:
     * provider, model, base URL or weights hash. The response cache keys on it.
     */
    readonly identity: string;
    generate(requests: GenerateRequest[], options?: CallOptions): Promise<GenerateResult[]>;
    /** Release resources (child processes, workers, sockets). Safe to call twice. */
    close(): Promise<void>;
}
