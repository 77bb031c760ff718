// Hugging Face Hub downloads into the standard Hub cache, the layout `huggingface_hub` (Python) and
// `@huggingface/hub` use, so files downloaded by either are shared:
//
//   $HF_HOME/hub/datasets--owner--name/
//       blobs/<etag>                     file contents, named by the Hub's ETag (sha256 for LFS files)
//       refs/<revision>                  the commit a branch or tag pointed to when last resolved
//       snapshots/<commit>/<path>        relative symlink to ../../blobs/<etag> (a copy if symlinks fail)
//
// A download goes to `blobs/<etag>.incomplete` (resumed with a Range request after an interruption)
// and is renamed into place only when complete. `HF_TOKEN` is sent as a bearer token;
// `HF_HUB_OFFLINE=1` reads only the cache.
import {existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, copyFileSync, writeFileSync, openSync, closeSync} from "node:fs";
import {homedir} from "node:os";
import {dirname, join, relative, sep} from "node:path";
import {open} from "node:fs/promises";
import {ConfigError, InvalidInput, NotFound, Rmr1Error} from "../errors.js";
import {processAlive} from "./processAlive.js";

/** Kind of Hub repository. */
export type HubRepoType = "datasets" | "models";

/** Where and how to reach the Hub. Every field defaults from the environment like `huggingface_hub`. */
export interface HubOptions {
    /** Hub base URL. Defaults to `$HF_ENDPOINT`, else `https://huggingface.co`. */
    endpoint?: string;
    /** The cache root (the folder holding `datasets--…`). Defaults to `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`. */
    cacheDir?: string;
    /** Access token. Defaults to `$HF_TOKEN`, else the token file `$HF_HOME/token` when present. */
    token?: string;
    /** Read only the cache, never the network. Defaults to `true` when `$HF_HUB_OFFLINE` is `1`/`true`/`yes`. */
    offline?: boolean;
    /** Called as bytes arrive. Defaults to none. */
    onProgress?: (event: {path: string, bytes: number, total: number | undefined}) => void;
}

/** A file or a whole repository named by an `hf:` URI. */
export interface HubLocation {
    repoType: HubRepoType;
    /** `owner/name`. */
    repo: string;
    /** Branch, tag or commit. Defaults to `main`. */
    revision: string;
    /** Path inside the repository, or undefined for the whole repository. */
    path?: string;
}

/** A failure talking to the Hub (network, 5xx, unexpected answer). */
export class HubError extends Rmr1Error {
    readonly status?: number;

    constructor(message: string, options: {status?: number, cause?: unknown} = {}) {
        super(message, {cause: options.cause});
        this.status = options.status;
    }
}

const DEFAULT_ENDPOINT = "https://huggingface.co";
const COMMIT = /^[0-9a-f]{40}$/;
const REPO = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Whether a string is an `hf:` URI rather than a local path. */
export function isHubUri(source: string): boolean {
    return source.startsWith("hf:");
}

/**
 * Parse `hf://datasets/<owner>/<name>[@<revision>]/<path>`, `hf://<owner>/<name>[@rev]/<path>`
 * (a model file), or `hf:<owner>/<name>[@<revision>][/<path>]` (a dataset; no path = the whole
 * dataset). A revision containing `/` (e.g. `refs/convert/parquet`) is written URL-encoded (`refs%2Fconvert%2Fparquet`).
 */
