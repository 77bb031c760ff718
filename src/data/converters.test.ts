import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {InvalidInput} from "../errors.js";
import {renderPair} from "../protocol/renderPair.js";
import {profileNames} from "../protocol/profiles.js";
import type {Message, PreferencePair} from "../protocol/types.js";
import {convertRow, detectShape, detectShapeOrThrow, recordShapes, type RecordShape} from "./converters.js";
import {readRecords} from "./readRecords.js";
import {readRows, writeRows} from "./rows.js";
import type {PreferenceRecord} from "./PreferenceRecord.js";
import {tempDir} from "../../test/dataHelpers.js";

const BENCH = "/work/shared/benchmarks";
const ctx = {location: "test.jsonl:1", index: 0, file: "dir/test.jsonl"};

async function first(source: string): Promise<unknown> {
    for await (const row of readRows(source)) return row.value;
    throw new Error("empty");
}

async function records(source: string, shape?: RecordShape): Promise<PreferenceRecord[]> {
    const out = [];
    for await (const r of readRecords(source, {shape})) out.push(r);
    return out;
}

const msgs = (...pairs: [Message["role"], string][]): Message[] => pairs.map(([role, content]) => ({role, content}));

describe("converters on the real benchmark files", () => {
    it("RewardBench rows: prompt/chosen/rejected strings, ids keyed by subset", async () => {
        const row = await first(`${BENCH}/rewardbench/filtered/part-000.jsonl`) as Record<string, unknown>;
        expect(detectShape(row)).toBe("rewardbench");
        const all = await records(`${BENCH}/rewardbench/filtered`);
        expect(all.length).toBe(2985);
        expect(new Set(all.map(r => r.id)).size).toBe(2985);
        const r = all[0];
        expect(r).toMatchObject({id: `alpacaeval-easy:${row.id}`, source: "rewardbench", domain: "alpacaeval-easy"});
        expect(r.prompt).toEqual([{role: "user", content: row.prompt}]);
        expect(r.chosen).toEqual([{role: "assistant", content: row.chosen}]);
        expect(r.rejected).toEqual([{role: "assistant", content: row.rejected}]);
        expect(r.meta).toMatchObject({chosen_model: row.chosen_model, rejected_model: row.rejected_model});
    });

    it("RM-Bench rows: 3 styles a side give 9 pairs, domain from the file name", async () => {
        const file = `${BENCH}/rm-bench/data/chat_filtered.json`;
        const row = await first(file) as {id: number, prompt: string, chosen: string[], rejected: string[]};
        expect(detectShape(row)).toBe("rm-bench");
        const all = await records(file);
        expect(all.length).toBe(129 * 9);
        const nine = all.slice(0, 9);
        expect(nine.map(r => r.id)).toEqual(["00", "01", "02", "10", "11", "12", "20", "21", "22"].map(s => `chat:${row.id}:${s}`));
        expect(nine[5].chosen[0].content).toBe(row.chosen[1]);
        expect(nine[5].rejected[0].content).toBe(row.rejected[2]);
        expect(nine[5].meta).toMatchObject({chosen_style: "detailed", rejected_style: "markdown"});
        expect(nine.every(r => r.domain === "chat" && r.prompt?.[0].content === row.prompt)).toBe(true);
    });

    it("RMB pairwise rows: conversation_input with null language, `reject` field", async () => {
        const file = `${BENCH}/rmb/RMB_dataset/Pairwise_set/Harmlessness/multi.parquet`;
        const row = await first(file) as {pair_uid: string, conversation_input: {role: string, content: string}[], chosen: {answer: string, llm_name: string}, reject: {answer: string}};
        expect(detectShape(row)).toBe("rmb-pairwise");
        const all = await records(file);
        expect(all.length).toBe(502);
        expect(all[0]).toMatchObject({id: row.pair_uid, source: "rmb", domain: "Pairwise_set/Harmlessness/multi"});
        expect(all[0].prompt).toEqual(row.conversation_input.map(m => ({role: m.role, content: m.content})));
        expect(all[0].chosen).toEqual([{role: "assistant", content: row.chosen.answer}]);
        expect(all[0].rejected).toEqual([{role: "assistant", content: row.reject.answer}]);
        expect(all.some(r => (r.prompt?.length ?? 0) > 1)).toBe(true);
    });

    it("RMB best-of-N rows: one pair per loser, grouped by bon_uid", async () => {
        const file = `${BENCH}/rmb/RMB_dataset/BoN_set/Harmlessness/S1.parquet`;
        const rows: {bon_uid: string, loser_list: unknown[]}[] = [];
        for await (const r of readRows(file)) rows.push(r.value as never);
        expect(detectShape(rows[0])).toBe("rmb-bon");
        const all = await records(file);
        expect(all.length).toBe(rows.reduce((n, r) => n + r.loser_list.length, 0));
        const group = all.filter(r => r.meta?.bon_uid === rows[0].bon_uid);
        expect(group.map(r => r.id)).toEqual(rows[0].loser_list.map((_, k) => `${rows[0].bon_uid}:${k}`));
        expect(new Set(group.map(r => r.chosen[0].content)).size).toBe(1);
    });
});

