// Online distillation with a real engine: the world's programmatic teacher (`world:teacher`, an
// `Engine` that reads the rendered judge prompt and writes a Chain-of-Rubrics trace, wrong on pass 1
// with a configurable rate and guided by the pass-2 hint). Checks that pass 2 receives exactly the
// reference's hinted prompt and recovers the wrong ones, that still-wrong pass-2 traces are dropped
// and counted, that the SFT rows carry the un-hinted prompts, and that resuming a finished or
// stopped job never asks the teacher the same thing twice.
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {distill} from "../src/distill/distill.js";
import {DistillStore} from "../src/distill/DistillStore.js";
import {pass2Messages, promptHash} from "../src/distill/distillRequest.js";
import {distillStatus} from "../src/distill/distillSummary.js";
import type {CallOptions, Engine, GenerateRequest, GenerateResult} from "../src/engines/Engine.js";
import {InvalidInput} from "../src/errors.js";
import {distillCorrect} from "../src/protocol/extractors.js";
import {renderPair} from "../src/protocol/renderPair.js";
import {PASS2_HINT_SUFFIX_A, PASS2_HINT_SUFFIX_B, PASS2_PREVIOUS_JUDGEMENT_PREFIX} from "../src/protocol/templates.js";
import type {Message, WinnerLabel} from "../src/protocol/types.js";
import {sftExampleFromRow} from "../src/train/sftData.js";
import {generateWorldPairs} from "../src/world/generateWorld.js";
import {WorldTeacher} from "../src/world/WorldTeacher.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-distill-online-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const pairs = [...generateWorldPairs({n: 80, seed: 7, family: "all", level: "mix"})];

/** The world teacher, counting what it is asked (per prompt hash) — the real engine answers. */
class CountingTeacher implements Engine {
    readonly id: string;
    readonly identity: string;
    readonly asked = new Map<string, number>();
    readonly requests: GenerateRequest[] = [];
    constructor(readonly inner: WorldTeacher) {
        this.id = inner.id;
        this.identity = inner.identity;
    }
    async generate(requests: GenerateRequest[], options?: CallOptions): Promise<GenerateResult[]> {
        for (const r of requests) {
            const hash = promptHash(r.messages);
            this.asked.set(hash, (this.asked.get(hash) ?? 0) + 1);
            this.requests.push(r);
        }
        return this.inner.generate(requests, options);
    }
    async close(): Promise<void> {}
    total(): number {
        return [...this.asked.values()].reduce((a, b) => a + b, 0);
    }
}

