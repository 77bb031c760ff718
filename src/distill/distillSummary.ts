// Where a distillation job stands, read from its store: what `distill` returns, what
// `rmr1 distill status` prints, and the progress reported while it runs.
import {join} from "node:path";
import {NotFound} from "../errors.js";
import {DistillStore} from "./DistillStore.js";
import type {DistillPass, StoreCounts} from "./DistillStore.js";

/** One pass of the bootstrap. */
export interface PassSummary {
    /** Provider string of the teacher (`anthropic:claude-3-7-sonnet-20250219`). */
    teacher: string;
    /** Items that needed this pass (every item for pass 1; the ones pass 1 got wrong for pass 2). */
    needed: number;
    /** Answers received. */
    answered: number;
    /** Answers graded correct by the distillation filter (`distillCorrect`, tail 100). */
    correct: number;
    /** Answers graded wrong: pass 1 → sent to pass 2; pass 2 → dropped. */
    wrong: number;
    /** Items still waiting for this pass (not yet sent, failed and to be retried, or in flight / in a batch). */
    pending: number;
    /** Items whose failed calls for this pass reached `maxAttempts`: left out until rerun with more. */
    gaveUp: number;
    /** Summed cost of this pass's answers (USD); calls with an unknown price count 0, see `unpricedCalls`. */
    costUsd: number;
    /** Answers whose price is unknown (a local server, or a model missing from the price table). */
    unpricedCalls: number;
}

/** A batch request file of the job. */
export interface BatchSummary {
    name: string;
    pass: DistillPass;
    provider: "openai" | "anthropic";
    /** The request file (job folder joined in). */
    file: string;
    requests: number;
    status: string;
    /** Requests still waiting for a result. */
    outstanding: number;
    remoteId: string | null;
}

/** The state of a distillation job. */
export interface DistillSummary {
    /** The job folder. */
    job: string;
    /** Every item is kept, dropped or given up, and no request is outstanding. */
    complete: boolean;
    items: number;
    pass1: PassSummary;
    pass2: PassSummary;
    /** Items whose trace is in the SFT set, in total and by the pass that wrote it. */
    kept: number;
    keptPass1: number;
    keptPass2: number;
    /** Items whose pass-2 trace was still wrong (not in the SFT set). */
    dropped: number;
    /** kept / (kept + dropped): the share of settled items that made it into the SFT set. Null before any settled. */
    acceptanceRate: number | null;
    /** Share of pass-1 answers graded wrong (the reference reports about 25% for Claude 3.7 Sonnet). Null before any. */
    pass1ErrorRate: number | null;
    /** Share of pass-2 answers graded correct (recovered by the hint). Null before any. */
    pass2RecoveryRate: number | null;
    /** The live process running the job now, or null. */
    runningPid: number | null;
    /** Requests by outcome. `lost`: in flight when a run died, so possibly sent again. */
    calls: {answered: number, failed: number, lost: number, inFlight: number, queued: number, abandoned: number};
    tokens: {prompt: number, completion: number};
    /** Summed cost of all answers so far (USD; unpriced calls count 0). */
    costUsd: number;
    /** Cost so far per pass-1 answer times the items: a projection for the whole job; null before any priced answer. */
    projectedCostUsd: number | null;
    batches: BatchSummary[];
    /** The SFT file, when this run wrote it. */
    output?: {file: string, provenance: string | null, format: string, rows: number};
}

/** Progress while a job runs, after every answer (online) or ingested result file (batch). */
export interface DistillProgress {
    items: number;
    /** Items settled (kept or dropped) or given up: the bar's numerator. */
    done: number;
    /** Of `done`, how many were already settled when this run started. */
    resumed: number;
    pass1: {answered: number, correct: number};
    pass2: {needed: number, answered: number, correct: number};
    kept: number;
    dropped: number;
    /** Calls that failed in this run. */
    failed: number;
    costUsd: number;
}

/** The job configuration as recorded in the store (`meta.config`). */
export interface StoredDistillConfig {
    teacher: string;
    pass2Teacher: string;
    maxAttempts: number;
    [key: string]: unknown;
}

