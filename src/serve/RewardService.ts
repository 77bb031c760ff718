// `POST /get_reward`: OpenRLHF's remote reward protocol (`{"query", "prompts", "labels"}` →
// `{"rewards", "scores", "extra_logs"}`, ecosystem §3.1), in three modes:
//
// - `rm-r1`: training an RM-R1 model. The query holds the reward model's own output, the label is
//   `model_a`/`model_b`, the reward the verifiable +1/−1 of the paper (`rlReward`, tail 80 code points;
//   or `format-aware`). No model is needed.
// - `reference`: rewarding a policy. The judge compares the policy's response with the reference
//   answer given as the label: +1 / −1 / 0 (or P(response better) with `probability`).
// - `group`: rewarding a policy within the group of samples drawn for one prompt: a round-robin of
//   judgments among them, scored by win rate or Bradley–Terry strength. Samples sent one per request
//   (as OpenRLHF does) are gathered by prompt on the server (`GroupBuffer`).
//
// `scores` are the rewards mapped to [0, 1] (OpenRLHF's dynamic filtering reads them); `extra_logs`
// hold one value per sample for each metric (OpenRLHF logs them to wandb).
import {InvalidInput} from "../errors.js";
import type {Judge} from "../judge/Judge.js";
import {groupRewards, referenceReward} from "../judge/judgeRewards.js";
import type {GroupRewardMethod, ReferenceRewardMode} from "../judge/judgeRewards.js";
import type {Judgment} from "../judge/Judgment.js";
import {mapConcurrent} from "../judge/mapConcurrent.js";
import {isWinnerLabel, rlReward, tailCodePoints} from "../protocol/extractors.js";
import {computeReward, isRewardName, rewardNames} from "../protocol/rewards.js";
import type {RewardName} from "../protocol/rewards.js";
import type {Message} from "../protocol/types.js";
import {GroupBuffer} from "./GroupBuffer.js";
import {HttpError} from "./HttpError.js";
import {defaultEndTokens, parseChatText, responseOf, stripEndTokens, stripTrailing} from "./openrlhfQuery.js";

export type RewardMode = "rm-r1" | "reference" | "group";

export const rewardModes: readonly RewardMode[] = ["rm-r1", "reference", "group"];

export function isRewardMode(s: string): s is RewardMode {
    return (rewardModes as readonly string[]).includes(s);
}

export interface RewardOptions {
    /** Mode of `/get_reward` when the request names none (`?mode=` in the URL picks one). Defaults to `"rm-r1"`. */
    mode?: RewardMode;
    /** The verifiable reward of `rm-r1` mode: `rm-r1` (+1/−1, the paper) or `format-aware` (0/1/2). Defaults to `"rm-r1"`. */
    verifiable?: RewardName;
    /** `reference` mode: `sign` (+1/0/−1) or `probability` (P(response better) in [0, 1]). Defaults to `"sign"`. */
    referenceMode?: ReferenceRewardMode;
    /** `group` mode: `win-rate` or `bradley-terry`. Defaults to `"win-rate"`. */
    groupMethod?: GroupRewardMethod;
    /** `group` mode: samples per prompt (OpenRLHF's `n_samples_per_prompt`). Defaults to `7` (the paper's n). */
    groupSize?: number;
    /** `group` mode: longest wait for a group to fill, in ms, before it is scored as it is. Defaults to `120000`. */
    groupWaitMs?: number;
    /** `group` mode: most samples waiting for their group at once (more are refused with 429). Defaults to `8192`. */
    maxGroupWaiting?: number;
    /** `rm-r1` mode: a padding token removed from the end of each query first (older OpenRLHF versions pad). Defaults to none. */
    padToken?: string;
    /** Policy modes: end-of-turn tokens removed from the end of each response. Defaults to the common templates' (`defaultEndTokens`). */
    endTokens?: readonly string[];
    /** Comparisons in flight within one request or group. Defaults to `64`. */
    concurrency?: number;
}

/** A parsed `/get_reward` body. */
export interface RewardRequest {
    query: string[];
    prompts?: (string | null)[];
    labels?: unknown[];
}

/** The `/get_reward` answer. */
export interface RewardResponse {
    rewards: number[];
    scores: number[];
    extra_logs: Record<string, number[]>;
}

/** What the service reports for metrics. */
export interface RewardEvents {
    onJudgment?: (judgment: Judgment) => void;
    /** A `rm-r1` output whose tail holds no unambiguous tagged verdict. */
    onUnparsed?: () => void;
}

