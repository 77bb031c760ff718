// Online distillation over HTTP against a local server speaking the Anthropic Messages and OpenAI
// chat-completions protocols (ScriptedChatServer, answering with world-teacher traces): the
// reference's teachers and request bodies, failures mid-run (5xx, 429, dropped connections, a
// request that keeps failing), and a run killed with SIGKILL in a child process, resumed with no
// prompt answered twice (the server counts answers per prompt hash).
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import Database from "better-sqlite3";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {distill} from "../src/distill/distill.js";
import {DistillStore} from "../src/distill/DistillStore.js";
import {promptHash} from "../src/distill/distillRequest.js";
import {distillStatus} from "../src/distill/distillSummary.js";
import type {DistillSummary} from "../src/distill/distillSummary.js";
import {ScriptedChatServer} from "../src/engines/testing/ScriptedChatServer.js";
import type {ChatFault, SeenRequest} from "../src/engines/testing/ScriptedChatServer.js";
import {RM_R1_INSTRUCT_SYSTEM_PROMPT, PASS2_PREVIOUS_JUDGEMENT_PREFIX} from "../src/protocol/templates.js";
import {distillCorrect} from "../src/protocol/extractors.js";
import {generateWorldPairs} from "../src/world/generateWorld.js";
import {runCli, runRmr1, stopRmr1When} from "./helpers/runCli.js";
import {bodyPromptHash, worldReply} from "./fixtures/distill/worldReply.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-distill-http-"));
const pairs = [...generateWorldPairs({n: 40, seed: 13, family: "all", level: 2})];
const pairsFile = join(dir, "pairs.jsonl");
writeFileSync(pairsFile, pairs.map((p) => JSON.stringify(p)).join("\n") + "\n");

let server: ScriptedChatServer;
let fault: ((request: SeenRequest) => ChatFault | undefined) | undefined;
beforeAll(async () => {
    server = await ScriptedChatServer.start({reply: (c) => worldReply(c.messages as never, 0.3, 1), fault: (r) => fault?.(r)});
});
afterAll(async () => {
    await server.close();
    rmSync(dir, {recursive: true, force: true});
});

/** Requests the server answered (HTTP 200), per prompt hash, since `from` (an index into server.requests). */
function answeredPerHash(from = 0): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of server.requests.slice(from)) {
        if (r.outcome !== "ok") continue;
        const hash = bodyPromptHash(r.body);
        out.set(hash, (out.get(hash) ?? 0) + 1);
    }
    return out;
}

function sentPerHash(from = 0): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of server.requests.slice(from)) {
        if (typeof r.body !== "object") continue;
        const hash = bodyPromptHash(r.body);
        out.set(hash, (out.get(hash) ?? 0) + 1);
    }
    return out;
}

const fast = {cache: false, retries: 4, retryBaseMs: 2, retryMaxMs: 20} as const;

