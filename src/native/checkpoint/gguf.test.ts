import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {InvalidInput} from "../../errors.js";
import {Rng} from "../../protocol/rng.js";
import {randomParams, testConfig} from "../../../test/fixtures/checkpoint/randomModel.js";
import {encodeGgufModel} from "./exportGguf.js";
import {GgufValueType} from "./ggufFormat.js";
import {GgufWriter} from "./GgufWriter.js";
import {readGguf, readGgufTensor} from "./readGguf.js";
import {validateGgufModel} from "./validateGgufModel.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-gguf-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
let counter = 0;

function writeTemp(bytes: Uint8Array | Uint8Array[]): string {
    const file = join(dir, `f${counter++}.gguf`);
    writeFileSync(file, Array.isArray(bytes) ? Buffer.concat(bytes) : bytes);
    return file;
}

function f32(values: number[]): Uint8Array {
    return new Uint8Array(Float32Array.from(values).buffer);
}

/** A small valid file exercising every value type. */
function sampleWriter(): GgufWriter {
    const w = new GgufWriter();
    w.add("t.u8", GgufValueType.UINT8, 200).add("t.i8", GgufValueType.INT8, -100)
        .add("t.u16", GgufValueType.UINT16, 60000).add("t.i16", GgufValueType.INT16, -30000)
        .addUint32("t.u32", 4_000_000_000).add("t.i32", GgufValueType.INT32, -2_000_000_000)
        .addFloat32("t.f32", 0.5).addBool("t.bool", true).addString("t.str", "héllo")
        .add("t.u64", GgufValueType.UINT64, 2n ** 60n).add("t.i64", GgufValueType.INT64, -5)
        .add("t.f64", GgufValueType.FLOAT64, Math.PI)
        .addArray("t.strs", GgufValueType.STRING, ["a", "", "Ġ"]).addArray("t.ints", GgufValueType.INT32, [1, -2, 3])
        .addArray("t.empty", GgufValueType.STRING, []);
    w.addTensor("a", [3], 0, f32([1, 2, 3]));
    w.addTensor("b", [2, 2], 1, new Uint8Array(8));
    w.addTensor("c", [4, 2], 0, f32([1, 2, 3, 4, 5, 6, 7, 8]));
    w.addTensor("q8", [64, 3], 8, new Uint8Array(3 * 2 * 34));   // Q8_0: blocks of 32 values in 34 bytes
    return w;
}

function errorOf(fn: () => unknown): unknown {
    try {
        fn();
    } catch (e) {
        return e;
    }
    return undefined;
}

