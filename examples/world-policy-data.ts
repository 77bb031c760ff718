// The policy-pretraining data of the quickstart's base model: Compute / List tasks and the two check
// tasks that build the judge's skills, in TRL's {"messages": [...]} form; and the policy scorer that
// reports a model's own accuracy on Compute / List questions.
//   npx tsx examples/world-policy-data.ts
import {generatePolicyData, policyAccuracy} from "../src/index.js";

const data = [...generatePolicyData({n: 2000, seed: 1})];
for (const task of ["compute", "list", "check-compute", "check-list"]) {
    const ex = data.find((e) => e.task === task)!;
    console.log(`--- ${task} (level ${ex.level})\n[user] ${ex.messages[0].content}\n[assistant] ${ex.messages[1].content}`);
}

// Score some replies as a policy would give them: the data's own answers, every 4th one corrupted
// (the last digit of a computed answer changed, a list written in the other case).
const corrupt = (reply: string) => /\d$/.test(reply)
    ? reply.replace(/\d$/, (d) => String((Number(d) + 1) % 10))
    : reply === reply.toUpperCase() ? reply.toLowerCase() : reply.toUpperCase();
const policy = data.filter((e) => e.task === "compute" || e.task === "list").slice(0, 200);
const replies = policy.map((e, i) => ({question: e.messages[0].content, reply: i % 4 === 0 ? corrupt(e.messages[1].content) : e.messages[1].content, level: e.level}));
console.log("\npolicy accuracy of the corrupted replies (every 4th one is wrong):");
for (const row of policyAccuracy(replies)) console.log(`${row.family} level ${row.level}: ${row.correct}/${row.n} = ${(100 * row.accuracy).toFixed(1)}%`);
