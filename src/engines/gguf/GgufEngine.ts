// The in-process GGUF engine: any GGUF model llama.cpp runs (rmr1's exported checkpoints, or
// RM-R1 quantizations from the Hub), through node-llama-cpp 3.21.1.
//
// Safety: the file is validated first (src/native/checkpoint/readGguf.ts, validateGgufModel.ts),
// then loaded in a child process (ggufWorker.ts), because llama.cpp aborts the process that loads
// some malformed files. A crash of the child becomes a `ModelLoadError` (while loading) or an
// `EngineError` (later); the caller's process keeps running.
import {fork, type ChildProcess} from "node:child_process";
import {createHash} from "node:crypto";
import {createReadStream, existsSync, statSync} from "node:fs";
import {createRequire} from "node:module";
import {availableParallelism} from "node:os";
import {fileURLToPath, pathToFileURL} from "node:url";
import {Aborted, ConfigError, EngineBadRequest, EngineError, InvalidInput, ModelLoadError, NotFound, Rmr1Error} from "../../errors.js";
import {hubDownload, type HubOptions} from "../../data/hub.js";
import {readGguf} from "../../native/checkpoint/readGguf.js";
import {validateGgufModel, type GgufModelSummary} from "../../native/checkpoint/validateGgufModel.js";
import type {Message} from "../../protocol/types.js";
import type {CallOptions, Engine, GenerateRequest, GenerateResult} from "../Engine.js";
import {validateRequests} from "../validateRequests.js";
import type {ParentMessage, WorkerError, WorkerLoadOptions, WorkerMessage, WorkerModelInfo, WorkerRequest, WorkerRequestResult} from "./workerProtocol.js";

/** Options of `GgufEngine.load`. */
export interface GgufEngineOptions {
    /** Sequences generating in parallel in one context. Defaults to `concurrency`, else `4`. */
    sequences?: number;
    /** Same as `sequences` (the name `createEngine` uses for every engine). */
    concurrency?: number;
    /** Tokens per sequence (prompt + completion; llama.cpp may allocate a little more). Defaults to the model's context length, at most 4096. */
    contextSize?: number;
    /** CPU threads for llama.cpp. Defaults to `defaultGgufThreads()`: 1 on machines with ≤ 2 cores (more starves the JS thread), else cores − 1. */
    threads?: number;
    /** GPU backend: `"auto"` uses a prebuilt CUDA/Vulkan/Metal build when one loads (never builds from source); `false` forces the CPU. Defaults to `"auto"`. */
    gpu?: "auto" | false | "cuda" | "vulkan" | "metal";
    /** KV-cache precision. `"f32"` makes logits match the native forward pass to ~1e-6 (with `flashAttention: false`) at twice the KV memory; it uses node-llama-cpp's experimental KV-type option. Defaults to `"f16"`. */
    kvCacheType?: "f16" | "f32";
    /** Flash attention (`"auto"` lets llama.cpp decide; its CPU kernel rounds through F16). Defaults to `"auto"`. */
    flashAttention?: boolean | "auto";
    /** New tokens per completion when a request sets no `maxTokens`. Defaults to `512`. */
    maxTokens?: number;
    /** Hub access for `hf:` sources (endpoint, cache folder, token, offline). Defaults to the `HF_*` environment, like `huggingface_hub`. */
    hub?: HubOptions;
    /** Time allowed for the child process to load the model, in milliseconds. Defaults to `300000`. */
    loadTimeoutMs?: number;
    /** Other engine options passed by `createEngine` are ignored. */
    [option: string]: unknown;
}

/** What the engine loaded and how it runs. */
export interface GgufEngineInfo extends WorkerModelInfo {
    /** The local model file. */
    path: string;
    /** SHA-256 of the model file. */
    sha256: string;
    model: GgufModelSummary;
}

/** llama.cpp threads that are fast on this machine: 1 on ≤ 2 cores (measured), else all but one core. */
export function defaultGgufThreads(cores: number = availableParallelism()): number {
    return cores <= 2 ? 1 : cores - 1;
}

