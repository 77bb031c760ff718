// An incremental index over a JSONL file that a job may still be appending to: each line is parsed
// once into a small summary kept in memory, with its byte range so the full line can be read back
// on demand. A 10k-line samples file of several kB per line costs a few hundred bytes per line in
// memory, and a request for one sample reads one line from disk.
//
// The file is re-examined on `refresh()`: appended bytes are indexed; a file that shrank or was
// replaced (a resumed trainer cuts metrics.jsonl back to its checkpoint) is indexed anew. The last
// line counts only once its newline is written, except that a final line without a newline that
// parses is taken (hand-written files), and looked at again when the file grows.
import {closeSync, existsSync, fstatSync, openSync, readSync, statSync} from "node:fs";
import {InvalidInput} from "../errors.js";
import type {LineProblem} from "./apiTypes.js";

export interface IndexedLine<T> {
    /** 1-based line number in the file. */
    line: number;
    /** Byte offset and length of the line (without its newline). */
    offset: number;
    length: number;
    summary: T;
}

/** Turns a parsed line into what the index keeps; throw `InvalidInput` to reject the line. */
export type Summarize<T> = (value: unknown, line: number) => T;

const CHUNK = 1 << 22;
const MAX_PROBLEMS = 20;

export class JsonlIndex<T> {
    readonly file: string;
    private readonly summarize: Summarize<T>;
    private entries: IndexedLine<T>[] = [];
    private tail: IndexedLine<T> | null = null;
    private indexedBytes = 0;
    private lines = 0;
    private identity = "";
    private problems: LineProblem[] = [];
    private problemCount = 0;
    /** Bumped whenever the visible entries change, so callers can cache what they derive. */
    version = 0;

    constructor(file: string, summarize: Summarize<T>) {
        this.file = file;
        this.summarize = summarize;
    }

    /** Index what was appended since the last call; returns the entries. */
    refresh(): IndexedLine<T>[] {
        if (!existsSync(this.file)) {
            if (this.indexedBytes > 0 || this.tail != null) this.reset();
            return this.entries;
        }
        const fd = openSync(this.file, "r");
        try {
            const st = fstatSync(fd);
            const identity = `${st.dev}:${st.ino}`;
            if (identity !== this.identity || st.size < this.indexedBytes + (this.tail != null ? this.tail.length : 0)) {
                if (this.identity !== "") this.reset();
                this.identity = identity;
            }
            if (st.size === this.indexedBytes + (this.tail != null ? this.tail.length : 0)) return this.visible();
            this.readFrom(fd, st.size);
        } finally {
            closeSync(fd);
        }
        return this.visible();
    }

    /** Lines that were not JSON or that `summarize` rejected (the first 20) and how many. */
    get invalid(): {problems: LineProblem[], count: number} {
        return {problems: this.problems, count: this.problemCount};
    }

    /** The full parsed line of an entry, read from disk. */
    read(entry: IndexedLine<T>): unknown {
        const fd = openSync(this.file, "r");
        try {
            const buf = Buffer.alloc(entry.length);
            readSync(fd, buf, 0, entry.length, entry.offset);
            return JSON.parse(buf.toString("utf8"));
        } catch (e) {
            throw new InvalidInput(`line ${entry.line} changed on disk and can no longer be read (${(e as Error).message}); reload the page`, {location: this.file});
        } finally {
            closeSync(fd);
        }
    }

    /** Modification time of the file, or null when it does not exist. */
    mtime(): Date | null {
        return existsSync(this.file) ? statSync(this.file).mtime : null;
    }

    private visible(): IndexedLine<T>[] {
        return this.tail != null ? [...this.entries, this.tail] : this.entries;
    }

    private reset(): void {
        this.entries = [];
        this.tail = null;
        this.indexedBytes = 0;
        this.lines = 0;
        this.problems = [];
        this.problemCount = 0;
        this.version++;
    }

    private readFrom(fd: number, size: number): void {
        const before = this.entries.length;
        const hadTail = this.tail != null;
        this.tail = null;
        let pending: Buffer = Buffer.alloc(0);
        let pendingOffset = this.indexedBytes;
        let position = this.indexedBytes;
        while (position < size) {
            const chunk = Buffer.alloc(Math.min(CHUNK, size - position));
            const n = readSync(fd, chunk, 0, chunk.length, position);
            if (n <= 0) break;
            position += n;
            const data = pending.length > 0 ? Buffer.concat([pending, chunk.subarray(0, n)]) : chunk.subarray(0, n);
            let start = 0;
            for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
                this.lines++;
                this.take(data, start, nl, pendingOffset + start, true);
                start = nl + 1;
            }
            pendingOffset += start;
            pending = Buffer.from(data.subarray(start));
        }
        this.indexedBytes = pendingOffset;
        // An unterminated last line: shown when it parses, re-read when the file grows.
        if (pending.length > 0) this.take(pending, 0, pending.length, pendingOffset, false);
        if (this.entries.length !== before || hadTail || this.tail != null) this.version++;
    }

    private take(data: Buffer, start: number, end: number, offset: number, complete: boolean): void {
        let e = end;
        if (e > start && data[e - 1] === 0x0d) e--;
        const text = data.toString("utf8", start, e);
        const line = complete ? this.lines : this.lines + 1;
        if (text.trim() === "") return;
        let value: unknown;
        try {
            value = JSON.parse(text);
        } catch (err) {
            if (complete) this.problem(line, `not valid JSON (${(err as Error).message})`);
            return;
        }
        let summary: T;
        try {
            summary = this.summarize(value, line);
        } catch (err) {
            if (complete) this.problem(line, (err as Error).message);
            return;
        }
        const entry: IndexedLine<T> = {line, offset, length: e - start, summary};
        if (complete) this.entries.push(entry);
        else this.tail = entry;
    }

    private problem(line: number, message: string): void {
        this.problemCount++;
        if (this.problems.length < MAX_PROBLEMS) this.problems.push({line, message});
    }
}
