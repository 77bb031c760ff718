// A GGUF v3 writer: typed metadata key/values, tensor infos, aligned tensor data. Structure only;
// what a `llama` model needs is decided in exportGguf.ts. See ggufFormat.ts for the layout.
import {InvalidInput} from "../../errors.js";
import {assertLittleEndianHost} from "./safetensors.js";
import {GgufValueType, ggmlMaxDims, ggmlMaxNameBytes, ggmlTypeInfo, ggufDefaultAlignment, ggufMagic, ggufScalarBytes} from "./ggufFormat.js";

/** A metadata value: a scalar, or an array of one scalar type (or of strings). */
export type GgufValue = number | bigint | boolean | string | GgufArray;
export interface GgufArray {
    elementType: GgufValueType;
    values: readonly (number | bigint | boolean | string)[];
}

interface Kv {
    key: string;
    type: GgufValueType;
    value: GgufValue;
}

interface TensorEntry {
    name: string;
    ne: number[];
    type: number;
    data: Uint8Array;
}

/** Expected byte size of a tensor with ggml dims `ne` and type `type`. */
export function ggmlTensorBytes(ne: readonly number[], type: number): number {
    const info = ggmlTypeInfo[type];
    if (info == null) throw new InvalidInput(`unknown ggml type ${type}`);
    const [, blockSize, blockBytes] = info;
    const elements = ne.reduce((a, b) => a * b, 1);
    return (elements / blockSize) * blockBytes;
}

export class GgufWriter {
    private readonly kvs: Kv[] = [];
    private readonly tensors: TensorEntry[] = [];
    /** Data alignment in bytes; written as `general.alignment` when not the default. */
    readonly alignment: number;

    constructor(options: {alignment?: number} = {}) {
        this.alignment = options.alignment ?? ggufDefaultAlignment;
        if (!Number.isInteger(this.alignment) || this.alignment <= 0 || (this.alignment & (this.alignment - 1)) !== 0)
            throw new InvalidInput(`GGUF alignment must be a power of two, got ${this.alignment}`);
        if (this.alignment !== ggufDefaultAlignment) this.add("general.alignment", GgufValueType.UINT32, this.alignment);
    }

    /** Add a metadata key with an explicit value type. Keys must be unique. */
    add(key: string, type: GgufValueType, value: GgufValue): this {
        if (this.kvs.some((kv) => kv.key === key)) throw new InvalidInput(`duplicate GGUF metadata key '${key}'`, {field: key});
        if ((type === GgufValueType.ARRAY) !== (typeof value === "object"))
            throw new InvalidInput(`GGUF key '${key}': ARRAY type needs an {elementType, values} value and only it`, {field: key});
        this.kvs.push({key, type, value});
        return this;
    }

    addString(key: string, value: string): this {
        return this.add(key, GgufValueType.STRING, value);
    }

    addUint32(key: string, value: number): this {
        return this.add(key, GgufValueType.UINT32, value);
    }

    addFloat32(key: string, value: number): this {
        return this.add(key, GgufValueType.FLOAT32, value);
    }

    addBool(key: string, value: boolean): this {
        return this.add(key, GgufValueType.BOOL, value);
    }

    addArray(key: string, elementType: GgufValueType, values: readonly (number | bigint | boolean | string)[]): this {
        return this.add(key, GgufValueType.ARRAY, {elementType, values});
    }

    /**
     * Add a tensor. `ne` is in ggml order (ne[0] is the contiguous, innermost dimension: for a
     * row-major `[out, in]` matrix, `ne = [in, out]`); `data` holds its bytes in type `type`.
     */
    addTensor(name: string, ne: readonly number[], type: number, data: Uint8Array): this {
        if (Buffer.byteLength(name) > ggmlMaxNameBytes) throw new InvalidInput(`GGUF tensor name '${name}' is longer than ${ggmlMaxNameBytes} bytes`, {field: name});
        if (this.tensors.some((t) => t.name === name)) throw new InvalidInput(`duplicate GGUF tensor '${name}'`, {field: name});
        if (ne.length < 1 || ne.length > ggmlMaxDims || ne.some((d) => !Number.isInteger(d) || d < 1))
            throw new InvalidInput(`GGUF tensor '${name}': dims ${JSON.stringify(ne)} must be 1–${ggmlMaxDims} positive integers`, {field: name});
        if (ggmlTypeInfo[type] == null) throw new InvalidInput(`GGUF tensor '${name}': unknown ggml type ${type}`, {field: name});
        const blockSize = ggmlTypeInfo[type][1];
        if (ne[0] % blockSize !== 0)
            throw new InvalidInput(`GGUF tensor '${name}': first dim ${ne[0]} is not a multiple of the ${ggmlTypeInfo[type][0]} block size ${blockSize}`, {field: name});
        const expected = ggmlTensorBytes(ne, type);
        if (data.byteLength !== expected)
            throw new InvalidInput(`GGUF tensor '${name}': ${data.byteLength} bytes of data but dims ${JSON.stringify(ne)} of type ${ggmlTypeInfo[type][0]} need ${expected}`, {field: name});
        this.tensors.push({name, ne: [...ne], type, data});
        return this;
    }

