// runJsonlJob with items in memory (what `rmr1 eval` feeds it: a benchmark's comparisons); the file
// input is covered through judgeFile.test.ts and rankFile's tests.
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {ConfigError, EngineServerError, InvalidInput} from "../errors.js";
import {runJsonlJob} from "./runJsonlJob.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-job-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const items = (n: number) => Array.from({length: n}, (_, i) => ({id: `c${i}`, x: i}));
const lines = (file: string) => readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as {id: string, y: number});

describe("runJsonlJob with items in memory", () => {
    it("runs every item once, knows the total, and resumes by id", async () => {
        const output = join(dir, "a.jsonl");
        const seen: number[] = [];
        const first = await runJsonlJob({input: {items: items(6).slice(0, 4)}, output, concurrency: 3, run: async (i) => ({id: i.id, y: i.x * 2}), onProgress: (p) => seen.push(p.total!)});
        expect(first).toEqual({total: 4, written: 4, skipped: 0, resumed: 0});
        expect(new Set(seen)).toEqual(new Set([4]));
        const ran: string[] = [];
        const second = await runJsonlJob({input: {items: items(6)}, output, run: async (i) => {
            ran.push(i.id);
            return {id: i.id, y: i.x * 2};
        }});
        expect(second).toEqual({total: 6, written: 2, skipped: 4, resumed: 4});
        expect(ran).toEqual(["c4", "c5"]);
        expect(lines(output).map((l) => l.y).sort((a, b) => a - b)).toEqual([0, 2, 4, 6, 8, 10]);
    });

    it("names the item in errors: a repeated id, a failing run", async () => {
        const repeated = [...items(2), {id: "c0", x: 9}];
        await expect(runJsonlJob({input: {items: repeated, name: "comparisons"}, output: null, run: async (i) => ({id: i.id})}))
            .rejects.toThrow(new InvalidInput("id 'c0' was already used on item 1; ids must be unique (resume relies on them). 2 results had been printed; give an output file to be able to resume after fixing it", {location: "comparisons item 3"}).message);
        const output = join(dir, "b.jsonl");
        await expect(runJsonlJob({input: {items: items(3), name: "comparisons"}, output, run: async (i) => {
            if (i.x === 2) throw new EngineServerError("server said 500");
            return {id: i.id};
        }})).rejects.toThrow("server said 500 (on id 'c2', comparisons item 3). 2 new results were saved to");
        expect(lines(output).map((l) => l.id)).toEqual(["c0", "c1"]);
    });

    it("a file input needs a parse function", async () => {
        await expect(runJsonlJob({input: join(dir, "a.jsonl"), output: null, run: async (i: {id: string}) => i})).rejects.toThrow(ConfigError);
    });
});
