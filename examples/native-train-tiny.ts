// Train a tiny native model to memorise one chat reply, then generate with it: the whole native
// training API in one page. Run: npx tsx examples/native-train-tiny.ts   (a few seconds on 2 cores)
import {AdamW, ByteTokenizer, NativeEngine, NativeModel, generateTokens, specialTokens} from "../src/index.js";
import type {ModelConfig} from "../src/index.js";

const config: ModelConfig = {
    vocabSize: 264, dModel: 64, nLayers: 2, nHeads: 4, nKvHeads: 4, dFF: 192,
    maxSeqLen: 128, ropeTheta: 10000, rmsNormEps: 1e-5, tiedEmbeddings: false
};
const tokenizer = new ByteTokenizer();
const messages = [{role: "user" as const, content: "Which is larger, 7 or 9?"}];
const reply = "<answer>9</answer>";

// One training sequence: the chat prompt, then the reply and <|eos|>; the loss covers the reply only.
const prompt = tokenizer.applyChatTemplate(messages);
const sequence = [...prompt, ...tokenizer.encode(reply), specialTokens.eos];
const mask = sequence.map((_, t) => (t >= prompt.length ? 1 : 0));

const model = await NativeModel.init(config, {seed: 1});
const optimizer = new AdamW(model, {lr: 3e-3, weightDecay: 0});
for (let step = 1; step <= 60; step++) {
    model.zeroGrad();
    const {loss} = model.nllLossAndGrad([sequence], [mask]);
    const norm = model.clipGradNorm(1.0);
    optimizer.step();
    if (step % 10 === 0) console.log(`step ${step}: loss ${loss.toFixed(4)}  grad norm ${norm.toFixed(3)}`);
}

// Per-token log-probabilities of the trained sequence (what GRPO ratios and KL terms use).
const {logprobs, rowStarts} = model.logprobs([sequence]);
const replyLogprob = logprobs.slice(rowStarts[0] + prompt.length, rowStarts[0] + sequence.length).reduce((a, b) => a + b, 0);
console.log(`log p(reply | prompt) = ${replyLogprob.toFixed(4)}`);

// Generation straight from the model (token ids) ...
const [greedy] = await generateTokens(model, [prompt], {temperature: 0, maxTokens: 40});
console.log(`greedy tokens: ${JSON.stringify(tokenizer.decode(greedy.tokens))} (${greedy.finishReason})`);

// ... or through the Engine interface every rmr1 component uses.
const engine = NativeEngine.fromModel(model, tokenizer);
const [result] = await engine.generate([{messages, options: {temperature: 0.8, n: 3, seed: 7, maxTokens: 40}}]);
for (const c of result.completions) console.log(`sample: ${JSON.stringify(c.text)} (${c.finishReason})`);
await engine.close();
model.dispose();
