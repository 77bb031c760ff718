// SFT row shapes, their errors, and tokenisation with the byte chat template.
import {describe, expect, it} from "vitest";
import {InvalidInput} from "../errors.js";
import {specialTokens} from "../native/tokenizer/ByteTokenizer.js";
import {sftExampleFromRow, tokenizeSft} from "./sftData.js";

describe("sftExampleFromRow", () => {
    it("reads RM-R1 distillation rows, TRL messages, prompt–completion and OpenRLHF rows", () => {
        const system = {role: "system", content: "Judge A vs B."}, user = {role: "user", content: "Q: 1+1\n[A]\n2\n[B]\n3"};
        expect(sftExampleFromRow({context_messages: [system, user], winner: "<answer>[[A]]</answer>"}, 0, "f:1"))
            .toEqual({id: "0", prompt: [system, user], response: "<answer>[[A]]</answer>", location: "f:1"});
        expect(sftExampleFromRow({id: "x", messages: [user, {role: "assistant", content: "t"}]}, 3, "f:4"))
            .toEqual({id: "x", prompt: [user], response: "t", location: "f:4"});
        expect(sftExampleFromRow({prompt: "hi", completion: "yo"}, 1, "f:2").prompt).toEqual([{role: "user", content: "hi"}]);
        expect(sftExampleFromRow({prompt: [user], completion: [{role: "assistant", content: "yo"}]}, 1, "f:2").response).toBe("yo");
        expect(sftExampleFromRow({input: [system, user], output: "trace"}, 2, "f:3")).toMatchObject({prompt: [system, user], response: "trace"});
    });

    it("explains what is wrong, naming the field and row", () => {
        const bad = (row: unknown) => {
            try {
                sftExampleFromRow(row, 0, "data.jsonl:7");
            } catch (e) {
                expect(e).toBeInstanceOf(InvalidInput);
                return (e as InvalidInput);
            }
            throw new Error("no error");
        };
        expect(bad({context_messages: [{role: "user", content: "q"}], winner: "model_b"}).message).toMatch(/^data.jsonl:7: 'winner' holds the label model_b, not a reasoning trace/);
        expect(bad({context_messages: [{role: "user", content: "q"}]}).field).toBe("winner");
        expect(bad({messages: [{role: "user", content: "q"}]}).field).toBe("messages[0].role");
        expect(bad({messages: [{role: "assistant", content: "a"}]}).field).toBe("messages");
        expect(bad({prompt: "q", completion: [{role: "user", content: "a"}]}).field).toBe("completion");
        expect(bad({prompt: "q", chosen: "a", rejected: "b"}).message).toMatch(/preference pair \(chosen\/rejected\), not an SFT example/);
        expect(bad({text: "x"}).message).toMatch(/cannot tell what kind of SFT row this is \(it has fields text\)/);
        expect(bad([1, 2]).message).toMatch(/must be a JSON object/);
    });
});

describe("tokenizeSft", () => {
    const example = {id: "0", prompt: [{role: "user" as const, content: "hi"}], response: "ok", location: "f:1"};

    it("appends the response bytes and <|eos|> after the generation prompt", () => {
        const s = tokenizeSft(example);
        const {bos, user, eos, assistant} = specialTokens;
        expect(Array.from(s.tokens)).toEqual([bos, user, 104, 105, eos, assistant, 111, 107, eos]);
        expect(s.lossStart).toBe(6); // the first response byte
    });

    it("trains on the assistant header token too with trainOnHeader", () => {
        expect(tokenizeSft(example, {trainOnHeader: true}).lossStart).toBe(5);
    });
});
