// Win rate per candidate within a group: the simplest reward from pairwise verdicts (GRPO-style group
// rewards), and a ranking that needs no model of strengths.
import {checkCandidateCount} from "./MatchResult.js";
import type {MatchResult} from "./MatchResult.js";

export interface WinRate {
    /** (wins + ties / 2) / games, or 0.5 when the candidate has no scored game. */
    rate: number;
    wins: number;
    ties: number;
    losses: number;
    /** Scored games (matches without a verdict are not games). */
    games: number;
}

/** Win rate of every candidate over the scored `matches`. */
export function winRates(n: number, matches: readonly MatchResult[]): WinRate[] {
    checkCandidateCount(n);
    const out: WinRate[] = Array.from({length: n}, () => ({rate: 0.5, wins: 0, ties: 0, losses: 0, games: 0}));
    for (const m of matches) {
        if (m.score == null) continue;
        const a = out[m.a];
        const b = out[m.b];
        a.games++;
        b.games++;
        if (m.score === 1) { a.wins++; b.losses++; }
        else if (m.score === 0) { b.wins++; a.losses++; }
        else { a.ties++; b.ties++; }
    }
    for (const w of out) if (w.games > 0) w.rate = (w.wins + w.ties / 2) / w.games;
    return out;
}
