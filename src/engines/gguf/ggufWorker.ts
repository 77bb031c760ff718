// The child process of GgufEngine: loads one GGUF with node-llama-cpp and serves generate /
// probability requests from the parent over IPC. It runs apart from the caller because llama.cpp
// aborts the whole process on some malformed files (GGML_ASSERT); here that only ends this child.
//
// Parallelism: one context with `sequences` sequences; each completion takes a free sequence, and
// node-llama-cpp batches the sequences' tokens into one decode.
import {randomInt} from "node:crypto";
import {Template} from "@huggingface/jinja";
import {getLlama, LlamaLogLevel, resolveChatWrapper, type ChatHistoryItem, type ChatWrapper, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel, type Token} from "node-llama-cpp";
import {deriveSeed, Rng} from "../../protocol/rng.js";
import type {Message} from "../../protocol/types.js";
import type {Completion, FinishReason, TokenLogprob} from "../Engine.js";
import {sampleFromDistribution} from "./sampleFromDistribution.js";
import type {ParentMessage, WorkerError, WorkerLoadOptions, WorkerMessage, WorkerModelInfo, WorkerRequest, WorkerRequestResult, WorkerSampling} from "./workerProtocol.js";

/** Context length per sequence when the caller sets none and the model was trained on more. */
const maxDefaultContext = 4096;

class WorkerFailure extends Error {
    constructor(readonly kind: string, message: string) {
        super(message);
    }
}

let llama: Llama | undefined;
let model: LlamaModel | undefined;
let context: LlamaContext | undefined;
let vocabSize = 0;
let template: Template | undefined;
let fallbackWrapper: ChatWrapper | undefined;
const freeSequences: LlamaContextSequence[] = [];
const sequenceWaiters: ((seq: LlamaContextSequence) => void)[] = [];
const abortedCalls = new Set<number>();

function send(message: WorkerMessage): void {
    process.send?.(message);
}

function toWorkerError(err: unknown): WorkerError {
    if (err instanceof WorkerFailure) return {name: err.kind, message: err.message};
    return {name: "EngineError", message: err instanceof Error ? err.message : String(err)};
}

async function acquireSequence(): Promise<LlamaContextSequence> {
    const seq = freeSequences.pop();
    if (seq != null) return seq;
    return new Promise((resolve) => sequenceWaiters.push(resolve));
}

function releaseSequence(seq: LlamaContextSequence): void {
    const waiter = sequenceWaiters.shift();
    if (waiter != null) waiter(seq);
    else freeSequences.push(seq);
}

