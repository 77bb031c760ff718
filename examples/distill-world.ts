// Distil a small SFT set offline: the quickstart world's pairs, its programmatic teacher wrong on 25%
// of first passes, the two-pass bootstrap, a resumable job folder. Rerunning resumes (nothing is
// asked twice); `rmr1 distill status --job <folder>` reads the same job.
//   npx tsx examples/distill-world.ts [job folder]
// With real teachers: distill({job, input: "pairs.jsonl"}) uses the reference's Claude 3.7 Sonnet
// then o3 (ANTHROPIC_API_KEY and OPENAI_API_KEY), or teacher: "openai:<model>" with baseUrl for a
// local OpenAI-compatible server.
import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {distill, generateWorldPairs} from "../src/index.js";

const job = process.argv[2] ?? mkdtempSync(join(tmpdir(), "rmr1-distill-"));
const pairs = [...generateWorldPairs({n: 200, seed: 1, family: "all", level: "mix"})];
let shown = -1;

const result = await distill({
    job,
    input: pairs,
    // One teacher for both passes; pass2Error makes some hinted traces stay wrong, to show the drop.
    teacher: "world:teacher?error=0.25&pass2Error=0.1&seed=1",
    profile: "tiny",
    concurrency: 8,
    onProgress: (p) => {
        if (p.done % 50 === 0 && p.done !== shown) console.log(`progress: ${p.done}/${p.items} settled, ${p.kept} kept, ${p.dropped} dropped`);
        shown = p.done;
    }
});

console.log(`pass 1: ${result.pass1.answered} answered, ${result.pass1.wrong} wrong (error rate ${(100 * result.pass1ErrorRate!).toFixed(1)}%)`);
console.log(`pass 2: ${result.pass2.answered} hinted re-judgements, ${result.pass2.correct} recovered, ${result.dropped} dropped`);
console.log(`SFT set: ${result.output!.rows} rows (acceptance ${(100 * result.acceptanceRate!).toFixed(1)}%) → ${result.output!.file}`);

// A row recovered by pass 2: the trace was written for the hinted prompt, the row keeps the plain one.
const rows = readFileSync(result.output!.file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
const provenance = readFileSync(result.output!.provenance!, "utf8").trim().split("\n").map((l) => JSON.parse(l));
const i = provenance.findIndex((p) => p.pass === 2);
console.log(`\nrow ${i} (pass ${provenance[i].pass}, ${provenance[i].id}):`);
console.log(rows[i].context_messages.map((m: {role: string, content: string}) => `[${m.role}] ${m.content}`).join("\n"));
console.log(`[winner]\n${rows[i].winner}`);
