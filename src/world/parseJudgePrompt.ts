// Recover the question and the two replies from a rendered single-turn judge prompt (any profile:
// `tiny`, `rm-r1-instruct`, `rm-r1-reasoning`), and the pass-2 hint of the distillation bootstrap
// when the user message carries one (method doc §6.2: the hint suffix for the correct verdict, then
// "The previous (wrong) judgement was: " and the previous trace).
import {getProfile, profileNames} from "../protocol/profiles.js";
import type {ProfileName} from "../protocol/profiles.js";
import {PASS2_HINT_SUFFIX_A, PASS2_HINT_SUFFIX_B, PASS2_PREVIOUS_JUDGEMENT_PREFIX} from "../protocol/templates.js";
import type {Message, Position} from "../protocol/types.js";

/** A parsed judge prompt. */
export interface JudgePrompt {
    /** The profile whose single-turn template the user message matches. */
    profile: ProfileName;
    question: string;
    answerA: string;
    answerB: string;
    /** The pass-2 hint, when the user message carries one. */
    hint: {verdict: Position, previous: string | null} | null;
}

interface Matcher {
    profile: ProfileName;
    pattern: RegExp;
    /** Placeholder names in the order they appear in the template. */
    names: string[];
}

const matchers: Matcher[] = profileNames.map((name) => {
    const template = getProfile(name).singleTurnUser;
    const names: string[] = [];
    const parts = template.split(/\{(question|answer_a|answer_b)\}/);
    let source = "^";
    parts.forEach((part, i) => {
        if (i % 2 === 0) source += escapeRegExp(part);
        else {
            names.push(part);
            // Lazy for all but the last placeholder, so a literal delimiter ends a field at its first occurrence.
            source += i === parts.length - 2 ? "([\\s\\S]*)" : "([\\s\\S]*?)";
        }
    });
    return {profile: name, pattern: new RegExp(source + "$"), names};
});

/**
 * Parse the last user message of `messages` as a single-turn judge prompt; null when it matches no
 * profile's single-turn template (multi-turn prompts included).
 */
export function parseJudgePrompt(messages: Message[]): JudgePrompt | null {
    const user = [...messages].reverse().find((m) => m.role === "user");
    if (user == null) return null;
    let content = user.content;
    let hint: JudgePrompt["hint"] = null;
    const a = content.indexOf(PASS2_HINT_SUFFIX_A);
    const b = content.indexOf(PASS2_HINT_SUFFIX_B);
    if (a >= 0 || b >= 0) {
        const at = a >= 0 && (b < 0 || a < b) ? a : b;
        const suffix = at === a ? PASS2_HINT_SUFFIX_A : PASS2_HINT_SUFFIX_B;
        const rest = content.slice(at + suffix.length);
        hint = {verdict: at === a ? "A" : "B", previous: rest.startsWith(PASS2_PREVIOUS_JUDGEMENT_PREFIX) ? rest.slice(PASS2_PREVIOUS_JUDGEMENT_PREFIX.length) : null};
        content = content.slice(0, at);
    }
    for (const matcher of matchers) {
        const m = matcher.pattern.exec(content);
        if (m == null) continue;
        const values: Record<string, string> = {};
        matcher.names.forEach((name, i) => {
            values[name] = m[i + 1];
        });
        return {profile: matcher.profile, question: values.question, answerA: values.answer_a, answerB: values.answer_b, hint};
    }
    return null;
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
