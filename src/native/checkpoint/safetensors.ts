// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
// header length N, N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__":
// {string: string}}`, then the tensor bytes, offsets relative to the end of the header. We write F32
// and read F32/F16/BF16 into Float32Array; every structural rule of the format is checked, and each
// error names the file and the tensor.
import {closeSync, fstatSync, openSync, readSync} from "node:fs";
import {endianness} from "node:os";
import {ConfigError, InvalidInput, NotFound} from "../../errors.js";
import {fromBf16Array, fromF16Array} from "./float16.js";

/** Tensor dtypes rmr1 reads (converted to F32 in memory). */
export type SafetensorsDtype = "F32" | "F16" | "BF16";

const dtypeBytes: Record<string, number> = {
    BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2,
    I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8
};

/** Headers larger than this are refused (the reference implementation's limit). */
const maxHeaderBytes = 100_000_000;

/** One tensor entry of a safetensors header. */
export interface SafetensorsEntry {
    name: string;
    dtype: string;
    shape: number[];
    /** Byte offsets `[begin, end)` relative to the start of the data section. */
    dataOffsets: [number, number];
}

/** A parsed and validated safetensors header. */
export interface SafetensorsHeader {
    /** Tensors in file order (by data offset). */
    tensors: SafetensorsEntry[];
    /** The `__metadata__` string map (empty when absent). */
    metadata: Record<string, string>;
    /** Absolute file offset of the data section (8 + header length). */
    dataStart: number;
}

/** A tensor read from a safetensors file. */
export interface LoadedTensor {
    /** Dtype as stored in the file. */
    dtype: SafetensorsDtype;
    shape: number[];
    data: Float32Array;
}

/** Tensors to write, in the order given; each is F32 with a row-major shape. */
export interface TensorToWrite {
    name: string;
    shape: number[];
    data: Float32Array;
}

export function assertLittleEndianHost(): void {
    if (endianness() !== "LE") throw new ConfigError("checkpoint files are little-endian; rmr1 reads and writes them only on little-endian hosts");
}

/**
 * Validate a safetensors header: JSON shape, known dtypes, sizes matching shapes, and offsets that
 * tile the data section exactly (no gap, no overlap, nothing past the end), as the reference
 * implementation requires.
 */
