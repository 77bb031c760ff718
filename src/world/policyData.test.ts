import {describe, expect, it} from "vitest";
import {InvalidInput} from "../errors.js";
import {arithAnswerText, evaluationSteps, formatStep, parseArithQuestion} from "./arith.js";
import {checkList, parseListQuestion} from "./lists.js";
import {policyAccuracy, scorePolicyReply} from "./policyAccuracy.js";
import {generatePolicyData} from "./policyData.js";
import type {PolicyExample} from "./policyData.js";
import {questionSplit} from "./splits.js";
import {reportText} from "./worldTrace.js";

describe("generatePolicyData", () => {
    const data = [...generatePolicyData({n: 8000, seed: 2})];

    it("writes correct answers for every task, from train questions only", () => {
        for (const ex of data) {
            expect(ex.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
            const [user, assistant] = ex.messages.map((m) => m.content);
            if (ex.task === "compute" || ex.task === "list") {
                expect(questionSplit(user)).toBe("train");
                expect(scorePolicyReply(user, assistant), `${user} → ${assistant}`).toMatchObject({correct: true});
                if (ex.task === "compute") {
                    const steps = evaluationSteps(parseArithQuestion(user)!);
                    expect(assistant).toBe([...steps.map(formatStep), `Answer: ${steps[steps.length - 1].result}`].join("\n"));
                }
                if (ex.task === "list") expect(new Set(checkList(parseListQuestion(user)!, assistant).items).size).toBe(parseListQuestion(user)!.n);
                continue;
            }
            const [head, ...replyLines] = user.split("\n");
            expect(head).toMatch(/^Check: /);
            const question = head.slice("Check: ".length);
            const reply = replyLines.join("\n");
            expect(questionSplit(question)).toBe("train");
            const correct = scorePolicyReply(question, reply).correct;
            if (ex.task === "check-compute") {
                const steps = evaluationSteps(parseArithQuestion(question)!).map(formatStep).join("\n");
                expect(assistant).toBe(`${steps}\n${arithAnswerText(reply)} ${correct ? "ok" : "bad"}`);
            } else {
                expect(assistant).toBe(`${reply}\n${reportText(checkList(parseListQuestion(question)!, reply))}`);
            }
        }
    });

    it("follows the task and level mix, with half the checked answers and three quarters of the checked lists wrong", () => {
        const share = (f: (e: PolicyExample) => boolean) => data.filter(f).length / data.length;
        expect(share((e) => e.task === "compute")).toBeCloseTo(0.3, 1);
        expect(share((e) => e.task === "list")).toBeCloseTo(0.1, 1);
        expect(share((e) => e.task === "check-compute")).toBeCloseTo(0.3, 1);
        expect(share((e) => e.task === "check-list")).toBeCloseTo(0.3, 1);
        expect(share((e) => e.level === 1)).toBeCloseTo(0.7, 1);
        expect(share((e) => e.level === 3)).toBeCloseTo(0.1, 1);
        const okShare = (task: string, ok: RegExp) => {
            const checks = data.filter((e) => e.task === task);
            return checks.filter((e) => ok.test(e.messages[1].content)).length / checks.length;
        };
        expect(okShare("check-compute", /\n-?\d+ ok$/)).toBeGreaterThan(0.43);
        expect(okShare("check-compute", /\n-?\d+ ok$/)).toBeLessThan(0.57);
        expect(okShare("check-list", /count \d+ ok, case ok, sep ok, items ok$/)).toBeGreaterThan(0.18);
        expect(okShare("check-list", /count \d+ ok, case ok, sep ok, items ok$/)).toBeLessThan(0.32);
        const custom = [...generatePolicyData({n: 300, seed: 4, tasks: {"check-list": 1}, checkWrong: {"check-list": 0}})];
        expect(custom.every((e) => e.messages[1].content.endsWith("count " + e.messages[1].content.split("count ")[1].split(" ")[0] + " ok, case ok, sep ok, items ok"))).toBe(true);
        expect(() => [...generatePolicyData({n: 1, checkWrong: {"check-list": 2}})]).toThrow(/checkWrong.check-list/);
    });

    it("is deterministic by seed and honours custom mixes", () => {
        expect([...generatePolicyData({n: 50, seed: 2})]).toEqual(data.slice(0, 50));
        expect([...generatePolicyData({n: 50, seed: 3})]).not.toEqual(data.slice(0, 50));
        const only = [...generatePolicyData({n: 200, seed: 1, tasks: {compute: 1}, levels: {1: 3, 2: 1}})];
        expect(only.every((e) => e.task === "compute" && e.level !== 3)).toBe(true);
        const held = [...generatePolicyData({n: 200, seed: 1, tasks: {list: 1}, split: "test"})];
        expect(held.every((e) => questionSplit(e.messages[0].content) === "test")).toBe(true);
        expect(() => [...generatePolicyData({n: 1, tasks: {poems: 1} as never})]).toThrow(InvalidInput);
        expect(() => [...generatePolicyData({n: 1, tasks: {compute: 0}})]).toThrow(/positive weight/);
    });
});

describe("policy scorer", () => {
    it("scores exact final answers and valid lists", () => {
        expect(scorePolicyReply("Compute 47 + 38.", "47 + 38 = 85\nAnswer: 85")).toEqual({family: "arith", correct: true, reason: "ok"});
        expect(scorePolicyReply("Compute 47 + 38.", "Answer: 85\n")).toMatchObject({correct: true});
        expect(scorePolicyReply("Compute 47 + 38.", "47 + 38 = 85\nAnswer: 95")).toEqual({family: "arith", correct: false, reason: "answer 95, expected 85"});
        expect(scorePolicyReply("Compute 3 - 31.", "Answer: -28")).toMatchObject({correct: true});
        expect(scorePolicyReply("Compute 3 - 31.", "Answer: 28")).toMatchObject({correct: false});
        expect(scorePolicyReply("Compute 3 - 31.", "-28")).toEqual({family: "arith", correct: false, reason: "no Answer line"});
        expect(scorePolicyReply("List 2 colors in uppercase, separated by semicolons.", "RED; BLUE\n")).toEqual({family: "lists", correct: true, reason: "ok"});
        expect(scorePolicyReply("List 2 colors in uppercase, separated by semicolons.", "RED; RED")).toEqual({family: "lists", correct: false, reason: "items"});
        expect(scorePolicyReply("List 2 colors in uppercase, separated by semicolons.", "red, blue, pink")).toEqual({family: "lists", correct: false, reason: "count 3, case, sep"});
        expect(() => scorePolicyReply("Write a poem.", "ok")).toThrow(InvalidInput);
    });

    it("aggregates per family and level", () => {
        const rows = policyAccuracy([
            {question: "Compute 1 + 1.", reply: "Answer: 2", level: 1},
            {question: "Compute 1 + 1.", reply: "Answer: 3", level: 1},
            {question: "Compute 100 * 2 + 1.", reply: "Answer: 201", level: 2},
            {question: "List 2 fruits in lowercase, separated by commas.", reply: "fig, date", level: 1}
        ]);
        expect(rows).toEqual([
            {family: "all", level: "all", n: 4, correct: 3, accuracy: 0.75},
            {family: "arith", level: "all", n: 3, correct: 2, accuracy: 2 / 3},
            {family: "arith", level: 1, n: 2, correct: 1, accuracy: 0.5},
            {family: "arith", level: 2, n: 1, correct: 1, accuracy: 1},
            {family: "lists", level: "all", n: 1, correct: 1, accuracy: 1},
            {family: "lists", level: 1, n: 1, correct: 1, accuracy: 1}
        ]);
    });
});
