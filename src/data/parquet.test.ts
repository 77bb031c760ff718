import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {InvalidInput, NotFound} from "../errors.js";
import {inferParquetSchema, parquetColumns, parquetRowCount, ParquetRowWriter, readParquet, writeParquet, type ParquetSchema} from "./parquet.js";
import {duckRows, duckTypes, sqlString, tempDir} from "../../test/dataHelpers.js";

const RMB = "/work/shared/benchmarks/rmb/RMB_dataset";

async function collect(file: string, options?: Parameters<typeof readParquet>[1]): Promise<Record<string, unknown>[]> {
    const rows = [];
    for await (const row of readParquet(file, options)) rows.push(row);
    return rows;
}

// Rows with every feature the trainer schemas need: list<struct>, struct, int64, double, bool,
// nulls, empty lists, a leading BOM, non-BMP characters.
const sample = [
    {id: "a", n: 1, x: 0.5, ok: true, messages: [{role: "system", content: "sys"}, {role: "user", content: "\ufeffhé 😀"}], reward: {style: "rule", ground_truth: "model_a"}},
    {id: "b", n: -9007199254740991, x: 2, ok: false, messages: [], reward: {style: "rule", ground_truth: "model_b"}},
    {id: null, n: null, x: null, ok: null, messages: null, reward: null}
];
const sampleSchema: ParquetSchema = {
    id: "string", n: "int64", x: "double", ok: "boolean",
    messages: {list: {struct: {role: "string", content: "string"}}},
    reward: {struct: {style: "string", ground_truth: "string"}}
};

