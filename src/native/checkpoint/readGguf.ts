// A validating GGUF reader. It parses the header of any GGUF v2/v3 file (metadata and tensor infos,
// never the tensor data unless asked) and rejects everything llama.cpp would choke on, with an
// `InvalidInput` naming the field, before the file reaches native code: truncation, absurd counts
// and lengths, unknown value or tensor types, bad dims, misplaced or out-of-file tensor data.
// Memory use is bounded by the file size: no count read from the file is trusted to allocate.
import {closeSync, fstatSync, openSync, readSync} from "node:fs";
import {InvalidInput, NotFound} from "../../errors.js";
import {assertLittleEndianHost} from "./safetensors.js";
import {fromF16Array} from "./float16.js";
import {GgmlType, GgufValueType, ggmlMaxDims, ggmlMaxNameBytes, ggmlTypeInfo, ggufDefaultAlignment, ggufMagic, ggufScalarBytes} from "./ggufFormat.js";

/** A metadata value as read: numbers (u64/i64 as bigint only when beyond 2^53), strings, booleans, arrays. */
export type GgufMetadataValue = number | bigint | boolean | string | (number | bigint | boolean | string)[];

/** One tensor of a GGUF file. */
export interface GgufTensorInfo {
    name: string;
    /** Dims in ggml order (ne[0] contiguous). */
    ne: number[];
    /** ggml type id (see `ggmlTypeInfo`). */
    type: number;
    typeName: string;
    /** Byte offset relative to the start of the data section. */
    offset: number;
    /** Size of the tensor data in bytes. */
    bytes: number;
}

/** The validated header of a GGUF file. */
export interface GgufInfo {
    file: string;
    version: number;
    fileSize: number;
    /** Metadata by key, in file order. */
    metadata: Map<string, GgufMetadataValue>;
    /** The value type each metadata key was stored with (arrays: `ARRAY`). */
    metadataTypes: Map<string, GgufValueType>;
    /** For array-valued keys, the element type. */
    arrayElementTypes: Map<string, GgufValueType>;
    tensors: GgufTensorInfo[];
    alignment: number;
    /** Absolute file offset of the data section. */
    dataOffset: number;
}

const maxTensors = 1_000_000;
const maxKvs = 1_000_000;
const windowBytes = 1 << 20;

/** Sequential reader over a file descriptor through a bounded window; every read is bounds-checked. */
class Cursor {
    pos = 0;
    private buf = Buffer.alloc(0);
    private bufStart = 0;

    constructor(private readonly fd: number, readonly size: number, private readonly file: string) {}

    fail(message: string): never {
        throw new InvalidInput(`not a valid GGUF file: ${message}`, {location: this.file});
    }

    remaining(): number {
        return this.size - this.pos;
    }

    private take(n: number, what: string): Buffer {
        if (n > this.remaining()) this.fail(`truncated while reading ${what} at byte ${this.pos} (needs ${n} bytes, file has ${this.remaining()} left)`);
        if (this.pos < this.bufStart || this.pos + n > this.bufStart + this.buf.length) {
            const len = Math.min(Math.max(n, windowBytes), this.size - this.pos);
            const next = Buffer.alloc(len);
            let got = 0;
            while (got < len) {
                const r = readSync(this.fd, next, got, len - got, this.pos + got);
                if (r === 0) this.fail(`unexpected end of file at byte ${this.pos + got}`);
                got += r;
            }
            this.buf = next;
            this.bufStart = this.pos;
        }
        const start = this.pos - this.bufStart;
        this.pos += n;
        return this.buf.subarray(start, start + n);
    }

    u8(what: string): number {
        return this.take(1, what).readUInt8(0);
    }

    u32(what: string): number {
        return this.take(4, what).readUInt32LE(0);
    }

    u64(what: string): bigint {
        return this.take(8, what).readBigUInt64LE(0);
    }

    /** A u64 that must be a safe JS integer no larger than `max`. */
    count(what: string, max: number): number {
        const v = this.u64(what);
        if (v > BigInt(max)) this.fail(`${what} is ${v}, more than the ${max} the file can hold`);
        return Number(v);
    }

    string(what: string): string {
        const len = this.count(`${what} length`, this.remaining());
        return this.take(len, what).toString("utf8");
    }

