// `startViewer`: a local web page over run folders (node:http, no framework). It listens on
// loopback by default; on loopback it also refuses requests whose Host header names another machine
// (DNS rebinding), since the page shows private run content. Run content is untrusted (model
// outputs can hold HTML): the API sends it as JSON only and the page puts it in text nodes; a strict
// Content-Security-Policy allows no inline script on top of that.
import {createServer} from "node:http";
import type {IncomingMessage, Server, ServerResponse} from "node:http";
import {isIP} from "node:net";
import {resolve} from "node:path";
import {gzipSync} from "node:zlib";
import {ConfigError, InvalidInput, NotFound, Rmr1Error} from "../errors.js";
import type {ApiError} from "./apiTypes.js";
import {ClientAssets, indexHtml} from "./clientAssets.js";
import {compareRuns, compareSamples} from "./compareRuns.js";
import {RunStore} from "./RunStore.js";

export interface ViewerOptions {
    /** A folder of run folders, or one run folder. Defaults to `"runs"`. */
    dir?: string;
    /** TCP port; `0` picks a free one. Defaults to `4177`. */
    port?: number;
    /** Interface to listen on. Defaults to `"127.0.0.1"` (this machine only). */
    host?: string;
}

export interface Viewer {
    /** The page's address, e.g. `http://127.0.0.1:4177/`. */
    readonly url: string;
    readonly host: string;
    readonly port: number;
    /** Absolute path of the runs folder. */
    readonly root: string;
    /** The server (for tests and embedding). */
    readonly server: Server;
    close(): Promise<void>;
}

/** Default port of `rmr1 view`. */
export const defaultViewerPort = 4177;

const SECURITY_HEADERS: Record<string, string> = {
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin"
};

/** Whether `host` is a loopback name or address. */
export function isLoopbackHost(host: string): boolean {
    const h = host.replace(/^\[|\]$/g, "").toLowerCase();
    if (h === "localhost" || h.endsWith(".localhost")) return true;
    if (isIP(h) === 4) return h.startsWith("127.");
    if (isIP(h) === 6) return h === "::1" || h === "0:0:0:0:0:0:0:1" || h.startsWith("::ffff:127.");
    return false;
}

