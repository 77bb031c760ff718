// Parquet reading and writing on hyparquet (+ hyparquet-compressors) and hyparquet-writer.
//
// Reading goes row group by row group, so memory is bounded by one row group, not by the file.
// Nested columns (lists of structs, structs) come back as plain JS arrays and objects. Writing takes
// a small schema language (`ParquetField`) that maps to the standard 3-level LIST layout pyarrow,
// DuckDB and Hugging Face `datasets` write, so veRL/TRL readers see `list<struct<...>>` columns.
import {open, type FileHandle} from "node:fs/promises";
import {closeSync, openSync, renameSync, rmSync, writeSync} from "node:fs";
import {gunzipSync, gzipSync} from "node:zlib";
import {parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type Compressors, type FileMetaData, type SchemaElement} from "hyparquet";
import {compressors as baseCompressors} from "hyparquet-compressors";
import {ByteWriter, ParquetWriter} from "hyparquet-writer";
import {InvalidInput, NotFound} from "../errors.js";
import {writeAllRows} from "./writeAllRows.js";

/** Options of `readParquet`. */
export interface ReadParquetOptions {
    /** Top-level columns to read, in this order. Defaults to every column. */
    columns?: string[];
    /** First row to yield (0-based, inclusive). Defaults to `0`. */
    rowStart?: number;
    /** Row to stop before (0-based, exclusive). Defaults to the end of the file. */
    rowEnd?: number;
}

// Node's zlib inflates GZIP pages several times faster than the pure-JS decoder; the rest
// (snappy via WebAssembly, zstd, brotli, lz4) come from hyparquet-compressors.
const readCompressors: Compressors = {
    ...baseCompressors,
    GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input))
};

// hyparquet's default decoder drops a leading U+FEFF; pyarrow and DuckDB keep it, and so do we
// (RMB has 23 strings that begin with a BOM).
const utf8 = new TextDecoder("utf-8", {ignoreBOM: true});
const parsers = {stringFromBytes: (bytes: Uint8Array) => utf8.decode(bytes)};

/** An `AsyncBuffer` over an open file: each slice is one positioned read. */
function fileBuffer(handle: FileHandle, size: number): AsyncBuffer {
    return {
        byteLength: size,
        async slice(start: number, end?: number): Promise<ArrayBuffer> {
            const stop = end ?? size;
            const buffer = new Uint8Array(stop - start);
            let done = 0;
            while (done < buffer.length) {
                const {bytesRead} = await handle.read(buffer, done, buffer.length - done, start + done);
                if (bytesRead === 0) break;
                done += bytesRead;
            }
            return buffer.buffer;
        }
    };
}

/** Open a parquet file and parse its footer. The caller closes the handle. */
async function openParquet(file: string): Promise<{handle: FileHandle, buffer: AsyncBuffer, metadata: FileMetaData}> {
    let handle: FileHandle;
    try {
        handle = await open(file, "r");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "ENOENT") throw new NotFound(`${file}: no such file`);
        throw new InvalidInput(`cannot open (${(e as Error).message})`, {location: file, cause: e});
    }
    try {
        const size = (await handle.stat()).size;
        const buffer = fileBuffer(handle, size);
        const metadata = await parquetMetadataAsync(buffer);
        return {handle, buffer, metadata};
    } catch (e) {
        await handle.close();
        throw new InvalidInput(`not a readable parquet file (${(e as Error).message})`, {location: file, cause: e});
    }
}

/** The number of rows in a parquet file, from its footer (no data is read). */
export async function parquetRowCount(file: string): Promise<number> {
    const {handle, metadata} = await openParquet(file);
    await handle.close();
    return Number(metadata.num_rows);
}

/** Top-level column names of a parquet file, in schema order. */
export async function parquetColumns(file: string): Promise<string[]> {
    const {handle, metadata} = await openParquet(file);
    await handle.close();
    return topLevelColumns(metadata.schema);
}

