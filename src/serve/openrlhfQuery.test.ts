import {describe, expect, it} from "vitest";
import {parseChatText, responseOf, stripEndTokens, stripTrailing} from "./openrlhfQuery.js";

describe("reading OpenRLHF queries", () => {
    it("splits the response from the prompt", () => {
        expect(responseOf("PROMPTanswer<|im_end|>", "PROMPT")).toBe("answer<|im_end|>");
        // A BOS token the decode added in front: the prompt is found further in.
        expect(responseOf("<s>PROMPTanswer", "PROMPT")).toBe("answer");
        expect(responseOf("something else", "PROMPT")).toBe("something else");
        expect(responseOf("query", undefined)).toBe("query");
    });

    it("strips end-of-turn and padding tokens", () => {
        expect(stripEndTokens("  Paris.<|im_end|><|endoftext|><|endoftext|>\n")).toBe("Paris.");
        expect(stripEndTokens("Paris.<｜end▁of▁sentence｜>")).toBe("Paris.");
        expect(stripTrailing("x<pad><pad>", "<pad>")).toBe("x");
        expect(stripTrailing("x", "")).toBe("x");
    });

    it("reads ChatML, Llama 3 and DeepSeek-R1 prompts as messages, else one user message", () => {
        expect(parseChatText("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi?<|im_end|>\n<|im_start|>assistant\n")).toEqual([
            {role: "system", content: "Be brief."}, {role: "user", content: "Hi?"}
        ]);
        expect(parseChatText("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello<|eot_id|>")).toEqual([
            {role: "user", content: "Hi?"}, {role: "assistant", content: "Hello"}
        ]);
        expect(parseChatText("<｜begin▁of▁sentence｜>Sys<｜User｜>Hi?<｜Assistant｜>")).toEqual([
            {role: "system", content: "Sys"}, {role: "user", content: "Hi?"}
        ]);
        expect(parseChatText("Question: 2+2?")).toEqual([{role: "user", content: "Question: 2+2?"}]);
        // An unknown role inside ChatML: not a template we can trust, kept as text.
        expect(parseChatText("<|im_start|>tool\nx<|im_end|>")).toEqual([{role: "user", content: "<|im_start|>tool\nx"}]);
    });
});