export function parseHubUri(uri: string): HubLocation {
    let rest: string;
    let repoType: HubRepoType = "datasets";
    if (uri.startsWith("hf://")) {
        rest = uri.slice(5);
        if (rest.startsWith("datasets/")) rest = rest.slice(9);
        else if (rest.startsWith("models/")) {
            rest = rest.slice(7);
            repoType = "models";
        } else repoType = "models";
    } else if (uri.startsWith("hf:")) {
        rest = uri.slice(3);
    } else {
        throw new InvalidInput(`'${uri}' is not an hf: URI; use hf://datasets/<owner>/<name>/<path> or hf:<owner>/<name>`, {field: "source"});
    }
    const parts = rest.split("/");
    if (parts.length < 2 || parts[0] === "" || parts[1] === "")
        throw new InvalidInput(`'${uri}' does not name a repository; use hf://datasets/<owner>/<name>/<path> or hf:<owner>/<name>`, {field: "source"});
    let name = parts[1];
    let revision = "main";
    const at = name.indexOf("@");
    if (at >= 0) {
        revision = decodeURIComponent(name.slice(at + 1));
        name = name.slice(0, at);
        if (revision === "") throw new InvalidInput(`'${uri}' has an empty revision after '@'`, {field: "source"});
    }
    const repo = `${parts[0]}/${name}`;
    if (!REPO.test(repo)) throw new InvalidInput(`'${repo}' is not a valid repository id (owner/name) in '${uri}'`, {field: "source"});
    const path = parts.slice(2).join("/");
    if (path.split("/").some(p => p === ".." || p === "."))
        throw new InvalidInput(`'${uri}': a path inside a repository may not contain '.' or '..'`, {field: "source"});
    if (repoType === "models" && path === "") throw new InvalidInput(`'${uri}' names no file`, {field: "source"});
    return {repoType, repo, revision, path: path === "" ? undefined : path};
}

interface ResolvedOptions {
    endpoint: string;
    cacheDir: string;
    token?: string;
    offline: boolean;
    onProgress?: HubOptions["onProgress"];
}

function resolveOptions(options: HubOptions): ResolvedOptions {
    const env = process.env;
    const hfHome = env.HF_HOME ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "huggingface");
    let token = options.token ?? nonEmpty(env.HF_TOKEN);
    if (token == null) {
        const tokenFile = env.HF_TOKEN_PATH ?? join(hfHome, "token");
        if (existsSync(tokenFile)) token = nonEmpty(readFileSync(tokenFile, "utf8").trim());
    }
    const offlineEnv = (env.HF_HUB_OFFLINE ?? "").toLowerCase();
    return {
        endpoint: (options.endpoint ?? nonEmpty(env.HF_ENDPOINT) ?? DEFAULT_ENDPOINT).replace(/\/+$/, ""),
        cacheDir: options.cacheDir ?? nonEmpty(env.HF_HUB_CACHE) ?? join(hfHome, "hub"),
        token,
        offline: options.offline ?? ["1", "true", "yes", "on"].includes(offlineEnv),
        onProgress: options.onProgress
    };
}

function nonEmpty(s: string | undefined): string | undefined {
    return s == null || s === "" ? undefined : s;
}

/** The cache folder of one repository: `<cache>/datasets--owner--name`. */
export function hubRepoCacheDir(location: Pick<HubLocation, "repoType" | "repo">, options: HubOptions = {}): string {
    return join(resolveOptions(options).cacheDir, `${location.repoType}--${location.repo.replace("/", "--")}`);
}

function fileUrl(o: ResolvedOptions, loc: HubLocation, path: string): string {
    const prefix = loc.repoType === "datasets" ? "/datasets" : "";
    return `${o.endpoint}${prefix}/${loc.repo}/resolve/${encodeURIComponent(loc.revision)}/${path.split("/").map(encodeURIComponent).join("/")}`;
}

function headers(o: ResolvedOptions, extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = {"user-agent": "rmr1", "accept-encoding": "identity", ...extra};
    if (o.token != null) h.authorization = `Bearer ${o.token}`;
    return h;
}

