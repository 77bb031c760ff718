// `rmr1 serve`: an HTTP server (node:http, no framework) that puts a judge model in front of RLHF
// trainers and apps. Routes (docs/serve-api.md):
//
//   POST /v1/judge             one or many pairs → judgments with their traces
//   POST /v1/rank              N candidates → ranking (knockout, Elo, Bradley–Terry)
//   POST /get_reward           OpenRLHF's remote reward protocol (modes rm-r1, reference, group)
//   POST /v1/chat/completions  the OpenAI protocol over the served engine (native, GGUF, ...)
//   GET  /v1/models            the served model, for OpenAI clients
//   GET  /healthz              liveness (never needs the token)
//   GET  /metrics              Prometheus text
//
// Each request goes through: drain check → bearer token → method → body (size limit, JSON) →
// admission (bounded queue, 429 with Retry-After) → handler under a deadline (504) → JSON answer.
// Concurrent engine calls are micro-batched for engines that decode batches (native, GGUF).
// `close()` drains: no new requests, in-flight and queued ones finish, then the sockets close.
import {createHash, randomUUID} from "node:crypto";
import {createServer} from "node:http";
import type {IncomingMessage, Server, ServerResponse} from "node:http";
import type {AddressInfo} from "node:net";
import {ConfigError, InvalidInput} from "../errors.js";
import type {Engine} from "../engines/Engine.js";
import {Judge} from "../judge/Judge.js";
import type {JudgeOptions} from "../judge/Judge.js";
import {parseJudgeInput, parseRankInput} from "../judge/judgeInput.js";
import type {Judgment} from "../judge/Judgment.js";
import {mapConcurrent} from "../judge/mapConcurrent.js";
import {isOrderPolicy, orderPolicies} from "../judge/orderPolicy.js";
import {isRankMethod, rankCandidates, rankMethods} from "../judge/rankCandidates.js";
import type {RankMethod, Ranking} from "../judge/rankCandidates.js";
import {isProfileName, profileNames} from "../protocol/profiles.js";
import {AdmissionQueue} from "./AdmissionQueue.js";
import {isLoopbackHost} from "../viewer/startViewer.js";
import {checkBearer} from "./bearerAuth.js";
import {BatchingEngine} from "./BatchingEngine.js";
import type {BatchingEngineOptions} from "./BatchingEngine.js";
import {parseChatRequest, toChatChunks, toChatCompletion} from "./chatCompletions.js";
import {HttpError, httpErrorFrom} from "./HttpError.js";
import {prometheusContentType} from "./Metrics.js";
import {isRewardMode, parseRewardRequest, RewardService, rewardModes} from "./RewardService.js";
import type {RewardOptions} from "./RewardService.js";
import {ServerMetrics} from "./ServerMetrics.js";

/** Limits that protect the server. */
export interface ServeLimits {
    /** Largest request body in bytes (413 above it). Defaults to `8388608` (8 MiB). */
    maxBodyBytes?: number;
    /** Most pairs (`/v1/judge`), items (`/v1/rank`) or queries (`/get_reward`) per request. Defaults to `256`. */
    maxItems?: number;
    /** Most candidates per ranking. Defaults to `32`. */
    maxCandidates?: number;
    /** Requests worked on at once. Defaults to `64`. */
    maxConcurrent?: number;
    /** Requests waiting for a slot; beyond it the answer is 429 with Retry-After. Defaults to `256`. */
    maxQueue?: number;
    /** Deadline of one request (queue wait included), in ms; 504 after it. Defaults to `170000` (under OpenRLHF's 180 s client timeout). */
    timeoutMs?: number;
    /** Most completions (`n`) per chat request. Defaults to `8`. */
    maxN?: number;
}

