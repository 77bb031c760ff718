// Claude as a teacher/judge through the Anthropic Messages API. With ANTHROPIC_API_KEY set it asks
// the real API; without, it starts a local server speaking the Messages protocol so it runs offline.
//   npx tsx examples/engine-anthropic.ts                       (offline)
//   ANTHROPIC_API_KEY=sk-ant-... npx tsx examples/engine-anthropic.ts claude-haiku-4-5
import {createEngine, evalVerdict, renderPair} from "../src/index.js";
import {ScriptedChatServer} from "../src/engines/testing/ScriptedChatServer.js";

const model = process.argv[2] ?? "claude-haiku-4-5";
const online = process.env.ANTHROPIC_API_KEY != null && process.env.ANTHROPIC_API_KEY !== "";
const server = online ? undefined : await ScriptedChatServer.start({
    reply: ({messages}) => `<type>Chat</type>\n<eval>(local stand-in; the system prompt was ${messages[0].content.length} characters)</eval>\n<answer>[[A]]</answer>`
});

const rendered = renderPair({
    prompt: [{role: "user", content: "Is 91 prime?"}],
    chosen: [{role: "assistant", content: "No: 91 = 7 × 13."}],
    rejected: [{role: "assistant", content: "Yes, 91 is prime."}]
}, "chosen-first");

// The system message of the RM-R1 prompt goes to the top-level `system` field; max_tokens defaults to 4096.
const engine = await createEngine(`anthropic:${model}`, {baseUrls: server?.url, cache: false});
const [result] = await engine.generate([{messages: rendered.messages, options: {temperature: 1, maxTokens: 1024, n: 2}}]);
for (const c of result.completions) console.log(`verdict ${evalVerdict(c.text)} (${c.finishReason}): ${c.text.slice(0, 120).replace(/\n/g, " ")}…`);
console.log(`${result.usage.promptTokens}+${result.usage.completionTokens} tokens` +
    (result.usage.costUsd != null ? `, $${result.usage.costUsd.toFixed(6)}` : "") + `; ${server != null ? "offline stand-in" : "api.anthropic.com"}`);
await engine.close();
await server?.close();
