// Batch distillation: request files in the documented OpenAI Batch and Anthropic Message Batches
// formats (with the very bodies the online engines send), result files ingested with mixed
// succeeded / errored / expired / canceled lines (failures re-queued into the next file, pass-2
// files following pass-1 results), and the `--submit` path against a local test double of both
// batch APIs, including HTTP faults and a run killed (SIGKILL) while polling, resumed without
// creating the batch again or paying for any prompt twice.
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {distill} from "../src/distill/distill.js";
import {DistillStore} from "../src/distill/DistillStore.js";
import {distillStatus} from "../src/distill/distillSummary.js";
import {ScriptedChatServer} from "../src/engines/testing/ScriptedChatServer.js";
import {InvalidInput} from "../src/errors.js";
import {distillCorrect} from "../src/protocol/extractors.js";
import {PASS2_PREVIOUS_JUDGEMENT_PREFIX, RM_R1_INSTRUCT_SYSTEM_PROMPT} from "../src/protocol/templates.js";
import type {Message} from "../src/protocol/types.js";
import {generateWorldPairs} from "../src/world/generateWorld.js";
import {runRmr1, stopRmr1When} from "./helpers/runCli.js";
import {BatchApiServer} from "./fixtures/distill/BatchApiServer.js";
import {bodyMessages, bodyPromptHash, worldReply} from "./fixtures/distill/worldReply.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-distill-batch-"));
const pairs = [...generateWorldPairs({n: 30, seed: 17, family: "all", level: "mix"})];
const pairsFile = join(dir, "pairs.jsonl");
writeFileSync(pairsFile, pairs.map((p) => JSON.stringify(p)).join("\n") + "\n");
const reply = (messages: Message[]) => worldReply(messages, 0.35, 2);

let chat: ScriptedChatServer;
beforeAll(async () => {
    chat = await ScriptedChatServer.start({reply: (c) => reply(c.messages as Message[])});
});
afterAll(async () => {
    await chat.close();
    rmSync(dir, {recursive: true, force: true});
});