export interface ServeOptions {
    /** The judge / chat engine. Defaults to none: only `/get_reward` in mode `rm-r1` (which needs no model), `/healthz` and `/metrics` work. */
    engine?: Engine | null;
    /** Interface to bind. Defaults to `"127.0.0.1"` (this machine only). Any other needs `token`. */
    host?: string;
    /** Port; `0` picks a free one. Defaults to `5000` (OpenRLHF's reward-server port). */
    port?: number;
    /** Bearer token every route but `/healthz` requires. Defaults to none (allowed on loopback only). */
    token?: string;
    /** Judge settings for `/v1/judge`, `/v1/rank` and the policy reward modes. Defaults to the `Judge` defaults. */
    judge?: JudgeOptions;
    /** `/get_reward` settings. Defaults to `RewardOptions` defaults (mode `rm-r1`). */
    reward?: RewardOptions;
    limits?: ServeLimits;
    /** Micro-batch concurrent engine calls: `true`, `false` or options. Defaults to `true` for `native:` and `gguf:` engines, `false` for others (HTTP engines batch on their server). */
    batching?: boolean | BatchingEngineOptions;
    /** Model name reported by `/v1/chat/completions` and `/v1/models`. Defaults to the engine id. */
    modelName?: string;
    /** Grace period of `close()` for in-flight work, in ms; connections are then cut. Defaults to `timeoutMs` + 5000. */
    drainTimeoutMs?: number;
    /** One line per request (method, path, status, ms). Defaults to none. */
    log?: (line: string) => void;
}

/** What a route handler returns: a JSON body (and status), or nothing when it wrote the answer itself. */
type RouteResult = {status?: number, body: unknown, headers?: Record<string, string>} | null;

interface RequestContext {
    req: IncomingMessage;
    res: ServerResponse;
    url: URL;
    body: unknown;
    /** Fires at the request's deadline or when the client goes away. */
    signal: AbortSignal;
    /** Run `fn` holding an admission slot (waits in the queue, or 429 when it is full). */
    withSlot<T>(fn: () => Promise<T>): Promise<T>;
}

interface Route {
    method: "GET" | "POST";
    /** Metrics label. */
    name: string;
    auth: boolean;
    handle(ctx: RequestContext): Promise<RouteResult>;
}

const defaultLimits: Required<ServeLimits> = {
    maxBodyBytes: 8 * 1024 * 1024, maxItems: 256, maxCandidates: 32, maxConcurrent: 64, maxQueue: 256, timeoutMs: 170_000, maxN: 8
};

export class RewardServer {
    /** `http://host:port`. */
    readonly url: string;
    readonly host: string;
    readonly port: number;
    readonly metrics: ServerMetrics;
    readonly limits: Required<ServeLimits>;
    /** The engine as the routes call it (micro-batched when batching is on); null without a model. */
    readonly engine: Engine | null;
    private readonly server: Server;
    private readonly options: ServeOptions;
    private readonly queue: AdmissionQueue;
    private readonly judge: Judge | null;
    private readonly rewards: RewardService;
    private readonly routes: Map<string, Route>;
    private readonly modelName: string;
    private readonly fingerprint: string;
    private readonly active = new Set<Promise<void>>();
    private readonly startedAt = Date.now();
    private draining = false;
    private closing: Promise<void> | null = null;

    private constructor(server: Server, address: AddressInfo, options: ServeOptions, parts: {
        engine: Engine | null, judge: Judge | null, queue: AdmissionQueue, metrics: ServerMetrics, limits: Required<ServeLimits>, rewards: RewardService
    }) {
        this.server = server;
        this.options = options;
        this.host = address.address;
        this.port = address.port;
        const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
        this.url = `http://${host}:${address.port}`;
        this.engine = parts.engine;
        this.judge = parts.judge;
        this.queue = parts.queue;
        this.metrics = parts.metrics;
        this.limits = parts.limits;
        this.rewards = parts.rewards;
        this.modelName = options.modelName ?? parts.engine?.id ?? "none";
        this.fingerprint = "fp_" + createHash("sha256").update(parts.engine?.identity ?? "none").digest("hex").slice(0, 10);
        this.routes = new Map<string, Route>([
            ["/v1/judge", {method: "POST", name: "judge", auth: true, handle: (c) => this.judgeRoute(c)}],
            ["/v1/rank", {method: "POST", name: "rank", auth: true, handle: (c) => this.rankRoute(c)}],
            ["/get_reward", {method: "POST", name: "get_reward", auth: true, handle: (c) => this.rewardRoute(c)}],
            ["/v1/chat/completions", {method: "POST", name: "chat", auth: true, handle: (c) => this.chatRoute(c)}],
            ["/v1/models", {method: "GET", name: "models", auth: true, handle: async () => this.modelsRoute()}],
            ["/healthz", {method: "GET", name: "healthz", auth: false, handle: async () => this.healthRoute()}],
            ["/metrics", {method: "GET", name: "metrics", auth: true, handle: async (c) => this.metricsRoute(c)}]
        ]);
        server.on("request", (req, res) => this.track(this.serve(req, res)));
    }

