// Contract tests of `POST /get_reward` against the trainers that call it:
// - OpenRLHF: the request shapes it sends (one sample per request, as its current executor does;
//   batched, as older versions and sharded servers do; the old `{"query"}`-only shape), answered with
//   `{"rewards", "scores", "extra_logs"}` lists of the right length and values;
// - veRL: `compute_score(data_source, solution_str, ground_truth, extra_info)` of the generated
//   module, run with /usr/bin/python3 both against the server and locally, and OpenRLHF's
//   `reward_func(queries, prompts, labels)` of the same module;
// - the policy modes (reference answer, group of samples) with a real tiny judge model (REAL MODEL).
// Expected values come from the protocol layer's golden cases (a Python reimplementation of the
// reference), so the server is checked against the reference rule, not against itself.
import {spawn} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {Judge} from "../src/judge/Judge.js";
import {groupRewards, referenceReward} from "../src/judge/judgeRewards.js";
import {NativeEngine} from "../src/native/NativeEngine.js";
import {rlReward} from "../src/protocol/extractors.js";
import {launchFiles} from "../src/scale/writeLaunch.js";
import {startServer} from "../src/serve/RewardServer.js";
import type {RewardServer} from "../src/serve/RewardServer.js";
import {writeVerdictModel} from "./fixtures/judge/judgeModels.js";

const golden = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "protocol", "extractors.golden.json"), "utf8")) as {
    cases: {name: string, text: string, rl: {model_a: number, model_b: number}}[], rlRaisesOnLabels: string[]
};
const labels = ["model_a", "model_b"] as const;
/** A Qwen chat-templated prompt, as OpenRLHF sends `prompts` with --apply_chat_template. */
const prompt = "<|im_start|>system\nJudge A vs B.<|im_end|>\n<|im_start|>user\nQ: 2+2?\n[A]\n4\n[B]\n5<|im_end|>\n<|im_start|>assistant\n";
const samples = golden.cases.flatMap((c) => labels.map((label) => ({query: prompt + c.text, label, reward: c.rl[label]})));
const token = "contract-test-token-0123456789";

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{status: number, body: any}> {
    const r = await fetch(url, {method: "POST", headers: {"content-type": "application/json", ...headers}, body: JSON.stringify(body)});
    return {status: r.status, body: await r.json()};
}

/** Run calls of the module in /usr/bin/python3. Asynchronously: the server it calls runs in this process. */
function runModule(module: string, calls: unknown[], env: Record<string, string>): Promise<{ok?: any, error?: string, message?: string}[]> {
    return new Promise((resolve, reject) => {
        const child = spawn("/usr/bin/python3", [join(import.meta.dirname, "fixtures", "serve", "call_reward_module.py"), module], {env: {PATH: process.env.PATH ?? "", ...env}});
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`python failed (${code}): ${stderr}`))));
        child.stdin.end(JSON.stringify(calls));
    });
}

