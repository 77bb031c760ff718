import {describe, expect, it} from "vitest";
import {ConfigError, EngineBadRequest} from "../errors.js";
import {createEngine} from "../engines/createEngine.js";
import {distillCorrect, evalVerdict, rlReward} from "../protocol/extractors.js";
import {parseCor} from "../protocol/parseCor.js";
import type {ProfileName} from "../protocol/profiles.js";
import {renderPair} from "../protocol/renderPair.js";
import type {RenderedPair} from "../protocol/renderPair.js";
import {pass2HintText} from "../protocol/templates.js";
import type {Message} from "../protocol/types.js";
import {arithAnswerText, evaluationSteps, formatStep, parseArithQuestion} from "./arith.js";
import {generateWorldPairs} from "./generateWorld.js";
import type {WorldPair} from "./generateWorld.js";
import {checkList, parseListQuestion} from "./lists.js";
import {balancedOrders} from "./worldAccuracy.js";
import {WorldTeacher} from "./WorldTeacher.js";
import {reportText} from "./worldTrace.js";

const pairs = [...generateWorldPairs({n: 3000, seed: 21, family: "all", level: "mix"})];
const orders = balancedOrders(pairs, 1);

function render(profile: ProfileName): {pair: WorldPair, rendered: RenderedPair}[] {
    return pairs.map((pair) => ({pair, rendered: renderPair(pair, orders.get(pair.id)!, {profile})}));
}

async function judge(teacher: WorldTeacher, messages: Message[][]): Promise<string[]> {
    const results = await teacher.generate(messages.map((m) => ({messages: m})));
    return results.map((r) => r.completions[0].text);
}

/** The replies as shown in A and B. */
function sides(pair: WorldPair, rendered: RenderedPair): [string, string] {
    const c = pair.chosen[0].content;
    const r = pair.rejected[0].content;
    return rendered.chosenPosition === "A" ? [c, r] : [r, c];
}

describe("WorldTeacher at error 0", () => {
    for (const profile of ["tiny", "rm-r1-instruct", "rm-r1-reasoning"] as const) {
        it(`judges 3,000 pairs correctly with parseCor-clean traces (${profile} profile)`, async () => {
            const items = render(profile);
            const texts = await judge(new WorldTeacher(), items.map((i) => i.rendered.messages));
            const problems: string[] = [];
            items.forEach(({pair, rendered}, k) => {
                const text = texts[k];
                const check = (ok: boolean, what: string) => {
                    if (!ok) problems.push(`${pair.id} ${what}:\n${text}`);
                };
                const cor = parseCor(text);
                check(cor.violations.length === 0, `violations ${cor.violations.join("; ")}`);
                check(cor.verdict === rendered.chosenPosition && evalVerdict(text) === rendered.chosenPosition && rlReward(text, rendered.label) === 1, "verdict");
                const [a, b] = sides(pair, rendered);
                const quotes = cor.eval?.citations ?? [];
                check(quotes.map((q) => `${q.kind}_${q.side}`).join() === "quote_A,quote_B", "quotes");
                if (quotes.length !== 2) return;
                check(a.includes(quotes[0].text) && b.includes(quotes[1].text), "quotes are the replies' bytes");
                const question = pair.prompt[0].content;
                if (pair.meta.family === "arith") {
                    check(cor.type === "Reasoning", "type");
                    // The question restated, then the correct steps.
                    check(cor.solution === `${question}\n${evaluationSteps(parseArithQuestion(question)!).map(formatStep).join("\n")}`, "solution is the question and the correct steps");
                    check(quotes[0].text === arithAnswerText(a) && quotes[1].text === arithAnswerText(b), "quotes are the stated answers");
                    // Each check is written as the base's check-compute answer: the last step, then the answer and ok/bad.
                    const last = cor.solution!.split("\n").pop()!;
                    const value = last.split(" = ")[1];
                    const checkLine = (side: "A" | "B", q: string) => `<quote_${side}>${q}</quote_${side}>\n${last}\n${q} ${q === value ? "ok" : "bad"}`;
                    check(text.includes(`<eval>${checkLine("A", quotes[0].text)}\n${checkLine("B", quotes[1].text)}</eval>`), "check lines");
                } else {
                    check(cor.type === "Chat", "type");
                    check(JSON.stringify(cor.rubric?.items) === JSON.stringify(["count", "case", "sep", "items"].map((t) => ({text: `${t} 25%`, weight: 25}))), "rubric");
                    check((cor.rubric?.justify ?? "") !== "", "justify");
                    const spec = parseListQuestion(question)!;
                    check(quotes[0].text === a && quotes[1].text === b, "quotes are the whole lists");
                    // The request restated, then each check written as the base's check-list answer: the list, then the check line.
                    check(text.includes(`<eval>${question}\n<quote_A>${a}</quote_A>\n${a}\n${reportText(checkList(spec, a))}\n<quote_B>${b}</quote_B>\n${b}\n${reportText(checkList(spec, b))}</eval>`), "check lines");
                }
            });
            expect(problems.slice(0, 3)).toEqual([]);
        });
    }
});