    /** Requests waiting for an admission slot. */
    get queued(): number {
        return this.queue.queued;
    }

    /** Requests holding an admission slot. */
    get inFlight(): number {
        return this.queue.inFlight;
    }

    /** Start listening. Throws `ConfigError` for a non-loopback host without a token, or a port in use. */
    static async start(options: ServeOptions = {}): Promise<RewardServer> {
        const host = options.host ?? "127.0.0.1";
        const token = options.token;
        if (token != null && token.length < 8)
            throw new ConfigError("the bearer token must have at least 8 characters; generate one with `openssl rand -hex 32`");
        if ((token == null || token === "") && !isLoopbackHost(host))
            throw new ConfigError(`binding to ${host} exposes the server beyond this machine; set a bearer token with --token or RMR1_TOKEN (or bind to 127.0.0.1)`);
        const limits: Required<ServeLimits> = {...defaultLimits, ...definedOnly(options.limits ?? {})};
        for (const [name, value] of Object.entries(limits)) {
            if (!Number.isInteger(value) || value < (name === "maxQueue" ? 0 : 1))
                throw new ConfigError(`limit ${name} must be a positive integer, got ${value}`);
        }
        const groupWaitMs = options.reward?.groupWaitMs ?? 120_000;
        if (options.reward?.mode === "group" && groupWaitMs >= limits.timeoutMs)
            throw new ConfigError(`the group wait (${groupWaitMs / 1000} s) must be shorter than the request timeout (${limits.timeoutMs / 1000} s), or requests time out before their group is scored; lower --group-wait or raise --timeout`);
        const queue = new AdmissionQueue({maxConcurrent: limits.maxConcurrent, maxQueue: limits.maxQueue});
        const metrics = new ServerMetrics({queued: () => queue.queued, inFlight: () => queue.inFlight});
        const engine = options.engine == null ? null : wrapEngine(options.engine, options.batching, metrics);
        const judge = engine == null ? null : new Judge(engine, options.judge);
        const rewards = new RewardService(judge, options.reward, {
            onJudgment: (j) => recordJudgment(metrics, j, "get_reward"),
            onUnparsed: () => metrics.parseFailures.inc({route: "get_reward"})
        }, (fn) => withSlot(queue, fn));
        const server = createServer({keepAliveTimeout: 65_000});
        await new Promise<void>((resolve, reject) => {
            const onError = (e: NodeJS.ErrnoException) => {
                reject(e.code === "EADDRINUSE"
                    ? new ConfigError(`port ${options.port ?? 5000} on ${host} is in use; pick another with --port`, {cause: e})
                    : e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND"
                        ? new ConfigError(`cannot bind to ${host}: not an address of this machine`, {cause: e})
                        : e);
            };
            server.once("error", onError);
            server.listen(options.port ?? 5000, host, () => {
                server.off("error", onError);
                resolve();
            });
        });
        return new RewardServer(server, server.address() as AddressInfo, options, {engine, judge, queue, metrics, limits, rewards});
    }

