// The world's programmatic teacher: an `Engine` that reads a rendered judge prompt of a world pair
// (`tiny`, `rm-r1-instruct` or `rm-r1-reasoning` single-turn template), decides the verdict by the
// world's own rules and writes a Chain-of-Rubrics trace (worldTrace.ts). It stands in for the paid
// teachers of the distillation bootstrap (method doc §6.2) in the offline quickstart:
// - pass 1: with probability `error` (drawn per request and completion from the seed) the trace is
//   a plausible wrong judgement, so the bootstrap's second pass has work to do;
// - pass 2: when the user message carries the hint suffix (`PASS2_HINT_SUFFIX_A/B` + "The previous
//   (wrong) judgement was: …"), the trace argues for the revealed verdict, except with probability
//   `pass2Error` (default 0), which exercises the "still wrong → dropped" path.
// Provider string: `world:teacher`, options as a query, e.g. `world:teacher?error=0.25&seed=1`.
import {Aborted, ConfigError, EngineBadRequest} from "../errors.js";
import type {CallOptions, Completion, Engine, GenerateRequest, GenerateResult} from "../engines/Engine.js";
import {registerEngineProvider} from "../engines/createEngine.js";
import type {EngineOptions} from "../engines/createEngine.js";
import {validateRequests} from "../engines/validateRequests.js";
import {Rng, deriveSeed, keyedUniform} from "../protocol/rng.js";
import type {Position} from "../protocol/types.js";
import {parseJudgePrompt} from "./parseJudgePrompt.js";
import {judgeWorldPair, writeWorldTrace} from "./worldTrace.js";

/** Version of the trace format; part of the engine identity, so cached traces of an older format are not reused. */
export const WORLD_TRACE_VERSION = 3;

export interface WorldTeacherOptions {
    /** Probability that a first-pass trace is a wrong judgement. Defaults to `0`. */
    error?: number;
    /** Probability that a pass-2 (hinted) trace still argues against the revealed verdict. Defaults to `0`. */
    pass2Error?: number;
    /** Seed of the error draws (with the request, it fixes the output). Defaults to `0`. */
    seed?: number;
}

export class WorldTeacher implements Engine {
    readonly id: string;
    readonly identity: string;
    readonly error: number;
    readonly pass2Error: number;
    readonly seed: number;

    constructor(options: WorldTeacherOptions = {}) {
        this.error = probability(options.error ?? 0, "error");
        this.pass2Error = probability(options.pass2Error ?? 0, "pass2Error");
        const seed = options.seed ?? 0;
        if (!Number.isSafeInteger(seed)) throw new ConfigError(`world:teacher option 'seed' must be an integer, got ${seed}`);
        this.seed = seed;
        this.id = `world:teacher?error=${this.error}&pass2Error=${this.pass2Error}&seed=${this.seed}`;
        this.identity = `${this.id}#trace-v${WORLD_TRACE_VERSION}`;
    }

    /**
     * The teacher named by the part of a provider string after `world:` (`teacher?error=0.25&seed=1`).
     * Options in the string win over those in `options` (`error`, `pass2Error`, `seed`).
     */
    static async load(spec: string, options: EngineOptions = {}): Promise<WorldTeacher> {
        return new WorldTeacher({...pick(options), ...parseTeacherSpec(spec)});
    }

    async generate(requests: GenerateRequest[], options: CallOptions = {}): Promise<GenerateResult[]> {
        validateRequests(requests);
        return requests.map((request, i) => {
            if (options.signal?.aborted === true) throw new Aborted("world:teacher: the call was aborted");
            return this.answer(request, i);
        });
    }

    async close(): Promise<void> {}

