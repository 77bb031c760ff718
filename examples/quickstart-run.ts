// The quickstart from TypeScript: the fast budget (a few minutes on 2 cores), then the table and the
// trained reasoning reward model judging one new pair. Offline.
//   npx tsx examples/quickstart-run.ts [out-dir]
import {Judge, createEngine, quickstartReport, runQuickstart} from "../src/index.js";

const out = process.argv[2] ?? "runs/quickstart-example";
const scores = await runQuickstart({out, budget: "fast", seed: 1, progressBar: true, log: (line) => console.error(line)});
console.log(quickstartReport(scores));

// The final model is a native checkpoint: any engine-based tool can use it.
const engine = await createEngine(scores.model);
try {
    const judge = new Judge(engine, {profile: "tiny", order: "fixed"});
    const j = await judge.judgePair({
        id: "example",
        prompt: [{role: "user", content: "Compute 12 + 30."}],
        chosen: [{role: "assistant", content: "12 + 30 = 42\nAnswer: 42"}],
        rejected: [{role: "assistant", content: "12 + 30 = 52\nAnswer: 52"}]
    });
    console.log(`verdict ${j.verdict} (correct: ${j.correct})\n${j.outputs.map((o) => o.text).join("\n")}`);
} finally {
    await engine.close();
}
