// Verdict confidence from token log-probabilities: at the token that writes the verdict letter
// (the `X` of the final `<answer>[[X]]</answer>`), how much probability did the model put on A
// versus B? The released RM-R1 gives only a binary verdict (method doc §9); this turns the same
// forward pass into P(A) / (P(A) + P(B)) at no extra cost where the engine returns logprobs.
import type {TokenLogprob} from "../engines/Engine.js";

const verdictPattern = /\[\[([AB])\]\]/g;

/**
 * P(A) / (P(A) + P(B)) at the verdict letter of a completion, from its per-token logprobs, or
 * undefined when it cannot be read: no logprobs, no `[[A]]`/`[[B]]` in the tokens, or no `top`
 * alternatives at that position (the sampled token alone says nothing about the other letter).
 *
 * The verdict is the last `<answer>[[X]]` in the token text, else the last bare `[[X]]`. Tokenizers
 * may merge the letter with its neighbours (`[[A`, `A]]`): the probability of a letter is the summed
 * probability of every alternative at that position that writes the same text up to the letter and
 * then that letter. An alternative missing from `top` counts as probability 0, so a model certain
 * enough to leave the other letter out of its top-k gets 1 or 0.
 */
export function verdictProbability(logprobs: readonly TokenLogprob[] | undefined): number | undefined {
    if (logprobs == null || logprobs.length === 0) return undefined;
    const starts: number[] = [];
    let text = "";
    for (const t of logprobs) {
        starts.push(text.length);
        text += t.token;
    }
    const offset = verdictLetterOffset(text);
    if (offset == null) return undefined;
    const k = tokenAt(starts, offset);
    const token = logprobs[k];
    if (token.top == null) return undefined;
    const prefix = token.token.slice(0, offset - starts[k]);
    // The sampled token may be missing from `top` (sampling at temperature > 0): count it once.
    const alternatives = new Map<string, number>();
    for (const t of token.top) alternatives.set(t.token, t.logprob);
    alternatives.set(token.token, token.logprob);
    let pA = 0;
    let pB = 0;
    for (const [text, logprob] of alternatives) {
        if (text.length <= prefix.length || !text.startsWith(prefix)) continue;
        const letter = text[prefix.length];
        if (letter === "A") pA += Math.exp(logprob);
        else if (letter === "B") pB += Math.exp(logprob);
    }
    if (pA + pB === 0) return undefined;
    return pA / (pA + pB);
}

/** Offset of the verdict letter in `text`: the last `<answer>[[X]]`, else the last `[[X]]`. */
function verdictLetterOffset(text: string): number | undefined {
    let lastTagged: number | undefined;
    let last: number | undefined;
    for (const m of text.matchAll(verdictPattern)) {
        const letter = m.index + 2;
        last = letter;
        if (text.slice(Math.max(0, m.index - 8), m.index) === "<answer>") lastTagged = letter;
    }
    return lastTagged ?? last;
}

/** Index of the token whose text covers character `offset` (`starts` ascending, first 0). */
function tokenAt(starts: number[], offset: number): number {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= offset) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}