const readLines = (file: string) => readFileSync(file, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
const customIdRule = /^[a-zA-Z0-9_-]{1,64}$/;

/** Anthropic results for a request file, with the given outcome per request index. */
function anthropicResults(file: string, outcome: (i: number) => "succeeded" | "errored" | "expired" | "canceled"): string {
    const {requests} = JSON.parse(readFileSync(file, "utf8")) as {requests: {custom_id: string, params: any}[]};
    return requests.map((r, i) => {
        const o = outcome(i);
        if (o === "succeeded") {
            const text = reply(bodyMessages(r.params));
            return JSON.stringify({custom_id: r.custom_id, result: {type: "succeeded", message: {
                id: `msg_${i}`, type: "message", role: "assistant", model: r.params.model, content: [{type: "text", text}],
                stop_reason: "end_turn", stop_sequence: null, usage: {input_tokens: 1000 + i, output_tokens: 200 + i}
            }}});
        }
        if (o === "errored") return JSON.stringify({custom_id: r.custom_id, result: {type: "errored", error: {type: "error", error: {type: "api_error", message: "Internal server error"}}}});
        return JSON.stringify({custom_id: r.custom_id, result: {type: o}});
    }).join("\n") + "\n";
}

/** OpenAI output and error files for a request file. */
function openAIResults(file: string, outcome: (i: number) => "succeeded" | "errored" | "expired"): {output: string, errors: string} {
    const output: string[] = [];
    const errors: string[] = [];
    readLines(file).forEach((line, i) => {
        const o = outcome(i);
        if (o === "succeeded") {
            output.push(JSON.stringify({id: `batch_req_${i}`, custom_id: line.custom_id, response: {status_code: 200, request_id: `r${i}`, body: {
                id: `chatcmpl-${i}`, object: "chat.completion", created: 1, model: line.body.model,
                choices: [{index: 0, message: {role: "assistant", content: reply(line.body.messages), refusal: null}, logprobs: null, finish_reason: "stop"}],
                usage: {prompt_tokens: 3000, completion_tokens: 900, total_tokens: 3900}
            }}, error: null}));
        } else if (o === "errored") {
            output.push(JSON.stringify({id: `batch_req_${i}`, custom_id: line.custom_id, response: {status_code: 400, request_id: `r${i}`,
                body: {error: {message: "Invalid prompt", type: "invalid_request_error"}}}, error: null}));
        } else {
            errors.push(JSON.stringify({id: `batch_req_${i}`, custom_id: line.custom_id, response: null,
                error: {code: "batch_expired", message: "This request could not be executed before the completion window expired."}}));
        }
    });
    return {output: output.join("\n") + "\n", errors: errors.join("\n") + "\n"};
}

describe("distill batch files", () => {
    it("writes request files whose bodies are the online engines' bodies", async () => {
        for (const teacher of ["anthropic:claude-3-7-sonnet-20250219", "openai:gpt-4.1-mini"]) {
            const provider = teacher.split(":")[0] as "openai" | "anthropic";
            const baseUrl = provider === "openai" ? chat.openaiBaseUrl : chat.url;
            const from = chat.requests.length;
            const few = pairs.slice(0, 4);
            // A vLLM-style extra body field: the engine adds it online, the batch file must carry it too.
            const extraBody = {top_k: 20};
            await distill({job: join(dir, `online-${provider}`), input: few, teacher, pass2Teacher: teacher, baseUrl, engineOptions: {cache: false, extraBody}});
            const online = chat.requests.slice(from).filter((r) => !JSON.stringify(r.body).includes(PASS2_PREVIOUS_JUDGEMENT_PREFIX));
            const job = join(dir, `files-${provider}`);
            const result = await distill({job, input: few, teacher, pass2Teacher: teacher, baseUrl, mode: "batch", engineOptions: {extraBody}});
            expect(result.batch!.written.length).toBe(1);
            const file = join(job, result.batch!.written[0].file);
            const lines = provider === "openai" ? readLines(file) : (JSON.parse(readFileSync(file, "utf8")) as {requests: any[]}).requests;
            expect(lines.length).toBe(4);
            lines.forEach((line, i) => {
                expect(line.custom_id).toMatch(customIdRule);
                const sent = online.find((r) => bodyPromptHash(r.body) === bodyPromptHash(line.body ?? line.params))!.body;
                if (provider === "openai") {
                    expect(Object.keys(line).sort()).toEqual(["body", "custom_id", "method", "url"]);
                    expect(line.method).toBe("POST");
                    expect(line.url).toBe("/v1/chat/completions");
                    expect(line.body).toEqual(sent);
                    expect(line.body.top_k).toBe(20);
                } else {
                    expect(Object.keys(line).sort()).toEqual(["custom_id", "params"]);
                    expect(line.params).toEqual(sent);
                    expect(line.params.max_tokens).toBe(8192);
                    expect(line.params.system).toBe(RM_R1_INSTRUCT_SYSTEM_PROMPT);
                }
                expect(bodyMessages(line.body ?? line.params)[1].content).toContain(few[i].prompt![0].content);
            });
        }
    });

    it("ingests mixed results, re-queues failures, follows pass 1 with pass-2 files, and completes", async () => {
        const job = join(dir, "rounds");
        // Default teachers, default (official) APIs: the files are meant for OpenAI and Anthropic themselves.
        const r1 = await distill({job, input: pairsFile, mode: "batch"});
        expect(r1.complete).toBe(false);
        expect(r1.batches.map((b) => [b.name, b.requests, b.status])).toEqual([["b001-pass1-anthropic", 30, "written"]]);
        expect(r1.calls.queued).toBe(30);
        const file1 = r1.batches[0].file;
        const create = JSON.parse(readFileSync(file1, "utf8"));
        expect(Object.keys(create)).toEqual(["requests"]);
        expect(new Set(create.requests.map((r: {custom_id: string}) => r.custom_id)).size).toBe(30);

        // Rerunning while the batch is out writes nothing new (the job remembers it is a batch job).
        const again = await distill({job});
        expect(again.batch!.written).toEqual([]);
        expect(again.calls.answered).toBe(0);

        // Results: 3 errored, 2 expired, 1 canceled, the rest succeeded.
        const outcomes = (i: number) => i === 2 || i === 9 || i === 20 ? "errored" : i === 4 || i === 5 ? "expired" : i === 7 ? "canceled" : "succeeded";
        const results1 = join(dir, "rounds-results-1.jsonl");
        writeFileSync(results1, anthropicResults(file1, outcomes));
        const r2 = await distill({job, mode: "batch", results: [results1]});
        expect(r2.batch!.ingested).toEqual([{file: results1, lines: 30, succeeded: 24, failed: 6, duplicates: 0, unmatched: 0}]);
        expect(r2.pass1.answered).toBe(24);
        const wrong = r2.pass1.wrong;
        expect(wrong).toBeGreaterThan(2);
        // Batch price: half of Claude 3.7 Sonnet's $3 / $15 per million tokens.
        const store = DistillStore.open(job, {readonly: true});
        for (const call of store.calls()) {
            if (call.status !== "done") continue;
            expect(call.costUsd).toBeCloseTo((call.promptTokens! * 3 + call.completionTokens! * 15) / 1e6 * 0.5, 12);
        }
        const failed = [...store.calls()].filter((c) => c.status === "failed").map((c) => c.error);
        expect(failed.filter((e) => e!.startsWith("errored: api_error")).length).toBe(3);
        expect(failed.filter((e) => e!.startsWith("expired")).length).toBe(2);
        expect(failed.filter((e) => e!.startsWith("canceled")).length).toBe(1);
        store.close();
        const written = r2.batch!.written.map((b) => [b.name, b.requests]);
        expect(written).toEqual([["b002-pass1-anthropic", 6], ["b003-pass2-openai", wrong]]);

        // The pass-2 file: OpenAI Batch lines for o3 with the hinted prompt, official-API body options.
        const file3 = join(job, "batches", "b003-pass2-openai.jsonl");
        for (const line of readLines(file3)) {
            expect(line.custom_id).toMatch(/^p2-i\d+-c\d+$/);
            expect(line.method).toBe("POST");
            expect(line.url).toBe("/v1/chat/completions");
            expect(line.body.model).toBe("o3-2025-04-16");
            expect(line.body.temperature).toBe(1);
            expect("top_p" in line.body).toBe(false);
            expect(line.body.messages[0]).toEqual({role: "system", content: RM_R1_INSTRUCT_SYSTEM_PROMPT});
            expect(line.body.messages[1].content).toContain(PASS2_PREVIOUS_JUDGEMENT_PREFIX);
        }

        // The same file again: every line a duplicate, nothing changes. Another job's file: refused.
        const dup = await distill({job, mode: "batch", results: [results1]});
        expect(dup.batch!.ingested[0]).toMatchObject({succeeded: 0, failed: 0, duplicates: 30});
        expect(dup.batch!.written).toEqual([]);
        const foreign = join(dir, "foreign.jsonl");
        writeFileSync(foreign, JSON.stringify({custom_id: "task-0", result: {type: "canceled"}}) + "\n");
        await expect(distill({job, mode: "batch", results: [foreign]})).rejects.toThrow(/none of the 1 results belong to this job/);
        const bad = join(dir, "bad.jsonl");
        writeFileSync(bad, JSON.stringify({custom_id: "p1-i0-c1", outcome: "ok"}) + "\n");
        await expect(distill({job, mode: "batch", results: [bad]})).rejects.toThrow(InvalidInput);

        // Round 2: pass-2 results (one 400, one expired in the error file) and the re-queued pass 1.
        const o3 = openAIResults(file3, (i) => i === 0 ? "errored" : i === 1 ? "expired" : "succeeded");
        const out3 = join(dir, "b003-output.jsonl");
        const err3 = join(dir, "b003-errors.jsonl");
        writeFileSync(out3, o3.output);
        writeFileSync(err3, o3.errors);
        const results2 = join(dir, "b002-results.jsonl");
        writeFileSync(results2, anthropicResults(join(job, "batches", "b002-pass1-anthropic.json"), () => "succeeded"));
        const r3 = await distill({job, mode: "batch", results: [out3, err3, results2]});
        expect(r3.batch!.ingested.map((i) => [i.succeeded, i.failed])).toEqual([[wrong - 2, 1], [0, 1], [6, 0]]);
        expect(r3.pass2.answered).toBe(wrong - 2);
        expect(r3.pass2.correct).toBe(wrong - 2);
        // Next: the two failed pass-2 requests, and pass 2 for the re-queued items that came back wrong.
        const next = r3.batch!.written;
        expect(next.every((b) => b.pass === 2 && b.provider === "openai")).toBe(true);
        expect(next.reduce((s, b) => s + b.requests, 0)).toBe(2 + r3.pass1.wrong - wrong);
        expect(r3.batches.find((b) => b.name === "b003-pass2-openai")!.status).toBe("ingested");

        // Last round: everything succeeds; the job completes with every item kept.
        const last = next.map((b) => {
            const o = openAIResults(join(job, b.file), () => "succeeded");
            const f = join(dir, `${b.name}-output.jsonl`);
            writeFileSync(f, o.output);
            return f;
        });
        const r4 = await distill({job, mode: "batch", results: last});
        expect(r4.complete).toBe(true);
        expect(r4.kept).toBe(30);
        expect(r4.keptPass2).toBe(r4.pass1.wrong);
        const rows = readLines(join(job, "sft.jsonl"));
        const provenance = readLines(join(job, "sft.provenance.jsonl"));
        expect(rows.length).toBe(30);
        rows.forEach((row, i) => {
            expect(distillCorrect(row.winner, provenance[i].label)).toBe(true);
            expect(row.context_messages[1].content).not.toContain(PASS2_PREVIOUS_JUDGEMENT_PREFIX);
        });
        expect(distillStatus(job).batches.every((b) => b.outstanding === 0)).toBe(true);
    });

    it("abandons a batch nobody will run, queueing its requests again", async () => {
        const job = join(dir, "abandon");
        await distill({job, input: pairs.slice(0, 5), mode: "batch"});
        await expect(distill({job, mode: "batch", abandon: ["b009"]})).rejects.toThrow(/no batch named 'b009'/);
        const r = await distill({job, mode: "batch", abandon: ["b001-pass1-anthropic"]});
        expect(r.calls.abandoned).toBe(5);
        expect(r.batch!.written.map((b) => [b.name, b.requests])).toEqual([["b002-pass1-anthropic", 5]]);
        // A late result for an abandoned request is ignored, not double-counted.
        const late = join(dir, "late.jsonl");
        writeFileSync(late, anthropicResults(join(job, "batches", "b001-pass1-anthropic.json"), () => "succeeded"));
        const after = await distill({job, mode: "batch", results: [late]});
        expect(after.batch!.ingested[0].duplicates).toBe(5);
        expect(after.pass1.answered).toBe(0);
    });

    it("refuses engines without a batch API in batch mode", async () => {
        await expect(distill({job: join(dir, "world-batch"), input: pairs, teacher: "world:teacher", mode: "batch"})).rejects.toThrow(/batch mode needs openai:<model> or anthropic:<model>/);
    });
});

/** Start `rmr1 <argv>` in a child process and SIGKILL it once `ready()` holds. */
async function killWhen(argv: string[], ready: () => boolean): Promise<void> {
    expect((await stopRmr1When(argv, ready, {signal: "SIGKILL", timeoutMs: 60_000})).signal).toBe("SIGKILL");
}

describe("distill batch --submit against a local batch API", () => {
    let api: BatchApiServer;
    const failedOnce = new Set<string>();
    beforeAll(async () => {
        api = await BatchApiServer.start({
            reply,
            // The first time a prompt is run, one in five fails (errored / expired / canceled); its retry succeeds.
            outcome: (_id, hash) => {
                if (failedOnce.has(hash) || parseInt(hash.slice(0, 8), 16) % 5 !== 0) return "succeeded";
                failedOnce.add(hash);
                const kinds = ["errored", "expired", "canceled"] as const;
                return kinds[parseInt(hash.slice(8, 10), 16) % 3];
            },
            pollsUntilEnded: 2
        });
    });
    afterAll(async () => api.close());

    it("submits, polls, ingests and re-submits until complete, through HTTP faults", async () => {
        const before = api.total();
        api.failNext(500, 503);
        const result = await distill({
            job: join(dir, "submit"), input: pairsFile, mode: "batch", submit: true, pollIntervalMs: 5,
            baseUrl: api.url, pass2BaseUrl: api.openaiBaseUrl, batchApi: {retryBaseMs: 1}
        });
        expect(result.complete).toBe(true);
        expect(result.kept).toBe(30);
        expect(failedOnce.size).toBeGreaterThan(0);
        expect(result.calls.failed).toBe(failedOnce.size);
        expect(api.created.anthropic).toBeGreaterThanOrEqual(2);
        expect(api.created.openai).toBeGreaterThanOrEqual(1);
        expect(api.uploads).toBe(api.created.openai);
        for (const [hash, n] of api.answered) expect(n, hash).toBe(1);
        expect(api.total() - before).toBe(30 + result.pass1.wrong);
        // The fetched result files are kept beside the request files.
        expect(existsSync(join(dir, "submit", "batches", "b001-pass1-anthropic.results.jsonl"))).toBe(true);
    });

    it("resumes a run killed while polling without creating the batch again", async () => {
        const job = join(dir, "submit-killed");
        const argv = ["distill", "--job", job, "--input", pairsFile, "--mode", "batch", "--submit", "--poll-interval", "0.01",
            "--base-url", api.url, "--pass2-base-url", api.openaiBaseUrl, "-q"];
        const createdBefore = api.created.anthropic;
        const answeredBefore = new Map(api.answered);
        const seenBefore = api.seen.length;
        api.hold = true;
        await killWhen(argv, () => api.created.anthropic === createdBefore + 1 &&
            api.seen.slice(seenBefore).filter((s) => s.startsWith("GET /v1/messages/batches/")).length >= 3);
        const status = distillStatus(job);
        expect(status.batches.map((b) => [b.status, b.remoteId != null])).toEqual([["submitted", true]]);
        api.hold = false;

        const {code, out} = await runRmr1(argv);
        expect(code, out).toBe(0);
        const final = distillStatus(job);
        expect(final.complete).toBe(true);
        expect(final.kept).toBe(30);
        // The pass-1 batch was created once: the resumed run polled the one the killed run made.
        expect(final.batches.filter((b) => b.name.startsWith("b001")).length).toBe(1);
        expect(api.created.anthropic - createdBefore).toBe(1);
        for (const [hash, n] of api.answered) expect(n - (answeredBefore.get(hash) ?? 0), hash).toBeLessThanOrEqual(1);
    });
    it("adopts an OpenAI batch whose creation a killed run cut off, instead of creating it twice", async () => {
        const job = join(dir, "create-cut-openai");
        const argv = ["distill", "--job", job, "--input", pairsFile, "--teacher", "openai:gpt-4.1-mini", "--mode", "batch", "--submit",
            "--poll-interval", "0.01", "--base-url", api.openaiBaseUrl, "-q"];
        const createdBefore = api.createdBatches.length;
        api.holdCreate = true;
        await killWhen(argv, () => api.createdBatches.length === createdBefore + 1);
        api.holdCreate = false;
        expect(distillStatus(job).batches.map((b) => [b.name, b.status, b.remoteId])).toEqual([["b001-pass1-openai", "submitting", null]]);
        const {code, out} = await runRmr1(argv);
        expect(code, out).toBe(0);
        const final = distillStatus(job);
        expect(final.complete).toBe(true);
        expect(final.kept).toBe(30);
        // The batch the killed run created was found by its metadata and polled; it was never created again.
        const created = api.createdBatches.slice(createdBefore);
        expect(created.filter((b) => b.name === "b001-pass1-openai").length).toBe(1);
        expect(final.batches.find((b) => b.name === "b001-pass1-openai")!.remoteId).toBe(created[0].id);
    });

    it("stops rather than guess when an Anthropic batch's creation was cut off, and takes its results by hand", async () => {
        const job = join(dir, "create-cut-anthropic");
        const argv = ["distill", "--job", job, "--input", pairsFile, "--mode", "batch", "--submit", "--poll-interval", "0.01",
            "--base-url", api.url, "--pass2-base-url", api.openaiBaseUrl, "-q"];
        const createdBefore = api.createdBatches.length;
        api.holdCreate = true;
        await killWhen(argv, () => api.createdBatches.length === createdBefore + 1);
        api.holdCreate = false;
        const refused = await runRmr1(argv);
        expect(refused.code).toBe(2);
        expect(refused.out).toMatch(/died while creating batch b001-pass1-anthropic \(30 requests\).*--resubmit b001-pass1-anthropic/);
        expect(api.createdBatches.length).toBe(createdBefore + 1);
        // --resubmit is only for batches in that state.
        expect((await runRmr1([...argv, "--resubmit", "b009"])).out).toMatch(/'b009' is not a batch whose creation was cut off/);

        // The user finds the batch in the console and downloads its results.
        const remote = api.createdBatches[createdBefore].id;
        let results: Response;
        for (;;) {
            const batch = await (await fetch(`${api.url}/v1/messages/batches/${remote}`)).json() as {processing_status: string, results_url: string | null};
            if (batch.processing_status === "ended") {
                results = await fetch(batch.results_url!);
                break;
            }
        }
        const file = join(dir, "cut-anthropic-results.jsonl");
        writeFileSync(file, await results.text());
        const {code, out} = await runRmr1([...argv, "--results", file]);
        expect(code, out).toBe(0);
        const final = distillStatus(job);
        expect(final.complete).toBe(true);
        expect(final.kept).toBe(30);
        expect(final.batches.find((b) => b.name === "b001-pass1-anthropic")!.status).toBe("ingested");
        expect(api.createdBatches.slice(createdBefore).filter((b) => b.name == null).length).toBe(1);
    });
});
