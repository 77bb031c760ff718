// `npm run bench:data`: reading all of shared/benchmarks/rmb (95 parquet files, 18,329 rows: 14,543
// pairwise rows + 3,786 best-of-N items, snappy, nested lists of structs) into JS objects with rmr1's
// `readParquet`, side by side with DuckDB's node API (`@duckdb/node-api`, rows → JS objects via
// `getRowObjectsJS`), in the same process, interleaved, medians over several runs. Also: plain
// hyparquet `parquetReadObjects` (whole file at once), `readRecords` (rows → PreferenceRecords),
// and peak memory reading a large generated file, to show the row-group streaming keeps it bounded.
//
// Environment: BENCH_RUNS (default 7), BENCH_BIG_ROWS (rows of the memory test file, default 200000).
import {spawnSync} from "node:child_process";
import {mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync} from "node:fs";
import {cpus, loadavg, tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {DuckDBInstance} from "@duckdb/node-api";
import {parquetReadObjects} from "hyparquet";
import {compressors} from "hyparquet-compressors";
import {readParquet} from "../src/data/parquet.js";
import {readRecords} from "../src/data/readRecords.js";

const runs = Number(process.env.BENCH_RUNS ?? 7);
const bigRows = Number(process.env.BENCH_BIG_ROWS ?? 200_000);
const here = dirname(fileURLToPath(import.meta.url));
const RMB = join(here, "..", "..", "shared", "benchmarks", "rmb", "RMB_dataset");
const rmbRoot = statSync(RMB, {throwIfNoEntry: false}) != null ? RMB : "/work/shared/benchmarks/rmb/RMB_dataset";
const files = (readdirSync(rmbRoot, {recursive: true}) as string[]).filter(f => f.endsWith(".parquet")).sort().map(f => join(rmbRoot, f));
const totalBytes = files.reduce((n, f) => n + statSync(f).size, 0);
const sql = (s: string) => `'${s.replace(/'/g, "''")}'`;

const db = await DuckDBInstance.create(":memory:");
const con = await db.connect();
const duckThreads = Number((await (await con.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjectsJS())[0].t);

type Variant = {name: string, read: () => Promise<{rows: number, check: number}>};

/** A cheap checksum over every string, so no reader can skip decoding. */
function touch(value: unknown): number {
    if (typeof value === "string") return value.length;
    if (Array.isArray(value)) {
        let n = 0;
        for (const v of value) n += touch(v);
        return n;
    }
    if (value != null && typeof value === "object") {
        let n = 0;
        for (const v of Object.values(value)) n += touch(v);
        return n;
    }
    return 0;
}

const variants: Variant[] = [
    {
        name: "rmr1 readParquet (row groups → objects)",
        async read() {
            let rows = 0, check = 0;
            for (const f of files) for await (const row of readParquet(f)) {
                rows++;
                check += touch(row);
            }
            return {rows, check};
        }
    },
    {
        name: "DuckDB node API, one query per file",
        async read() {
            let rows = 0, check = 0;
            for (const f of files) {
                const result = await con.runAndReadAll(`SELECT * FROM read_parquet(${sql(f)})`);
                for (const row of result.getRowObjectsJS()) {
                    rows++;
                    check += touch(row);
                }
            }
            return {rows, check};
        }
    },
    {
        name: "DuckDB node API, one glob query (union_by_name)",
        async read() {
            let rows = 0, check = 0;
            const result = await con.runAndReadAll(`SELECT * FROM read_parquet(${sql(join(rmbRoot, "**", "*.parquet"))}, union_by_name = true)`);
            for (const row of result.getRowObjectsJS()) {
                rows++;
                check += touch(row);
            }
            return {rows, check};
        }
    },
    {
        // Context, not a like-for-like row: DuckDB's own scan, leaving the rows in DuckDB's vectors.
        name: "(DuckDB glob query without converting rows to JS)",
        async read() {
            const result = await con.runAndReadAll(`SELECT * FROM read_parquet(${sql(join(rmbRoot, "**", "*.parquet"))}, union_by_name = true)`);
            return {rows: result.currentRowCount, check: result.columnCount};
        }
    },
    {
        name: "hyparquet parquetReadObjects (whole file)",
        async read() {
            let rows = 0, check = 0;
            const {asyncBufferFromFile} = await import("hyparquet");
            for (const f of files) {
                for (const row of await parquetReadObjects({file: await asyncBufferFromFile(f), compressors})) {
                    rows++;
                    check += touch(row);
                }
            }
            return {rows, check};
        }
    },
    {
        name: "rmr1 readRecords (rows → PreferenceRecords)",
        async read() {
            let rows = 0, check = 0;
            for await (const r of readRecords(rmbRoot)) {
                rows++;
                check += touch(r.chosen) + touch(r.rejected);
            }
            return {rows, check};
        }
    }
];

function median(values: number[]): number {
    const s = [...values].sort((a, b) => a - b);
    return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// Correctness first: both readers must return the same rows (DuckDB's client drops a leading U+FEFF
// when converting strings, so BOMs are removed from our side before comparing).
let mismatches = 0;
let compared = 0;
for (const f of files) {
    const ours = [];
    for await (const row of readParquet(f)) ours.push(JSON.stringify(row).replace(/\ufeff/g, ""));
    const theirs = (await con.runAndReadAll(`SELECT * FROM read_parquet(${sql(f)})`)).getRowObjectsJson().map(r => JSON.stringify(r).replace(/\ufeff/g, ""));
    if (ours.length !== theirs.length) throw new Error(`${f}: ${ours.length} rows vs DuckDB ${theirs.length}`);
    for (let i = 0; i < ours.length; i++) if (ours[i] !== theirs[i]) mismatches++;
    compared += ours.length;
}
console.error(`correctness: ${compared} rows compared with DuckDB, ${mismatches} differ`);

// Warm-up, then interleaved timed runs.
const times = new Map<string, number[]>(variants.map(v => [v.name, []]));
const counts = new Map<string, {rows: number, check: number}>();
for (const v of variants) counts.set(v.name, await v.read());
for (let r = 0; r < runs; r++) {
    for (const v of variants) {
        const t0 = performance.now();
        const got = await v.read();
        times.get(v.name)!.push(performance.now() - t0);
        if (got.rows !== counts.get(v.name)!.rows) throw new Error(`${v.name}: row count changed`);
    }
    console.error(`run ${r + 1}/${runs} done`);
}

// Memory: a large generated file (nested rows, 1,000-row groups) read in a child process each,
// reporting peak RSS; the whole-file hyparquet read is the contrast.
const tmp = mkdtempSync(join(tmpdir(), "rmr1-bench-data-"));
const big = join(tmp, "big.parquet");
await con.run(`COPY (SELECT i AS id, [{'role': 'user', 'content': repeat('q', 200) || i}, {'role': 'assistant', 'content': repeat('a', 800) || i}] AS messages, 'model_' || (i % 2) AS winner
    FROM range(${bigRows}) t(i)) TO ${sql(big)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 1000)`);
// Each reader runs in a fresh process with Node's default heap limit (peak RSS sampled while it
// reads) and again under a small heap cap: a bounded reader finishes, a whole-file reader cannot.
const heapCapMb = 128;
const memory: Record<string, {rows: number | null, maxRssMb: number | null, underCap: string}> = {};
for (const mode of ["stream", "whole"]) {
    const runChild = (extra: string[]) => spawnSync(process.execPath, [...extra, "--import", "tsx", join(here, "data-memory.ts"), mode, big], {cwd: join(here, ".."), encoding: "utf8"});
    const free = runChild([]);
    const parsed = free.status === 0 ? JSON.parse(free.stdout.trim().split("\n").at(-1) as string) as {rows: number, maxRssMb: number} : {rows: null, maxRssMb: null};
    const capped = runChild([`--max-old-space-size=${heapCapMb}`]);
    const underCap = capped.status === 0
        ? `completed, peak RSS ${(JSON.parse(capped.stdout.trim().split("\n").at(-1) as string).maxRssMb as number).toFixed(1)} MB`
        : /heap out of memory|Allocation failed/i.test(capped.stderr) ? "ran out of memory" : `failed (exit ${capped.status})`;
    memory[mode] = {...parsed, underCap};
}
const bigBytes = statSync(big).size;
rmSync(tmp, {recursive: true, force: true});

const results = variants.map(v => {
    const t = times.get(v.name)!;
    return {variant: v.name, rows: counts.get(v.name)!.rows, medianMs: median(t), minMs: Math.min(...t), maxMs: Math.max(...t), runsMs: t};
});
const ours = results[0].medianMs;
const duckPerFile = results[1].medianMs;
const duckGlob = results[2].medianMs;
const summary = {
    date: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? "?"}, Node ${process.version}`,
    loadAverage: loadavg(),
    files: files.length,
    parquetBytes: totalBytes,
    runs,
    duckdbThreads: duckThreads,
    correctness: {rowsCompared: compared, rowsDiffering: mismatches},
    results,
    ratios: {oursOverDuckPerFile: ours / duckPerFile, oursOverDuckGlob: ours / duckGlob},
    memory: {rows: bigRows, fileMb: bigBytes / 2 ** 20, rowGroupRows: 1000, heapCapMb, ...memory}
};

const fmt = (x: number, d = 1) => x.toFixed(d);
const md = [
    "# Data benchmark: reading RMB parquet into JS objects",
    "",
    "`npm run bench:data` (bench/data.ts). Reads all of `shared/benchmarks/rmb/RMB_dataset` — " +
    `${files.length} snappy parquet files, ${fmt(totalBytes / 2 ** 20)} MB, ${results[0].rows.toLocaleString("en")} rows (14,543 pairwise rows + 3,786 best-of-N items) ` +
    "with nested `list<struct>` and `struct` columns — into plain JS objects, touching every string. " +
    `Medians of ${runs} interleaved runs after a warm-up, all in one process.`,
    "",
    `Run ${summary.date} on ${summary.machine}; load average at the end: ${loadavg().map(x => fmt(x, 2)).join(", ")}. ` +
    "The machine is shared with other work, so absolute figures are noisy; the ratios come from interleaved runs under the same conditions. " +
    `DuckDB used ${duckThreads} threads; rmr1 reads on the one JS thread.`,
    "",
    `Correctness check before timing: ${compared.toLocaleString("en")} rows compared with DuckDB's, ${mismatches} differ ` +
    "(after removing U+FEFF, which DuckDB's node client drops when converting strings while rmr1 keeps it, as pyarrow does).",
    "",
    "| reader | rows | median ms | min ms | max ms | rows / s | × rmr1 readParquet |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...results.map(r => `| ${r.variant} | ${r.rows.toLocaleString("en")} | ${fmt(r.medianMs)} | ${fmt(r.minMs)} | ${fmt(r.maxMs)} | ${Math.round(r.rows / r.medianMs * 1000).toLocaleString("en")} | ${fmt(r.medianMs / ours, 2)} |`),
    "",
    `**Ratio rmr1 / DuckDB: ${fmt(ours / duckPerFile, 2)} × the per-file DuckDB time, ${fmt(ours / duckGlob, 2)} × the single glob query** ` +
    "(below 1 means rmr1 is faster). Most of DuckDB's time is the conversion of its result to JS objects: its own scan " +
    `(the row in parentheses, rows left in DuckDB's vectors) takes ${fmt(results[3].medianMs)} ms. ` +
    "The `readRecords` row counts pairs: one per pairwise row, one per (best, loser) of each best-of-N item.",
    "",
    "## Memory: row-group streaming",
    "",
    `A generated file of ${bigRows.toLocaleString("en")} rows (${fmt(bigBytes / 2 ** 20)} MB snappy, 1,000-row groups, each row a two-message list of about 1 kB), ` +
    `read in a fresh process per reader: peak resident memory (sampled while reading) with Node's default heap limit, and whether it completes under \`--max-old-space-size=${heapCapMb}\`:`,
    "",
    `| reader | rows | peak RSS MB (default heap) | with a ${heapCapMb} MB heap cap |`,
    "|---|---:|---:|---|",
    `| rmr1 readParquet (one row group at a time) | ${memory.stream.rows?.toLocaleString("en") ?? "failed"} | ${memory.stream.maxRssMb?.toFixed(1) ?? "—"} | ${memory.stream.underCap} |`,
    `| hyparquet parquetReadObjects (whole file) | ${memory.whole.rows?.toLocaleString("en") ?? "failed"} | ${memory.whole.maxRssMb?.toFixed(1) ?? "—"} | ${memory.whole.underCap} |`,
    "",
    "The streaming reader's peak does not grow with the file (it holds one 1,000-row group); the whole-file read holds every row at once.",
    ""
].join("\n");

const out = join(here, "results");
mkdirSync(out, {recursive: true});
writeFileSync(join(out, "data.md"), md);
writeFileSync(join(out, "data.json"), JSON.stringify(summary, null, 2) + "\n");
process.stdout.write(md);
