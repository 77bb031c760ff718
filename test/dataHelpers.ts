// Shared by the data tests: a temp folder and DuckDB as an independent parquet reader/writer.
import {mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";

export const tempDir = (label = "data"): string => mkdtempSync(join(tmpdir(), `rmr1-${label}-`));

let connection: Promise<DuckDBConnection> | undefined;

/** One in-memory DuckDB connection per test file. */
export function duck(): Promise<DuckDBConnection> {
    connection ??= DuckDBInstance.create(":memory:").then(db => db.connect());
    return connection;
}

/** Rows of a query as JSON-compatible objects (BIGINT as strings, per DuckDB's JSON conversion). */
export async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
    const result = await (await duck()).runAndReadAll(sql);
    return result.getRowObjectsJson() as Record<string, unknown>[];
}

/** Column name → DuckDB type of a parquet file. */
export async function duckTypes(file: string): Promise<Record<string, string>> {
    const rows = await duckRows(`DESCRIBE SELECT * FROM read_parquet('${file.replace(/'/g, "''")}')`);
    return Object.fromEntries(rows.map(r => [r.column_name as string, r.column_type as string]));
}

export const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;
