// Batch distillation: the bootstrap as rounds of request files for the OpenAI Batch and Anthropic
// Message Batches APIs. Each run (1) gives up the batches the user abandons, (2) ingests the result
// files it is handed (answers are graded and recorded; errored, expired and canceled requests are
// re-queued), (3) writes request files for everything still pending that no outstanding batch
// holds: pass 1 for new items, pass 2 for items whose pass 1 came back wrong, re-queued requests.
// With `submit`, it also uploads the files, polls the batches and fetches their results itself,
// round after round, until the job is complete. Nothing here needs the network unless `submit`.
import {existsSync, mkdirSync} from "node:fs";
import {join} from "node:path";
import {ConfigError, InvalidInput} from "../errors.js";
import {readJsonl} from "../data/jsonl.js";
import {writeFileAtomic} from "../data/RunDir.js";
import {requestKey} from "../engines/cache/requestKey.js";
import type {SamplingOptions} from "../engines/Engine.js";
import type {ParsedChat} from "../engines/fanOut.js";
import {costUsd} from "../engines/prices.js";
import {distillCorrect} from "../protocol/extractors.js";
import {BatchApi, sleep} from "./batch/BatchApi.js";
import type {BatchApiOptions} from "./batch/BatchApi.js";
import {BATCH_DISCOUNT, batchFileExtension, batchFileText, batchRequestLine, splitBatches} from "./batch/BatchTarget.js";
import type {BatchTarget} from "./batch/BatchTarget.js";
import {parseBatchResult} from "./batch/parseBatchResult.js";
import {distillRequest, promptHash} from "./distillRequest.js";
import type {CallAnswer, DistillBatch, DistillCall, DistillPass, DistillStore, NewCall} from "./DistillStore.js";

/** The folder of a job's request and result files. */
export const BATCH_FOLDER = "batches";

export interface BatchRun {
    store: DistillStore;
    targets: Record<DistillPass, BatchTarget>;
    sampling: Record<DistillPass, SamplingOptions>;
    maxAttempts: number;
    /** Result files to ingest first (OpenAI output and error files, Anthropic results). */
    results: readonly string[];
    /** Batches (by name) to give up: their requests without a result are queued again. */
    abandon: readonly string[];
    /** Batches (by name) whose creation was cut off by a dead run, to create again (the user checked the provider has none). */
    resubmit: readonly string[];
    /** Submit, poll and fetch through the HTTP APIs until complete. */
    submit: boolean;
    pollIntervalMs: number;
    api?: BatchApiOptions;
    signal?: AbortSignal;
    /** Called after each ingested result file. */
    onIngest(): void;
}

/** What one ingested result file held. */
export interface IngestReport {
    file: string;
    /** Result lines read. */
    lines: number;
    /** Answers recorded (and graded). */
    succeeded: number;
    /** Errored, expired or canceled requests: re-queued for the next batch (up to `maxAttempts` per item and pass). */
    failed: number;
    /** Results for requests already settled (a file ingested twice): ignored. */
    duplicates: number;
    /** Results whose custom id is not this job's: ignored. */
    unmatched: number;
}

/** What a batch run did. */
export interface BatchRunReport {
    ingested: IngestReport[];
    /** Request files written by this run. */
    written: DistillBatch[];
    /** Batches submitted by this run (names). */
    submitted: string[];
}

