// A judge turns any `Engine` into a pairwise reward model: render the pair with a prompt profile in
// the order(s) its policy picks, sample k outputs per order (re-sampling unparsable ones if asked),
// read each verdict with the reference harness rule, vote, reconcile the orders, and map the verdict
// back to the replies (chosen/rejected, or first/second without a label). docs/judging.md explains
// every choice; the output record is `Judgment`.
import {ConfigError, EngineBadRequest, EngineProtocolError, InvalidInput} from "../errors.js";
import type {Engine, GenerateRequest, GenerateResult, Usage} from "../engines/Engine.js";
import {evalVerdict} from "../protocol/extractors.js";
import {parseCor} from "../protocol/parseCor.js";
import type {CorResult} from "../protocol/parseCor.js";
import {getProfile} from "../protocol/profiles.js";
import type {ProfileName} from "../protocol/profiles.js";
import {renderComparison, renderPair} from "../protocol/renderPair.js";
import {deriveSeed} from "../protocol/rng.js";
import type {Message, Position} from "../protocol/types.js";
import {candidateMessages, contentId, isLabelled, unlabelledConversations} from "./judgeInput.js";
import type {JudgeInput, LabelledPair, UnlabelledPair} from "./judgeInput.js";
import type {JudgeOutput, JudgeSettings, Judgment, JudgmentPass, Preference} from "./Judgment.js";
import {majorityVote} from "./majorityVote.js";
import type {SampleVerdict, VotedVerdict} from "./majorityVote.js";
import type {CompareFn} from "./MatchResult.js";
import {isOrderPolicy, orderPolicies, passPositions, tieFallbacks} from "./orderPolicy.js";
import type {OrderPolicy, TieFallback} from "./orderPolicy.js";
import {verdictProbability} from "./verdictProbability.js";

export interface JudgeOptions {
    /** Prompt profile. Defaults to `"rm-r1-instruct"`. */
    profile?: ProfileName;
    /** Where the replies are shown (see `OrderPolicy`). Defaults to `"random"`, the reference protocol. */
    order?: OrderPolicy;
    /** With `order: "both"`, what a disagreement between the two orders gives. Defaults to `"tie"`. */
    tieFallback?: TieFallback;
    /** Seed of the order coin and of every sampling seed. Defaults to `0`. */
    seed?: number;
    /** Samples per order, majority-voted. Defaults to `1`. */
    samples?: number;
    /** Sampling temperature. Defaults to `0` (greedy, as the reference) for one sample, `1` for more. */
    temperature?: number;
    /** Nucleus sampling mass. Defaults to `1`. */
    topP?: number;
    /** Maximum new tokens per output. Defaults to the engine's default. */
    maxTokens?: number;
    /** Re-sample an unparsable output up to this many times, each with a new seed. Defaults to `0` (the reference: an error scores as wrong). */
    resample?: number;
    /** Temperature of re-samples. Defaults to `temperature` when it is above 0, else `1` (a greedy re-sample would repeat itself). */
    resampleTemperature?: number;
    /** Ask the engine for token logprobs to compute verdict confidence (dropped if the engine refuses them). Defaults to `true`. */
    confidence?: boolean;
    /** Alternatives per token to ask for with `confidence`. Defaults to `5`. */
    topLogprobs?: number;
    /** Reads a verdict from an output. Defaults to `evalVerdict` (the benchmark harness rule, method doc §2.3(b)). */
    extractVerdict?: (text: string) => SampleVerdict;
}

/** Per-call options. */
export interface JudgeCallOptions {
    signal?: AbortSignal;
}

/** One output slot: sample `sample` of order `pass`, at its current attempt. */
interface Slot {
    pass: number;
    sample: number;
    attempt: number;
}

export class Judge {
    readonly engine: Engine;
    /** The settings every judgment records (and a resumed run must match). */
    readonly settings: JudgeSettings;
    private readonly options: Required<Omit<JudgeOptions, "maxTokens">> & {maxTokens?: number};
    /** Cleared when the engine rejects logprobs (some models refuse them): confidence is then skipped. */
    private askLogprobs: boolean;

