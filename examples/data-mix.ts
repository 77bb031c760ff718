// A training mix from your own data, then exported for veRL and TRL. The RM-R1 recipe itself is
// `rmr1 mix --recipe rm-r1 --out mix.parquet` (it downloads the three Hub datasets).
//   npx tsx examples/data-mix.ts
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {buildMix, exportDataset, numpyPermutation, readRows, writeRows, type MixConfig} from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-mix-example-"));
await writeRows(join(dir, "code.jsonl"), Array.from({length: 50}, (_, i) => ({input: `Write f${i}.`, accepted: `def f${i}(): return ${i}`, rejected: `def f${i}(): retrun`})));
await writeRows(join(dir, "chat.jsonl"), [
    {prompt: "Say hi.", chosen: "Hi!", rejected: "No.", lang: "en"},
    {prompt: "Di hola.", chosen: "¡Hola!", rejected: "No.", lang: "es"}
]);

// Hugging Face's Dataset.shuffle(seed=42) order, bit for bit (NumPy's default_rng(42).permutation(10)):
console.log("shuffle(seed=42) of 10 rows:", numpyPermutation(10, 42).join(" "));   // 5 6 0 7 3 2 4 9 1 8

const config: MixConfig = {
    seed: 42,
    sources: [
        {name: "code", path: join(dir, "code.jsonl"), shuffle: true, take: 5},
        {name: "chat", path: join(dir, "chat.jsonl"), where: [{field: "lang", equals: "en"}]}
    ],
    output: ["chat", "code"],
    includeMeta: true
};
const report = await buildMix(config, join(dir, "mix.parquet"));
console.log(`mix: ${report.rows} rows, labels ${JSON.stringify(report.labels)}`);
for await (const row of readRows(join(dir, "mix.parquet"))) {
    const r = row.value as {id: string, winner: string};
    console.log(`  ${r.id} → ${r.winner}`);
}
const verl = await exportDataset(join(dir, "mix.parquet"), join(dir, "train.parquet"), {format: "verl", dataSource: "my-mix"});
console.log(`veRL: ${verl.rows} rows; ${verl.usage}`);
const trl = await exportDataset(join(dir, "mix.parquet"), join(dir, "train-trl.jsonl"), {format: "trl"});
console.log(`TRL: ${trl.rows} rows`);
rmSync(dir, {recursive: true, force: true});
