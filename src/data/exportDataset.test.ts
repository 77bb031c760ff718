import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {InvalidInput} from "../errors.js";
import {renderPair} from "../protocol/renderPair.js";
import type {Message} from "../protocol/types.js";
import {exportDataset} from "./exportDataset.js";
import {readRows, writeRows} from "./rows.js";
import {duckRows, duckTypes, sqlString, tempDir} from "../../test/dataHelpers.js";

const m = (role: Message["role"], content: string): Message => ({role, content});
let dir: string;
const pairs = [
    {id: "p0", prompt: [m("user", "2+2?")], chosen: [m("assistant", "4")], rejected: [m("assistant", "5")], domain: "math"},
    {id: "p1", prompt: [m("user", "hi"), m("assistant", "hey"), m("user", "bye")], chosen: [m("assistant", "ciao")], rejected: [m("assistant", "no")], domain: "chat"},
    {id: "p2", prompt: [m("user", "x")], chosen: [m("assistant", "y")], rejected: [m("assistant", "z")]}
];
// Rendered RM-R1 rows, as `rmr1 mix` writes them (alternating).
const rendered = pairs.map((p, i) => {
    const r = renderPair(p, i % 2 === 0 ? "chosen-first" : "chosen-second");
    return {context_messages: r.messages, winner: r.label};
});

async function rowsOf(file: string): Promise<Record<string, unknown>[]> {
    const out = [];
    for await (const r of readRows(file)) out.push(r.value as Record<string, unknown>);
    return out;
}

beforeAll(async () => {
    dir = tempDir("export");
    await writeRows(join(dir, "pairs.jsonl"), pairs);
    await writeRows(join(dir, "mix.parquet"), rendered);
    await writeRows(join(dir, "sft.jsonl"), [{context_messages: rendered[0].context_messages, winner: "<type>Chat</type> ... <answer>[[A]]</answer>"}, {context_messages: rendered[1].context_messages, winner: "model_b"}]);
});

describe("exportDataset", () => {
    it("openrlhf rl: {context_messages, winner} passed through from a mix, with custom keys", async () => {
        const out = join(dir, "orl.jsonl");
        const report = await exportDataset(join(dir, "mix.parquet"), out, {format: "openrlhf"});
        expect(report.rows).toBe(3);
        expect(await rowsOf(out)).toEqual(rendered);
        expect(report.usage).toContain("--input_key context_messages --label_key winner --apply_chat_template");
        await exportDataset(join(dir, "mix.parquet"), join(dir, "orl2.jsonl"), {format: "openrlhf", inputKey: "prompt", labelKey: "label"});
        expect((await rowsOf(join(dir, "orl2.jsonl")))[1]).toEqual({prompt: rendered[1].context_messages, label: "model_b"});
    });

    it("openrlhf rl from raw pairs renders them, alternating A/B", async () => {
        const out = join(dir, "orl-pairs.jsonl");
        await exportDataset(join(dir, "pairs.jsonl"), out, {format: "openrlhf"});
        expect(await rowsOf(out)).toEqual(rendered);
    });

    it("openrlhf sft: the trace is the target; a bare label is a bad row", async () => {
        const out = join(dir, "sft-out.jsonl");
        const report = await exportDataset(join(dir, "sft.jsonl"), out, {format: "openrlhf", mode: "sft"});
        expect(await rowsOf(out)).toEqual([{context_messages: rendered[0].context_messages, winner: "<type>Chat</type> ... <answer>[[A]]</answer>"}]);
        expect(report.badRows).toBe(1);
        expect(report.badExamples[0].message).toContain("needs the reasoning trace in 'winner', got the label 'model_b'");
        await expect(exportDataset(join(dir, "sft.jsonl"), join(dir, "x.jsonl"), {format: "openrlhf", mode: "sft", strict: true})).rejects.toThrow(InvalidInput);
    });

    it("verl: the documented parquet schema, readable by DuckDB", async () => {
        const out = join(dir, "verl.parquet");
        await exportDataset(join(dir, "pairs.jsonl"), out, {format: "verl", dataSource: "rmr1/mine"});
        expect(await duckTypes(out)).toEqual({
            data_source: "VARCHAR",
            prompt: "STRUCT(\"role\" VARCHAR, \"content\" VARCHAR)[]",
            ability: "VARCHAR",
            reward_model: "STRUCT(style VARCHAR, ground_truth VARCHAR)",
            extra_info: "STRUCT(split VARCHAR, \"index\" BIGINT, id VARCHAR)"
        });
        const rows = await duckRows(`SELECT * FROM read_parquet(${sqlString(out)})`);
        expect(rows[1]).toEqual({
            data_source: "rmr1/mine",
            prompt: rendered[1].context_messages,
            ability: "chat",
            reward_model: {style: "rule", ground_truth: "model_b"},
            extra_info: {split: "train", index: "1", id: "p1"}
        });
        expect(rows[2].ability).toBe("reward-modeling");
        const fromMix = join(dir, "verl-mix.parquet");
        await exportDataset(join(dir, "mix.parquet"), fromMix, {format: "verl"});
        const mixRows = await duckRows(`SELECT data_source, reward_model.ground_truth AS gt, extra_info.id AS id FROM read_parquet(${sqlString(fromMix)})`);
        expect(mixRows).toEqual([{data_source: "mix", gt: "model_a", id: null}, {data_source: "mix", gt: "model_b", id: null}, {data_source: "mix", gt: "model_a", id: null}]);
    });

    it("trl: conversational preference rows, also recovered from a rendered mix", async () => {
        const out = join(dir, "trl.jsonl");
        await exportDataset(join(dir, "pairs.jsonl"), out, {format: "trl"});
        expect(await rowsOf(out)).toEqual(pairs.map(({prompt, chosen, rejected}) => ({prompt, chosen, rejected})));
        const back = join(dir, "trl-from-mix.jsonl");
        await exportDataset(join(dir, "mix.parquet"), back, {format: "trl", includeMeta: true});
        const rows = await rowsOf(back);
        expect(rows.map(({prompt, chosen, rejected}) => ({prompt, chosen, rejected}))).toEqual(pairs.map(({prompt, chosen, rejected}) => ({prompt, chosen, rejected})));
        expect(rows[0]).toMatchObject({id: "mix:0", source: "rm-r1"});
    });
});
