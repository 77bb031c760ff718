// The quickstart world in a few lines: generate pairs, render them for the judge with balanced sides,
// let the programmatic teacher judge them (sometimes wrongly), and run the distillation bootstrap's
// second pass on the wrong ones with the reference hint. Offline, instant.
//   npx tsx examples/world-teacher.ts
import {
    balancedOrders, createEngine, distillCorrect, formatWorldAccuracy, generateWorldPairs, parseCor, pass2HintText, renderPair, worldAccuracyTable
} from "../src/index.js";
import type {WorldJudgedItem} from "../src/index.js";

const pairs = [...generateWorldPairs({n: 400, seed: 7, family: "all", level: 1, split: "test"})];
console.log("a pair:", JSON.stringify(pairs[0]));

// The world leaves the A/B order to whoever renders: balance it within every family/level/kind stratum.
const orders = balancedOrders(pairs, 7);
const rendered = pairs.map((p) => renderPair(p, orders.get(p.id)!, {profile: "tiny"}));
console.log("\nthe judge prompt (tiny profile):\n" + rendered[0].messages.map((m) => `[${m.role}] ${m.content}`).join("\n"));

// Pass 1: a teacher that is wrong 25% of the time (seeded: the same request gives the same trace).
const teacher = await createEngine("world:teacher?error=0.25&seed=1");
const first = await teacher.generate(rendered.map((r) => ({messages: r.messages})));
console.log("\nits trace:\n" + first[0].completions[0].text);

const items: WorldJudgedItem[] = pairs.map((p, i) => ({
    family: p.meta.family, level: p.meta.level, kind: p.meta.kind,
    chosenPosition: rendered[i].chosenPosition, verdict: parseCor(first[i].completions[0].text).verdict
}));
console.log("\npass-1 accuracy of the teacher, per stratum (always-A is 50% by construction):");
console.log(formatWorldAccuracy(worldAccuracyTable(items).filter((r) => r.level === "all")));

// Pass 2 for the wrong ones: the hint names the correct verdict and quotes the wrong judgement.
const wrong = rendered.map((r, i) => ({r, text: first[i].completions[0].text})).filter(({r, text}) => !distillCorrect(text, r.label));
const second = await teacher.generate(wrong.map(({r, text}) => ({
    messages: [r.messages[0], {role: "user" as const, content: r.messages[1].content + pass2HintText(r.label, text)}]
})));
const fixed = second.filter((res, i) => distillCorrect(res.completions[0].text, wrong[i].r.label)).length;
console.log(`pass 2: ${fixed} of ${wrong.length} wrong traces rewritten for the revealed verdict`);
console.log("a wrong pass-1 trace:\n" + wrong[0].text + "\nits pass-2 rewrite:\n" + second[0].completions[0].text);
await teacher.close();