describe("converters on the training-source shapes", () => {
    it("Skywork: full conversations become prompt + replies; the source is the domain", () => {
        const row = {
            source: "magpie_pro",
            chosen: msgs(["user", "a"], ["assistant", "b"], ["user", "c"], ["assistant", "good"]),
            rejected: msgs(["user", "a"], ["assistant", "b"], ["user", "c"], ["assistant", "bad"])
        };
        expect(detectShape(row)).toBe("skywork");
        const [r] = convertRow(row, "skywork", ctx);
        expect(r).toEqual({
            id: "test:0", source: "skywork", domain: "magpie_pro",
            prompt: msgs(["user", "a"], ["assistant", "b"], ["user", "c"]),
            chosen: msgs(["assistant", "good"]), rejected: msgs(["assistant", "bad"])
        });
        // Different questions: kept whole (implicit form), so the mix can refuse it as the reference does.
        const [different] = convertRow({...row, rejected: msgs(["user", "x"], ["assistant", "y"])}, "skywork", ctx);
        expect(different.prompt).toBeUndefined();
    });

    it("Code-Preference-Pairs: input / accepted / rejected", () => {
        const row = {input: "write f", accepted: "def f(): pass", rejected: "f = 1"};
        expect(detectShape(row)).toBe("code-preference-pairs");
        expect(convertRow(row, "code-preference-pairs", ctx)[0]).toEqual({
            id: "test:0", source: "code-preference-pairs", domain: "code",
            prompt: msgs(["user", "write f"]), chosen: msgs(["assistant", "def f(): pass"]), rejected: msgs(["assistant", "f = 1"])
        });
    });

    it("Math-Step-DPO: answers are initial_reason_steps + full_*, no separator", () => {
        const row = {dataset: "MATH", prompt: "1+1?", initial_reason_steps: "Step 1: add.\n", full_chosen: "Step 2: 2", full_rejected: "Step 2: 3", chosen: "2", rejected: "3", answer: "2"};
        expect(detectShape(row)).toBe("math-step-dpo");
        const [r] = convertRow(row, "math-step-dpo", ctx);
        expect(r.chosen).toEqual(msgs(["assistant", "Step 1: add.\nStep 2: 2"]));
        expect(r.rejected).toEqual(msgs(["assistant", "Step 1: add.\nStep 2: 3"]));
        expect(r).toMatchObject({source: "math-step-dpo", domain: "math", meta: {dataset: "MATH", answer: "2"}});
    });

    it("TRL: explicit prompt (strings or messages) and implicit prompt", () => {
        const standard = {prompt: "Q", chosen: "A", rejected: "B"};
        expect(detectShape(standard)).toBe("trl");
        expect(convertRow(standard, "trl", ctx)[0]).toMatchObject({prompt: msgs(["user", "Q"]), chosen: msgs(["assistant", "A"]), rejected: msgs(["assistant", "B"])});
        const conversational = {id: 7, prompt: msgs(["system", "s"], ["user", "Q"]), chosen: msgs(["assistant", "A"]), rejected: msgs(["assistant", "B"]), source: "mine", domain: "chat"};
        expect(convertRow(conversational, "trl", ctx)[0]).toEqual({...conversational, id: "7"});
        const implicit = {chosen: msgs(["user", "Q"], ["assistant", "A"]), rejected: msgs(["user", "Q"], ["assistant", "B"])};
        expect(detectShape(implicit)).toBe("trl");
        expect(convertRow(implicit, "trl", ctx)[0]).toMatchObject({prompt: msgs(["user", "Q"]), chosen: msgs(["assistant", "A"]), rejected: msgs(["assistant", "B"])});
        expect(() => convertRow({chosen: "A", rejected: "B"}, "trl", ctx)).toThrow("needs 'chosen' and 'rejected' as whole conversations");
    });

    it("RM-R1 rows: rendered prompts are read back to the pair, for every profile, single- and multi-turn, with the quirk", () => {
        const pairs: PreferencePair[] = [
            {prompt: msgs(["user", "What is 2+2? {answer_b} $& [A]"]), chosen: msgs(["assistant", "4\n\nsure"]), rejected: msgs(["assistant", "5"])},
            {prompt: msgs(["user", "hi"], ["assistant", "hello\nthere"], ["user", "bye"]), chosen: msgs(["assistant", "goodbye"]), rejected: msgs(["assistant", "no\n\nway"])}
        ];
        for (const profile of profileNames) {
            for (const pair of pairs) {
                for (const order of ["chosen-first", "chosen-second"] as const) {
                    const rendered = renderPair(pair, order, {profile, quirks: "reference"});
                    const row = {context_messages: rendered.messages, winner: rendered.label};
                    expect(detectShape(row)).toBe("rm-r1");
                    const [r] = convertRow(row, "rm-r1", ctx);
                    expect({prompt: r.prompt, chosen: r.chosen, rejected: r.rejected}, `${profile} ${order}`).toEqual(pair);
                    expect(r.meta).toEqual({winner: rendered.label, profile, multi_turn: rendered.multiTurn});
                }
            }
        }
    });

    it("RM-R1 rows: SFT rows with a trace in `winner`, and foreign prompts, are refused with the reason", () => {
        const rendered = renderPair({prompt: msgs(["user", "q"]), chosen: msgs(["assistant", "a"]), rejected: msgs(["assistant", "b"])}, "chosen-first");
        expect(() => convertRow({context_messages: rendered.messages, winner: "<type>Chat</type>..."}, "rm-r1", ctx)).toThrow("SFT targets");
        expect(() => convertRow({context_messages: msgs(["user", "judge this"]), winner: "model_a"}, "rm-r1", ctx)).toThrow("not an RM-R1 prompt of a known profile");
    });
});

