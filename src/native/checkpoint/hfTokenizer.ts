// The byte tokenizer (src/native/tokenizer/ByteTokenizer.ts) in Hugging Face's formats:
// `tokenizer.json` (a `tokenizers` byte-level BPE with an empty merge list, so every UTF-8 byte is
// one token) and `tokenizer_config.json` (special tokens and the Jinja chat template). The same
// vocabulary strings go into GGUF `tokenizer.ggml.tokens`.
import {InvalidInput} from "../../errors.js";
import {byteChatTemplateJinja, byteVocabSize, specialTokenText} from "../tokenizer/ByteTokenizer.js";

let byteToUnicodeTable: string[] | undefined;

/**
 * GPT-2's reversible byte → printable character map: printable Latin-1 bytes map to themselves and
 * the rest to U+0100 onwards (so space is `Ġ` and newline `Ċ`). Index = byte value.
 */
export function bytesToUnicode(): string[] {
    if (byteToUnicodeTable != null) return byteToUnicodeTable;
    const table: string[] = new Array(256);
    const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    let next = 0;
    for (let b = 0; b < 256; b++) table[b] = String.fromCodePoint(printable(b) ? b : 256 + next++);
    byteToUnicodeTable = table;
    return table;
}

/** Token strings of the byte tokenizer by id (bytes as GPT-2 characters, then the special tokens). */
export function byteTokenStrings(): string[] {
    const tokens = bytesToUnicode().slice();
    for (let id = 256; id < byteVocabSize; id++) tokens.push(specialTokenText[id]);
    return tokens;
}

function addedToken(id: number) {
    return {id, content: specialTokenText[id], single_word: false, lstrip: false, rstrip: false, normalized: false, special: true};
}

/** The `tokenizer.json` object (Hugging Face `tokenizers` format). */
export function byteTokenizerJson(): Record<string, unknown> {
    const vocab: Record<string, number> = {};
    bytesToUnicode().forEach((ch, id) => {
        vocab[ch] = id;
    });
    const added = [];
    for (let id = 256; id < byteVocabSize; id++) added.push(addedToken(id));
    return {
        version: "1.0",
        truncation: null,
        padding: null,
        added_tokens: added,
        normalizer: null,
        pre_tokenizer: {type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true},
        post_processor: null,
        decoder: {type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true},
        model: {
            type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null,
            fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges: []
        }
    };
}

/** The `tokenizer_config.json` object: special tokens, chat template, no automatic bos/eos. */
export function byteTokenizerConfigJson(maxSeqLen: number): Record<string, unknown> {
    const decoder: Record<string, unknown> = {};
    for (let id = 256; id < byteVocabSize; id++) {
        const {id: _id, ...rest} = addedToken(id);
        decoder[String(id)] = rest;
    }
    return {
        add_bos_token: false,
        add_eos_token: false,
        add_prefix_space: false,
        added_tokens_decoder: decoder,
        bos_token: specialTokenText[256],
        eos_token: specialTokenText[257],
        pad_token: specialTokenText[261],
        unk_token: null,
        chat_template: byteChatTemplateJinja,
        clean_up_tokenization_spaces: false,
        model_max_length: maxSeqLen,
        tokenizer_class: "PreTrainedTokenizerFast"
    };
}

/**
 * Check that a `tokenizer.json` object is rmr1's byte tokenizer (native models only know that
 * tokenizer; loading weights with another one would produce garbage silently).
 */
export function checkByteTokenizerJson(json: unknown, location?: string): void {
    const fail = (why: string): never => {
        throw new InvalidInput(`tokenizer.json is not rmr1's byte tokenizer: ${why}`, {location, field: "tokenizer"});
    };
    const t = json as {model?: {type?: unknown, vocab?: unknown, merges?: unknown}, added_tokens?: unknown} | null;
    if (t == null || typeof t !== "object") fail("not a JSON object");
    const model = t!.model;
    if (model == null || model.type !== "BPE") fail(`model.type is ${JSON.stringify(model?.type)}, expected "BPE"`);
    if (!Array.isArray(model!.merges) || model!.merges.length !== 0) fail("model.merges must be empty");
    const vocab = model!.vocab as Record<string, unknown> | undefined;
    if (vocab == null || typeof vocab !== "object") fail("model.vocab is missing");
    const chars = bytesToUnicode();
    for (let b = 0; b < 256; b++) {
        if (vocab![chars[b]] !== b) fail(`byte ${b} ('${chars[b]}') should be token ${b}, found ${JSON.stringify(vocab![chars[b]])}`);
    }
    const added = Array.isArray(t!.added_tokens) ? t!.added_tokens as {id?: unknown, content?: unknown}[] : [];
    for (let id = 256; id < byteVocabSize; id++) {
        const entry = added.find((a) => a.id === id);
        if (entry?.content !== specialTokenText[id]) fail(`special token ${id} should be '${specialTokenText[id]}', found ${JSON.stringify(entry?.content)}`);
    }
}
