// A disk cache of engine answers in SQLite (better-sqlite3): one row per (engine identity, request)
// key. WAL journaling makes each write a transaction, so a process killed mid-write leaves the file
// as it was before that write, never half-written. Several processes may share one file.
import {mkdirSync, statSync} from "node:fs";
import {homedir} from "node:os";
import {dirname, join} from "node:path";
import Database from "better-sqlite3";
import {ConfigError} from "../../errors.js";
import type {GenerateResult} from "../Engine.js";

/** `$RMR1_CACHE_DIR/responses.sqlite`, else `$XDG_CACHE_HOME/rmr1/…`, else `~/.cache/rmr1/responses.sqlite`. */
export function defaultCachePath(): string {
    const dir = process.env.RMR1_CACHE_DIR != null && process.env.RMR1_CACHE_DIR !== ""
        ? process.env.RMR1_CACHE_DIR
        : join(process.env.XDG_CACHE_HOME != null && process.env.XDG_CACHE_HOME !== "" ? process.env.XDG_CACHE_HOME : join(homedir(), ".cache"), "rmr1");
    return join(dir, "responses.sqlite");
}

export interface ResponseCacheOptions {
    /** SQLite file (created with its folder); `:memory:` for a private in-memory cache. Defaults to `defaultCachePath()`. */
    path?: string;
    /** Entries older than this (milliseconds) count as absent and are removed by `prune()`. Defaults to no expiry. */
    ttlMs?: number;
}

/** What `rmr1 cache info` shows. */
export interface ResponseCacheInfo {
    path: string;
    entries: number;
    /** Size on disk of the database and its write-ahead log. */
    bytes: number;
    /** Entries per engine id, most first. */
    engines: {engine: string, entries: number}[];
    /** ISO times of the oldest and newest entries, when there are any. */
    oldest?: string;
    newest?: string;
    /** Entries past the TTL (0 without a TTL). */
    expired: number;
}

/**
 * Whether a result may be stored: at least one completion, none empty (blank) or failed. An empty
 * answer is usually a server hiccup; caching it would replay the hiccup forever.
 */
export function isCacheableResult(result: GenerateResult): boolean {
    return result.completions.length > 0
        && result.completions.every((c) => c.finishReason !== "error" && c.text.trim() !== "");
}

export class ResponseCache {
    readonly path: string;
    readonly ttlMs?: number;
    /**
     * Answers being computed right now, by key, so that concurrent identical requests in this
     * process make one engine call (`withCache` fills and empties it).
     */
    readonly inFlight = new Map<string, Promise<GenerateResult>>();
    private readonly db: Database.Database;
    private readonly selectStatement: Database.Statement<[string], {value: string, created_at: number}>;
    private readonly insertStatement: Database.Statement<[string, string, number, string]>;
    private readonly deleteStatement: Database.Statement<[string]>;

    constructor(options: ResponseCacheOptions = {}) {
        this.path = options.path ?? defaultCachePath();
        if (options.ttlMs != null && !(options.ttlMs > 0)) throw new ConfigError(`cache ttlMs must be > 0, got ${options.ttlMs}`);
        this.ttlMs = options.ttlMs;
        try {
            if (this.path !== ":memory:") mkdirSync(dirname(this.path), {recursive: true});
            this.db = new Database(this.path);
            this.db.pragma("busy_timeout = 10000");
            this.db.pragma("journal_mode = WAL");
            // NORMAL with WAL: a killed process never corrupts the file or loses a committed write;
            // only a power cut can drop the last few writes (which are just cache entries).
            this.db.pragma("synchronous = NORMAL");
            this.db.exec(`
                CREATE TABLE IF NOT EXISTS responses (
                    key TEXT PRIMARY KEY NOT NULL,
                    engine TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    value TEXT NOT NULL
                );
                CREATE INDEX IF NOT EXISTS responses_created_at ON responses (created_at);
            `);
        } catch (e) {
            throw new ConfigError(
                `cannot open the response cache ${this.path}: ${(e as Error).message}. ` +
                "Delete the file, point RMR1_CACHE_DIR elsewhere, or run without the cache (--no-cache)", {cause: e});
        }
        this.selectStatement = this.db.prepare("SELECT value, created_at FROM responses WHERE key = ?");
        this.insertStatement = this.db.prepare("INSERT OR REPLACE INTO responses (key, engine, created_at, value) VALUES (?, ?, ?, ?)");
        this.deleteStatement = this.db.prepare("DELETE FROM responses WHERE key = ?");
    }