/** Turn a non-2xx Hub answer into an error that says what to do. */
function hubFailure(status: number, response: Response, what: string, o: ResolvedOptions): Rmr1Error {
    const code = response.headers.get("x-error-code") ?? "";
    const message = response.headers.get("x-error-message") ?? "";
    const detail = message !== "" ? ` (${message})` : "";
    if (code === "GatedRepo" || (status === 403 && o.token != null))
        return new ConfigError(`${what}: access denied${detail}; accept the dataset's terms on the Hub and check that HF_TOKEN has read access`);
    if (status === 401 || status === 403) {
        return o.token == null
            ? new ConfigError(`${what}: the Hub needs authentication${detail}; set HF_TOKEN to a token with read access`)
            : new ConfigError(`${what}: the Hub rejected the token${detail}; check HF_TOKEN`);
    }
    if (code === "RevisionNotFound") return new NotFound(`${what}: no such revision${detail}`);
    if (code === "EntryNotFound") return new NotFound(`${what}: no such file in the repository${detail}`);
    if (code === "RepoNotFound" || status === 404)
        return new NotFound(`${what}: not found on the Hub${detail}; check the repository id, revision and path (private repositories need HF_TOKEN)`);
    return new HubError(`${what}: the Hub answered HTTP ${status}${detail}`, {status});
}

async function request(url: string, init: RequestInit, what: string): Promise<Response> {
    try {
        return await fetch(url, init);
    } catch (e) {
        throw new HubError(`${what}: cannot reach ${new URL(url).origin} (${(e as Error).message}); check the network, or set HF_HUB_OFFLINE=1 to use the cache`, {cause: e});
    }
}

