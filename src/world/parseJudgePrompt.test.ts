import {describe, expect, it} from "vitest";
import {renderPair} from "../protocol/renderPair.js";
import {PASS2_HINT_SUFFIX_B, pass2HintText} from "../protocol/templates.js";
import {parseJudgePrompt} from "./parseJudgePrompt.js";

const pair = {
    prompt: [{role: "user" as const, content: "Compute 47 + 38 * 2."}],
    chosen: [{role: "assistant" as const, content: "38 * 2 = 76\n47 + 76 = 123\nAnswer: 123"}],
    rejected: [{role: "assistant" as const, content: "38 * 2 = 76\n47 + 76 = 113\nAnswer: 113"}]
};

describe("parseJudgePrompt", () => {
    it("recovers the question and both replies from every profile's single-turn template", () => {
        for (const profile of ["tiny", "rm-r1-instruct", "rm-r1-reasoning"] as const) {
            const {messages} = renderPair(pair, "chosen-second", {profile});
            expect(parseJudgePrompt(messages)).toEqual({
                profile, question: "Compute 47 + 38 * 2.", answerA: pair.rejected[0].content, answerB: pair.chosen[0].content, hint: null
            });
        }
    });

    it("reads the pass-2 hint and the previous judgement, and parses the prompt before it", () => {
        const {messages} = renderPair(pair, "chosen-second", {profile: "tiny"});
        const user = messages[1].content + pass2HintText("model_b", "<answer>[[A]]</answer>");
        const parsed = parseJudgePrompt([messages[0], {role: "user", content: user}]);
        expect(parsed?.hint).toEqual({verdict: "B", previous: "<answer>[[A]]</answer>"});
        expect(parsed?.answerB).toBe(pair.chosen[0].content);
        const bare = parseJudgePrompt([{role: "user", content: messages[1].content + PASS2_HINT_SUFFIX_B}]);
        expect(bare?.hint).toEqual({verdict: "B", previous: null});
    });

    it("returns null for anything else", () => {
        expect(parseJudgePrompt([{role: "user", content: "Compute 1 + 2."}])).toBeNull();
        expect(parseJudgePrompt([{role: "system", content: "Judge A vs B."}])).toBeNull();
        const multi = renderPair({chosen: [...pair.prompt, ...pair.chosen, ...pair.prompt, ...pair.chosen], rejected: [...pair.prompt, ...pair.chosen, ...pair.prompt, ...pair.rejected]}, "chosen-first", {profile: "tiny"});
        expect(multi.multiTurn).toBe(true);
        expect(parseJudgePrompt(multi.messages)).toBeNull();
    });
});
