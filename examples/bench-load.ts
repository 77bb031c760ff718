// Load the three benchmarks, see how they expand into comparisons (with stable ids and the metadata
// scoring needs), what is missing, and how a multi-turn RMB pair is rendered for the judge.
// Uses the small fixtures in test/fixtures/bench/ (offline); pass "shared" to load the real copies
// from ../shared/benchmarks (or $RMR1_BENCHMARKS_DIR) instead.
//   npx tsx examples/bench-load.ts [shared]
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {comparisonSampleFields, loadBenchmark, renderPair} from "../src/index.js";
import type {BenchmarkName} from "../src/index.js";

const fixtures = fileURLToPath(new URL("../test/fixtures/bench/", import.meta.url));
const useShared = process.argv[2] === "shared";

for (const name of ["rewardbench", "rm-bench", "rmb"] as BenchmarkName[]) {
    const data = await loadBenchmark(name, useShared ? {} : {source: join(fixtures, name)});
    console.log(`${name}: ${data.items} items → ${data.comparisons.length} comparisons from ${data.source}`);
    for (const gap of data.missing.slice(0, 4)) console.log(`  partial: ${gap}`);
    if (data.missing.length > 4) console.log(`  … and ${data.missing.length - 4} more`);
    console.log("  first sample fields:", JSON.stringify(comparisonSampleFields(data.comparisons[0])));
    const multi = data.comparisons.find((c) => (c.prompt?.length ?? 0) > 1);
    if (multi != null) {
        const rendered = renderPair(multi, "chosen-second", {profile: "tiny"});
        console.log(`  ${multi.id} is multi-turn; judge prompt (tiny profile, chosen shown as B):\n${rendered.messages[1].content.replace(/^/gm, "    ")}`);
    }
}
