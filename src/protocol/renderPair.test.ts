import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {InvalidInput} from "../errors.js";
import {fillTemplate, pairConversations, renderComparison, renderPair} from "./renderPair.js";
import type {RenderOptions} from "./renderPair.js";
import {RM_R1_INSTRUCT_SYSTEM_PROMPT, RM_R1_SINGLE_TURN_INSTRUCT_USER_PROMPT} from "./templates.js";
import type {Message, PairOrder, PreferencePair} from "./types.js";

interface RenderCase {
    name: string;
    pair: PreferencePair;
    order: PairOrder;
    profile: NonNullable<RenderOptions["profile"]>;
    quirks?: "reference";
    expected: {error: string} | {messages: Message[], label: string, multiTurn: boolean, chosenPosition: string};
}

// Made by test/fixtures/protocol/make_golden.py (a Python reimplementation of mix_data.py's str.format rendering).
const golden = JSON.parse(readFileSync(new URL("../../test/fixtures/protocol/render.golden.json", import.meta.url), "utf8")) as RenderCase[];

const u = (content: string): Message => ({role: "user", content});
const a = (content: string): Message => ({role: "assistant", content});

/** Catch the InvalidInput `fn` throws (the test fails if it throws nothing or something else). */
function invalid(fn: () => unknown): InvalidInput {
    try {
        fn();
    } catch (e) {
        expect(e).toBeInstanceOf(InvalidInput);
        return e as InvalidInput;
    }
    throw new Error("expected InvalidInput");
}

describe("renderPair golden (Python reference rendering)", () => {
    it("covers at least 10 pairs of every kind", () => {
        expect(golden.filter((c) => !("error" in c.expected)).length).toBeGreaterThanOrEqual(10);
    });
    it.each(golden.map((c) => [c.name, c] as const))("%s", (_name, c) => {
        const options: RenderOptions = {profile: c.profile, quirks: c.quirks};
        if ("error" in c.expected) {
            invalid(() => renderPair(c.pair, c.order, options));
            return;
        }
        expect(renderPair(c.pair, c.order, options)).toEqual(c.expected);
    });
});