describe("GGUF writer and reader", () => {
    it("round-trips typed metadata, tensor infos and aligned data", () => {
        const file = writeTemp(sampleWriter().encode());
        const info = readGguf(file);
        expect(info.version).toBe(3);
        expect(info.alignment).toBe(32);
        expect(info.dataOffset % 32).toBe(0);
        expect(Object.fromEntries(info.metadata)).toEqual({
            "t.u8": 200, "t.i8": -100, "t.u16": 60000, "t.i16": -30000, "t.u32": 4_000_000_000, "t.i32": -2_000_000_000,
            "t.f32": 0.5, "t.bool": true, "t.str": "héllo", "t.u64": 2n ** 60n, "t.i64": -5, "t.f64": Math.PI,
            "t.strs": ["a", "", "Ġ"], "t.ints": [1, -2, 3], "t.empty": []
        });
        expect(info.metadataTypes.get("t.u64")).toBe(GgufValueType.UINT64);
        expect(info.arrayElementTypes.get("t.strs")).toBe(GgufValueType.STRING);
        expect(info.tensors.map((t) => [t.name, t.ne, t.typeName, t.offset, t.bytes])).toEqual([
            ["a", [3], "F32", 0, 12], ["b", [2, 2], "F16", 32, 8], ["c", [4, 2], "F32", 64, 32], ["q8", [64, 3], "Q8_0", 96, 204]
        ]);
        expect(readGgufTensor(info, "c")).toEqual(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
        expect(readGgufTensor(info, "b")).toEqual(new Float32Array(4));
    });

    it("honours a custom alignment", () => {
        const w = new GgufWriter({alignment: 64});
        w.addTensor("a", [3], 0, f32([1, 2, 3])).addTensor("b", [1], 0, f32([9]));
        const info = readGguf(writeTemp(w.encode()));
        expect(info.alignment).toBe(64);
        expect(info.tensors[1].offset).toBe(64);
        expect(readGgufTensor(info, "b")).toEqual(Float32Array.from([9]));
    });

    it("refuses to write malformed structure", () => {
        const w = new GgufWriter();
        expect(() => w.addTensor("x", [0, 2], 0, new Uint8Array(0))).toThrow(/dims \[0,2\]/);
        expect(() => w.addTensor("x", [2], 0, new Uint8Array(4))).toThrow(/4 bytes of data but dims \[2\] of type F32 need 8/);
        expect(() => w.addTensor("x".repeat(64), [1], 0, new Uint8Array(4))).toThrow(/longer than 63 bytes/);
        expect(() => w.addTensor("q", [48], 8, new Uint8Array(51))).toThrow(/first dim 48 is not a multiple of the Q8_0 block size 32/);
        w.addUint32("k", 1);
        expect(() => w.addUint32("k", 2)).toThrow(/duplicate GGUF metadata key 'k'/);
        expect(() => new GgufWriter().add("v", GgufValueType.UINT8, 300).encode()).toThrow(/'v'.*does not fit type 0/);
    });
});

describe("hostile GGUF files are rejected with InvalidInput before native code sees them", () => {
    const valid = Buffer.concat(encodeGgufModel({config: testConfig, params: randomParams(testConfig, 1)}));
    const headerEnd = readGguf(writeTemp(valid)).dataOffset;

    it("every truncation of the header or data", () => {
        const cuts = new Set<number>();
        for (let n = 0; n < Math.min(headerEnd, 600); n++) cuts.add(n);
        for (let n = 600; n < headerEnd; n += 97) cuts.add(n);
        for (const n of [headerEnd, headerEnd + 1000, valid.length - 1]) cuts.add(n);
        for (const n of cuts) {
            const error = errorOf(() => readGguf(writeTemp(valid.subarray(0, n))));
            expect(error, `cut at ${n}`).toBeInstanceOf(InvalidInput);
        }
    });

    it("random byte corruption of the header never escapes as anything but InvalidInput", () => {
        const rng = new Rng(2024);
        let rejected = 0;
        for (let trial = 0; trial < 300; trial++) {
            const bytes = Buffer.from(valid);
            const flips = 1 + rng.int(0, 3);
            for (let i = 0; i < flips; i++) bytes[rng.int(0, headerEnd - 1)] = rng.int(0, 255);
            const error = errorOf(() => validateGgufModel(readGguf(writeTemp(bytes))));
            if (error != null) {
                expect(error, `trial ${trial}: ${String(error)}`).toBeInstanceOf(InvalidInput);
                rejected++;
            }
        }
        expect(rejected).toBeGreaterThan(100);
    });

    const cases: [string, () => Buffer, RegExp][] = [
        ["a bad magic", () => Buffer.concat([Buffer.from("GGML"), valid.subarray(4)]), /magic is 0x4c4d4747, expected "GGUF"/],
        ["version 1", () => {
            const b = Buffer.from(valid);
            b.writeUInt32LE(1, 4);
            return b;
        }, /GGUF version 1 is not supported/],
        ["an absurd tensor count", () => {
            const b = Buffer.from(valid);
            b.writeBigUInt64LE(2n ** 62n, 8);
            return b;
        }, /tensor count is 4611686018427387904, more than/],
        ["an absurd metadata count", () => {
            const b = Buffer.from(valid);
            b.writeBigUInt64LE(10n ** 12n, 16);
            return b;
        }, /metadata count is 1000000000000/],
        ["a string longer than the file", () => {
            const b = Buffer.from(valid);
            b.writeBigUInt64LE(2n ** 40n, 24);
            return b;
        }, /metadata key 0 length is 1099511627776, more than/],
        ["a zero dim", () => patchTensorInfo("blk.0.ffn_up.weight", (b, at) => b.writeBigUInt64LE(0n, at + 4)), /'blk.0.ffn_up.weight'\) has dims \[0, \.\.\.\]; every dim must be ≥ 1/],
        ["too many dims", () => patchTensorInfo("blk.0.ffn_up.weight", (b, at) => b.writeUInt32LE(5, at)), /'blk.0.ffn_up.weight'\) has 5 dims; ggml supports 1–4/],
        ["a first dim that is not a whole number of blocks", () => patchTensorInfo("output_norm.weight", (b, at) => b.writeUInt32LE(12, at + 4 + 8)), /'output_norm.weight'\): first dim 64 is not a multiple of the Q4_K block size 256/],
        ["an unknown tensor type", () => patchTensorInfo("output_norm.weight", (b, at) => b.writeUInt32LE(31, at + 4 + 8)), /'output_norm.weight'\) has unknown or retired ggml type 31/],
        ["a misplaced data offset", () => patchTensorInfo("output_norm.weight", (b, at) => b.writeBigUInt64LE(3n, at + 4 + 8 + 4)), /'output_norm.weight'\) data offset is 3, expected/],
        ["data past the end of the file", () => valid.subarray(0, valid.length - 4), /tensor data ends at byte \d+ but the file has \d+ bytes/],
        ["a non-power-of-two alignment", () => {
            const w = new GgufWriter();
            w.addUint32("general.alignment", 48);
            return Buffer.concat(w.encode());
        }, /general.alignment must be a UINT32 power of two, got 48/],
        ["a nested array", () => {
            const w = new GgufWriter();
            w.addArray("x", GgufValueType.INT32, [1]);
            const b = Buffer.concat(w.encode());
            b.writeUInt32LE(GgufValueType.ARRAY, 24 + 8 + 1 + 4);
            return b;
        }, /metadata 'x' is an array of unsupported element type 9/]
    ];

    /** Patch the tensor info of `name` (at = its n_dims field; dims, type and offset follow). */
    function patchTensorInfo(name: string, patch: (b: Buffer, at: number) => void): Buffer {
        const b = Buffer.from(valid);
        const key = Buffer.concat([Buffer.alloc(8), Buffer.from(name)]);
        key.writeBigUInt64LE(BigInt(Buffer.byteLength(name)));
        const at = b.indexOf(key, 24) + key.length;
        patch(b, at);
        return b;
    }

    for (const [what, make, message] of cases) {
        it(what, () => {
            const file = writeTemp(make());
            const error = errorOf(() => readGguf(file));
            expect(error).toBeInstanceOf(InvalidInput);
            expect((error as Error).message).toMatch(message);
            expect((error as Error).message).toContain(file);
        });
    }
});

