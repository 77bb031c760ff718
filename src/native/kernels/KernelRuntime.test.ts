// The runtime around the kernels: the heap allocator, the worker pool's error handling and its
// chunk claiming (a job split into many chunks covers every chunk exactly once).
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {EngineError} from "../../errors.js";
import {KernelRuntime} from "./KernelRuntime.js";

let rt: KernelRuntime;
beforeAll(async () => {
    rt = await KernelRuntime.create({threads: 2});
});
afterAll(async () => {
    await rt.close();
});

describe("KernelRuntime", () => {
    it("reports a kernel fault (out-of-bounds pointer) as an EngineError and keeps working", () => {
        const M = 512, N = 64, K = 64;
        const b = rt.f32(K * N), c = rt.f32(M * N);
        expect(() => rt.gemm({M, N, K, a: 2 ** 32 - 4096, lda: K, b: b.ptr, ldb: N, c: c.ptr, ldc: N})).toThrow(EngineError);
        const a = rt.f32(M * K);
        a.view.fill(1);
        b.view.fill(2);
        rt.gemm({M, N, K, a: a.ptr, lda: K, b: b.ptr, ldb: N, c: c.ptr, ldc: N});
        expect(c.view.every((v) => v === 2 * K)).toBe(true);
    });

    it("splits large jobs into chunks that together cover every row once", () => {
        const n = 1 << 20;
        const x = rt.f32(n);
        x.view.fill(1);
        rt.scale(x.ptr, n, 3);
        rt.scale(x.ptr, n, 0.5);
        expect(x.view.every((v) => v === 1.5)).toBe(true);
    });

    it("allocates zeroed, aligned, non-overlapping buffers and reuses freed space", () => {
        const a = rt.f32(1000), b = rt.f32(10);
        expect(a.ptr % 64).toBe(0);
        expect(b.ptr).toBeGreaterThanOrEqual(a.ptr + 4000);
        a.view.fill(7);
        rt.release(a);
        const c = rt.f32(500);
        expect(c.ptr).toBe(a.ptr);
        expect(c.view.every((v) => v === 0)).toBe(true);
        rt.release(c);
        expect(() => rt.release(c)).toThrow(/not allocated/);
        rt.release(b);
    });

    it("says what to do when a batch does not fit in WebAssembly memory", () => {
        expect(() => rt.f32(1.2e9)).toThrow(/out of WebAssembly memory.*smaller/);
    });

    it("refuses work after close", async () => {
        const other = await KernelRuntime.create({threads: 2});
        const x = other.f32(4);
        await other.close();
        expect(() => other.scale(x.ptr, 4, 2)).toThrow(/closed/);
    });
});