/** Parse `hf:owner/repo[@revision]/path/to/file.gguf` (also `#revision`, node-llama-cpp's form). */
export function parseGgufHubUri(uri: string): {repo: string, revision: string, path: string} {
    let rest = uri.replace(/^hf:(\/\/)?/, "").replace(/^models\//, "");
    let revision = "main";
    const hash = rest.indexOf("#");
    if (hash >= 0) {
        revision = decodeURIComponent(rest.slice(hash + 1));
        rest = rest.slice(0, hash);
    }
    const parts = rest.split("/");
    if (parts.length < 3 || parts.some((p) => p === "" || p === "." || p === ".."))
        throw new InvalidInput(`'${uri}' is not a GGUF file on the Hub; write hf:<owner>/<repo>/<file>.gguf (optionally hf:<owner>/<repo>@<revision>/<file>.gguf)`, {field: "source"});
    let name = parts[1];
    const at = name.indexOf("@");
    if (at >= 0) {
        revision = decodeURIComponent(name.slice(at + 1));
        name = name.slice(0, at);
    }
    if (revision === "") throw new InvalidInput(`'${uri}' has an empty revision`, {field: "source"});
    const path = parts.slice(2).join("/");
    if (!path.toLowerCase().endsWith(".gguf")) throw new InvalidInput(`'${uri}' does not name a .gguf file`, {field: "source"});
    return {repo: `${parts[0]}/${name}`, revision, path};
}

async function sha256File(file: string): Promise<string> {
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(file, {highWaterMark: 1 << 22})) hash.update(chunk as Buffer);
    return hash.digest("hex");
}

/** How to start the worker: its compiled `.js` beside us, or the `.ts` source through tsx in development. */
function workerEntry(): {file: string, execArgv: string[]} {
    const here = import.meta.url;
    if (here.endsWith(".ts")) {
        const tsx = pathToFileURL(createRequire(here).resolve("tsx")).href;
        return {file: fileURLToPath(new URL("./ggufWorker.ts", here)), execArgv: ["--import", tsx]};
    }
    return {file: fileURLToPath(new URL("./ggufWorker.js", here)), execArgv: []};
}

const errorClasses: Record<string, new (message: string) => Rmr1Error> = {
    EngineBadRequest, InvalidInput, Aborted, ModelLoadError
};

interface Pending {
    resolve: (value: unknown) => void;
    reject: (error: Error) => void;
}

export class GgufEngine implements Engine {
    readonly id: string;
    readonly identity: string;
    readonly info: GgufEngineInfo;
    private readonly child: ChildProcess;
    private readonly defaultMaxTokens: number;
    private readonly pending = new Map<number, Pending>();
    private nextId = 1;
    private dead: Error | null = null;
    private closing: Promise<void> | null = null;

    private constructor(source: string, info: GgufEngineInfo, child: ChildProcess, logTail: LogTail, defaultMaxTokens: number, kvCacheType: string, flashAttention: boolean | "auto") {
        this.id = `gguf:${source}`;
        // The weights and the numeric settings that change outputs; sampling is part of each request.
        this.identity = `gguf:sha256:${info.sha256}:kv-${kvCacheType}:fa-${flashAttention}`;
        this.info = info;
        this.child = child;
        this.defaultMaxTokens = defaultMaxTokens;
        child.on("message", (message: WorkerMessage) => this.onMessage(message));
        // An idle engine must not keep the caller's process alive; a call in flight does (see call()).
        child.unref();
        child.channel?.unref();
        (child.stdout as {unref?: () => void} | null)?.unref?.();
        (child.stderr as {unref?: () => void} | null)?.unref?.();
        child.on("exit", (code, signal) => {
            const error = new EngineError(`the GGUF worker process for ${info.path} exited (${signal ?? `code ${code}`})${logTail.describe()}`, {engine: this.id});
            this.dead ??= error;
            for (const p of this.pending.values()) p.reject(error);
            this.pending.clear();
        });
    }

