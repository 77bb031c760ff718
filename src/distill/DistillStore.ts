// The SQLite job store of a distillation run (`<job>/distill.sqlite`): the items to distil, every
// request sent to a teacher and its answer, and the batch files written for the batch APIs. It is
// the single source of truth of a job: what to send next, what was paid for, and the SFT rows are
// all read from it.
//
// Crash safety: WAL journaling with `synchronous = FULL`, so every committed write survives a killed
// process (and a power cut); a request is written as `sent` before it goes out and its answer is
// committed, with the item's new state, in one transaction as soon as it arrives. A killed run
// therefore loses at most the answers that were in flight, and only those are ever sent again.
import {existsSync, mkdirSync} from "node:fs";
import {hostname} from "node:os";
import {join} from "node:path";
import Database from "better-sqlite3";
import {processAlive} from "../data/processAlive.js";
import {ConfigError, NotFound} from "../errors.js";
import type {FinishReason} from "../engines/Engine.js";
import type {Message, Position, WinnerLabel} from "../protocol/types.js";

/** The store's file inside a job folder. */
export const DISTILL_STORE_FILE = "distill.sqlite";

/** Bump when the schema changes incompatibly; an older store is refused with a clear error. */
const schemaVersion = 1;

/** Which pass a request belongs to: 1 (the plain prompt) or 2 (the hinted prompt). */
export type DistillPass = 1 | 2;

/** Where an item stands: waiting for pass 1 or pass 2, or settled (kept / dropped). */
export type ItemState = "pass1" | "pass2" | "kept" | "dropped";

/**
 * Where a request stands. Online: `sent` (in flight) → `done` | `failed`; a `sent` request of a
 * process that died becomes `lost` (its answer, if any, never reached the store). Batch: `queued`
 * (in a written request file) → `submitted` (sent through the API) → `done` | `failed`, or
 * `abandoned` when the user gives its batch up.
 */
export type CallStatus = "sent" | "done" | "failed" | "lost" | "queued" | "submitted" | "abandoned";

/** One pair to distil, as stored. */
export interface DistillItem {
    /** Position in the input, from 0. */
    idx: number;
    id: string;
    /** The un-hinted judge prompt (what the SFT row pairs the trace with). */
    messages: Message[];
    label: WinnerLabel;
    chosenPosition: Position;
    /** How the A/B order was chosen: `alternate`, `random` (seeded), or `given` (input rows already rendered). */
    orderPolicy: string;
    multiTurn: boolean;
    source: string | null;
    domain: string | null;
    state: ItemState;
    /** The call whose trace was kept, once the item is kept. */
    keptCall: number | null;
}

/** One request to a teacher and what came of it. */
export interface DistillCall {
    id: number;
    itemIdx: number;
    pass: DistillPass;
    mode: "online" | "batch";
    status: CallStatus;
    /** Engine id (`anthropic:claude-3-7-sonnet-20250219`) and identity (model, base URLs, ...). */
    engine: string;
    identity: string;
    /** SHA-256 of the prompt messages as sent. */
    promptHash: string;
    /** The response-cache key of the request (identity + messages + sampling options). */
    requestKey: string;
    /** Sampling options sent, as JSON. */
    options: string;
    customId: string | null;
    batchId: number | null;
    output: string | null;
    finishReason: FinishReason | null;
    /** The model that answered, as the engine reports it. */
    model: string | null;
    promptTokens: number | null;
    completionTokens: number | null;
    costUsd: number | null;
    cached: boolean;
    /** The distillation grade (`distillCorrect`), once answered. */
    correct: boolean | null;
    error: string | null;
    createdAt: string;
    finishedAt: string | null;
    latencyMs: number | null;
}

/** A batch request file and its fate. */
export interface DistillBatch {
    id: number;
    /** File stem, e.g. `b001-pass1-anthropic`. */
    name: string;
    pass: DistillPass;
    provider: "openai" | "anthropic";
    /** Path of the request file, relative to the job folder. */
    file: string;
    requests: number;
    /**
     * `written` (request file on disk) → `submitting` (a create call went out; the provider may hold
     * the batch) → `submitted` (its id recorded) → `ingested` (every result in); or `abandoned`.
     */
    status: "written" | "submitting" | "submitted" | "ingested" | "abandoned";
    /** The provider's batch id once submitted. */
    remoteId: string | null;
    /** OpenAI: the uploaded input file id. */
    inputFileId: string | null;
    createdAt: string;
}

