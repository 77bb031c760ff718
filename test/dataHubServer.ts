// A local HTTP server that answers like the Hugging Face Hub for dataset files, for the Hub client
// tests: the resolve endpoint (HEAD and GET, 302 to a separate "CDN" origin for LFS files, ETag /
// X-Linked-Etag / X-Repo-Commit / X-Error-Code headers, 307 for a renamed repository), Range
// requests, the paginated tree API, a private repository that needs a bearer token, and faults.
import {createHash} from "node:crypto";
import {createServer, type IncomingMessage, type Server, type ServerResponse} from "node:http";
import type {AddressInfo} from "node:net";

export interface HubFileSpec {
    content: Buffer;
    /** Stored with Git LFS: served through the CDN, ETag = sha256. */
    lfs?: boolean;
}

export interface HubRepoSpec {
    /** revision (branch/tag) → commit */
    refs: Record<string, string>;
    /** commit → path → file */
    commits: Record<string, Record<string, HubFileSpec>>;
    /** Bearer token required to see the repository. */
    token?: string;
}

export interface LoggedRequest {
    server: "hub" | "cdn";
    method: string;
    url: string;
    range?: string;
    authorization?: string;
}

export class FakeHub {
    readonly repos = new Map<string, HubRepoSpec>();
    readonly renamed = new Map<string, string>();
    readonly log: LoggedRequest[] = [];
    /** Number of upcoming CDN downloads to cut off after half the body. */
    failDownloads = 0;
    /** Items per page of the tree API. */
    pageSize = 2;
    private readonly blobs = new Map<string, Buffer>();
    private hub?: Server;
    private cdn?: Server;
    hubUrl = "";
    cdnUrl = "";

    async start(): Promise<void> {
        this.hub = createServer((req, res) => this.handleHub(req, res));
        this.cdn = createServer((req, res) => this.handleCdn(req, res));
        this.hubUrl = await listen(this.hub);
        this.cdnUrl = await listen(this.cdn);
    }

    async stop(): Promise<void> {
        await Promise.all([this.hub, this.cdn].map(s => new Promise<void>(resolve => s == null ? resolve() : s.close(() => resolve()))));
    }

    addRepo(repo: string, spec: HubRepoSpec): void {
        this.repos.set(repo, spec);
        for (const files of Object.values(spec.commits)) for (const f of Object.values(files)) if (f.lfs === true) this.blobs.set(sha256(f.content), f.content);
    }

    private handleHub(req: IncomingMessage, res: ServerResponse): void {
        const url = new URL(req.url ?? "/", this.hubUrl);
        this.log.push({server: "hub", method: req.method ?? "GET", url: url.pathname + url.search, range: req.headers.range, authorization: req.headers.authorization});
        const tree = /^\/api\/datasets\/([^/]+\/[^/]+)\/tree\/([^/]+)$/.exec(url.pathname);
        if (tree != null) return this.handleTree(req, res, tree[1], decodeURIComponent(tree[2]), url);
        const resolve = /^\/datasets\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
        if (resolve == null) return error(res, 404, "RepoNotFound");
        const [, repo, rev, rawPath] = resolve;
        const target = this.renamed.get(repo);
        if (target != null) {
            res.writeHead(307, {location: `/datasets/${target}/resolve/${rev}/${rawPath}`});
            return void res.end();
        }
        const found = this.lookup(req, res, repo, decodeURIComponent(rev));
        if (found == null) return;
        const path = rawPath.split("/").map(decodeURIComponent).join("/");
        const file = found.files[path];
        if (file == null) return error(res, 404, "EntryNotFound", `${path} does not exist`);
        const headers: Record<string, string> = {"x-repo-commit": found.commit};
        if (file.lfs === true) {
            const sha = sha256(file.content);
            Object.assign(headers, {"x-linked-etag": `"${sha}"`, "x-linked-size": String(file.content.length), etag: "\"pointer-etag\"", location: `${this.cdnUrl}/cdn/${sha}`});
            res.writeHead(302, headers);
            return void res.end();
        }
        Object.assign(headers, {etag: `"${gitEtag(file.content)}"`, "content-length": String(file.content.length)});
        res.writeHead(200, headers);
        res.end(req.method === "HEAD" ? undefined : file.content);
    }

    private lookup(req: IncomingMessage, res: ServerResponse, repo: string, rev: string): {commit: string, files: Record<string, HubFileSpec>} | undefined {
        const spec = this.repos.get(repo);
        if (spec == null || (spec.token != null && req.headers.authorization !== `Bearer ${spec.token}`)) {
            // The Hub answers 401 for a private repository without a valid token.
            error(res, spec == null ? 404 : 401, "RepoNotFound", "Repository not found");
            return undefined;
        }
        const commit = spec.refs[rev] ?? (spec.commits[rev] != null ? rev : undefined);
        if (commit == null) {
            error(res, 404, "RevisionNotFound", `Invalid rev id: ${rev}`);
            return undefined;
        }
        return {commit, files: spec.commits[commit]};
    }

    private handleTree(req: IncomingMessage, res: ServerResponse, repo: string, rev: string, url: URL): void {
        const found = this.lookup(req, res, repo, rev);
        if (found == null) return;
        const entries = Object.keys(found.files).sort().map(path => ({type: "file", oid: "x", size: found.files[path].content.length, path}));
        const dirs = [...new Set(Object.keys(found.files).filter(p => p.includes("/")).map(p => p.slice(0, p.lastIndexOf("/"))))].map(path => ({type: "directory", oid: "y", size: 0, path}));
        const all = [...dirs, ...entries];
        const cursor = Number(url.searchParams.get("cursor") ?? "0");
        const page = all.slice(cursor, cursor + this.pageSize);
        const headers: Record<string, string> = {"content-type": "application/json"};
        if (cursor + this.pageSize < all.length) {
            const next = new URL(url.toString());
            next.searchParams.set("cursor", String(cursor + this.pageSize));
            headers.link = `<${next.toString()}>; rel="next"`;
        }
        res.writeHead(200, headers);
        res.end(JSON.stringify(page));
    }

    private handleCdn(req: IncomingMessage, res: ServerResponse): void {
        const url = new URL(req.url ?? "/", this.cdnUrl);
        this.log.push({server: "cdn", method: req.method ?? "GET", url: url.pathname, range: req.headers.range, authorization: req.headers.authorization});
        const content = this.blobs.get(url.pathname.replace("/cdn/", ""));
        if (content == null) return error(res, 404, "EntryNotFound");
        let start = 0;
        const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
        if (range != null) {
            start = Number(range[1]);
            if (start >= content.length) {
                res.writeHead(416, {"content-range": `bytes */${content.length}`});
                return void res.end();
            }
            res.writeHead(206, {"content-length": String(content.length - start), "content-range": `bytes ${start}-${content.length - 1}/${content.length}`});
        } else {
            res.writeHead(200, {"content-length": String(content.length)});
        }
        const body = content.subarray(start);
        if (this.failDownloads > 0) {
            this.failDownloads--;
            res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
            return;
        }
        res.end(body);
    }
}

function error(res: ServerResponse, status: number, code: string, message = code): void {
    res.writeHead(status, {"x-error-code": code, "x-error-message": message});
    res.end();
}

function listen(server: Server): Promise<string> {
    return new Promise(resolve => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

export const sha256 = (b: Buffer): string => createHash("sha256").update(b).digest("hex");
const gitEtag = (b: Buffer): string => createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");