    constructor(engine: Engine, options: JudgeOptions = {}) {
        const samples = options.samples ?? 1;
        if (!Number.isInteger(samples) || samples < 1)
            throw new InvalidInput(`samples must be an integer >= 1, got ${samples}`, {field: "samples"});
        const resample = options.resample ?? 0;
        if (!Number.isInteger(resample) || resample < 0)
            throw new InvalidInput(`resample must be an integer >= 0, got ${resample}`, {field: "resample"});
        const temperature = options.temperature ?? (samples > 1 ? 1 : 0);
        if (!(temperature >= 0)) throw new InvalidInput(`temperature must be >= 0, got ${temperature}`, {field: "temperature"});
        if (samples > 1 && temperature === 0)
            throw new ConfigError(`voting over ${samples} samples at temperature 0 repeats one greedy output ${samples} times; set a temperature above 0 (for example 1) or use one sample`);
        const order = options.order ?? "random";
        if (!isOrderPolicy(order)) throw new InvalidInput(`unknown order policy '${order}'; use one of ${orderPolicies.join(", ")}`, {field: "order"});
        const tieFallback = options.tieFallback ?? "tie";
        if (!tieFallbacks.includes(tieFallback))
            throw new InvalidInput(`unknown tie fallback '${tieFallback}'; use one of ${tieFallbacks.join(", ")}`, {field: "tieFallback"});
        const profile = getProfile(options.profile ?? "rm-r1-instruct").name;
        const seed = options.seed ?? 0;
        if (!Number.isInteger(seed)) throw new InvalidInput(`seed must be an integer, got ${seed}`, {field: "seed"});
        if (options.maxTokens != null && (!Number.isInteger(options.maxTokens) || options.maxTokens < 1))
            throw new InvalidInput(`maxTokens must be an integer >= 1, got ${options.maxTokens}`, {field: "maxTokens"});
        this.engine = engine;
        this.options = {
            profile, order, tieFallback, seed, samples, temperature, resample,
            topP: options.topP ?? 1,
            maxTokens: options.maxTokens,
            resampleTemperature: options.resampleTemperature ?? (temperature > 0 ? temperature : 1),
            confidence: options.confidence ?? true,
            topLogprobs: options.topLogprobs ?? 5,
            extractVerdict: options.extractVerdict ?? evalVerdict
        };
        this.askLogprobs = this.options.confidence;
        this.settings = {
            engine: engine.id, profile, order, seed, samples, temperature, resample,
            ...(options.maxTokens != null ? {max_tokens: options.maxTokens} : {}),
            ...(order === "both" ? {tie_fallback: tieFallback} : {})
        };
    }

