import {Template} from "@huggingface/jinja";
import {describe, expect, it} from "vitest";
import type {Message} from "../../protocol/types.js";
import {ByteTokenizer, specialTokenText} from "../tokenizer/ByteTokenizer.js";
import {byteTokenizerConfigJson, byteTokenizerJson, byteTokenStrings, bytesToUnicode, checkByteTokenizerJson} from "./hfTokenizer.js";

/**
 * Tokenize as Hugging Face `tokenizers` does with this tokenizer.json: split out added tokens,
 * map the UTF-8 bytes of the rest through the byte-level alphabet, look each character up (no merges).
 */
function hfEncode(json: ReturnType<typeof byteTokenizerJson>, text: string): number[] {
    const model = json.model as {vocab: Record<string, number>};
    const added = json.added_tokens as {id: number, content: string}[];
    const pattern = new RegExp(`(${added.map((a) => a.content.replace(/[|]/g, "\\|")).join("|")})`);
    const alphabet = bytesToUnicode();
    const ids: number[] = [];
    for (const part of text.split(pattern)) {
        const special = added.find((a) => a.content === part);
        if (special != null) {
            ids.push(special.id);
            continue;
        }
        for (const byte of Buffer.from(part, "utf8")) ids.push(model.vocab[alphabet[byte]]);
    }
    return ids;
}

describe("byte tokenizer in Hugging Face formats", () => {
    it("uses GPT-2's byte alphabet: 256 distinct printable characters, space = Ġ, newline = Ċ", () => {
        const table = bytesToUnicode();
        expect(new Set(table).size).toBe(256);
        expect(table[0x20]).toBe("Ġ");
        expect(table[0x0a]).toBe("Ċ");
        expect(table[0x41]).toBe("A");
        expect(table[0xad]).toBe("Ń");   // soft hyphen is not printable in GPT-2's table
        expect(byteTokenStrings().slice(256)).toEqual(Object.values(specialTokenText));
    });

    it("renders the chat template with a Jinja engine and tokenizes exactly like ByteTokenizer", () => {
        const json = byteTokenizerJson();
        const config = byteTokenizerConfigJson(512);
        const template = new Template(config.chat_template as string);
        const conversations: Message[][] = [
            [{role: "user", content: "Hello world\n"}],
            [{role: "system", content: "Judge A vs B."}, {role: "user", content: "Q: café ☕ 日本?\n[A]\nyes\n[B]\nno"}],
            [{role: "user", content: "a"}, {role: "assistant", content: "b <tag>"}, {role: "user", content: "c\t\u0000"}]
        ];
        const tokenizer = new ByteTokenizer();
        for (const messages of conversations) {
            const text = template.render({messages, add_generation_prompt: true, bos_token: config.bos_token, eos_token: config.eos_token});
            expect(hfEncode(json, text)).toEqual(tokenizer.applyChatTemplate(messages));
        }
    });

    it("decodes through the byte-level alphabet back to the original text", () => {
        const json = byteTokenizerJson();
        const vocab = (json.model as {vocab: Record<string, number>}).vocab;
        const byChar = new Map(Object.entries(vocab).map(([ch, id]) => [id, ch]));
        const alphabet = bytesToUnicode();
        const text = "naïve → 🙂\r\n";
        const ids = hfEncode(json, text);
        const bytes = ids.map((id) => alphabet.indexOf(byChar.get(id)!));
        expect(Buffer.from(bytes).toString("utf8")).toBe(text);
    });

    it("declares no automatic bos/eos and marks every added token special", () => {
        const config = byteTokenizerConfigJson(256);
        expect(config).toMatchObject({add_bos_token: false, add_eos_token: false, bos_token: "<|bos|>", eos_token: "<|eos|>", pad_token: "<|pad|>", model_max_length: 256});
        expect(Object.values(config.added_tokens_decoder as Record<string, {special: boolean}>).every((t) => t.special)).toBe(true);
        expect((byteTokenizerJson().added_tokens as {id: number}[]).map((t) => t.id)).toEqual([256, 257, 258, 259, 260, 261, 262, 263]);
    });

    it("recognises its own tokenizer.json and rejects others", () => {
        expect(() => checkByteTokenizerJson(JSON.parse(JSON.stringify(byteTokenizerJson())))).not.toThrow();
        const merged = byteTokenizerJson() as {model: {merges: string[]}};
        merged.model.merges = ["Ġ t"];
        expect(() => checkByteTokenizerJson(merged, "x/tokenizer.json")).toThrow(/x\/tokenizer.json: .*merges must be empty/);
        const swapped = JSON.parse(JSON.stringify(byteTokenizerJson()));
        swapped.model.vocab.A = 66;
        expect(() => checkByteTokenizerJson(swapped)).toThrow(/byte 65 \('A'\) should be token 65/);
        const renamed = JSON.parse(JSON.stringify(byteTokenizerJson()));
        renamed.added_tokens[1].content = "</s>";
        expect(() => checkByteTokenizerJson(renamed)).toThrow(/special token 257 should be '<\|eos\|>'/);
        expect(() => checkByteTokenizerJson({model: {type: "Unigram"}})).toThrow(/model.type is "Unigram"/);
    });
});