function topLevelColumns(schema: SchemaElement[]): string[] {
    // schema[0] is the root; walk its direct children, skipping each child's subtree.
    const names: string[] = [];
    let i = 1;
    const skip = (): void => {
        const children = schema[i].num_children ?? 0;
        i++;
        for (let c = 0; c < children; c++) skip();
    };
    while (i < schema.length) {
        names.push(schema[i].name);
        skip();
    }
    return names;
}

/**
 * Read a parquet file row by row as plain objects (nested lists and structs included). Snappy,
 * gzip, zstd, brotli and lz4 pages are supported. One row group is decoded at a time, so memory
 * stays bounded by the largest row group. INT64 values within the safe-integer range become
 * numbers (larger ones stay `bigint`); a leading U+FEFF in strings is kept.
 */
export async function* readParquet(file: string, options: ReadParquetOptions = {}): AsyncGenerator<Record<string, unknown>> {
    const {handle, buffer, metadata} = await openParquet(file);
    try {
        const available = topLevelColumns(metadata.schema);
        for (const column of options.columns ?? []) {
            if (!available.includes(column))
                throw new InvalidInput(`no column '${column}' (columns: ${available.join(", ")})`, {location: file, field: column});
        }
        const int64Columns = int64TopLevelColumns(metadata.schema);
        const rowStart = options.rowStart ?? 0;
        const rowEnd = options.rowEnd ?? Number(metadata.num_rows);
        let groupStart = 0;
        for (let g = 0; g < metadata.row_groups.length; g++) {
            const groupRows = Number(metadata.row_groups[g].num_rows);
            const start = Math.max(groupStart, rowStart);
            const end = Math.min(groupStart + groupRows, rowEnd);
            if (start < end) {
                let rows: Record<string, unknown>[];
                try {
                    rows = await parquetReadObjects({file: buffer, metadata, columns: options.columns, rowStart: start, rowEnd: end, compressors: readCompressors, parsers});
                } catch (e) {
                    throw new InvalidInput(`cannot decode row group ${g} (rows ${groupStart}-${groupStart + groupRows - 1}): ${(e as Error).message}`, {location: file, cause: e});
                }
                if (int64Columns.length > 0) {
                    for (const row of rows) {
                        for (const name of int64Columns) {
                            if (name in row) row[name] = numberifyBigInts(row[name]);
                        }
                    }
                }
                for (const row of rows) yield row;
            }
            groupStart += groupRows;
            if (groupStart >= rowEnd) break;
        }
    } finally {
        await handle.close();
    }
}

/** Top-level columns whose subtree holds an INT64 leaf. */
function int64TopLevelColumns(schema: SchemaElement[]): string[] {
    const out: string[] = [];
    let i = 1;
    const walk = (): boolean => {
        const element = schema[i++];
        let found = element.type === "INT64";
        for (let c = 0; c < (element.num_children ?? 0); c++) found = walk() || found;
        return found;
    };
    while (i < schema.length) {
        const name = schema[i].name;
        if (walk()) out.push(name);
    }
    return out;
}

function numberifyBigInts(value: unknown): unknown {
    if (typeof value === "bigint")
        return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
    if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) value[i] = numberifyBigInts(value[i]);
        return value;
    }
    if (value != null && typeof value === "object" && !(value instanceof Uint8Array) && !(value instanceof Date)) {
        const record = value as Record<string, unknown>;
        for (const key of Object.keys(record)) record[key] = numberifyBigInts(record[key]);
    }
    return value;
}

// ---- writing ---------------------------------------------------------------------------------

/**
 * The type of one parquet column in a small schema language: a scalar, a list of a type, or a
 * struct of named fields (field order is kept). Every level is nullable, as pyarrow writes it.
 */
export type ParquetField =
    | "string" | "int32" | "int64" | "double" | "boolean" | "json"
    | {list: ParquetField}
    | {struct: Record<string, ParquetField>};