/** An answer to record for a call. */
export interface CallAnswer {
    output: string;
    finishReason: FinishReason;
    model: string;
    promptTokens: number;
    completionTokens: number;
    costUsd: number | undefined;
    cached: boolean;
    latencyMs: number | null;
    correct: boolean;
}

/** A new call to record before it is sent (online) or written to a batch file. */
export interface NewCall {
    itemIdx: number;
    pass: DistillPass;
    mode: "online" | "batch";
    engine: string;
    identity: string;
    promptHash: string;
    requestKey: string;
    options: string;
}

/** Counts over the store, for the summary and `rmr1 distill status`. */
export interface StoreCounts {
    items: number;
    states: Record<ItemState, number>;
    keptByPass: Record<DistillPass, number>;
    /** Per pass: answered calls, and how many were graded correct. */
    answered: Record<DistillPass, {calls: number, correct: number}>;
    /** Per pass: items waiting for it whose failed calls reached `maxAttempts`. */
    gaveUp: Record<DistillPass, number>;
    /** Calls by status. */
    calls: Record<CallStatus, number>;
    tokens: {prompt: number, completion: number};
    /** Per pass: summed cost of answered calls, and how many answered calls have no known cost. */
    cost: Record<DistillPass, {usd: number, unknown: number}>;
}

interface ItemRow {
    idx: number;
    id: string;
    messages: string;
    label: string;
    chosen_position: string;
    order_policy: string;
    multi_turn: number;
    source: string | null;
    domain: string | null;
    state: string;
    kept_call: number | null;
}

interface CallRow {
    id: number;
    item_idx: number;
    pass: number;
    mode: string;
    status: string;
    engine: string;
    identity: string;
    prompt_hash: string;
    request_key: string;
    options: string;
    custom_id: string | null;
    batch_id: number | null;
    output: string | null;
    finish_reason: string | null;
    model: string | null;
    prompt_tokens: number | null;
    completion_tokens: number | null;
    cost_usd: number | null;
    cached: number;
    correct: number | null;
    error: string | null;
    created_at: string;
    finished_at: string | null;
    latency_ms: number | null;
}

interface BatchRow {
    id: number;
    name: string;
    pass: number;
    provider: string;
    file: string;
    requests: number;
    status: string;
    remote_id: string | null;
    input_file_id: string | null;
    created_at: string;
}

/** Statuses of a call still waiting for its answer. */
const waiting: readonly string[] = ["sent", "queued", "submitted"];

/** Calls that still hold an item's pass: answered, in flight, or waiting in a batch. */
const claimingStatuses = "('done', 'sent', 'queued', 'submitted')";

export class DistillStore {
    /** The job folder. */
    readonly dir: string;
    readonly path: string;
    private readonly db: Database.Database;
    private locked = false;

    private constructor(dir: string, db: Database.Database) {
        this.dir = dir;
        this.path = join(dir, DISTILL_STORE_FILE);
        this.db = db;
    }

    /**
     * Open the store of the job folder `dir`, creating both unless `readonly`. A read-only open of a
     * folder without a store is `NotFound`.
     */
    static open(dir: string, options: {readonly?: boolean} = {}): DistillStore {
        const path = join(dir, DISTILL_STORE_FILE);
        if (options.readonly === true) {
            if (!existsSync(path)) throw new NotFound(`${dir} is not a distillation job (no ${DISTILL_STORE_FILE}); start one with rmr1 distill --job ${dir} --input FILE`);
        } else {
            mkdirSync(dir, {recursive: true});
        }
        let db: Database.Database;
        try {
            db = new Database(path, {readonly: options.readonly === true, fileMustExist: options.readonly === true});
            db.pragma("busy_timeout = 10000");
            if (options.readonly !== true) {
                db.pragma("journal_mode = WAL");
                // FULL: each committed answer is on disk before we go on; these are paid calls.
                db.pragma("synchronous = FULL");
            }
        } catch (e) {
            throw new ConfigError(`cannot open the distillation job store ${path}: ${(e as Error).message}`, {cause: e});
        }
        const store = new DistillStore(dir, db);
        if (options.readonly !== true) store.migrate();
        else store.checkVersion();
        return store;
    }