/** Serve the viewer; resolves once it listens. */
export async function startViewer(options: ViewerOptions = {}): Promise<Viewer> {
    const root = resolve(options.dir ?? "runs");
    const store = new RunStore(root);
    const assets = new ClientAssets();
    const host = options.host ?? "127.0.0.1";
    const port = options.port ?? defaultViewerPort;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidInput(`port must be an integer from 0 to 65535, got ${port}`, {field: "port"});
    const loopback = isLoopbackHost(host);

    const server = createServer((req, res) => {
        handle(req, res).catch((e: unknown) => {
            process.stderr.write(`rmr1 view: ${(e as Error)?.stack ?? String(e)}\n`);
            if (!res.headersSent) send(req, res, 500, json({error: "internal error; see the terminal running rmr1 view"}), "application/json");
            else res.destroy();
        });
    });

    async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        if (loopback && !hostAllowed(req.headers.host)) {
            send(req, res, 403, json({error: "this viewer answers only requests addressed to localhost"}), "application/json");
            return;
        }
        if (req.method !== "GET" && req.method !== "HEAD") {
            res.setHeader("allow", "GET, HEAD");
            send(req, res, 405, json({error: `${req.method} is not supported; the viewer is read-only`}), "application/json");
            return;
        }
        const url = new URL(req.url ?? "/", "http://viewer.invalid");
        const segments = url.pathname.split("/").slice(1).map((s) => {
            try {
                return decodeURIComponent(s);
            } catch {
                return "\u0000";
            }
        });
        if (url.pathname === "/" || url.pathname === "/index.html") return send(req, res, 200, Buffer.from(indexHtml), "text/html; charset=utf-8");
        if (url.pathname === "/favicon.ico") return send(req, res, 204, Buffer.alloc(0), "image/x-icon");
        if (segments[0] === "assets" && segments.length === 2) {
            const asset = await assets.get(segments[1]);
            if (asset == null) return send(req, res, 404, Buffer.from("not found"), "text/plain; charset=utf-8");
            return send(req, res, 200, asset.body, asset.type, "no-cache");
        }
        if (segments[0] !== "api") return send(req, res, 404, Buffer.from("not found"), "text/plain; charset=utf-8");
        let body: unknown;
        try {
            body = api(segments.slice(1), url.searchParams);
        } catch (e) {
            if (!(e instanceof Rmr1Error)) throw e;
            const status = e instanceof NotFound ? 404 : 400;
            const error: ApiError = {error: e.message};
            return send(req, res, status, json(error), "application/json");
        }
        send(req, res, 200, json(body), "application/json");
    }

    function api(path: string[], params: URLSearchParams): unknown {
        const [what, id, sub, index] = path;
        if (what === "runs" && path.length === 1) return {root, runs: store.list()};
        if (what === "runs" && id != null) {
            const run = store.get(id);
            if (path.length === 2) return run.detail();
            if (sub === "samples" && path.length === 3) return run.samples(params);
            if (sub === "samples" && path.length === 4) {
                if (!/^\d+$/.test(index)) throw new InvalidInput(`sample index must be a number, got '${index}'`, {field: "index"});
                return run.sample(Number(index), params);
            }
            if (sub === "rollouts" && path.length === 3) return run.rollouts(params);
        }
        if (what === "compare" && (path.length === 1 || (path.length === 2 && id === "samples"))) {
            const a = params.get("a");
            const b = params.get("b");
            if (a == null || a === "" || b == null || b === "") throw new InvalidInput("compare needs two runs: ?a=<run id>&b=<run id>", {field: a == null || a === "" ? "a" : "b"});
            return path.length === 1 ? compareRuns(store.get(a), store.get(b)) : compareSamples(store.get(a), store.get(b), params);
        }
        throw new NotFound(`no API endpoint /api/${path.join("/")}`);
    }

    await new Promise<void>((resolveListen, reject) => {
        const onError = (e: NodeJS.ErrnoException) => {
            server.off("listening", onListening);
            if (e.code === "EADDRINUSE") reject(new ConfigError(`port ${port} on ${host} is in use; pass another --port (or --port 0 for any free one)`));
            else if (e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND") reject(new ConfigError(`cannot listen on ${host}: no such local address; pass --host 127.0.0.1 or an address of this machine`));
            else if (e.code === "EACCES") reject(new ConfigError(`not allowed to listen on port ${port}; pass a port above 1023`));
            else reject(e);
        };
        const onListening = () => {
            server.off("error", onError);
            resolveListen();
        };
        server.once("error", onError);
        server.once("listening", onListening);
        server.listen(port, host);
    });
    const address = server.address();
    const actualPort = typeof address === "object" && address != null ? address.port : port;
    const urlHost = isIP(host) === 6 ? `[${host}]` : host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
    return {
        url: `http://${urlHost}:${actualPort}/`,
        host,
        port: actualPort,
        root,
        server,
        close: () => new Promise<void>((resolveClose) => {
            server.close(() => resolveClose());
            server.closeAllConnections();
        })
    };
}

function hostAllowed(header: string | undefined): boolean {
    if (header == null) return false;
    const name = header.startsWith("[") ? header.slice(0, header.indexOf("]") + 1) : header.split(":")[0];
    return isLoopbackHost(name);
}

function json(value: unknown): Buffer {
    return Buffer.from(JSON.stringify(value));
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: Buffer, type: string, cache = "no-store"): void {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    res.setHeader("content-type", type);
    res.setHeader("cache-control", cache);
    let out = body;
    const accepts = String(req.headers["accept-encoding"] ?? "");
    if (body.length > 1024 && /\bgzip\b/.test(accepts)) {
        out = gzipSync(body, {level: 4});
        res.setHeader("content-encoding", "gzip");
        res.setHeader("vary", "accept-encoding");
    }
    res.setHeader("content-length", out.length);
    res.writeHead(status);
    res.end(req.method === "HEAD" ? undefined : out);
}