describe("renderPair", () => {
    const pair: PreferencePair = {prompt: [u("Q")], chosen: [a("good")], rejected: [a("bad")]};

    it("defaults to the rm-r1-instruct profile and labels by order", () => {
        const first = renderPair(pair, "chosen-first");
        expect(first.messages[0]).toEqual({role: "system", content: RM_R1_INSTRUCT_SYSTEM_PROMPT});
        expect(first.messages[1].content).toBe(fillTemplate(RM_R1_SINGLE_TURN_INSTRUCT_USER_PROMPT, {question: "Q", answer_a: "good", answer_b: "bad"}));
        expect([first.label, first.chosenPosition, first.multiTurn]).toEqual(["model_a", "A", false]);
        const second = renderPair(pair, "chosen-second");
        expect(second.messages[1].content).toContain("Chatbot A's Response]\nbad\n");
        expect([second.label, second.chosenPosition]).toEqual(["model_b", "B"]);
    });

    it("does not modify its input", () => {
        const copy = structuredClone(pair);
        renderPair(pair, "chosen-second", {profile: "tiny"});
        expect(pair).toEqual(copy);
    });

    it("names the field of a bad pair", () => {
        expect(invalid(() => renderPair({prompt: [u("Q")], rejected: [a("x")]} as unknown as PreferencePair, "chosen-first")).field).toBe("chosen");
        expect(invalid(() => renderPair({chosen: "hi", rejected: [a("x")]} as unknown as PreferencePair, "chosen-first")).field).toBe("chosen");
        expect(invalid(() => renderPair({chosen: [], rejected: [a("x")]}, "chosen-first")).field).toBe("chosen");
        expect(invalid(() => renderPair({prompt: [u("Q")], chosen: [a("x")], rejected: [{role: "tool", content: "x"} as unknown as Message]}, "chosen-first")).field).toBe("rejected[0].role");
        expect(invalid(() => renderPair({prompt: [u("Q")], chosen: [{role: "assistant", content: 3} as unknown as Message], rejected: [a("x")]}, "chosen-first")).field).toBe("chosen[0].content");
        expect(invalid(() => renderPair({prompt: [null as unknown as Message], chosen: [a("x")], rejected: [a("y")]}, "chosen-first")).field).toBe("prompt[0]");
        expect(invalid(() => renderPair(null as unknown as PreferencePair, "chosen-first")).field).toBe("pair");
    });

    it("rejects a system message in a (necessarily multi-turn) conversation, naming it", () => {
        const e = invalid(() => renderPair({prompt: [{role: "system", content: "S"}, u("Q")], chosen: [a("x")], rejected: [a("y")]}, "chosen-first"));
        expect(e.field).toBe("prompt[0].role");
        expect(e.message).toMatch(/system/);
        const implicit = invalid(() => renderPair({chosen: [u("Q"), a("x")], rejected: [u("Q"), a("y"), {role: "system", content: "S"}]}, "chosen-second"));
        expect(implicit.field).toBe("rejected[2].role");
    });

    it("rejects a single-turn pair with two different questions", () => {
        expect(invalid(() => renderPair({chosen: [u("Q1"), a("x")], rejected: [u("Q2"), a("y")]}, "chosen-first")).field).toBe("rejected[0].content");
    });

    it("rejects unknown options naming them", () => {
        expect(invalid(() => renderPair(pair, "first" as PairOrder)).field).toBe("order");
        expect(invalid(() => renderPair(pair, "chosen-first", {profile: "gpt" as RenderOptions["profile"]})).field).toBe("profile");
        expect(invalid(() => renderPair(pair, "chosen-first", {quirks: "yes" as "reference"})).field).toBe("quirks");
    });

    it("applies the Chabot B quirk only to multi-turn, chosen-in-A, RM-R1 profiles", () => {
        const multi: PreferencePair = {prompt: [u("Hi"), a("Hello"), u("Q")], chosen: [a("good")], rejected: [a("bad")]};
        const text = (order: PairOrder, options: RenderOptions) => renderPair(multi, order, options).messages.at(-1)!.content;
        expect(text("chosen-first", {quirks: "reference"})).toContain("\nChabot B: bad");
        expect(text("chosen-first", {quirks: "reference"})).not.toContain("Chatbot B: ");
        expect(text("chosen-first", {})).toContain("\nChatbot B: bad");
        expect(text("chosen-second", {quirks: "reference"})).toContain("\nChatbot B: good");
        expect(text("chosen-first", {profile: "tiny", quirks: "reference"})).toBe("[A]\nUser: Hi\nA: Hello\nUser: Q\nA: good\n[B]\nUser: Hi\nB: Hello\nUser: Q\nB: bad");
    });
});

describe("fillTemplate", () => {
    it("substitutes once, literally, without re-scanning inserted text", () => {
        const t = "{question}|{answer_a}|{answer_b}";
        expect(fillTemplate(t, {question: "{answer_a}", answer_a: "$&$1$$", answer_b: "$'$`"})).toBe("{answer_a}|$&$1$$|$'$`");
    });
});

describe("renderComparison", () => {
    it("renders two unlabelled conversations with a as Chatbot A", () => {
        const r = renderComparison([u("Q"), a("one")], [u("Q"), a("two")], {profile: "rm-r1-reasoning"});
        expect(r.multiTurn).toBe(false);
        expect(r.messages).toHaveLength(1);
        expect(r.messages[0].content).toContain("[The Start of Chatbot A's Response]\none\n");
        const m = renderComparison([u("Q"), a("one"), u("more"), a("three")], [u("Q"), a("two")], {profile: "tiny", quirks: "reference"});
        expect(m.multiTurn).toBe(true);
        expect(m.messages[1].content).toBe("[A]\nUser: Q\nA: one\nUser: more\nA: three\n[B]\nUser: Q\nB: two");
    });
    it("names the bad argument", () => {
        expect(invalid(() => renderComparison([u("Q"), a("x")], [{role: "user"} as Message])).field).toBe("b[0].content");
    });
});

describe("pairConversations", () => {
    it("joins the explicit prompt to each reply and validates", () => {
        const p: PreferencePair = {prompt: [u("Q")], chosen: [a("c")], rejected: [a("r")]};
        expect(pairConversations(p)).toEqual({chosen: [u("Q"), a("c")], rejected: [u("Q"), a("r")]});
        expect(pairConversations({chosen: [u("Q"), a("c")], rejected: [u("Q"), a("r")]})).toEqual({chosen: [u("Q"), a("c")], rejected: [u("Q"), a("r")]});
        expect(invalid(() => pairConversations({chosen: [u("Q")]} as PreferencePair)).field).toBe("rejected");
    });
});