describe("readParquet", () => {
    it("reads RMB's nested rows exactly as DuckDB does (lists of structs, structs, nulls)", async () => {
        for (const file of [`${RMB}/Pairwise_set/Harmlessness/S1.parquet`, `${RMB}/BoN_set/Helpfulness/Code/Documentation.parquet`]) {
            const ours = await collect(file);
            const theirs = await duckRows(`SELECT * FROM read_parquet(${sqlString(file)})`);
            expect(ours.length).toBe(theirs.length);
            expect(JSON.parse(JSON.stringify(ours))).toEqual(theirs);
        }
        expect(await parquetRowCount(`${RMB}/Pairwise_set/Harmlessness/S1.parquet`)).toBe(459);
    });

    it("keeps a leading U+FEFF (RMB has 23 such strings; hyparquet's default decoder drops it)", async () => {
        let boms = 0;
        for (const file of [`${RMB}/Pairwise_set/Helpfulness/Classification/Content Categorization.parquet`, `${RMB}/BoN_set/Helpfulness/Closed QA/OptionBased.parquet`]) {
            const ours = await collect(file);
            const theirs = await duckRows(`SELECT count(*) AS n FROM read_parquet(${sqlString(file)}), unnest(conversation_input) AS t(m) WHERE starts_with(m.content, chr(65279))`);
            const count = ours.flatMap(r => r.conversation_input as {content: string}[]).filter(m => m.content.startsWith("\ufeff")).length;
            expect(count).toBe(Number(theirs[0].n));
            boms += count;
        }
        expect(boms).toBe(11);
    });

    it("reads gzip and zstd files with many row groups, a column subset and a row range", async () => {
        const dir = tempDir("parquet");
        for (const codec of ["gzip", "zstd", "snappy", "uncompressed"]) {
            const file = join(dir, `${codec}.parquet`);
            await duckRows(`COPY (SELECT i AS id, 'row ' || i AS text, [{'role': 'user', 'content': repeat('x', i % 7)}] AS messages, {'k': i * 2} AS s
                FROM range(2500) t(i)) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 300)`);
            const rows = await collect(file);
            expect(rows.length).toBe(2500);
            expect(rows[1234]).toEqual({id: 1234, text: "row 1234", messages: [{role: "user", content: "x".repeat(1234 % 7)}], s: {k: 2468}});
            const slice = await collect(file, {columns: ["text"], rowStart: 290, rowEnd: 905});
            expect(slice.length).toBe(615);
            expect(slice[0]).toEqual({text: "row 290"});
            expect(slice[614]).toEqual({text: "row 904"});
        }
    });

    it("stops reading when the consumer stops (later row groups are never decoded)", async () => {
        const dir = tempDir("parquet");
        const file = join(dir, "big.parquet");
        await duckRows(`COPY (SELECT i AS id FROM range(10000) t(i)) TO ${sqlString(file)} (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
        const first = [];
        for await (const row of readParquet(file)) {
            first.push(row.id);
            if (first.length === 3) break;
        }
        expect(first).toEqual([0, 1, 2]);
    });

    it("reports missing files, non-parquet files and unknown columns clearly", async () => {
        const dir = tempDir("parquet");
        await expect(collect(join(dir, "nope.parquet"))).rejects.toThrow(NotFound);
        const bad = join(dir, "bad.parquet");
        writeFileSync(bad, "this is not parquet at all");
        await expect(collect(bad)).rejects.toThrow(InvalidInput);
        await expect(collect(bad)).rejects.toThrow(`${bad}: not a readable parquet file`);
        const file = `${RMB}/Pairwise_set/Harmlessness/S1.parquet`;
        await expect(collect(file, {columns: ["pair_uid", "nope"]})).rejects.toThrow("no column 'nope'");
        expect(await parquetColumns(file)).toEqual(["pair_uid", "conversation_input", "chosen", "reject", "category_path"]);
    });
});

describe("writeParquet", () => {
    it("round-trips nested rows through our reader and DuckDB, for every codec", async () => {
        const dir = tempDir("parquet");
        for (const codec of ["SNAPPY", "GZIP", "UNCOMPRESSED"] as const) {
            const file = join(dir, `out-${codec}.parquet`);
            expect(await writeParquet(file, sample, {schema: sampleSchema, codec, rowGroupSize: 2})).toBe(3);
            expect(await collect(file)).toEqual(sample);
            const types = await duckTypes(file);
            expect(types).toEqual({
                id: "VARCHAR", n: "BIGINT", x: "DOUBLE", ok: "BOOLEAN",
                messages: "STRUCT(\"role\" VARCHAR, \"content\" VARCHAR)[]",
                reward: "STRUCT(style VARCHAR, ground_truth VARCHAR)"
            });
            const theirs = await duckRows(`SELECT * FROM read_parquet(${sqlString(file)})`);
            // DuckDB's node client drops a leading U+FEFF when it converts to JS, so check the stored bytes in SQL.
            const expected = JSON.parse(JSON.stringify(sample).replace(/\ufeff/g, "")) as typeof sample;
            expect(theirs).toEqual(expected.map(r => ({...r, n: r.n == null ? null : String(r.n)})));
            const [bom] = await duckRows(`SELECT starts_with(messages[2].content, chr(65279)) AS b FROM read_parquet(${sqlString(file)}) LIMIT 1`);
            expect(bom.b).toBe(true);
        }
    });

    it("infers list<struct> schemas from rows, across empty lists and nulls", async () => {
        const schema = inferParquetSchema([{m: []}, {m: null}, {m: [{role: "user", content: "x", extra: 1}]}, {m: [{role: "assistant", content: "y"}]}]);
        expect(schema).toEqual({m: {list: {struct: {role: "string", content: "string", extra: "int64"}}}});
        const dir = tempDir("parquet");
        const file = join(dir, "inferred.parquet");
        await writeParquet(file, sample.map(({reward: _r, ...rest}) => rest));
        expect((await duckTypes(file)).messages).toBe("STRUCT(\"role\" VARCHAR, \"content\" VARCHAR)[]");
    });

    it("names the row and field of a value that does not fit the schema, and leaves no file", async () => {
        const dir = tempDir("parquet");
        const file = join(dir, "bad.parquet");
        const rows = [sample[0], {...sample[1], messages: [{role: "user", content: 5}]}];
        await expect(writeParquet(file, rows, {schema: sampleSchema})).rejects.toThrow(`${file} row 1: field 'messages[0].content' should be a string`);
        await expect(writeParquet(file, [{...sample[0], surprise: 1}], {schema: sampleSchema})).rejects.toThrow("field 'surprise' is not in the parquet schema");
        await expect(collect(file)).rejects.toThrow(NotFound);
    });

    it("writes nothing under the final name until close()", async () => {
        const dir = tempDir("parquet");
        const file = join(dir, "late.parquet");
        const writer = new ParquetRowWriter(file, {schema: sampleSchema, rowGroupSize: 1});
        writer.write(sample[0]);
        writer.write(sample[1]);
        await expect(collect(file)).rejects.toThrow(NotFound);
        writer.close();
        expect((await collect(file)).length).toBe(2);
    });
});
