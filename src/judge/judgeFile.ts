// Judge every pair of a JSONL file into a JSONL of judgments (what `rmr1 judge` runs): resumable,
// concurrent, with a summary written next to the output.
import {ConfigError} from "../errors.js";
import {writeFileAtomic} from "../data/RunDir.js";
import {stableStringify} from "../engines/stableStringify.js";
import type {Judge} from "./Judge.js";
import {parseJudgeInput} from "./judgeInput.js";
import type {JudgeInput} from "./judgeInput.js";
import type {JudgeSettings, Judgment} from "./Judgment.js";
import {JudgmentStats} from "./JudgmentStats.js";
import type {JudgeSummary} from "./JudgmentStats.js";
import {runJsonlJob} from "./runJsonlJob.js";
import type {JobProgress} from "./runJsonlJob.js";

export interface JudgeFileOptions {
    judge: Judge;
    /** Input JSONL: labelled TRL pairs (`prompt`?, `chosen`, `rejected`) or unlabelled ones (`first`, `second`), each with an `id`. */
    input: string;
    /** Output JSONL of `Judgment` lines, appended to (ids already there are skipped). */
    output: string;
    /** Pairs judged at once. Defaults to `1`. */
    concurrency?: number;
    signal?: AbortSignal;
    onProgress?: (progress: JobProgress) => void;
    /** Where the summary JSON goes. Defaults to `summaryPath(output)`. */
    summaryFile?: string;
}

export interface JudgeFileResult {
    /** Summary over every judgment in the output (resumed ones included). */
    summary: JudgeSummary;
    summaryFile: string;
    total?: number;
    written: number;
    skipped: number;
    resumed: number;
    /** Input lines without an `id` this run, whose id was derived from their content. */
    generatedIds: number;
}

/** `judgments.jsonl` → `judgments.summary.json`. */
export function summaryPath(output: string): string {
    return output.replace(/\.jsonl$/, "") + ".summary.json";
}

/** Judge a file of pairs (see the file comment); the summary is also written as JSON. */
export async function judgeFile(options: JudgeFileOptions): Promise<JudgeFileResult> {
    const {judge, output} = options;
    const stats = new JudgmentStats();
    let generatedIds = 0;
    const result = await runJsonlJob<{id: string, input: JudgeInput, idGenerated: boolean}, Judgment>({
        input: options.input,
        output,
        concurrency: options.concurrency,
        signal: options.signal,
        onProgress: options.onProgress,
        parse: (value, location) => {
            const {input, idGenerated} = parseJudgeInput(value, location);
            if (idGenerated) generatedIds++;
            return {id: input.id, input, idGenerated};
        },
        run: async (item, signal) => {
            const judgment = await judge.judge(item.input, {signal});
            // The Judge sees the id as given; the record says where it came from.
            if (item.idGenerated) judgment.id_generated = true;
            return judgment;
        },
        checkExisting: (records) => checkSettings(records, judge.settings, output),
        onRecord: (record) => stats.add(record)
    });
    const summary = stats.summary();
    const summaryFile = options.summaryFile ?? summaryPath(output);
    writeFileAtomic(summaryFile, JSON.stringify({output, judge: judge.settings, ...summary}, null, 2) + "\n");
    return {summary, summaryFile, ...result, generatedIds};
}

/** Refuse to mix judgments made with different settings in one output file. */
export function checkSettings(records: readonly {id: string, judge?: unknown}[], settings: JudgeSettings | unknown, output: string): void {
    const want = stableStringify(settings);
    for (const r of records) {
        const have = stableStringify(r.judge);
        if (have !== want)
            throw new ConfigError(`${output} already holds results made with other settings (${have}, for id '${r.id}'); ` +
                `this run uses ${want}. Use the same options to resume, or another output file`);
    }
}