/** Check a `/get_reward` body; `InvalidInput` names the field (`query[3]`, `labels`, ...). */
export function parseRewardRequest(body: unknown, maxItems: number): RewardRequest {
    if (body == null || typeof body !== "object" || Array.isArray(body))
        throw new InvalidInput("the body must be a JSON object {\"query\": [...], \"prompts\": [...], \"labels\": [...]}");
    const b = body as Record<string, unknown>;
    const query = b.query;
    if (!Array.isArray(query) || query.length === 0)
        throw new InvalidInput("'query' must be a non-empty list of strings (prompt + response, as OpenRLHF sends it)", {field: "query"});
    if (query.length > maxItems)
        throw new InvalidInput(`'query' has ${query.length} items; this server takes at most ${maxItems} per request (--max-items)`, {field: "query"});
    query.forEach((q, i) => {
        if (typeof q !== "string") throw new InvalidInput(`'query[${i}]' must be a string`, {field: `query[${i}]`});
    });
    const request: RewardRequest = {query: query as string[]};
    for (const name of ["prompts", "labels"] as const) {
        const v = b[name];
        if (v == null) continue;
        if (!Array.isArray(v) || v.length !== query.length)
            throw new InvalidInput(`'${name}' must be a list with one entry per query (${query.length})`, {field: name});
        if (name === "prompts") {
            v.forEach((p, i) => {
                if (p != null && typeof p !== "string") throw new InvalidInput(`'prompts[${i}]' must be a string`, {field: `prompts[${i}]`});
            });
            request.prompts = v as (string | null)[];
        } else {
            request.labels = v;
        }
    }
    return request;
}

export class RewardService {
    readonly options: Required<Omit<RewardOptions, "padToken">> & {padToken?: string};
    private readonly judge: Judge | null;
    private readonly events: RewardEvents;
    private readonly groups: GroupBuffer<Message[]> | null;

    /**
     * `judge` is needed by the policy modes (`reference`, `group`); without one only `rm-r1` works.
     * `withSlot` runs judge work under the server's admission control (a group takes one slot when it
     * is scored, not while it waits to fill).
     */
    constructor(judge: Judge | null, options: RewardOptions = {}, events: RewardEvents = {}, withSlot: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn()) {
        const mode = options.mode ?? "rm-r1";
        if (!isRewardMode(mode)) throw new InvalidInput(`unknown reward mode '${mode}'; use one of ${rewardModes.join(", ")}`, {field: "mode"});
        const verifiable = options.verifiable ?? "rm-r1";
        if (!isRewardName(verifiable)) throw new InvalidInput(`unknown verifiable reward '${verifiable}'; use one of ${rewardNames.join(", ")}`, {field: "verifiable"});
        const groupSize = options.groupSize ?? 7;
        if (!Number.isInteger(groupSize) || groupSize < 2) throw new InvalidInput(`groupSize must be an integer >= 2, got ${groupSize}`, {field: "groupSize"});
        this.options = {
            mode, verifiable, groupSize,
            referenceMode: options.referenceMode ?? "sign",
            groupMethod: options.groupMethod ?? "win-rate",
            groupWaitMs: options.groupWaitMs ?? 120_000,
            maxGroupWaiting: options.maxGroupWaiting ?? 8192,
            padToken: options.padToken,
            endTokens: options.endTokens ?? defaultEndTokens,
            concurrency: options.concurrency ?? 64
        };
        this.judge = judge;
        this.events = events;
        this.groups = judge == null ? null : new GroupBuffer<Message[]>({
            groupSize,
            waitMs: this.options.groupWaitMs,
            maxWaiting: this.options.maxGroupWaiting,
            singleReward: this.options.groupMethod === "win-rate" ? 0.5 : 0,
            score: (prompt, responses) => withSlot(async () => {
                const {rewards, matches} = await groupRewards(judge, {prompt, responses}, {method: this.options.groupMethod, concurrency: this.options.concurrency});
                for (const m of matches) if (m.record != null) this.events.onJudgment?.(m.record);
                return rewards;
            })
        });
    }

    /** Samples waiting for their group to fill. */
    get groupWaiting(): number {
        return this.groups?.size ?? 0;
    }

    /** Whether `mode` needs the judge (so the request must hold an admission slot). */
    needsJudge(mode: RewardMode): boolean {
        return mode !== "rm-r1";
    }

    /** The rewards for one request in `mode`. */
    async rewards(request: RewardRequest, mode: RewardMode = this.options.mode, signal?: AbortSignal): Promise<RewardResponse> {
        if (mode === "rm-r1") return this.verifiableRewards(request);
        const judge = this.judge;
        if (judge == null)
            throw new InvalidInput(`reward mode '${mode}' needs a judge model; start the server with --model (only mode rm-r1 works without one)`, {field: "mode"});
        if (mode === "reference") return this.referenceRewards(judge, request, signal);
        return this.groupRewards(request);
    }

    /** Score open groups now (the server is draining). */
    flushGroups(): void {
        this.groups?.flushAll();
    }

