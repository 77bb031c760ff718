// RL prompts from RM-R1 rows and from preference pairs rendered in a profile.
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {InvalidInput} from "../errors.js";
import {renderPair} from "../protocol/renderPair.js";
import {readRlPrompts, type RlPrompt} from "./rlData.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-rldata-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

async function read(rows: unknown[], options: Parameters<typeof readRlPrompts>[1] = {}): Promise<RlPrompt[]> {
    const file = join(dir, `d${Math.random().toString(36).slice(2)}.jsonl`);
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const out: RlPrompt[] = [];
    for await (const p of readRlPrompts(file, options)) out.push(p);
    return out;
}

const pair = (q: string) => ({prompt: [{role: "user", content: q}], chosen: [{role: "assistant", content: "good"}], rejected: [{role: "assistant", content: "bad"}]});

describe("readRlPrompts", () => {
    it("uses RM-R1 rows as they are", async () => {
        const messages = [{role: "system", content: "S"}, {role: "user", content: "U"}];
        const [p] = await read([{context_messages: messages, winner: "model_b"}]);
        expect(p).toMatchObject({id: "0", messages, label: "model_b"});
    });

    it("renders pairs in the profile, alternating A/B as the reference's mix_data.py", async () => {
        const ps = await read([pair("q0"), pair("q1"), pair("q2")]);
        expect(ps.map((p) => p.label)).toEqual(["model_a", "model_b", "model_a"]);
        expect(ps[1].messages).toEqual(renderPair(pair("q1") as never, "chosen-second", {profile: "tiny"}).messages);
        expect(ps[0].messages[0]).toEqual({role: "system", content: "Judge A vs B."});
        const instruct = await read([pair("q0")], {profile: "rm-r1-instruct"});
        expect(instruct[0].messages[1].content).toContain("[The Start of Chatbot A's Response]");
    });

    it("places pairs by a seeded coin per id with order random", async () => {
        const rows = Array.from({length: 40}, (_, i) => ({id: `id${i}`, ...pair(`q${i}`)}));
        const a = (await read(rows, {order: "random", seed: 3})).map((p) => p.label);
        const b = (await read(rows, {order: "random", seed: 3})).map((p) => p.label);
        const c = (await read(rows, {order: "random", seed: 4})).map((p) => p.label);
        expect(a).toEqual(b);
        expect(a).not.toEqual(c);
        expect(a.filter((l) => l === "model_a").length).toBeGreaterThan(10);
        expect(a.filter((l) => l === "model_b").length).toBeGreaterThan(10);
    });

    it("reports rows without a label, or skips them with onBadRow", async () => {
        const rows = [{context_messages: [{role: "user", content: "U"}]}, {context_messages: [{role: "user", content: "U"}], winner: "A"}, pair("ok")];
        await expect(read(rows)).rejects.toThrow(/:1: the row has no label: 'winner' must be model_a or model_b/);
        const bad: InvalidInput[] = [];
        const ps = await read(rows, {onBadRow: (e) => bad.push(e)});
        expect(ps).toHaveLength(1);
        expect(bad.map((e) => e.field)).toEqual(["winner", "winner"]);
        expect(bad[1].message).toMatch(/must be model_a or model_b, got "A"/);
    });
});