    /**
     * Stop gracefully: refuse new requests (503), score groups still filling, let in-flight and
     * queued requests finish (up to `drainTimeoutMs`), then close every connection. The engine is
     * not closed (the caller owns it). Safe to call twice.
     */
    close(): Promise<void> {
        this.closing ??= (async () => {
            this.draining = true;
            const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
            this.rewards.flushGroups();
            this.server.closeIdleConnections();
            const grace = this.options.drainTimeoutMs ?? this.limits.timeoutMs + 5000;
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([
                (async () => {
                    while (this.active.size > 0) await Promise.allSettled([...this.active]);
                })(),
                new Promise<void>((resolve) => {
                    timer = setTimeout(resolve, grace);
                })
            ]);
            clearTimeout(timer);
            this.server.closeAllConnections();
            await closed;
        })();
        return this.closing;
    }

    private track(work: Promise<void>): void {
        this.active.add(work);
        void work.finally(() => this.active.delete(work));
    }

    private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const started = performance.now();
        const url = new URL(req.url ?? "/", "http://localhost");
        const route = this.routes.get(url.pathname.replace(/\/+$/, "") || "/");
        const routeName = route?.name ?? "other";
        res.on("finish", () => {
            const seconds = (performance.now() - started) / 1000;
            this.metrics.requests.inc({route: routeName, status: String(res.statusCode)});
            this.metrics.latency.observe(seconds, {route: routeName});
            this.options.log?.(`${req.method} ${url.pathname} ${res.statusCode} ${(seconds * 1000).toFixed(1)}ms`);
        });
        const controller = new AbortController();
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            controller.abort();
        }, this.limits.timeoutMs);
        // A client that hangs up cancels its work.
        const onClose = () => {
            if (!res.writableEnded) controller.abort();
        };
        res.on("close", onClose);
        try {
            if (route == null) throw new HttpError(404, "not_found", `no route ${url.pathname}; see docs/serve-api.md (POST /v1/judge, /v1/rank, /get_reward, /v1/chat/completions; GET /healthz, /metrics, /v1/models)`);
            if (this.draining && route.name !== "healthz")
                throw new HttpError(503, "shutting_down", "the server is shutting down; retry on another replica or after it restarts", {headers: {connection: "close", "retry-after": "5"}});
            if (route.auth && this.options.token != null && this.options.token !== "" && !checkBearer(req.headers.authorization, this.options.token)) {
                throw new HttpError(401, "authentication", req.headers.authorization == null
                    ? "missing bearer token: send 'Authorization: Bearer <token>' (the server's --token / RMR1_TOKEN)"
                    : "wrong bearer token", {headers: {"www-authenticate": "Bearer realm=\"rmr1\""}});
            }
            if (req.method !== route.method && !(req.method === "HEAD" && route.method === "GET"))
                throw new HttpError(405, "method_not_allowed", `${url.pathname} takes ${route.method}, not ${req.method}`, {headers: {allow: route.method}});
            const body = route.method === "POST" ? await readJsonBody(req, this.limits.maxBodyBytes) : undefined;
            const result = await route.handle({req, res, url, body, signal: controller.signal, withSlot: (fn) => withSlot(this.queue, fn, controller.signal)});
            if (result != null) sendJson(res, result.status ?? 200, result.body, result.headers);
        } catch (e) {
            const error = httpErrorFrom(e, {timedOut, timeoutMs: this.limits.timeoutMs});
            if (error.status >= 500 && error.type === "internal_error") this.options.log?.(`internal error on ${url.pathname}: ${(e as Error)?.stack ?? String(e)}`);
            if (error.type.startsWith("engine")) this.metrics.engineErrors.inc({error: ((error.cause as Error)?.name ?? "Error")});
            if (res.headersSent) res.destroy();
            else if (!res.destroyed) sendJson(res, error.status, error.body(), error.headers);
        } finally {
            clearTimeout(timer);
            res.off("close", onClose);
        }
    }

    /** The engine and its judge; a 404 naming `path` when the server runs without a model. */
    private requireModel(path: string): {engine: Engine, judge: Judge} {
        if (this.engine == null || this.judge == null)
            throw new HttpError(404, "no_model", `${path} needs a model, and this server was started without one (--model); only /get_reward in mode rm-r1, /healthz and /metrics are available`);
        return {engine: this.engine, judge: this.judge};
    }

    private async judgeRoute(ctx: RequestContext): Promise<RouteResult> {
        const base = this.requireModel("/v1/judge").judge;
        const body = ctx.body as Record<string, unknown> | null;
        if (body == null || typeof body !== "object" || Array.isArray(body))
            throw new InvalidInput("the body must be a JSON object: {\"pairs\": [...]} or one pair");
        const single = !("pairs" in body);
        const values = single ? [body] : body.pairs;
        if (!Array.isArray(values) || values.length === 0) throw new InvalidInput("'pairs' must be a non-empty list of pairs", {field: "pairs"});
        if (values.length > this.limits.maxItems)
            throw new InvalidInput(`'pairs' has ${values.length} pairs; this server takes at most ${this.limits.maxItems} per request (--max-items)`, {field: "pairs"});
        const inputs = values.map((v, i) => {
            const {options: _options, ...pair} = v as Record<string, unknown>;
            return parseJudgeInput(single ? pair : v, single ? undefined : `pairs[${i}]`).input;
        });
        const judge = this.judgeWith(base, body.options);
        const judgments = await ctx.withSlot(() => mapConcurrent(inputs, 64, (input) => judge.judge(input, {signal: ctx.signal})));
        for (const j of judgments) recordJudgment(this.metrics, j, "judge");
        return {body: {judgments}};
    }

    private async rankRoute(ctx: RequestContext): Promise<RouteResult> {
        const base = this.requireModel("/v1/rank").judge;
        const body = ctx.body as Record<string, unknown> | null;
        if (body == null || typeof body !== "object" || Array.isArray(body))
            throw new InvalidInput("the body must be a JSON object: {\"prompt\", \"candidates\"} or {\"items\": [...]}");
        const many = "items" in body;
        const values = many ? body.items : [body];
        if (!Array.isArray(values) || values.length === 0) throw new InvalidInput("'items' must be a non-empty list", {field: "items"});
        if (values.length > this.limits.maxItems)
            throw new InvalidInput(`'items' has ${values.length} entries; this server takes at most ${this.limits.maxItems} per request (--max-items)`, {field: "items"});
        const method = readMethod(body.method);
        const inputs = values.map((v, i) => {
            const location = many ? `items[${i}]` : undefined;
            const {method: _m, options: _o, ...item} = v as Record<string, unknown>;
            const input = parseRankInput(item, location).input;
            if (input.candidates.length > this.limits.maxCandidates)
                throw new InvalidInput(`${location != null ? location + ": " : ""}'candidates' has ${input.candidates.length} entries; this server ranks at most ${this.limits.maxCandidates} (--max-candidates)`, {field: location != null ? `${location}.candidates` : "candidates"});
            return input;
        });
        const judge = this.judgeWith(base, body.options);
        const rankings: Ranking[] = await ctx.withSlot(() => mapConcurrent(inputs, 8, (input) => rankCandidates(judge, input, {method, concurrency: 16, signal: ctx.signal})));
        for (const r of rankings) for (const c of r.comparisons) recordJudgment(this.metrics, c.judgment, "rank");
        return {body: many ? {rankings} : {ranking: rankings[0]}};
    }

    private async rewardRoute(ctx: RequestContext): Promise<RouteResult> {
        const modeParam = ctx.url.searchParams.get("mode");
        if (modeParam != null && !isRewardMode(modeParam))
            throw new InvalidInput(`unknown reward mode '${modeParam}' in the URL; use one of ${rewardModes.join(", ")}`, {field: "mode"});
        const mode = modeParam ?? this.rewards.options.mode;
        const request = parseRewardRequest(ctx.body, this.limits.maxItems);
        // Group mode takes a slot per group when it is scored, not while its samples wait to gather.
        const response = mode === "reference"
            ? await ctx.withSlot(() => this.rewards.rewards(request, mode, ctx.signal))
            : await this.rewards.rewards(request, mode, ctx.signal);
        this.metrics.rewards.inc({mode}, response.rewards.length);
        return {body: response};
    }

    private async chatRoute(ctx: RequestContext): Promise<RouteResult> {
        const {engine} = this.requireModel("/v1/chat/completions");
        const call = parseChatRequest(ctx.body, {maxN: this.limits.maxN, maxMessages: 1024});
        const [result] = await ctx.withSlot(() => engine.generate([call.request], {signal: ctx.signal}));
        this.metrics.tokens.inc({kind: "prompt"}, result.usage.promptTokens);
        this.metrics.tokens.inc({kind: "completion"}, result.usage.completionTokens);
        const meta = {model: this.modelName, systemFingerprint: this.fingerprint, id: `chatcmpl-${randomUUID().replace(/-/g, "")}`};
        if (!call.stream) return {body: toChatCompletion(result, meta)};
        ctx.res.writeHead(200, {"content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive"});
        for (const chunk of toChatChunks(result, meta, call.includeUsage)) ctx.res.write(chunk);
        ctx.res.end();
        return null;
    }

    private modelsRoute(): RouteResult {
        const data = this.engine == null ? [] : [{id: this.modelName, object: "model", created: Math.floor(this.startedAt / 1000), owned_by: "rmr1"}];
        return {body: {object: "list", data}};
    }

    private healthRoute(): RouteResult {
        const body = {
            status: this.draining ? "draining" : "ok",
            model: this.engine?.id ?? null,
            reward_mode: this.rewards.options.mode,
            in_flight: this.queue.inFlight,
            queued: this.queue.queued,
            group_waiting: this.rewards.groupWaiting,
            uptime_s: Math.round((Date.now() - this.startedAt) / 1000)
        };
        return {status: this.draining ? 503 : 200, body};
    }

    private metricsRoute(ctx: RequestContext): RouteResult {
        const text = this.metrics.render();
        ctx.res.writeHead(200, {"content-type": prometheusContentType, "content-length": Buffer.byteLength(text)});
        ctx.res.end(ctx.req.method === "HEAD" ? undefined : text);
        return null;
    }

    /** The server's judge, or one with the per-request `options` applied (validated, fields named `options.x`). */
    private judgeWith(base: Judge, options: unknown): Judge {
        if (options == null) return base;
        if (typeof options !== "object" || Array.isArray(options)) throw new InvalidInput("'options' must be an object", {field: "options"});
        const o = options as Record<string, unknown>;
        const allowed = ["profile", "order", "samples", "temperature", "max_tokens", "seed", "resample", "tie_fallback"];
        for (const key of Object.keys(o)) {
            if (!allowed.includes(key)) throw new InvalidInput(`unknown option '${key}'; per-request options are ${allowed.join(", ")}`, {field: `options.${key}`});
        }
        const judgeOptions: JudgeOptions = {...this.options.judge};
        const num = (key: string) => {
            const v = o[key];
            if (v == null) return undefined;
            if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidInput(`'options.${key}' must be a number`, {field: `options.${key}`});
            return v;
        };
        if (o.profile != null) {
            if (typeof o.profile !== "string" || !isProfileName(o.profile)) throw new InvalidInput(`'options.profile' must be one of ${profileNames.join(", ")}`, {field: "options.profile"});
            judgeOptions.profile = o.profile;
        }
        if (o.order != null) {
            if (typeof o.order !== "string" || !isOrderPolicy(o.order)) throw new InvalidInput(`'options.order' must be one of ${orderPolicies.join(", ")}`, {field: "options.order"});
            judgeOptions.order = o.order;
        }
        if (o.tie_fallback != null) judgeOptions.tieFallback = o.tie_fallback as JudgeOptions["tieFallback"];
        const samples = num("samples");
        if (samples != null) judgeOptions.samples = samples;
        const temperature = num("temperature");
        if (temperature != null) judgeOptions.temperature = temperature;
        const maxTokens = num("max_tokens");
        if (maxTokens != null) judgeOptions.maxTokens = maxTokens;
        const seed = num("seed");
        if (seed != null) judgeOptions.seed = seed;
        const resample = num("resample");
        if (resample != null) judgeOptions.resample = resample;
        try {
            return new Judge(base.engine, judgeOptions);
        } catch (e) {
            if (e instanceof InvalidInput && e.field != null && !e.field.startsWith("options."))
                throw new InvalidInput(e.message.replace(/^(\w+)/, "options.$1"), {field: `options.${snake(e.field)}`, cause: e});
            throw e;
        }
    }
}

