// The quickstart's second process: it trains and evaluates the baselines (the scalar and direct
// reward models) on one core while the main process runs distillation, SFT and GRPO on the other.
// Two single-purpose processes use a 2-core machine better than one process with two kernel threads
// (docs/quickstart-notes.md). Messages over the fork IPC channel:
//   parent → child  {type: "start", job: WorkerJob}, {type: "abort"}
//   child → parent  {type: "progress", stage, done, total, note}, {type: "stage", stage, record},
//                   {type: "error", name, message}, {type: "done"}
// The child stops (its trainers checkpoint) when asked or when the parent goes away.
import {fork} from "node:child_process";
import type {ChildProcess} from "node:child_process";
import {createRequire} from "node:module";
import {fileURLToPath, pathToFileURL} from "node:url";
import {Aborted, Rmr1Error} from "../errors.js";
import {KernelRuntime} from "../native/kernels/KernelRuntime.js";
import type {QuickstartDataFiles} from "./quickstartData.js";
import type {QuickstartPreset} from "./quickstartPresets.js";
import {directStage, scalarStage} from "./quickstartStages.js";
import type {StageContext} from "./quickstartStages.js";

/** The baseline stages the worker runs. */
export type WorkerStage = "scalar" | "direct";

/** What the parent asks of the worker. */
export interface WorkerJob {
    out: string;
    seed: number;
    base: string;
    preset: QuickstartPreset;
    files: QuickstartDataFiles;
    threads: number;
    stages: WorkerStage[];
}

type ToWorker = {type: "start", job: WorkerJob} | {type: "abort"};
type FromWorker =
    | {type: "progress", stage: WorkerStage, done: number, total: number, note: string}
    | {type: "stage", stage: WorkerStage, record: Record<string, unknown>, seconds: number}
    | {type: "error", name: string, message: string}
    | {type: "done"};

/** Callbacks of `startWorker`. */
export interface WorkerEvents {
    progress(stage: WorkerStage, done: number, total: number, note: string): void;
    stage(stage: WorkerStage, record: Record<string, unknown>, seconds: number): void;
}

/** A running worker: `done` settles when it finished its stages (or failed, or stopped). */
export interface WorkerHandle {
    done: Promise<void>;
    abort(): void;
}

/** Fork the worker process and give it `job`. */
export function startWorker(job: WorkerJob, events: WorkerEvents): WorkerHandle {
    const entry = fileURLToPath(import.meta.url);
    // Run from TypeScript sources (tsx, vitest), the child needs the TypeScript loader too.
    const execArgv = entry.endsWith(".ts") && !process.execArgv.some((a) => a.includes("tsx"))
        ? [...process.execArgv, "--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href]
        : process.execArgv;
    const child: ChildProcess = fork(entry, ["--rmr1-quickstart-worker"], {execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"]});
    const done = new Promise<void>((resolve, reject) => {
        let failure: Error | null = null;
        let finished = false;
        child.on("message", (m: FromWorker) => {
            if (m.type === "progress") events.progress(m.stage, m.done, m.total, m.note);
            else if (m.type === "stage") events.stage(m.stage, m.record, m.seconds);
            else if (m.type === "error") failure = m.name === "Aborted" ? new Aborted(m.message) : new Rmr1Error(m.message);
            else finished = true;
        });
        child.on("error", (e) => reject(e));
        // "close", not "exit": messages sent just before the child exits may still be on their way at "exit".
        child.on("close", (code) => {
            if (finished && code === 0) resolve();
            else reject(failure ?? new Rmr1Error(`the quickstart's baseline process exited with code ${code}`));
        });
    });
    // The parent awaits `done` only after its own stages; until then a failure must not be an unhandled rejection.
    done.catch(() => {});
    child.send({type: "start", job} satisfies ToWorker);
    return {done, abort: () => child.connected && child.send({type: "abort"} satisfies ToWorker)};
}

/** The child's side: run the job's stages and report. */
async function runWorker(job: WorkerJob): Promise<void> {
    const controller = new AbortController();
    process.on("message", (m: ToWorker) => {
        if (m.type === "abort") controller.abort();
    });
    process.on("disconnect", () => controller.abort());
    // Resolves when the message is handed to the channel: the child disconnects only after its last
    // messages are out (a disconnect right after process.send() can drop them).
    const send = (m: FromWorker) => new Promise<void>((resolve) => {
        if (!process.connected) resolve();
        else process.send!(m, undefined, {}, () => resolve());
    });
    const runtime = await KernelRuntime.create({threads: job.threads});
    const ctx: StageContext = {out: job.out, seed: job.seed, base: job.base, preset: job.preset, files: job.files, runtime, threads: job.threads, signal: controller.signal};
    try {
        for (const stage of job.stages) {
            const t0 = performance.now();
            const report = (done: number, total: number, note: string) => void send({type: "progress", stage, done, total, note});
            const record = stage === "scalar" ? await scalarStage(ctx, report) : await directStage(ctx, report);
            await send({type: "stage", stage, record, seconds: (performance.now() - t0) / 1000});
        }
        await send({type: "done"});
    } catch (e) {
        await send({type: "error", name: e instanceof Error ? e.name : "Error", message: e instanceof Error ? e.message : String(e)});
        process.exitCode = e instanceof Aborted ? 130 : 1;
    } finally {
        await runtime.close();
        process.disconnect?.();
    }
}

if (process.argv.includes("--rmr1-quickstart-worker") && process.send != null) {
    process.once("message", (m: ToWorker) => {
        if (m.type === "start") void runWorker(m.job);
    });
}
