// A pool of worker threads that run kernel exports on one shared WebAssembly.Memory. A job is an
// export called on chunks [bounds[i], bounds[i+1]) of its work range; every thread, the calling
// thread included, claims chunks until none are left. So a worker that the OS has not scheduled
// yet (a busy machine) never holds up the caller: the caller simply computes its chunks too.
// Chunks own disjoint outputs, so the result does not depend on which thread ran which chunk.
// Dispatch is through Atomics on a SharedArrayBuffer (no postMessage per job).
import {Worker} from "node:worker_threads";
import {EngineError} from "../../errors.js";
import {kernelWorkerSource} from "./kernelWorkerSource.js";

/** Most chunks one job may have. */
export const MAX_CHUNKS = 64;

/** Int32 slot indices of the control block (ARGS and SCRATCH index the Float64 view of `args`). */
const L = {
    CLAIM: 0, TOTAL: 1, COMPLETED: 2, FN: 3, JOBSEQ: 4, ERROR: 5, SCRATCH_ARG: 6,
    BOUNDS: 16,
    ARGS: 0, SCRATCH: 18
} as const;
const CONTROL_INTS = L.BOUNDS + 2 * MAX_CHUNKS;
/** Split jobs per measurement window, and jobs run serially after a window where splitting did not pay. */
const ADAPT_WINDOW = 64;
const SERIAL_JOBS = 2000;
const ARG_COUNT = 18;

/** Options for `WorkerPool.create`. */
export interface WorkerPoolOptions {
    /** Threads including the main thread. Defaults to `1` (no workers). */
    threads?: number;
    /** Busy-wait iterations before a waiting thread sleeps. Defaults to `20000`. */
    spin?: number;
}

type KernelFn = (...args: number[]) => void;

export class WorkerPool {
    /** Threads that work on a job, the main thread included. */
    readonly threads: number;
    private readonly workers: Worker[];
    private readonly ctl: Int32Array;
    private readonly a: Float64Array;
    private readonly text: Uint8Array;
    private readonly mainFns: KernelFn[];
    private readonly spin: number;
    private readonly x = new Float64Array(ARG_COUNT);
    private job = 0;
    private closed = false;
    // Adaptive fallback (see `adapt`): wall time and estimated one-thread time over the current
    // window of split jobs, and the job number until which jobs run serially.
    private windowWall = 0;
    private windowSerial = 0;
    private windowJobs = 0;
    private jobsRun = 0;
    private serialUntil = 0;

    private constructor(threads: number, workers: Worker[], control: SharedArrayBuffer, args: SharedArrayBuffer, text: SharedArrayBuffer, mainFns: KernelFn[], spin: number) {
        this.threads = threads;
        this.workers = workers;
        this.ctl = new Int32Array(control);
        this.a = new Float64Array(args);
        this.text = new Uint8Array(text);
        this.mainFns = mainFns;
        this.spin = spin;
    }

    /**
     * Start `threads − 1` workers, each instantiating `module` on `memory`. `names` lists the exports
     * jobs may call; `run` takes an index into it. `mainExports` are the main thread's own exports.
     */
    static async create(module: WebAssembly.Module, memory: WebAssembly.Memory, mainExports: WebAssembly.Exports, names: readonly string[],
        options: WorkerPoolOptions = {}): Promise<WorkerPool> {
        const threads = Math.max(1, Math.floor(options.threads ?? 1));
        const spin = options.spin ?? 20000;
        const control = new SharedArrayBuffer(CONTROL_INTS * 4);
        const args = new SharedArrayBuffer((L.SCRATCH + threads) * 8);
        const text = new SharedArrayBuffer(1024);
        const mainFns = names.map((n) => {
            const f = mainExports[n];
            if (typeof f !== "function") throw new EngineError(`kernel module has no export '${n}'; run 'npm run build:kernels'`);
            return f as KernelFn;
        });
        const workers: Worker[] = [];
        try {
            for (let w = 0; w < threads - 1; w++) {
                const worker = new Worker(kernelWorkerSource, {
                    eval: true,
                    workerData: {module, memory, control, args, text, names: [...names], index: w, spin, layout: L}
                });
                workers.push(worker);
                await new Promise<void>((resolve, reject) => {
                    worker.once("message", () => resolve());
                    worker.once("error", reject);
                    worker.once("exit", (code) => reject(new EngineError(`kernel worker exited during start-up (code ${code})`)));
                });
                worker.removeAllListeners("exit");
                worker.removeAllListeners("error");
                // A worker asleep in Atomics.wait must not keep the process alive.
                worker.unref();
            }
        } catch (e) {
            await Promise.all(workers.map((w) => w.terminate()));
            throw new EngineError(`cannot start kernel workers: ${(e as Error).message}`, {cause: e});
        }
        return new WorkerPool(threads, workers, control, args, text, mainFns, spin);
    }