describe("WorldTeacher errors and the two-pass bootstrap", () => {
    const items = render("tiny");

    it("is wrong at close to the configured rate, with plausible, well-formed wrong traces", async () => {
        const texts = await judge(new WorldTeacher({error: 0.25, seed: 3}), items.map((i) => i.rendered.messages));
        let wrong = 0;
        items.forEach(({pair, rendered}, k) => {
            const text = texts[k];
            const cor = parseCor(text);
            expect(cor.violations, text).toEqual([]);
            if (cor.verdict === rendered.chosenPosition) return;
            wrong++;
            const [a, b] = sides(pair, rendered);
            const target = cor.verdict === "A" ? 0 : 1;
            if (pair.meta.family === "arith") {
                // Its own solution slipped onto the wrong reply's answer: that reply is "ok", the right one "bad".
                const lines = cor.solution!.split("\n");
                const last = lines[lines.length - 1].split(" = ")[1];
                expect(last).toBe(arithAnswerText([a, b][target]));
                expect(lines.slice(1).join("\n")).not.toBe(evaluationSteps(parseArithQuestion(pair.prompt[0].content)!).map(formatStep).join("\n"));
                // The check line two lines after each quote.
                const all = text.split("\n");
                const checkOf = (side: string) => all[all.findIndex((l) => l.includes(`</quote_${side}>`)) + 2];
                expect(checkOf(cor.verdict!)).toMatch(/ ok($|<)/);
                expect(checkOf(rendered.chosenPosition)).toMatch(/ bad($|<)/);
            } else {
                // It overlooked the broken rule of the worse reply and failed one rule of the better one.
                const all = text.split("\n");
                const checkOf = (side: string) => all[all.findIndex((l) => l.includes(`</quote_${side}>`)) + 2];
                expect(checkOf(cor.verdict!)).toMatch(/count \d+ ok, case ok, sep ok, items ok/);
                expect(checkOf(rendered.chosenPosition)).toContain("bad");
            }
        });
        const rate = wrong / items.length;
        // 3,000 draws at p = 0.25: sd ≈ 0.008.
        expect(rate).toBeGreaterThan(0.22);
        expect(rate).toBeLessThan(0.28);
    });

    it("argues for the revealed verdict in pass 2, and can stay wrong when pass2Error says so", async () => {
        const teacher = new WorldTeacher({error: 1, seed: 9});
        const first = await judge(teacher, items.map((i) => i.rendered.messages));
        first.forEach((text, k) => expect(distillCorrect(text, items[k].rendered.label)).toBe(false));
        const hinted = items.map(({rendered}, k) => {
            const m = rendered.messages.map((x) => ({...x}));
            m[m.length - 1].content += pass2HintText(rendered.label, first[k]);
            return m;
        });
        const second = await judge(teacher, hinted);
        second.forEach((text, k) => {
            expect(parseCor(text).violations).toEqual([]);
            expect(distillCorrect(text, items[k].rendered.label), text).toBe(true);
        });
        // The pass-2 trace is the one pass 1 would have written when right: the hint changes the verdict, not the facts.
        const right = await judge(new WorldTeacher(), items.slice(0, 50).map((i) => i.rendered.messages));
        expect(second.slice(0, 50)).toEqual(right);

        const stubborn = await judge(new WorldTeacher({error: 1, pass2Error: 0.3, seed: 9}), hinted);
        const stillWrong = stubborn.filter((text, k) => !distillCorrect(text, items[k].rendered.label)).length / items.length;
        expect(stillWrong).toBeGreaterThan(0.26);
        expect(stillWrong).toBeLessThan(0.34);
    });

    it("gives the same output for the same request and seed, and other draws for another seed", async () => {
        const messages = items.slice(0, 400).map((i) => i.rendered.messages);
        const a = await judge(new WorldTeacher({error: 0.5, seed: 1}), messages);
        const b = await judge(new WorldTeacher({error: 0.5, seed: 1}), messages);
        const c = await judge(new WorldTeacher({error: 0.5, seed: 2}), messages);
        expect(b).toEqual(a);
        expect(c).not.toEqual(a);
        const teacher = new WorldTeacher({error: 0.5, seed: 1});
        const [r] = await teacher.generate([{messages: messages[0], options: {n: 40, seed: 5}}]);
        expect(r.completions).toHaveLength(40);
        const verdicts = new Set(r.completions.map((x) => evalVerdict(x.text)));
        expect(verdicts).toEqual(new Set(["A", "B"]));
    });
});

