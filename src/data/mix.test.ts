import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {ConfigError, InvalidInput} from "../errors.js";
import {renderPair} from "../protocol/renderPair.js";
import {RM_R1_INSTRUCT_SYSTEM_PROMPT} from "../protocol/templates.js";
import type {Message} from "../protocol/types.js";
import {buildMix, loadMixConfig, parseMixConfig, rmR1MixConfig, type MixConfig, type MixRow} from "./mix.js";
import {numpyPermutation} from "./numpyRandom.js";
import {readRows, writeRows} from "./rows.js";
import {duckTypes, tempDir} from "../../test/dataHelpers.js";

const m = (role: Message["role"], content: string): Message => ({role, content});
const conv = (...turns: string[]): Message[] => turns.map((t, i) => m(i % 2 === 0 ? "user" : "assistant", t));

async function rowsOf(file: string): Promise<MixRow[]> {
    const out = [];
    for await (const r of readRows(file)) out.push(r.value as MixRow);
    return out;
}

// Fixture sources in the upstream layouts (written by the tests, small).
let dir: string;
const CODE_ROWS = 8050;
const math = [0, 1, 2].map(i => ({dataset: "MATH", prompt: `math ${i}?`, initial_reason_steps: `Step 1: think ${i}.\n`, full_chosen: `Step 2: ${i}`, full_rejected: `Step 2: ${i + 1}`, answer: `${i}`}));
const code = Array.from({length: CODE_ROWS}, (_, i) => ({input: `code ${i}`, accepted: `good ${i}`, rejected: `bad ${i}`}));
const sky = [
    {source: "helpsteer2", chosen: conv("hi", "hello!"), rejected: conv("hi", "go away")},
    {source: "magpie_ultra", chosen: conv("u", "v"), rejected: conv("u", "w<im_start>")},
    {source: "offset_bias", chosen: conv("a", "b", "c", "d-good"), rejected: conv("a", "b", "c", "d-bad")},
    {source: "wildguard", chosen: [m("system", "sys"), ...conv("q", "safe")], rejected: [m("system", "sys"), ...conv("q", "unsafe")]},
    {source: "magpie_pro", chosen: conv("x", "y", "z", "good"), rejected: conv("x", "y", "z", "bad")},
    {source: "helpsteer2", chosen: conv("same?", "a"), rejected: conv("different?", "b")},
    {source: "magpie_pro_llama3.1", chosen: conv("p", "q-good"), rejected: conv("p", "q-bad")}
];

beforeAll(async () => {
    dir = tempDir("mix");
    await writeRows(join(dir, "math.jsonl"), math);
    await writeRows(join(dir, "code.parquet"), code);
    await writeRows(join(dir, "sky.json"), sky);
});

