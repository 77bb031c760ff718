// `/v1/judge`, `/v1/rank`, `/healthz` and `/metrics` with a real tiny judge model (REAL MODEL): the
// server's judgments and rankings are exactly those of the judge layer called in-process with the
// same settings, and the metrics count what was served.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {Judge} from "../src/judge/Judge.js";
import type {JudgeOptions} from "../src/judge/Judge.js";
import type {Judgment} from "../src/judge/Judgment.js";
import {rankCandidates} from "../src/judge/rankCandidates.js";
import {NativeEngine} from "../src/native/NativeEngine.js";
import {startServer} from "../src/serve/RewardServer.js";
import type {RewardServer} from "../src/serve/RewardServer.js";
import {writeVerdictModel} from "./fixtures/judge/judgeModels.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-serve-routes-"));
let engine: NativeEngine;
let server: RewardServer;
const options: JudgeOptions = {profile: "tiny", order: "random", samples: 3, temperature: 1, maxTokens: 20, seed: 3};

const pairs = Array.from({length: 8}, (_, i) => ({
    id: `pair-${i}`,
    prompt: [{role: "user" as const, content: `Which is right? ${i}`}],
    chosen: [{role: "assistant" as const, content: `yes ${i}`}],
    rejected: [{role: "assistant" as const, content: `no ${i}`}]
}));

async function post(path: string, body: unknown): Promise<{status: number, body: any}> {
    const r = await fetch(`${server.url}${path}`, {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify(body)});
    return {status: r.status, body: await r.json()};
}

/** A judgment without its timing, which differs run to run. */
const stable = (j: Judgment) => ({...j, latencyMs: 0});

beforeAll(async () => {
    await writeVerdictModel(dir);
    engine = await NativeEngine.load(dir, {threads: 1});
    server = await startServer({engine, port: 0, judge: options});
});

afterAll(async () => {
    await server?.close();
    await engine?.close();
    rmSync(dir, {recursive: true, force: true});
});

describe("/v1/judge", () => {
    it("judges many pairs as the judge layer does, traces included", async () => {
        const r = await post("/v1/judge", {pairs});
        expect(r.status).toBe(200);
        const direct = await Promise.all(pairs.map((p) => new Judge(engine, options).judge(p)));
        expect(r.body.judgments.map(stable)).toEqual(direct.map(stable));
        expect(r.body.judgments[0].outputs).toHaveLength(3);
        expect(r.body.judgments[0].cor).toHaveLength(3);
    });

    it("takes one bare pair, and per-request judge options", async () => {
        const one = await post("/v1/judge", {...pairs[0], options: {order: "both", seed: 11}});
        expect(one.status).toBe(200);
        const direct = await new Judge(engine, {...options, order: "both", seed: 11}).judge(pairs[0]);
        expect(one.body.judgments.map(stable)).toEqual([stable(direct)]);
        expect(one.body.judgments[0].passes).toHaveLength(2);
        expect(one.body.judgments[0].judge.order).toBe("both");
    });

    it("judges unlabelled pairs (first/second)", async () => {
        const r = await post("/v1/judge", {prompt: [{role: "user", content: "q"}], first: "a", second: "b"});
        expect(r.status).toBe(200);
        expect(r.body.judgments[0].chosen_position).toBeNull();
        expect(["first", "second", "tie", null]).toContain(r.body.judgments[0].preferred);
    });
});

describe("/v1/rank", () => {
    const item = {id: "r1", prompt: [{role: "user" as const, content: "Pick one"}], candidates: ["alpha", "beta", "gamma", "delta"]};

    it("ranks candidates as rankCandidates does, by each method", async () => {
        for (const method of ["knockout", "elo", "bt"] as const) {
            const r = await post("/v1/rank", {...item, method});
            expect(r.status).toBe(200);
            const direct = await rankCandidates(new Judge(engine, options), item, {method});
            const strip = (x: any) => ({...x, latencyMs: 0, comparisons: x.comparisons.map((c: any) => ({...c, judgment: stable(c.judgment)}))});
            expect(strip(r.body.ranking)).toEqual(strip(direct));
            expect([...r.body.ranking.ranking].sort()).toEqual([0, 1, 2, 3]);
        }
    });

    it("takes several items, and refuses too many candidates naming the field", async () => {
        const r = await post("/v1/rank", {items: [item, {...item, id: "r2"}], method: "knockout"});
        expect(r.body.rankings.map((x: any) => x.id)).toEqual(["r1", "r2"]);
        const many = await post("/v1/rank", {items: [{...item, candidates: Array.from({length: 40}, (_, i) => `c${i}`)}]});
        expect(many).toMatchObject({status: 400, body: {error: {field: "items[0].candidates"}}});
        const bad = await post("/v1/rank", {...item, method: "swiss"});
        expect(bad).toMatchObject({status: 400, body: {error: {field: "method"}}});
    });
});

describe("/healthz and /metrics", () => {
    it("counts requests, verdicts, parse failures and tokens of what was served", async () => {
        const before = await (await fetch(`${server.url}/metrics`)).text();
        const count = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"[\]]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
        const r = await post("/v1/judge", {pairs});
        const after = await (await fetch(`${server.url}/metrics`)).text();
        const judgments = r.body.judgments as Judgment[];
        for (const v of ["A", "B", "tie", "error"]) {
            const series = `rmr1_verdicts_total{verdict="${v}"}`;
            expect(count(after, series) - count(before, series), v).toBe(judgments.filter((j) => j.verdict === v).length);
        }
        const failures = judgments.flatMap((j) => j.outputs).filter((o) => o.verdict === "error").length;
        expect(count(after, "rmr1_parse_failures_total{route=\"judge\"}") - count(before, "rmr1_parse_failures_total{route=\"judge\"}")).toBe(failures);
        const completion = judgments.reduce((n, j) => n + j.usage.completionTokens, 0);
        expect(count(after, "rmr1_tokens_total{kind=\"completion\"}") - count(before, "rmr1_tokens_total{kind=\"completion\"}")).toBe(completion);
        expect(count(after, "rmr1_requests_total{route=\"judge\",status=\"200\"}") - count(before, "rmr1_requests_total{route=\"judge\",status=\"200\"}")).toBe(1);
        expect(after).toMatch(/^rmr1_request_duration_seconds_bucket\{route="judge",le="\+Inf"\} \d+$/m);
        expect(after).toMatch(/^rmr1_queue_depth 0$/m);
        expect(after).toMatch(/^process_resident_memory_bytes \d+$/m);
        const response = await fetch(`${server.url}/metrics`);
        expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
        const health = await (await fetch(`${server.url}/healthz`)).json();
        expect(health).toMatchObject({status: "ok", model: engine.id, reward_mode: "rm-r1", in_flight: 0, queued: 0});
    });
});