describe("distill online over HTTP", () => {
    it("sends the reference's requests to Anthropic (pass 1) and OpenAI (pass 2) and prices them", async () => {
        const from = server.requests.length;
        const job = join(dir, "reference");
        const prices = {"claude-3-7-sonnet": {inputPer1M: 3, outputPer1M: 15}, "o3": {inputPer1M: 2, outputPer1M: 8}};
        const result = await distill({job, input: pairsFile, baseUrl: server.url, pass2BaseUrl: server.openaiBaseUrl, engineOptions: fast, prices});
        expect(result.complete).toBe(true);
        expect(result.pass1.teacher).toBe("anthropic:claude-3-7-sonnet-20250219");
        expect(result.pass2.teacher).toBe("openai:o3-2025-04-16");
        expect(result.pass1.wrong).toBeGreaterThan(3);
        expect(result.kept).toBe(40);

        const seen = server.requests.slice(from);
        const anthropic = seen.filter((r) => r.path === "/v1/messages");
        const openai = seen.filter((r) => r.path === "/v1/chat/completions");
        expect(anthropic.length).toBe(40);
        expect(openai.length).toBe(result.pass1.wrong);
        for (const r of anthropic) {
            expect(r.body.model).toBe("claude-3-7-sonnet-20250219");
            expect(r.body.max_tokens).toBe(8192);
            expect(r.body.temperature).toBe(1);
            expect(r.body.system).toBe(RM_R1_INSTRUCT_SYSTEM_PROMPT);
            expect(r.body.messages.map((m: {role: string}) => m.role)).toEqual(["user"]);
        }
        for (const r of openai) {
            expect(r.body.model).toBe("o3-2025-04-16");
            expect(r.body.temperature).toBe(1);
            expect(r.body.max_tokens ?? r.body.max_completion_tokens).toBeUndefined();
            expect(r.body.messages[0]).toEqual({role: "system", content: RM_R1_INSTRUCT_SYSTEM_PROMPT});
            expect(r.body.messages[1].content).toContain(PASS2_PREVIOUS_JUDGEMENT_PREFIX);
        }

        // Cost per call from the usage the server reported and the prices given.
        const store = DistillStore.open(job, {readonly: true});
        let expected = 0;
        for (const call of store.calls()) {
            const price = call.pass === 1 ? prices["claude-3-7-sonnet"] : prices.o3;
            const cost = (call.promptTokens! * price.inputPer1M + call.completionTokens! * price.outputPer1M) / 1e6;
            expect(call.costUsd).toBeCloseTo(cost, 12);
            expected += cost;
        }
        store.close();
        expect(result.costUsd).toBeCloseTo(expected, 10);
        expect(result.costUsd).toBeGreaterThan(0);
        expect(result.projectedCostUsd).toBeCloseTo(expected, 10);
    });

    it("rides out 5xx, 429 and dropped connections mid-run, paying for no prompt twice", async () => {
        const from = server.requests.length;
        let n = 0;
        fault = () => {
            n++;
            if (n % 9 === 0) return {kind: "status", status: 503};
            if (n % 13 === 0) return {kind: "drop"};
            if (n % 17 === 0) return {kind: "drop-mid-body"};
            if (n % 19 === 0) return {kind: "status", status: 429, headers: {"retry-after": "0"}};
            return undefined;
        };
        try {
            const result = await distill({job: join(dir, "faults"), input: pairsFile, teacher: "openai:teacher", baseUrl: server.openaiBaseUrl, engineOptions: fast, concurrency: 6});
            expect(result.complete).toBe(true);
            expect(result.kept).toBe(40);
            expect(result.failedThisRun).toBe(0);
            const faults = server.requests.slice(from).filter((r) => r.outcome !== "ok").length;
            expect(faults).toBeGreaterThan(4);
            const answered = answeredPerHash(from);
            for (const [hash, count] of answered) expect(count, hash).toBe(1);
            expect([...answered.values()].reduce((a, b) => a + b, 0)).toBe(40 + result.pass1.wrong);
        } finally {
            fault = undefined;
        }
    });

    it("records a request that keeps failing, gives it up after maxAttempts, and finishes it on a later run", async () => {
        const from = server.requests.length;
        const job = join(dir, "persistent");
        const options = {job, input: pairsFile, teacher: "openai:teacher", baseUrl: server.openaiBaseUrl, engineOptions: {...fast, retries: 1}, concurrency: 3};
        const badQuestion = pairs[5].prompt![0].content;
        fault = (r) => r.body?.messages?.[1]?.content?.includes(badQuestion) === true ? {kind: "status", status: 500} : undefined;
        try {
            const first = await distill({...options, maxAttempts: 1});
            expect(first.failedThisRun).toBe(1);
            expect(first.pass1.gaveUp + first.pass2.gaveUp).toBe(1);
            expect(first.kept).toBe(39);
            expect(first.complete).toBe(true);   // settled: the one left is given up, not pending
            const store = DistillStore.open(job, {readonly: true});
            const failed = [...store.calls()].filter((c) => c.status === "failed");
            expect(failed.length).toBe(1);
            expect(failed[0].error).toMatch(/EngineServerError: .*HTTP 500/);
            store.close();
            // Another run with the same limit leaves it alone.
            const second = await distill({...options, maxAttempts: 1});
            expect(second.failedThisRun).toBe(0);
        } finally {
            fault = undefined;
        }
        const third = await distill({...options, maxAttempts: 2});
        expect(third.kept).toBe(40);
        expect(third.complete).toBe(true);
        for (const [hash, count] of answeredPerHash(from)) expect(count, hash).toBe(1);
    });

    it("resumes a run killed mid-flight (SIGKILL, child process) without repeating an answered request", async () => {
        const job = join(dir, "killed");
        const argv = ["distill", "--job", job, "--input", pairsFile, "--base-url", server.url, "--pass2-base-url", server.openaiBaseUrl, "--no-cache", "-j", "4", "-q"];
        const from = server.requests.length;
        // The first 12 requests are answered; later ones hang, so the kill finds 4 in flight.
        fault = (r) => r.seq - server.requests[from].seq >= 12 ? {kind: "slow", ms: 600_000} : undefined;
        let status: DistillSummary | undefined;
        const killed = await stopRmr1When(argv, () => {
            const hung = server.requests.slice(from).filter((r) => r.outcome === "slow").length;
            try {
                status = distillStatus(job);
            } catch {
                status = undefined;   // the job store is not there yet
            }
            return status != null && status.calls.answered === 12 && hung === 4 && status.calls.inFlight === 4;
        }, {signal: "SIGKILL", pollMs: 20, timeoutMs: 60_000, detail: () => JSON.stringify(status)});
        expect(killed.signal).toBe("SIGKILL");
        fault = undefined;

        // The store survived the kill intact.
        const db = new Database(join(job, "distill.sqlite"), {readonly: true});
        expect(db.pragma("integrity_check", {simple: true})).toBe("ok");
        db.close();

        const {code, out} = await runRmr1(argv);
        expect(code, out).toBe(0);
        expect(out).toMatch(/4 requests were in flight when the previous run died/);

        const final = distillStatus(job);
        expect(final.complete).toBe(true);
        expect(final.kept).toBe(40);
        expect(final.calls.lost).toBe(4);
        // No prompt was answered twice; the only prompts sent twice are the 4 that were in flight.
        const answered = answeredPerHash(from);
        for (const [hash, count] of answered) expect(count, hash).toBe(1);
        expect([...answered.values()].reduce((a, b) => a + b, 0)).toBe(40 + final.pass1.wrong);
        const resent = [...sentPerHash(from).entries()].filter(([, n]) => n > 1).map(([hash]) => hash);
        expect(resent.length).toBe(4);
        const store = DistillStore.open(job, {readonly: true});
        const lost = [...store.calls()].filter((c) => c.status === "lost").map((c) => c.promptHash).sort();
        store.close();
        expect(lost).toEqual(resent.sort());

        const rows = readFileSync(join(job, "sft.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
        const provenance = readFileSync(join(job, "sft.provenance.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
        expect(rows.length).toBe(40);
        rows.forEach((row, i) => {
            expect(distillCorrect(row.winner, provenance[i].label)).toBe(true);
            expect(provenance[i].prompt_hash === promptHash(row.context_messages)).toBe(provenance[i].pass === 1);
        });
    });

    it("prints the status of a job, and refuses a job another live process runs", async () => {
        const job = join(dir, "reference");
        const status = await runCli(["distill", "status", "--job", job]);
        const json = await runCli(["distill", "status", "--job", job, "--json"]);
        expect(status.code).toBe(0);
        expect(json.code).toBe(0);
        const text = status.stdout;
        expect(text).toMatch(/pass 1 \(anthropic:claude-3-7-sonnet-20250219\): 40\/40 answered/);
        expect(text).toMatch(/acceptance 100\.0%/);
        expect(text).toMatch(/cost so far \$0\.\d{4}/);
        expect(JSON.parse(json.stdout).kept).toBe(40);

        // A store locked by a live process on this host (our parent process stands in for it).
        const store = DistillStore.open(job);
        store.setMeta("owner", JSON.stringify({pid: process.ppid, host: (await import("node:os")).hostname(), since: ""}));
        store.close();
        await expect(distill({job, baseUrl: server.url, pass2BaseUrl: server.openaiBaseUrl, engineOptions: fast})).rejects.toThrow(/being run by process/);
    });
});
