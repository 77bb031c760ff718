// The batch path offline: distill in batch mode writes an Anthropic Message Batches request file for
// pass 1; here the world teacher stands in for the provider and answers it (one request expired, as
// real batches sometimes do), the results file is ingested, pass 2 comes out as an OpenAI Batch file
// with the hinted prompts, the expired request is queued again, and so on until the job is complete.
// With real APIs you upload the files yourself (or pass submit: true / --submit), and hand the
// result files back with results: [...] / --results.
//   npx tsx examples/distill-batch-files.ts
import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {distill, generateWorldPairs, WorldTeacher} from "../src/index.js";
import type {Message} from "../src/index.js";

const job = mkdtempSync(join(tmpdir(), "rmr1-distill-batch-"));
const pairs = [...generateWorldPairs({n: 40, seed: 2, family: "all", level: 2})];
const provider = new WorldTeacher({error: 0.25, seed: 3});   // the stand-in for Claude and o3
let expiredOne = false;

/** Answer a request file as the provider would, in its result format. */
async function answer(file: string): Promise<string> {
    const text = readFileSync(file, "utf8");
    const lines: string[] = [];
    if (file.endsWith(".json")) {
        for (const {custom_id, params} of (JSON.parse(text) as {requests: {custom_id: string, params: {system: string, messages: Message[]}}[]}).requests) {
            if (!expiredOne) {
                expiredOne = true;
                lines.push(JSON.stringify({custom_id, result: {type: "expired"}}));
                continue;
            }
            const [r] = await provider.generate([{messages: [{role: "system", content: params.system}, ...params.messages]}]);
            lines.push(JSON.stringify({custom_id, result: {type: "succeeded", message: {
                id: custom_id, type: "message", role: "assistant", model: "claude-3-7-sonnet-20250219", content: [{type: "text", text: r.completions[0].text}],
                stop_reason: "end_turn", stop_sequence: null, usage: {input_tokens: r.usage.promptTokens, output_tokens: r.usage.completionTokens}
            }}}));
        }
    } else {
        for (const line of text.trim().split("\n")) {
            const {custom_id, body} = JSON.parse(line) as {custom_id: string, body: {model: string, messages: Message[]}};
            const [r] = await provider.generate([{messages: body.messages}]);
            lines.push(JSON.stringify({id: `batch_req_${custom_id}`, custom_id, error: null, response: {status_code: 200, request_id: custom_id, body: {
                id: custom_id, object: "chat.completion", model: body.model, choices: [{index: 0, message: {role: "assistant", content: r.completions[0].text}, finish_reason: "stop"}],
                usage: {prompt_tokens: r.usage.promptTokens, completion_tokens: r.usage.completionTokens}
            }}}));
        }
    }
    const out = file.replace(/\.jsonl?$/, ".results.jsonl");
    writeFileSync(out, lines.join("\n") + "\n");
    return out;
}

let result = await distill({job, input: pairs, mode: "batch"});
for (let round = 1; !result.complete; round++) {
    const files = result.batch!.written.map((b) => join(job, b.file));
    console.log(`round ${round}: ${files.map((f) => f.slice(job.length + 1)).join(", ")}`);
    const results = await Promise.all(files.map(answer));
    result = await distill({job, mode: "batch", results});
    for (const i of result.batch!.ingested) console.log(`  ingested ${i.succeeded} answers, ${i.failed} failed (re-queued)`);
}
console.log(`complete: ${result.kept} kept (${result.keptPass1} from pass 1, ${result.keptPass2} from pass 2), ${result.dropped} dropped`);
console.log(`cost at batch prices (the stand-in reports the world's byte counts as tokens): $${result.costUsd.toFixed(4)}`);
console.log(`SFT set → ${result.output!.file}`);
