import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {InvalidInput, NotFound} from "../errors.js";
import {countRows, formatOf, openRowWriter, readRows, resolveSource, writeRows, type SourceRow} from "./rows.js";
import {tempDir} from "../../test/dataHelpers.js";

async function collect(source: string): Promise<SourceRow[]> {
    const rows = [];
    for await (const row of readRows(source)) rows.push(row);
    return rows;
}

const records = [
    {id: "r0", prompt: [{role: "user", content: "Q?"}], chosen: [{role: "assistant", content: "yes 😀"}], rejected: [{role: "assistant", content: "no"}], meta: {k: 1}},
    {id: "r1", prompt: [], chosen: [{role: "assistant", content: "a\nb"}], rejected: [{role: "assistant", content: ""}], meta: {k: 2}}
];

describe("rows: formats", () => {
    it("tells formats from extensions and refuses unknown ones", () => {
        expect(formatOf("a/b.JSONL")).toBe("jsonl");
        expect(formatOf("x.ndjson")).toBe("jsonl");
        expect(formatOf("x.json")).toBe("json");
        expect(formatOf("x.parquet")).toBe("parquet");
        expect(() => formatOf("x.csv")).toThrow(InvalidInput);
    });

    it("round-trips nested records through every format", async () => {
        const dir = tempDir("rows");
        for (const ext of ["json", "jsonl", "parquet"]) {
            const file = join(dir, `records.${ext}`);
            expect(await writeRows(file, records)).toBe(2);
            const rows = await collect(file);
            expect(rows.map(r => r.value)).toEqual(records);
            expect(rows.map(r => r.index)).toEqual([0, 1]);
            expect(rows[1].location).toBe(ext === "parquet" ? `${file} row 1` : `${file}:${ext === "json" ? 3 : 2}`);
            expect(await countRows(file)).toBe(2);
        }
    });

    it("reads a folder of mixed files in path order, and names what is missing", async () => {
        const dir = tempDir("rows");
        mkdirSync(join(dir, "sub"));
        await writeRows(join(dir, "b.parquet"), [{x: 2}]);
        await writeRows(join(dir, "a.jsonl"), [{x: 1}]);
        await writeRows(join(dir, "sub", "c.json"), [{x: 3}]);
        writeFileSync(join(dir, "notes.txt"), "ignored");
        expect((await collect(dir)).map(r => r.value)).toEqual([{x: 1}, {x: 2}, {x: 3}]);
        await expect(resolveSource(join(dir, "missing.jsonl"))).rejects.toThrow(NotFound);
        const empty = join(dir, "empty");
        mkdirSync(empty);
        await expect(resolveSource(empty)).rejects.toThrow("holds no .json, .jsonl or .parquet files");
    });

    it("keeps the old file when a write fails midway", async () => {
        const dir = tempDir("rows");
        const file = join(dir, "keep.jsonl");
        await writeRows(file, [{x: 1}]);
        async function* failing() {
            yield {x: 2};
            throw new Error("source broke");
        }
        await expect(writeRows(file, failing())).rejects.toThrow("source broke");
        expect(readFileSync(file, "utf8")).toBe("{\"x\":1}\n");
        const w = openRowWriter(join(dir, "never.parquet"));
        w.write({x: 1});
        w.abort();
        expect(existsSync(join(dir, "never.parquet"))).toBe(false);
    });
});
