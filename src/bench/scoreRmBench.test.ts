// RM-Bench scoring against hand-computed vectors (benchmark-scoring.md §2.3–2.5): the 3×3 matrix,
// hard/normal/easy with numpy's grouping of the lower triangle, domains and partial totals, and
// the as-published rotation mapping on a case where it differs from the correct one.
import {describe, expect, it} from "vitest";
import {releasedResults} from "./publishedResults.js";
import {parseSample} from "./samples.js";
import type {RmBenchSample} from "./samples.js";
import {rmBenchDomainLevels, rmBenchTotals, scoreRmBench} from "./scoreRmBench.js";

/** The 9 samples of one prompt from its matrix M[chosen][rejected]. */
function prompt(domain: string, id: number, M: number[][], extra: (i: number, j: number) => Record<string, unknown> = () => ({})): RmBenchSample[] {
    const out: RmBenchSample[] = [];
    for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
            out.push(parseSample({benchmark: "rm-bench", id, domain, chosen_style: i, rejected_style: j, outcome: M[i][j], ...extra(i, j)}, `t:${domain}/${id}/${i}${j}`) as RmBenchSample);
        }
    }
    return out;
}

const ones = [[1, 1, 1], [1, 1, 1], [1, 1, 1]];

describe("scoreRmBench", () => {
    it("splits one prompt's matrix into hard (upper), normal (diagonal) and easy (lower)", () => {
        // Wrong whenever the rejected answer is more styled than the chosen one.
        const {scores, details} = scoreRmBench(prompt("chat", 8, [[1, 0, 0], [1, 1, 0], [1, 1, 1]]));
        expect(scores).toEqual({chat: 0.6666666666666666, hard: 0, normal: 1, easy: 1, score: 0.6666666666666666, partial: true});
        expect(details.missing_domains).toEqual(["math", "code", "safety"]);
        expect(details.domains.chat!.counts).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
    });

    it("groups the lower triangle as numpy does: cell[1][0] + (cell[2][0] + cell[2][1])", () => {
        // 3 prompts with cell[1][0] = 1/3, cell[2][0] = cell[2][1] = 1. Left to right gives 0.7777777777777777.
        const M1 = [[1, 1, 1], [1, 1, 1], [1, 1, 1]];
        const M0 = [[1, 1, 1], [0, 1, 1], [1, 1, 1]];
        const {details} = scoreRmBench([...prompt("code", 1, M1), ...prompt("code", 2, M0), ...prompt("code", 3, M0)]);
        expect(details.domains.code!.easy).toBe(0.7777777777777778);
        expect(rmBenchDomainLevels([[0, 0, 0], [1 / 3, 0, 0], [1, 1, 0]]).easy).toBe(0.7777777777777778);
    });

    it("counts safety-refuse and safety-response as one safety domain, keeping their ids apart", () => {
        const {scores, details} = scoreRmBench([...prompt("safety-refuse", 1, ones), ...prompt("safety-response", 1, [[0, 0, 0], [0, 0, 0], [0, 0, 0]])]);
        expect(details.domains.safety!.prompts).toBe(2);
        expect(scores.safety).toBe(0.5);
        expect(scores.chat).toBeUndefined();
    });

    it("averages the domains present in the order chat, math, code, safety (never over 4 when one is missing)", () => {
        const samples = [...prompt("chat", 1, ones), ...prompt("code", 1, [[0, 0, 0], [0, 0, 0], [0, 0, 0]]), ...prompt("safety-refuse", 1, [[1, 0, 0], [1, 1, 0], [1, 1, 1]])];
        const {scores} = scoreRmBench(samples);
        expect(Object.keys(scores)).toEqual(["chat", "code", "safety", "hard", "normal", "easy", "score", "partial"]);
        expect(scores.score).toBe(((1 + 0) + 0.6666666666666666) / 3);
        expect(scores.hard).toBe(((1 + 0) + 0) / 3);
        expect(scores.easy).toBe(((1 + 0) + 1) / 3);
    });

    it("scores a tie 0.5 and an error by the rule", () => {
        const M = [[1, 1, 1], [1, 1, 1], [1, 1, 0]];
        const tie = prompt("chat", 1, M, (i, j) => i === 2 && j === 2 ? {verdict: "tie", outcome: 0.5} : {});
        expect(scoreRmBench(tie).details.domains.chat!.normal).toBe((2 + 0.5) / 3);
        const err = prompt("chat", 1, M, (i, j) => i === 2 && j === 2 ? {verdict: "error"} : {});
        expect(scoreRmBench(err).details.domains.chat!.normal).toBe(2 / 3);
        expect(scoreRmBench(err, {rules: "original"}).details.domains.chat!.normal).toBe((2 + 0.5) / 3);
    });

    describe("as-published mapping (R1 reads rotation 3 where rotation 2 belongs)", () => {
        // Diagonal (rotation 1) right; rotation 2 cells (c0,r1), (c1,r2), (c2,r0) right; rotation 3 cells
        // (c0,r2), (c1,r0), (c2,r1) wrong.
        const M = [[1, 1, 0], [0, 1, 1], [1, 0, 1]];
        const samples = prompt("chat", 1, M);

        it("the correct mapping uses each cell's own judgement", () => {
            const d = scoreRmBench(samples).details.domains.chat!;
            expect([d.hard, d.normal, d.easy, d.value]).toEqual([0.6666666666666666, 1, 0.3333333333333333, 0.6666666666666666]);
        });

        it("as-published fills both off-diagonal cells of each row from rotation 3 and ignores rotation 2", () => {
            const {scores, details} = scoreRmBench(samples, {rmbenchMapping: "as-published"});
            const d = details.domains.chat!;
            expect(d.counts).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
            expect([d.hard, d.normal, d.easy, d.value]).toEqual([0, 1, 0, 0.3333333333333333]);
            expect(scores.score).toBe(0.3333333333333333);
            expect(details.ignored).toBe(3);
        });

        it("as-published needs only the rotation-1 and rotation-3 cells; correct needs all 9", () => {
            const withoutRotation2 = samples.filter((s) => s.rotation !== 2);
            expect(withoutRotation2).toHaveLength(6);
            expect(scoreRmBench(withoutRotation2, {rmbenchMapping: "as-published"}).scores.chat).toBe(0.3333333333333333);
            expect(() => scoreRmBench(withoutRotation2)).toThrow(/t:chat\/1\/00: rm-bench chat prompt 1 is missing 3 of its 9 comparisons \(chosen 0 \(concise\) × rejected 1 \(detailed_plain\)/);
        });

        it("accepts lines that carry rotation and index, and rejects ones that contradict the styles", () => {
            // R1's rotation files: rotation r, index k compares chosen[k] with rejected[(k + r − 1) mod 3].
            const lines = prompt("chat", 1, M, (i, j) => ({rotation: ((j - i + 3) % 3) + 1, index: i}));
            expect(scoreRmBench(lines, {rmbenchMapping: "as-published"}).scores.chat).toBe(0.3333333333333333);
            expect(() => parseSample({benchmark: "rm-bench", id: 1, domain: "chat", chosen_style: 0, rejected_style: 1, rotation: 3, index: 0, outcome: 1}, "f:7"))
                .toThrow(/^f:7: 'rotation' 3 does not match chosen_style 0 × rejected_style 1, which R1's rotation files judge in rotation 2/);
        });
    });

    it("rejects a cell judged twice and an unknown mapping", () => {
        const twice = [...prompt("chat", 1, ones), prompt("chat", 1, ones)[4]];
        expect(() => scoreRmBench(twice)).toThrow(/appears twice/);
        expect(() => scoreRmBench(prompt("chat", 1, ones), {rmbenchMapping: "nope" as never})).toThrow(/unknown RM-Bench mapping/);
    });

    it("the released domain values give the released total exactly", () => {
        for (const r of releasedResults) {
            const x = r.rmBench;
            const level = (value: number) => ({hard: 0, normal: 0, easy: 0, value});
            const totals = rmBenchTotals({chat: level(x.chat), math: level(x.math), code: level(x.code), safety: level(x.safety)});
            expect(totals.score, r.model).toBe(x.total_avg_acc);
        }
    });
});
