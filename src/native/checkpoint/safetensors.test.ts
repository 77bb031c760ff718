import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {InvalidInput, NotFound} from "../../errors.js";
import {f32ToF16Bits} from "./float16.js";
import {encodeSafetensors, SafetensorsFile} from "./safetensors.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-safetensors-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** A safetensors file from a raw header object and data bytes. */
function rawFile(name: string, header: unknown, data: Uint8Array, headerLength?: bigint): string {
    const json = Buffer.from(JSON.stringify(header));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(headerLength ?? BigInt(json.length));
    const file = join(dir, name);
    writeFileSync(file, Buffer.concat([len, json, data]));
    return file;
}

describe("safetensors", () => {
    it("writes F32 tensors that read back bit-exactly, 8-aligned, with format=pt metadata", () => {
        const a = Float32Array.from([1.5, -2, 3.25, Number.MIN_VALUE, -0]);
        const b = Float32Array.from({length: 12}, (_, i) => i / 7);
        const file = join(dir, "roundtrip.safetensors");
        writeFileSync(file, Buffer.concat(encodeSafetensors([{name: "a", shape: [5], data: a}, {name: "b.weight", shape: [3, 4], data: b}], {note: "x"})));
        const st = SafetensorsFile.open(file);
        try {
            expect(st.names).toEqual(["a", "b.weight"]);
            expect(st.header.metadata).toEqual({format: "pt", note: "x"});
            expect(st.header.dataStart % 8).toBe(0);
            expect(Object.is(st.read("a").data[4], -0)).toBe(true);
            expect(st.read("a").data).toEqual(a);
            expect(st.read("b.weight")).toEqual({dtype: "F32", shape: [3, 4], data: b});
        } finally {
            st.close();
        }
    });

    it("reads F16 and BF16 tensors as F32", () => {
        const f16 = Uint16Array.from([1, -2.5, 0.099975586].map(f32ToF16Bits));
        const bf16 = Uint16Array.from([0x3f80, 0xc020]);
        const data = new Uint8Array([...new Uint8Array(f16.buffer), ...new Uint8Array(bf16.buffer)]);
        const file = rawFile("half.safetensors", {
            h: {dtype: "F16", shape: [3], data_offsets: [0, 6]},
            b: {dtype: "BF16", shape: [2], data_offsets: [6, 10]}
        }, data);
        const st = SafetensorsFile.open(file);
        expect(st.read("h")).toEqual({dtype: "F16", shape: [3], data: Float32Array.from([1, -2.5, 0.099975586])});
        expect(st.read("b").data).toEqual(Float32Array.from([1, -2.5]));
        st.close();
    });

    const bad: [string, () => string, RegExp][] = [
        ["a header length past the end", () => rawFile("len.safetensors", {}, new Uint8Array(0), 10_000n), /header length 10000 exceeds/],
        ["invalid JSON", () => {
            const file = join(dir, "json.safetensors");
            const len = Buffer.alloc(8);
            len.writeBigUInt64LE(5n);
            writeFileSync(file, Buffer.concat([len, Buffer.from("{oops")]));
            return file;
        }, /not valid JSON/],
        ["an unknown dtype", () => rawFile("dtype.safetensors", {w: {dtype: "F17", shape: [1], data_offsets: [0, 4]}}, new Uint8Array(4)), /tensor 'w': unknown dtype "F17"/],
        ["a size that does not match the shape", () => rawFile("size.safetensors", {w: {dtype: "F32", shape: [2, 2], data_offsets: [0, 12]}}, new Uint8Array(12)), /tensor 'w': F32 \[2,2\] needs 16 bytes but data_offsets span 12/],
        ["a gap between tensors", () => rawFile("gap.safetensors", {
            a: {dtype: "F32", shape: [1], data_offsets: [0, 4]}, b: {dtype: "F32", shape: [1], data_offsets: [8, 12]}
        }, new Uint8Array(12)), /tensor 'b': data starts at byte 8 but the previous tensor ends at 4/],
        ["overlapping tensors", () => rawFile("overlap.safetensors", {
            a: {dtype: "F32", shape: [2], data_offsets: [0, 8]}, b: {dtype: "F32", shape: [1], data_offsets: [4, 8]}
        }, new Uint8Array(8)), /tensor '(a|b)': data starts at byte/],
        ["a truncated data section", () => rawFile("trunc.safetensors", {w: {dtype: "F32", shape: [4], data_offsets: [0, 16]}}, new Uint8Array(10)), /cover 16 bytes but the data section has 10/],
        ["negative offsets", () => rawFile("neg.safetensors", {w: {dtype: "F32", shape: [1], data_offsets: [-4, 0]}}, new Uint8Array(0)), /tensor 'w': data_offsets must be/],
        ["non-string metadata", () => rawFile("meta.safetensors", {__metadata__: {format: 1}}, new Uint8Array(0)), /'__metadata__' must be an object of strings/]
    ];
    for (const [what, make, message] of bad) {
        it(`rejects ${what} with an InvalidInput naming the file`, () => {
            const file = make();
            let error: unknown;
            try {
                SafetensorsFile.open(file).close();
            } catch (e) {
                error = e;
            }
            expect(error).toBeInstanceOf(InvalidInput);
            expect((error as Error).message).toMatch(message);
            expect((error as Error).message).toContain(file);
        });
    }

    it("refuses dtypes it does not convert, naming the tensor", () => {
        const file = rawFile("i64.safetensors", {ids: {dtype: "I64", shape: [1], data_offsets: [0, 8]}}, new Uint8Array(8));
        const st = SafetensorsFile.open(file);
        expect(() => st.read("ids")).toThrow(/tensor 'ids' has dtype I64; rmr1 reads F32, F16 and BF16/);
        st.close();
    });

    it("throws NotFound for a missing file", () => {
        expect(() => SafetensorsFile.open(join(dir, "nope.safetensors"))).toThrow(NotFound);
    });

    it("refuses to encode inconsistent tensors", () => {
        expect(() => encodeSafetensors([{name: "w", shape: [2, 3], data: new Float32Array(5)}])).toThrow(/'w': shape \[2,3\] has 6 elements but the data has 5/);
        expect(() => encodeSafetensors([{name: "w", shape: [1], data: new Float32Array(1)}, {name: "w", shape: [1], data: new Float32Array(1)}])).toThrow(/duplicate tensor name 'w'/);
    });
});
