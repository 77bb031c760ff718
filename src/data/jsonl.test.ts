import {describe, expect, it} from "vitest";
import {mkdtempSync, writeFileSync, readFileSync, appendFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {JsonlWriter, readJsonl, readJsonlForResume} from "./jsonl.js";
import {InvalidInput} from "../errors.js";

const tmp = () => mkdtempSync(join(tmpdir(), "rmr1-jsonl-"));

describe("readJsonl", () => {
    it("yields values with 1-based line numbers and skips blank lines", async () => {
        const f = join(tmp(), "a.jsonl");
        writeFileSync(f, "{\"a\":1}\n\n{\"a\":2}\r\n");
        const got = [];
        for await (const l of readJsonl(f)) got.push(l);
        expect(got).toEqual([{line: 1, value: {a: 1}}, {line: 3, value: {a: 2}}]);
    });

    it("names file and line of a bad line", async () => {
        const f = join(tmp(), "b.jsonl");
        writeFileSync(f, "{\"a\":1}\n{oops\n");
        const run = async () => {
            for await (const _ of readJsonl(f)) { /* drain */ }
        };
        await expect(run()).rejects.toThrow(InvalidInput);
        await expect(run()).rejects.toThrow(`${f}:2`);
    });
});

describe("JsonlWriter + readJsonlForResume", () => {
    it("drops and repairs a torn final line, then appends on a clean line", () => {
        const f = join(tmp(), "c.jsonl");
        const w = new JsonlWriter(f);
        w.write({id: 1});
        w.write({id: 2});
        w.close();
        appendFileSync(f, "{\"id\":3, \"tru");
        expect(readJsonlForResume(f, {repair: true})).toEqual([{id: 1}, {id: 2}]);
        const w2 = new JsonlWriter(f);
        w2.write({id: 3});
        w2.close();
        expect(readFileSync(f, "utf8")).toBe("{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n");
    });

    it("cuts off a torn final line when a previous writer died mid-line and nobody repaired", () => {
        const f = join(tmp(), "d.jsonl");
        writeFileSync(f, "{\"id\":1}\n{\"id\":");
        const w = new JsonlWriter(f);
        w.write({id: 2});
        w.close();
        expect(readJsonlForResume(f)).toEqual([{id: 1}, {id: 2}]);
    });

    it("reports a damaged complete line", () => {
        const f = join(tmp(), "e.jsonl");
        writeFileSync(f, "{\"id\":1}\nnot json\n");
        expect(() => readJsonlForResume(f)).toThrow(`${f}:2`);
    });
});
