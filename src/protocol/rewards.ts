// Verifiable rewards for RL on judge outputs, selectable by name.
//
// - "rm-r1": the RM-R1 reward (method doc §3): +1 when the tail-80 verdict is correct and
//   unambiguous, else -1 (`rlReward`). No format term, as in the released training.
// - "format-aware": the paper's cold-start ablation (App. G.1), R = R_answer + R_format in {0, 1, 2}:
//   R_answer = 1 exactly when `rlReward` gives +1 (the same verdict rule), else 0;
//   R_format = 1 exactly when `parseCor` finds a verdict and no format violation, else 0.
//   The paper does not spell out its format check; this is ours (docs/protocol.md).
import {InvalidInput} from "../errors.js";
import {rlReward} from "./extractors.js";
import {parseCor} from "./parseCor.js";
import type {WinnerLabel} from "./types.js";

export type RewardName = "rm-r1" | "format-aware";

/** Every reward name. */
export const rewardNames: readonly RewardName[] = ["rm-r1", "format-aware"];

export function isRewardName(s: string): s is RewardName {
    return (rewardNames as readonly string[]).includes(s);
}

/** The reward `name` gives `text` (a judge output) for the ground-truth `label`. */
export function computeReward(name: RewardName, text: string, label: WinnerLabel): number {
    if (name === "rm-r1") return rlReward(text, label);
    if (name === "format-aware") {
        const answer = rlReward(text, label) === 1 ? 1 : 0;
        const cor = parseCor(text);
        const format = cor.verdict != null && cor.violations.length === 0 ? 1 : 0;
        return answer + format;
    }
    throw new InvalidInput(`unknown reward '${String(name)}'; use one of ${rewardNames.join(", ")}`, {field: "reward"});
}
