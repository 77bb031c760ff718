// `rmr1 serve` as OpenRLHF's remote reward model for training an RM-R1 judge, offline: no model is
// needed (the trainer sends the judge's own output; the reward is RM-R1's verifiable +1/-1).
//   npx tsx examples/serve-reward.ts
// The same server from the shell: `rmr1 serve` (then point OpenRLHF's --reward.remote_url at
// http://127.0.0.1:5000/get_reward).
import {startServer} from "../src/index.js";

const server = await startServer({port: 0});
const url = `${server.url}/get_reward`;

// OpenRLHF sends the chat-templated prompt, and the query = prompt + the generated response with
// its end-of-turn token; the label is the dataset's `winner`.
const prompt = "<|im_start|>system\nPlease act as an impartial judge...<|im_end|>\n<|im_start|>user\n[Client Question]\n2+2?\n...<|im_end|>\n<|im_start|>assistant\n";
const outputs = [
    "<type>Reasoning</type>\n<solution>2+2 = 4</solution>\n<eval>Chatbot A says 4; B says 5.</eval>\n<answer>[[A]]</answer><|im_end|>",
    "<type>Reasoning</type>\n<solution>2+2 = 4</solution>\n<eval>B looks fine.</eval>\n<answer>[[B]]</answer><|im_end|>",
    "I think A is better.<|im_end|>"   // no tagged verdict: -1
];

// One sample per request, as OpenRLHF's executor sends them.
for (const output of outputs) {
    const response = await fetch(url, {
        method: "POST",
        headers: {"content-type": "application/json"},
        body: JSON.stringify({query: [prompt + output], prompts: [prompt], labels: ["model_a"]})
    });
    console.log(JSON.stringify(await response.json()));
}

// Batched, as older OpenRLHF versions (and sharding across servers) send them.
const batched = await fetch(url, {
    method: "POST",
    headers: {"content-type": "application/json"},
    body: JSON.stringify({query: outputs.map((o) => prompt + o), prompts: outputs.map(() => prompt), labels: ["model_a", "model_a", "model_a"]})
});
console.log("batched:", JSON.stringify(await batched.json()));

// A mistake is a 400 that names the field.
const bad = await fetch(url, {method: "POST", body: JSON.stringify({query: ["x"], labels: ["tie"]})});
console.log(bad.status, JSON.stringify(await bad.json()));

console.log((await (await fetch(`${server.url}/metrics`)).text()).split("\n").filter((l) => l.startsWith("rmr1_rewards_total") || l.startsWith("rmr1_parse_failures")).join("\n"));
await server.close();