    /**
     * Load a GGUF model from a path or `hf:owner/repo/file.gguf`. Throws `ModelLoadError` when the
     * file is invalid or llama.cpp cannot load it (even when llama.cpp aborts), `NotFound` when it
     * does not exist.
     */
    static async load(source: string, options: GgufEngineOptions = {}): Promise<GgufEngine> {
        const sequences = options.sequences ?? options.concurrency ?? 4;
        const threads = options.threads ?? defaultGgufThreads();
        const maxTokens = options.maxTokens ?? 512;
        for (const [field, value] of [["sequences", sequences], ["threads", threads], ["maxTokens", maxTokens]] as const)
            if (!Number.isInteger(value) || value < 1) throw new ConfigError(`gguf engine option '${field}' must be a positive integer, got ${String(value)}`);
        if (options.contextSize != null && (!Number.isInteger(options.contextSize) || options.contextSize < 1))
            throw new ConfigError(`gguf engine option 'contextSize' must be a positive integer, got ${String(options.contextSize)}`);
        const kvCacheType = options.kvCacheType ?? "f16";
        const flashAttention = options.flashAttention ?? "auto";
        const gpu = options.gpu ?? "auto";
        if (!["auto", false, "cuda", "vulkan", "metal"].includes(gpu)) throw new ConfigError(`gguf engine option 'gpu' must be "auto", false, "cuda", "vulkan" or "metal", got ${JSON.stringify(gpu)}`);
        if (kvCacheType !== "f16" && kvCacheType !== "f32") throw new ConfigError(`gguf engine option 'kvCacheType' must be "f16" or "f32", got ${JSON.stringify(kvCacheType)}`);
        if (![true, false, "auto"].includes(flashAttention)) throw new ConfigError(`gguf engine option 'flashAttention' must be true, false or "auto", got ${JSON.stringify(flashAttention)}`);
        const path = source.startsWith("hf:")
            ? await hubDownload({repoType: "models", ...parseGgufHubUri(source)}, options.hub)
            : source;
        if (!existsSync(path) || !statSync(path).isFile()) throw new NotFound(`GGUF model file ${path} does not exist`);
        let summary: GgufModelSummary;
        try {
            summary = validateGgufModel(readGguf(path));
        } catch (err) {
            if (err instanceof InvalidInput) throw new ModelLoadError(err.message, {engine: `gguf:${source}`, cause: err});
            throw err;
        }
        const loadOptions: WorkerLoadOptions = {
            modelPath: path, gpu, threads, sequences, contextSize: options.contextSize,
            kvCacheType, flashAttention, vocabSize: summary.vocabSize ?? 0
        };

        const hashing = sha256File(path);
        const {file, execArgv} = workerEntry();
        const child = fork(file, [], {stdio: ["ignore", "pipe", "pipe", "ipc"], serialization: "advanced", execArgv});
        const logTail = new LogTail();
        child.stdout!.on("data", (chunk: Buffer) => logTail.add(chunk));
        child.stderr!.on("data", (chunk: Buffer) => logTail.add(chunk));
        let workerInfo: WorkerModelInfo;
        try {
            workerInfo = await new Promise<WorkerModelInfo>((resolve, reject) => {
                const fail = (why: string) => reject(new ModelLoadError(`cannot load ${path}: ${why}${logTail.describe()}`, {engine: `gguf:${source}`}));
                const timer = setTimeout(() => fail(`llama.cpp did not finish loading within ${options.loadTimeoutMs ?? 300_000} ms`), options.loadTimeoutMs ?? 300_000);
                child.once("error", (err) => {
                    clearTimeout(timer);
                    fail(`the worker process could not start (${err.message})`);
                });
                let started = false;
                child.once("exit", (code, signal) => {
                    clearTimeout(timer);
                    fail(started
                        ? `the llama.cpp worker process died while loading it (${signal ?? `exit code ${code}`}); the file is malformed or not supported by this llama.cpp`
                        : `the worker process could not start (${signal ?? `exit code ${code}`}; is node-llama-cpp installed?)`);
                });
                child.on("message", function onLoadMessage(message: WorkerMessage) {
                    if (message.type === "ready") {
                        started = true;
                        child.send({type: "load", options: loadOptions} satisfies ParentMessage);
                        return;
                    }
                    clearTimeout(timer);
                    child.off("message", onLoadMessage);
                    if (message.type === "loaded") resolve(message.info);
                    else if (message.type === "loadFailed") fail(message.error.message);
                    else fail(`unexpected worker message '${message.type}'`);
                });
            });
        } catch (err) {
            child.kill("SIGKILL");
            await hashing.catch(() => undefined);
            throw err;
        }
        child.removeAllListeners("exit");
        child.removeAllListeners("error");
        const sha256 = await hashing;
        return new GgufEngine(source, {...workerInfo, path, sha256, model: summary}, child, logTail, maxTokens, kvCacheType, flashAttention);
    }

    private onMessage(message: WorkerMessage): void {
        if (message.type !== "result" && message.type !== "failed") return;
        const p = this.pending.get(message.id);
        if (p == null) return;
        this.forget(message.id);
        if (message.type === "result") p.resolve(message.value);
        else p.reject(this.toError(message.error));
    }

    private toError(error: WorkerError): Error {
        const Class = errorClasses[error.name];
        if (Class != null) return new Class(error.message);
        return new EngineError(error.message, {engine: this.id});
    }

