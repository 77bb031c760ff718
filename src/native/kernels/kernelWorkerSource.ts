// Source of one kernel worker thread, run with `new Worker(source, {eval: true})` so it needs no
// file of its own (the same code serves the TypeScript sources under vitest/tsx and dist/).
//
// Protocol (Int32 slots of one SharedArrayBuffer `control`; see WorkerPool.ts for the layout):
// the main thread publishes a job (export index, shared arguments, chunk bounds, chunk count),
// resets the claim word to (job id << 16 | 0) and bumps the job sequence. Every thread, the main
// thread included, then claims chunks with a compare-and-swap on the claim word until none are
// left; the job id in the word makes a late thread's claim on an old job fail. A thread that
// finishes a chunk counts it as completed; the main thread returns when all chunks completed.
// Workers spin briefly before sleeping in Atomics.wait: jobs arrive back to back in a training
// step and a futex wake costs more than many jobs.
export const kernelWorkerSource = `
"use strict";
const {workerData, parentPort} = require("node:worker_threads");
const {module, memory, control, args, text, names, index, spin, layout: L} = workerData;
const instance = new WebAssembly.Instance(module, {env: {memory, abort() { throw new Error("abort in kernel"); }}});
const fns = names.map((n) => instance.exports[n]);
const ctl = new Int32Array(control);
const a = new Float64Array(args);
const msg = new Uint8Array(text);
const x = new Float64Array(18);
let seen = Atomics.load(ctl, L.JOBSEQ);
parentPort.postMessage("ready");
for (;;) {
    let n = 0;
    while (Atomics.load(ctl, L.JOBSEQ) === seen) {
        if (++n > spin) Atomics.wait(ctl, L.JOBSEQ, seen);
    }
    seen = Atomics.load(ctl, L.JOBSEQ);
    if (Atomics.load(ctl, L.FN) < 0) break;
    for (;;) {
        const c = Atomics.load(ctl, L.CLAIM);
        const total = Atomics.load(ctl, L.TOTAL);
        if ((c & 0xffff) >= total) break;
        if (Atomics.compareExchange(ctl, L.CLAIM, c, c + 1) !== c) continue;
        const chunk = c & 0xffff;
        try {
            for (let i = 0; i < 18; i++) x[i] = a[L.ARGS + i];
            const si = ctl[L.SCRATCH_ARG];
            if (si >= 0) x[si] = a[L.SCRATCH + index + 1];
            const f = fns[ctl[L.FN]], b = L.BOUNDS + 2 * chunk;
            f(ctl[b], ctl[b + 1], x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9], x[10], x[11], x[12], x[13], x[14], x[15], x[16], x[17]);
        } catch (e) {
            if (Atomics.compareExchange(ctl, L.ERROR, 0, 1) === 0) {
                const bytes = new TextEncoder().encode(String(e && e.message || e)).subarray(0, 1023);
                msg.fill(0);
                msg.set(bytes, 0);
            }
        }
        if (Atomics.add(ctl, L.COMPLETED, 1) + 1 === total) Atomics.notify(ctl, L.COMPLETED);
    }
}
`;
