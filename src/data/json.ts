// JSON datasets: a streaming reader for files holding one JSON array of rows (RM-Bench, RMB) or a
// sequence of top-level objects, and a streaming array writer. Neither holds the file in memory:
// the reader scans bytes for element boundaries and parses one element at a time.
import {createReadStream, closeSync, openSync, renameSync, rmSync, writeSync} from "node:fs";
import {InvalidInput, NotFound} from "../errors.js";

/** One row of a JSON file, with where it came from. */
export interface JsonRow<T = unknown> {
    /** 0-based index of the row in the file. */
    index: number;
    /** 1-based line on which the row starts. */
    line: number;
    value: T;
}

const SPACE = 0x20, TAB = 0x09, CR = 0x0d, LF = 0x0a;
const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c;
const OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d, OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d;

/** Options of `readJsonRows`. */
export interface ReadJsonRowsOptions {
    /** Called for a row that is not valid JSON, and reading goes on. Defaults to none: such a row throws. */
    onBadRow?: (error: InvalidInput) => void;
}

/**
 * Read the rows of a JSON file with bounded memory. A file whose first value is an array yields its
 * elements; otherwise every top-level value is a row (so JSON Lines and concatenated objects work
 * too). A row that is not valid JSON throws `InvalidInput` naming `file:line` and the row index
 * (or goes to `onBadRow`); a file cut off inside a row always throws.
 */
export async function* readJsonRows<T = unknown>(file: string, options: ReadJsonRowsOptions = {}): AsyncGenerator<JsonRow<T>> {
    const stream = createReadStream(file);
    const opened = new Promise<void>((resolve, reject) => {
        stream.once("open", () => resolve());
        stream.once("error", reject);
    });
    try {
        await opened;
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new NotFound(`${file}: no such file`);
        throw new InvalidInput(`cannot open (${(e as Error).message})`, {location: file, cause: e});
    }

    // Scanner state; `base` is the nesting depth at which rows sit: 1 inside a top-level array, 0 otherwise.
    let mode: "start" | "array" | "values" | "done" = "start";
    let depth = 0;
    let inString = false;
    let escaped = false;
    let line = 1;
    let index = 0;
    let parts: Buffer[] = [];   // bytes of the row being collected, across chunks
    let rowStart = -1;          // offset in the current chunk where the row began, or -1
    let rowLine = 0;
    let inRow = false;
    let firstChunk = true;
    let base = 0;

    // Parse one collected row; undefined when it is bad and `onBadRow` took it (its index is used up).
    const parseRow = (text: string): JsonRow<T> | undefined => {
        let value: T;
        try {
            value = JSON.parse(text) as T;
        } catch (e) {
            const error = new InvalidInput(`row ${index} is not valid JSON (${(e as Error).message}); fix the row`, {location: `${file}:${rowLine}`});
            index++;
            if (options.onBadRow == null) throw error;
            options.onBadRow(error);
            return undefined;
        }
        return {index: index++, line: rowLine, value};
    };
    const finishRow = (chunk: Buffer, end: number, rows: JsonRow<T>[]): void => {
        parts.push(chunk.subarray(rowStart, end));
        const text = parts.length === 1 ? parts[0].toString("utf8") : Buffer.concat(parts).toString("utf8");
        parts = [];
        rowStart = -1;
        inRow = false;
        const row = parseRow(text);
        if (row != null) rows.push(row);
    };

    for await (const data of stream) {
        let chunk = data as Buffer;
        if (firstChunk) {
            firstChunk = false;
            if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
        }
        const rows: JsonRow<T>[] = [];
        if (inRow) rowStart = 0;
        for (let i = 0; i < chunk.length; i++) {
            const c = chunk[i];
            if (inString) {
                if (escaped) escaped = false;
                else if (c === BACKSLASH) escaped = true;
                else if (c === QUOTE) inString = false;
                else if (c === LF) line++;
                continue;
            }
            if (c === LF) {
                line++;
                if (inRow && depth === base && mode === "values") finishRow(chunk, i, rows);
                continue;
            }
            if (c === SPACE || c === TAB || c === CR) {
                if (inRow && depth === base && mode === "values") finishRow(chunk, i, rows);
                continue;
            }
            if (mode === "done") {
                throw new InvalidInput("unexpected text after the closing ']' of the top-level array", {location: `${file}:${line}`});
            }
            if (mode === "start") {
                if (c === OPEN_ARRAY) {
                    mode = "array";
                    depth = 1;
                    base = 1;
                    continue;
                }
                mode = "values";
            }
            if (!inRow) {
                if (mode === "array" && depth === 1) {
                    if (c === COMMA) continue;
                    if (c === CLOSE_ARRAY) {
                        depth = 0;
                        mode = "done";
                        continue;
                    }
                }
                inRow = true;
                rowStart = i;
                rowLine = line;
            }
            if (c === QUOTE) inString = true;
            else if (c === OPEN_ARRAY || c === OPEN_OBJECT) depth++;
            else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
                if (mode === "array" && depth === 1) {
                    // `]` closing the top-level array right after a scalar row.
                    finishRow(chunk, i, rows);
                    depth = 0;
                    mode = "done";
                    continue;
                }
                depth--;
                if (depth === base && mode === "values") finishRow(chunk, i + 1, rows);
                if (depth < base) throw new InvalidInput(`unbalanced '${String.fromCharCode(c)}'`, {location: `${file}:${line}`});
            } else if (c === COMMA && mode === "array" && depth === 1) {
                finishRow(chunk, i, rows);
            }
        }
        if (inRow) parts.push(chunk.subarray(rowStart));
        for (const row of rows) yield row;
    }
    if (inRow && mode === "values" && depth === 0 && !inString) {
        // A scalar row at end of file without a trailing newline.
        const row = parseRow(Buffer.concat(parts).toString("utf8"));
        parts = [];
        inRow = false;
        if (row != null) yield row;
    }
    if (inRow || inString || depth !== 0 || mode === "array")
        throw new InvalidInput(`the file ends inside row ${index} (truncated JSON?)`, {location: `${file}:${line}`});
}

