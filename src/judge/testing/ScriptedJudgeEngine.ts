// A deterministic stand-in for a judge model, for testing the judge layer's bookkeeping (order
// mapping, voting, re-sampling, confidence, resume) where the right answer must be known exactly.
// It reads the two replies out of a `tiny`-profile prompt and lets the test script the output.
// It is not a model: the end-to-end tests in test/judge*.test.ts judge with real tiny models.
import type {CallOptions, Engine, GenerateRequest, GenerateResult, SamplingOptions, TokenLogprob} from "../../engines/Engine.js";
import {Aborted} from "../../errors.js";

/** What the script sees for one request. */
export interface ScriptedRequest {
    /** The reply shown as A and as B (single-turn `tiny` prompts). */
    a: string;
    b: string;
    options: SamplingOptions;
    /** 0-based count of requests answered before this one. */
    index: number;
}

/** The script's answer: the output text, and P(A) at the verdict letter to report as logprobs. */
export type ScriptedAnswer = string | {text: string, pA?: number};

export class ScriptedJudgeEngine implements Engine {
    readonly id: string;
    readonly identity: string;
    readonly seen: ScriptedRequest[] = [];
    /** Milliseconds each `generate` call waits before answering. */
    delayMs = 0;
    private readonly script: (request: ScriptedRequest) => ScriptedAnswer;

    constructor(script: (request: ScriptedRequest) => ScriptedAnswer, id = "scripted:judge") {
        this.script = script;
        this.id = id;
        this.identity = id;
    }

    async generate(requests: GenerateRequest[], options: CallOptions = {}): Promise<GenerateResult[]> {
        if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
        if (options.signal?.aborted === true) throw new Aborted("generation aborted");
        return requests.map((request) => {
            const user = request.messages.find((m) => m.role === "user")?.content ?? "";
            const a = between(user, "\n[A]\n", "\n[B]\n");
            const b = user.slice(user.indexOf("\n[B]\n") + 5);
            const seen: ScriptedRequest = {a, b, options: request.options ?? {}, index: this.seen.length};
            this.seen.push(seen);
            const answer = this.script(seen);
            const text = typeof answer === "string" ? answer : answer.text;
            const pA = typeof answer === "string" ? undefined : answer.pA;
            return {
                completions: [{
                    text,
                    finishReason: "stop",
                    ...(request.options?.logprobs === true && pA != null ? {logprobs: letterLogprobs(text, pA)} : {})
                }],
                usage: {promptTokens: user.length, completionTokens: text.length, costUsd: 0.001},
                latencyMs: 1,
                model: "scripted"
            };
        });
    }

    async close(): Promise<void> {}
}

function between(s: string, start: string, end: string): string {
    const i = s.indexOf(start);
    const j = s.indexOf(end, i + start.length);
    return i < 0 || j < 0 ? "" : s.slice(i + start.length, j);
}

/** One token per character; at every `A`/`B` right after `[[`, top alternatives A: pA, B: 1 − pA. */
function letterLogprobs(text: string, pA: number): TokenLogprob[] {
    return [...text].map((c, i) => {
        if (text.slice(i - 2, i) === "[[" && (c === "A" || c === "B")) {
            const top = [{token: "A", logprob: Math.log(pA)}, {token: "B", logprob: Math.log(1 - pA)}];
            return {token: c, logprob: c === "A" ? Math.log(pA) : Math.log(1 - pA), top};
        }
        return {token: c, logprob: 0, top: [{token: c, logprob: 0}]};
    });
}
