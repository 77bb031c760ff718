// The response-cache key: SHA-256 of the engine identity and the full request with every sampling
// option spelled out (defaults filled in), so `{}` and `{temperature: 0}` share an entry and any
// difference that can change the answer (a message, the seed, n, stop strings, logprobs) does not.
import {createHash} from "node:crypto";
import type {GenerateRequest} from "../Engine.js";
import {stableStringify} from "../stableStringify.js";

/** Bump when the meaning of a cached value changes, so old entries are simply never found again. */
const keyVersion = "rmr1-response-cache-1";

/** Hex SHA-256 naming `request` sent to the engine with `identity`. */
export function requestKey(identity: string, request: GenerateRequest): string {
    const o = request.options ?? {};
    const canonical = stableStringify({
        version: keyVersion,
        identity,
        messages: request.messages.map(({role, content}) => ({role, content})),
        options: {
            temperature: o.temperature ?? 0,
            topP: o.topP ?? 1,
            maxTokens: o.maxTokens ?? null,
            stop: o.stop ?? [],
            seed: o.seed ?? null,
            n: o.n ?? 1,
            logprobs: o.logprobs ?? false,
            topLogprobs: o.logprobs === true ? o.topLogprobs ?? 0 : 0
        }
    });
    return createHash("sha256").update(canonical).digest("hex");
}

/**
 * Whether the answer is a function of the request: greedy (temperature 0) or seeded. An unseeded
 * sample at temperature > 0 is a fresh draw each time, so caching it would silently turn k
 * independent samples into k copies of one.
 */
export function isDeterministicRequest(request: GenerateRequest): boolean {
    const o = request.options ?? {};
    return (o.temperature ?? 0) === 0 || o.seed != null;
}