describe("WorldTeacher as an engine", () => {
    const {rendered} = render("tiny")[0];

    it("is created from its provider string with options in the query", async () => {
        const engine = await createEngine("world:teacher?error=0.25&seed=1");
        expect(engine).toBeInstanceOf(WorldTeacher);
        expect(engine.id).toBe("world:teacher?error=0.25&pass2Error=0&seed=1");
        expect(engine.identity).toMatch(/^world:teacher\?error=0\.25&pass2Error=0&seed=1#trace-v\d+$/);
        const fromOptions = await createEngine("world:teacher", {error: 0.1, pass2Error: 0.2, seed: 4});
        expect(fromOptions.id).toBe("world:teacher?error=0.1&pass2Error=0.2&seed=4");
        await expect(createEngine("world:teacher?error=2")).rejects.toThrow(ConfigError);
        await expect(createEngine("world:teacher?temperature=1")).rejects.toThrow(/unknown world:teacher option 'temperature'/);
        await expect(createEngine("world:student")).rejects.toThrow(/world:teacher/);
        await engine.close();
    });

    it("counts tokens as bytes and honours maxTokens and stop", async () => {
        const teacher = new WorldTeacher();
        const [full] = await teacher.generate([{messages: rendered.messages}]);
        const bytes = rendered.messages.reduce((s, m) => s + Buffer.byteLength(m.content), 0);
        expect(full.usage).toEqual({promptTokens: bytes, completionTokens: Buffer.byteLength(full.completions[0].text), costUsd: 0});
        expect(full.completions[0].finishReason).toBe("stop");
        const [cut] = await teacher.generate([{messages: rendered.messages, options: {maxTokens: 10}}]);
        expect(cut.completions[0]).toEqual({text: full.completions[0].text.slice(0, 10), finishReason: "length"});
        const [stopped] = await teacher.generate([{messages: rendered.messages, options: {stop: ["<eval>"]}}]);
        expect(stopped.completions[0].text).toBe(full.completions[0].text.slice(0, full.completions[0].text.indexOf("<eval>")));
    });

    it("refuses prompts that are not rendered world pairs", async () => {
        const teacher = new WorldTeacher();
        await expect(teacher.generate([{messages: [{role: "user", content: "hello"}]}])).rejects.toThrow(EngineBadRequest);
        const foreign = renderPair({prompt: [{role: "user", content: "Write a poem."}], chosen: [{role: "assistant", content: "A"}], rejected: [{role: "assistant", content: "B"}]}, "chosen-first", {profile: "tiny"});
        await expect(teacher.generate([{messages: foreign.messages}])).rejects.toThrow(/not a world question/);
        const multi = renderPair({
            prompt: [{role: "user", content: "Compute 1 + 2."}, {role: "assistant", content: "Answer: 3"}, {role: "user", content: "Compute 1 + 2."}],
            chosen: [{role: "assistant", content: "Answer: 3"}], rejected: [{role: "assistant", content: "Answer: 4"}]
        }, "chosen-first", {profile: "tiny"});
        await expect(teacher.generate([{messages: multi.messages}])).rejects.toThrow(/single-turn/);
    });

    it("judges replies that are not world-shaped by the same rules", async () => {
        const teacher = new WorldTeacher();
        const pair = {prompt: [{role: "user" as const, content: "Compute 2 + 2."}], chosen: [{role: "assistant" as const, content: "Answer: 4"}], rejected: [{role: "assistant" as const, content: "It is four."}]};
        const [r] = await teacher.generate([{messages: renderPair(pair, "chosen-second", {profile: "tiny"}).messages}]);
        const cor = parseCor(r.completions[0].text);
        expect(cor.violations).toEqual([]);
        expect(cor.verdict).toBe("B");
        expect(cor.eval!.citations[0].text).toBe("It is four.");
    });
});