async function load(options: WorkerLoadOptions): Promise<WorkerModelInfo> {
    vocabSize = options.vocabSize;
    llama = await getLlama({
        gpu: options.gpu,
        // Never compile llama.cpp on the user's machine: use a prebuilt binary or fail clearly.
        build: "never",
        progressLogs: false,
        maxThreads: options.threads,
        logLevel: LlamaLogLevel.warn,
        logger: (level, message) => process.stderr.write(`[llama.cpp ${level}] ${message}\n`)
    });
    model = await llama.loadModel({modelPath: options.modelPath});
    context = await model.createContext({
        sequences: options.sequences,
        contextSize: options.contextSize ?? {max: Math.min(model.trainContextSize, maxDefaultContext)},
        threads: options.threads,
        flashAttention: options.flashAttention === "auto" ? undefined : options.flashAttention,
        // node-llama-cpp marks KV types experimental; F32 is only set when asked for (verified on CPU).
        ...(options.kvCacheType === "f32" ? {experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32"} as const : {})
    });
    for (let i = 0; i < options.sequences; i++) freeSequences.push(context.getSequence());
    const jinja = (model.fileInfo.metadata as {tokenizer?: {chat_template?: unknown}}).tokenizer?.chat_template;
    if (typeof jinja === "string" && jinja !== "") {
        try {
            template = new Template(jinja);
        } catch (err) {
            throw new WorkerFailure("ModelLoadError", `the GGUF's tokenizer.chat_template is not a valid Jinja template: ${(err as Error).message}`);
        }
    } else {
        fallbackWrapper = resolveChatWrapper(model);
    }
    return {
        contextSize: freeSequences[0].contextSize,
        sequences: options.sequences,
        threads: options.threads,
        gpu: llama.gpu,
        vocabSize,
        chatTemplate: template != null ? "gguf" : fallbackWrapper!.wrapperName
    };
}

/**
 * Prompt tokens for a conversation: the GGUF's Jinja chat template rendered as Hugging Face's
 * `apply_chat_template(messages, add_generation_prompt=True)` does, then tokenized with special
 * tokens recognised (as llama-server does). Without a template, node-llama-cpp's best-matching chat
 * wrapper renders it.
 */
function renderPrompt(messages: Message[]): Token[] {
    if (template != null) {
        let text: string;
        try {
            text = template.render({
                messages,
                add_generation_prompt: true,
                bos_token: model!.tokens.bosString ?? "",
                eos_token: model!.tokens.eosString ?? ""
            });
        } catch (err) {
            throw new WorkerFailure("EngineBadRequest", `the model's chat template rejected the messages: ${(err as Error).message}`);
        }
        return model!.tokenize(text, true);
    }
    const history: ChatHistoryItem[] = messages.map((m): ChatHistoryItem => m.role === "assistant"
        ? {type: "model", response: [m.content]}
        : {type: m.role, text: m.content});
    history.push({type: "model", response: []});
    return fallbackWrapper!.generateContextState({chatHistory: history}).contextText.tokenize(model!.tokenizer);
}

/**
 * Make `seq` hold a prefix of `prompt` and return the tokens still to evaluate (at least one, so
 * the last prompt position produces logits). Reuses the KV cache of a shared prefix.
 */
async function preparePrompt(seq: LlamaContextSequence, prompt: Token[]): Promise<Token[]> {
    const keep = Math.min(seq.compareContextTokens(prompt).firstDifferentIndex, prompt.length - 1);
    if (seq.nextTokenIndex > keep) await seq.eraseContextTokenRanges([{start: keep, end: seq.nextTokenIndex}]);
    return prompt.slice(keep);
}

function tokenText(token: Token): string {
    return model!.detokenize([token], true);
}

function findStop(tokens: Token[], stop: string[], maxStopLength: number): boolean {
    // A stop string of L characters spans at most 4L byte-level tokens (and fewer for larger ones).
    const window = tokens.slice(-(4 * maxStopLength + 4));
    const text = model!.detokenize(window, false);
    return stop.some((s) => text.includes(s));
}

/** Cut `text` at the first occurrence of any stop string. */
function cutAtStop(text: string, stop: string[]): string {
    let cut = text.length;
    for (const s of stop) {
        const i = text.indexOf(s);
        if (i >= 0 && i < cut) cut = i;
    }
    return text.slice(0, cut);
}

interface CompletionRun {
    completion: Completion;
    tokens: number;
}

/**
 * One completion on one sequence. Without logprobs, llama.cpp samples (temperature, top-p, seed).
 * With logprobs, llama.cpp returns the full next-token distribution of the model (greedy chain, so
 * no truncation or temperature applied) and the token is drawn here with the same temperature /
 * top-p rule from a seeded `Rng`: the reported logprobs are then the model's own, as OpenAI and the
 * native engine report them.
 */
async function runCompletion(seq: LlamaContextSequence, prompt: Token[], s: WorkerSampling, seed: number, callId: number): Promise<CompletionRun> {
    const maxNew = Math.min(s.maxTokens, seq.contextSize - prompt.length);
    if (maxNew < 1)
        throw new WorkerFailure("EngineBadRequest", `the prompt has ${prompt.length} tokens but a sequence holds ${seq.contextSize}; raise contextSize or shorten the prompt`);
    if (abortedCalls.has(callId)) throw new WorkerFailure("Aborted", "generation aborted");
    const toEvaluate = await preparePrompt(seq, prompt);
    const out: Token[] = [];
    const logprobs: TokenLogprob[] = [];
    const maxStop = s.stop.reduce((m, x) => Math.max(m, x.length), 0);
    let finishReason: FinishReason = "length";
    let sampled = 0;
    const rng = new Rng(seed);
    const generator = s.logprobs
        ? seq.evaluateWithMetadata(toEvaluate, {probabilities: true}, {temperature: 0, yieldEogToken: true})
        : seq.evaluateWithMetadata(toEvaluate, {}, {temperature: s.temperature, topP: s.topP, topK: 0, minP: 0, seed, yieldEogToken: true});
    try {
        let step = await generator.next();
        while (!step.done) {
            if (abortedCalls.has(callId)) throw new WorkerFailure("Aborted", "generation aborted");
            let token = step.value.token;
            const probabilities = (step.value as {probabilities?: Map<Token, number>}).probabilities;
            if (probabilities != null) {
                if (s.temperature > 0) token = sampleFromDistribution(probabilities, s.temperature, s.topP, rng) as Token;
                const entry: TokenLogprob = {token: tokenText(token), logprob: Math.log(probabilities.get(token) ?? 0)};
                if (s.topLogprobs > 0) {
                    entry.top = [];
                    for (const [t, p] of probabilities) {
                        if (entry.top.length >= s.topLogprobs) break;
                        entry.top.push({token: tokenText(t), logprob: Math.log(p)});
                    }
                }
                if (!model!.isEogToken(token)) logprobs.push(entry);
            }
            sampled++;
            if (model!.isEogToken(token)) {
                finishReason = "stop";
                break;
            }
            out.push(token);
            if (maxStop > 0 && findStop(out, s.stop, maxStop)) {
                finishReason = "stop";
                break;
            }
            if (out.length >= maxNew) break;
            step = await generator.next(token);
        }
    } finally {
        await generator.return();
    }
    let text = model!.detokenize(out, false);
    if (maxStop > 0) text = cutAtStop(text, s.stop);
    const completion: Completion = {text, finishReason};
    if (s.logprobs) completion.logprobs = logprobs;
    return {completion, tokens: sampled};
}

/** Like Promise.all, but waits for every promise to settle before rejecting with the first error, so an abort reaches every job. */
async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
    const settled = await Promise.allSettled(promises);
    const failed = settled.find((r) => r.status === "rejected");
    if (failed != null) throw (failed as PromiseRejectedResult).reason;
    return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

async function generateOne(request: WorkerRequest, callId: number): Promise<WorkerRequestResult> {
    const started = performance.now();
    const prompt = renderPrompt(request.messages);
    const s = request.sampling;
    // Completion j uses the request seed for j = 0 and an independent derived seed after, so the
    // first of n completions equals the single completion with the same seed.
    const baseSeed = s.seed ?? randomInt(0, 2 ** 32);
    const runs = await settleAll(Array.from({length: s.n}, async (_, j) => {
        const seed = j === 0 ? baseSeed >>> 0 : deriveSeed(baseSeed, `completion-${j}`);
        const seq = await acquireSequence();
        try {
            return await runCompletion(seq, prompt, s, seed, callId);
        } finally {
            releaseSequence(seq);
        }
    }));
    return {
        completions: runs.map((r) => r.completion),
        usage: {promptTokens: prompt.length, completionTokens: runs.reduce((a, r) => a + r.tokens, 0)},
        latencyMs: performance.now() - started
    };
}

/** Full next-token distributions after `tokens` (at every position, or only the last). */
async function probabilities(tokens: Token[], allPositions: boolean): Promise<Float32Array[]> {
    if (tokens.length === 0) throw new WorkerFailure("InvalidInput", "nextTokenProbabilities needs at least one token");
    if (tokens.some((t) => !Number.isInteger(t) || t < 0 || t >= vocabSize))
        throw new WorkerFailure("InvalidInput", `token ids must be integers in [0, ${vocabSize})`);
    const seq = await acquireSequence();
    try {
        if (tokens.length > seq.contextSize)
            throw new WorkerFailure("EngineBadRequest", `${tokens.length} tokens do not fit a sequence of ${seq.contextSize}; raise contextSize`);
        let start = 0;
        if (allPositions) await seq.clearHistory();
        else start = tokens.length - (await preparePrompt(seq, tokens)).length;
        const items = tokens.slice(start).map((t, i) => allPositions || start + i === tokens.length - 1
            ? [t, {generateNext: {probabilities: true}}] as [Token, {generateNext: {probabilities: boolean}}]
            : t);
        const results = await seq.controlledEvaluate(items);
        const out: Float32Array[] = [];
        results.forEach((r) => {
            const probs = r?.next.probabilities;
            if (probs == null) return;
            const row = new Float32Array(vocabSize);
            for (const [t, p] of probs) row[t] = p;
            out.push(row);
        });
        return out;
    } finally {
        releaseSequence(seq);
    }
}

async function handle(message: ParentMessage): Promise<void> {
    switch (message.type) {
        case "load":
            try {
                send({type: "loaded", info: await load(message.options)});
            } catch (err) {
                send({type: "loadFailed", error: err instanceof WorkerFailure ? toWorkerError(err) : {name: "ModelLoadError", message: (err as Error).message}});
            }
            return;
        case "abort":
            abortedCalls.add(message.id);
            return;
        case "close":
            await context?.dispose();
            await model?.dispose();
            await llama?.dispose();
            process.exit(0);
            return;
        default:
            break;
    }
    const id = message.id;
    try {
        let value: unknown;
        switch (message.type) {
            case "generate":
                value = await settleAll(message.requests.map((r) => generateOne(r, id)));
                break;
            case "render":
                value = renderPrompt(message.messages);
                break;
            case "tokenize":
                value = model!.tokenize(message.text, true);
                break;
            case "detokenize":
                value = model!.detokenize(message.tokens as Token[], true);
                break;
            case "probabilities":
                value = await probabilities(message.tokens as Token[], message.allPositions);
                break;
        }
        send({type: "result", id, value});
    } catch (err) {
        send({type: "failed", id, error: toWorkerError(err)});
    } finally {
        abortedCalls.delete(id);
    }
}

process.on("message", (message: ParentMessage) => {
    void handle(message);
});
// The parent is gone (crashed or exited without close): nothing left to serve.
process.on("disconnect", () => process.exit(0));
// Imports (node-llama-cpp included) resolved: a later death is llama.cpp's, not a broken install.
send({type: "ready"});
