// The native models' tokenizer: one token per UTF-8 byte (ids 0–255) plus special tokens for
// the chat template. No merges, so any text round-trips exactly and the GGUF/tokenizer.json exports
// are trivial (GPT-2 byte-level vocabulary with an empty merge list).
import type {Message} from "../../protocol/types.js";

/** Special token ids. 262–263 are reserved so the vocabulary is a multiple of 8 (264). */
export const specialTokens = {
    bos: 256,
    eos: 257,
    system: 258,
    user: 259,
    assistant: 260,
    pad: 261
} as const;

/** Text of each special token, by id (as written in tokenizer.json and GGUF). */
export const specialTokenText: Record<number, string> = {
    256: "<|bos|>",
    257: "<|eos|>",
    258: "<|system|>",
    259: "<|user|>",
    260: "<|assistant|>",
    261: "<|pad|>",
    262: "<|reserved_0|>",
    263: "<|reserved_1|>"
};

/** Vocabulary size of the byte tokenizer. */
export const byteVocabSize = 264;

const roleToken: Record<string, number> = {system: specialTokens.system, user: specialTokens.user, assistant: specialTokens.assistant};
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", {fatal: false});

export class ByteTokenizer {
    readonly vocabSize = byteVocabSize;

    /** UTF-8 bytes of `text` as token ids (no special tokens). */
    encode(text: string): number[] {
        return Array.from(encoder.encode(text));
    }

    /**
     * Text of `ids`. Special tokens are dropped unless `keepSpecial`, in which case they appear as
     * their text (`<|eos|>`). Invalid UTF-8 (a generation cut inside a character) becomes U+FFFD.
     */
    decode(ids: ArrayLike<number>, options: {keepSpecial?: boolean} = {}): string {
        let out = "";
        let bytes: number[] = [];
        const flush = () => {
            if (bytes.length > 0) out += decoder.decode(Uint8Array.from(bytes));
            bytes = [];
        };
        for (let i = 0; i < ids.length; i++) {
            const id = ids[i];
            if (id < 256) {
                bytes.push(id);
            } else {
                flush();
                if (options.keepSpecial === true) out += specialTokenText[id] ?? `<|${id}|>`;
            }
        }
        flush();
        return out;
    }

    /**
     * The chat template: `<|bos|>`, then for each message its role token, its content bytes and
     * `<|eos|>`; with `addGenerationPrompt` (default true) a final `<|assistant|>` that the model
     * continues. Generation ends at `<|eos|>`.
     */
    applyChatTemplate(messages: Message[], options: {addGenerationPrompt?: boolean} = {}): number[] {
        const ids: number[] = [specialTokens.bos];
        for (const m of messages) {
            const role = roleToken[m.role];
            if (role == null) throw new Error(`unknown chat role '${m.role}'`);
            ids.push(role, ...this.encode(m.content), specialTokens.eos);
        }
        if (options.addGenerationPrompt ?? true) ids.push(specialTokens.assistant);
        return ids;
    }
}

/**
 * The same chat template as a Jinja string, for `tokenizer.json`/`tokenizer_config.json` and GGUF
 * `tokenizer.chat_template`, so Python and llama.cpp render prompts byte-identically.
 */
export const byteChatTemplateJinja =
    "{{ '<|bos|>' }}{% for message in messages %}{{ '<|' + message['role'] + '|>' + message['content'] + '<|eos|>' }}{% endfor %}" +
    "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";
