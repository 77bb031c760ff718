// Scalar rewards for RLHF from pairwise verdicts: a policy's response judged against a reference
// answer, or each response of a group (the samples for one prompt, as GRPO draws them) scored by its
// win rate or Bradley–Terry strength within the group. (The +1/−1 reward for training the judge
// itself is `computeReward` in the protocol layer.)
import type {Message} from "../protocol/types.js";
import {bradleyTerry} from "./bradleyTerry.js";
import type {BradleyTerryOptions} from "./bradleyTerry.js";
import type {Judge, JudgeCallOptions} from "./Judge.js";
import {candidateMessages, contentId} from "./judgeInput.js";
import type {Judgment} from "./Judgment.js";
import type {PlayedMatch} from "./roundRobin.js";
import {roundRobin} from "./roundRobin.js";
import {winRates} from "./winRates.js";

/**
 * - `sign`: +1 when the response is preferred, −1 when the reference is, 0 for a tie or no verdict
 *   (an unparsable judge output is the judge's failure, not the policy's).
 * - `probability`: P(response better) in [0, 1]: from token probabilities when the engine gives
 *   them, else 1 / 0.5 / 0 from the verdict, 0.5 without one.
 */
export type ReferenceRewardMode = "sign" | "probability";

/** The reward a judgment of (response = first, reference = second) gives. */
export function rewardFromJudgment(judgment: Judgment, mode: ReferenceRewardMode): number {
    if (mode === "probability") {
        if (judgment.p_first != null) return judgment.p_first;
        return judgment.preferred === "first" ? 1 : judgment.preferred === "second" ? 0 : 0.5;
    }
    return judgment.preferred === "first" ? 1 : judgment.preferred === "second" ? -1 : 0;
}

export interface ReferenceRewardOptions extends JudgeCallOptions {
    /** How the verdict becomes a number. Defaults to `"sign"`. */
    mode?: ReferenceRewardMode;
}

/**
 * Reward `response` by judging it against `reference` (response shown as `first`; the judge's
 * order policy decides the positions). Use `order: "both"` on the judge for rewards that do not
 * depend on position bias.
 */
export async function referenceReward(
    judge: Judge,
    item: {id?: string, prompt: Message[], response: Message[] | string, reference: Message[] | string},
    options: ReferenceRewardOptions = {}
): Promise<{reward: number, judgment: Judgment}> {
    const id = item.id ?? contentId({prompt: item.prompt, response: item.response, reference: item.reference});
    const judgment = await judge.compare({
        id,
        prompt: item.prompt,
        first: candidateMessages(item.response),
        second: candidateMessages(item.reference)
    }, {signal: options.signal});
    return {reward: rewardFromJudgment(judgment, options.mode ?? "sign"), judgment};
}

/**
 * - `win-rate`: (wins + ties/2) / games in a round-robin of the group, in [0, 1].
 * - `bradley-terry`: the Bradley–Terry log-strength θ (mean 0 over the group): a logit scale where a
 *   gap of 1 is odds e:1.
 */
export type GroupRewardMethod = "win-rate" | "bradley-terry";

export interface GroupRewardOptions extends JudgeCallOptions {
    /** Defaults to `"win-rate"`. */
    method?: GroupRewardMethod;
    /** Comparisons in flight at once. Defaults to `4`. */
    concurrency?: number;
    bradleyTerry?: BradleyTerryOptions;
}

/** Rewards for matches already played (the maths of `groupRewards`). */
export function rewardsFromMatches(n: number, matches: readonly PlayedMatch[], method: GroupRewardMethod, options: BradleyTerryOptions = {}): number[] {
    if (method === "bradley-terry") return bradleyTerry(n, matches, options).scores;
    return winRates(n, matches).map((w) => w.rate);
}

/** Reward every response of a group (replies to one prompt) from a round-robin among them: n(n−1)/2 judgments. */
export async function groupRewards(
    judge: Judge,
    group: {id?: string, prompt: Message[], responses: (Message[] | string)[]},
    options: GroupRewardOptions = {}
): Promise<{rewards: number[], matches: PlayedMatch<Judgment>[]}> {
    const id = group.id ?? contentId({prompt: group.prompt, responses: group.responses});
    const n = group.responses.length;
    const matches = await roundRobin(n, judge.comparer(group.prompt, group.responses, {signal: options.signal}), {key: id, concurrency: options.concurrency});
    return {rewards: rewardsFromMatches(n, matches, options.method ?? "win-rate", options.bradleyTerry), matches};
}
