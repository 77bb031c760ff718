import {readFileSync, writeFileSync, existsSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {InvalidInput, NotFound} from "../errors.js";
import {JsonArrayWriter, readJsonRows, type JsonRow} from "./json.js";
import {tempDir} from "../../test/dataHelpers.js";

async function collect(file: string): Promise<JsonRow[]> {
    const rows = [];
    for await (const row of readJsonRows(file)) rows.push(row);
    return rows;
}

// Strings full of the scanner's delimiters, escapes and multi-byte characters; long enough that
// rows straddle the 64 KiB read chunks.
const tricky = Array.from({length: 400}, (_, i) => ({
    i,
    text: `row ${i}: "quoted" \\ back, [brackets] {braces}, commas,, é 😀 ` + "ü".repeat(i * 3),
    nested: {list: [i, [i + 1, {deep: "]}"}], null, true]},
    lines: "a\nb\r\nc"
}));

describe("readJsonRows", () => {
    it("streams the elements of a large pretty-printed array with the line each starts on", async () => {
        const file = join(tempDir("json"), "a.json");
        writeFileSync(file, "\ufeff" + JSON.stringify(tricky, null, 4));
        const rows = await collect(file);
        expect(rows.map(r => r.value)).toEqual(tricky);
        expect(rows.map(r => r.index)).toEqual(tricky.map((_, i) => i));
        const lines = JSON.stringify(tricky, null, 4).split("\n");
        expect(rows[0].line).toBe(2);
        expect(lines[rows[250].line - 1].trim()).toBe("{");
        expect(lines[rows[250].line]).toContain("\"i\": 250");
    });

    it("reads compact arrays, arrays of scalars, empty arrays and concatenated/line-delimited objects", async () => {
        const dir = tempDir("json");
        const compact = join(dir, "compact.json");
        writeFileSync(compact, JSON.stringify(tricky));
        expect((await collect(compact)).map(r => r.value)).toEqual(tricky);
        const scalars = join(dir, "scalars.json");
        writeFileSync(scalars, "[1, \"two\", null ,true,[3], {\"x\": \"]\"}]\n");
        expect((await collect(scalars)).map(r => r.value)).toEqual([1, "two", null, true, [3], {x: "]"}]);
        const empty = join(dir, "empty.json");
        writeFileSync(empty, " [ ] ");
        expect(await collect(empty)).toEqual([]);
        const lines = join(dir, "lines.json");
        writeFileSync(lines, "{\"a\": 1}\n{\"a\": 2}{\"a\": 3}\n\n{\"a\":\n 4}");
        expect((await collect(lines)).map(r => [r.value, r.line])).toEqual([[{a: 1}, 1], [{a: 2}, 2], [{a: 3}, 2], [{a: 4}, 4]]);
    });

    it("names the file, line and row of an invalid row, and reports truncation", async () => {
        const dir = tempDir("json");
        const bad = join(dir, "bad.json");
        writeFileSync(bad, "[\n  {\"a\": 1},\n  {\"a\": tru},\n  {\"a\": 3}\n]");
        const error = await collect(bad).catch(e => e);
        expect(error).toBeInstanceOf(InvalidInput);
        expect(error.message).toContain(`${bad}:3: row 1 is not valid JSON`);
        const cut = join(dir, "cut.json");
        writeFileSync(cut, "[{\"a\": 1}, {\"a\": ");
        await expect(collect(cut)).rejects.toThrow("ends inside row 1");
        const trailing = join(dir, "trailing.json");
        writeFileSync(trailing, "[1]\n[2]");
        await expect(collect(trailing)).rejects.toThrow(`${trailing}:2: unexpected text after the closing ']'`);
        await expect(collect(join(dir, "missing.json"))).rejects.toThrow(NotFound);
    });

    it("hands invalid rows to onBadRow and goes on, keeping row indices aligned", async () => {
        const bad = join(tempDir("json"), "bad.json");
        writeFileSync(bad, "[\n  {\"a\": 1},\n  {\"a\": tru},\n  {\"a\": 3}\n]");
        const errors: string[] = [];
        const rows = [];
        for await (const row of readJsonRows(bad, {onBadRow: e => errors.push(e.message)})) rows.push([row.index, row.value]);
        expect(rows).toEqual([[0, {a: 1}], [2, {a: 3}]]);
        expect(errors).toEqual([expect.stringContaining(`${bad}:3: row 1 is not valid JSON`)]);
    });
});

describe("JsonArrayWriter", () => {
    it("round-trips rows, compact and indented, and appears only on close", async () => {
        const dir = tempDir("json");
        for (const indent of [0, 2]) {
            const file = join(dir, `out${indent}.json`);
            const writer = new JsonArrayWriter(file, {indent});
            for (const row of tricky) writer.write(row);
            expect(existsSync(file)).toBe(false);
            writer.close();
            expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(tricky);
            expect((await collect(file)).map(r => r.value)).toEqual(tricky);
        }
        const empty = join(dir, "empty.json");
        new JsonArrayWriter(empty).close();
        expect(JSON.parse(readFileSync(empty, "utf8"))).toEqual([]);
        const aborted = join(dir, "aborted.json");
        const w = new JsonArrayWriter(aborted);
        w.write({a: 1});
        w.abort();
        expect(existsSync(aborted)).toBe(false);
    });
});
