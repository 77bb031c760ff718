// The in-process GGUF engine (node-llama-cpp in a child process), offline: export a tiny native
// model as GGUF, load it, sample several seeded completions in parallel with logprobs, and read
// P(A) vs P(B) at a verdict position. The model is untrained, so its text is noise; point the
// script at a real judge to see real verdicts.
//   npx tsx examples/gguf-judge.ts                      # writes and uses a tiny random model
//   npx tsx examples/gguf-judge.ts path/to/model.gguf   # or hf:<owner>/<repo>/<file>.gguf
import {mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {createEngine, exportGguf, GgufEngine} from "../src/index.js";
import {KernelRuntime} from "../src/native/kernels/KernelRuntime.js";
import {modelPresets} from "../src/native/model/ModelConfig.js";
import {NativeModel} from "../src/native/model/NativeModel.js";

let source = process.argv[2];
if (source == null) {
    const runtime = await KernelRuntime.create({threads: 1});
    const model = await NativeModel.init(modelPresets.tiny, {seed: 1, runtime});
    source = join(mkdtempSync(join(tmpdir(), "rmr1-gguf-")), "tiny.gguf");
    await exportGguf({config: modelPresets.tiny, params: model.paramMap()}, source);
    model.dispose();
    await runtime.close();
}

// `gguf:` provider strings work anywhere an engine is named (CLI, judge, bench).
const engine = await createEngine(`gguf:${source}`, {concurrency: 4, contextSize: 1024}) as GgufEngine;
console.log("loaded", engine.info.path, {threads: engine.info.threads, gpu: engine.info.gpu, sequences: engine.info.sequences, template: engine.info.chatTemplate});

const messages = [
    {role: "system" as const, content: "Judge A vs B."},
    {role: "user" as const, content: "Q: 2+2?\n[A]\n4\n[B]\n5"}
];
// Four samples of one request run on four sequences of one context; the seed makes them repeatable.
const [result] = await engine.generate([{messages, options: {temperature: 0.8, seed: 7, n: 4, maxTokens: 48, logprobs: true, topLogprobs: 2}}]);
for (const c of result.completions) console.log(JSON.stringify(c.text.slice(0, 60)), c.finishReason, `first token logprob ${c.logprobs?.[0]?.logprob.toFixed(3)}`);
console.log("usage", result.usage, `${result.latencyMs.toFixed(0)} ms`);

// P(A) vs P(B): the model's next-token distribution right after "<answer>[[" in its own reply.
const prompt = await engine.applyChatTemplate(messages);
const prefix = [...prompt, ...await engine.tokenize("<answer>[[")];
const [probs] = await engine.nextTokenProbabilities(prefix);
const [a] = await engine.tokenize("A"), [b] = await engine.tokenize("B");
console.log(`P(A) = ${probs[a].toFixed(4)}, P(B) = ${probs[b].toFixed(4)}, P(A | A or B) = ${(probs[a] / (probs[a] + probs[b])).toFixed(4)}`);
await engine.close();
