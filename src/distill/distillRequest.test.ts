import {describe, expect, it} from "vitest";
import {pass2Messages, promptHash} from "./distillRequest.js";

describe("pass2Messages", () => {
    it("appends the reference's hint and the wrong judgement to the user message only", () => {
        const messages = [{role: "system" as const, content: "SYS"}, {role: "user" as const, content: "USER"}];
        const out = pass2Messages(messages, "model_b", "<answer>[[A]]</answer>");
        expect(out[0]).toEqual({role: "system", content: "SYS"});
        // generate_OpenAI_Second_Time.py: user content + SUFFIX + "The previous (wrong) judgement was: " + sft_response
        expect(out[1].content).toBe("USER\n\n For this sample case, the correct verdict is [[B]]. Please concentrate on producing a thorough, " +
            "high-quality reasoning trace\u2014fully aligned with the evaluation guidelines\u2014showing why Chatbot B outperforms Chatbot A. " +
            "The previous (wrong) judgement was: <answer>[[A]]</answer>");
        expect(messages[1].content).toBe("USER");
        expect(pass2Messages([{role: "user", content: "Q"}], "model_a", "t")[0].content).toMatch(/^Q\n\n For this sample case, the correct verdict is \[\[A\]\]\./);
        expect(() => pass2Messages([{role: "system", content: "S"}], "model_a", "t")).toThrow();
    });

    it("hashes roles and contents", () => {
        const a = promptHash([{role: "user", content: "x"}]);
        expect(a).toMatch(/^[0-9a-f]{64}$/);
        expect(promptHash([{role: "user", content: "x"}])).toBe(a);
        expect(promptHash([{role: "system", content: "x"}])).not.toBe(a);
        expect(promptHash([{role: "user", content: "x "}])).not.toBe(a);
    });
});