    /**
     * Call export `fn` on each chunk: chunk i gets (bounds[i], bounds[i+1], ...args), where
     * args[scratchArg] is replaced by scratch[t] for the thread t that runs it. A single chunk
     * runs directly on the calling thread. Blocks until every chunk is done.
     */
    run(fn: number, bounds: readonly number[], args: readonly number[], scratchArg = -1, scratch?: readonly number[]): void {
        if (this.closed) throw new EngineError("the kernel runtime was closed");
        const chunks = bounds.length - 1;
        const x = this.x;
        for (let i = 0; i < ARG_COUNT; i++) x[i] = i < args.length ? args[i] : 0;
        if (scratchArg >= 0 && scratch != null) x[scratchArg] = scratch[0];
        this.jobsRun++;
        if (chunks <= 1 || this.threads === 1 || this.jobsRun < this.serialUntil) {
            try {
                for (let i = 0; i < chunks; i++) this.call(fn, bounds[i], bounds[i + 1]);
            } catch (e) {
                throw new EngineError(`kernel failed: ${(e as Error).message}`, {cause: e});
            }
            return;
        }
        if (chunks > MAX_CHUNKS) throw new Error(`WorkerPool: ${chunks} chunks, at most ${MAX_CHUNKS}`);
        const ctl = this.ctl, a = this.a;
        const t0 = performance.now();
        let busy = 0, mine = 0;
        for (let i = 0; i < ARG_COUNT; i++) a[L.ARGS + i] = x[i];
        if (scratchArg >= 0 && scratch != null) for (let t = 1; t < this.threads; t++) a[L.SCRATCH + t] = scratch[t];
        for (let i = 0; i <= chunks; i++) ctl[L.BOUNDS + i * 2] = bounds[i];
        for (let i = 0; i < chunks; i++) ctl[L.BOUNDS + i * 2 + 1] = bounds[i + 1];
        ctl[L.SCRATCH_ARG] = scratchArg;
        ctl[L.FN] = fn;
        Atomics.store(ctl, L.COMPLETED, 0);
        Atomics.store(ctl, L.TOTAL, chunks);
        this.job = (this.job + 1) & 0x7fff;
        Atomics.store(ctl, L.CLAIM, this.job << 16);
        Atomics.add(ctl, L.JOBSEQ, 1);
        Atomics.notify(ctl, L.JOBSEQ);
        let mainError: unknown;
        for (;;) {
            const c = Atomics.load(ctl, L.CLAIM);
            if ((c & 0xffff) >= chunks) break;
            if (Atomics.compareExchange(ctl, L.CLAIM, c, c + 1) !== c) continue;
            const chunk = c & 0xffff;
            const tc = performance.now();
            try {
                this.call(fn, bounds[chunk], bounds[chunk + 1]);
            } catch (e) {
                mainError ??= e;
            }
            busy += performance.now() - tc;
            mine++;
            Atomics.add(ctl, L.COMPLETED, 1);
        }
        let n = 0;
        for (;;) {
            const done = Atomics.load(ctl, L.COMPLETED);
            if (done === chunks) break;
            if (++n > this.spin) Atomics.wait(ctl, L.COMPLETED, done, 100);
        }
        // The caller's time per chunk, times all chunks: what the job would cost on this thread alone.
        if (mine > 0) this.adapt(performance.now() - t0, (busy / mine) * chunks);
        if (mainError != null) throw new EngineError(`kernel failed: ${(mainError as Error).message}`, {cause: mainError});
        if (Atomics.load(ctl, L.ERROR) !== 0) {
            ctl[L.ERROR] = 0;
            const end = this.text.indexOf(0);
            throw new EngineError(`kernel failed in a worker thread: ${new TextDecoder().decode(this.text.slice(0, end < 0 ? 1024 : end)) || "unknown error"}`);
        }
    }

    /**
     * On a machine shared with other busy processes a worker is often descheduled in the middle of
     * a chunk, and the caller then waits for the OS to run it again: two threads can be slower
     * than one. When, over a window of split jobs, the wall time is not clearly below what the
     * caller alone would have needed (its time per chunk × chunks), run the next SERIAL_JOBS jobs
     * on the calling thread alone, then measure again. Results do not change (they never depend
     * on the split).
     */
    private adapt(wall: number, serial: number): void {
        this.windowWall += wall;
        this.windowSerial += serial;
        if (++this.windowJobs < ADAPT_WINDOW) return;
        if (this.windowWall > 0.9 * this.windowSerial) this.serialUntil = this.jobsRun + SERIAL_JOBS;
        this.windowWall = this.windowSerial = this.windowJobs = 0;
    }

    private call(fn: number, b0: number, b1: number): void {
        const x = this.x;
        this.mainFns[fn](b0, b1, x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9], x[10], x[11], x[12], x[13], x[14], x[15], x[16], x[17]);
    }

    /** Stop the workers. Safe to call twice. */
    async close(): Promise<void> {
        if (this.closed) return;
        this.closed = true;
        Atomics.store(this.ctl, L.TOTAL, 0);
        Atomics.store(this.ctl, L.FN, -1);
        Atomics.add(this.ctl, L.JOBSEQ, 1);
        Atomics.notify(this.ctl, L.JOBSEQ);
        await Promise.all(this.workers.map((w) => w.terminate()));
    }
}
