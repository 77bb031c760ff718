// The `native:` engine: generation with rmr1's own model and kernels (batched KV-cache decoding,
// seeded sampling), behind the same `Engine` interface as every other engine. Load a checkpoint
// directory with `NativeEngine.load(dir)` or wrap a live model with `NativeEngine.fromModel(model)`
// (trainers: rollouts read the current weights in place, no copy).
import {randomInt} from "node:crypto";
import {Aborted, EngineBadRequest} from "../errors.js";
import {deriveSeed} from "../protocol/rng.js";
import type {CallOptions, Completion, Engine, GenerateRequest, GenerateResult, TokenLogprob} from "../engines/Engine.js";
import {validateRequests} from "../engines/validateRequests.js";
import {loadCheckpoint} from "./checkpoint/loadCheckpoint.js";
import {BatchDecoder} from "./generate/BatchDecoder.js";
import type {GeneratedSequence} from "./generate/BatchDecoder.js";
import {KernelRuntime} from "./kernels/KernelRuntime.js";
import {NativeModel} from "./model/NativeModel.js";
import {ByteTokenizer, specialTokens, specialTokenText} from "./tokenizer/ByteTokenizer.js";

/** Options for `NativeEngine.load` / `fromModel`. */
export interface NativeEngineOptions {
    /** Kernel threads for a runtime of this engine's own. Defaults to the shared runtime (`RMR1_THREADS` or all cores). */
    threads?: number;
    /** Sequences decoded at once; concurrent `generate` calls share the batch. Defaults to `concurrency`, else `64`. */
    batchSize?: number;
    /** Same as `batchSize` (the name `createEngine` uses for every engine). */
    concurrency?: number;
    /** New tokens per completion when a request sets no `maxTokens`. Defaults to `512`. */
    maxTokens?: number;
    /** Name reported as `GenerateResult.model` and in `id`. Defaults to the checkpoint directory, or `memory`. */
    name?: string;
    /** Other engine options passed by `createEngine` are ignored. */
    [option: string]: unknown;
}

export class NativeEngine implements Engine {
    readonly id: string;
    readonly model: NativeModel;
    readonly tokenizer: ByteTokenizer;
    private readonly name: string;
    private readonly batchSize: number;
    private readonly defaultMaxTokens: number;
    private readonly owned: {model: boolean, runtime?: KernelRuntime};
    private decoder?: BatchDecoder;
    private closed = false;

