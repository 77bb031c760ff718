import {existsSync, lstatSync, readFileSync, readlinkSync, statSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {ConfigError, InvalidInput, NotFound} from "../errors.js";
import {HubError, hubDownload, hubListFiles, parseHubUri, resolveHubSource, type HubOptions} from "./hub.js";
import {readRows} from "./rows.js";
import {writeParquet} from "./parquet.js";
import {FakeHub, sha256} from "../../test/dataHubServer.js";
import {tempDir} from "../../test/dataHelpers.js";

const C1 = "1".repeat(40);
const C2 = "2".repeat(40);
const hub = new FakeHub();
let train: Buffer;
let big: Buffer;

beforeAll(async () => {
    const dir = tempDir("hubsrc");
    await writeParquet(join(dir, "t.parquet"), [{prompt: "q", chosen: "a", rejected: "b", subset: "s"}]);
    train = readFileSync(join(dir, "t.parquet"));
    big = Buffer.alloc(300_000, 7);
    for (let i = 0; i < big.length; i += 997) big[i] = i & 255;
    hub.addRepo("owner/ds", {
        refs: {main: C1, v2: C2},
        commits: {
            [C1]: {
                "data/train-00000-of-00001.parquet": {content: train, lfs: true},
                "data/test-00000-of-00001.parquet": {content: train, lfs: true},
                "big.bin": {content: big, lfs: true},
                "README.md": {content: Buffer.from("# card\n")},
                "dataset_infos.json": {content: Buffer.from("{}")}
            },
            [C2]: {"data/train-00000-of-00001.parquet": {content: train, lfs: true}}
        }
    });
    hub.addRepo("owner/private", {token: "secret", refs: {main: C1}, commits: {[C1]: {"x.json": {content: Buffer.from("[{\"a\": 1}]")}}}});
    hub.renamed.set("old/ds", "owner/ds");
    await hub.start();
});

afterAll(() => hub.stop());

const opts = (extra: HubOptions = {}): HubOptions => ({endpoint: hub.hubUrl, cacheDir: tempDir("hubcache"), token: undefined, offline: false, ...extra});

describe("parseHubUri", () => {
    it("parses dataset files, whole datasets, revisions and model files", () => {
        expect(parseHubUri("hf://datasets/owner/ds/data/train.parquet")).toEqual({repoType: "datasets", repo: "owner/ds", revision: "main", path: "data/train.parquet"});
        expect(parseHubUri("hf://datasets/owner/ds@v2/a.jsonl")).toEqual({repoType: "datasets", repo: "owner/ds", revision: "v2", path: "a.jsonl"});
        expect(parseHubUri("hf:owner/ds")).toEqual({repoType: "datasets", repo: "owner/ds", revision: "main", path: undefined});
        expect(parseHubUri("hf:owner/ds@refs%2Fconvert%2Fparquet")).toMatchObject({revision: "refs/convert/parquet"});
        expect(parseHubUri("hf://owner/model/m.gguf")).toEqual({repoType: "models", repo: "owner/model", revision: "main", path: "m.gguf"});
        expect(() => parseHubUri("hf:owner")).toThrow(InvalidInput);
        expect(() => parseHubUri("hf:owner/ds@")).toThrow("empty revision");
        expect(() => parseHubUri("hf://datasets/owner/ds/../x")).toThrow("'..'");
        expect(() => parseHubUri("owner/ds")).toThrow("not an hf: URI");
    });
});

describe("hubDownload against a local Hub", () => {
    it("downloads an LFS file via the CDN redirect into the standard cache layout", async () => {
        const o = opts();
        const path = await hubDownload({repoType: "datasets", repo: "owner/ds", revision: "main", path: "data/train-00000-of-00001.parquet"}, o);
        const repoDir = join(o.cacheDir as string, "datasets--owner--ds");
        expect(path).toBe(join(repoDir, "snapshots", C1, "data", "train-00000-of-00001.parquet"));
        expect(lstatSync(path).isSymbolicLink()).toBe(true);
        expect(readlinkSync(path)).toBe(`../../../blobs/${sha256(train)}`);
        expect(readFileSync(path).equals(train)).toBe(true);
        expect(readFileSync(join(repoDir, "refs", "main"), "utf8")).toBe(C1);
        expect(existsSync(join(repoDir, "blobs", `${sha256(train)}.incomplete`))).toBe(false);
        // The same blob under another path and revision is not downloaded twice.
        const before = hub.log.filter(r => r.server === "cdn").length;
        await hubDownload({repoType: "datasets", repo: "owner/ds", revision: "v2", path: "data/train-00000-of-00001.parquet"}, o);
        expect(hub.log.filter(r => r.server === "cdn").length).toBe(before);
        expect(readFileSync(join(repoDir, "refs", "v2"), "utf8")).toBe(C2);
        // Regular (non-LFS) files come straight from the resolve endpoint, keyed by their git ETag.
        const readme = await hubDownload({repoType: "datasets", repo: "owner/ds", revision: C1, path: "README.md"}, o);
        expect(readFileSync(readme, "utf8")).toBe("# card\n");
        expect(existsSync(join(repoDir, "refs", C1))).toBe(false);
    });

    it("resumes an interrupted download with a Range request", async () => {
        const o = opts();
        hub.failDownloads = 1;
        const location = {repoType: "datasets" as const, repo: "owner/ds", revision: "main", path: "big.bin"};
        await expect(hubDownload(location, o)).rejects.toThrow(HubError);
        const partial = join(o.cacheDir as string, "datasets--owner--ds", "blobs", `${sha256(big)}.incomplete`);
        const have = statSync(partial).size;
        expect(have).toBeGreaterThan(0);
        expect(have).toBeLessThan(big.length);
        const path = await hubDownload(location, o);
        expect(readFileSync(path).equals(big)).toBe(true);
        const last = hub.log.filter(r => r.server === "cdn").at(-1);
        expect(last?.range).toBe(`bytes=${have}-`);
        expect(existsSync(partial)).toBe(false);
    });

    it("sends HF_TOKEN to the Hub (never to the CDN) and explains 401s", async () => {
        const location = {repoType: "datasets" as const, repo: "owner/private", revision: "main", path: "x.json"};
        const error = await hubDownload(location, opts()).catch(e => e);
        expect(error).toBeInstanceOf(ConfigError);
        expect(error.message).toContain("set HF_TOKEN");
        await expect(hubDownload(location, opts({token: "wrong"}))).rejects.toThrow("rejected the token");
        const saved = process.env.HF_TOKEN;
        process.env.HF_TOKEN = "secret";
        try {
            const path = await hubDownload(location, {endpoint: hub.hubUrl, cacheDir: tempDir("hubcache"), offline: false});
            expect(JSON.parse(readFileSync(path, "utf8"))).toEqual([{a: 1}]);
        } finally {
            if (saved == null) delete process.env.HF_TOKEN;
            else process.env.HF_TOKEN = saved;
        }
        await hubDownload({repoType: "datasets", repo: "owner/ds", revision: "main", path: "big.bin"}, opts({token: "secret"}));
        expect(hub.log.filter(r => r.server === "cdn").every(r => r.authorization == null)).toBe(true);
        expect(hub.log.filter(r => r.server === "hub" && r.url.includes("owner/ds")).some(r => r.authorization === "Bearer secret")).toBe(true);
    });

    it("maps missing files, revisions and repositories to NotFound, and follows a renamed repository", async () => {
        const o = opts();
        await expect(hubDownload({repoType: "datasets", repo: "owner/ds", revision: "main", path: "nope.parquet"}, o)).rejects.toThrow("no such file in the repository");
        await expect(hubDownload({repoType: "datasets", repo: "owner/ds", revision: "v9", path: "README.md"}, o)).rejects.toThrow("no such revision");
        await expect(hubDownload({repoType: "datasets", repo: "owner/none", revision: "main", path: "README.md"}, o)).rejects.toThrow(NotFound);
        const path = await hubDownload({repoType: "datasets", repo: "old/ds", revision: "main", path: "README.md"}, o);
        expect(readFileSync(path, "utf8")).toBe("# card\n");
    });

    it("offline (HF_HUB_OFFLINE=1) reads the cache only, with a clear error when the file is missing", async () => {
        const o = opts();
        const location = {repoType: "datasets" as const, repo: "owner/ds", revision: "main", path: "data/train-00000-of-00001.parquet"};
        const online = await hubDownload(location, o);
        const requests = hub.log.length;
        const saved = process.env.HF_HUB_OFFLINE;
        process.env.HF_HUB_OFFLINE = "1";
        try {
            expect(await hubDownload(location, {cacheDir: o.cacheDir, endpoint: hub.hubUrl})).toBe(online);
            const error = await hubDownload({...location, path: "README.md"}, {cacheDir: o.cacheDir, endpoint: hub.hubUrl}).catch(e => e);
            expect(error).toBeInstanceOf(NotFound);
            expect(error.message).toContain("is not in the Hub cache");
            expect(error.message).toContain("HF_HUB_OFFLINE");
            expect((await hubListFiles({repoType: "datasets", repo: "owner/ds", revision: "main"}, {cacheDir: o.cacheDir})).map(f => f.path)).toEqual(["data/train-00000-of-00001.parquet"]);
        } finally {
            if (saved == null) delete process.env.HF_HUB_OFFLINE;
            else process.env.HF_HUB_OFFLINE = saved;
        }
        expect(hub.log.length).toBe(requests);
        // An unreachable Hub falls back to the cache when it has the file.
        expect(await hubDownload(location, {...o, endpoint: "http://127.0.0.1:9"})).toBe(online);
        await expect(hubDownload({...location, path: "README.md"}, {...o, endpoint: "http://127.0.0.1:9"})).rejects.toThrow("cannot reach");
    });
});

describe("whole datasets (hf:owner/name)", () => {
    it("lists every page of the tree and downloads the parquet files of a split", async () => {
        const o = opts();
        const files = await hubListFiles({repoType: "datasets", repo: "owner/ds", revision: "main"}, o);
        expect(files.map(f => f.path).sort()).toEqual(["README.md", "big.bin", "data/test-00000-of-00001.parquet", "data/train-00000-of-00001.parquet", "dataset_infos.json"]);
        expect(hub.log.filter(r => r.url.includes("/tree/") && r.url.includes("cursor=")).length).toBeGreaterThan(0);
        const all = await resolveHubSource("hf:owner/ds", o);
        expect(all.map(p => p.split("/").slice(-2).join("/"))).toEqual(["data/test-00000-of-00001.parquet", "data/train-00000-of-00001.parquet"]);
        const trainOnly = await resolveHubSource("hf:owner/ds", {...o, split: "train"});
        expect(trainOnly.length).toBe(1);
        await expect(resolveHubSource("hf:owner/ds", {...o, split: "validation"})).rejects.toThrow("no .parquet/.jsonl/.json files of split 'validation'");
    });

    it("reads rows straight from hf: sources through readRows", async () => {
        const rows = [];
        for await (const row of readRows("hf:owner/ds@v2", {hub: opts()})) rows.push(row.value);
        expect(rows).toEqual([{prompt: "q", chosen: "a", rejected: "b", subset: "s"}]);
        const single = [];
        for await (const row of readRows("hf://datasets/owner/ds/data/test-00000-of-00001.parquet", {hub: opts()})) single.push(row.location);
        expect(single[0]).toMatch(/datasets--owner--ds\/snapshots\/1{40}\/data\/test-00000-of-00001\.parquet row 0$/);
    });
});
