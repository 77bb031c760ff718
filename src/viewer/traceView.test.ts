import {describe, expect, it} from "vitest";
import {parseCor} from "../protocol/parseCor.js";
import {locateQuote, traceView} from "./traceView.js";
import type {QuotablePart} from "./traceView.js";

const reply: QuotablePart = {
    key: "chosen",
    messages: [{role: "assistant", content: "1. **Wash the exterior** with a pH-balanced  car shampoo.\n2. Clay bar the paint, then rinse.\n3. Apply a coat of wax."}]
};

function slice(part: QuotablePart, r: {message: number, start: number, end: number}): string {
    return part.messages[r.message].content.slice(r.start, r.end);
}

describe("locateQuote", () => {
    it("finds an exact quote at its offsets", () => {
        const found = locateQuote(reply, "Clay bar the paint");
        expect(found.match).toBe("exact");
        expect(found.ranges).toHaveLength(1);
        expect(slice(reply, found.ranges[0])).toBe("Clay bar the paint");
    });

    it("strips wrapping quotation marks and surrounding space", () => {
        const found = locateQuote(reply, "  “Apply a coat of wax.”  ");
        expect(found.match).toBe("exact");
        expect(slice(reply, found.ranges[0])).toBe("Apply a coat of wax.");
    });

    it("matches after normalising markdown emphasis, case and whitespace runs, mapping back to the original text", () => {
        const found = locateQuote(reply, "wash the exterior with a pH-balanced car shampoo");
        expect(found.match).toBe("normalized");
        expect(slice(reply, found.ranges[0])).toBe("Wash the exterior** with a pH-balanced  car shampoo");
    });

    it("normalises curly quotes and dashes", () => {
        const part: QuotablePart = {key: "x", messages: [{role: "assistant", content: "It's a \"well\u2010known\" fact \u2014 really."}]};
        const found = locateQuote(part, "it\u2019s a \u201cwell\u2010known\u201d fact - really");
        expect(found.match).toBe("normalized");
        expect(slice(part, found.ranges[0])).toBe("It's a \"well\u2010known\" fact \u2014 really");
    });

    it("locates the fragments of an elided quote", () => {
        const found = locateQuote(reply, "Clay bar the paint ... Apply a coat of wax");
        expect(found.match).toBe("partial");
        expect(found.ranges.map((r) => slice(reply, r))).toEqual(["Clay bar the paint", "Apply a coat of wax"]);
    });

    it("says so when a quote is not in the reply", () => {
        expect(locateQuote(reply, "use dish soap")).toEqual({match: "none", ranges: []});
        expect(locateQuote(reply, "   ")).toEqual({match: "none", ranges: []});
    });

    it("searches every message of a multi-turn reply", () => {
        const part: QuotablePart = {key: "chosen", messages: [{role: "assistant", content: "first turn"}, {role: "user", content: "more?"}, {role: "assistant", content: "second turn text"}]};
        const found = locateQuote(part, "second turn");
        expect(found.ranges[0]).toEqual({part: "chosen", message: 2, start: 0, end: 11});
    });
});

describe("traceView", () => {
    const chosen = {key: "chosen", messages: [{role: "assistant", content: "580 - 318 = 262\nAnswer: 262"}]};
    const rejected = {key: "rejected", messages: [{role: "assistant", content: "580 - 318 = -262\nAnswer: -262"}]};
    const prompt = {key: "prompt", messages: [{role: "user", content: "Compute 580 - 318."}]};
    const text = "<type>Reasoning</type>\n<solution>580 - 318 = 262</solution>\n<eval>A says <quote_A>-262</quote_A>; B says <quote_B>262</quote_B>. " +
        "<summary_B>B is right</summary_B> and 262 is what I got.</eval>\n<answer>[[B]]</answer>";

    it("maps A and B to the replies by where the chosen one sat, and finds each quote in its own reply", () => {
        const view = traceView(text, {position: "B", replyKeys: ["chosen", "rejected"], parts: [prompt, chosen, rejected], label: "output"});
        expect(view.sides).toEqual({A: "rejected", B: "chosen"});
        expect(view.cor.type).toBe("Reasoning");
        expect(view.verdict).toBe("B");
        const [qa, qb, sb] = view.citations;
        expect(qa).toMatchObject({side: "A", kind: "quote", target: "rejected", match: "exact"});
        expect(slice(rejected, qa.ranges[0])).toBe("-262");
        expect(qa.ranges[0].part).toBe("rejected");
        expect(qb).toMatchObject({side: "B", target: "chosen", match: "exact"});
        expect(qb.ranges[0]).toMatchObject({part: "chosen", start: 12, end: 15});
        expect(sb).toMatchObject({kind: "summary", target: "chosen", match: "summary", ranges: []});
    });

    it("gives the evaluation's offsets in the output so citations can be drawn in place", () => {
        const view = traceView(text, {position: "A", replyKeys: ["chosen", "rejected"], parts: [chosen, rejected], label: "output"});
        const {start, end} = view.evalRange!;
        expect(text.slice(start, end)).toBe(parseCor(text).eval!.text);
        for (const c of view.citations) expect(c.start >= start && c.end <= end).toBe(true);
    });

    it("re-parses when the recorded CoR does not belong to this text, and uses it when it does", () => {
        const other = parseCor("<type>Chat</type><rubric>1. x (100%)<justify>j</justify></rubric><eval><quote_A>q</quote_A><quote_B>r</quote_B></eval><answer>[[A]]</answer>");
        const view = traceView(text, {position: "A", replyKeys: ["chosen", "rejected"], parts: [chosen, rejected], cor: other, label: "output"});
        expect(view.cor.type).toBe("Reasoning");
        const recorded = {...parseCor(text), violations: ["recorded violation"]};
        expect(traceView(text, {position: "A", replyKeys: ["chosen", "rejected"], parts: [chosen, rejected], cor: recorded, label: "o"}).cor.violations).toEqual(["recorded violation"]);
    });

    it("leaves quotes unlocated (target null) when the line carries no replies", () => {
        const view = traceView(text, {position: null, replyKeys: ["chosen", "rejected"], parts: [], label: "output"});
        expect(view.sides).toEqual({A: null, B: null});
        expect(view.citations.every((c) => c.target == null && c.match === "none")).toBe(true);
    });

    it("draws truncated and tag-free outputs without throwing", () => {
        const cut = traceView("<type>Chat</type>\n<rubric>1. Helpful", {position: "A", replyKeys: ["chosen", "rejected"], parts: [chosen, rejected], label: "o"});
        expect(cut.cor.violations.length).toBeGreaterThan(0);
        expect(cut.evalRange).toBeNull();
        expect(traceView("just prose [[A]]", {position: "A", replyKeys: ["chosen", "rejected"], parts: [chosen, rejected], label: "o"}).citations).toEqual([]);
    });
});