/** A parquet schema: column name → type, in column order. */
export type ParquetSchema = Record<string, ParquetField>;

/** Compression codecs rmr1 can write. zstd needs Node 22's zlib and is not offered on Node 20. */
export type ParquetWriteCodec = "SNAPPY" | "GZIP" | "UNCOMPRESSED";

/** Options of `ParquetRowWriter`. */
export interface ParquetWriteOptions {
    /** Column types. Defaults to a schema inferred from the first row group (see `inferParquetSchema`). */
    schema?: ParquetSchema;
    /** Page compression. Defaults to `"SNAPPY"`. */
    codec?: ParquetWriteCodec;
    /** Rows per row group; bounds the writer's memory. Defaults to `1000`. */
    rowGroupSize?: number;
}

// hyparquet-writer bundles its own hyparquet; its SchemaElement type is the one it accepts.
type WriterSchema = ConstructorParameters<typeof ParquetWriter>[0]["schema"];
type WriterElement = WriterSchema[number];

/** Translate a `ParquetSchema` into the flat, depth-first `SchemaElement` list parquet stores. */
export function parquetSchemaElements(schema: ParquetSchema): WriterSchema {
    const names = Object.keys(schema);
    if (names.length === 0) throw new InvalidInput("a parquet schema needs at least one column", {field: "schema"});
    const out: WriterElement[] = [{name: "schema", num_children: names.length}];
    for (const name of names) pushField(out, name, schema[name], name);
    return out;
}

function pushField(out: WriterElement[], name: string, field: ParquetField, path: string): void {
    if (typeof field === "string") {
        switch (field) {
            case "string": out.push({name, type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: {type: "STRING"}, repetition_type: "OPTIONAL"}); return;
            case "json": out.push({name, type: "BYTE_ARRAY", converted_type: "JSON", logical_type: {type: "JSON"}, repetition_type: "OPTIONAL"}); return;
            case "int32": out.push({name, type: "INT32", repetition_type: "OPTIONAL"}); return;
            case "int64": out.push({name, type: "INT64", repetition_type: "OPTIONAL"}); return;
            case "double": out.push({name, type: "DOUBLE", repetition_type: "OPTIONAL"}); return;
            case "boolean": out.push({name, type: "BOOLEAN", repetition_type: "OPTIONAL"}); return;
        }
    } else if ("list" in field) {
        out.push({name, repetition_type: "OPTIONAL", converted_type: "LIST", logical_type: {type: "LIST"}, num_children: 1});
        out.push({name: "list", repetition_type: "REPEATED", num_children: 1});
        pushField(out, "element", field.list, `${path}[]`);
        return;
    } else if ("struct" in field) {
        const children = Object.keys(field.struct);
        if (children.length === 0) throw new InvalidInput(`struct '${path}' has no fields`, {field: path});
        out.push({name, repetition_type: "OPTIONAL", num_children: children.length});
        for (const child of children) pushField(out, child, field.struct[child], `${path}.${child}`);
        return;
    }
    throw new InvalidInput(`unknown parquet type ${JSON.stringify(field)} for '${path}'`, {field: path});
}

/**
 * Infer a schema from sample rows: strings, integers (int64), other numbers (double), booleans,
 * arrays (lists of the merged element type) and objects (structs of the union of their keys).
 * Values whose types conflict become a `json` column. Columns that are always null are strings.
 */
export function inferParquetSchema(rows: Iterable<Record<string, unknown>>): ParquetSchema {
    const fields = new Map<string, Inferred>();
    for (const row of rows) {
        for (const [key, value] of Object.entries(row)) fields.set(key, mergeTypes(fields.get(key) ?? null, typeOf(value)));
    }
    const schema: ParquetSchema = {};
    for (const [key, type] of fields) schema[key] = finish(type);
    return schema;
}