describe("the RM-R1 recipe (mix_data.py) on fixture sources", () => {
    let rows: MixRow[];
    let report: Awaited<ReturnType<typeof buildMix>>;
    const config = () => rmR1MixConfig({math: join(dir, "math.jsonl"), code: join(dir, "code.parquet"), skywork: join(dir, "sky.json"), quirks: "reference"});

    beforeAll(async () => {
        report = await buildMix(config(), join(dir, "mix.parquet"));
        rows = await rowsOf(join(dir, "mix.parquet"));
    });

    it("keeps 8,000 code rows chosen as Dataset.shuffle(seed=42), Skywork without magpie_ultra, all math, written code → Skywork → math", () => {
        // 7 Skywork rows: magpie_ultra filtered; the system-message row and the two-question row are bad.
        expect(report.sources.map(s => [s.name, s.read, s.filtered, s.kept, s.bad])).toEqual([
            ["math", 3, 0, 3, 0], ["code", CODE_ROWS, 0, 8000, 0], ["skywork", 7, 1, 4, 2]
        ]);
        expect(rows.length).toBe(8000 + 4 + 3);
        const order = numpyPermutation(CODE_ROWS, 42).slice(0, 8000);
        const questions = rows.slice(0, 8000).map(r => /\[Client Question\]\n(code \d+)\n/.exec(r.context_messages[1].content)?.[1]);
        expect(questions).toEqual(order.map(i => `code ${i}`));
        expect(rows[8000].context_messages[1].content).toContain("\nhi\n");
        expect(rows.slice(-3).map(r => /\[Client Question\]\n(math \d)\?/.exec(r.context_messages[1].content)?.[1])).toEqual(["math 0", "math 1", "math 2"]);
    });

    it("alternates A/B strictly on one counter in generation order: math 0-2, code 3-8002, Skywork 8003-", () => {
        expect(report.sources.map(s => s.firstIndex)).toEqual([0, 3, 8003]);
        const winnerAt = (counter: number) => counter % 2 === 0 ? "model_a" : "model_b";
        const math3 = rows.slice(-3);
        expect(math3.map(r => r.winner)).toEqual([0, 1, 2].map(winnerAt));
        expect(rows.slice(0, 8000).map(r => r.winner)).toEqual(Array.from({length: 8000}, (_, k) => winnerAt(3 + k)));
        expect(rows.slice(8000, 8004).map(r => r.winner)).toEqual([8003, 8004, 8005, 8006].map(winnerAt));
        expect(report.labels).toEqual({model_a: 4004, model_b: 4003});
    });

    it("renders with the Instruct templates; math answers are initial_reason_steps + full_*; the winner is where the chosen reply sits", () => {
        for (const r of rows) {
            expect(r.context_messages.map(x => x.role)).toEqual(["system", "user"]);
            expect(r.context_messages[0].content).toBe(RM_R1_INSTRUCT_SYSTEM_PROMPT);
        }
        const [m0, m1] = rows.slice(-3);
        expect(m0.context_messages[1].content).toBe("[Client Question]\nmath 0?\n\n[The Start of Chatbot A's Response]\nStep 1: think 0.\nStep 2: 0\n[The End of Chatbot A's Response]\n\n[The Start of Chatbot B's Response]\nStep 1: think 0.\nStep 2: 1\n[The End of Chatbot B's Response]");
        expect(m1.context_messages[1].content).toContain("[The Start of Chatbot A's Response]\nStep 1: think 1.\nStep 2: 2\n");
        for (const r of rows.slice(0, 8000)) {
            const i = /code (\d+)/.exec(r.context_messages[1].content)?.[1];
            const a = /Chatbot A's Response\]\n(good|bad) /.exec(r.context_messages[1].content)?.[1];
            expect(a === "good" ? "model_a" : "model_b", `code ${i}`).toBe(r.winner);
        }
    });

    it("uses the multi-turn template for multi-turn Skywork rows, with the 'Chabot B' typo only when the chosen reply is in A", () => {
        const skyRows = rows.slice(8000, 8004);
        expect(report.sources[2].multiTurn).toBe(2);
        const multi = skyRows.filter(r => r.context_messages[1].content.startsWith("[The Start of the Conversation between Chatbot A and the Client]"));
        expect(multi.length).toBe(2);
        // offset_bias is counter 8004 (even → chosen in A, typo); magpie_pro is 8005 (odd → chosen in B, correct name).
        expect(multi[0].winner).toBe("model_a");
        expect(multi[0].context_messages[1].content).toContain("\nChabot B: b\nUser: c\nChabot B: d-bad\n");
        expect(multi[0].context_messages[1].content).toContain("User: a\nChatbot A: b\nUser: c\nChatbot A: d-good\n");
        expect(multi[1].winner).toBe("model_b");
        expect(multi[1].context_messages[1].content).toContain("User: x\nChatbot B: y\nUser: z\nChatbot B: good\n");
        expect(multi[1].context_messages[1].content).not.toContain("Chabot");
        // Every row is exactly what the protocol layer renders for that pair and order.
        const pair = {prompt: conv("a", "b", "c"), chosen: [m("assistant", "d-good")], rejected: [m("assistant", "d-bad")]};
        expect(multi[0].context_messages).toEqual(renderPair(pair, "chosen-first", {quirks: "reference"}).messages);
    });

    it("reports bad rows with their location and does not spend a counter value on them", () => {
        const sky = report.sources[2];
        expect(sky.badExamples.map(e => e.location)).toEqual([`${join(dir, "sky.json")}:5`, `${join(dir, "sky.json")}:7`]);
        expect(sky.badExamples[0].message).toContain("'prompt[0].role' is 'system'");
        expect(sky.badExamples[1].message).toContain("must ask one question");
        // magpie_pro follows the bad system-message row: counter 8005 (model_b); 8006 had the bad row used a value.
        expect(rows[8002].context_messages[1].content).toContain("User: x\n");
        expect(rows[8002].winner).toBe("model_b");
        expect(rows[8003].winner).toBe("model_a");
    });

    it("writes the RM-R1 parquet schema (context_messages list<struct<role, content>>, winner)", async () => {
        expect(await duckTypes(join(dir, "mix.parquet"))).toEqual({context_messages: "STRUCT(\"role\" VARCHAR, \"content\" VARCHAR)[]", winner: "VARCHAR"});
    });

    it("fails at the first bad row with --strict, naming file, line and field, and leaves no output", async () => {
        const out = join(dir, "strict.jsonl");
        const error = await buildMix(config(), out, {strict: true}).catch(e => e);
        expect(error).toBeInstanceOf(InvalidInput);
        expect(error.message).toContain(`${join(dir, "sky.json")}:5:`);
        expect(error.field).toBe("prompt[0].role");
        await expect(rowsOf(out)).rejects.toThrow("no such file");
    });
});