/** File metadata from a HEAD on the resolve endpoint (redirects are not followed: the headers we need are on the first answer). */
async function headFile(o: ResolvedOptions, loc: HubLocation, path: string): Promise<{commit: string, etag: string, size?: number, downloadUrl: string}> {
    const what = `hf://${loc.repoType}/${loc.repo}@${loc.revision}/${path}`;
    let url = fileUrl(o, loc, path);
    for (let hop = 0; hop < 5; hop++) {
        const response = await request(url, {method: "HEAD", headers: headers(o), redirect: "manual"}, what);
        const location = response.headers.get("location");
        // A relative redirect is the Hub itself (a renamed repository): follow it and look again.
        if (response.status >= 300 && response.status < 400 && location != null && !/^https?:/i.test(location)) {
            url = new URL(location, url).toString();
            continue;
        }
        if (response.status >= 400 || (response.status >= 300 && location == null)) throw hubFailure(response.status, response, what, o);
        const commit = response.headers.get("x-repo-commit");
        const etag = (response.headers.get("x-linked-etag") ?? response.headers.get("etag") ?? "").replace(/^W\//, "").replace(/"/g, "");
        if (commit == null || !COMMIT.test(commit))
            throw new HubError(`${what}: the server did not send a commit hash (X-Repo-Commit); is ${o.endpoint} a Hugging Face Hub?`);
        if (etag === "" || /[/\\]/.test(etag)) throw new HubError(`${what}: the server did not send a usable ETag`);
        const sizeHeader = response.headers.get("x-linked-size") ?? response.headers.get("content-length");
        const size = sizeHeader != null && /^\d+$/.test(sizeHeader) ? Number(sizeHeader) : undefined;
        const downloadUrl = location != null ? new URL(location, url).toString() : url;
        return {commit, etag, size, downloadUrl};
    }
    throw new HubError(`${what}: too many redirects`);
}

/**
 * Download one file of a Hub repository into the cache (or find it there) and return its local
 * path, `<cache>/<repo>/snapshots/<commit>/<path>`. Offline, or when the Hub cannot be reached, a
 * cached copy of the revision is used; if there is none, `NotFound` says how to get it.
 */
export async function hubDownload(location: HubLocation & {path: string}, options: HubOptions = {}): Promise<string> {
    const o = resolveOptions(options);
    const repoDir = join(o.cacheDir, `${location.repoType}--${location.repo.replace("/", "--")}`);
    if (o.offline) return cachedFile(repoDir, location, true);
    let meta: Awaited<ReturnType<typeof headFile>>;
    try {
        meta = await headFile(o, location, location.path);
    } catch (e) {
        // Like huggingface_hub: if the Hub is unreachable, fall back to the cache when it has the file.
        if (e instanceof HubError && e.status == null) {
            const cached = cachedFile(repoDir, location, false);
            if (cached !== "") return cached;
        }
        throw e;
    }
    const blob = join(repoDir, "blobs", meta.etag);
    const pointer = join(repoDir, "snapshots", meta.commit, ...location.path.split("/"));
    mkdirSync(dirname(blob), {recursive: true});
    if (!existsSync(blob)) await downloadBlob(o, meta.downloadUrl, blob, meta.size, location);
    placePointer(blob, pointer);
    if (location.revision !== meta.commit) writeRef(repoDir, location.revision, meta.commit);
    return pointer;
}

/** The cached file of a revision, or (when `required` is false) "" if it is not cached. */
function cachedFile(repoDir: string, location: HubLocation & {path: string}, required: boolean): string {
    const commit = cachedCommit(repoDir, location.revision);
    const file = commit == null ? undefined : join(repoDir, "snapshots", commit, ...location.path.split("/"));
    if (file != null && existsSync(file)) return file;
    if (!required) return "";
    throw new NotFound(
        `hf://${location.repoType}/${location.repo}@${location.revision}/${location.path} is not in the Hub cache (${repoDir}) ` +
        "and HF_HUB_OFFLINE is set; download it once online, or unset HF_HUB_OFFLINE"
    );
}

function cachedCommit(repoDir: string, revision: string): string | undefined {
    if (COMMIT.test(revision)) return revision;
    const ref = join(repoDir, "refs", ...revision.split("/"));
    if (!existsSync(ref)) return undefined;
    const commit = readFileSync(ref, "utf8").trim();
    return COMMIT.test(commit) ? commit : undefined;
}

function writeRef(repoDir: string, revision: string, commit: string): void {
    const ref = join(repoDir, "refs", ...revision.split("/"));
    mkdirSync(dirname(ref), {recursive: true});
    if (existsSync(ref) && readFileSync(ref, "utf8").trim() === commit) return;
    const tmp = `${ref}.tmp-${process.pid}`;
    writeFileSync(tmp, commit);
    renameSync(tmp, ref);
}

/** Point `snapshots/<commit>/<path>` at the blob with a relative symlink, replaced atomically. */
function placePointer(blob: string, pointer: string): void {
    mkdirSync(dirname(pointer), {recursive: true});
    if (existsSync(pointer)) return;
    const tmp = `${pointer}.tmp-${process.pid}`;
    rmSync(tmp, {force: true});
    try {
        symlinkSync(relative(dirname(pointer), blob).split(sep).join("/"), tmp);
    } catch {
        // Filesystems without symlinks (some Windows setups): keep a copy, as huggingface_hub does.
        copyFileSync(blob, tmp);
    }
    renameSync(tmp, pointer);
}

/**
 * Download to `<blob>.incomplete`, resuming from its current size with a Range request, then
 * rename into place. A lock file keeps two processes from writing the same blob.
 */
async function downloadBlob(o: ResolvedOptions, url: string, blob: string, size: number | undefined, location: HubLocation & {path: string}): Promise<void> {
    const what = `hf://${location.repoType}/${location.repo}@${location.revision}/${location.path}`;
    const release = await acquireLock(`${blob}.lock`);
    try {
        if (existsSync(blob)) return;
        const partial = `${blob}.incomplete`;
        let have = existsSync(partial) ? statSync(partial).size : 0;
        if (size != null && have > size) {
            rmSync(partial);
            have = 0;
        }
        let response: Response;
        if (size != null && have === size) {
            response = new Response(null, {status: 206});
        } else {
            const extra: Record<string, string> = have > 0 ? {range: `bytes=${have}-`} : {};
            // The CDN URL a HEAD redirected to is pre-signed: send the token only to the Hub itself.
            const sameOrigin = new URL(url).origin === new URL(o.endpoint).origin;
            const h = sameOrigin ? headers(o, extra) : {"user-agent": "rmr1", "accept-encoding": "identity", ...extra};
            response = await request(url, {headers: h, redirect: "follow"}, what);
            if (response.status === 416 && have > 0) {
                // Our partial file is not a prefix the server recognises: start over.
                rmSync(partial);
                have = 0;
                response = await request(url, {headers: sameOrigin ? headers(o) : {"user-agent": "rmr1", "accept-encoding": "identity"}, redirect: "follow"}, what);
            }
            if (!response.ok) throw hubFailure(response.status, response, what, o);
            if (have > 0 && response.status !== 206) have = 0;   // server ignored Range: rewrite from scratch
        }
        if (response.body != null) {
            // Written chunk by chunk as it arrives, so an interruption keeps every byte received.
            let bytes = have;
            const out = await open(partial, have > 0 ? "a" : "w");
            try {
                for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
                    await out.write(chunk);
                    bytes += chunk.length;
                    o.onProgress?.({path: location.path, bytes, total: size});
                }
            } catch (e) {
                throw new HubError(`${what}: download interrupted after ${bytes} of ${size ?? "?"} bytes (${(e as Error).message}); run again to resume`, {cause: e});
            } finally {
                await out.close();
            }
        }
        const got = existsSync(partial) ? statSync(partial).size : 0;
        if (size != null && got !== size)
            throw new HubError(`${what}: download ended at ${got} of ${size} bytes; run again to resume`);
        renameSync(partial, blob);
    } finally {
        release();
    }
}