export function parseSafetensorsHeader(headerJson: string, dataBytes: number, source: string): Omit<SafetensorsHeader, "dataStart"> {
    let raw: unknown;
    try {
        raw = JSON.parse(headerJson);
    } catch (err) {
        throw new InvalidInput(`safetensors header is not valid JSON (${(err as Error).message})`, {location: source});
    }
    if (raw == null || typeof raw !== "object" || Array.isArray(raw))
        throw new InvalidInput("safetensors header must be a JSON object", {location: source});
    const tensors: SafetensorsEntry[] = [];
    let metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
        if (name === "__metadata__") {
            if (value == null || typeof value !== "object" || Array.isArray(value) ||
                Object.values(value).some((v) => typeof v !== "string"))
                throw new InvalidInput("safetensors '__metadata__' must be an object of strings", {location: source, field: "__metadata__"});
            metadata = value as Record<string, string>;
            continue;
        }
        const where = `tensor '${name}'`;
        if (value == null || typeof value !== "object" || Array.isArray(value))
            throw new InvalidInput(`${where}: header entry must be an object with dtype, shape, data_offsets`, {location: source, field: name});
        const entry = value as {dtype?: unknown, shape?: unknown, data_offsets?: unknown};
        if (typeof entry.dtype !== "string" || dtypeBytes[entry.dtype] == null)
            throw new InvalidInput(`${where}: unknown dtype ${JSON.stringify(entry.dtype)}`, {location: source, field: name});
        if (!Array.isArray(entry.shape) || entry.shape.some((d) => !Number.isSafeInteger(d) || d < 0))
            throw new InvalidInput(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(entry.shape)}`, {location: source, field: name});
        const offsets = entry.data_offsets;
        if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || o < 0) || offsets[0] > offsets[1])
            throw new InvalidInput(`${where}: data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`, {location: source, field: name});
        const shape = entry.shape as number[];
        const elements = shape.reduce((a, b) => a * b, 1);
        const expected = elements * dtypeBytes[entry.dtype];
        if (!Number.isSafeInteger(expected) || offsets[1] - offsets[0] !== expected)
            throw new InvalidInput(`${where}: ${entry.dtype} ${JSON.stringify(shape)} needs ${expected} bytes but data_offsets span ${offsets[1] - offsets[0]}`, {location: source, field: name});
        tensors.push({name, dtype: entry.dtype, shape, dataOffsets: [offsets[0], offsets[1]]});
    }
    tensors.sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
    let end = 0;
    for (const t of tensors) {
        if (t.dataOffsets[0] !== end)
            throw new InvalidInput(`tensor '${t.name}': data starts at byte ${t.dataOffsets[0]} but the previous tensor ends at ${end} (tensors must tile the data section without gaps or overlaps)`, {location: source, field: t.name});
        end = t.dataOffsets[1];
    }
    if (end !== dataBytes)
        throw new InvalidInput(`tensors cover ${end} bytes but the data section has ${dataBytes} (file truncated or padded)`, {location: source});
    return {tensors, metadata};
}

/** An open safetensors file: its validated header, and tensors read on demand. */
export class SafetensorsFile {
    readonly file: string;
    readonly header: SafetensorsHeader;
    private fd: number | null;

    private constructor(file: string, fd: number, header: SafetensorsHeader) {
        this.file = file;
        this.fd = fd;
        this.header = header;
    }

    /** Open and validate `file`. Throws `NotFound` when it does not exist, `InvalidInput` when it is malformed. */
    static open(file: string): SafetensorsFile {
        assertLittleEndianHost();
        let fd: number;
        try {
            fd = openSync(file, "r");
        } catch (err) {
            throw new NotFound(`cannot open ${file}: ${(err as Error).message}`, {cause: err});
        }
        try {
            const size = fstatSync(fd).size;
            if (size < 8) throw new InvalidInput(`file is ${size} bytes, too short for a safetensors header`, {location: file});
            const lenBuf = Buffer.alloc(8);
            readSync(fd, lenBuf, 0, 8, 0);
            const headerLen = lenBuf.readBigUInt64LE(0);
            if (headerLen > BigInt(Math.min(maxHeaderBytes, size - 8)))
                throw new InvalidInput(`header length ${headerLen} exceeds the file (${size} bytes) or the 100 MB limit: not a safetensors file`, {location: file});
            const n = Number(headerLen);
            const headerBuf = Buffer.alloc(n);
            readSync(fd, headerBuf, 0, n, 8);
            const parsed = parseSafetensorsHeader(headerBuf.toString("utf8"), size - 8 - n, file);
            return new SafetensorsFile(file, fd, {...parsed, dataStart: 8 + n});
        } catch (err) {
            closeSync(fd);
            throw err;
        }
    }

    /** Tensor names in file order. */
    get names(): string[] {
        return this.header.tensors.map((t) => t.name);
    }

    entry(name: string): SafetensorsEntry | undefined {
        return this.header.tensors.find((t) => t.name === name);
    }

    /** Read one tensor as F32. Throws `InvalidInput` for dtypes other than F32/F16/BF16. */
    read(name: string): LoadedTensor {
        if (this.fd == null) throw new Error("SafetensorsFile is closed");
        const entry = this.entry(name);
        if (entry == null) throw new InvalidInput(`no tensor '${name}'`, {location: this.file, field: name});
        const bytes = entry.dataOffsets[1] - entry.dataOffsets[0];
        const buf = new Uint8Array(bytes);
        let got = 0;
        while (got < bytes) {
            const n = readSync(this.fd, buf, got, bytes - got, this.header.dataStart + entry.dataOffsets[0] + got);
            if (n === 0) throw new InvalidInput(`tensor '${name}': unexpected end of file`, {location: this.file, field: name});
            got += n;
        }
        switch (entry.dtype) {
            case "F32": return {dtype: "F32", shape: entry.shape, data: new Float32Array(buf.buffer, 0, bytes / 4)};
            case "F16": return {dtype: "F16", shape: entry.shape, data: fromF16Array(new Uint16Array(buf.buffer, 0, bytes / 2))};
            case "BF16": return {dtype: "BF16", shape: entry.shape, data: fromBf16Array(new Uint16Array(buf.buffer, 0, bytes / 2))};
            default:
                throw new InvalidInput(`tensor '${name}' has dtype ${entry.dtype}; rmr1 reads F32, F16 and BF16 weights`, {location: this.file, field: name});
        }
    }

    close(): void {
        if (this.fd != null) closeSync(this.fd);
        this.fd = null;
    }
}

/**
 * Encode F32 tensors as a safetensors file. The header is padded with spaces to a multiple of 8
 * bytes so every tensor starts 8-aligned (zero-copy views for readers), and `__metadata__` carries
 * `format: "pt"`, which `transformers` requires to load the file.
 */
export function encodeSafetensors(tensors: TensorToWrite[], metadata: Record<string, string> = {}): Buffer[] {
    assertLittleEndianHost();
    const header: Record<string, unknown> = {__metadata__: {format: "pt", ...metadata}};
    const seen = new Set<string>();
    let offset = 0;
    for (const t of tensors) {
        if (seen.has(t.name)) throw new InvalidInput(`duplicate tensor name '${t.name}'`, {field: t.name});
        seen.add(t.name);
        const elements = t.shape.reduce((a, b) => a * b, 1);
        if (elements !== t.data.length)
            throw new InvalidInput(`tensor '${t.name}': shape ${JSON.stringify(t.shape)} has ${elements} elements but the data has ${t.data.length}`, {field: t.name});
        header[t.name] = {dtype: "F32", shape: t.shape, data_offsets: [offset, offset + t.data.byteLength]};
        offset += t.data.byteLength;
    }
    let json = JSON.stringify(header);
    json += " ".repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
    const jsonBuf = Buffer.from(json, "utf8");
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(jsonBuf.length));
    return [len, jsonBuf, ...tensors.map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))];
}
