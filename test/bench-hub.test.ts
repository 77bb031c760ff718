// The loaders' Hub paths against a local server that answers like the Hugging Face Hub (the data
// layer's FakeHub): RewardBench takes only split `filtered`, RM-Bench takes total_dataset.json, and
// with no shared folder the loaders fall back to those Hub datasets (RMB, which has none, says how
// to get its files).
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NotFound} from "../src/errors.js";
import {writeParquet} from "../src/data/parquet.js";
import {defaultBenchmarkSource, loadRewardBench, loadRmBench, loadRmb} from "../src/index.js";
import {FakeHub} from "./dataHubServer.js";

const fixtures = fileURLToPath(new URL("./fixtures/bench/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "rmr1-bench-hub-"));
const hub = new FakeHub();
const commit = "0123456789abcdef0123456789abcdef01234567";

beforeAll(async () => {
    await hub.start();
    const rows = readFileSync(join(fixtures, "rewardbench/filtered/part-000.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const filtered = join(dir, "filtered.parquet");
    const raw = join(dir, "raw.parquet");
    await writeParquet(filtered, rows);
    await writeParquet(raw, [...rows, {...rows[0], id: 99999}]);
    hub.addRepo("allenai/reward-bench", {refs: {main: commit}, commits: {[commit]: {
        "README.md": {content: Buffer.from("# RewardBench\n")},
        "data/filtered-00000-of-00001.parquet": {content: readFileSync(filtered), lfs: true},
        "data/raw-00000-of-00001.parquet": {content: readFileSync(raw), lfs: true}
    }}});
    hub.addRepo("THU-KEG/RM-Bench", {refs: {main: commit}, commits: {[commit]: {
        "README.md": {content: Buffer.from("# RM-Bench\n")},
        "total_dataset.json": {content: readFileSync(join(fixtures, "rm-bench-total/total_dataset.json")), lfs: true}
    }}});
});

afterAll(async () => {
    await hub.stop();
    rmSync(dir, {recursive: true, force: true});
});

describe("benchmark loaders on the Hub", () => {
    it("RewardBench reads split filtered of hf://datasets/allenai/reward-bench (not raw)", async () => {
        const data = await loadRewardBench({source: "hf://datasets/allenai/reward-bench", hub: {endpoint: hub.hubUrl, cacheDir: join(dir, "cache1")}});
        expect(data.files).toHaveLength(1);
        expect(data.files[0]).toMatch(/datasets--allenai--reward-bench[\\/]snapshots[\\/]0123456789abcdef0123456789abcdef01234567[\\/]data[\\/]filtered-00000-of-00001\.parquet$/);
        expect(data.comparisons.map((c) => c.id)).toEqual(["rewardbench/alpacaeval-easy/30", "rewardbench/donotanswer/3692", "rewardbench/hep-python/3692"]);
    });

    it("with no shared folder, the loaders default to the Hub datasets", async () => {
        const saved = {dir: process.env.RMR1_BENCHMARKS_DIR, endpoint: process.env.HF_ENDPOINT, cache: process.env.HF_HUB_CACHE};
        process.env.RMR1_BENCHMARKS_DIR = join(dir, "no-such-folder");
        process.env.HF_ENDPOINT = hub.hubUrl;
        process.env.HF_HUB_CACHE = join(dir, "cache2");
        try {
            expect(defaultBenchmarkSource("rm-bench")).toBe("hf://datasets/THU-KEG/RM-Bench/total_dataset.json");
            const data = await loadRmBench();
            expect(data.source).toBe("hf://datasets/THU-KEG/RM-Bench/total_dataset.json");
            expect(data.comparisons).toHaveLength(18);
            expect(new Set(data.comparisons.map((c) => c.scoring_domain))).toEqual(new Set(["chat", "math"]));
            await expect(loadRmb()).rejects.toThrow(NotFound);
            await expect(loadRmb()).rejects.toThrow(/clone https:\/\/github\.com\/Zhou-Zoey\/RMB-Reward-Model-Benchmark/);
        } finally {
            for (const [key, value] of [["RMR1_BENCHMARKS_DIR", saved.dir], ["HF_ENDPOINT", saved.endpoint], ["HF_HUB_CACHE", saved.cache]] as const) {
                if (value == null) delete process.env[key];
                else process.env[key] = value;
            }
        }
    });
});
