// A small local HTTP server that speaks the OpenAI chat-completions protocol (`POST /v1/chat/completions`)
// and the Anthropic Messages protocol (`POST /v1/messages`), answering with a deterministic reply and
// injecting the faults real servers produce: error statuses with or without Retry-After, slow
// answers, dropped connections, malformed bodies, and llama.cpp's refusal of n > 1. It records every
// request it sees, so tests can count what was sent against what came back.
//
// It tests the clients' protocol handling; it is not a model. Used by the engine tests, the engines
// benchmark (in its own process), the offline examples, and other layers' tests of HTTP engines.
import {createServer} from "node:http";
import type {IncomingHttpHeaders, IncomingMessage, Server, ServerResponse} from "node:http";
import {createServer as createHttpsServer} from "node:https";
import type {AddressInfo} from "node:net";

/** A fault to inject instead of a normal answer. */
export type ChatFault =
    /** Answer with this status (and body / headers, e.g. `retry-after`). */
    | {kind: "status", status: number, body?: string, headers?: Record<string, string>}
    /** Wait `ms` before answering normally. */
    | {kind: "slow", ms: number}
    /** Send the headers and half the body, wait `ms`, then the rest. */
    | {kind: "slow-body", ms: number}
    /** Destroy the connection without answering. */
    | {kind: "drop"}
    /** Send the headers and part of a 200 body, then destroy the connection. */
    | {kind: "drop-mid-body"}
    /** Answer 200 with this body (not JSON, or JSON that is not the protocol). */
    | {kind: "malformed", body: string};

/** A request as the server saw it. */
export interface SeenRequest {
    /** Order of arrival, from 1. */
    seq: number;
    path: string;
    headers: IncomingHttpHeaders;
    /** The parsed JSON body (the raw text when it is not JSON). */
    body: any;
    /** `Date.now()` when it arrived. */
    at: number;
    /** What the server did: `ok`, `rejected` (a protocol-level 4xx), or the injected fault's kind. */
    outcome: string;
    /** `Date.now()` when the client closed the connection before the whole answer was sent (it gave up). */
    abandonedAt?: number;
}

/** What a reply is computed from. */
export interface ReplyContext {
    protocol: "openai" | "anthropic";
    model: string;
    /** The conversation, system prompt included (for Anthropic, the top-level `system` first). */
    messages: {role: string, content: string}[];
    seed?: number;
    /** Which of the `n` choices of an OpenAI request this is (0 for Anthropic). */
    sample: number;
}

export interface ScriptedChatServerOptions {
    /** The reply text. Defaults to `echo: <last user message>` plus ` [seed S]` and ` [sample i]` when set. */
    reply?: (context: ReplyContext) => string;
    /** A fault for a request (consulted after the queue of `failNext`). Defaults to none. */
    fault?: (request: SeenRequest) => ChatFault | undefined;
    /** Answer `n > 1` with 400 "Only one completion choice is allowed", as llama.cpp server does. Defaults to `false`. */
    rejectN?: boolean;
    /** Ignore `n` and always answer with one choice, as some servers do. Defaults to `false`. */
    ignoreN?: boolean;
    /** Key the clients must send (`Authorization: Bearer` for OpenAI, `x-api-key` for Anthropic). Defaults to none. */
    apiKey?: string;
    /** Delay before every answer, in milliseconds. Defaults to `0`. */
    latencyMs?: number;
    /** Keep every request in `requests`. Defaults to `true` (turn off for benchmarks). */
    record?: boolean;
    /** `system_fingerprint` of OpenAI answers. Defaults to `"fp_scripted"`. */
    systemFingerprint?: string;
    /** Port to listen on (127.0.0.1). Defaults to `0` (any free port). */
    port?: number;
    /**
     * Close a kept-alive connection, without answering, when a second request arrives on it (and
     * without announcing it with `Connection: close`): what a client sees when a server closes an
     * idle connection just as a request goes out on it. Such requests count in `staleResets`, not
     * in `requests`. Defaults to `false`.
     */
    resetReusedConnections?: boolean;
    /** Serve https with this certificate and key (PEM) instead of http. Defaults to none (http). */
    tls?: {cert: string, key: string};
}

export class ScriptedChatServer {
    /** `http://127.0.0.1:<port>` (`https:` with `tls`): the Anthropic base URL. */
    readonly url: string;
    /** `<url>/v1`: the OpenAI base URL. */
    readonly openaiBaseUrl: string;
    /** Every request seen, in order of arrival (when `record` is on). */
    readonly requests: SeenRequest[] = [];
    /** Requests seen, including unrecorded ones. */
    received = 0;
    /** TCP connections accepted: fewer than requests when clients keep connections alive. */
    connections = 0;
    /** Requests received and not yet answered (or abandoned). */
    inFlight = 0;
    /** The most requests in flight at once. */
    peakInFlight = 0;
    /** Requests refused by closing their reused connection (`resetReusedConnections`). */
    staleResets = 0;
    private readonly server: Server;
    private readonly options: ScriptedChatServerOptions;
    private readonly queue: ChatFault[] = [];
    private readonly timers = new Set<NodeJS.Timeout>();
    private readonly served = new WeakSet<object>();