/** Start a server (see `ServeOptions`); resolves once it listens. */
export function startServer(options: ServeOptions = {}): Promise<RewardServer> {
    return RewardServer.start(options);
}

/** Run `fn` holding a slot of `queue` (waiting in it, or a 429 when it is full). */
async function withSlot<T>(queue: AdmissionQueue, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await queue.acquire(signal);
    try {
        return await fn();
    } finally {
        release();
    }
}

function snake(camel: string): string {
    return camel.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

function definedOnly<T extends object>(o: T): Partial<T> {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function readMethod(value: unknown): RankMethod {
    if (value == null) return "knockout";
    if (typeof value !== "string" || !isRankMethod(value)) throw new InvalidInput(`'method' must be one of ${rankMethods.join(", ")}`, {field: "method"});
    return value;
}

/** The engine the routes call: micro-batched by default for engines that decode batches in-process. */
function wrapEngine(engine: Engine, batching: ServeOptions["batching"], metrics: ServerMetrics): Engine {
    const inProcess = engine.id.startsWith("native:") || engine.id.startsWith("gguf:");
    const enabled = batching === undefined ? inProcess : batching !== false;
    if (!enabled) return engine;
    const options = typeof batching === "object" ? batching : {};
    return new BatchingEngine(engine, {
        // One batch at a time for the native engine; GGUF schedules calls onto its own sequences.
        maxInFlight: engine.id.startsWith("gguf:") ? 4 : 1,
        ...options,
        onBatch: (n) => {
            metrics.engineBatch.observe(n);
            options.onBatch?.(n);
        }
    });
}

function recordJudgment(metrics: ServerMetrics, judgment: Judgment, route: string): void {
    metrics.verdicts.inc({verdict: judgment.verdict});
    metrics.tokens.inc({kind: "prompt"}, judgment.usage.promptTokens);
    metrics.tokens.inc({kind: "completion"}, judgment.usage.completionTokens);
    const failures = judgment.outputs.filter((o) => o.verdict === "error").length;
    if (failures > 0) metrics.parseFailures.inc({route}, failures);
}

/** Read and parse a JSON body of at most `max` bytes: 413 when larger, 400 when not JSON. */
function readJsonBody(req: IncomingMessage, max: number): Promise<unknown> {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > max) {
        req.resume();
        return Promise.reject(tooLarge(declared, max));
    }
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let failed = false;
        req.on("data", (chunk: Buffer) => {
            if (failed) return;
            size += chunk.length;
            if (size > max) {
                failed = true;
                chunks.length = 0;
                reject(tooLarge(size, max));
                return;
            }
            chunks.push(chunk);
        });
        req.on("error", (e) => {
            if (!failed) reject(e);
            failed = true;
        });
        req.on("end", () => {
            if (failed) return;
            const text = Buffer.concat(chunks).toString("utf8");
            if (text.trim() === "") {
                reject(new HttpError(400, "invalid_request", "the request has no body; send a JSON object"));
                return;
            }
            try {
                resolve(JSON.parse(text));
            } catch (e) {
                reject(new HttpError(400, "invalid_json", `the body is not valid JSON: ${(e as Error).message}`));
            }
        });
    });
}

function tooLarge(size: number, max: number): HttpError {
    return new HttpError(413, "payload_too_large", `the body has ${size} bytes; this server takes at most ${max} (--max-body-bytes); send fewer items per request`,
        {headers: {connection: "close"}});
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {...headers, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text)});
    res.end(text);
}