    /** The stored result for `key`, or undefined when absent or past the TTL. */
    get(key: string, now: number = Date.now()): GenerateResult | undefined {
        const row = this.selectStatement.get(key);
        if (row == null) return undefined;
        if (this.ttlMs != null && now - row.created_at > this.ttlMs) return undefined;
        try {
            return JSON.parse(row.value) as GenerateResult;
        } catch {
            // Cannot happen through this class; a hand-edited row is dropped rather than trusted.
            this.deleteStatement.run(key);
            return undefined;
        }
    }

    /** Store `result` under `key` unless it is empty or failed (`isCacheableResult`); true when stored. */
    set(key: string, engine: string, result: GenerateResult, now: number = Date.now()): boolean {
        if (!isCacheableResult(result)) return false;
        const {cached: _cached, ...stored} = result;
        this.insertStatement.run(key, engine, now, JSON.stringify(stored));
        return true;
    }

    delete(key: string): void {
        this.deleteStatement.run(key);
    }

    /**
     * Remove entries: all of them, or only those of one engine id and/or older than `olderThanMs`.
     * Returns how many were removed.
     */
    clear(filter: {engine?: string, olderThanMs?: number} = {}, now: number = Date.now()): number {
        const where: string[] = [];
        const params: (string | number)[] = [];
        if (filter.engine != null) {
            where.push("engine = ?");
            params.push(filter.engine);
        }
        if (filter.olderThanMs != null) {
            where.push("created_at < ?");
            params.push(now - filter.olderThanMs);
        }
        const sql = `DELETE FROM responses${where.length > 0 ? " WHERE " + where.join(" AND ") : ""}`;
        const removed = this.db.prepare(sql).run(...params).changes;
        if (where.length === 0) this.db.exec("VACUUM");
        return removed;
    }

    /** Remove the entries past the TTL; returns how many. Nothing to do without a TTL. */
    prune(now: number = Date.now()): number {
        if (this.ttlMs == null) return 0;
        return this.clear({olderThanMs: this.ttlMs}, now);
    }

    info(now: number = Date.now()): ResponseCacheInfo {
        const totals = this.db.prepare("SELECT COUNT(*) AS entries, MIN(created_at) AS oldest, MAX(created_at) AS newest FROM responses")
            .get() as {entries: number, oldest: number | null, newest: number | null};
        const engines = this.db.prepare("SELECT engine, COUNT(*) AS entries FROM responses GROUP BY engine ORDER BY entries DESC, engine")
            .all() as {engine: string, entries: number}[];
        const expired = this.ttlMs == null
            ? 0
            : (this.db.prepare("SELECT COUNT(*) AS n FROM responses WHERE created_at < ?").get(now - this.ttlMs) as {n: number}).n;
        const info: ResponseCacheInfo = {path: this.path, entries: totals.entries, bytes: this.bytesOnDisk(), engines, expired};
        if (totals.oldest != null) info.oldest = new Date(totals.oldest).toISOString();
        if (totals.newest != null) info.newest = new Date(totals.newest).toISOString();
        return info;
    }

    /** Close the database (idempotent). */
    close(): void {
        if (this.db.open) this.db.close();
    }

    private bytesOnDisk(): number {
        if (this.path === ":memory:") return 0;
        let bytes = 0;
        for (const file of [this.path, `${this.path}-wal`]) {
            try {
                bytes += statSync(file).size;
            } catch {
                // no WAL file right now
            }
        }
        return bytes;
    }
}