    private migrate(): void {
        this.db.exec(`
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS items (
                idx INTEGER PRIMARY KEY NOT NULL,
                id TEXT NOT NULL UNIQUE,
                messages TEXT NOT NULL,
                label TEXT NOT NULL,
                chosen_position TEXT NOT NULL,
                order_policy TEXT NOT NULL,
                multi_turn INTEGER NOT NULL,
                source TEXT,
                domain TEXT,
                state TEXT NOT NULL DEFAULT 'pass1',
                kept_call INTEGER
            );
            CREATE TABLE IF NOT EXISTS calls (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                item_idx INTEGER NOT NULL REFERENCES items(idx),
                pass INTEGER NOT NULL,
                mode TEXT NOT NULL,
                status TEXT NOT NULL,
                engine TEXT NOT NULL,
                identity TEXT NOT NULL,
                prompt_hash TEXT NOT NULL,
                request_key TEXT NOT NULL,
                options TEXT NOT NULL,
                custom_id TEXT UNIQUE,
                batch_id INTEGER REFERENCES batches(id),
                output TEXT,
                finish_reason TEXT,
                model TEXT,
                prompt_tokens INTEGER,
                completion_tokens INTEGER,
                cost_usd REAL,
                cached INTEGER NOT NULL DEFAULT 0,
                correct INTEGER,
                error TEXT,
                created_at TEXT NOT NULL,
                finished_at TEXT,
                latency_ms REAL
            );
            CREATE INDEX IF NOT EXISTS calls_item_pass ON calls (item_idx, pass, status);
            CREATE INDEX IF NOT EXISTS calls_batch ON calls (batch_id);
            CREATE TABLE IF NOT EXISTS batches (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                pass INTEGER NOT NULL,
                provider TEXT NOT NULL,
                file TEXT NOT NULL,
                requests INTEGER NOT NULL,
                status TEXT NOT NULL,
                remote_id TEXT,
                input_file_id TEXT,
                created_at TEXT NOT NULL
            );
        `);
        const version = this.getMeta("schema_version");
        if (version == null) this.setMeta("schema_version", String(schemaVersion));
        else this.checkVersion();
    }

    private checkVersion(): void {
        const version = this.getMeta("schema_version");
        if (version != null && Number(version) !== schemaVersion)
            throw new ConfigError(`${this.path} was written by another version of rmr1 (store schema ${version}, this version reads ${schemaVersion}); finish it with that version or start a new --job`);
    }

    // ---- ownership ----------------------------------------------------------------------------

    /**
     * Claim the job for this process. Another live process on this host holding it is a
     * `ConfigError`; a dead owner's in-flight requests become `lost` (they may be sent again:
     * whatever answer they got never reached the store). Returns how many were marked lost.
     */
    lock(): number {
        const claim = this.db.transaction((): number => {
            const owner = this.getMeta("owner");
            if (owner != null) {
                const {pid, host} = JSON.parse(owner) as {pid: number, host: string};
                if (pid !== process.pid && host === hostname() && processAlive(pid))
                    throw new ConfigError(`the job ${this.dir} is being run by process ${pid}; wait for it (rmr1 distill status --job ${this.dir}) or stop it first`);
            }
            this.setMeta("owner", JSON.stringify({pid: process.pid, host: hostname(), since: new Date().toISOString()}));
            return this.db.prepare("UPDATE calls SET status = 'lost', finished_at = ? WHERE status = 'sent'").run(now()).changes;
        });
        const lost = claim.immediate();
        this.locked = true;
        return lost;
    }

