import {createHash} from "node:crypto";
import {describe, expect, it} from "vitest";
import {
    PASS2_HINT_SUFFIX_A, PASS2_HINT_SUFFIX_B, RM_R1_INSTRUCT_SYSTEM_PROMPT, RM_R1_MULTI_TURN_INSTRUCT_USER_PROMPT,
    RM_R1_MULTI_TURN_REASONING_USER_PROMPT, RM_R1_SINGLE_TURN_INSTRUCT_USER_PROMPT, RM_R1_SINGLE_TURN_REASONING_USER_PROMPT,
    pass2HintText
} from "./templates.js";

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const codePoints = (s: string) => Array.from(s).length;

describe("RM-R1 templates", () => {
    // SHA-256 and lengths as listed in rm-r1-method.md §1.3–1.7.
    const expected: [string, string, string, number][] = [
        ["system", RM_R1_INSTRUCT_SYSTEM_PROMPT, "e0bf09a87f19837abf172278c348e8fc6ed36034f4f39b98191910533c3df3ed", 2871],
        ["single instruct", RM_R1_SINGLE_TURN_INSTRUCT_USER_PROMPT, "5fa3baf9813bdf0ed9b8601be6fe162ab82e37467e0843c32cfbc22792c65ac2", 192],
        ["multi instruct", RM_R1_MULTI_TURN_INSTRUCT_USER_PROMPT, "8cb7158fc42faa0b78f398ea4f9e475dc204cf9bfd0e81e2d4984059dd5252d9", 290],
        ["single reasoning", RM_R1_SINGLE_TURN_REASONING_USER_PROMPT, "2a0d3caf562d59367bbbefb29c400438e0312def4fbb73fb2e70be8661ddd770", 508],
        ["multi reasoning", RM_R1_MULTI_TURN_REASONING_USER_PROMPT, "3abf19ca3d35017131fe26861e09ab3bb343c0fe96e901cea2fe5aeb1a67bedb", 606]
    ];
    it.each(expected)("%s is byte-identical to the reference", (_name, value, hash, length) => {
        expect(sha256(value)).toBe(hash);
        expect(codePoints(value)).toBe(length);
    });

    it("have only their own placeholders as braces", () => {
        expect(RM_R1_INSTRUCT_SYSTEM_PROMPT).not.toMatch(/[{}]/);
        expect(RM_R1_SINGLE_TURN_INSTRUCT_USER_PROMPT.match(/\{[^}]*\}/g)).toEqual(["{question}", "{answer_a}", "{answer_b}"]);
        expect(RM_R1_MULTI_TURN_REASONING_USER_PROMPT.match(/\{[^}]*\}/g)).toEqual(["{conversation_1}", "{conversation_2}"]);
        expect(RM_R1_SINGLE_TURN_REASONING_USER_PROMPT).toContain("displayed below. \n\n[Client Question]");
    });
});

describe("pass-2 hint suffixes", () => {
    it("match the reference strings (U+2014 dashes, leading \"\\n\\n \", trailing space)", () => {
        for (const [suffix, winner, loser] of [[PASS2_HINT_SUFFIX_A, "A", "B"], [PASS2_HINT_SUFFIX_B, "B", "A"]]) {
            expect(suffix.startsWith("\n\n For this sample case")).toBe(true);
            expect(suffix.endsWith(`showing why Chatbot ${winner} outperforms Chatbot ${loser}. `)).toBe(true);
            expect(suffix).toContain(`the correct verdict is [[${winner}]].`);
            expect(suffix.match(/\u2014/g)).toHaveLength(2);
            expect(suffix).not.toMatch(/[-–]{2}|\u2013/);
            expect(codePoints(suffix)).toBe(218);
        }
        // Hashes of the JSON literals quoted in rm-r1-method.md §6.2.
        expect(sha256(PASS2_HINT_SUFFIX_A)).toBe("abc4223b1fceaf9b7005a8a07640a19666f1bc06f42c6538107defb352db13ab");
        expect(sha256(PASS2_HINT_SUFFIX_B)).toBe("b9d0bd299f3377f0ca44fc32639c07de05bebf2a0f326218b93487343dc9cd38");
    });

    it("pass2HintText appends the wrong judgement as generate_OpenAI_Second_Time.py does", () => {
        expect(pass2HintText("model_b", "x $& y")).toBe(PASS2_HINT_SUFFIX_B + "The previous (wrong) judgement was: x $& y");
        expect(pass2HintText("model_a", "")).toBe(PASS2_HINT_SUFFIX_A + "The previous (wrong) judgement was: ");
    });
});
