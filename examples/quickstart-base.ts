// The quickstart's shipped base model (assets/base-policy): a 0.87M-parameter model pretrained from
// scratch as a policy of the world. It answers Compute / List questions and checks given replies,
// the skills the reasoning reward model is distilled on top of. Offline, a few seconds.
//   npx tsx examples/quickstart-base.ts
import {DEFAULT_BASE_MODEL, NativeEngine, evaluatePolicy, formatPolicyAccuracy, loadCheckpoint} from "../src/index.js";

const meta = (await loadCheckpoint(DEFAULT_BASE_MODEL)).meta as {pretraining?: {steps: number, trainSeconds: number}};
console.log(`base model: ${DEFAULT_BASE_MODEL}, pretrained ${meta.pretraining?.steps} steps in ${((meta.pretraining?.trainSeconds ?? 0) / 60).toFixed(0)} min`);

const engine = await NativeEngine.load(DEFAULT_BASE_MODEL, {threads: 1});
try {
    // A list is sampled: the base learnt a distribution over items, and greedy decoding repeats the likeliest (`bee, bee, bee`).
    for (const question of ["Compute 47 + 38.", "List 3 animals in lowercase, separated by commas.", "Check: Compute 47 + 38.\nAnswer: 95"]) {
        const temperature = question.startsWith("List") ? 1 : 0;
        const [r] = await engine.generate([{messages: [{role: "user", content: question}], options: {maxTokens: 60, temperature, seed: 1}}]);
        console.log(`\n[user] ${question}\n[base] ${r.completions[0].text}`);
    }
    // Its accuracy as a policy on held-out questions (a few per cell here; the README has the full table).
    const {rows} = await evaluatePolicy(engine.model, {perCell: 20, levels: [1, 2]});
    console.log("\n" + formatPolicyAccuracy(rows));
} finally {
    await engine.close();
}