    /** Whether a live process on this host holds the job (for `status`). */
    ownerPid(): number | null {
        const owner = this.getMeta("owner");
        if (owner == null) return null;
        const {pid, host} = JSON.parse(owner) as {pid: number, host: string};
        return host === hostname() && processAlive(pid) ? pid : null;
    }

    close(): void {
        if (!this.db.open) return;
        if (this.locked) {
            this.db.prepare("DELETE FROM meta WHERE key = 'owner'").run();
            this.locked = false;
        }
        this.db.close();
    }

    // ---- meta ---------------------------------------------------------------------------------

    getMeta(key: string): string | undefined {
        const row = this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as {value: string} | undefined;
        return row?.value;
    }

    setMeta(key: string, value: string): void {
        this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").run(key, value);
    }

    // ---- items --------------------------------------------------------------------------------

    itemCount(): number {
        return (this.db.prepare("SELECT COUNT(*) AS n FROM items").get() as {n: number}).n;
    }

    /**
     * Start a job: its configuration (`meta.config`) and all its items, in one transaction, so a
     * job has its whole input or none of it.
     */
    startJob(config: string, items: readonly Omit<DistillItem, "state" | "keptCall">[]): void {
        const insert = this.db.prepare(`INSERT INTO items (idx, id, messages, label, chosen_position, order_policy, multi_turn, source, domain)
            VALUES (@idx, @id, @messages, @label, @chosenPosition, @orderPolicy, @multiTurn, @source, @domain)`);
        this.db.transaction(() => {
            this.setMeta("config", config);
            for (const item of items) {
                insert.run({
                    ...item,
                    messages: JSON.stringify(item.messages),
                    multiTurn: item.multiTurn ? 1 : 0,
                    source: item.source ?? null,
                    domain: item.domain ?? null
                });
            }
        })();
    }

    item(idx: number): DistillItem {
        const row = this.db.prepare("SELECT * FROM items WHERE idx = ?").get(idx) as ItemRow | undefined;
        if (row == null) throw new Error(`no item ${idx} in ${this.path}`);
        return toItem(row);
    }

    /** Every item, in input order. */
    *items(): Generator<DistillItem> {
        for (const row of this.db.prepare("SELECT * FROM items ORDER BY idx").iterate() as IterableIterator<ItemRow>) yield toItem(row);
    }

    /**
     * Items waiting for `pass` that nothing holds (no answered, in-flight or queued call for that
     * pass) and that have fewer than `maxAttempts` failed calls for it, in input order.
     */
    pendingItems(pass: DistillPass, maxAttempts: number): DistillItem[] {
        const rows = this.db.prepare(`
            SELECT i.* FROM items i
            WHERE i.state = ?
              AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.item_idx = i.idx AND c.pass = ? AND c.status IN ${claimingStatuses})
              AND (SELECT COUNT(*) FROM calls c WHERE c.item_idx = i.idx AND c.pass = ? AND c.status = 'failed') < ?
            ORDER BY i.idx`).all(`pass${pass}`, pass, pass, maxAttempts) as ItemRow[];
        return rows.map(toItem);
    }

    /** Batch requests still waiting for a result (queued in a file, or submitted). */
    outstandingBatchCalls(): number {
        return (this.db.prepare("SELECT COUNT(*) AS n FROM calls WHERE status IN ('queued', 'submitted')").get() as {n: number}).n;
    }

    // ---- calls --------------------------------------------------------------------------------

    /** Record a request about to be sent (online: `sent`) and return its id. */
    startCall(call: NewCall): number {
        const result = this.db.prepare(`INSERT INTO calls (item_idx, pass, mode, status, engine, identity, prompt_hash, request_key, options, created_at)
            VALUES (?, ?, ?, 'sent', ?, ?, ?, ?, ?, ?)`)
            .run(call.itemIdx, call.pass, call.mode, call.engine, call.identity, call.promptHash, call.requestKey, call.options, now());
        return Number(result.lastInsertRowid);
    }

