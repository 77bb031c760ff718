// Submitting request files to the batch APIs and fetching their results over HTTP.
//   OpenAI: POST /files (multipart, purpose=batch) → POST /batches {input_file_id, endpoint,
//     completion_window: "24h"} → GET /batches/{id} until completed | failed | expired | cancelled →
//     GET /files/{output_file_id | error_file_id}/content.
//   Anthropic: POST /v1/messages/batches {requests} → GET /v1/messages/batches/{id} until
//     processing_status is "ended" → GET results_url.
// Transient failures (429, 5xx, dropped connections) are retried with backoff, honouring Retry-After.
import {
    Aborted, ConfigError, EngineAuthError, EngineBadRequest, EngineConnectionError, EngineError, EngineProtocolError,
    EngineServerError
} from "../../errors.js";
import {backoffMs, retryAfterMs} from "../../engines/http/retryDelay.js";
import type {BatchTarget} from "./BatchTarget.js";

export interface BatchApiOptions {
    /** Retries of a failed HTTP call (429, 5xx, connection errors). Defaults to `4`. */
    retries?: number;
    /** First backoff in milliseconds; doubles each retry. Defaults to `1000`. */
    retryBaseMs?: number;
    /** The `fetch` to use. Defaults to the global `fetch`. */
    fetch?: typeof fetch;
}

/** Where a submitted batch stands. */
export interface BatchPoll {
    /** The provider's status (`in_progress`, `completed`, `ended`, ...). */
    status: string;
    /** True once the provider has finished with the batch (results, if any, can be fetched). */
    ended: boolean;
    /** OpenAI: whole-batch errors (a failed validation). */
    errors: string[];
}

/** The result files of an ended batch, as JSONL text (OpenAI may give an output and an error file). */
export interface BatchResultsText {
    name: string;
    text: string;
}

const openAITerminal = new Set(["completed", "failed", "expired", "cancelled"]);

export class BatchApi {
    readonly target: BatchTarget;
    private readonly retries: number;
    private readonly retryBaseMs: number;
    private readonly fetchImpl: typeof fetch;

    constructor(target: BatchTarget, options: BatchApiOptions = {}) {
        if (target.official && target.apiKey == null)
            throw new ConfigError(`--submit to ${target.baseUrl} needs an API key: set ${target.provider === "openai" ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY"}, or leave --submit off and submit the request files yourself`);
        this.target = target;
        this.retries = options.retries ?? 4;
        this.retryBaseMs = options.retryBaseMs ?? 1000;
        this.fetchImpl = options.fetch ?? fetch;
    }

    /**
     * Create a batch from a request file's text. OpenAI: `onUpload` is called with the uploaded
     * file's id before the batch is created (so a resumed run need not upload again). Returns the
     * provider's batch id.
     */
    async submit(name: string, fileText: string, inputFileId: string | null, onUpload: (fileId: string) => void): Promise<string> {
        if (this.target.provider === "anthropic") {
            const batch = await this.json("POST", "/v1/messages/batches", fileText);
            return this.stringField(batch, "id");
        }
        let fileId = inputFileId;
        if (fileId == null) {
            const form = new FormData();
            form.append("purpose", "batch");
            form.append("file", new Blob([fileText], {type: "application/jsonl"}), `${name}.jsonl`);
            fileId = this.stringField(await this.json("POST", "/files", form), "id");
            onUpload(fileId);
        }
        // The metadata names the batch in the provider's dashboard, to find it if a run dies before recording its id.
        const batch = await this.json("POST", "/batches", JSON.stringify({
            input_file_id: fileId, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: {rmr1_batch: name}
        }));
        return this.stringField(batch, "id");
    }

    /**
     * After a run died between creating a batch and recording its id: the id of the batch created
     * from `name`, null when none was, or undefined when the API cannot tell. OpenAI batches carry
     * `metadata.rmr1_batch` (and an input file id); Anthropic batches carry nothing to match on.
     */
    async findCreated(name: string, inputFileId: string | null): Promise<string | null | undefined> {
        if (this.target.provider === "anthropic") return undefined;
        if (inputFileId == null) return null;   // the upload never finished, so no batch was created from it
        // The batch would be among the most recent (the list is newest first).
        const list = await this.json("GET", "/batches?limit=100");
        const found = (Array.isArray(list.data) ? list.data : []).find((b: any) => b?.metadata?.rmr1_batch === name && b?.input_file_id === inputFileId);
        return typeof found?.id === "string" ? found.id : null;
    }