/** A type under inference: `null` where only nulls (or empty lists) have been seen so far. */
type Inferred = null | Exclude<ParquetField, {list: unknown} | {struct: unknown}> | {list: Inferred} | {struct: Record<string, Inferred>};

function typeOf(value: unknown): Inferred {
    if (value == null) return null;
    if (typeof value === "string") return "string";
    if (typeof value === "boolean") return "boolean";
    if (typeof value === "bigint") return "int64";
    if (typeof value === "number") return Number.isInteger(value) ? "int64" : "double";
    if (Array.isArray(value)) {
        let element: Inferred = null;
        for (const item of value) element = mergeTypes(element, typeOf(item));
        return {list: element};
    }
    if (typeof value === "object") {
        const struct: Record<string, Inferred> = {};
        for (const [k, v] of Object.entries(value)) struct[k] = typeOf(v);
        return {struct};
    }
    return "json";
}

function mergeTypes(a: Inferred, b: Inferred): Inferred {
    if (a == null) return b;
    if (b == null) return a;
    if (typeof a === "string" || typeof b === "string") {
        if (a === b) return a;
        if ((a === "int64" && b === "double") || (a === "double" && b === "int64")) return "double";
        return "json";
    }
    if ("list" in a && "list" in b) return {list: mergeTypes(a.list, b.list)};
    if ("struct" in a && "struct" in b) {
        const struct: Record<string, Inferred> = {...a.struct};
        for (const [k, t] of Object.entries(b.struct)) struct[k] = mergeTypes(struct[k] ?? null, t);
        return {struct};
    }
    return "json";
}

function finish(type: Inferred): ParquetField {
    if (type == null) return "string";
    if (typeof type === "string") return type;
    if ("list" in type) return {list: finish(type.list)};
    const struct: Record<string, ParquetField> = {};
    for (const [k, t] of Object.entries(type.struct)) struct[k] = finish(t);
    return Object.keys(struct).length === 0 ? "json" : {struct};
}

/** Convert one JS value to what hyparquet-writer expects for `field` (bigint for INT64, ...). */
function toParquetValue(value: unknown, field: ParquetField, path: string, location: string): unknown {
    if (value == null) return null;
    const bad = (expected: string): never => {
        throw new InvalidInput(`field '${path}' should be ${expected}, got ${describe(value)}`, {location, field: path});
    };
    if (typeof field === "string") {
        switch (field) {
            case "string": return typeof value === "string" ? value : bad("a string");
            case "json": return value;
            case "boolean": return typeof value === "boolean" ? value : bad("a boolean");
            case "double": return typeof value === "number" ? value : typeof value === "bigint" ? Number(value) : bad("a number");
            case "int32":
                if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) < 2 ** 31) return value;
                return bad("a 32-bit integer");
            case "int64":
                if (typeof value === "bigint") return value;
                if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
                return bad("an integer");
        }
    }
    if ("list" in field) {
        if (!Array.isArray(value)) return bad("a list");
        return value.map((item, i) => toParquetValue(item, field.list, `${path}[${i}]`, location));
    }
    if (typeof value !== "object" || Array.isArray(value)) return bad("an object");
    const out: Record<string, unknown> = {};
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
        if (!(key in field.struct)) throw new InvalidInput(`field '${path}.${key}' is not in the parquet schema (fields: ${Object.keys(field.struct).join(", ")})`, {location, field: `${path}.${key}`});
    }
    for (const [key, type] of Object.entries(field.struct)) out[key] = toParquetValue(record[key], type, `${path}.${key}`, location);
    return out;
}

function describe(value: unknown): string {
    if (Array.isArray(value)) return "a list";
    if (value === null) return "null";
    const s = JSON.stringify(value);
    return `${typeof value} ${s != null && s.length > 40 ? s.slice(0, 40) + "…" : s}`;
}

/** A hyparquet-writer `Writer` that appends to a file descriptor after each row group. */
class FdWriter extends ByteWriter {
    private readonly fd: number;

