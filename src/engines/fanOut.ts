// `n > 1` as n separate requests, for APIs without `n` (Anthropic) and servers that reject it
// (llama.cpp server: "Only one completion choice is allowed"). Each copy gets its own seed so that
// seeded copies are not n identical samples, and the first copy keeps the request's own seed so
// that sample 0 of n equals the same request with n = 1.
import {deriveSeed} from "../protocol/rng.js";
import type {Completion, GenerateRequest} from "./Engine.js";

/** The seed of sample `index` of a fanned-out request: the request's seed for 0, derived for the rest. */
export function fanOutSeed(seed: number | undefined, index: number): number | undefined {
    if (seed == null || index === 0) return seed;
    return deriveSeed(seed, `n:${index}`);
}

/** Samples `from` .. `n - 1` of `request` as single-sample requests (n = 1), with their seeds. */
export function fanOutRequest(request: GenerateRequest, from = 0): GenerateRequest[] {
    const n = request.options?.n ?? 1;
    const copies: GenerateRequest[] = [];
    for (let index = from; index < n; index++) {
        const options = {...request.options, n: 1};
        const seed = fanOutSeed(request.options?.seed, index);
        if (seed == null) delete options.seed;
        else options.seed = seed;
        copies.push({messages: request.messages, options});
    }
    return copies;
}

/** A chat response read off the wire, before latency and cost are added. */
export interface ParsedChat {
    completions: Completion[];
    promptTokens: number;
    completionTokens: number;
    /** The model that answered, as the server reports it. */
    model: string;
    systemFingerprint?: string;
}

/** The responses to the copies of one fanned-out request, as one response (completions in order, usage summed). */
export function mergeParsed(parts: readonly ParsedChat[]): ParsedChat {
    const merged: ParsedChat = {
        completions: parts.flatMap((p) => p.completions),
        promptTokens: parts.reduce((sum, p) => sum + p.promptTokens, 0),
        completionTokens: parts.reduce((sum, p) => sum + p.completionTokens, 0),
        model: parts[0].model
    };
    const fingerprint = parts.find((p) => p.systemFingerprint != null)?.systemFingerprint;
    if (fingerprint != null) merged.systemFingerprint = fingerprint;
    return merged;
}