    /**
     * Record the answer to a call and move its item on, in one transaction: pass 1 correct → kept;
     * pass 1 wrong → waiting for pass 2; pass 2 correct → kept; pass 2 wrong → dropped. Only a call
     * still waiting (sent, queued, submitted) takes an answer: one already settled (a result file
     * ingested twice, a batch given up) changes nothing, and false is returned.
     */
    finishCall(callId: number, answer: CallAnswer): boolean {
        return this.db.transaction((): boolean => {
            const call = this.callRow(callId);
            if (!waiting.includes(call.status)) return false;
            this.db.prepare(`UPDATE calls SET status = 'done', output = ?, finish_reason = ?, model = ?, prompt_tokens = ?, completion_tokens = ?,
                cost_usd = ?, cached = ?, correct = ?, error = NULL, finished_at = ?, latency_ms = ? WHERE id = ?`)
                .run(answer.output, answer.finishReason, answer.model, answer.promptTokens, answer.completionTokens, answer.costUsd ?? null,
                    answer.cached ? 1 : 0, answer.correct ? 1 : 0, now(), answer.latencyMs, callId);
            const state = call.pass === 1 ? (answer.correct ? "kept" : "pass2") : (answer.correct ? "kept" : "dropped");
            this.db.prepare("UPDATE items SET state = ?, kept_call = ? WHERE idx = ? AND state = ?")
                .run(state, answer.correct ? callId : null, call.item_idx, `pass${call.pass}`);
            return true;
        }).immediate();
    }

    /** Record that a call failed (`error` says why); its item stays waiting for the same pass. */
    failCall(callId: number, error: string): void {
        this.db.prepare("UPDATE calls SET status = 'failed', error = ?, finished_at = ? WHERE id = ? AND status IN ('sent', 'queued', 'submitted')")
            .run(error.slice(0, 2000), now(), callId);
    }

    /** Record that a call was given up before an answer (the process stopped it): it may be sent again. */
    loseCall(callId: number): void {
        this.db.prepare("UPDATE calls SET status = 'lost', finished_at = ? WHERE id = ? AND status = 'sent'").run(now(), callId);
    }

    call(id: number): DistillCall {
        return toCall(this.callRow(id));
    }

    private callRow(id: number): CallRow {
        const row = this.db.prepare("SELECT * FROM calls WHERE id = ?").get(id) as CallRow | undefined;
        if (row == null) throw new Error(`no call ${id} in ${this.path}`);
        return row;
    }

    /** The call a batch result names, or undefined when the custom id is not this job's. */
    callByCustomId(customId: string): DistillCall | undefined {
        const row = this.db.prepare("SELECT * FROM calls WHERE custom_id = ?").get(customId) as CallRow | undefined;
        return row == null ? undefined : toCall(row);
    }

    /** The answered call of an item's pass, if any. */
    answeredCall(itemIdx: number, pass: DistillPass): DistillCall | undefined {
        const row = this.db.prepare("SELECT * FROM calls WHERE item_idx = ? AND pass = ? AND status = 'done' ORDER BY id LIMIT 1")
            .get(itemIdx, pass) as CallRow | undefined;
        return row == null ? undefined : toCall(row);
    }

    /** Every call, in the order they were made. */
    *calls(): Generator<DistillCall> {
        for (const row of this.db.prepare("SELECT * FROM calls ORDER BY id").iterate() as IterableIterator<CallRow>) yield toCall(row);
    }

    // ---- batches ------------------------------------------------------------------------------

