// One way to read and write dataset rows whatever the container: `.json` (an array), `.jsonl`
// (one object per line), `.parquet`, a folder of those, or an `hf:` Hub URI. Every row carries its
// location (`file:line` or `file row N`) so later errors can point at it.
import {existsSync, readdirSync, renameSync, rmSync, statSync} from "node:fs";
import {dirname, extname, join, resolve} from "node:path";
import {InvalidInput, NotFound} from "../errors.js";
import {readJsonl, JsonlWriter} from "./jsonl.js";
import {readJsonRows, JsonArrayWriter} from "./json.js";
import {readParquet, parquetRowCount, ParquetRowWriter, type ParquetSchema, type ParquetWriteCodec} from "./parquet.js";
import {isHubUri, resolveHubSource, type HubSourceOptions} from "./hub.js";
import {writeAllRows} from "./writeAllRows.js";

/** A file container rmr1 reads and writes. */
export type DataFormat = "json" | "jsonl" | "parquet";

export const dataFormats: readonly DataFormat[] = ["json", "jsonl", "parquet"];

/** The format of a path, from its extension (`.json`, `.jsonl`/`.ndjson`, `.parquet`/`.pq`). */
export function formatOf(path: string): DataFormat {
    const ext = extname(path).toLowerCase();
    if (ext === ".json") return "json";
    if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
    if (ext === ".parquet" || ext === ".pq") return "parquet";
    throw new InvalidInput(`cannot tell the format of '${path}' from its extension; use .json, .jsonl or .parquet`, {field: "path"});
}

/** One row read from a dataset file. */
export interface SourceRow {
    value: unknown;
    /** 0-based index of the row within its file. */
    index: number;
    /** The file the row came from (a local path; Hub files are in the Hub cache). */
    file: string;
    /** Where the row is, for error messages: `file:line` (JSON, JSONL) or `file row N` (parquet). */
    location: string;
}

/** Options of `readRows`. */
export interface ReadRowsOptions {
    /** Parquet: top-level columns to read. Defaults to every column. */
    columns?: string[];
    /** Hub access and, for a whole dataset (`hf:owner/name`), the split and file types. Defaults from the environment. */
    hub?: HubSourceOptions;
    /** Called for a JSON or JSONL row that is not valid JSON, and reading goes on. Defaults to none: such a row throws `InvalidInput` naming file and line. */
    onUnparsable?: (error: InvalidInput) => void;
}

/**
 * The local files a source stands for: the file itself; every `.json`/`.jsonl`/`.parquet` file
 * under a folder (sorted by path); or the files of an `hf:` URI, downloaded into the Hub cache.
 */
export async function resolveSource(source: string, options: ReadRowsOptions = {}): Promise<string[]> {
    if (isHubUri(source)) return resolveHubSource(source, options.hub);
    if (!existsSync(source)) throw new NotFound(`${source}: no such file or folder`);
    if (!statSync(source).isDirectory()) {
        formatOf(source);
        return [source];
    }
    const files = (readdirSync(source, {recursive: true}) as string[])
        .map(f => join(source, f))
        .filter(f => /\.(json|jsonl|ndjson|parquet|pq)$/i.test(f) && statSync(f).isFile())
        .sort();
    if (files.length === 0) throw new NotFound(`${source}: the folder holds no .json, .jsonl or .parquet files`);
    return files;
}

/** Read the rows of one file, by its format. */
export async function* readFileRows(file: string, options: ReadRowsOptions = {}): AsyncGenerator<SourceRow> {
    switch (formatOf(file)) {
        case "jsonl": {
            let index = 0;
            if (!existsSync(file)) throw new NotFound(`${file}: no such file`);
            const onBadLine = options.onUnparsable == null ? undefined : (line: number, message: string) => {
                index++;
                options.onUnparsable?.(new InvalidInput(`${message}; fix or remove the line`, {location: `${file}:${line}`}));
            };
            for await (const {line, value} of readJsonl(file, {onBadLine})) yield {value, index: index++, file, location: `${file}:${line}`};
            return;
        }
        case "json":
            for await (const {line, index, value} of readJsonRows(file, {onBadRow: options.onUnparsable})) yield {value, index, file, location: `${file}:${line}`};
            return;
        case "parquet": {
            let index = 0;
            for await (const value of readParquet(file, {columns: options.columns})) {
                yield {value, index, file, location: `${file} row ${index}`};
                index++;
            }
            return;
        }
    }
}