describe("validateGgufModel", () => {
    /** The exported test model with one metadata key changed or removed, or tensors altered. */
    function variant(edit: (w: GgufWriter, skip: Set<string>) => void): string {
        const info = readGguf(writeTemp(encodeGgufModel({config: testConfig, params: randomParams(testConfig, 2)})));
        const w = new GgufWriter();
        const skip = new Set<string>();
        edit(w, skip);
        for (const [key, value] of info.metadata) {
            if (skip.has(key)) continue;
            const type = info.metadataTypes.get(key)!;
            if (type === GgufValueType.ARRAY) w.addArray(key, info.arrayElementTypes.get(key)!, value as never);
            else w.add(key, type, value as never);
        }
        for (const t of info.tensors) {
            if (skip.has(t.name)) continue;
            const data = readGgufTensor(info, t.name);
            w.addTensor(t.name, t.ne, 0, new Uint8Array(data.buffer));
        }
        return writeTemp(w.encode());
    }

    it("accepts the exported model and summarises it", () => {
        const summary = validateGgufModel(readGguf(variant(() => undefined)));
        expect(summary).toMatchObject({architecture: "llama", vocabSize: 264, contextLength: 128, name: "rmr1"});
        expect(summary.chatTemplate).toContain("<|assistant|>");
    });

    const cases: [string, (w: GgufWriter, skip: Set<string>) => void, string, RegExp][] = [
        ["missing feed_forward_length (a GGML_ASSERT abort in llama.cpp)", (_w, s) => s.add("llama.feed_forward_length"), "llama.feed_forward_length", /'llama.feed_forward_length' is missing/],
        ["missing architecture", (_w, s) => s.add("general.architecture"), "general.architecture", /'general.architecture' is missing/],
        ["a zero head count", (w, s) => {
            s.add("llama.attention.head_count");
            w.addUint32("llama.attention.head_count", 0);
        }, "llama.attention.head_count", /must be a positive integer/],
        ["kv heads that do not divide heads", (w, s) => {
            s.add("llama.attention.head_count_kv");
            w.addUint32("llama.attention.head_count_kv", 3);
        }, "llama.attention.head_count_kv", /head_count 4 is not a multiple of head_count_kv 3/],
        ["a bos id outside the vocabulary", (w, s) => {
            s.add("tokenizer.ggml.bos_token_id");
            w.addUint32("tokenizer.ggml.bos_token_id", 264);
        }, "tokenizer.ggml.bos_token_id", /is 264, not a token id below 264/],
        ["a gpt2 tokenizer without merges", (_w, s) => s.add("tokenizer.ggml.merges"), "tokenizer.ggml.merges", /needs 'tokenizer.ggml.merges'/],
        ["token types of the wrong length", (w, s) => {
            s.add("tokenizer.ggml.token_type");
            w.addArray("tokenizer.ggml.token_type", GgufValueType.INT32, [1, 1]);
        }, "tokenizer.ggml.token_type", /one entry per token \(264\)/],
        ["a missing layer tensor", (_w, s) => s.add("blk.1.attn_v.weight"), "blk.1.attn_v.weight", /tensor 'blk.1.attn_v.weight' is missing/],
        ["a tensor whose dims disagree with the metadata", (w, s) => {
            s.add("llama.feed_forward_length");
            w.addUint32("llama.feed_forward_length", 128);
        }, "blk.0.ffn_gate.weight", /'blk.0.ffn_gate.weight' has dims \[64, 96\], expected \[64, 128\]/]
    ];
    for (const [what, edit, field, message] of cases) {
        it(`rejects ${what}`, () => {
            const error = errorOf(() => validateGgufModel(readGguf(variant(edit))));
            expect(error).toBeInstanceOf(InvalidInput);
            expect((error as InvalidInput).field).toBe(field);
            expect((error as Error).message).toMatch(message);
        });
    }
});