    constructor(fd: number) {
        super(1 << 20);
        this.fd = fd;
    }

    flush(): void {
        if (this.index > 0) writeSync(this.fd, new Uint8Array(this.buffer, 0, this.index));
        this.index = 0;
    }

    override finish(): void {
        this.flush();
    }
}

/**
 * Writes rows to a parquet file one row group at a time. The file appears under its name only when
 * `close()` succeeds (written as `<file>.tmp-<pid>` and renamed), so a crash never leaves a
 * truncated parquet file that looks complete.
 */
export class ParquetRowWriter {
    readonly file: string;
    private readonly tmp: string;
    private readonly fd: number;
    private readonly rowGroupSize: number;
    private readonly codec: ParquetWriteCodec;
    private schema?: ParquetSchema;
    private writer?: ParquetWriter;
    private readonly out: FdWriter;
    private pending: Record<string, unknown>[] = [];
    private rows = 0;
    private closed = false;

    constructor(file: string, options: ParquetWriteOptions = {}) {
        this.file = file;
        this.tmp = `${file}.tmp-${process.pid}`;
        this.schema = options.schema;
        this.codec = options.codec ?? "SNAPPY";
        this.rowGroupSize = options.rowGroupSize ?? 1000;
        this.fd = openSync(this.tmp, "w");
        this.out = new FdWriter(this.fd);
    }

    /** Number of rows written so far. */
    get count(): number {
        return this.rows + this.pending.length;
    }

    write(row: Record<string, unknown>): void {
        if (this.closed) throw new Error(`ParquetRowWriter for ${this.file} is closed`);
        this.pending.push(row);
        if (this.pending.length >= this.rowGroupSize) this.flushGroup();
    }

    private flushGroup(): void {
        if (this.pending.length === 0) return;
        const schema = this.schema ??= inferParquetSchema(this.pending);
        this.writer ??= new ParquetWriter({
            writer: this.out,
            schema: parquetSchemaElements(schema),
            codec: this.codec,
            compressors: {GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input))},
            statistics: false
        });
        const columns = Object.keys(schema);
        const columnData = columns.map(name => ({name, data: new Array<unknown>(this.pending.length)}));
        for (let r = 0; r < this.pending.length; r++) {
            const row = this.pending[r];
            const location = `${this.file} row ${this.rows + r}`;
            for (const key of Object.keys(row)) {
                if (!(key in schema)) throw new InvalidInput(`field '${key}' is not in the parquet schema (columns: ${columns.join(", ")})`, {location, field: key});
            }
            for (let c = 0; c < columns.length; c++) columnData[c].data[r] = toParquetValue(row[columns[c]], schema[columns[c]], columns[c], location);
        }
        this.writer.write({columnData, rowGroupSize: this.pending.length});
        this.rows += this.pending.length;
        this.pending = [];
    }

    /** Write the remaining rows and the footer, then move the file into place. */
    close(): void {
        if (this.closed) return;
        try {
            this.flushGroup();
            if (this.writer == null) {
                // No rows: still a valid file, with the given schema or a placeholder column.
                this.writer = new ParquetWriter({writer: this.out, schema: parquetSchemaElements(this.schema ?? {value: "string"}), codec: this.codec});
            }
            this.writer.finish();
            closeSync(this.fd);
            this.closed = true;
            renameSync(this.tmp, this.file);
        } catch (e) {
            this.abort();
            throw e;
        }
    }

    /** Give up: remove the temporary file; the target is left untouched. */
    abort(): void {
        if (!this.closed) {
            try {
                closeSync(this.fd);
            } catch {
                // already closed
            }
        }
        this.closed = true;
        rmSync(this.tmp, {force: true});
    }
}

/** Write rows to a parquet file (see `ParquetRowWriter`). */
export async function writeParquet(file: string, rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>, options: ParquetWriteOptions = {}): Promise<number> {
    return writeAllRows(new ParquetRowWriter(file, options), rows);
}