    private call<T>(message: ParentMessage & {id: number}, signal?: AbortSignal): Promise<T> {
        if (this.dead != null) return Promise.reject(this.dead);
        if (this.closing != null) return Promise.reject(new EngineError(`${this.id} is closed`, {engine: this.id}));
        if (signal?.aborted) return Promise.reject(new Aborted("generation aborted"));
        return new Promise<T>((resolve, reject) => {
            const onAbort = () => {
                this.child.send({type: "abort", id: message.id} satisfies ParentMessage);
                this.forget(message.id);
                reject(new Aborted("generation aborted"));
            };
            signal?.addEventListener("abort", onAbort, {once: true});
            this.pending.set(message.id, {
                resolve: (v) => {
                    signal?.removeEventListener("abort", onAbort);
                    resolve(v as T);
                },
                reject: (e) => {
                    signal?.removeEventListener("abort", onAbort);
                    reject(e);
                }
            });
            if (this.pending.size === 1) this.child.channel?.ref();
            try {
                this.child.send(message);
            } catch (err) {
                // The worker died and its exit has not been processed yet.
                this.forget(message.id);
                reject(new EngineError(`the GGUF worker process for ${this.info.path} is gone`, {engine: this.id, cause: err}));
            }
        });
    }

    private forget(id: number): void {
        this.pending.delete(id);
        if (this.pending.size === 0) this.child.channel?.unref();
    }

    async generate(requests: GenerateRequest[], options: CallOptions = {}): Promise<GenerateResult[]> {
        validateRequests(requests);
        const started = performance.now();
        const workerRequests: WorkerRequest[] = requests.map((r) => {
            const o = r.options ?? {};
            return {
                messages: r.messages,
                sampling: {
                    temperature: o.temperature ?? 0,
                    topP: o.topP ?? 1,
                    maxTokens: o.maxTokens ?? this.defaultMaxTokens,
                    stop: o.stop ?? [],
                    seed: o.seed,
                    n: o.n ?? 1,
                    logprobs: o.logprobs ?? false,
                    topLogprobs: o.topLogprobs ?? 0
                }
            };
        });
        const results = await this.call<WorkerRequestResult[]>({type: "generate", id: this.nextId++, requests: workerRequests}, options.signal);
        const wall = performance.now() - started;
        return results.map((r) => ({
            completions: r.completions,
            usage: r.usage,
            latencyMs: requests.length === 1 ? wall : r.latencyMs,
            model: this.id
        }));
    }

    /** Prompt tokens for `messages`: the model's chat template with the generation prompt, tokenized. */
    applyChatTemplate(messages: Message[]): Promise<number[]> {
        validateRequests([{messages}]);
        return this.call({type: "render", id: this.nextId++, messages});
    }

    /** Tokens of `text`, special-token text (`<|eos|>`) recognised. */
    tokenize(text: string): Promise<number[]> {
        return this.call({type: "tokenize", id: this.nextId++, text});
    }

    /** Text of `tokens`, special tokens written out. */
    detokenize(tokens: number[]): Promise<string> {
        return this.call({type: "detokenize", id: this.nextId++, tokens});
    }

    /**
     * The model's full next-token distribution (untempered, untruncated) after `tokens`: one
     * `Float32Array` of vocabulary size, or one per position with `allPositions`. Read P("A") vs
     * P("B") at a verdict position with it; calls run in parallel on the engine's sequences.
     */
    nextTokenProbabilities(tokens: number[], options: {allPositions?: boolean} = {}): Promise<Float32Array[]> {
        return this.call({type: "probabilities", id: this.nextId++, tokens, allPositions: options.allPositions ?? false});
    }

    /** Stop the worker process (waits for it to free the model). Safe to call twice. */
    close(): Promise<void> {
        this.closing ??= new Promise<void>((resolve) => {
            if (this.child.exitCode != null || this.child.signalCode != null) {
                resolve();
                return;
            }
            const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
            this.child.once("exit", () => {
                clearTimeout(timer);
                resolve();
            });
            try {
                this.child.send({type: "close"} satisfies ParentMessage);
            } catch {
                this.child.kill("SIGKILL");
            }
        });
        return this.closing;
    }
}

/** The last few kilobytes a worker printed, to explain a crash (llama.cpp prints GGML_ASSERT there). */
class LogTail {
    private text = "";

    add(chunk: Buffer): void {
        this.text = (this.text + chunk.toString("utf8")).slice(-4000);
    }

    describe(): string {
        const lines = this.text.trim().split("\n").filter((l) => l.trim() !== "").slice(-6);
        return lines.length === 0 ? "" : `; llama.cpp said: ${lines.join(" | ")}`;
    }
}