describe("/get_reward in mode rm-r1 (no model)", () => {
    let server: RewardServer;
    let authed: RewardServer;
    const dir = mkdtempSync(join(tmpdir(), "rmr1-serve-contract-"));
    const module = join(dir, "rmr1_reward.py");

    beforeAll(async () => {
        server = await startServer({port: 0});
        authed = await startServer({port: 0, token});
        writeFileSync(module, launchFiles("verl", {family: "instruct", size: "7b", out: dir, reward: "server", rewardUrl: `${server.url}/get_reward`}).files["rmr1_reward.py"]);
    });

    afterAll(async () => {
        await server?.close();
        await authed?.close();
        rmSync(dir, {recursive: true, force: true});
    });

    it("answers OpenRLHF's one-sample requests with the reference reward", async () => {
        const answers = await Promise.all(samples.map((s) => post(`${server.url}/get_reward`, {query: [s.query], prompts: [prompt], labels: [s.label]})));
        for (const [i, a] of answers.entries()) {
            expect(a.status).toBe(200);
            expect(a.body).toEqual({
                rewards: [samples[i].reward],
                scores: [(samples[i].reward + 1) / 2],
                extra_logs: {correct: [samples[i].reward === 1 ? 1 : 0], has_verdict: [expect.any(Number)]}
            });
        }
        expect(new Set(samples.map((s) => s.reward))).toEqual(new Set([1, -1]));
    });

    it("answers a batched request in order", async () => {
        const a = await post(`${server.url}/get_reward`, {query: samples.map((s) => s.query), prompts: samples.map(() => prompt), labels: samples.map((s) => s.label)});
        expect(a.status).toBe(200);
        expect(a.body.rewards).toEqual(samples.map((s) => s.reward));
        expect(a.body.scores).toEqual(samples.map((s) => (s.reward + 1) / 2));
        expect(a.body.extra_logs.correct).toHaveLength(samples.length);
    });

    it("keeps the EOS token in the tail window, as the reference's decoded responses do", async () => {
        // 70 characters of reasoning, the verdict, then <|im_end|>: the tail holds the verdict only
        // when the EOS text counts toward the 80 characters exactly as in the reference.
        for (const pad of [40, 58, 59, 70]) {
            const response = "x".repeat(pad) + "<answer>[[B]]</answer>" + "<|im_end|>";
            const a = await post(`${server.url}/get_reward`, {query: [prompt + response], prompts: [prompt], labels: ["model_b"]});
            expect(a.body.rewards).toEqual([rlReward(response, "model_b")]);
        }
    });

    it("reads queries without prompts (older OpenRLHF) and refuses what it cannot score, naming the field", async () => {
        const noPrompts = await post(`${server.url}/get_reward`, {query: samples.map((s) => s.query), labels: samples.map((s) => s.label)});
        expect(noPrompts.body.rewards).toEqual(samples.map((s) => s.reward));
        const noLabels = await post(`${server.url}/get_reward`, {query: ["x"]});
        expect(noLabels).toMatchObject({status: 400, body: {error: {field: "labels"}}});
        const badLabel = await post(`${server.url}/get_reward`, {query: ["a", "b"], labels: ["model_a", "tie"]});
        expect(badLabel).toMatchObject({status: 400, body: {error: {field: "labels[1]"}}});
        const lengths = await post(`${server.url}/get_reward`, {query: ["a", "b"], labels: ["model_a"]});
        expect(lengths).toMatchObject({status: 400, body: {error: {field: "labels"}}});
        const notText = await post(`${server.url}/get_reward`, {query: ["a", 3], labels: ["model_a", "model_a"]});
        expect(notText).toMatchObject({status: 400, body: {error: {field: "query[1]"}}});
        const policy = await post(`${server.url}/get_reward?mode=reference`, {query: ["a"], labels: ["b"]});
        expect(policy).toMatchObject({status: 400, body: {error: {field: "mode"}}});
        expect(policy.body.error.message).toMatch(/--model/);
    });

    it("veRL compute_score (python3): the same rewards through the server and locally", async () => {
        const calls = samples.map((s) => ({fn: "compute_score", args: ["gaotang/RM-R1-after-Distill-RLVR", s.query.slice(prompt.length), s.label, {split: "train", index: 0}]}));
        calls.push({fn: "compute_score_batched", args: [samples.map(() => "d"), samples.map((s) => s.query.slice(prompt.length)), samples.map((s) => s.label), samples.map(() => ({}))]} as never);
        const viaServer = await runModule(module, calls, {RMR1_REWARD_MODE: "server", RMR1_REWARD_URL: `${server.url}/get_reward`});
        const local = await runModule(module, calls, {RMR1_REWARD_MODE: "local"});
        const expected = samples.map((s) => s.reward);
        expect(viaServer.slice(0, -1).map((o) => o.ok)).toEqual(expected);
        expect(local.slice(0, -1).map((o) => o.ok)).toEqual(expected);
        expect(viaServer.at(-1)!.ok).toEqual(expected);
        expect(local.at(-1)!.ok).toEqual(expected);
        // A bad label: the local rule raises as the reference does; the server's 400 becomes an error too.
        const bad = [{fn: "compute_score", args: ["d", "<answer>[[A]]</answer>", "tie", null]}];
        expect((await runModule(module, bad, {RMR1_REWARD_MODE: "local"}))[0].error).toBe("NotImplementedError");
        expect((await runModule(module, bad, {RMR1_REWARD_MODE: "server", RMR1_REWARD_URL: `${server.url}/get_reward`}))[0]).toMatchObject({error: "RuntimeError", message: expect.stringContaining("HTTP 400")});
    });

    it("OpenRLHF reward_func (python3) sends the bearer token the trainer's own HTTP client cannot", async () => {
        const queries = samples.slice(0, 20).map((s) => s.query);
        const call = [{fn: "reward_func", args: [queries, queries.map(() => prompt), samples.slice(0, 20).map((s) => s.label)]}];
        const env = {RMR1_REWARD_MODE: "server", RMR1_REWARD_URL: `${authed.url}/get_reward`};
        const [ok] = await runModule(module, call, {...env, RMR1_TOKEN: token});
        // Tensors when torch is installed (as in a trainer), lists otherwise.
        const values = (x: any) => x?.tensor ?? x;
        expect(values(ok.ok.rewards)).toEqual(samples.slice(0, 20).map((s) => s.reward));
        expect(values(ok.ok.scores)).toEqual(samples.slice(0, 20).map((s) => (s.reward + 1) / 2));
        expect(Object.keys(ok.ok.extra_logs).sort()).toEqual(["correct", "has_verdict"]);
        const tokenFile = join(dir, "token");
        writeFileSync(tokenFile, token + "\n");
        expect((await runModule(module, call, {...env, RMR1_TOKEN_FILE: tokenFile}))[0].ok.rewards).toEqual(ok.ok.rewards);
        const [refused] = await runModule(module, call, {...env, RMR1_TOKEN: "wrong-token-xxxxxxxx"});
        expect(refused).toMatchObject({error: "RuntimeError", message: expect.stringContaining("HTTP 401")});
        // Local mode gives the server's answer, logs included.
        const [local] = await runModule(module, call, {RMR1_REWARD_MODE: "local"});
        expect(local.ok).toEqual(ok.ok);
    });
});

