// The rating maths of the judge layer on their own, with a hand-made match list (no model): Elo in
// replay order and averaged over orders, Bradley–Terry maximum likelihood (ties as half wins, an
// undefeated player kept finite by the prior), win rates, and a knockout over a deterministic judge.
//   npx tsx examples/judge-ratings.ts
import {bradleyTerry, eloRatings, knockout, winRates} from "../src/index.js";
import type {MatchResult} from "../src/index.js";

const names = ["ada", "bob", "cyd", "dee"];
// score = result for `a`: 1 win, 0 loss, 0.5 tie, null no verdict (left out).
const matches: MatchResult[] = [
    {a: 0, b: 1, score: 1}, {a: 0, b: 2, score: 1}, {a: 0, b: 3, score: 1},
    {a: 1, b: 2, score: 0.5}, {a: 1, b: 3, score: 1}, {a: 2, b: 3, score: 1},
    {a: 1, b: 2, score: 1}, {a: 3, b: 2, score: null}
];

const table = (label: string, values: number[], digits = 1) =>
    console.log(label.padEnd(26) + values.map((v, i) => `${names[i]} ${v.toFixed(digits).padStart(7)}`).join("  "));

table("Elo, replay order", eloRatings(4, matches));
table("Elo, 200 replay orders", eloRatings(4, matches, {permutations: 200, seed: 1}));
const bt = bradleyTerry(4, matches);
table("Bradley–Terry θ", bt.scores, 3);
table("Bradley–Terry (Elo scale)", bt.ratings);
table("win rate", winRates(4, matches).map((w) => w.rate), 3);
console.log(`(BT converged in ${bt.iterations} Newton steps; ada is undefeated, so her θ is set by the 0.01 prior)`);

// A knockout over 7 candidates with a judge that simply prefers the larger number: 6 comparisons, 3 rounds.
const strengths = [3, 9, 1, 7, 5, 8, 2];
const result = await knockout(strengths.length, async (a, b) => ({score: strengths[a] > strengths[b] ? 1 : 0}), {seed: 1});
for (const m of result.matches) console.log(`round ${m.round}: ${m.a} vs ${m.b} → ${m.winner}`);
console.log(`winner ${result.winner} (strength ${strengths[result.winner]}), byes ${result.byes.join(", ")}, ranking ${result.ranking.join(" > ")}`);