    /**
     * Record a new batch and its requests (status `queued`) in one transaction. Custom ids are
     * `p<pass>-i<item>-c<call>`: unique, and within both providers' rules (`[A-Za-z0-9_-]{1,64}`).
     */
    createBatch(batch: {name: string, pass: DistillPass, provider: "openai" | "anthropic", file: string}, calls: readonly NewCall[]): {batchId: number, callIds: number[]} {
        return this.db.transaction(() => {
            const batchId = Number(this.db.prepare("INSERT INTO batches (name, pass, provider, file, requests, status, created_at) VALUES (?, ?, ?, ?, ?, 'written', ?)")
                .run(batch.name, batch.pass, batch.provider, batch.file, calls.length, now()).lastInsertRowid);
            const insert = this.db.prepare(`INSERT INTO calls (item_idx, pass, mode, status, engine, identity, prompt_hash, request_key, options, batch_id, created_at)
                VALUES (?, ?, 'batch', 'queued', ?, ?, ?, ?, ?, ?, ?)`);
            const setId = this.db.prepare("UPDATE calls SET custom_id = ? WHERE id = ?");
            const callIds = calls.map((call) => {
                const id = Number(insert.run(call.itemIdx, call.pass, call.engine, call.identity, call.promptHash, call.requestKey, call.options, batchId, now()).lastInsertRowid);
                setId.run(`p${call.pass}-i${call.itemIdx}-c${id}`, id);
                return id;
            });
            return {batchId, callIds};
        }).immediate();
    }

    batches(): DistillBatch[] {
        return (this.db.prepare("SELECT * FROM batches ORDER BY id").all() as BatchRow[]).map(toBatch);
    }

    batchByName(name: string): DistillBatch | undefined {
        const row = this.db.prepare("SELECT * FROM batches WHERE name = ?").get(name) as BatchRow | undefined;
        return row == null ? undefined : toBatch(row);
    }

    batchCalls(batchId: number): DistillCall[] {
        return (this.db.prepare("SELECT * FROM calls WHERE batch_id = ? ORDER BY id").all(batchId) as CallRow[]).map(toCall);
    }

    /** Requests of a batch still waiting for a result. */
    batchOutstanding(batchId: number): number {
        return (this.db.prepare("SELECT COUNT(*) AS n FROM calls WHERE batch_id = ? AND status IN ('queued', 'submitted')").get(batchId) as {n: number}).n;
    }

    nextBatchNumber(): number {
        return (this.db.prepare("SELECT COUNT(*) AS n FROM batches").get() as {n: number}).n + 1;
    }

    /** Record the upload (OpenAI input file id) of a batch. */
    setBatchInputFile(batchId: number, inputFileId: string): void {
        this.db.prepare("UPDATE batches SET input_file_id = ? WHERE id = ?").run(inputFileId, batchId);
    }

    /** Record that a batch was created at the provider: its id, and its requests as `submitted`. */
    markBatchSubmitted(batchId: number, remoteId: string): void {
        this.db.transaction(() => {
            this.db.prepare("UPDATE batches SET status = 'submitted', remote_id = ? WHERE id = ?").run(remoteId, batchId);
            this.db.prepare("UPDATE calls SET status = 'submitted' WHERE batch_id = ? AND status = 'queued'").run(batchId);
        }).immediate();
    }

    setBatchStatus(batchId: number, status: DistillBatch["status"]): void {
        this.db.prepare("UPDATE batches SET status = ? WHERE id = ?").run(status, batchId);
    }

    /**
     * Give a batch up: its requests without a result become `abandoned`, so their items are queued
     * again. Answers already ingested stay. Returns how many requests were released.
     */
    abandonBatch(batchId: number): number {
        return this.db.transaction((): number => {
            this.db.prepare("UPDATE batches SET status = 'abandoned' WHERE id = ?").run(batchId);
            return this.db.prepare("UPDATE calls SET status = 'abandoned', finished_at = ? WHERE batch_id = ? AND status IN ('queued', 'submitted')")
                .run(now(), batchId).changes;
        }).immediate();
    }

    // ---- counts -------------------------------------------------------------------------------

