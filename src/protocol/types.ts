// Core record types shared by every layer. Pure types, no I/O.

/** A chat role. RM-R1 uses `system`, `user` and `assistant`. */
export type Role = "system" | "user" | "assistant";

/** One chat message, in the OpenAI / TRL conversational convention. */
export interface Message {
    role: Role;
    content: string;
}

/**
 * A preference pair in TRL's conversational convention. Either `prompt` holds the shared turns and
 * `chosen`/`rejected` hold only the final assistant reply (explicit-prompt form), or `prompt` is
 * absent and `chosen`/`rejected` are two full conversations sharing their earlier turns
 * (implicit-prompt form).
 */
export interface PreferencePair {
    prompt?: Message[];
    chosen: Message[];
    rejected: Message[];
}

/** A verdict position: the reply shown as Chatbot A or as Chatbot B. */
export type Position = "A" | "B";

/** RM-R1's ground-truth label for a rendered pair: which position holds the better reply. */
export type WinnerLabel = "model_a" | "model_b";

/** Where the chosen reply is placed when a labelled pair is rendered. */
export type PairOrder = "chosen-first" | "chosen-second";
