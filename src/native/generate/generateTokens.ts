// Generate continuations of a list of prompts with a NativeModel: a BatchDecoder sized for the
// request, all prompts submitted at once (see BatchDecoder.ts for the decoding itself).
import {InvalidInput} from "../../errors.js";
import {deriveSeed} from "../../protocol/rng.js";
import type {NativeModel} from "../model/NativeModel.js";
import {specialTokens} from "../tokenizer/ByteTokenizer.js";
import {BatchDecoder} from "./BatchDecoder.js";
import type {GeneratedSequence} from "./BatchDecoder.js";

/** Options for `generateTokens`. */
export interface GenerateOptions {
    /** Maximum new tokens per sequence (generation also stops at the model's maxSeqLen). Defaults to `256`. */
    maxTokens?: number;
    /** Sampling temperature; 0 is greedy. Defaults to `1`. */
    temperature?: number;
    /** Nucleus sampling mass. Defaults to `1`. */
    topP?: number;
    /** Base seed: sequence i samples from `Rng(deriveSeed(seed, "sequence:" + i))`. Defaults to `0`. */
    seed?: number;
    /** Per-sequence seeds (override `seed`); the same seed and prompt give the same completion in any batch. Defaults to none. */
    seeds?: readonly number[];
    /** Tokens that end a sequence; the stop token is kept as its last token. Defaults to `[<|eos|>]`. */
    stopTokens?: readonly number[];
    /** Token sequences that end a sequence once generated (kept in the output). Defaults to none. */
    stopSequences?: readonly (readonly number[])[];
    /** Also return this many most likely alternatives per generated token. Defaults to `0`. */
    topLogprobs?: number;
    /**
     * Report log-probabilities of softmax(logits / logprobTemperature): pass the sampling
     * temperature to get the distribution actually sampled from, equal to
     * `NativeModel.forward(…, {temperature})` bit for bit (GRPO ratios). Defaults to `1` (the model's own distribution).
     */
    logprobTemperature?: number;
    /** Sequences decoded at once (the KV cache is sized for this many). Defaults to `64`. */
    batchSize?: number;
    /** Abort the generation (rejects with `Aborted`). */
    signal?: AbortSignal;
}

export type {GeneratedSequence} from "./BatchDecoder.js";

/**
 * Continue each prompt (token ids) with sampled tokens; one result per prompt, in order. The
 * work is synchronous kernel calls; the event loop gets a turn between decode steps.
 */
export async function generateTokens(model: NativeModel, prompts: readonly ArrayLike<number>[], options: GenerateOptions = {}): Promise<GeneratedSequence[]> {
    if (options.seeds != null && options.seeds.length !== prompts.length)
        throw new InvalidInput(`generate: ${options.seeds.length} seeds for ${prompts.length} prompts`, {field: "seeds"});
    const maxSeqLen = model.config.maxSeqLen;
    prompts.forEach((p, i) => {
        if (p.length < 1 || p.length > maxSeqLen)
            throw new InvalidInput(`generate: prompt ${i} has ${p.length} tokens; it needs 1 to maxSeqLen (${maxSeqLen})`, {field: `prompts[${i}]`});
    });
    if (prompts.length === 0) return [];
    const maxTokens = options.maxTokens ?? 256;
    const maxPrompt = prompts.reduce((m, p) => Math.max(m, p.length), 0);
    const decoder = new BatchDecoder(model, {
        batchSize: Math.max(1, Math.min(options.batchSize ?? 64, prompts.length)),
        capacity: Math.min(maxSeqLen, maxPrompt + (Number.isInteger(maxTokens) && maxTokens > 0 ? maxTokens : 1))
    });
    try {
        return await Promise.all(prompts.map((p, i) => decoder.submit(p, {
            maxTokens,
            temperature: options.temperature ?? 1,
            topP: options.topP ?? 1,
            seed: options.seeds?.[i] ?? deriveSeed(options.seed ?? 0, `sequence:${i}`),
            stopTokens: options.stopTokens ?? [specialTokens.eos],
            stopSequences: options.stopSequences ?? [],
            topLogprobs: options.topLogprobs ?? 0,
            logprobTemperature: options.logprobTemperature ?? 1
        }, options.signal)));
    } finally {
        decoder.close();
    }
}
