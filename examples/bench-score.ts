// Score a samples file exactly as the reference scripts do, under both error rules and both RM-Bench
// mappings, and write the Markdown report. Runs offline on the hand vectors in test/fixtures/bench/.
//   npx tsx examples/bench-score.ts [samples.jsonl]
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {allScores, renderBenchReport, scoreSamplesFile} from "../src/index.js";

const file = process.argv[2] ?? fileURLToPath(new URL("../test/fixtures/bench/samples/minimal.jsonl", import.meta.url));

const r1 = await scoreSamplesFile(file, "all");
console.log("r1 rule (error → 0), correct RM-Bench mapping:");
console.log(JSON.stringify(allScores(r1.results), null, 2));

const original = await scoreSamplesFile(file, "all", {rules: "original", rmbenchMapping: "as-published"});
const o = allScores(original.results);
console.log("\noriginal rule (error → 0.5), as-published RM-Bench mapping:");
console.log(`  RewardBench ${o.rewardbench?.score}  RM-Bench ${o["rm-bench"]?.score}  RMB ${o.rmb?.score}`);

const report = join(mkdtempSync(join(tmpdir(), "rmr1-bench-")), "report.md");
writeFileSync(report, renderBenchReport(r1.results, {model: "example"}));
console.log(`\nreport: ${report}`);