describe("custom mixes", () => {
    it("reads YAML configs with relative paths, filters, quotas and the output order", async () => {
        const yaml = join(dir, "mine.yaml");
        writeFileSync(yaml, [
            "seed: 7",
            "includeMeta: true",
            "output: [sky, code]",
            "sources:",
            "  - name: code",
            "    path: code.parquet",
            "    where: [{field: input, matches: '^code [0-9]$'}]",
            "    take: 4",
            "  - name: sky",
            "    path: sky.json",
            "    where:",
            "      - {field: source, in: [helpsteer2, magpie_pro_llama3.1]}",
            "      - {field: chosen, exists: true}",
            ""
        ].join("\n"));
        const config = loadMixConfig(yaml);
        expect(config.sources[0].path).toBe(join(dir, "code.parquet"));
        const report = await buildMix(config, join(dir, "mine.jsonl"));
        const rows = await rowsOf(join(dir, "mine.jsonl"));
        expect(report.sources.map(s => [s.name, s.kept, s.bad])).toEqual([["code", 4, 0], ["sky", 2, 1]]);
        expect(rows.map(r => r.id)).toEqual(["sky:sky:0", "sky:sky:6", "code:code:0", "code:code:1", "code:code:2", "code:code:3"]);
        expect(rows[0]).toMatchObject({source: "skywork", domain: "helpsteer2"});
        // Counter: code rows 0-3 then sky 4-5.
        expect(rows.map(r => r.winner)).toEqual(["model_a", "model_b", "model_a", "model_b", "model_a", "model_b"]);
    });

    it("counts a line that is not JSON as a bad row (and --strict stops there)", async () => {
        const file = join(dir, "broken.jsonl");
        writeFileSync(file, "\ufeff{\"input\": \"q0\", \"accepted\": \"a\", \"rejected\": \"r\"}\n{\"input\": oops}\n{\"input\": \"q2\", \"accepted\": \"a\", \"rejected\": \"r\"}\n");
        const config: MixConfig = {sources: [{name: "b", path: file}]};
        const report = await buildMix(config, join(dir, "broken-out.jsonl"));
        expect(report.rows).toBe(2);
        expect(report.sources[0].bad).toBe(1);
        expect(report.sources[0].badExamples[0].location).toBe(`${file}:2`);
        await expect(buildMix(config, join(dir, "broken-out2.jsonl"), {strict: true})).rejects.toThrow(`${file}:2: line is not valid JSON`);
    });

    it("shuffle + filter + take keeps the first passing rows in permutation order", async () => {
        const config: MixConfig = {seed: 11, sources: [{name: "c", path: join(dir, "code.parquet"), shuffle: true, where: [{field: "input", matches: "7$"}], take: 25}], includeMeta: true};
        await buildMix(config, join(dir, "shuffled.jsonl"));
        const got = (await rowsOf(join(dir, "shuffled.jsonl"))).map(r => r.id);
        const expected = numpyPermutation(CODE_ROWS, 11).filter(i => String(i).endsWith("7")).slice(0, 25).map(i => `c:code:${i}`);
        expect(got).toEqual(expected);
    });

    it("random order is a seeded coin per record, reproducible and seed-dependent", async () => {
        const make = async (seed: number, name: string) => {
            await buildMix({seed, order: "random", sources: [{name: "c", path: join(dir, "code.parquet"), take: 200}]}, join(dir, name));
            return (await rowsOf(join(dir, name))).map(r => r.winner);
        };
        const a = await make(1, "r1.jsonl");
        expect(await make(1, "r1b.jsonl")).toEqual(a);
        expect(await make(2, "r2.jsonl")).not.toEqual(a);
        const share = a.filter(w => w === "model_a").length / a.length;
        expect(share).toBeGreaterThan(0.35);
        expect(share).toBeLessThan(0.65);
    });

    it("rejects bad configs naming the field", () => {
        expect(() => parseMixConfig({})).toThrow("'sources' must be a non-empty list");
        expect(() => parseMixConfig({sources: [{name: "a", path: "x", take: -1}]})).toThrow("'sources[0].take' must be a non-negative integer");
        expect(() => parseMixConfig({sources: [{name: "a", path: "x", where: [{field: "f", like: 1}]}]})).toThrow("'sources[0].where[0].like' is not a condition");
        expect(() => parseMixConfig({sources: [{name: "a", path: "x", where: [{field: "f", matches: "("}]}]})).toThrow("not a valid regular expression");
        expect(() => parseMixConfig({sources: [{name: "a", path: "x"}], output: ["b"]})).toThrow("names 'b', which is not a source");
        expect(() => parseMixConfig({sources: [{name: "a", path: "x", shape: "csv"}]})).toThrow("'sources[0].shape' must be one of");
        expect(() => parseMixConfig({sources: [{name: "a", path: "x"}], profile: "gpt"})).toThrow(ConfigError);
        const yaml = join(dir, "broken.yaml");
        writeFileSync(yaml, "sources: [\n");
        expect(() => loadMixConfig(yaml)).toThrow("not valid YAML");
    });
});