    /** Judge a labelled pair (verdict mapped to chosen/rejected) or an unlabelled one (first/second). */
    async judge(input: JudgeInput, call: JudgeCallOptions = {}): Promise<Judgment> {
        const started = performance.now();
        const labelled = isLabelled(input);
        const idGenerated = input.id == null;
        const id = input.id ?? contentId(labelled
            ? {prompt: input.prompt, chosen: input.chosen, rejected: input.rejected}
            : {prompt: input.prompt, first: input.first, second: input.second});
        const positions = passPositions(this.options.order, this.options.seed, id);
        const prompts = positions.map((position) => this.render(input, position));

        const outputs: JudgeOutput[] = [];
        const cor: CorResult[] = [];
        // finals[pass][sample]: the last attempt of each sample, the one that votes.
        const finals: JudgeOutput[][] = positions.map(() => new Array<JudgeOutput>(this.options.samples));
        const usage: Usage = {promptTokens: 0, completionTokens: 0};
        let cached = 0;
        let model = "";
        let fingerprint: string | undefined;
        let pending: Slot[] = positions.flatMap((_, pass) => Array.from({length: this.options.samples}, (_, sample) => ({pass, sample, attempt: 0})));
        while (pending.length > 0) {
            const build = () => pending.map((slot) => this.request(prompts[slot.pass], this.slotSeed(id, positions[slot.pass], slot), slot.attempt));
            let requests = build();
            let results: GenerateResult[];
            try {
                results = await this.engine.generate(requests, {signal: call.signal});
            } catch (e) {
                // Reasoning models behind some APIs refuse logprobs with a 400: judge without confidence.
                if (!(e instanceof EngineBadRequest && this.askLogprobs && /logprob/i.test(e.message))) throw e;
                this.askLogprobs = false;
                requests = build();
                results = await this.engine.generate(requests, {signal: call.signal});
            }
            const retry: Slot[] = [];
            pending.forEach((slot, i) => {
                const result = results[i];
                const completion = result?.completions[0];
                if (completion == null) throw new EngineProtocolError(`engine ${this.engine.id} returned no completion for request ${i}`, {engine: this.engine.id});
                addUsage(usage, result.usage);
                if (result.cached === true) cached++;
                model ||= result.model;
                fingerprint ??= result.systemFingerprint;
                const verdict = this.options.extractVerdict(completion.text);
                const output: JudgeOutput = {
                    position: positions[slot.pass],
                    sample: slot.sample,
                    attempt: slot.attempt,
                    seed: requests[i].options!.seed!,
                    temperature: requests[i].options!.temperature!,
                    text: completion.text,
                    verdict,
                    finish_reason: completion.finishReason
                };
                if (verdict !== "error") {
                    const pA = verdictProbability(completion.logprobs);
                    if (pA != null) output.p_a = pA;
                }
                outputs.push(output);
                cor.push(parseCor(completion.text));
                finals[slot.pass][slot.sample] = output;
                if (verdict === "error" && slot.attempt < this.options.resample) retry.push({...slot, attempt: slot.attempt + 1});
            });
            pending = retry;
        }

        const passes: JudgmentPass[] = positions.map((position, pass) => {
            const {verdict, votes} = majorityVote(finals[pass].map((o) => o.verdict));
            const pAs = finals[pass].flatMap((o) => o.p_a == null ? [] : [o.p_a]);
            const result: JudgmentPass = {position, verdict, preferred: prefer(verdict, position, labelled), votes};
            if (pAs.length > 0) result.p_a = pAs.reduce((s, x) => s + x, 0) / pAs.length;
            return result;
        });
        const {verdict, preferred, consistent} = this.reconcile(passes);
        // P(chosen/first better), averaged over the orders that gave a probability.
        const pXs = passes.flatMap((p) => p.p_a == null ? [] : [p.position === "A" ? p.p_a : 1 - p.p_a]);
        const pX = pXs.length > 0 ? pXs.reduce((s, x) => s + x, 0) / pXs.length : undefined;
        const x = labelled ? "chosen" : "first";
        const judgment: Judgment = {
            id,
            verdict,
            chosen_position: labelled ? positions[0] : null,
            ...(labelled ? {} : {first_position: positions[0]}),
            preferred,
            correct: labelled ? preferred === "chosen" : null,
            outcome: labelled ? (preferred === "chosen" ? 1 : preferred === "tie" ? 0.5 : 0) : null,
            ...(positions.length > 1 ? {consistent} : {}),
            ...(pX != null && (verdict === "A" || verdict === "B") ? {confidence: preferred === x ? pX : 1 - pX} : {}),
            ...(pX != null ? (labelled ? {p_chosen: pX} : {p_first: pX}) : {}),
            passes,
            outputs,
            cor,
            usage,
            latencyMs: Math.round(performance.now() - started),
            cached,
            model,
            ...(fingerprint != null ? {system_fingerprint: fingerprint} : {}),
            judge: this.settings,
            ...(idGenerated ? {id_generated: true as const} : {})
        };
        return judgment;
    }

    /** Judge a labelled pair: the verdict maps to `chosen`/`rejected` and `correct` is set. */
    judgePair(pair: LabelledPair, call: JudgeCallOptions = {}): Promise<Judgment> {
        if (!isLabelled(pair)) throw new InvalidInput("judgePair needs 'chosen' and 'rejected'; use compare() for an unlabelled pair", {field: "chosen"});
        return this.judge(pair, call);
    }

