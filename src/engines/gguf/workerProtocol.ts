// Messages between GgufEngine (parent) and ggufWorker (the child process that runs llama.cpp).
// Sent over Node's IPC channel with the "advanced" serialization (structured clone), so typed
// arrays and -Infinity cross intact.
import type {Completion, Usage} from "../Engine.js";
import type {Message} from "../../protocol/types.js";

/** How the child loads the model. */
export interface WorkerLoadOptions {
    modelPath: string;
    gpu: "auto" | false | "cuda" | "vulkan" | "metal";
    threads: number;
    sequences: number;
    /** Tokens per sequence, or undefined for the model's context length (at most `maxDefaultContext`). */
    contextSize?: number;
    kvCacheType: "f16" | "f32";
    flashAttention: boolean | "auto";
    /** Tokens in the vocabulary (from the validated header), the length of probability rows. */
    vocabSize: number;
}

/** Sampling options of one request with the engine defaults filled in. */
export interface WorkerSampling {
    temperature: number;
    topP: number;
    maxTokens: number;
    stop: string[];
    /** Seed of the first completion; undefined when the caller gave none (then random). */
    seed?: number;
    n: number;
    logprobs: boolean;
    topLogprobs: number;
}

export interface WorkerRequest {
    messages: Message[];
    sampling: WorkerSampling;
}

export interface WorkerRequestResult {
    completions: Completion[];
    usage: Usage;
    latencyMs: number;
}

/** What the child reports after loading. */
export interface WorkerModelInfo {
    /** Tokens per sequence actually allocated. */
    contextSize: number;
    sequences: number;
    threads: number;
    /** The backend in use: `false` for CPU, else the GPU type. */
    gpu: string | false;
    vocabSize: number;
    /** How prompts are rendered: the GGUF's Jinja template, or a node-llama-cpp chat wrapper when the file has none. */
    chatTemplate: "gguf" | string;
}

export type ParentMessage =
    | {type: "load", options: WorkerLoadOptions}
    | {type: "generate", id: number, requests: WorkerRequest[]}
    | {type: "render", id: number, messages: Message[]}
    | {type: "tokenize", id: number, text: string}
    | {type: "detokenize", id: number, tokens: number[]}
    | {type: "probabilities", id: number, tokens: number[], allPositions: boolean}
    | {type: "abort", id: number}
    | {type: "close"};

export interface WorkerError {
    name: string;
    message: string;
}

export type WorkerMessage =
    | {type: "ready"}
    | {type: "loaded", info: WorkerModelInfo}
    | {type: "loadFailed", error: WorkerError}
    | {type: "result", id: number, value: unknown}
    | {type: "failed", id: number, error: WorkerError};