/** The summary of the job in `dir`, read-only (safe while a run is going on). */
export function distillStatus(dir: string): DistillSummary {
    const store = DistillStore.open(dir, {readonly: true});
    try {
        return summarize(store);
    } finally {
        store.close();
    }
}

/** The summary of an open store. */
export function summarize(store: DistillStore): DistillSummary {
    const config = readConfig(store);
    const counts = store.counts(config.maxAttempts);
    const batches: BatchSummary[] = store.batches().map((b) => ({
        name: b.name, pass: b.pass, provider: b.provider, file: join(store.dir, b.file), requests: b.requests, status: b.status,
        outstanding: store.batchOutstanding(b.id), remoteId: b.remoteId
    }));
    return summaryFromCounts(store.dir, config, counts, batches, store.ownerPid());
}

/** The configuration a job was started with (recorded with its items, in one transaction). */
export function readConfig(store: DistillStore): StoredDistillConfig {
    const text = store.getMeta("config");
    if (text == null) throw new NotFound(`${store.dir} holds no distillation job yet (its first run stopped before reading the input); start it again with --input`);
    return JSON.parse(text) as StoredDistillConfig;
}

function summaryFromCounts(job: string, config: StoredDistillConfig, c: StoreCounts, batches: BatchSummary[], runningPid: number | null): DistillSummary {
    const kept = c.states.kept;
    const dropped = c.states.dropped;
    const passSummary = (pass: DistillPass, teacher: string, needed: number): PassSummary => ({
        teacher,
        needed,
        answered: c.answered[pass].calls,
        correct: c.answered[pass].correct,
        wrong: c.answered[pass].calls - c.answered[pass].correct,
        pending: c.states[`pass${pass}`] - c.gaveUp[pass],
        gaveUp: c.gaveUp[pass],
        costUsd: c.cost[pass].usd,
        unpricedCalls: c.cost[pass].unknown
    });
    const pass1 = passSummary(1, config.teacher, c.items);
    const pass2 = passSummary(2, config.pass2Teacher, pass1.wrong);
    const costUsd = pass1.costUsd + pass2.costUsd;
    const outstanding = c.calls.queued + c.calls.submitted + c.calls.sent;
    return {
        job,
        complete: pass1.pending === 0 && pass2.pending === 0 && outstanding === 0,
        items: c.items,
        pass1,
        pass2,
        kept,
        keptPass1: c.keptByPass[1],
        keptPass2: c.keptByPass[2],
        dropped,
        acceptanceRate: kept + dropped > 0 ? kept / (kept + dropped) : null,
        pass1ErrorRate: pass1.answered > 0 ? pass1.wrong / pass1.answered : null,
        pass2RecoveryRate: pass2.answered > 0 ? pass2.correct / pass2.answered : null,
        runningPid,
        calls: {
            answered: c.calls.done, failed: c.calls.failed, lost: c.calls.lost, inFlight: c.calls.sent,
            queued: c.calls.queued + c.calls.submitted, abandoned: c.calls.abandoned
        },
        tokens: c.tokens,
        costUsd,
        // Only from priced answers: a local server or an unknown model has no cost to project.
        projectedCostUsd: pass1.answered > 0 && pass1.unpricedCalls < pass1.answered ? costUsd / pass1.answered * c.items : null,
        batches
    };
}

/** Progress from the store's counts (at the start of a run, and after batch ingests). */
export function progressFromCounts(c: StoreCounts, resumed: number, failed: number): DistillProgress {
    return {
        items: c.items,
        done: c.states.kept + c.states.dropped + c.gaveUp[1] + c.gaveUp[2],
        resumed,
        pass1: {answered: c.answered[1].calls, correct: c.answered[1].correct},
        pass2: {needed: c.answered[1].calls - c.answered[1].correct, answered: c.answered[2].calls, correct: c.answered[2].correct},
        kept: c.states.kept,
        dropped: c.states.dropped,
        failed,
        costUsd: c.cost[1].usd + c.cost[2].usd
    };
}
