// Rank the candidates of every line of a JSONL file (what `rmr1 rank` runs): resumable and
// concurrent like `judgeFile`, one `Ranking` line per input line.
import type {Judge} from "./Judge.js";
import {checkSettings} from "./judgeFile.js";
import {parseRankInput} from "./judgeInput.js";
import type {RankInput} from "./judgeInput.js";
import {rankCandidates} from "./rankCandidates.js";
import type {RankMethod, Ranking} from "./rankCandidates.js";
import {runJsonlJob} from "./runJsonlJob.js";
import type {JobProgress, JsonlJobResult} from "./runJsonlJob.js";

export interface RankFileOptions {
    judge: Judge;
    /** Input JSONL: `{"id", "prompt": [messages], "candidates": [string | messages]}` per line. */
    input: string;
    /** Output JSONL of `Ranking` lines, appended to (ids already there are skipped); null writes no file (use `onRanking`). */
    output: string | null;
    /** Called with each new ranking as it finishes. */
    onRanking?: (ranking: Ranking) => void;
    /** Ranking method. Defaults to `"knockout"`. */
    method?: RankMethod;
    /** Items ranked at once. Defaults to `1`. */
    concurrency?: number;
    /** Comparisons in flight at once within one item. Defaults to `4`. */
    comparisons?: number;
    signal?: AbortSignal;
    onProgress?: (progress: JobProgress) => void;
}

export interface RankFileResult extends JsonlJobResult {
    /** Comparisons judged this run. */
    comparisons: number;
    tokens: {prompt: number, completion: number};
    cost_usd: number | null;
    /** Input lines without an `id` this run, whose id was derived from their content. */
    generatedIds: number;
}

/** Rank every line of a candidates file (see the file comment). */
export async function rankFile(options: RankFileOptions): Promise<RankFileResult> {
    const {judge} = options;
    const method = options.method ?? "knockout";
    let comparisons = 0;
    let generatedIds = 0;
    const tokens = {prompt: 0, completion: 0};
    let cost: number | null = null;
    const result = await runJsonlJob<{id: string, input: RankInput & {id: string}, idGenerated: boolean}, Ranking>({
        input: options.input,
        output: options.output,
        concurrency: options.concurrency,
        signal: options.signal,
        onProgress: options.onProgress,
        parse: (value, location) => {
            const {input, idGenerated} = parseRankInput(value, location);
            if (idGenerated) generatedIds++;
            return {id: input.id, input, idGenerated};
        },
        run: async (item, signal) => {
            const ranking = await rankCandidates(judge, item.input, {method, concurrency: options.comparisons, signal});
            if (item.idGenerated) ranking.id_generated = true;
            return ranking;
        },
        checkExisting: (records) => {
            const output = options.output ?? "";
            checkSettings(records, judge.settings, output);
            checkSettings(records.map((r) => ({id: r.id, judge: r.method})), method, output);
        },
        onRecord: (record, resumed) => {
            if (resumed) return;
            options.onRanking?.(record);
            comparisons += record.comparisons.length;
            tokens.prompt += record.usage.promptTokens;
            tokens.completion += record.usage.completionTokens;
            if (record.usage.costUsd != null) cost = (cost ?? 0) + record.usage.costUsd;
        }
    });
    return {...result, comparisons, tokens, cost_usd: cost, generatedIds};
}