    private constructor(server: Server, options: ScriptedChatServerOptions) {
        this.server = server;
        this.options = options;
        const {port} = server.address() as AddressInfo;
        this.url = `${options.tls != null ? "https" : "http"}://127.0.0.1:${port}`;
        this.openaiBaseUrl = `${this.url}/v1`;
    }

    static async start(options: ScriptedChatServerOptions = {}): Promise<ScriptedChatServer> {
        const server = options.tls != null ? createHttpsServer(options.tls) : createServer();
        server.keepAliveTimeout = 60_000;
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
        });
        const scripted = new ScriptedChatServer(server, options);
        server.on("connection", () => scripted.connections++);
        server.on("request", (req, res) => scripted.handle(req, res));
        return scripted;
    }

    /** Inject these faults into the next requests, one each, in order. */
    failNext(...faults: ChatFault[]): void {
        this.queue.push(...faults);
    }

    /** Recorded requests with the given outcome. */
    count(outcome: string): number {
        return this.requests.filter((r) => r.outcome === outcome).length;
    }

    async close(): Promise<void> {
        for (const timer of this.timers) clearTimeout(timer);
        this.timers.clear();
        this.server.closeAllConnections();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }

    private handle(req: IncomingMessage, res: ServerResponse): void {
        if (this.options.resetReusedConnections === true) {
            if (this.served.has(req.socket)) {
                this.staleResets++;
                req.socket.destroy();
                return;
            }
            this.served.add(req.socket);
        }
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let body: any = text;
            try {
                body = JSON.parse(text);
            } catch {
                // recorded as text; answered below as a bad request
            }
            const seen: SeenRequest = {seq: ++this.received, path: req.url ?? "", headers: req.headers, body, at: Date.now(), outcome: "ok"};
            if (this.options.record !== false) this.requests.push(seen);
            this.peakInFlight = Math.max(this.peakInFlight, ++this.inFlight);
            res.once("close", () => {
                this.inFlight--;
                if (!res.writableFinished && seen.outcome !== "drop" && seen.outcome !== "drop-mid-body") seen.abandonedAt = Date.now();
            });
            const fault = this.queue.shift() ?? this.options.fault?.(seen);
            const latency = this.options.latencyMs ?? 0;
            if (latency > 0) this.later(latency, () => this.answer(seen, fault, res));
            else this.answer(seen, fault, res);
        });
    }

    private answer(seen: SeenRequest, fault: ChatFault | undefined, res: ServerResponse): void {
        if (fault != null) seen.outcome = fault.kind;
        switch (fault?.kind) {
            case "status":
                send(res, fault.status, fault.body ?? JSON.stringify({error: {message: `injected HTTP ${fault.status}`, type: "injected"}}), fault.headers);
                return;
            case "drop":
                res.socket?.destroy();
                return;
            case "slow":
                this.later(fault.ms, () => this.answerNormally(seen, res));
                return;
            case "malformed":
                send(res, 200, fault.body);
                return;
            case "drop-mid-body":
            case "slow-body": {
                const {status, body} = this.normalAnswer(seen);
                res.writeHead(status, {"content-type": "application/json", "content-length": Buffer.byteLength(body)});
                res.write(body.slice(0, body.length >> 1));
                if (fault.kind === "drop-mid-body") {
                    // Let the headers and the first half reach the client before the connection dies.
                    this.later(5, () => res.socket?.destroy());
                } else {
                    this.later(fault.ms, () => res.end(body.slice(body.length >> 1)));
                }
                return;
            }
            default:
                this.answerNormally(seen, res);
        }
    }

    private answerNormally(seen: SeenRequest, res: ServerResponse): void {
        const {status, body} = this.normalAnswer(seen);
        if (status !== 200) seen.outcome = "rejected";
        send(res, status, body);
    }

    private normalAnswer(seen: SeenRequest): {status: number, body: string} {
        if (seen.path === "/v1/chat/completions") return this.openai(seen);
        if (seen.path === "/v1/messages") return this.anthropic(seen);
        return {status: 404, body: JSON.stringify({error: {message: `no route ${seen.path}`, type: "not_found"}})};
    }

    private openai(seen: SeenRequest): {status: number, body: string} {
        const error = (status: number, message: string) =>
            ({status, body: JSON.stringify({error: {code: status, message, type: "invalid_request_error"}})});
        const key = this.options.apiKey;
        if (key != null && seen.headers.authorization !== `Bearer ${key}`) return error(401, "Incorrect API key provided");
        const body = seen.body;
        if (body == null || typeof body !== "object" || typeof body.model !== "string" || !Array.isArray(body.messages))
            return error(400, "'model' and 'messages' are required");
        const n = body.n ?? 1;
        if (n > 1 && this.options.rejectN === true) return error(400, "Only one completion choice is allowed");
        const choices = [];
        let completionTokens = 0;
        for (let sample = 0; sample < (this.options.ignoreN === true ? 1 : n); sample++) {
            const reply = this.reply({protocol: "openai", model: body.model, messages: body.messages, seed: body.seed, sample});
            const {text, finish, tokens} = limit(reply, body.stop, body.max_tokens ?? body.max_completion_tokens);
            completionTokens += tokens.length;
            choices.push({
                index: sample,
                message: {role: "assistant", content: text},
                logprobs: body.logprobs === true ? {content: tokenLogprobs(tokens, body.top_logprobs ?? 0)} : null,
                finish_reason: finish
            });
        }
        const promptTokens = countTokens(body.messages);
        return {status: 200, body: JSON.stringify({
            id: `chatcmpl-${seen.seq}`,
            object: "chat.completion",
            created: Math.floor(seen.at / 1000),
            model: body.model,
            system_fingerprint: this.options.systemFingerprint ?? "fp_scripted",
            choices,
            usage: {prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens}
        })};
    }

    private anthropic(seen: SeenRequest): {status: number, body: string} {
        const error = (status: number, type: string, message: string) =>
            ({status, body: JSON.stringify({type: "error", error: {type, message}})});
        const key = this.options.apiKey;
        if (key != null && seen.headers["x-api-key"] !== key) return error(401, "authentication_error", "invalid x-api-key");
        if (seen.headers["anthropic-version"] == null) return error(400, "invalid_request_error", "anthropic-version: header is required");
        const body = seen.body;
        if (body == null || typeof body !== "object" || typeof body.model !== "string" || !Array.isArray(body.messages))
            return error(400, "invalid_request_error", "model and messages are required");
        if (!Number.isInteger(body.max_tokens)) return error(400, "invalid_request_error", "max_tokens: Field required");
        if ("n" in body) return error(400, "invalid_request_error", "n: Extra inputs are not permitted");
        if (body.messages.some((m: {role: string}) => m.role !== "user" && m.role !== "assistant"))
            return error(400, "invalid_request_error", "messages: roles must be user or assistant; use the top-level system parameter");
        const messages = typeof body.system === "string" ? [{role: "system", content: body.system}, ...body.messages] : body.messages;
        const reply = this.reply({protocol: "anthropic", model: body.model, messages, sample: 0});
        const {text, finish, tokens, stoppedBy} = limit(reply, body.stop_sequences, body.max_tokens);
        return {status: 200, body: JSON.stringify({
            id: `msg_${seen.seq}`,
            type: "message",
            role: "assistant",
            model: body.model,
            content: [{type: "text", text}],
            stop_reason: finish === "length" ? "max_tokens" : stoppedBy != null ? "stop_sequence" : "end_turn",
            stop_sequence: stoppedBy ?? null,
            usage: {input_tokens: countTokens(messages), output_tokens: tokens.length}
        })};
    }

    private reply(context: ReplyContext): string {
        if (this.options.reply != null) return this.options.reply(context);
        const lastUser = [...context.messages].reverse().find((m) => m.role === "user");
        let text = `echo: ${lastUser?.content ?? ""}`;
        if (context.seed != null) text += ` [seed ${context.seed}]`;
        if (context.sample > 0) text += ` [sample ${context.sample}]`;
        return text;
    }

    private later(ms: number, fn: () => void): void {
        const timer = setTimeout(() => {
            this.timers.delete(timer);
            fn();
        }, ms);
        this.timers.add(timer);
    }
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    res.writeHead(status, {"content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers});
    res.end(body);
}

/** Whitespace-delimited "tokens", each keeping its trailing space, so they concatenate back to the text. */
function tokenize(text: string): string[] {
    return text.match(/\s*\S+\s*/g) ?? [];
}

function countTokens(messages: {content?: unknown}[]): number {
    return messages.reduce((sum, m) => sum + (typeof m.content === "string" ? tokenize(m.content).length : 0), 0);
}

/** Apply stop strings and a token limit to a reply. */
function limit(reply: string, stop: unknown, maxTokens: unknown): {text: string, finish: string, tokens: string[], stoppedBy?: string} {
    let text = reply;
    let stoppedBy: string | undefined;
    if (Array.isArray(stop)) {
        for (const s of stop) {
            const at = typeof s === "string" && s !== "" ? text.indexOf(s) : -1;
            if (at >= 0) {
                text = text.slice(0, at);
                stoppedBy = s;
            }
        }
    }
    let tokens = tokenize(text);
    if (typeof maxTokens === "number" && tokens.length > maxTokens) {
        tokens = tokens.slice(0, maxTokens);
        return {text: tokens.join(""), finish: "length", tokens};
    }
    return {text, finish: "stop", tokens, stoppedBy};
}

/** Deterministic logprobs: token t has logprob -(t+1)/10; alternatives follow, each 1 lower. */
function tokenLogprobs(tokens: string[], top: number): object[] {
    return tokens.map((token, t) => {
        const logprob = -(t + 1) / 10;
        const alternatives = [{token, logprob, bytes: [...Buffer.from(token)]}];
        for (let j = 1; j < top; j++) alternatives.push({token: `alt${j}`, logprob: logprob - j, bytes: [...Buffer.from(`alt${j}`)]});
        return {token, logprob, bytes: [...Buffer.from(token)], top_logprobs: top > 0 ? alternatives : []};
    });
}