describe("/get_reward for a policy (REAL MODEL: a tiny judge)", () => {
    const dir = mkdtempSync(join(tmpdir(), "rmr1-serve-policy-"));
    let engine: NativeEngine;
    let server: RewardServer;
    const judgeOptions = {profile: "tiny" as const, order: "both" as const, samples: 3, temperature: 1, maxTokens: 20, seed: 9};

    beforeAll(async () => {
        await writeVerdictModel(dir);
        engine = await NativeEngine.load(dir, {threads: 1});
        server = await startServer({engine, port: 0, judge: judgeOptions, reward: {groupSize: 3, groupWaitMs: 400}});
    });

    afterAll(async () => {
        await server?.close();
        await engine?.close();
        rmSync(dir, {recursive: true, force: true});
    });

    const chatPrompt = (q: string) => `<|im_start|>user\n${q}<|im_end|>\n<|im_start|>assistant\n`;

    it("reference mode: the judge compares the response with the label's reference answer", async () => {
        const items = Array.from({length: 5}, (_, i) => ({q: `What is ${i}+${i}?`, response: `It is ${2 * i}.`, reference: `${2 * i}`}));
        const a = await post(`${server.url}/get_reward?mode=reference`, {
            query: items.map((it) => chatPrompt(it.q) + it.response + "<|im_end|>"),
            prompts: items.map((it) => chatPrompt(it.q)),
            labels: items.map((it) => it.reference)
        });
        expect(a.status).toBe(200);
        const judge = new Judge(engine, judgeOptions);
        const expected = await Promise.all(items.map((it) => referenceReward(judge, {prompt: [{role: "user", content: it.q}], response: it.response, reference: it.reference})));
        expect(a.body.rewards).toEqual(expected.map((e) => e.reward));
        expect(a.body.scores).toEqual(expected.map((e) => (e.reward + 1) / 2));
        expect(a.body.extra_logs.win).toHaveLength(5);
        expect(a.body.rewards.every((r: number) => [1, 0, -1].includes(r))).toBe(true);
    });

    it("group mode: samples sent one per request are gathered by prompt and ranked together", async () => {
        const responses = ["Paris.", "It is Paris, the capital.", "Lyon."];
        const p = chatPrompt("Capital of France?");
        // One request per sample, as OpenRLHF sends them; started in order so the group's order is known.
        const pending: Promise<{status: number, body: any}>[] = [];
        for (const r of responses) {
            pending.push(post(`${server.url}/get_reward?mode=group`, {query: [p + r + "<|im_end|>"], prompts: [p], labels: [null]}));
            await new Promise((resolve) => setTimeout(resolve, 30));
        }
        const answers = await Promise.all(pending);
        const expected = await groupRewards(new Judge(engine, judgeOptions), {prompt: [{role: "user", content: "Capital of France?"}], responses});
        expect(answers.map((a) => a.body.rewards[0])).toEqual(expected.rewards);
        expect(answers.map((a) => a.body.extra_logs.group_size[0])).toEqual([3, 3, 3]);
        // Win rates of a round-robin: each in [0, 1].
        for (const r of expected.rewards) expect(r).toBeGreaterThanOrEqual(0);
    });

    it("group mode: a group that does not fill in time is scored as it is", async () => {
        const p = chatPrompt("Largest planet?");
        const started = Date.now();
        const answers = await Promise.all(["Jupiter.", "Saturn."].map((r) => post(`${server.url}/get_reward?mode=group`, {query: [p + r], prompts: [p]})));
        expect(Date.now() - started).toBeGreaterThanOrEqual(350);
        expect(answers.map((a) => a.body.extra_logs.group_size[0])).toEqual([2, 2]);
        const lone = await post(`${server.url}/get_reward?mode=group`, {query: [chatPrompt("alone?") + "yes"], prompts: [chatPrompt("alone?")]});
        expect(lone.body).toMatchObject({rewards: [0.5], extra_logs: {group_size: [1]}});
        // A group wait longer than the request deadline would only produce timeouts: refused at start.
        await expect(startServer({engine, port: 0, reward: {mode: "group", groupWaitMs: 5000}, limits: {timeoutMs: 1000}})).rejects.toThrow(/group wait/);
    });
});