    /** The file as a list of buffers (write them in order). */
    encode(): Uint8Array[] {
        assertLittleEndianHost();
        const out = new ByteSink();
        out.u32(ggufMagic);
        out.u32(3);
        out.u64(BigInt(this.tensors.length));
        out.u64(BigInt(this.kvs.length));
        for (const kv of this.kvs) {
            out.string(kv.key);
            out.u32(kv.type);
            writeValue(out, kv.key, kv.type, kv.value);
        }
        let offset = 0;
        const offsets: number[] = [];
        for (const t of this.tensors) {
            offsets.push(offset);
            out.string(t.name);
            out.u32(t.ne.length);
            for (const d of t.ne) out.u64(BigInt(d));
            out.u32(t.type);
            out.u64(BigInt(offset));
            offset = alignUp(offset + t.data.byteLength, this.alignment);
        }
        out.pad(this.alignment);
        const chunks: Uint8Array[] = [out.toBuffer()];
        let written = 0;
        this.tensors.forEach((t, i) => {
            if (offsets[i] > written) chunks.push(new Uint8Array(offsets[i] - written));
            chunks.push(t.data);
            written = offsets[i] + t.data.byteLength;
        });
        return chunks;
    }
}

function alignUp(n: number, alignment: number): number {
    return Math.ceil(n / alignment) * alignment;
}

function writeValue(out: ByteSink, key: string, type: number, value: GgufValue): void {
    const bad = (): never => {
        throw new InvalidInput(`GGUF key '${key}': value ${JSON.stringify(value, (_k, v) => typeof v === "bigint" ? String(v) : v)} does not fit type ${type}`, {field: key});
    };
    if (type === GgufValueType.ARRAY) {
        const arr = value as GgufArray;
        if (arr.elementType === GgufValueType.ARRAY) bad();
        out.u32(arr.elementType);
        out.u64(BigInt(arr.values.length));
        for (const v of arr.values) writeValue(out, key, arr.elementType, v);
        return;
    }
    if (type === GgufValueType.STRING) {
        if (typeof value !== "string") bad();
        out.string(value as string);
        return;
    }
    if (type === GgufValueType.BOOL) {
        if (typeof value !== "boolean") bad();
        out.u8(value ? 1 : 0);
        return;
    }
    if (ggufScalarBytes[type] == null) bad();
    const buf = Buffer.alloc(ggufScalarBytes[type]);
    if (type === GgufValueType.UINT64 || type === GgufValueType.INT64) {
        if (typeof value !== "bigint" && !(typeof value === "number" && Number.isSafeInteger(value))) bad();
        const big = BigInt(value as number | bigint);
        if (type === GgufValueType.UINT64) buf.writeBigUInt64LE(big); else buf.writeBigInt64LE(big);
    } else {
        if (typeof value !== "number") bad();
        const v = value as number;
        try {
            switch (type) {
                case GgufValueType.UINT8: buf.writeUInt8(v); break;
                case GgufValueType.INT8: buf.writeInt8(v); break;
                case GgufValueType.UINT16: buf.writeUInt16LE(v); break;
                case GgufValueType.INT16: buf.writeInt16LE(v); break;
                case GgufValueType.UINT32: buf.writeUInt32LE(v); break;
                case GgufValueType.INT32: buf.writeInt32LE(v); break;
                case GgufValueType.FLOAT32: buf.writeFloatLE(v); break;
                case GgufValueType.FLOAT64: buf.writeDoubleLE(v); break;
            }
        } catch {
            bad();
        }
    }
    out.bytes(buf);
}

/** A growable little-endian byte buffer for the header. */
class ByteSink {
    private buf = Buffer.alloc(1 << 16);
    private len = 0;

    private reserve(n: number): void {
        if (this.len + n <= this.buf.length) return;
        const next = Buffer.alloc(Math.max(this.buf.length * 2, this.len + n));
        this.buf.copy(next, 0, 0, this.len);
        this.buf = next;
    }

    u8(v: number): void {
        this.reserve(1);
        this.buf.writeUInt8(v, this.len);
        this.len += 1;
    }

    u32(v: number): void {
        this.reserve(4);
        this.buf.writeUInt32LE(v, this.len);
        this.len += 4;
    }

    u64(v: bigint): void {
        this.reserve(8);
        this.buf.writeBigUInt64LE(v, this.len);
        this.len += 8;
    }

    bytes(b: Uint8Array): void {
        this.reserve(b.byteLength);
        this.buf.set(b, this.len);
        this.len += b.byteLength;
    }

    string(s: string): void {
        const b = Buffer.from(s, "utf8");
        this.u64(BigInt(b.length));
        this.bytes(b);
    }

    pad(alignment: number): void {
        const n = (alignment - (this.len % alignment)) % alignment;
        this.reserve(n);
        this.buf.fill(0, this.len, this.len + n);
        this.len += n;
    }

    toBuffer(): Buffer {
        return this.buf.subarray(0, this.len);
    }
}
