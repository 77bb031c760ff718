// The OpenAI-compatible engine end to end, offline: this script starts its own tiny local server
// speaking the chat-completions protocol (it answers with a fixed RM-R1-style verdict), then uses
// the engine the way a judge would: seeds, n samples, logprobs, usage, cost, retries.
//   npx tsx examples/engine-openai-local.ts
// Point the same code at a real server with createEngine("openai:<model>", {baseUrls: "http://localhost:8000/v1"}).
import {createEngine, evalVerdict} from "../src/index.js";
import {ScriptedChatServer} from "../src/engines/testing/ScriptedChatServer.js";

// A llama.cpp-like server: it refuses n > 1, so the engine fans n out as separate requests.
const server = await ScriptedChatServer.start({
    rejectN: true,
    reply: ({seed}) => `<type>Chat</type>\n<eval>Chatbot A answers the question; B does not.</eval>\n<answer>[[${(seed ?? 0) % 3 === 2 ? "B" : "A"}]]</answer>`
});
// One transient failure, to show a retry honouring Retry-After.
server.failNext({kind: "status", status: 429, headers: {"retry-after": "0.2"}});

const engine = await createEngine("openai:local-judge", {
    baseUrls: server.openaiBaseUrl,
    cache: false,
    prices: {"local-judge": {inputPer1M: 0.5, outputPer1M: 1.5}} // make-believe prices, to show the cost field
});

const [result] = await engine.generate([{
    messages: [
        {role: "system", content: "Judge A vs B."},
        {role: "user", content: "Q: 2+2?\n[A]\n4\n[B]\n5"}
    ],
    options: {temperature: 0.7, seed: 1, n: 3, logprobs: true, topLogprobs: 2, maxTokens: 256}
}]);

result.completions.forEach((c, i) => console.log(`sample ${i}: verdict ${evalVerdict(c.text)} (${c.finishReason})`));
const last = result.completions[0].logprobs!.at(-1)!;
console.log(`last token ${JSON.stringify(last.token)} logprob ${last.logprob}, alternatives ${last.top!.map((t) => t.token).join(", ")}`);
console.log(`usage: ${result.usage.promptTokens} prompt + ${result.usage.completionTokens} completion tokens, $${result.usage.costUsd!.toFixed(8)}`);
console.log(`server saw: ${server.requests.map((r) => r.outcome).join(", ")}`);

await engine.close();
await server.close();
