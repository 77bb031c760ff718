import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {questionSplit} from "../world/splits.js";
import {readTestOrders, readWorldPairs, worldPairMix, worldTestPairs, writeQuickstartData, writeSftMix} from "./quickstartData.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-qs-data-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("quickstart data", () => {
    it("mixes levels and families in the asked proportions, every prefix alike", () => {
        const pairs = worldPairMix({n: 400, seed: 3, split: "train", levels: {1: 3, 2: 1}});
        expect(pairs).toHaveLength(400);
        const count = (f: (p: typeof pairs[number]) => boolean, xs = pairs) => xs.filter(f).length;
        expect(count((p) => p.meta.level === 1)).toBe(300);
        expect(count((p) => p.meta.level === 2)).toBe(100);
        expect(count((p) => p.meta.family === "arith")).toBe(200);
        const prefix = pairs.slice(0, 40);
        expect(count((p) => p.meta.level === 1, prefix)).toBe(30);
        expect(new Set(pairs.map((p) => p.id)).size).toBe(400);
    });

    it("writes prompt-disjoint splits, a balanced test order and direct targets that name the chosen side", () => {
        const files = writeQuickstartData(dir, {trainPairs: 200, trainLevels: {1: 1}, rlPairs: 40, devPairs: 20, testPerCell: {1: 30, 2: 10, 3: 0}}, 5);
        const train = readWorldPairs(files.train);
        const test = readWorldPairs(files.test);
        expect(train).toHaveLength(200);
        expect(test).toHaveLength(80);
        for (const p of train) expect(questionSplit(p.prompt[0].content)).toBe("train");
        for (const p of test) expect(questionSplit(p.prompt[0].content)).toBe("test");
        for (const p of readWorldPairs(files.dev)) expect(questionSplit(p.prompt[0].content)).toBe("validation");
        const trainPrompts = new Set(train.map((p) => p.prompt[0].content));
        expect(test.filter((p) => trainPrompts.has(p.prompt[0].content))).toHaveLength(0);

        // Chosen-first in half of each family and level (up to one per odd stratum of kind).
        const orders = readTestOrders(files.testOrders);
        for (const family of ["arith", "lists"]) {
            for (const level of [1, 2]) {
                const cell = test.filter((p) => p.meta.family === family && p.meta.level === level);
                const first = cell.filter((p) => orders.get(p.id) === "chosen-first").length;
                const strata = new Set(cell.map((p) => p.meta.kind)).size;
                expect(Math.abs(first - cell.length / 2)).toBeLessThanOrEqual(strata / 2);
            }
        }

        const direct = readFileSync(files.direct, "utf8").trim().split("\n").map((l) => JSON.parse(l) as {id: string, context_messages: {content: string}[], winner: string});
        expect(direct).toHaveLength(200);
        const byId = new Map(train.map((p) => [p.id, p]));
        for (const row of direct.slice(0, 20)) {
            const pair = byId.get(row.id)!;
            const user = row.context_messages[row.context_messages.length - 1].content;
            const side = /^<answer>\[\[([AB])\]\]<\/answer>$/.exec(row.winner)![1];
            // The chosen reply is the one shown under the winning side's header.
            const shown = user.split(`[${side}]\n`)[1];
            expect(shown.startsWith(pair.chosen[0].content)).toBe(true);
        }
        expect(direct.filter((r) => r.winner.includes("[[A]]")).length).toBeGreaterThanOrEqual(90);
        expect(direct.filter((r) => r.winner.includes("[[A]]")).length).toBeLessThanOrEqual(110);
    });

    it("keeps files already written (a resumed run sees the same data)", () => {
        const before = readFileSync(join(dir, "train.jsonl"), "utf8");
        writeQuickstartData(dir, {trainPairs: 200, trainLevels: {1: 1}, rlPairs: 40, devPairs: 20, testPerCell: {1: 30, 2: 10, 3: 0}}, 5);
        expect(readFileSync(join(dir, "train.jsonl"), "utf8")).toBe(before);
        expect(worldTestPairs(7, {1: 4, 2: 0, 3: 0})).toHaveLength(8);
    });

    it("mixes the base's check tasks into an SFT file at the asked share, shuffled by the seed, written once", () => {
        const rowsFile = join(dir, "direct-sft.jsonl");
        const rows = readFileSync(rowsFile, "utf8").trim().split("\n");
        const out = join(dir, "mix.jsonl");
        expect(writeSftMix(rowsFile, out, {replay: 0.2, seed: 1, levels: {1: 1}})).toBe(50);
        const mixed = readFileSync(out, "utf8").trim().split("\n");
        expect(mixed).toHaveLength(250);
        expect(mixed.filter((l) => rows.includes(l))).toHaveLength(200);
        const replayed = mixed.filter((l) => !rows.includes(l)).map((l) => JSON.parse(l) as {context_messages: {content: string}[], winner: string});
        for (const r of replayed) expect(r.context_messages[0].content).toMatch(/^Check: (Compute|List) /);
        expect(mixed.slice(0, 200)).not.toEqual(rows);
        // Written once: the same call again leaves the file as it is; another seed orders differently.
        const before = readFileSync(out, "utf8");
        writeSftMix(rowsFile, out, {replay: 0.2, seed: 2, levels: {1: 1}});
        expect(readFileSync(out, "utf8")).toBe(before);
        writeSftMix(rowsFile, join(dir, "mix2.jsonl"), {replay: 0.2, seed: 2, levels: {1: 1}});
        expect(readFileSync(join(dir, "mix2.jsonl"), "utf8")).not.toBe(before);
        expect(writeSftMix(rowsFile, join(dir, "mix0.jsonl"), {replay: 0, seed: 1, levels: {1: 1}})).toBe(0);
    });
});