    private constructor(model: NativeModel, tokenizer: ByteTokenizer, name: string, options: NativeEngineOptions, owned: {model: boolean, runtime?: KernelRuntime}) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.name = name;
        this.id = `native:${name}`;
        this.batchSize = options.batchSize ?? options.concurrency ?? 64;
        this.defaultMaxTokens = options.maxTokens ?? 512;
        this.owned = owned;
    }

    /** Load an rmr1 checkpoint directory (model.safetensors + config.json). */
    static async load(dir: string, options: NativeEngineOptions = {}): Promise<NativeEngine> {
        const checkpoint = await loadCheckpoint(dir);
        const runtime = options.threads != null ? await KernelRuntime.create({threads: options.threads}) : undefined;
        try {
            const model = await NativeModel.fromParams(checkpoint.config, checkpoint.params, {runtime});
            return new NativeEngine(model, new ByteTokenizer(), options.name ?? dir, options, {model: true, runtime});
        } catch (e) {
            await runtime?.close();
            throw e;
        }
    }

    /** An engine over a live model: generation reads its current weights (nothing is copied). */
    static fromModel(model: NativeModel, tokenizer: ByteTokenizer = new ByteTokenizer(), options: NativeEngineOptions = {}): NativeEngine {
        return new NativeEngine(model, tokenizer, options.name ?? "memory", options, {model: false});
    }

    /** Provider, config and a SHA-256 of the current weights (recomputed on each read, as a trainer may change them). */
    get identity(): string {
        return `native:${JSON.stringify(this.model.config)}:sha256:${this.model.weightsHash()}`;
    }

    async generate(requests: GenerateRequest[], options: CallOptions = {}): Promise<GenerateResult[]> {
        if (this.closed) throw new EngineBadRequest("this native engine was closed", {engine: this.id});
        validateRequests(requests);
        if (options.signal?.aborted === true) throw new Aborted("generation aborted");
        const start = performance.now();
        const maxSeqLen = this.model.config.maxSeqLen;
        const prompts = requests.map((r, i) => {
            const ids = this.tokenizer.applyChatTemplate(r.messages);
            if (ids.length > maxSeqLen)
                throw new EngineBadRequest(`requests[${i}]: the prompt has ${ids.length} tokens but the model's maxSeqLen is ${maxSeqLen}; shorten the conversation`, {engine: this.id});
            return ids;
        });
        // Every completion goes to the shared decoder, so concurrent calls (a judge with many
        // pairs in flight) decode in one batch. Each completion keeps its own seed.
        this.decoder ??= new BatchDecoder(this.model, {batchSize: this.batchSize});
        const decoder = this.decoder;
        const perRequest = requests.map((r, i) => {
            const o = r.options ?? {};
            const base = o.seed ?? randomInt(2 ** 31);
            const stops = (o.stop ?? []).map((text) => this.tokenizer.encode(text));
            return Promise.all(Array.from({length: o.n ?? 1}, (_, k) => decoder.submit(prompts[i], {
                maxTokens: o.maxTokens ?? this.defaultMaxTokens,
                temperature: o.temperature ?? 0,
                topP: o.topP ?? 1,
                seed: deriveSeed(base, `completion:${k}`),
                stopTokens: [specialTokens.eos],
                stopSequences: stops,
                topLogprobs: o.logprobs === true ? o.topLogprobs ?? 0 : 0,
                logprobTemperature: 1
            }, options.signal).then((g) => this.completion(g, stops, o.logprobs === true))));
        });
        const done = await Promise.all(perRequest);
        const latencyMs = performance.now() - start;
        return done.map((completions, i) => ({
            completions: completions.map((c) => c.completion),
            usage: {promptTokens: prompts[i].length, completionTokens: completions.reduce((n, c) => n + c.tokens, 0)},
            latencyMs,
            model: this.id
        }));
    }

    /** A decoded sequence as an Engine completion: text without the stop token/string, optional logprobs. */
    private completion(g: GeneratedSequence, stops: number[][], logprobs: boolean): {completion: Completion, tokens: number} {
        let keep = g.tokens.length;
        if (g.finishReason === "stop") {
            const matched = stops.find((s) => s.length <= keep && s.every((t, i) => g.tokens[keep - s.length + i] === t));
            keep -= matched?.length ?? 1;
        }
        const completion: Completion = {text: this.tokenizer.decode(g.tokens.slice(0, keep)), finishReason: g.finishReason};
        if (logprobs) {
            completion.logprobs = g.tokens.slice(0, keep).map((t, i): TokenLogprob => {
                const lp: TokenLogprob = {token: tokenText(t), logprob: g.logprobs[i]};
                if (g.top != null) lp.top = g.top[i].map((a) => ({token: tokenText(a.token), logprob: a.logprob}));
                return lp;
            });
        }
        return {completion, tokens: g.tokens.length};
    }

    async close(): Promise<void> {
        if (this.closed) return;
        this.closed = true;
        this.decoder?.close();
        if (this.owned.model) this.model.dispose();
        await this.owned.runtime?.close();
    }
}

/** Text of one byte-tokenizer token: the ASCII character, `<0xNN>` for other bytes, or the special token's name. */
function tokenText(id: number): string {
    if (id < 0x80) return String.fromCharCode(id);
    if (id < 256) return `<0x${id.toString(16).toUpperCase().padStart(2, "0")}>`;
    return specialTokenText[id] ?? `<|${id}|>`;
}
