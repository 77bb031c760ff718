// A first-fit allocator over the shared WebAssembly.Memory, for the large long-lived buffers of
// models (parameters, gradients, optimizer state, activations, KV caches). Blocks are 64-byte
// aligned (a cache line) and followed by 64 bytes of slack, so a SIMD kernel reading a partial
// vector past the end of a buffer never leaves the memory. Freed blocks are coalesced with their
// neighbours. The memory grows on demand; typed views created before a growth stay valid
// (shared memories never move).
import {ConfigError} from "../../errors.js";

const ALIGN = 64;
const PAGE = 65536;

/** A float32 buffer in the shared memory. `ptr` is a byte offset. */
export interface F32Buffer {
    readonly ptr: number;
    readonly length: number;
    readonly view: Float32Array;
}

/** An int32 buffer in the shared memory. `ptr` is a byte offset. */
export interface I32Buffer {
    readonly ptr: number;
    readonly length: number;
    readonly view: Int32Array;
}

export class WasmHeap {
    private readonly memory: WebAssembly.Memory;
    private readonly maxBytes: number;
    private top: number;
    /** Free blocks sorted by address. */
    private free: {ptr: number, size: number}[] = [];
    private readonly sizes = new Map<number, number>();

    constructor(memory: WebAssembly.Memory, base: number, maxPages: number) {
        this.memory = memory;
        this.top = align(base);
        this.maxBytes = maxPages * PAGE;
    }

    /** Bytes currently handed out. */
    get usedBytes(): number {
        let n = 0;
        for (const s of this.sizes.values()) n += s;
        return n;
    }

    /** Allocate `bytes` (rounded up), zero-filled. */
    allocBytes(bytes: number): number {
        const size = align(Math.max(1, bytes)) + ALIGN;
        let ptr = -1;
        for (let i = 0; i < this.free.length; i++) {
            const f = this.free[i];
            if (f.size < size) continue;
            ptr = f.ptr;
            if (f.size === size) this.free.splice(i, 1);
            else {
                f.ptr += size;
                f.size -= size;
            }
            break;
        }
        if (ptr < 0) {
            ptr = this.top;
            this.ensure(ptr + size);
            this.top += size;
        }
        new Uint8Array(this.memory.buffer, ptr, size).fill(0);
        this.sizes.set(ptr, size);
        return ptr;
    }

    /** A zero-filled float32 buffer of `length` elements. */
    f32(length: number): F32Buffer {
        const ptr = this.allocBytes(length * 4);
        return {ptr, length, view: new Float32Array(this.memory.buffer, ptr, length)};
    }

    /** A zero-filled int32 buffer of `length` elements. */
    i32(length: number): I32Buffer {
        const ptr = this.allocBytes(length * 4);
        return {ptr, length, view: new Int32Array(this.memory.buffer, ptr, length)};
    }

    /** Return a block (any buffer from this heap); freeing twice is an error. */
    release(buffer: {ptr: number} | number): void {
        const ptr = typeof buffer === "number" ? buffer : buffer.ptr;
        const size = this.sizes.get(ptr);
        if (size == null) throw new Error(`WasmHeap: block ${ptr} is not allocated`);
        this.sizes.delete(ptr);
        let i = 0;
        while (i < this.free.length && this.free[i].ptr < ptr) i++;
        this.free.splice(i, 0, {ptr, size});
        // Coalesce with the next and the previous block.
        if (i + 1 < this.free.length && this.free[i].ptr + this.free[i].size === this.free[i + 1].ptr) {
            this.free[i].size += this.free[i + 1].size;
            this.free.splice(i + 1, 1);
        }
        if (i > 0 && this.free[i - 1].ptr + this.free[i - 1].size === this.free[i].ptr) {
            this.free[i - 1].size += this.free[i].size;
            this.free.splice(i, 1);
            i--;
        }
        // A free block at the top goes back to the bump region.
        const last = this.free[this.free.length - 1];
        if (last != null && last.ptr + last.size === this.top) {
            this.top = last.ptr;
            this.free.pop();
        }
    }

    private ensure(end: number): void {
        const fix = "use smaller (micro-)batches, shorter sequences or fewer parallel sequences";
        if (end > this.maxBytes)
            throw new ConfigError(`native kernels: out of WebAssembly memory (need ${(end / 2 ** 20).toFixed(0)} MiB, the limit is ${(this.maxBytes / 2 ** 20).toFixed(0)} MiB); ${fix}`);
        const have = this.memory.buffer.byteLength;
        if (end <= have) return;
        // Grow by at least 1/4 of the current size to keep growth steps few.
        const want = Math.min(this.maxBytes, Math.max(end, have + Math.floor(have / 4)));
        try {
            this.memory.grow(Math.ceil((want - have) / PAGE));
        } catch (e) {
            throw new ConfigError(`native kernels: cannot grow WebAssembly memory to ${(want / 2 ** 20).toFixed(0)} MiB (${(e as Error).message}); ${fix}`, {cause: e});
        }
    }
}

function align(n: number): number {
    return Math.ceil(n / ALIGN) * ALIGN;
}
