// The three verdict extractors of the RM-R1 reference (method doc §2.3). They differ, and each is
// reproduced exactly where it is used, weaknesses included (docs/protocol.md lists them with examples):
//
// - `rlReward`: the RL training reward (lm_as_judge.py): the last 80 code points must contain the
//   correct tagged verdict and not the other one.
// - `evalVerdict`: the benchmark harness (`process_judgement`): bare `[[A]]`/`[[B]]` anywhere in the
//   whole output; both or neither is an error.
// - `distillCorrect`: the distillation-data filter (process_anthropic_first_time.py): the bare correct
//   label in the last 100 code points; the other label is not checked.
import {InvalidInput} from "../errors.js";
import type {WinnerLabel} from "./types.js";

const TAG_A = "<answer>[[A]]</answer>";
const TAG_B = "<answer>[[B]]</answer>";

/** RL reward: +1 when the tail (80 code points) holds the correct tagged verdict and not the other, else -1. */
export function rlReward(text: string, label: WinnerLabel): 1 | -1 {
    const tail = tailCodePoints(text, 80);
    if (label === "model_a") return tail.includes(TAG_A) && !tail.includes(TAG_B) ? 1 : -1;
    if (label === "model_b") return tail.includes(TAG_B) && !tail.includes(TAG_A) ? 1 : -1;
    // The reference raises NotImplementedError("Check your dataset label!").
    throw invalidLabel(label);
}

/** Benchmark-harness verdict: "A"/"B" from bare `[[A]]`/`[[B]]` anywhere; both or neither is "error". */
export function evalVerdict(text: string): "A" | "B" | "error" {
    const a = text.includes("[[A]]");
    const b = text.includes("[[B]]");
    if (a && b) return "error";
    if (a) return "A";
    if (b) return "B";
    return "error";
}

/** Distillation filter: the correct bare label `[[X]]` appears in the last 100 code points. */
export function distillCorrect(text: string, label: WinnerLabel): boolean {
    const tail = tailCodePoints(text, 100);
    if (label === "model_a") return tail.includes("[[A]]");
    if (label === "model_b") return tail.includes("[[B]]");
    // The reference silently counts any other label as incorrect; a label outside the type is a bug upstream.
    throw invalidLabel(label);
}

/**
 * The last `n` code points of `s`, as Python's `s[-n:]` (a surrogate pair counts once; a lone
 * surrogate counts once, as in a Python str that holds one). Walks from the end, so it costs O(n).
 */
export function tailCodePoints(s: string, n: number): string {
    let i = s.length;
    for (let count = 0; count < n && i > 0; count++) {
        const low = s.charCodeAt(i - 1);
        if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
            const high = s.charCodeAt(i - 2);
            if (high >= 0xd800 && high <= 0xdbff) {
                i -= 2;
                continue;
            }
        }
        i -= 1;
    }
    return s.slice(i);
}

/** Whether `s` is a verdict label, for validating labels read from files. */
export function isWinnerLabel(s: unknown): s is WinnerLabel {
    return s === "model_a" || s === "model_b";
}

function invalidLabel(label: unknown): InvalidInput {
    return new InvalidInput(`unknown label ${JSON.stringify(label) ?? String(label)}; use model_a or model_b`, {field: "label"});
}
