// JSON Lines: a streaming reader that names the file and line of every bad row, and an append-only
// writer that never leaves a half-written line behind as valid data.
import {createReadStream, existsSync, openSync, closeSync, writeSync, fsyncSync, readFileSync, readSync, renameSync, ftruncateSync, fstatSync} from "node:fs";
import {createInterface} from "node:readline";
import {InvalidInput} from "../errors.js";

/** One parsed line of a JSONL file. */
export interface JsonlLine<T = unknown> {
    /** 1-based line number in the file. */
    line: number;
    value: T;
}

/**
 * Read a JSONL file line by line with bounded memory. Blank lines are skipped. A line that is not
 * valid JSON throws `InvalidInput` naming `file:line`, unless `onBadLine` is given, in which case it
 * is called and reading continues.
 */
export async function* readJsonl<T = unknown>(
    file: string,
    options: {onBadLine?: (line: number, error: string, text: string) => void} = {}
): AsyncGenerator<JsonlLine<T>> {
    const input = file === "-" ? process.stdin : createReadStream(file, {encoding: "utf8"});
    const lines = createInterface({input, crlfDelay: Infinity});
    let n = 0;
    for await (let text of lines) {
        n++;
        if (n === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);   // a UTF-8 byte-order mark
        if (text.trim() === "") continue;
        let value: T;
        try {
            value = JSON.parse(text) as T;
        } catch (e) {
            const message = `line is not valid JSON (${(e as Error).message})`;
            if (options.onBadLine != null) {
                options.onBadLine(n, message, text);
                continue;
            }
            throw new InvalidInput(`${message}; fix or remove the line`, {location: `${file}:${n}`});
        }
        yield {line: n, value};
    }
}

/**
 * Read the complete lines of a JSONL file that a job appends to, for resuming. A final line without
 * its newline (a crash mid-write) is ignored and, with `repair`, cut off the file so the next append
 * starts on a clean line. A complete line that is not valid JSON throws `InvalidInput`.
 */
export function readJsonlForResume<T = unknown>(file: string, options: {repair?: boolean} = {}): T[] {
    if (!existsSync(file)) return [];
    const text = readFileSync(file, "utf8");
    const end = text.lastIndexOf("\n");
    const complete = end < 0 ? "" : text.slice(0, end + 1);
    if (options.repair === true && complete.length !== text.length) {
        const fd = openSync(file, "r+");
        try {
            ftruncateSync(fd, Buffer.byteLength(complete, "utf8"));
        } finally {
            closeSync(fd);
        }
    }
    const out: T[] = [];
    let lineNo = 0;
    for (const line of complete.split("\n")) {
        lineNo++;
        if (line.trim() === "") continue;
        try {
            out.push(JSON.parse(line) as T);
        } catch (e) {
            throw new InvalidInput(`line is not valid JSON (${(e as Error).message}); the file is damaged, remove the line to resume`, {location: `${file}:${lineNo}`});
        }
    }
    return out;
}

/**
 * Appends one JSON value per line. Each line goes to the file in a single `write` call, so a crash
 * leaves at most one torn final line, which `readJsonlForResume` drops. With `durable`, every line
 * is fsynced (slower; for paid or long work).
 */
export class JsonlWriter {
    private fd: number | undefined;
    readonly file: string;
    private readonly durable: boolean;

    constructor(file: string, options: {durable?: boolean, truncate?: boolean} = {}) {
        this.file = file;
        this.durable = options.durable ?? false;
        this.fd = openSync(file, options.truncate === true ? "w" : "a");
        if (options.truncate !== true) cutTornLine(this.fd, file);
    }

    write(value: unknown): void {
        if (this.fd == null) throw new Error(`JsonlWriter for ${this.file} is closed`);
        writeSync(this.fd, JSON.stringify(value) + "\n");
        if (this.durable) fsyncSync(this.fd);
    }

    close(): void {
        if (this.fd == null) return;
        try {
            fsyncSync(this.fd);
        } catch {
            // fsync is best effort on close (e.g. /dev/stdout).
        }
        closeSync(this.fd);
        this.fd = undefined;
    }
}

/** If the file does not end in a newline, an earlier writer died mid-line: cut that torn line off. */
function cutTornLine(fd: number, file: string): void {
    const size = fstatSync(fd).size;
    if (size === 0) return;
    const rfd = openSync(file, "r");
    try {
        const chunk = Buffer.alloc(Math.min(size, 1 << 16));
        let end = size;
        while (end > 0) {
            const start = Math.max(0, end - chunk.length);
            const n = end - start;
            readSync(rfd, chunk, 0, n, start);
            if (end === size && chunk[n - 1] === 0x0a) return;
            const nl = chunk.subarray(0, n).lastIndexOf(0x0a);
            if (nl >= 0) {
                ftruncateSync(fd, start + nl + 1);
                return;
            }
            end = start;
        }
        ftruncateSync(fd, 0);
    } finally {
        closeSync(rfd);
    }
}

/**
 * Write the records of `records()` as JSONL to `file` unless the file is already there (a resumed
 * job keeps what it wrote). Written to a temporary file and renamed, so `file` is complete or absent;
 * `records` is called only when the file is written.
 */
export function writeJsonlOnce(file: string, records: () => Iterable<unknown>): void {
    if (existsSync(file)) return;
    const tmp = `${file}.tmp-${process.pid}`;
    const writer = new JsonlWriter(tmp, {truncate: true});
    try {
        for (const r of records()) writer.write(r);
    } finally {
        writer.close();
    }
    renameSync(tmp, file);
}