/** An exclusive lock file holding our pid; a lock left by a dead process is taken over. */
async function acquireLock(lock: string): Promise<() => void> {
    for (;;) {
        try {
            const fd = openSync(lock, "wx");
            writeFileSync(fd, String(process.pid));
            closeSync(fd);
            return () => rmSync(lock, {force: true});
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        }
        let text: string;
        try {
            text = readFileSync(lock, "utf8");
        } catch {
            continue;   // released between our two calls
        }
        const holder = Number(text);
        // An empty file is a lock being written right now; anything else that is not a live pid is stale.
        if (text !== "" && (!Number.isInteger(holder) || holder <= 0 || !processAlive(holder))) {
            rmSync(lock, {force: true});
            continue;
        }
        await new Promise(resolve => setTimeout(resolve, 200));
    }
}

/** One file of a repository listing. */
export interface HubFile {
    path: string;
    size: number;
}

/**
 * List every file of a repository at a revision (the Hub's tree API, all pages). Offline, lists the
 * files of the cached snapshot of that revision.
 */
export async function hubListFiles(location: Omit<HubLocation, "path">, options: HubOptions = {}): Promise<HubFile[]> {
    const o = resolveOptions(options);
    const repoDir = join(o.cacheDir, `${location.repoType}--${location.repo.replace("/", "--")}`);
    const what = `hf:${location.repo}@${location.revision}`;
    if (o.offline) {
        const commit = cachedCommit(repoDir, location.revision);
        const dir = commit == null ? undefined : join(repoDir, "snapshots", commit);
        if (dir == null || !existsSync(dir))
            throw new NotFound(`${what} is not in the Hub cache (${repoDir}) and HF_HUB_OFFLINE is set; download it once online, or unset HF_HUB_OFFLINE`);
        return walkSnapshot(dir);
    }
    const files: HubFile[] = [];
    let url: string | undefined = `${o.endpoint}/api/${location.repoType}/${location.repo}/tree/${encodeURIComponent(location.revision)}?recursive=true&expand=false`;
    while (url != null) {
        const response = await request(url, {headers: headers(o)}, what);
        if (!response.ok) throw hubFailure(response.status, response, what, o);
        let entries: unknown;
        try {
            entries = await response.json();
        } catch (e) {
            throw new HubError(`${what}: the tree listing is not JSON (${(e as Error).message})`);
        }
        if (!Array.isArray(entries)) throw new HubError(`${what}: the tree listing is not a JSON array`);
        for (const entry of entries as {type?: string, path?: string, size?: number}[]) {
            if (entry.type === "file" && typeof entry.path === "string") files.push({path: entry.path, size: entry.size ?? 0});
        }
        url = nextLink(response.headers.get("link"), url);
    }
    return files;
}

