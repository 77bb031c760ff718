// Online distillation: every item goes through pass 1 and, when pass 1 was wrong, straight on to
// pass 2, with at most `concurrency` requests in flight over both passes. Rate limits, retries and
// timeouts are the engines' (`src/engines/http/`). Each request is written to the store before it
// is sent and its answer (graded) as soon as it arrives, so a killed run re-sends at most the
// requests that were in flight.
//
// Stopping: when `signal` aborts, no new request starts and the ones in flight are awaited and
// recorded (they are paid for either way).
import {ConfigError, EngineAuthError, EngineError, Rmr1Error} from "../errors.js";
import {requestKey} from "../engines/cache/requestKey.js";
import type {Engine, SamplingOptions} from "../engines/Engine.js";
import {distillCorrect} from "../protocol/extractors.js";
import {distillRequest, promptHash} from "./distillRequest.js";
import type {DistillItem, DistillPass, DistillStore} from "./DistillStore.js";

/** After this many failed requests in a row the run stops: the teacher is down or refusing everything. */
export const MAX_CONSECUTIVE_FAILURES = 10;

export interface OnlineRun {
    store: DistillStore;
    teachers: Record<DistillPass, Engine>;
    sampling: Record<DistillPass, SamplingOptions>;
    concurrency: number;
    maxAttempts: number;
    signal?: AbortSignal;
    /** Called after every answer or failure. */
    onCall(event: {pass: DistillPass, correct: boolean | null, costUsd: number}): void;
}

type Outcome = "correct" | "wrong" | "failed";

/** Run every pending item through the passes it still needs. Returns the number of failed calls. */
export async function runOnline(run: OnlineRun): Promise<number> {
    const {store, maxAttempts} = run;
    const work: {item: DistillItem, pass: DistillPass}[] = [
        ...store.pendingItems(2, maxAttempts).map((item) => ({item, pass: 2 as const})),
        ...store.pendingItems(1, maxAttempts).map((item) => ({item, pass: 1 as const}))
    ].sort((a, b) => a.item.idx - b.item.idx);
    let next = 0;
    let failures = 0;
    let consecutive = 0;
    let stop: {error: unknown} | undefined;
    const stopped = () => stop != null || run.signal?.aborted === true;

    const call = async (item: DistillItem, pass: DistillPass): Promise<Outcome> => {
        const teacher = run.teachers[pass];
        const wrongTrace = pass === 2 ? store.answeredCall(item.idx, 1)?.output ?? undefined : undefined;
        const request = distillRequest(item, pass, run.sampling[pass], wrongTrace);
        const callId = store.startCall({
            itemIdx: item.idx, pass, mode: "online", engine: teacher.id, identity: teacher.identity,
            promptHash: promptHash(request.messages), requestKey: requestKey(teacher.identity, request), options: JSON.stringify(request.options ?? {})
        });
        let result;
        try {
            [result] = await teacher.generate([request]);
        } catch (e) {
            store.failCall(callId, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
            failures++;
            consecutive++;
            // A bug, a bad key or a bad configuration fails every request alike: stop at once.
            if (!(e instanceof Rmr1Error) || e instanceof EngineAuthError || e instanceof ConfigError) stop ??= {error: e};
            else if (consecutive >= MAX_CONSECUTIVE_FAILURES) {
                stop ??= {error: new EngineError(
                    `stopping after ${consecutive} failed requests in a row (the last: ${(e as Error).message}); answers so far are saved, rerun to resume`,
                    {engine: teacher.id, cause: e}
                )};
            }
            run.onCall({pass, correct: null, costUsd: 0});
            return "failed";
        }
        consecutive = 0;
        const text = result.completions[0]?.text ?? "";
        const correct = distillCorrect(text, item.label);
        store.finishCall(callId, {
            output: text,
            finishReason: result.completions[0]?.finishReason ?? "error",
            model: result.model,
            promptTokens: result.usage.promptTokens,
            completionTokens: result.usage.completionTokens,
            costUsd: result.usage.costUsd,
            cached: result.cached === true,
            latencyMs: result.latencyMs,
            correct
        });
        run.onCall({pass, correct, costUsd: result.usage.costUsd ?? 0});
        return correct ? "correct" : "wrong";
    };

    const worker = async () => {
        while (!stopped() && next < work.length) {
            const {item, pass} = work[next++];
            const outcome = await call(item, pass);
            // A wrong first pass goes straight on to the second (unless the run is stopping; the
            // item then waits for pass 2 in the store).
            if (pass === 1 && outcome === "wrong" && !stopped()) await call(item, 2);
        }
    };
    await Promise.all(Array.from({length: Math.max(1, Math.min(run.concurrency, work.length))}, worker));
    if (stop != null) throw stop.error;
    return failures;
}
