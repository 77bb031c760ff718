// Ctrl-C (and SIGTERM) for long jobs: the first signal aborts the job's AbortSignal, so it stops
// cleanly and keeps what is finished; a second exits at once with code 130.
import {Aborted} from "../errors.js";

/** The first-signal message of jobs that checkpoint and resume (training, the quickstart). */
export const RESUMABLE_STOP = "rmr1: stopping after this step; run the same command again to resume (press Ctrl-C again to quit at once)";

/** Options of `interruptSignal`. */
export interface InterruptOptions {
    /**
     * What the first signal prints on stderr, on a line of its own. Defaults to the message of jobs
     * that record each unit as it finishes (judge, rank, eval): finished results are saved.
     */
    message?: string;
    /** The signals that stop the job. Defaults to `["SIGINT", "SIGTERM"]`. */
    signals?: readonly NodeJS.Signals[];
}

/** An abort signal for Ctrl-C / SIGTERM (see the file comment); `dispose()` removes the handlers. */
export function interruptSignal(options: InterruptOptions = {}): {signal: AbortSignal, dispose(): void} {
    const controller = new AbortController();
    const signals = options.signals ?? ["SIGINT", "SIGTERM"];
    const onSignal = () => {
        if (controller.signal.aborted) process.exit(130);
        process.stderr.write(`\n${options.message ?? "rmr1: stopping; finished results are saved (press Ctrl-C again to quit at once)"}\n`);
        controller.abort(new Aborted("interrupted"));
    };
    for (const s of signals) process.on(s, onSignal);
    return {
        signal: controller.signal,
        dispose() {
            for (const s of signals) process.off(s, onSignal);
        }
    };
}

/** Run `job` with `interruptSignal` wired to its abort signal. */
export async function withInterrupt<T>(options: InterruptOptions, job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const interrupt = interruptSignal(options);
    try {
        return await job(interrupt.signal);
    } finally {
        interrupt.dispose();
    }
}
