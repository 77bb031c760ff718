// The response cache, offline: a repeated request is answered from SQLite, concurrent identical
// requests make one call, and unseeded sampling bypasses the cache (so votes stay independent).
//   npx tsx examples/engine-cache.ts
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {OpenAIEngine, ResponseCache, withCache} from "../src/index.js";
import type {GenerateRequest} from "../src/index.js";
import {ScriptedChatServer} from "../src/engines/testing/ScriptedChatServer.js";

const server = await ScriptedChatServer.start({latencyMs: 200});
const dir = mkdtempSync(join(tmpdir(), "rmr1-cache-example-"));
const cache = new ResponseCache({path: join(dir, "responses.sqlite"), ttlMs: 7 * 86_400_000});
const engine = withCache(new OpenAIEngine({model: "local", baseUrls: server.openaiBaseUrl}), cache, {closeCache: true});
const ask = (options: GenerateRequest["options"]): GenerateRequest => ({messages: [{role: "user", content: "Which reply is better?"}], options});

const first = await engine.generate([ask({seed: 1})]);
const again = await engine.generate([ask({seed: 1})]);
console.log(`first: ${first[0].latencyMs.toFixed(0)} ms, cached ${first[0].cached === true}; again: ${again[0].latencyMs} ms, cached ${again[0].cached}`);

const before = server.requests.length;
await Promise.all([1, 2, 3, 4].map(() => engine.generate([ask({seed: 2})])));
console.log(`4 concurrent identical requests -> ${server.requests.length - before} call to the server`);

// Voting over k samples: give each its own seed (cached, reproducible) ...
const seeded = await engine.generate([1, 2, 3].map((seed) => ask({temperature: 0.8, seed: 100 + seed})));
// ... or leave the seed out: then each sample is fresh and never cached.
const unseeded = await engine.generate([ask({temperature: 0.8}), ask({temperature: 0.8})]);
console.log(`seeded votes: ${seeded.map((r) => r.completions[0].text).join(" | ")}`);
console.log(`unseeded votes cached: ${unseeded.map((r) => r.cached === true).join(", ")}`);

console.log(cache.info());
await engine.close();
await server.close();
rmSync(dir, {recursive: true, force: true});