    counts(maxAttempts: number): StoreCounts {
        const states: Record<ItemState, number> = {pass1: 0, pass2: 0, kept: 0, dropped: 0};
        for (const row of this.db.prepare("SELECT state, COUNT(*) AS n FROM items GROUP BY state").all() as {state: ItemState, n: number}[])
            states[row.state] = row.n;
        const keptByPass: Record<DistillPass, number> = {1: 0, 2: 0};
        for (const row of this.db.prepare("SELECT c.pass AS pass, COUNT(*) AS n FROM items i JOIN calls c ON c.id = i.kept_call WHERE i.state = 'kept' GROUP BY c.pass")
            .all() as {pass: DistillPass, n: number}[]) keptByPass[row.pass] = row.n;
        const answered: StoreCounts["answered"] = {1: {calls: 0, correct: 0}, 2: {calls: 0, correct: 0}};
        const cost: StoreCounts["cost"] = {1: {usd: 0, unknown: 0}, 2: {usd: 0, unknown: 0}};
        for (const row of this.db.prepare(`SELECT pass, COUNT(*) AS n, SUM(correct) AS correct, SUM(cost_usd) AS usd,
                SUM(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END) AS unknown FROM calls WHERE status = 'done' GROUP BY pass`)
            .all() as {pass: DistillPass, n: number, correct: number, usd: number | null, unknown: number}[]) {
            answered[row.pass] = {calls: row.n, correct: row.correct};
            cost[row.pass] = {usd: row.usd ?? 0, unknown: row.unknown};
        }
        const gaveUp: Record<DistillPass, number> = {1: 0, 2: 0};
        for (const pass of [1, 2] as const) {
            gaveUp[pass] = (this.db.prepare(`SELECT COUNT(*) AS n FROM items i WHERE i.state = ?
                AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.item_idx = i.idx AND c.pass = ? AND c.status IN ${claimingStatuses})
                AND (SELECT COUNT(*) FROM calls c WHERE c.item_idx = i.idx AND c.pass = ? AND c.status = 'failed') >= ?`)
                .get(`pass${pass}`, pass, pass, maxAttempts) as {n: number}).n;
        }
        const calls: Record<CallStatus, number> = {sent: 0, done: 0, failed: 0, lost: 0, queued: 0, submitted: 0, abandoned: 0};
        for (const row of this.db.prepare("SELECT status, COUNT(*) AS n FROM calls GROUP BY status").all() as {status: CallStatus, n: number}[])
            calls[row.status] = row.n;
        // Tokens of every call that reported usage (failed calls report none).
        const tokens = this.db.prepare("SELECT COALESCE(SUM(prompt_tokens), 0) AS prompt, COALESCE(SUM(completion_tokens), 0) AS completion FROM calls")
            .get() as {prompt: number, completion: number};
        return {items: this.itemCount(), states, keptByPass, answered, gaveUp, calls, tokens, cost};
    }
}

function toItem(row: ItemRow): DistillItem {
    return {
        idx: row.idx,
        id: row.id,
        messages: JSON.parse(row.messages) as Message[],
        label: row.label as WinnerLabel,
        chosenPosition: row.chosen_position as Position,
        orderPolicy: row.order_policy,
        multiTurn: row.multi_turn === 1,
        source: row.source,
        domain: row.domain,
        state: row.state as ItemState,
        keptCall: row.kept_call
    };
}

function toCall(row: CallRow): DistillCall {
    return {
        id: row.id,
        itemIdx: row.item_idx,
        pass: row.pass as DistillPass,
        mode: row.mode as DistillCall["mode"],
        status: row.status as CallStatus,
        engine: row.engine,
        identity: row.identity,
        promptHash: row.prompt_hash,
        requestKey: row.request_key,
        options: row.options,
        customId: row.custom_id,
        batchId: row.batch_id,
        output: row.output,
        finishReason: row.finish_reason as FinishReason | null,
        model: row.model,
        promptTokens: row.prompt_tokens,
        completionTokens: row.completion_tokens,
        costUsd: row.cost_usd,
        cached: row.cached === 1,
        correct: row.correct == null ? null : row.correct === 1,
        error: row.error,
        createdAt: row.created_at,
        finishedAt: row.finished_at,
        latencyMs: row.latency_ms
    };
}

function toBatch(row: BatchRow): DistillBatch {
    return {
        id: row.id,
        name: row.name,
        pass: row.pass as DistillPass,
        provider: row.provider as DistillBatch["provider"],
        file: row.file,
        requests: row.requests,
        status: row.status as DistillBatch["status"],
        remoteId: row.remote_id,
        inputFileId: row.input_file_id,
        createdAt: row.created_at
    };
}

function now(): string {
    return new Date().toISOString();
}