    private answer(request: GenerateRequest, index: number): GenerateResult {
        const started = performance.now();
        const prompt = parseJudgePrompt(request.messages);
        if (prompt == null)
            throw new EngineBadRequest(`requests[${index}] is not a single-turn judge prompt of the tiny, rm-r1-instruct or rm-r1-reasoning profile; world:teacher judges only rendered world pairs`, {engine: this.id});
        const judgement = judgeWorldPair(prompt);
        if (judgement == null)
            throw new EngineBadRequest(`requests[${index}] asks about ${JSON.stringify(clip(prompt.question))}, which is not a world question ("Compute …." or "List …."); world:teacher judges only world pairs`, {engine: this.id});
        const o = request.options ?? {};
        const base = `${JSON.stringify(request.messages)}\u0000${o.seed ?? ""}`;
        const completions: Completion[] = [];
        for (let c = 0; c < (o.n ?? 1); c++) {
            const key = `${base}\u0000${c}`;
            const truth: Position = judgement.verdict ?? (keyedUniform(this.seed, `${key}|tie`) < 0.5 ? "A" : "B");
            const wanted = prompt.hint?.verdict ?? truth;
            const rate = prompt.hint != null ? this.pass2Error : this.error;
            const target = keyedUniform(this.seed, `${key}|error`) < rate ? other(wanted) : wanted;
            const rng = new Rng(deriveSeed(this.seed, key));
            completions.push(finish(writeWorldTrace(prompt, judgement, target, rng), o.stop, o.maxTokens));
        }
        const promptTokens = request.messages.reduce((sum, m) => sum + Buffer.byteLength(m.content, "utf8"), 0);
        const completionTokens = completions.reduce((sum, c) => sum + Buffer.byteLength(c.text, "utf8"), 0);
        return {completions, usage: {promptTokens, completionTokens, costUsd: 0}, latencyMs: performance.now() - started, model: "world:teacher"};
    }
}

/** Parse `teacher?error=0.25&pass2Error=0&seed=1`; unknown names or bad values are a `ConfigError`. */
export function parseTeacherSpec(spec: string): WorldTeacherOptions {
    const [name, query = ""] = spec.split(/\?(.*)/s, 2);
    if (name !== "teacher") throw new ConfigError(`unknown world engine 'world:${name}'; the world has one engine, world:teacher`);
    const out: WorldTeacherOptions = {};
    for (const [key, value] of new URLSearchParams(query)) {
        const n = Number(value);
        if (value.trim() === "" || !Number.isFinite(n)) throw new ConfigError(`world:teacher option '${key}' must be a number, got '${value}'`);
        if (key === "error") out.error = n;
        else if (key === "pass2Error" || key === "pass2-error") out.pass2Error = n;
        else if (key === "seed") out.seed = n;
        else throw new ConfigError(`unknown world:teacher option '${key}'; use error, pass2Error or seed`);
    }
    return out;
}

function pick(options: EngineOptions): WorldTeacherOptions {
    const out: WorldTeacherOptions = {};
    for (const key of ["error", "pass2Error", "seed"] as const) {
        const v = options[key];
        if (v == null) continue;
        if (typeof v !== "number") throw new ConfigError(`world:teacher option '${key}' must be a number, got ${JSON.stringify(v)}`);
        out[key] = v;
    }
    return out;
}

function probability(p: number, name: string): number {
    if (!(Number.isFinite(p) && p >= 0 && p <= 1)) throw new ConfigError(`world:teacher option '${name}' must be a probability in [0, 1], got ${p}`);
    return p;
}

function other(p: Position): Position {
    return p === "A" ? "B" : "A";
}

/** Apply stop strings and the token (= byte) limit. */
function finish(text: string, stop: string[] | undefined, maxTokens: number | undefined): Completion {
    let out = text;
    let finishReason: Completion["finishReason"] = "stop";
    for (const s of stop ?? []) {
        const at = out.indexOf(s);
        if (at >= 0) out = out.slice(0, at);
    }
    if (maxTokens != null && Buffer.byteLength(out, "utf8") > maxTokens) {
        out = Buffer.from(out, "utf8").subarray(0, maxTokens).toString("utf8");
        finishReason = "length";
    }
    return {text: out, finishReason};
}

function clip(s: string): string {
    return s.length > 60 ? s.slice(0, 60) + "…" : s;
}

registerEngineProvider("world", (spec, options) => WorldTeacher.load(spec, options));