function readJsonl(file: string): any[] {
    return readFileSync(file, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

const hinted = (m: Message[]) => m.some((x) => x.content.includes(PASS2_HINT_SUFFIX_A) || x.content.includes(PASS2_HINT_SUFFIX_B) || x.content.includes(PASS2_PREVIOUS_JUDGEMENT_PREFIX));

describe("distill online with the world teacher", () => {
    it("recovers first-pass errors in pass 2 and writes un-hinted SFT rows", async () => {
        const job = join(dir, "recover");
        const teacher = new CountingTeacher(new WorldTeacher({error: 0.3, seed: 3}));
        const progress: number[] = [];
        const result = await distill({job, input: pairs, teacher, profile: "tiny", concurrency: 4, onProgress: (p) => progress.push(p.done)});

        expect(result.complete).toBe(true);
        expect(result.items).toBe(80);
        expect(result.pass1.answered).toBe(80);
        // A 30% error rate on 80 items: between 10 and 40 wrong (binomial, far outside 3 sigma).
        expect(result.pass1.wrong).toBeGreaterThan(10);
        expect(result.pass1.wrong).toBeLessThan(40);
        expect(result.pass2.needed).toBe(result.pass1.wrong);
        expect(result.pass2.answered).toBe(result.pass1.wrong);
        expect(result.pass2.correct).toBe(result.pass1.wrong);   // pass2Error 0: every hint is followed
        expect(result.kept).toBe(80);
        expect(result.keptPass2).toBe(result.pass1.wrong);
        expect(result.dropped).toBe(0);
        expect(result.acceptanceRate).toBe(1);
        expect(teacher.total()).toBe(80 + result.pass1.wrong);
        expect(progress.at(-1)).toBe(80);

        // The pass-2 requests are the reference's: the un-hinted prompt with the hint for the
        // correct verdict and the wrong pass-1 trace appended to the user message, system unchanged.
        const store = DistillStore.open(job, {readonly: true});
        const calls = [...store.calls()];
        const pass2 = calls.filter((c) => c.pass === 2);
        expect(pass2.length).toBe(result.pass1.wrong);
        for (const call of pass2) {
            const item = store.item(call.itemIdx);
            const first = calls.find((c) => c.itemIdx === call.itemIdx && c.pass === 1)!;
            expect(first.correct).toBe(false);
            const expected = pass2Messages(item.messages, item.label, first.output!);
            expect(call.promptHash).toBe(promptHash(expected));
            expect(expected[0]).toEqual(item.messages[0]);
            expect(expected[1].content.startsWith(item.messages[1].content)).toBe(true);
            const sent = teacher.requests.find((r) => promptHash(r.messages) === call.promptHash)!;
            expect(sent.messages[1].content).toBe(item.messages[1].content + (item.label === "model_a" ? PASS2_HINT_SUFFIX_A : PASS2_HINT_SUFFIX_B) +
                PASS2_PREVIOUS_JUDGEMENT_PREFIX + first.output);
            expect(call.correct).toBe(true);
        }
        store.close();

        // SFT rows: every kept trace with the un-hinted prompt, in input order; each trace right for its label.
        const rows = readJsonl(join(job, "sft.jsonl"));
        const provenance = readJsonl(join(job, "sft.provenance.jsonl"));
        expect(rows.length).toBe(80);
        expect(provenance.length).toBe(80);
        rows.forEach((row, i) => {
            const p = provenance[i];
            expect(p.row).toBe(i);
            expect(p.id).toBe(pairs[i].id);
            const rendered = renderPair(pairs[i], i % 2 === 0 ? "chosen-first" : "chosen-second", {profile: "tiny"});
            expect(row.context_messages).toEqual(rendered.messages);
            expect(hinted(row.context_messages)).toBe(false);
            expect(p.label).toBe(rendered.label);
            expect(distillCorrect(row.winner, p.label as WinnerLabel)).toBe(true);
            expect(p.teacher).toBe(teacher.id);
            if (p.pass === 2) expect(p.prompt_hash).not.toBe(promptHash(row.context_messages));
            else expect(p.prompt_hash).toBe(promptHash(row.context_messages));
            // The trainer reads the rows as SFT examples with the trace as the target.
            expect(sftExampleFromRow(row, i, `sft.jsonl:${i + 1}`).response).toBe(row.winner);
        });
        expect(provenance.filter((p) => p.pass === 2).length).toBe(result.pass1.wrong);
        // The reference mix alternates A/B: the labels of consecutive items alternate.
        expect(provenance.slice(0, 6).map((p) => p.label)).toEqual(["model_a", "model_b", "model_a", "model_b", "model_a", "model_b"]);

        // Resuming a finished job asks nothing and writes the same rows.
        const again = await distill({job, teacher, input: pairs});
        expect(teacher.total()).toBe(80 + result.pass1.wrong);
        expect(again.kept).toBe(80);
        expect(readJsonl(join(job, "sft.jsonl"))).toEqual(rows);
    });

    it("drops pass-2 traces that are still wrong, and counts them", async () => {
        const job = join(dir, "drop");
        const teacher = new WorldTeacher({error: 0.5, pass2Error: 0.5, seed: 11});
        const result = await distill({job, input: pairs, teacher, profile: "rm-r1-instruct", concurrency: 3});
        expect(result.complete).toBe(true);
        expect(result.dropped).toBeGreaterThan(5);
        expect(result.dropped).toBe(result.pass2.wrong);
        expect(result.kept).toBe(80 - result.dropped);
        expect(result.keptPass2).toBe(result.pass2.correct);
        expect(result.acceptanceRate).toBeCloseTo(result.kept / 80, 10);
        expect(result.pass2RecoveryRate).toBeCloseTo(result.pass2.correct / result.pass2.answered, 10);
        const rows = readJsonl(join(job, "sft.jsonl"));
        expect(rows.length).toBe(result.kept);
        for (const row of rows) expect(hinted(row.context_messages)).toBe(false);
        const status = distillStatus(job);
        expect(status.dropped).toBe(result.dropped);
        expect(status.kept).toBe(result.kept);
    });

    it("stops on its signal with the answers in flight recorded, and resumes without asking twice", async () => {
        const job = join(dir, "stop");
        const inner = new WorldTeacher({error: 0.3, seed: 5});
        const teacher = new CountingTeacher(inner);
        const controller = new AbortController();
        const first = await distill({
            job, input: pairs, teacher, profile: "tiny", concurrency: 4, signal: controller.signal,
            onProgress: (p) => {
                if (p.pass1.answered >= 25) controller.abort();
            }
        });
        expect(first.interrupted).toBe(true);
        expect(first.complete).toBe(false);
        const askedBefore = teacher.total();
        expect(first.pass1.answered).toBeGreaterThanOrEqual(25);
        expect(first.pass1.answered).toBeLessThan(80);
        // Nothing half-done: every request sent was answered and recorded.
        expect(first.calls.answered).toBe(askedBefore);
        expect(first.calls.inFlight).toBe(0);

        const second = await distill({job, teacher});
        expect(second.complete).toBe(true);
        expect(second.kept).toBe(80);
        for (const [hash, n] of teacher.asked) expect(n, hash).toBe(1);
        expect(teacher.total()).toBe(80 + second.pass1.wrong);

        // The same job without interruption gives the same traces (the teacher is deterministic).
        const fresh = await distill({job: join(dir, "stop-fresh"), input: pairs, teacher: new WorldTeacher({error: 0.3, seed: 5}), profile: "tiny"});
        expect(readJsonl(join(job, "sft.jsonl"))).toEqual(readJsonl(join(dir, "stop-fresh", "sft.jsonl")));
        expect(fresh.pass1.wrong).toBe(second.pass1.wrong);
    });

    it("writes the OpenRLHF and TRL layouts, seeded random orders, and inline provenance", async () => {
        const job = join(dir, "formats");
        const teacher = new WorldTeacher({error: 0.2, seed: 2});
        const base = {job, input: pairs.slice(0, 20), teacher, profile: "tiny" as const, order: "random" as const, seed: 9};
        await distill({...base, format: "openrlhf", output: join(dir, "formats-openrlhf.jsonl")});
        const openrlhf = readJsonl(join(dir, "formats-openrlhf.jsonl"));
        expect(Object.keys(openrlhf[0]).sort()).toEqual(["input", "output"]);
        await distill({...base, format: "trl", output: join(dir, "formats-trl.jsonl"), provenance: "inline"});
        const trl = readJsonl(join(dir, "formats-trl.jsonl"));
        expect(trl.length).toBe(20);
        trl.forEach((row, i) => {
            expect(row.messages.slice(0, -1)).toEqual(openrlhf[i].input);
            expect(row.messages.at(-1)).toEqual({role: "assistant", content: openrlhf[i].output});
            expect(row.provenance.id).toBe(pairs[i].id);
            expect(row.provenance.order).toBe("random");
            expect(sftExampleFromRow(row, i, "x").response).toBe(openrlhf[i].output);
        });
        // Seeded random orders: both positions occur, and the same seed gives the same orders.
        const positions = trl.map((r) => r.provenance.chosen_position);
        expect(new Set(positions).size).toBe(2);
        const again = await distill({...base, job: join(dir, "formats-2"), output: join(dir, "formats-2.jsonl"), format: "trl", provenance: "inline"});
        expect(again.kept).toBe(20);
        expect(readJsonl(join(dir, "formats-2.jsonl")).map((r) => r.provenance.chosen_position)).toEqual(positions);
    });

    it("refuses to resume with other options or another input, naming the option", async () => {
        const job = join(dir, "refuse");
        const teacher = new WorldTeacher({error: 0.2});
        await distill({job, input: pairs.slice(0, 10), teacher, profile: "tiny"});
        await expect(distill({job, teacher, profile: "rm-r1-instruct"})).rejects.toThrow(/'profile' was "tiny" and is now "rm-r1-instruct"/);
        await expect(distill({job, teacher, input: pairs.slice(1, 11), profile: "tiny"})).rejects.toThrow(InvalidInput);
        await expect(distill({job, teacher: new WorldTeacher({error: 0.5}), profile: "tiny"})).rejects.toThrow(/'teacher' was/);
        await expect(distill({job: join(dir, "empty"), teacher})).rejects.toThrow(/--input/);
        await expect(distill({job: join(dir, "dup"), teacher, input: [pairs[0], pairs[0]]})).rejects.toThrow(/appears twice/);
    });

    it("takes rendered RM-R1 rows as they are, and the world: provider string", async () => {
        const job = join(dir, "rendered");
        const rendered = pairs.slice(0, 12).map((p, i) => {
            const r = renderPair(p, i % 3 === 0 ? "chosen-second" : "chosen-first", {profile: "rm-r1-reasoning"});
            return {id: `row-${i}`, context_messages: r.messages, winner: r.label};
        });
        const result = await distill({job, input: rendered, teacher: "world:teacher?error=0.25&seed=4"});
        expect(result.pass1.teacher).toBe("world:teacher?error=0.25&pass2Error=0&seed=4");
        expect(result.pass2.teacher).toBe(result.pass1.teacher);
        expect(result.kept).toBe(12);
        const rows = readJsonl(join(job, "sft.jsonl"));
        const provenance = readJsonl(join(job, "sft.provenance.jsonl"));
        rows.forEach((row, i) => {
            expect(row.context_messages).toEqual(rendered[i].context_messages);
            expect(provenance[i].order).toBe("given");
            expect(provenance[i].label).toBe(rendered[i].winner);
        });
    });
});