function nextLink(link: string | null, base: string): string | undefined {
    if (link == null) return undefined;
    for (const part of link.split(",")) {
        const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
        if (m != null) return new URL(m[1], base).toString();
    }
    return undefined;
}

function walkSnapshot(dir: string): HubFile[] {
    const out: HubFile[] = [];
    const walk = (sub: string): void => {
        for (const name of readdirSync(join(dir, sub)).sort()) {
            const rel = sub === "" ? name : `${sub}/${name}`;
            const full = join(dir, rel);
            const st = lstatSync(full);
            if (st.isDirectory()) walk(rel);
            else if (existsSync(full)) out.push({path: rel, size: statSync(full).size});
        }
    };
    walk("");
    return out;
}

/** Options of `resolveHubSource`. */
export interface HubSourceOptions extends HubOptions {
    /** For a whole dataset: keep only files of this split (`train`, `test`, ...), matched as Hugging Face names data files. Defaults to every split. */
    split?: string;
    /** For a whole dataset: file extensions to take. Defaults to the first of `.parquet`, `.jsonl`, `.json` the dataset has. */
    extensions?: string[];
}

/**
 * Local paths for an `hf:` URI: the one file it names, or every data file of the dataset (parquet by
 * default, optionally one split), downloaded into the cache in path order.
 */
export async function resolveHubSource(uri: string, options: HubSourceOptions = {}): Promise<string[]> {
    const location = parseHubUri(uri);
    if (location.path != null && !location.path.endsWith("/")) {
        const isDir = location.repoType === "datasets" && !/\.[A-Za-z0-9]+$/.test(location.path);
        if (!isDir) return [await hubDownload({...location, path: location.path}, options)];
    }
    const prefix = location.path == null ? "" : location.path.replace(/\/?$/, "/");
    const candidates = (await hubListFiles(location, options))
        .map(f => f.path)
        .filter(p => p.startsWith(prefix) && !metadataFile.test(p))
        .filter(p => options.split == null || isSplitFile(p, options.split));
    // Like `datasets`: parquet when the repository has it, else JSON Lines / JSON files.
    const extensions = options.extensions ?? [".parquet", ".jsonl", ".json"];
    const take = options.extensions != null ? extensions : [extensions.find(e => candidates.some(p => p.endsWith(e))) ?? ".parquet"];
    const files = candidates.filter(p => take.some(e => p.endsWith(e))).sort();
    if (files.length === 0) {
        const what = `${extensions.join("/")} files` + (options.split != null ? ` of split '${options.split}'` : "");
        throw new NotFound(`${uri}: the dataset has no ${what}${prefix !== "" ? ` under ${prefix}` : ""}`);
    }
    const out: string[] = [];
    for (const path of files) out.push(await hubDownload({...location, path}, options));
    return out;
}

/** Repository files that describe a dataset rather than hold rows. */
const metadataFile = /(^|\/)(dataset_infos?\.json|dataset_dict\.json|state\.json|README\.md|\.gitattributes)$/;

/** Hugging Face's default data-file naming: the split is a path segment or a name prefix (`data/train-00000-of-00001.parquet`, `train/0.parquet`). */
function isSplitFile(path: string, split: string): boolean {
    const escaped = split.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`(^|/)${escaped}([-_./]|$)`).test(path);
}
