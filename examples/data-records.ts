// Preference records from the shapes people hold, in any container, with the shape detected:
// a RewardBench-style JSONL file, a Skywork-style parquet file and an RMB-style JSON array.
//   npx tsx examples/data-records.ts
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {detectShape, readRecords, readRows, writeRows} from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-records-example-"));
const conversation = (...turns: string[]) => turns.map((content, i) => ({role: i % 2 === 0 ? "user" : "assistant", content}));

await writeRows(join(dir, "rewardbench.jsonl"), [
    {prompt: "Is 91 prime?", chosen: "No: 91 = 7 × 13.", chosen_model: "human", rejected: "Yes.", rejected_model: "gpt", subset: "math-prm", id: 1}
]);
await writeRows(join(dir, "skywork.parquet"), [
    {source: "helpsteer2", chosen: conversation("Hi!", "Hello! How can I help?"), rejected: conversation("Hi!", "What.")}
]);
await writeRows(join(dir, "rmb.json"), [
    {conversation_input: [{content: "Name a prime.", language: "English", role: "user"}], bon_best: {llm_name: "m1", answer: "7"},
        loser_list: [{llm_name: "m2", answer: "9"}, {llm_name: "m3", answer: "15"}], bon_uid: "b1", category_path: "BoN_set/Helpfulness/Reasoning/Math"}
]);

for await (const row of readRows(dir)) console.log(`${row.location}: shape ${detectShape(row.value)}`);
for await (const record of readRecords(dir)) {
    console.log(`${record.id} [${record.source}/${record.domain}] chosen=${JSON.stringify(record.chosen[0].content)} rejected=${JSON.stringify(record.rejected[0].content)}`);
}
rmSync(dir, {recursive: true, force: true});
