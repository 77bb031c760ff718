// Writing a whole stream of rows through one of the writers whose file appears only on `close()`.
import type {RowWriter} from "./rows.js";

/** Write every row to `writer`, then close it; on an error abort it (the target is left as it was) and rethrow. Resolves to the rows written. */
export async function writeAllRows(writer: RowWriter, rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>): Promise<number> {
    try {
        for await (const row of rows) writer.write(row);
        writer.close();
    } catch (e) {
        writer.abort();
        throw e;
    }
    return writer.count;
}