    async poll(remoteId: string): Promise<BatchPoll> {
        if (this.target.provider === "anthropic") {
            const batch = await this.json("GET", `/v1/messages/batches/${encodeURIComponent(remoteId)}`);
            const status = this.stringField(batch, "processing_status");
            return {status, ended: status === "ended", errors: []};
        }
        const batch = await this.json("GET", `/batches/${encodeURIComponent(remoteId)}`);
        const status = this.stringField(batch, "status");
        const errors = Array.isArray(batch.errors?.data) ? batch.errors.data.map((e: any) => `${e?.code ?? "error"}: ${e?.message ?? ""}${e?.line != null ? ` (line ${e.line})` : ""}`) : [];
        return {status, ended: openAITerminal.has(status), errors};
    }

    /** The result files of an ended batch. */
    async results(remoteId: string): Promise<BatchResultsText[]> {
        if (this.target.provider === "anthropic") {
            const batch = await this.json("GET", `/v1/messages/batches/${encodeURIComponent(remoteId)}`);
            const url = this.stringField(batch, "results_url");
            return [{name: "results", text: await this.text("GET", url)}];
        }
        const batch = await this.json("GET", `/batches/${encodeURIComponent(remoteId)}`);
        const out: BatchResultsText[] = [];
        for (const [name, field] of [["results", "output_file_id"], ["errors", "error_file_id"]] as const) {
            const fileId = batch[field];
            if (typeof fileId === "string" && fileId !== "") out.push({name, text: await this.text("GET", `/files/${encodeURIComponent(fileId)}/content`)});
        }
        return out;
    }

    private async json(method: string, path: string, body?: string | FormData): Promise<Record<string, any>> {
        const text = await this.text(method, path, body);
        try {
            const value = JSON.parse(text) as unknown;
            if (value != null && typeof value === "object" && !Array.isArray(value)) return value as Record<string, any>;
        } catch {
            // reported below
        }
        throw new EngineProtocolError(`${this.target.id}: ${method} ${path} did not answer with a JSON object: ${text.slice(0, 200)}`, {engine: this.target.id});
    }

    /** One HTTP call with retries; `pathOrUrl` is a path under the base URL or an absolute URL (Anthropic's results_url). */
    private async text(method: string, pathOrUrl: string, body?: string | FormData): Promise<string> {
        const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : this.target.baseUrl + pathOrUrl;
        const headers: Record<string, string> = {};
        if (typeof body === "string") headers["content-type"] = "application/json";
        if (this.target.provider === "openai") {
            if (this.target.apiKey != null) headers.authorization = `Bearer ${this.target.apiKey}`;
        } else {
            if (this.target.apiKey != null) headers["x-api-key"] = this.target.apiKey;
            headers["anthropic-version"] = "2023-06-01";
        }
        for (let attempt = 0; ; attempt++) {
            let response: Response;
            let text: string;
            try {
                response = await this.fetchImpl(url, {method, headers, body});
                text = await response.text();
            } catch (e) {
                if (attempt >= this.retries)
                    throw new EngineConnectionError(`${this.target.id}: could not reach ${url} (${(e as Error).message}); check the base URL and the network, then rerun to resume`, {engine: this.target.id, cause: e});
                await sleep(backoffMs(attempt, this.retryBaseMs, 30_000));
                continue;
            }
            if (response.ok) return text;
            const status = response.status;
            const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
            if (retryable && attempt < this.retries) {
                await sleep(retryAfterMs(response.headers) ?? backoffMs(attempt, this.retryBaseMs, 30_000));
                continue;
            }
            throw this.statusError(method, url, status, text);
        }
    }

    private statusError(method: string, url: string, status: number, text: string): EngineError {
        const detail = `${this.target.id}: ${method} ${url} answered HTTP ${status}: ${text.replace(/\s+/g, " ").slice(0, 300)}`;
        const engine = this.target.id;
        if (status === 401 || status === 403) return new EngineAuthError(`${detail}. Set a valid ${this.target.provider === "openai" ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY"}`, {status, engine});
        if (status >= 500 || status === 429) return new EngineServerError(`${detail}. Retried; rerun later to resume`, {status, engine, retryable: true});
        return new EngineBadRequest(detail, {status, engine});
    }

    private stringField(value: Record<string, any>, field: string): string {
        const v = value[field];
        if (typeof v !== "string" || v === "") throw new EngineProtocolError(`${this.target.id}: the batch API's answer has no '${field}'`, {engine: this.target.id});
        return v;
    }
}

/** Wait `ms`, or stop early with `Aborted` when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(new Aborted("stopped while waiting"));
    return new Promise((resolve, reject) => {
        const onAbort = () => {
            clearTimeout(timer);
            reject(new Aborted("stopped while waiting"));
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        signal?.addEventListener("abort", onAbort, {once: true});
    });
}