    /** Judge an unlabelled pair: the verdict maps to `first`/`second`. */
    compare(pair: UnlabelledPair, call: JudgeCallOptions = {}): Promise<Judgment> {
        if (isLabelled(pair)) throw new InvalidInput("compare takes 'first' and 'second'; use judgePair() for a labelled pair", {field: "first"});
        return this.judge(pair, call);
    }

    /**
     * A `CompareFn` over `candidates` (replies to `prompt`) for the ranking methods: candidate `a` is
     * `first`, the match key is the judgment id (so the order coin is per match).
     */
    comparer(prompt: Message[], candidates: readonly (Message[] | string)[], call: JudgeCallOptions = {}): CompareFn<Judgment> {
        return async (a, b, key) => {
            const judgment = await this.compare({id: key, prompt, first: candidateMessages(candidates[a]), second: candidateMessages(candidates[b])}, call);
            const score = judgment.preferred === "first" ? 1 : judgment.preferred === "second" ? 0 : judgment.preferred === "tie" ? 0.5 : null;
            return {score, pA: judgment.p_first, record: judgment};
        };
    }

    private render(input: JudgeInput, position: Position): Message[] {
        const profile = this.options.profile;
        if (isLabelled(input)) return renderPair(input, position === "A" ? "chosen-first" : "chosen-second", {profile}).messages;
        const {first, second} = unlabelledConversations(input);
        return position === "A" ? renderComparison(first, second, {profile}).messages : renderComparison(second, first, {profile}).messages;
    }

    private request(messages: Message[], seed: number, attempt: number): GenerateRequest {
        const o = this.options;
        return {
            messages,
            options: {
                temperature: attempt === 0 ? o.temperature : o.resampleTemperature,
                topP: o.topP,
                maxTokens: o.maxTokens,
                seed,
                ...(this.askLogprobs ? {logprobs: true, topLogprobs: o.topLogprobs} : {})
            }
        };
    }

    /**
     * A distinct seed per (item, order, sample, attempt): k samples are k different requests, so a
     * response cache or a seeded engine cannot hand back one text k times. It does not depend on
     * the policy, so the same call under `random`, `fixed` or `both` is the same (cached) request.
     */
    private slotSeed(id: string, position: Position, slot: Slot): number {
        return deriveSeed(this.options.seed, `${id}\u0000${position}\u0000${slot.sample}\u0000${slot.attempt}`);
    }

    /** One verdict from one or two orders (see docs/judging.md, "Both orders"). */
    private reconcile(passes: JudgmentPass[]): {verdict: VotedVerdict, preferred: Preference, consistent: boolean | null} {
        const first = passes[0];
        if (passes.length === 1) return {verdict: first.verdict, preferred: first.preferred, consistent: null};
        const second = passes[1];
        if (first.verdict === "error" || second.verdict === "error") return {verdict: "error", preferred: null, consistent: null};
        if (first.preferred === second.preferred) return {verdict: first.verdict, preferred: first.preferred, consistent: true};
        switch (this.options.tieFallback) {
            case "first-order":
                return {verdict: first.verdict, preferred: first.preferred, consistent: false};
            case "error":
                return {verdict: "error", preferred: null, consistent: false};
            default:
                return {verdict: "tie", preferred: "tie", consistent: false};
        }
    }
}

/** The reply a verdict prefers, given where the chosen (first) reply sat. */
function prefer(verdict: VotedVerdict, position: Position, labelled: boolean): Preference {
    if (verdict === "error") return null;
    if (verdict === "tie") return "tie";
    const x = verdict === position;
    if (labelled) return x ? "chosen" : "rejected";
    return x ? "first" : "second";
}

function addUsage(total: Usage, usage: Usage): void {
    total.promptTokens += usage.promptTokens;
    total.completionTokens += usage.completionTokens;
    if (usage.costUsd != null) total.costUsd = (total.costUsd ?? 0) + usage.costUsd;
}