/** Read every row of a source (file, folder or `hf:` URI), file after file. */
export async function* readRows(source: string, options: ReadRowsOptions = {}): AsyncGenerator<SourceRow> {
    for (const file of await resolveSource(source, options)) yield* readFileRows(file, options);
}

/** Count the rows of a source. Parquet counts come from the footer; JSON and JSONL are scanned. */
export async function countRows(source: string, options: ReadRowsOptions = {}): Promise<number> {
    let n = 0;
    for (const file of await resolveSource(source, options)) {
        if (formatOf(file) === "parquet") {
            n += await parquetRowCount(file);
        } else {
            for await (const _ of readFileRows(file, options)) n++;
        }
    }
    return n;
}

/** A writer of rows to one file; the file appears only when `close()` succeeds. */
export interface RowWriter {
    readonly file: string;
    readonly count: number;
    write(row: Record<string, unknown>): void;
    close(): void;
    /** Discard what was written; the target file is left as it was. */
    abort(): void;
}

/** Options of `openRowWriter`. */
export interface RowWriterOptions {
    /** Format. Defaults to the one the file's extension names. */
    format?: DataFormat;
    /** Parquet column types. Defaults to a schema inferred from the first row group. */
    schema?: ParquetSchema;
    /** Parquet compression. Defaults to `"SNAPPY"`. */
    codec?: ParquetWriteCodec;
    /** Parquet rows per row group. Defaults to `1000`. */
    rowGroupSize?: number;
}

/** Open a writer for `file` in its format. */
export function openRowWriter(file: string, options: RowWriterOptions = {}): RowWriter {
    const format = options.format ?? formatOf(file);
    checkOutputFolder(file);
    if (format === "parquet") return new ParquetRowWriter(file, options);
    if (format === "json") return new JsonArrayWriter(file);
    return new AtomicJsonlWriter(file);
}

/** An output file's folder must exist (a clear error instead of ENOENT from deep inside a writer). */
export function checkOutputFolder(file: string): void {
    const folder = dirname(resolve(file));
    if (!existsSync(folder) || !statSync(folder).isDirectory())
        throw new NotFound(`cannot write ${file}: the folder ${folder} does not exist; create it first`);
}

/** JSONL to `<file>.tmp-<pid>`, renamed into place on close (the resumable appender is `JsonlWriter`). */
class AtomicJsonlWriter implements RowWriter {
    readonly file: string;
    private readonly tmp: string;
    private readonly writer: JsonlWriter;
    private rows = 0;
    private closed = false;

    constructor(file: string) {
        this.file = file;
        this.tmp = `${file}.tmp-${process.pid}`;
        this.writer = new JsonlWriter(this.tmp, {truncate: true});
    }

    get count(): number {
        return this.rows;
    }

    write(row: Record<string, unknown>): void {
        this.writer.write(row);
        this.rows++;
    }

    close(): void {
        if (this.closed) return;
        this.writer.close();
        this.closed = true;
        renameSync(this.tmp, this.file);
    }

    abort(): void {
        if (!this.closed) this.writer.close();
        this.closed = true;
        rmSync(this.tmp, {force: true});
    }
}

/** Write rows to `file` in its format; returns the number written. Nothing appears on failure. */
export async function writeRows(file: string, rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>, options: RowWriterOptions = {}): Promise<number> {
    return writeAllRows(openRowWriter(file, options), rows);
}
