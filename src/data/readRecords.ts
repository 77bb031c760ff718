// Reading preference records from any source: rows are read by container (JSON, JSONL, parquet,
// folder, hf: URI) and converted by shape, detected per file from its first usable row.
import type {InvalidInput} from "../errors.js";
import {convertRow, detectShapeOrThrow, type RecordShape} from "./converters.js";
import type {PreferenceRecord} from "./PreferenceRecord.js";
import {readFileRows, resolveSource, type ReadRowsOptions, type SourceRow} from "./rows.js";

/** Options of `readRecords`. */
export interface ReadRecordsOptions extends ReadRowsOptions {
    /** The row shape. Defaults to detection from each file's first row. */
    shape?: RecordShape;
    /** Called for each row that cannot be converted, and reading goes on. Defaults to none: the first bad row throws its `InvalidInput`. */
    onBadRow?: (error: InvalidInput, row: SourceRow) => void;
}

/** A record and the row it came from. */
export interface LocatedRecord {
    record: PreferenceRecord;
    row: SourceRow;
}

/**
 * Read preference records from a file (`.json`, `.jsonl`, `.parquet`), a folder of them, or an
 * `hf:` URI. Each file's shape is detected from its first row (see `recordShapes`) unless given.
 */
export async function* readRecords(path: string, options: ReadRecordsOptions = {}): AsyncGenerator<PreferenceRecord> {
    for await (const {record} of readLocatedRecords(path, options)) yield record;
}

/** `readRecords`, with the source row of every record (for error messages and filters on raw fields). */
export async function* readLocatedRecords(path: string, options: ReadRecordsOptions = {}): AsyncGenerator<LocatedRecord> {
    for (const file of await resolveSource(path, options)) {
        let shape = options.shape;
        const onBadRow = options.onBadRow;
        // With onBadRow, a row that is not even valid JSON is reported the same way (it has no value).
        const onUnparsable = onBadRow == null ? undefined : (error: InvalidInput) => onBadRow(error, {value: undefined, index: -1, file, location: error.location ?? file});
        for await (const row of readFileRows(file, {...options, onUnparsable})) {
            let records: PreferenceRecord[];
            try {
                shape ??= detectShapeOrThrow(row.value, row.location);
                records = convertRow(row.value, shape, {location: row.location, index: row.index, file});
            } catch (e) {
                if (options.onBadRow == null || (e as Error).name !== "InvalidInput") throw e;
                options.onBadRow(e as InvalidInput, row);
                continue;
            }
            for (const record of records) yield {record, row};
        }
    }
}
