// The resumable batch runner behind `rmr1 judge`, `rmr1 rank` and `rmr1 eval`: stream a JSONL input
// (or items a job already holds in memory, such as a benchmark's comparisons), skip the ids already
// in the output, run up to `concurrency` items at once, append each result line as soon as it
// finishes. A bad input line stops the job with an error naming file:line, after the items already
// running have finished and been written; an abort or an engine failure stops it the same way.
// Rerunning the same command resumes where it stopped.
import {createReadStream, existsSync} from "node:fs";
import {resolve} from "node:path";
import {createInterface} from "node:readline";
import {Aborted, ConfigError, InvalidInput, NotFound, Rmr1Error} from "../errors.js";
import {JsonlWriter, readJsonl, readJsonlForResume} from "../data/jsonl.js";

export interface JobProgress {
    /** Input items handled so far this run: written plus skipped. */
    done: number;
    /** Items in the input (non-blank lines of a file, or `JobItems.total`), when known. */
    total?: number;
    /** Results written this run. */
    written: number;
    /** Input items skipped because their id was already in the output. */
    skipped: number;
    /** Results that were in the output before this run. */
    resumed: number;
}

/** Input items a job already holds (instead of a JSONL file); each needs a unique `id`. */
export interface JobItems<I> {
    items: Iterable<I> | AsyncIterable<I>;
    /** How many there are, for progress. Defaults to the array's length, else unknown. */
    total?: number;
    /** Names the input in error messages (`<name> item 3`). Defaults to `"input"`. */
    name?: string;
}

export interface JsonlJobOptions<I extends {id: string}, R extends {id: string}> {
    /** Input: a JSONL file (`-` for stdin), or items already in memory. */
    input: string | JobItems<I>;
    /** Output JSONL file, appended to; null writes nothing (records go to `onRecord` only, and there is no resume). */
    output: string | null;
    /**
     * Validate one input value of a file and return the item; throw `InvalidInput` (the runner adds
     * file:line). Required with a file input; items in memory are taken as they are.
     */
    parse?: (value: unknown, location: string) => I;
    /** Do one item. `signal` aborts when the job is asked to stop. */
    run: (item: I, signal: AbortSignal) => Promise<R>;
    /** Called once with the records already in the output (e.g. to check they were made with the same settings). */
    checkExisting?: (records: R[]) => void;
    /** Called with every record in the output: the resumed ones first, then each new one as it is written. */
    onRecord?: (record: R, resumed: boolean) => void;
    /** Items in flight at once. Defaults to `1`. */
    concurrency?: number;
    /** Stop the job (finished items stay written). */
    signal?: AbortSignal;
    onProgress?: (progress: JobProgress) => void;
    /** fsync every line (slower; for paid or long work). Defaults to `false`. */
    durable?: boolean;
}

export interface JsonlJobResult {
    total?: number;
    written: number;
    skipped: number;
    resumed: number;
}