export async function runBatch(run: BatchRun): Promise<BatchRunReport> {
    const {store} = run;
    const report: BatchRunReport = {ingested: [], written: [], submitted: []};
    // With --submit, a missing API key is reported before anything is written.
    const apis = run.submit ? {1: new BatchApi(run.targets[1], run.api), 2: new BatchApi(run.targets[2], run.api)} : undefined;
    for (const name of run.abandon) {
        const batch = store.batchByName(name);
        if (batch == null) throw new InvalidInput(`no batch named '${name}' in ${store.dir}; rmr1 distill status --job ${store.dir} lists them`, {field: "abandon"});
        store.abandonBatch(batch.id);
    }
    for (const name of run.resubmit) {
        const batch = store.batchByName(name);
        if (batch?.status !== "submitting")
            throw new InvalidInput(`'${name}' is not a batch whose creation was cut off (status ${batch?.status ?? "unknown"}); only those can be resubmitted`, {field: "resubmit"});
        store.setBatchStatus(batch.id, "written");
    }
    for (const file of run.results) {
        report.ingested.push(await ingestResultsFile(run, file));
        run.onIngest();
    }
    restoreMissingFiles(run);
    for (;;) {
        report.written.push(...writePendingBatches(run));
        if (apis == null) return report;
        await recoverCutOffCreates(run, apis);
        for (const batch of store.batches().filter((b) => b.status === "written")) {
            // Recorded before the create call: if the run dies before the answer, the next run knows
            // a batch may exist at the provider and does not blindly create a second one.
            store.setBatchStatus(batch.id, "submitting");
            const remoteId = await apis[batch.pass].submit(batch.name, batchText(run, batch), batch.inputFileId, (fileId) => store.setBatchInputFile(batch.id, fileId));
            store.markBatchSubmitted(batch.id, remoteId);
            report.submitted.push(batch.name);
        }
        const active = store.batches().filter((b) => b.status === "submitted");
        if (active.length === 0) return report;
        // Every batch is polled to its end (or to the stop) before the first failure is reported,
        // so none is left writing to the store after this returns.
        const settled = await Promise.allSettled(active.map(async (batch) => {
            report.ingested.push(...await collect(run, apis[batch.pass], batch));
            run.onIngest();
        }));
        const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
        if (failure != null) throw failure.reason;
    }
}

/**
 * Batches left `submitting` by a run that died during the create call: adopt the one the provider
 * made (OpenAI, found by its metadata), or go back to `written` when none was made. Anthropic
 * batches cannot be found again, so the user decides (a second batch would be paid twice).
 */
async function recoverCutOffCreates(run: BatchRun, apis: Record<DistillPass, BatchApi>): Promise<void> {
    const {store} = run;
    for (const batch of store.batches().filter((b) => b.status === "submitting")) {
        const found = await apis[batch.pass].findCreated(batch.name, batch.inputFileId);
        if (found === undefined) {
            throw new ConfigError(
                `the previous run died while creating batch ${batch.name} (${batch.requests} requests) at ${run.targets[batch.pass].baseUrl}, ` +
                "so it may exist there without rmr1 knowing its id. Check the provider's console: if it exists, download its results and pass them " +
                `with --results (or cancel it), then rerun; if it does not, rerun with --resubmit ${batch.name}`
            );
        }
        if (found != null) store.markBatchSubmitted(batch.id, found);
        else store.setBatchStatus(batch.id, "written");
    }
}

/** Poll a submitted batch until it ends, save its result files beside the request file, ingest them. */
async function collect(run: BatchRun, api: BatchApi, batch: DistillBatch): Promise<IngestReport[]> {
    const {store} = run;
    const remoteId = batch.remoteId as string;
    let poll = await api.poll(remoteId);
    while (!poll.ended) {
        await sleep(run.pollIntervalMs, run.signal);
        poll = await api.poll(remoteId);
    }
    const reports: IngestReport[] = [];
    for (const {name, text} of await api.results(remoteId)) {
        const file = join(store.dir, BATCH_FOLDER, `${batch.name}.${name}.jsonl`);
        writeFileAtomic(file, text);
        reports.push(await ingestResultsFile(run, file));
    }
    // Whatever the provider did not answer (a failed validation, a request missing from the
    // results) is failed, so that it is queued again.
    const why = poll.errors.length > 0 ? `batch ${poll.status}: ${poll.errors.slice(0, 3).join("; ")}` : `batch ${poll.status} without a result for this request`;
    for (const call of store.batchCalls(batch.id)) if (call.status === "submitted") store.failCall(call.id, why);
    store.setBatchStatus(batch.id, "ingested");
    return reports;
}

