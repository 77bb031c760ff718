// Reading OpenRLHF's remote-reward requests. OpenRLHF sends `query` = the decoded prompt + response
// with special tokens kept (`hf_tokenizer.decode(observation_tokens, skip_special_tokens=False)`),
// `prompts` = the prompt as the dataset gave it (chat template applied when
// `--apply_chat_template` is set) and `labels` = the dataset's label column. A judge needs the
// response alone, and for rewarding a policy also the conversation as messages; this file gets them
// back from the text.
import type {Message, Role} from "../protocol/types.js";

/**
 * The response part of `query`: what follows `prompt` when the query starts with it (the usual case),
 * else what follows the prompt's last occurrence, else the whole query (old OpenRLHF versions send
 * no prompts; RM-R1's tail-80 reward is then unchanged as long as the response has 80 characters).
 */
export function responseOf(query: string, prompt: string | undefined): string {
    if (prompt == null || prompt === "") return query;
    if (query.startsWith(prompt)) return query.slice(prompt.length);
    const at = query.lastIndexOf(prompt);
    return at >= 0 ? query.slice(at + prompt.length) : query;
}

/** End-of-turn and padding tokens of common chat templates (Qwen, Llama 3, Mistral/Llama 2, DeepSeek-R1, Phi-3, Gemma). */
export const defaultEndTokens: readonly string[] = [
    "<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|end_of_text|>", "</s>", "<｜end▁of▁sentence｜>", "<|end|>", "<end_of_turn>", "<eos>"
];

/** `text` without end-of-turn / padding tokens at its end (repeatedly) and without surrounding whitespace. */
export function stripEndTokens(text: string, tokens: readonly string[] = defaultEndTokens): string {
    let s = text.trimEnd();
    for (let changed = true; changed;) {
        changed = false;
        for (const t of tokens) {
            if (t !== "" && s.endsWith(t)) {
                s = s.slice(0, -t.length).trimEnd();
                changed = true;
            }
        }
    }
    return s.trim();
}

/** Remove a trailing run of `token` (padding), keeping everything before it. */
export function stripTrailing(text: string, token: string): string {
    if (token === "") return text;
    let s = text;
    while (s.endsWith(token)) s = s.slice(0, -token.length);
    return s;
}

const roles = new Set<Role>(["system", "user", "assistant"]);

function asRole(name: string): Role | null {
    const r = name.trim().toLowerCase();
    return roles.has(r as Role) ? r as Role : null;
}

/**
 * The conversation in a chat-templated prompt, as messages. Reads ChatML (Qwen:
 * `<|im_start|>role\n…<|im_end|>`), Llama 3 (`<|start_header_id|>role<|end_header_id|>\n\n…<|eot_id|>`)
 * and DeepSeek-R1 (`<｜User｜>…<｜Assistant｜>…`); an empty trailing assistant turn (the generation
 * prompt) is dropped. Text in no known template becomes one user message.
 */
export function parseChatText(text: string): Message[] {
    const messages = parseChatMl(text) ?? parseLlama3(text) ?? parseDeepSeek(text);
    if (messages != null) {
        while (messages.length > 0 && messages.at(-1)!.role === "assistant" && messages.at(-1)!.content.trim() === "") messages.pop();
        if (messages.length > 0) return messages;
    }
    return [{role: "user", content: stripEndTokens(text)}];
}

function parseChatMl(text: string): Message[] | null {
    if (!text.includes("<|im_start|>")) return null;
    const out: Message[] = [];
    for (const part of text.split("<|im_start|>").slice(1)) {
        const newline = part.indexOf("\n");
        const role = asRole(newline < 0 ? part : part.slice(0, newline));
        if (role == null) return null;
        const body = newline < 0 ? "" : part.slice(newline + 1);
        const end = body.indexOf("<|im_end|>");
        out.push({role, content: (end < 0 ? body : body.slice(0, end)).trim()});
    }
    return out;
}

function parseLlama3(text: string): Message[] | null {
    if (!text.includes("<|start_header_id|>")) return null;
    const out: Message[] = [];
    for (const part of text.split("<|start_header_id|>").slice(1)) {
        const close = part.indexOf("<|end_header_id|>");
        if (close < 0) return null;
        const role = asRole(part.slice(0, close));
        if (role == null) return null;
        const body = part.slice(close + "<|end_header_id|>".length);
        const end = body.indexOf("<|eot_id|>");
        out.push({role, content: (end < 0 ? body : body.slice(0, end)).trim()});
    }
    return out;
}

function parseDeepSeek(text: string): Message[] | null {
    if (!text.includes("<｜User｜>")) return null;
    const out: Message[] = [];
    // The system prompt, when any, is the text before the first user marker (after a BOS token).
    const first = text.indexOf("<｜User｜>");
    const system = text.slice(0, first).replace("<｜begin▁of▁sentence｜>", "").trim();
    if (system !== "") out.push({role: "system", content: system});
    const re = /<｜(User|Assistant)｜>/g;
    const marks = [...text.matchAll(re)];
    marks.forEach((m, i) => {
        const start = m.index! + m[0].length;
        const end = i + 1 < marks.length ? marks[i + 1].index! : text.length;
        const content = text.slice(start, end).replace(/<｜end▁of▁sentence｜>/g, "").trim();
        out.push({role: m[1] === "User" ? "user" : "assistant", content});
    });
    return out;
}
