// Checks a batch of generation requests before any engine spends time or money on it, so that a
// programming mistake is an `InvalidInput` naming the field instead of a server's 400 much later.
import {InvalidInput} from "../errors.js";
import type {GenerateRequest, SamplingOptions} from "./Engine.js";

const roles = new Set(["system", "user", "assistant"]);

/** Throw `InvalidInput` naming `requests[i]...` for the first malformed request or option. */
export function validateRequests(requests: readonly GenerateRequest[]): void {
    if (!Array.isArray(requests)) throw new InvalidInput("generate() takes an array of requests", {field: "requests"});
    for (let i = 0; i < requests.length; i++) {
        const request = requests[i];
        if (request == null || !Array.isArray(request.messages) || request.messages.length === 0)
            throw invalid(`requests[${i}].messages`, "must be a non-empty array of {role, content}");
        for (let j = 0; j < request.messages.length; j++) {
            const message = request.messages[j];
            if (message == null || !roles.has(message.role))
                throw invalid(`requests[${i}].messages[${j}].role`, "must be system, user or assistant");
            if (typeof message.content !== "string")
                throw invalid(`requests[${i}].messages[${j}].content`, "must be a string");
        }
        if (request.options != null) checkOptions(request.options, i);
    }
}

function checkOptions(o: SamplingOptions, i: number): void {
    const at = (name: keyof SamplingOptions) => `requests[${i}].options.${name}`;
    if (o.temperature != null && !(Number.isFinite(o.temperature) && o.temperature >= 0))
        throw invalid(at("temperature"), `must be a number >= 0, got ${o.temperature}`);
    if (o.topP != null && !(Number.isFinite(o.topP) && o.topP > 0 && o.topP <= 1))
        throw invalid(at("topP"), `must be in (0, 1], got ${o.topP}`);
    if (o.maxTokens != null && !(Number.isInteger(o.maxTokens) && o.maxTokens >= 1))
        throw invalid(at("maxTokens"), `must be an integer >= 1, got ${o.maxTokens}`);
    if (o.n != null && !(Number.isInteger(o.n) && o.n >= 1))
        throw invalid(at("n"), `must be an integer >= 1, got ${o.n}`);
    if (o.seed != null && !Number.isSafeInteger(o.seed))
        throw invalid(at("seed"), `must be an integer, got ${o.seed}`);
    if (o.topLogprobs != null && !(Number.isInteger(o.topLogprobs) && o.topLogprobs >= 0 && o.topLogprobs <= 20))
        throw invalid(at("topLogprobs"), `must be an integer in [0, 20], got ${o.topLogprobs}`);
    if (o.stop != null && !(Array.isArray(o.stop) && o.stop.every((s: unknown) => typeof s === "string" && s !== "")))
        throw invalid(at("stop"), "must be an array of non-empty strings");
}

function invalid(field: string, problem: string): InvalidInput {
    return new InvalidInput(`${field} ${problem}`, {field});
}
