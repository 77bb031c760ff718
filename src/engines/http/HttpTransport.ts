// One POST and its whole answer over node:http / node:https, on keep-alive agents with as many
// sockets per server as the engine's concurrency limit. Not `fetch`: undici's fetch spends 5–6×
// the client CPU of node:http per request (WHATWG streams, Request/Response objects), and more
// again once given the AbortSignal a timeout needs (bench/results/engines.md). Here the time limit
// covers headers and body, on one timer for all exchanges (`DeadlineList`), and cancellation is
// `req.destroy()` registered in the caller's CancelScope, so neither needs a signal.
import http from "node:http";
import type {IncomingHttpHeaders, OutgoingHttpHeaders} from "node:http";
import https from "node:https";
import type {Cancellable, CancelScope} from "./CancelScope.js";
import {DeadlineList} from "./DeadlineList.js";

/** How an exchange ended: a complete answer (any status), or why there is none. */
export type Exchange =
    | {kind: "reply", status: number, headers: IncomingHttpHeaders, text: string}
    | {kind: "timeout"}
    | {kind: "aborted"}
    /**
     * No complete answer: refused, reset, dropped mid-answer, DNS, TLS. `stale` when a reused
     * keep-alive socket was reset before any answer: the server most likely closed it while idle
     * just as the request went out, without reading it, so it can go again at once on another socket
     * (what Node's documentation of `request.reusedSocket` recommends).
     */
    | {kind: "connection", detail: string, stale: boolean};

export interface HttpTransportOptions {
    /** Time limit of an exchange, headers and body, in milliseconds. */
    timeoutMs: number;
    /** Sockets per server of the default agents: the concurrency limit, so a request never waits for one. */
    maxSockets: number;
    /** An agent for every request instead of the default keep-alive ones (a proxy agent, a custom CA). */
    agent?: http.Agent;
}

/** A base URL taken apart once, so that a request only appends its path. */
interface Target {
    request: typeof http.request;
    hostname: string;
    port: number;
    /** The base URL's path without a trailing slash, e.g. `/v1`. */
    path: string;
    agent: http.Agent;
}

/** Errors that mean the peer closed or reset the socket (as opposed to refusing, DNS, TLS). */
const resetCodes = new Set(["ECONNRESET", "EPIPE"]);

/**
 * Sockets that carried a complete exchange. Not `req.reusedSocket`: the agent leaves it unset when
 * it hands a freed socket to a request that queued for one, which happens when a retry goes out
 * before the socket that failed it has finished closing.
 */
const servedSockets = new WeakSet<object>();

export class HttpTransport {
    private readonly maxSockets: number;
    private readonly agent?: http.Agent;
    private readonly deadlines: DeadlineList;
    private readonly targets = new Map<string, Target>();
    // Created on first use: a client talks to http or to https servers, rarely both.
    private httpAgent?: http.Agent;
    private httpsAgent?: https.Agent;

    constructor(options: HttpTransportOptions) {
        this.maxSockets = options.maxSockets;
        this.agent = options.agent;
        this.deadlines = new DeadlineList(options.timeoutMs);
    }

    /**
     * POST `body` to `baseUrl + path` and collect the whole answer. Never rejects for network
     * reasons: a timeout (no complete answer within `timeoutMs`), a cancelled `scope` and a
     * connection failure come back as an `Exchange` of that kind. Throws only for a request that
     * cannot be made at all (a header with invalid characters, an agent for the wrong protocol).
     */
    post(baseUrl: string, path: string, headers: OutgoingHttpHeaders, body: Buffer, scope: CancelScope | undefined): Promise<Exchange> {
        const target = this.targets.get(baseUrl) ?? this.prepare(baseUrl);
        return new Promise<Exchange>((resolve) => {
            let settled = false;
            let answered = false;
            const finish = (exchange: Exchange) => {
                if (settled) return;
                settled = true;
                this.deadlines.clear(deadline);
                scope?.delete(member);
                resolve(exchange);
            };
            const req = target.request({
                hostname: target.hostname,
                port: target.port,
                path: target.path + path,
                method: "POST",
                headers,
                agent: target.agent
            }, (res) => {
                answered = true;
                const socket = res.socket; // detached from `res` by the time it ends
                res.setEncoding("utf8"); // decodes characters split across chunks correctly
                let text = "";
                res.on("data", (chunk: string) => {
                    text += chunk;
                });
                res.on("end", () => {
                    if (socket != null) servedSockets.add(socket);
                    finish({kind: "reply", status: res.statusCode ?? 0, headers: res.headers, text});
                });
                res.on("error", (e) => finish({kind: "connection", detail: `the connection closed mid-answer (${describe(e)})`, stale: false}));
                res.on("close", () => {
                    if (!res.complete) finish({kind: "connection", detail: "the connection closed mid-answer", stale: false});
                });
            });
            req.on("error", (e) => finish({
                kind: "connection",
                detail: describe(e),
                stale: !answered && req.socket != null && servedSockets.has(req.socket) && resetCodes.has((e as NodeJS.ErrnoException).code ?? "")
            }));
            const member: Cancellable = {
                cancel: () => {
                    finish({kind: "aborted"});
                    req.destroy();
                }
            };
            // Not req.setTimeout, which measures idleness: the limit covers a body that trickles in too.
            const deadline = this.deadlines.start(() => {
                finish({kind: "timeout"});
                req.destroy();
            });
            scope?.add(member); // cancels at once if the scope already is
            if (!settled) req.end(body);
        });
    }

    /** Close the idle sockets of the default agents (a given agent is its owner's to close). */
    close(): void {
        this.httpAgent?.destroy();
        this.httpsAgent?.destroy();
    }

    private prepare(baseUrl: string): Target {
        const url = new URL(baseUrl);
        const secure = url.protocol === "https:";
        const options = {keepAlive: true, maxSockets: this.maxSockets, maxFreeSockets: this.maxSockets};
        const target: Target = {
            request: secure ? https.request : http.request,
            hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"), // IPv6 literals without brackets
            port: url.port === "" ? (secure ? 443 : 80) : Number(url.port),
            path: url.pathname.replace(/\/+$/, ""),
            agent: this.agent ?? (secure ? (this.httpsAgent ??= new https.Agent(options)) : (this.httpAgent ??= new http.Agent(options)))
        };
        this.targets.set(baseUrl, target);
        return target;
    }
}

/** The useful part of a socket error: its code and message (every address tried, for several). */
function describe(e: unknown): string {
    const error = e as {code?: string, message?: string, errors?: unknown[]};
    let message = error?.message ?? String(e);
    // Connecting to a name with several addresses fails with an AggregateError whose message is empty.
    if (message === "" && Array.isArray(error.errors)) message = error.errors.map((inner) => (inner as Error).message).join("; ");
    const code = error?.code;
    return code != null && !message.includes(code) ? `${code}: ${message}` : message;
}
