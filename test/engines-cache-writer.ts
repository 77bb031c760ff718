// Child process for the cache crash test: writes large entries to a ResponseCache as fast as it can,
// printing the count after each committed write, until the parent kills it with SIGKILL.
import {ResponseCache} from "../src/engines/cache/ResponseCache.js";

const cache = new ResponseCache({path: process.argv[2]});
const text = "x".repeat(200_000);
for (let i = 0; ; i++) {
    cache.set(`key-${i}`, "openai:crash-test", {
        completions: [{text: `${i}:${text}`, finishReason: "stop"}],
        usage: {promptTokens: i, completionTokens: 1},
        latencyMs: 1,
        model: "crash-test"
    });
    process.stdout.write(`${i + 1}\n`);
}