    scalar(type: number, what: string): number | bigint | boolean {
        const b = this.take(ggufScalarBytes[type], what);
        switch (type) {
            case GgufValueType.UINT8: return b.readUInt8(0);
            case GgufValueType.INT8: return b.readInt8(0);
            case GgufValueType.UINT16: return b.readUInt16LE(0);
            case GgufValueType.INT16: return b.readInt16LE(0);
            case GgufValueType.UINT32: return b.readUInt32LE(0);
            case GgufValueType.INT32: return b.readInt32LE(0);
            case GgufValueType.FLOAT32: return b.readFloatLE(0);
            case GgufValueType.FLOAT64: return b.readDoubleLE(0);
            case GgufValueType.BOOL: return b.readUInt8(0) !== 0;
            case GgufValueType.UINT64: return narrow(b.readBigUInt64LE(0));
            case GgufValueType.INT64: return narrow(b.readBigInt64LE(0));
        }
        return this.fail(`unknown value type ${type} in ${what}`);
    }
}

function narrow(v: bigint): number | bigint {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function isValueType(t: number): t is GgufValueType {
    return Number.isInteger(t) && t >= 0 && t <= 12;
}

/**
 * Read and validate the header of the GGUF file `file`. Throws `NotFound` when it cannot be
 * opened and `InvalidInput` (location = the file) describing the first problem found.
 */
export function readGguf(file: string): GgufInfo {
    assertLittleEndianHost();
    let fd: number;
    try {
        fd = openSync(file, "r");
    } catch (err) {
        throw new NotFound(`cannot open GGUF file ${file}: ${(err as Error).message}`, {cause: err});
    }
    try {
        return parse(new Cursor(fd, fstatSync(fd).size, file), file);
    } finally {
        closeSync(fd);
    }
}

function parse(c: Cursor, file: string): GgufInfo {
    if (c.size < 24) c.fail(`file is ${c.size} bytes, too short for a GGUF header`);
    const magic = c.u32("magic");
    if (magic !== ggufMagic) c.fail(`magic is 0x${magic.toString(16).padStart(8, "0")}, expected "GGUF" (is this a GGUF model file?)`);
    const version = c.u32("version");
    if (version !== 2 && version !== 3) c.fail(`GGUF version ${version} is not supported (expected 2 or 3)`);
    // Each tensor info needs at least 33 bytes and each key/value 14, which bounds the counts.
    const nTensors = c.count("tensor count", Math.min(maxTensors, Math.floor(c.size / 33)));
    const nKv = c.count("metadata count", Math.min(maxKvs, Math.floor(c.size / 14)));

    const metadata = new Map<string, GgufMetadataValue>();
    const metadataTypes = new Map<string, GgufValueType>();
    const arrayElementTypes = new Map<string, GgufValueType>();
    for (let i = 0; i < nKv; i++) {
        const key = c.string(`metadata key ${i}`);
        if (key.length === 0) c.fail(`metadata key ${i} is empty`);
        if (metadata.has(key)) c.fail(`duplicate metadata key '${key}'`);
        const type = c.u32(`type of '${key}'`);
        if (!isValueType(type)) c.fail(`metadata '${key}' has unknown value type ${type}`);
        metadataTypes.set(key, type);
        if (type === GgufValueType.ARRAY) {
            const elementType = c.u32(`element type of '${key}'`);
            if (!isValueType(elementType) || elementType === GgufValueType.ARRAY)
                c.fail(`metadata '${key}' is an array of unsupported element type ${elementType}`);
            arrayElementTypes.set(key, elementType);
            const minBytes = elementType === GgufValueType.STRING ? 8 : ggufScalarBytes[elementType];
            const n = c.count(`length of '${key}'`, Math.floor(c.remaining() / minBytes));
            const values: (number | bigint | boolean | string)[] = new Array(n);
            for (let j = 0; j < n; j++)
                values[j] = elementType === GgufValueType.STRING ? c.string(`'${key}'[${j}]`) : c.scalar(elementType, `'${key}'[${j}]`);
            metadata.set(key, values);
        } else {
            metadata.set(key, type === GgufValueType.STRING ? c.string(`'${key}'`) : c.scalar(type, `'${key}'`));
        }
    }

    let alignment = ggufDefaultAlignment;
    if (metadata.has("general.alignment")) {
        const a = metadata.get("general.alignment");
        if (metadataTypes.get("general.alignment") !== GgufValueType.UINT32 || typeof a !== "number" || a <= 0 || (a & (a - 1)) !== 0)
            c.fail(`general.alignment must be a UINT32 power of two, got ${String(a)}`);
        alignment = a as number;
    }

    const tensors: GgufTensorInfo[] = [];
    const names = new Set<string>();
    let expectedOffset = 0;
    for (let i = 0; i < nTensors; i++) {
        const name = c.string(`tensor ${i} name`);
        const where = `tensor ${i} ('${name}')`;
        if (Buffer.byteLength(name) > ggmlMaxNameBytes) c.fail(`${where}: name longer than ${ggmlMaxNameBytes} bytes`);
        if (names.has(name)) c.fail(`duplicate tensor name '${name}'`);
        names.add(name);
        const nDims = c.u32(`${where} dim count`);
        if (nDims < 1 || nDims > ggmlMaxDims) c.fail(`${where} has ${nDims} dims; ggml supports 1–${ggmlMaxDims}`);
        const ne: number[] = [];
        for (let d = 0; d < nDims; d++) {
            const v = c.u64(`${where} dim ${d}`);
            if (v < 1n || v > BigInt(Number.MAX_SAFE_INTEGER)) c.fail(`${where} has dims [${[...ne, v].join(", ")}${d + 1 < nDims ? ", ..." : ""}]; every dim must be ≥ 1`);
            ne.push(Number(v));
        }
        const type = c.u32(`${where} type`);
        const info = ggmlTypeInfo[type];
        if (info == null) c.fail(`${where} has unknown or retired ggml type ${type}`);
        const [typeName, blockSize, blockBytes] = info;
        if (ne[0] % blockSize !== 0) c.fail(`${where}: first dim ${ne[0]} is not a multiple of the ${typeName} block size ${blockSize}`);
        // Hostile dims can overflow to a huge or infinite size; either fails the bound below.
        const bytes = (ne.reduce((a, b) => a * b, 1) / blockSize) * blockBytes;
        if (expectedOffset + bytes > c.size)
            c.fail(`${where}: dims [${ne.join(", ")}] of ${typeName} need ${bytes} bytes of data at offset ${expectedOffset}, more than the ${c.size}-byte file holds (truncated download?)`);
        const offset = c.u64(`${where} offset`);
        // llama.cpp requires tensors laid out in order, each at the aligned end of the previous one.
        if (offset !== BigInt(expectedOffset)) c.fail(`${where} data offset is ${offset}, expected ${expectedOffset} (tensors must be stored in order, ${alignment}-byte aligned)`);
        tensors.push({name, ne, type, typeName, offset: expectedOffset, bytes});
        expectedOffset += Math.ceil(bytes / alignment) * alignment;
    }

    const dataOffset = Math.ceil(c.pos / alignment) * alignment;
    const last = tensors[tensors.length - 1];
    const dataEnd = dataOffset + (last == null ? 0 : last.offset + last.bytes);
    if (dataEnd > c.size)
        c.fail(`tensor data ends at byte ${dataEnd} but the file has ${c.size} bytes (truncated download?)`);
    return {file, version, fileSize: c.size, metadata, metadataTypes, arrayElementTypes, tensors, alignment, dataOffset};
}

/** Read an F32 or F16 tensor of a validated GGUF file as F32 (ggml order, ne[0] contiguous). */
export function readGgufTensor(info: GgufInfo, name: string): Float32Array {
    const t = info.tensors.find((x) => x.name === name);
    if (t == null) throw new InvalidInput(`no tensor '${name}'`, {location: info.file, field: name});
    if (t.type !== GgmlType.F32 && t.type !== GgmlType.F16)
        throw new InvalidInput(`tensor '${name}' is ${t.typeName}; only F32 and F16 tensors can be read back`, {location: info.file, field: name});
    const buf = new Uint8Array(t.bytes);
    const fd = openSync(info.file, "r");
    try {
        let got = 0;
        while (got < t.bytes) {
            const n = readSync(fd, buf, got, t.bytes - got, info.dataOffset + t.offset + got);
            if (n === 0) throw new InvalidInput(`tensor '${name}': unexpected end of file`, {location: info.file, field: name});
            got += n;
        }
    } finally {
        closeSync(fd);
    }
    return t.type === GgmlType.F32 ? new Float32Array(buf.buffer) : fromF16Array(new Uint16Array(buf.buffer));
}