/** Options of `JsonArrayWriter`. */
export interface JsonArrayWriterOptions {
    /** Indent each row as `JSON.stringify(row, null, indent)` would. Defaults to `0` (one row per line). */
    indent?: number;
}

/**
 * Writes rows as one JSON array, a row at a time. The file appears under its name only when
 * `close()` succeeds (written as `<file>.tmp-<pid>` and renamed), so an interrupted export never
 * leaves a truncated array that looks complete.
 */
export class JsonArrayWriter {
    readonly file: string;
    private readonly tmp: string;
    private readonly fd: number;
    private readonly indent: number;
    private rows = 0;
    private closed = false;

    constructor(file: string, options: JsonArrayWriterOptions = {}) {
        this.file = file;
        this.tmp = `${file}.tmp-${process.pid}`;
        this.indent = options.indent ?? 0;
        this.fd = openSync(this.tmp, "w");
        writeSync(this.fd, "[");
    }

    /** Number of rows written so far. */
    get count(): number {
        return this.rows;
    }

    write(value: unknown): void {
        if (this.closed) throw new Error(`JsonArrayWriter for ${this.file} is closed`);
        let text = JSON.stringify(value, null, this.indent || undefined);
        if (this.indent > 0) text = text.replace(/\n/g, "\n" + " ".repeat(this.indent));
        const pad = this.indent > 0 ? " ".repeat(this.indent) : "";
        writeSync(this.fd, (this.rows === 0 ? "\n" : ",\n") + pad + text);
        this.rows++;
    }

    close(): void {
        if (this.closed) return;
        writeSync(this.fd, this.rows === 0 ? "]\n" : "\n]\n");
        closeSync(this.fd);
        this.closed = true;
        renameSync(this.tmp, this.file);
    }

    /** Give up: remove the temporary file; the target is left untouched. */
    abort(): void {
        if (!this.closed) closeSync(this.fd);
        this.closed = true;
        rmSync(this.tmp, {force: true});
    }
}
