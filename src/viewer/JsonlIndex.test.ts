import {appendFileSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {InvalidInput} from "../errors.js";
import {JsonlIndex} from "./JsonlIndex.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-jsonl-index-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const summarize = (value: unknown) => {
    const v = value as {id?: unknown};
    if (typeof v.id !== "string") throw new InvalidInput("'id' must be a string");
    return v.id;
};

describe("JsonlIndex", () => {
    it("indexes lines with their byte ranges and reads a full line back", () => {
        const file = join(dir, "a.jsonl");
        writeFileSync(file, "{\"id\":\"a\",\"text\":\"é ünïcode\"}\n\n{\"id\":\"b\",\"n\":2}\n");
        const index = new JsonlIndex(file, summarize);
        const entries = index.refresh();
        expect(entries.map((e) => [e.line, e.summary])).toEqual([[1, "a"], [3, "b"]]);
        expect(index.read(entries[0])).toEqual({id: "a", text: "é ünïcode"});
        expect(index.read(entries[1])).toEqual({id: "b", n: 2});
    });

    it("indexes only what was appended, and counts a torn last line once it is complete", () => {
        const file = join(dir, "b.jsonl");
        writeFileSync(file, "{\"id\":\"a\"}\n{\"id\":");
        const index = new JsonlIndex(file, summarize);
        expect(index.refresh().map((e) => e.summary)).toEqual(["a"]);
        expect(index.invalid.count).toBe(0);
        const v1 = index.version;
        expect(index.refresh()).toHaveLength(1);
        expect(index.version).toBe(v1);
        appendFileSync(file, "\"b\"}\n{\"id\":\"c\"}\n");
        const entries = index.refresh();
        expect(entries.map((e) => [e.line, e.summary])).toEqual([[1, "a"], [2, "b"], [3, "c"]]);
        expect(index.version).toBeGreaterThan(v1);
        expect(index.read(entries[2])).toEqual({id: "c"});
    });

    it("shows a final line without a newline when it parses (hand-written files)", () => {
        const file = join(dir, "c.jsonl");
        writeFileSync(file, "{\"id\":\"a\"}\n{\"id\":\"b\"}");
        const index = new JsonlIndex(file, summarize);
        expect(index.refresh().map((e) => e.summary)).toEqual(["a", "b"]);
        appendFileSync(file, "\n{\"id\":\"c\"}\n");
        expect(index.refresh().map((e) => [e.line, e.summary])).toEqual([[1, "a"], [2, "b"], [3, "c"]]);
    });

    it("reports lines that are not JSON or that the summary rejects, with their line numbers", () => {
        const file = join(dir, "d.jsonl");
        writeFileSync(file, "{\"id\":\"a\"}\nnot json\n{\"id\":7}\n{\"id\":\"d\"}\n");
        const index = new JsonlIndex(file, summarize);
        expect(index.refresh().map((e) => e.summary)).toEqual(["a", "d"]);
        expect(index.invalid.count).toBe(2);
        expect(index.invalid.problems[0].line).toBe(2);
        expect(index.invalid.problems[0].message).toMatch(/not valid JSON/);
        expect(index.invalid.problems[1]).toEqual({line: 3, message: "'id' must be a string"});
    });

    it("starts over when the file shrinks (a resumed trainer cuts metrics.jsonl back)", () => {
        const file = join(dir, "e.jsonl");
        writeFileSync(file, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n");
        const index = new JsonlIndex(file, summarize);
        expect(index.refresh()).toHaveLength(3);
        writeFileSync(file, "{\"id\":\"a\"}\n");
        expect(index.refresh().map((e) => e.summary)).toEqual(["a"]);
        appendFileSync(file, "{\"id\":\"x\"}\n");
        expect(index.refresh().map((e) => e.summary)).toEqual(["a", "x"]);
    });

    it("is empty for a missing file, and forgets a file that was removed", () => {
        const file = join(dir, "f.jsonl");
        const index = new JsonlIndex(file, summarize);
        expect(index.refresh()).toEqual([]);
        writeFileSync(file, "{\"id\":\"a\"}\n");
        expect(index.refresh()).toHaveLength(1);
        rmSync(file);
        expect(index.refresh()).toEqual([]);
    });
});
