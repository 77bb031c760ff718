// Parquet with nested columns: write veRL-style rows (a list of message structs, a struct), read
// them back row group by row group.
//   npx tsx examples/data-parquet.ts
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parquetRowCount, readParquet, writeParquet, type ParquetSchema} from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-parquet-example-"));
const file = join(dir, "rows.parquet");
const schema: ParquetSchema = {
    prompt: {list: {struct: {role: "string", content: "string"}}},
    reward_model: {struct: {style: "string", ground_truth: "string"}},
    index: "int64"
};
const rows = Array.from({length: 2500}, (_, i) => ({
    prompt: [{role: "user", content: `question ${i}`}],
    reward_model: {style: "rule", ground_truth: i % 2 === 0 ? "model_a" : "model_b"},
    index: i
}));
await writeParquet(file, rows, {schema, rowGroupSize: 1000, codec: "GZIP"});
console.log(`${await parquetRowCount(file)} rows written to ${file}`);
for await (const row of readParquet(file, {rowStart: 999, rowEnd: 1001})) console.log(JSON.stringify(row));
rmSync(dir, {recursive: true, force: true});
