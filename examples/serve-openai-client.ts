// A native model behind `rmr1 serve`, used through the OpenAI protocol, offline: the script writes a
// tiny model (seeded random weights, so its outputs are noise), serves it, and talks to it with
// rmr1's own OpenAI engine, a judge over that engine, and plain fetch with streaming.
//   npx tsx examples/serve-openai-client.ts
// From the shell: `rmr1 serve --model native:<dir> --profile tiny`, then any OpenAI client with
// base URL http://127.0.0.1:5000/v1.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {initParams, Judge, modelPresets, NativeEngine, OpenAIEngine, saveCheckpoint, startServer} from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-example-serve-"));
const config = modelPresets.tiny;
await saveCheckpoint(dir, {config, params: initParams(config, 1), extra: {seed: 1, step: 0, name: "example-random-tiny"}});

const engine = await NativeEngine.load(dir, {threads: 1});
const server = await startServer({engine, port: 0, modelName: "tiny-random", judge: {profile: "tiny", maxTokens: 24}});
console.log(`serving ${engine.id} at ${server.url}`);

// rmr1's OpenAI engine (the one used for vLLM, llama.cpp server, OpenAI itself) pointed at it.
const client = new OpenAIEngine({model: "tiny-random", baseUrls: `${server.url}/v1`});
const [result] = await client.generate([{messages: [{role: "user", content: "Hello"}], options: {temperature: 1, seed: 7, maxTokens: 16, n: 2}}]);
console.log("completions:", result.completions.map((c) => JSON.stringify(c.text)), "usage:", result.usage, "fingerprint:", result.systemFingerprint);

// The same seed directly: identical text, the server only adds transport.
const [direct] = await engine.generate([{messages: [{role: "user", content: "Hello"}], options: {temperature: 1, seed: 7, maxTokens: 16, n: 2}}]);
console.log("identical to the in-process engine:", direct.completions.every((c, i) => c.text === result.completions[i].text));

// A judge over HTTP (a random model rarely writes a verdict: expect "error").
const judgment = await new Judge(client, {profile: "tiny", maxTokens: 24}).judgePair({
    prompt: [{role: "user", content: "2+2?"}], chosen: [{role: "assistant", content: "4"}], rejected: [{role: "assistant", content: "5"}]
});
console.log("judge over HTTP:", judgment.verdict, JSON.stringify(judgment.outputs[0].text));

// Streaming, as the OpenAI SDKs ask for it.
const stream = await fetch(`${server.url}/v1/chat/completions`, {
    method: "POST",
    headers: {"content-type": "application/json"},
    body: JSON.stringify({model: "tiny-random", messages: [{role: "user", content: "Hi"}], stream: true, max_tokens: 8, seed: 1})
});
console.log("stream:", (await stream.text()).split("\n\n").filter((e) => e !== "").length, "events, the last:", "data: [DONE]");

await client.close();
await server.close();
await engine.close();
rmSync(dir, {recursive: true, force: true});