    private verifiableRewards(request: RewardRequest): RewardResponse {
        const labels = request.labels;
        if (labels == null) throw new InvalidInput("mode rm-r1 needs 'labels' (model_a or model_b per query; OpenRLHF: --label_key winner)", {field: "labels"});
        const rewards: number[] = [];
        const scores: number[] = [];
        const correct: number[] = [];
        const hasVerdict: number[] = [];
        const name = this.options.verifiable;
        request.query.forEach((query, i) => {
            const label = labels[i];
            if (!isWinnerLabel(label)) throw new InvalidInput(`'labels[${i}]' must be model_a or model_b, got ${JSON.stringify(label)?.slice(0, 40)}`, {field: `labels[${i}]`});
            const text = this.options.padToken != null ? stripTrailing(query, this.options.padToken) : query;
            const response = responseOf(text, request.prompts?.[i] ?? undefined);
            const reward = computeReward(name, response, label);
            rewards.push(reward);
            scores.push(name === "rm-r1" ? (reward + 1) / 2 : reward / 2);
            correct.push(rlReward(response, label) === 1 ? 1 : 0);
            const tail = tailCodePoints(response, 80);
            const found = tail.includes("<answer>[[A]]</answer>") !== tail.includes("<answer>[[B]]</answer>") ? 1 : 0;
            hasVerdict.push(found);
            if (found === 0) this.events.onUnparsed?.();
        });
        return {rewards, scores, extra_logs: {correct, has_verdict: hasVerdict}};
    }

    /** The conversation and the response of item `i` of a policy-reward request. */
    private split(request: RewardRequest, i: number): {prompt: Message[], response: string, promptKey: string} {
        const query = request.query[i];
        const promptText = request.prompts?.[i];
        if (promptText != null && promptText !== "") {
            return {prompt: parseChatText(promptText), response: stripEndTokens(responseOf(query, promptText), this.options.endTokens), promptKey: promptText};
        }
        // No prompt sent: read the whole query as a transcript; its last assistant turn is the response.
        const messages = parseChatText(query);
        const last = messages.at(-1);
        if (messages.length < 2 || last?.role !== "assistant")
            throw new InvalidInput(`cannot tell the prompt from the response in 'query[${i}]'; send 'prompts' (OpenRLHF does) or a chat-templated query`, {field: "prompts"});
        const prompt = messages.slice(0, -1);
        return {prompt, response: stripEndTokens(last.content, this.options.endTokens), promptKey: JSON.stringify(prompt)};
    }

    private async referenceRewards(judge: Judge, request: RewardRequest, signal?: AbortSignal): Promise<RewardResponse> {
        const labels = request.labels;
        if (labels == null) throw new InvalidInput("mode reference needs 'labels': the reference answer per query (OpenRLHF: --label_key)", {field: "labels"});
        const items = request.query.map((_, i) => {
            const reference = labels[i];
            if (typeof reference !== "string" || reference.trim() === "")
                throw new InvalidInput(`'labels[${i}]' must be the reference answer (a non-empty string)`, {field: `labels[${i}]`});
            return {...this.split(request, i), reference};
        });
        const mode = this.options.referenceMode;
        const results = await mapConcurrent(items, this.options.concurrency, (item) =>
            referenceReward(judge, {prompt: item.prompt, response: item.response, reference: item.reference}, {mode, signal}));
        const win: number[] = [];
        const judgeError: number[] = [];
        for (const {judgment} of results) {
            this.events.onJudgment?.(judgment);
            win.push(judgment.preferred === "first" ? 1 : judgment.preferred === "second" ? 0 : 0.5);
            judgeError.push(judgment.verdict === "error" ? 1 : 0);
        }
        const rewards = results.map((r) => r.reward);
        return {
            rewards,
            scores: mode === "sign" ? rewards.map((r) => (r + 1) / 2) : rewards,
            extra_logs: {win, judge_error: judgeError}
        };
    }

    private async groupRewards(request: RewardRequest): Promise<RewardResponse> {
        const groups = this.groups!;
        const items = request.query.map((_, i) => this.split(request, i));
        if (!groups.hasRoom(items.length)) {
            throw new HttpError(429, "rate_limit", `${groups.size} samples are already waiting for their groups to fill (--max-group-waiting ${this.options.maxGroupWaiting}); retry later`,
                {headers: {"retry-after": "5"}});
        }
        const results = await Promise.all(items.map((item) => groups.add(item.promptKey, item.prompt, item.response)));
        const rewards = results.map((r) => r.reward);
        const method = this.options.groupMethod;
        return {
            rewards,
            // Win rates are already in [0, 1]; a Bradley–Terry θ maps through the logistic function.
            scores: method === "win-rate" ? rewards : rewards.map((r) => 1 / (1 + Math.exp(-r))),
            extra_logs: {group_size: results.map((r) => r.groupSize)}
        };
    }
}