/** Run a resumable JSONL job (see the file comment). */
export async function runJsonlJob<I extends {id: string}, R extends {id: string}>(options: JsonlJobOptions<I, R>): Promise<JsonlJobResult> {
    const {input, output} = options;
    if (typeof input === "string") {
        if (options.parse == null) throw new ConfigError("runJsonlJob: a file input needs a parse function");
        if (input !== "-" && !existsSync(input)) throw new NotFound(`input file ${input} does not exist`);
        if (input !== "-" && output != null && resolve(input) === resolve(output))
            throw new InvalidInput(`the output file is the input file (${output}); choose another output`, {field: "output"});
    }
    const existing = output == null ? [] : readJsonlForResume<R>(output, {repair: true});
    options.checkExisting?.(existing);
    const finished = new Set<string>();
    for (const record of existing) {
        finished.add(record.id);
        options.onRecord?.(record, true);
    }
    const resumed = existing.length;
    existing.length = 0;
    const total = typeof input !== "string" ? input.total ?? (Array.isArray(input.items) ? input.items.length : undefined)
        : input === "-" ? undefined : await countLines(input);

    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    if (options.signal?.aborted === true) onAbort();
    options.signal?.addEventListener("abort", onAbort, {once: true});

    const writer = output == null ? undefined : new JsonlWriter(output, {durable: options.durable});
    const lines = inputItems(input, options.parse)[Symbol.asyncIterator]();
    /** Where each id was read: `line 3` of a file, `item 3` in memory, and its full location. */
    const seen = new Map<string, {at: string, location: string}>();
    let written = 0;
    let skipped = 0;
    /** The first failure, and the item being worked on when it was not the input's fault. */
    let failure: {error: unknown, item?: {id: string, location: string}} | undefined;
    const progress = () => options.onProgress?.({done: written + skipped, total, written, skipped, resumed});
    const fail = (error: unknown, item?: {id: string, location: string}) => {
        failure ??= {error, item};
    };

    // The input is read by one worker at a time (an async generator cannot be pulled concurrently).
    let reading: Promise<unknown> = Promise.resolve();
    const nextItem = (): Promise<I | undefined> => {
        const next = reading.then(async () => {
            try {
                while (failure == null && !controller.signal.aborted) {
                    const step = await lines.next();
                    if (step.done === true) return undefined;
                    const {item, at, location} = step.value;
                    const earlier = seen.get(item.id);
                    if (earlier != null)
                        throw new InvalidInput(`id '${item.id}' was already used on ${earlier.at}; ids must be unique (resume relies on them)`, {field: "id", location});
                    seen.set(item.id, {at, location});
                    if (finished.has(item.id)) {
                        skipped++;
                        progress();
                        continue;
                    }
                    return item;
                }
                return undefined;
            } catch (e) {
                // Record the failure before any other worker can read past the bad line.
                fail(e);
                throw e;
            }
        });
        reading = next.catch(() => undefined);
        return next;
    };

    const worker = async () => {
        while (failure == null && !controller.signal.aborted) {
            let item: I | undefined;
            try {
                item = await nextItem();
            } catch (e) {
                fail(e);
                return;
            }
            if (item == null) return;
            try {
                const record = await options.run(item, controller.signal);
                writer?.write(record);
                written++;
                options.onRecord?.(record, false);
                progress();
            } catch (e) {
                fail(e, {id: item.id, location: seen.get(item.id)!.location});
                return;
            }
        }
    };

    try {
        progress();
        await Promise.all(Array.from({length: Math.max(1, options.concurrency ?? 1)}, worker));
    } finally {
        writer?.close();
        options.signal?.removeEventListener("abort", onAbort);
        await lines.return?.(undefined);
    }
    const kept = output == null
        ? `${written} result${written === 1 ? "" : "s"} had been printed; give an output file to be able to resume`
        : `${written} new result${written === 1 ? "" : "s"} ${written === 1 ? "was" : "were"} saved to ${output} (${resumed + written} in all); rerun the same command to resume`;
    if (controller.signal.aborted) throw new Aborted(`stopped: ${kept}`, {cause: failure?.error});
    if (failure != null) {
        const e = failure.error;
        const where = failure.item?.location;
        if (e instanceof InvalidInput) {
            const location = e.location ?? where;
            const message = e.location != null && e.message.startsWith(`${e.location}: `) ? e.message.slice(e.location.length + 2) : e.message;
            throw new InvalidInput(`${message}. ${kept} after fixing it`, {field: e.field, location, cause: e});
        }
        if (e instanceof Rmr1Error) {
            // Say which item failed, so it can be fixed or removed if it fails again on resume.
            if (failure.item != null) e.message += ` (on id '${failure.item.id}', ${where})`;
            if (written + resumed > 0) e.message += `. ${kept}`;
        }
        throw e;
    }
    return {total, written, skipped, resumed};
}

/** The input's items with where each came from: parsed lines of a file, or items in memory. */
async function* inputItems<I extends {id: string}>(input: string | JobItems<I>, parse?: (value: unknown, location: string) => I):
    AsyncGenerator<{item: I, at: string, location: string}> {
    if (typeof input !== "string") {
        const name = input.name ?? "input";
        let k = 0;
        for await (const item of input.items) {
            k++;
            yield {item, at: `item ${k}`, location: `${name} item ${k}`};
        }
        return;
    }
    for await (const {line, value} of readJsonl(input)) {
        const location = `${input}:${line}`;
        yield {item: parse!(value, location), at: `line ${line}`, location};
    }
}

/** Non-blank lines of a file, streamed (for the progress total). */
async function countLines(file: string): Promise<number> {
    let n = 0;
    const lines = createInterface({input: createReadStream(file, {encoding: "utf8"}), crlfDelay: Infinity});
    for await (const line of lines) if (line.trim() !== "") n++;
    return n;
}