/** Ingest one result file (either provider's format, detected per line). */
export async function ingestResultsFile(run: Pick<BatchRun, "store" | "targets">, file: string): Promise<IngestReport> {
    const {store} = run;
    if (!existsSync(file)) throw new InvalidInput(`${file}: no such result file`, {field: "results"});
    const report: IngestReport = {file, lines: 0, succeeded: 0, failed: 0, duplicates: 0, unmatched: 0};
    const touched = new Set<number>();
    for await (const {line, value} of readJsonl(file)) {
        report.lines++;
        const result = parseBatchResult(value, `${file}:${line}`);
        const call = store.callByCustomId(result.customId);
        if (call == null) {
            report.unmatched++;
            continue;
        }
        if (call.status !== "queued" && call.status !== "submitted") {
            report.duplicates++;
            continue;
        }
        if (call.batchId != null) touched.add(call.batchId);
        if (!result.ok) {
            store.failCall(call.id, `${result.kind}: ${result.error}`);
            report.failed++;
            continue;
        }
        store.finishCall(call.id, answerOf(run.targets[call.pass], call, result.parsed, store));
        report.succeeded++;
    }
    if (report.lines > 0 && report.unmatched === report.lines)
        throw new InvalidInput(`none of the ${report.lines} results belong to this job (their custom ids are not in ${store.dir}); is it the result file of another job?`, {location: file});
    for (const batchId of touched) if (store.batchOutstanding(batchId) === 0) store.setBatchStatus(batchId, "ingested");
    return report;
}

function answerOf(target: BatchTarget, call: DistillCall, parsed: ParsedChat, store: DistillStore): CallAnswer {
    const text = parsed.completions[0]?.text ?? "";
    const cost = costUsd(parsed.promptTokens, parsed.completionTokens, target.price);
    return {
        output: text,
        finishReason: parsed.completions[0]?.finishReason ?? "error",
        model: parsed.model,
        promptTokens: parsed.promptTokens,
        completionTokens: parsed.completionTokens,
        costUsd: cost == null ? undefined : cost * BATCH_DISCOUNT,
        cached: false,
        latencyMs: null,
        correct: distillCorrect(text, store.item(call.itemIdx).label)
    };
}

/** Write request files for every pending item of both passes; returns the batches written. */
function writePendingBatches(run: BatchRun): DistillBatch[] {
    const {store} = run;
    const written: DistillBatch[] = [];
    for (const pass of [1, 2] as const) {
        const target = run.targets[pass];
        const pending = store.pendingItems(pass, run.maxAttempts).map((item) => {
            const wrong = pass === 2 ? store.answeredCall(item.idx, 1)?.output ?? undefined : undefined;
            const request = distillRequest(item, pass, run.sampling[pass], wrong);
            const call: NewCall = {
                itemIdx: item.idx, pass, mode: "batch", engine: target.id, identity: target.identity,
                promptHash: promptHash(request.messages), requestKey: requestKey(target.identity, request), options: JSON.stringify(request.options ?? {})
            };
            // Size with a custom id as long as any the store will give (`p2-i<idx>-c<id>`).
            const bytes = Buffer.byteLength(JSON.stringify(batchRequestLine(target, "p0-i0000000000-c0000000000", request)));
            return {call, bytes};
        });
        for (const chunk of splitBatches(target.provider, pending, (p) => p.bytes)) {
            const name = `b${String(store.nextBatchNumber()).padStart(3, "0")}-pass${pass}-${target.provider}`;
            const file = join(BATCH_FOLDER, name + batchFileExtension(target.provider));
            const {batchId} = store.createBatch({name, pass, provider: target.provider, file}, chunk.map((p) => p.call));
            const batch = store.batches().find((b) => b.id === batchId) as DistillBatch;
            writeBatchFile(run, batch);
            written.push(batch);
        }
    }
    return written;
}

/** A batch recorded as written whose file is missing (the run died between the two): write it again. */
function restoreMissingFiles(run: BatchRun): void {
    for (const batch of run.store.batches())
        if (batch.status === "written" && !existsSync(join(run.store.dir, batch.file))) writeBatchFile(run, batch);
}

function writeBatchFile(run: BatchRun, batch: DistillBatch): void {
    mkdirSync(join(run.store.dir, BATCH_FOLDER), {recursive: true});
    writeFileAtomic(join(run.store.dir, batch.file), batchText(run, batch));
}

/** A batch's request file, rebuilt from the store: the same text every time. */
function batchText(run: BatchRun, batch: DistillBatch): string {
    const {store} = run;
    const target = run.targets[batch.pass];
    const lines = store.batchCalls(batch.id).map((call) => {
        const item = store.item(call.itemIdx);
        const wrong = call.pass === 2 ? store.answeredCall(item.idx, 1)?.output ?? undefined : undefined;
        const request = distillRequest(item, call.pass, JSON.parse(call.options) as SamplingOptions, wrong);
        return batchRequestLine(target, call.customId as string, request);
    });
    return batchFileText(batch.provider, lines);
}
