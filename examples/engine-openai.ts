// Ask a running OpenAI-compatible server (vLLM, SGLang, llama.cpp's llama-server, Ollama's /v1) or
// OpenAI itself for an RM-R1 verdict.
//   OPENAI_BASE_URL=http://localhost:8080/v1 npx tsx examples/engine-openai.ts <model>
//   OPENAI_API_KEY=sk-... npx tsx examples/engine-openai.ts gpt-4o-mini     (unset OPENAI_BASE_URL)
// Several servers: OPENAI_BASE_URL=http://gpu1:8000/v1,http://gpu2:8000/v1 (balanced, with failover).
// Offline variant that starts its own server: examples/engine-openai-local.ts.
import {Rmr1Error, createEngine, evalVerdict, renderPair} from "../src/index.js";

const model = process.argv[2] ?? "default";
const rendered = renderPair({
    prompt: [{role: "user", content: "What is the capital of Australia?"}],
    chosen: [{role: "assistant", content: "Canberra."}],
    rejected: [{role: "assistant", content: "Sydney."}]
}, "chosen-first", {profile: "rm-r1-instruct"});

try {
    const engine = await createEngine(`openai:${model}`, {concurrency: 4, timeoutMs: 120_000});
    const [result] = await engine.generate([{messages: rendered.messages, options: {temperature: 0, seed: 0, maxTokens: 2048}}]);
    const text = result.completions[0].text;
    console.log(text);
    console.log(`\nverdict ${evalVerdict(text)} (correct: A), finish ${result.completions[0].finishReason}, ` +
        `${result.usage.promptTokens}+${result.usage.completionTokens} tokens, ${result.latencyMs.toFixed(0)} ms` +
        (result.usage.costUsd != null ? `, $${result.usage.costUsd.toFixed(6)}` : "") +
        (result.cached === true ? " (from the response cache)" : ""));
    await engine.close();
} catch (e) {
    // Errors say what to do: start the server, set the key, fix the model name, ...
    if (e instanceof Rmr1Error) {
        console.error(e.message);
        process.exitCode = 1;
    } else {
        throw e;
    }
}
