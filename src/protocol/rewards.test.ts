import {describe, expect, it} from "vitest";
import {InvalidInput} from "../errors.js";
import {computeReward, isRewardName, rewardNames} from "./rewards.js";
import type {RewardName} from "./rewards.js";
import type {WinnerLabel} from "./types.js";

const WELL_FORMED = `<type>Reasoning</type>

<solution>4</solution>

<eval>
<quote_A>4</quote_A> is right; <summary_B>Chatbot B says 5</summary_B>.
</eval>

<answer>[[A]]</answer><|im_end|>`;

describe("computeReward", () => {
    it("rm-r1 is the ±1 tail-80 reward", () => {
        expect(computeReward("rm-r1", WELL_FORMED, "model_a")).toBe(1);
        expect(computeReward("rm-r1", WELL_FORMED, "model_b")).toBe(-1);
        expect(computeReward("rm-r1", "<answer>[[A]]</answer>" + "x".repeat(59), "model_a")).toBe(-1);
    });

    it("format-aware is answer (1/0) + format (1/0)", () => {
        expect(computeReward("format-aware", WELL_FORMED, "model_a")).toBe(2);
        expect(computeReward("format-aware", WELL_FORMED, "model_b")).toBe(1);
        // Right verdict, broken format (no CoR sections at all).
        expect(computeReward("format-aware", "<answer>[[B]]</answer>", "model_b")).toBe(1);
        expect(computeReward("format-aware", "<answer>[[B]]</answer>", "model_a")).toBe(0);
        // Well-formed but the verdict is too far from the end for the RL rule: format only.
        expect(computeReward("format-aware", WELL_FORMED.replace("<|im_end|>", "<|im_end|>".repeat(7)), "model_a")).toBe(1);
        // A reasoning-family output with a clean ending is well-formed.
        expect(computeReward("format-aware", "Thinking…</think>\nA is right.\n<answer>[[A]]</answer>", "model_a")).toBe(2);
        expect(computeReward("format-aware", "", "model_a")).toBe(0);
    });

    it("rejects unknown names and labels", () => {
        expect(() => computeReward("bleu" as RewardName, WELL_FORMED, "model_a")).toThrow(InvalidInput);
        for (const name of rewardNames) expect(() => computeReward(name, WELL_FORMED, "A" as WinnerLabel)).toThrow(InvalidInput);
        expect(isRewardName("format-aware")).toBe(true);
        expect(isRewardName("rm_r1")).toBe(false);
    });
});