describe("shape detection and errors", () => {
    it("lists every known shape when a row matches none", () => {
        let error: InvalidInput | undefined;
        try {
            detectShapeOrThrow({question: "q", answer: "a"}, "data.jsonl:4");
        } catch (e) {
            error = e as InvalidInput;
        }
        expect(error).toBeInstanceOf(InvalidInput);
        expect(error?.message).toContain("data.jsonl:4: cannot tell what kind of preference row this is (it has fields question, answer)");
        for (const s of recordShapes) expect(error?.message).toContain(s.name);
    });

    it("names the field and location of a bad value", () => {
        expect(() => convertRow({input: "q", accepted: 3, rejected: "r"}, "code-preference-pairs", ctx)).toThrow("test.jsonl:1: 'accepted' must be a string, got number 3");
        expect(() => convertRow({source: "s", chosen: [{role: "bot", content: "x"}], rejected: msgs(["assistant", "y"])}, "skywork", ctx))
            .toThrow("'chosen[0].role' must be one of system, user, assistant");
        expect(() => convertRow({conversation_input: msgs(["user", "q"], ["assistant", "a"]), chosen: {answer: "x"}, reject: {answer: "y"}}, "rmb-pairwise", ctx))
            .toThrow("'conversation_input' must end with a user message");
        expect(() => convertRow({prompt: "p", chosen: ["a", "b"], rejected: ["c", "d", "e"]}, "rm-bench", ctx)).toThrow("'chosen' must hold 3 styles");
    });

    it("readRecords detects per file, and reports or skips bad rows", async () => {
        const dir = tempDir("conv");
        await writeRows(join(dir, "a.jsonl"), [{input: "q", accepted: "a", rejected: "r"}, {input: "q2", accepted: null, rejected: "r"}, {input: "q3", accepted: "a3", rejected: "r3"}]);
        await expect(records(join(dir, "a.jsonl"))).rejects.toThrow(`${join(dir, "a.jsonl")}:2: 'accepted' must be a string`);
        const bad: string[] = [];
        const got = [];
        for await (const r of readRecords(join(dir, "a.jsonl"), {onBadRow: (e, row) => bad.push(`${row.index}:${e.field}`)})) got.push(r.id);
        expect(got).toEqual(["a:0", "a:2"]);
        expect(bad).toEqual(["1:accepted"]);
    });
});
