// Prompt profiles: which system prompt, user templates and speaker names a judge is prompted with.
// `rm-r1-instruct` and `rm-r1-reasoning` are the two released RM-R1 families (method doc §1.2);
// `tiny` is a short instruction with the same output tags, for the small models trained here.
import {InvalidInput} from "../errors.js";
import {
    RM_R1_INSTRUCT_SYSTEM_PROMPT, RM_R1_MULTI_TURN_INSTRUCT_USER_PROMPT, RM_R1_MULTI_TURN_REASONING_USER_PROMPT,
    RM_R1_SINGLE_TURN_INSTRUCT_USER_PROMPT, RM_R1_SINGLE_TURN_REASONING_USER_PROMPT
} from "./templates.js";

export type ProfileName = "rm-r1-instruct" | "rm-r1-reasoning" | "tiny";

/** Every profile name, in the order `--help` lists them. */
export const profileNames: readonly ProfileName[] = ["rm-r1-instruct", "rm-r1-reasoning", "tiny"];

export function isProfileName(s: string): s is ProfileName {
    return (profileNames as readonly string[]).includes(s);
}

/** The strings that make up a profile. Placeholders are `{question}`, `{answer_a}`, `{answer_b}` (single-turn) and `{conversation_1}`, `{conversation_2}` (multi-turn). */
export interface PromptProfile {
    name: ProfileName;
    /** The system message, or null when the family is prompted with a user message only. */
    system: string | null;
    singleTurnUser: string;
    multiTurnUser: string;
    /** Line prefix of user messages in a rendered multi-turn conversation (`User`). */
    userName: string;
    /** Line prefix of assistant messages in conversation_1 (`Chatbot A`). */
    nameA: string;
    /** Line prefix of assistant messages in conversation_2 (`Chatbot B`). */
    nameB: string;
    /** The misspelt B name mix_data.py wrote when the chosen reply was in A (`Chabot B`), or null when the quirk does not apply to this profile. */
    quirkNameB: string | null;
}

/** Tiny profile strings, fixed by the project contract (docs/protocol.md). */
export const TINY_SYSTEM_PROMPT = "Judge A vs B.";
export const TINY_SINGLE_TURN_USER_PROMPT = "Q: {question}\n[A]\n{answer_a}\n[B]\n{answer_b}";
export const TINY_MULTI_TURN_USER_PROMPT = "[A]\n{conversation_1}\n[B]\n{conversation_2}";

const profiles: Record<ProfileName, PromptProfile> = {
    "rm-r1-instruct": {
        name: "rm-r1-instruct",
        system: RM_R1_INSTRUCT_SYSTEM_PROMPT,
        singleTurnUser: RM_R1_SINGLE_TURN_INSTRUCT_USER_PROMPT,
        multiTurnUser: RM_R1_MULTI_TURN_INSTRUCT_USER_PROMPT,
        userName: "User",
        nameA: "Chatbot A",
        nameB: "Chatbot B",
        quirkNameB: "Chabot B"
    },
    "rm-r1-reasoning": {
        name: "rm-r1-reasoning",
        system: null,
        singleTurnUser: RM_R1_SINGLE_TURN_REASONING_USER_PROMPT,
        multiTurnUser: RM_R1_MULTI_TURN_REASONING_USER_PROMPT,
        userName: "User",
        nameA: "Chatbot A",
        nameB: "Chatbot B",
        quirkNameB: "Chabot B"
    },
    "tiny": {
        name: "tiny",
        system: TINY_SYSTEM_PROMPT,
        singleTurnUser: TINY_SINGLE_TURN_USER_PROMPT,
        multiTurnUser: TINY_MULTI_TURN_USER_PROMPT,
        userName: "User",
        nameA: "A",
        nameB: "B",
        quirkNameB: null
    }
};

/** The profile called `name`; an unknown name is an `InvalidInput` on field `profile` listing the valid ones. */
export function getProfile(name: string): PromptProfile {
    if (!isProfileName(name))
        throw new InvalidInput(`unknown profile '${name}'; use one of ${profileNames.join(", ")}`, {field: "profile"});
    return profiles[name];
}
