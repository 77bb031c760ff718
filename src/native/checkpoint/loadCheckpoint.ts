// Read an rmr1 checkpoint directory (see saveCheckpoint.ts), or any Hugging Face Llama directory
// with the byte tokenizer, checking every tensor of `paramSpecs(config)` is present with its shape.
import {existsSync, readFileSync, statSync} from "node:fs";
import {join} from "node:path";
import {InvalidInput, NotFound} from "../../errors.js";
import {paramSpecs, type ModelConfig} from "../model/ModelConfig.js";
import {byteVocabSize} from "../tokenizer/ByteTokenizer.js";
import {fromHfConfig} from "./hfConfig.js";
import {checkByteTokenizerJson} from "./hfTokenizer.js";
import {SafetensorsFile} from "./safetensors.js";
import {checkpointFormatVersion, type CheckpointMeta} from "./CheckpointMeta.js";

/** A checkpoint read from disk. */
export interface LoadedCheckpoint {
    config: ModelConfig;
    /** Every parameter of `paramSpecs(config)`, in that order, as F32. */
    params: Map<string, Float32Array>;
    /** `rmr1.json`, or `{}` for directories other tools wrote. */
    meta: CheckpointMeta;
}

function readJson(file: string): unknown {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch (err) {
        throw new NotFound(`cannot read ${file}: ${(err as Error).message}`, {cause: err});
    }
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new InvalidInput(`not valid JSON (${(err as Error).message})`, {location: file});
    }
}

/** Buffers that HF checkpoints may carry and the model recomputes; safe to skip. */
function isIgnorableTensor(name: string): boolean {
    return name.endsWith(".rotary_emb.inv_freq");
}

/**
 * Load `dir`. Throws `NotFound` when the directory or a required file is missing, and
 * `InvalidInput` (with the file as location) naming the tensor or field that is wrong.
 */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new NotFound(`checkpoint directory ${dir} does not exist`);
    const configFile = join(dir, "config.json");
    if (!existsSync(configFile)) throw new NotFound(`${dir} has no config.json: not a checkpoint directory`);
    const config = fromHfConfig(readJson(configFile), configFile);
    if (config.vocabSize < byteVocabSize)
        throw new InvalidInput(`'vocab_size' is ${config.vocabSize} but the byte tokenizer needs at least ${byteVocabSize}`, {location: configFile, field: "vocab_size"});

    const tokenizerFile = join(dir, "tokenizer.json");
    if (existsSync(tokenizerFile)) checkByteTokenizerJson(readJson(tokenizerFile), tokenizerFile);

    const metaFile = join(dir, "rmr1.json");
    const meta = existsSync(metaFile) ? readJson(metaFile) as CheckpointMeta : {};
    if (meta == null || typeof meta !== "object" || Array.isArray(meta)) throw new InvalidInput("must be a JSON object", {location: metaFile});
    if (typeof meta.formatVersion === "number" && meta.formatVersion > checkpointFormatVersion)
        throw new InvalidInput(`checkpoint format version ${meta.formatVersion} is newer than this rmr1 reads (${checkpointFormatVersion}); upgrade rmr1`, {location: metaFile, field: "formatVersion"});

    const weightsFile = join(dir, "model.safetensors");
    if (!existsSync(weightsFile)) {
        if (existsSync(join(dir, "model.safetensors.index.json")))
            throw new InvalidInput("sharded safetensors checkpoints are not supported; save a single model.safetensors (e.g. save_pretrained(dir, max_shard_size=\"100GB\"))", {location: dir});
        throw new NotFound(`${dir} has no model.safetensors`);
    }
    const file = SafetensorsFile.open(weightsFile);
    try {
        const params = new Map<string, Float32Array>();
        const specs = paramSpecs(config);
        for (const spec of specs) {
            const entry = file.entry(spec.name);
            if (entry == null)
                throw new InvalidInput(`tensor '${spec.name}' is missing (config.json describes ${config.nLayers} layers, ${config.tiedEmbeddings ? "tied" : "untied"} embeddings)`, {location: weightsFile, field: spec.name});
            if (entry.shape.length !== spec.shape.length || entry.shape.some((d, i) => d !== spec.shape[i]))
                throw new InvalidInput(`tensor '${spec.name}' has shape ${JSON.stringify(entry.shape)} but config.json implies ${JSON.stringify(spec.shape)}`, {location: weightsFile, field: spec.name});
            params.set(spec.name, file.read(spec.name).data);
        }
        const unexpected: string[] = [];
        for (const name of file.names) {
            if (params.has(name) || isIgnorableTensor(name)) continue;
            if (name === "lm_head.weight" && config.tiedEmbeddings) {
                // Some tools save the tied head anyway; accept it only if it really is the embedding.
                const head = file.read(name).data, embed = params.get("model.embed_tokens.weight")!;
                if (head.length === embed.length && head.every((v, i) => v === embed[i])) continue;
                throw new InvalidInput("'tie_word_embeddings' is true but lm_head.weight differs from model.embed_tokens.weight; set tie_word_embeddings to false in config.json", {location: weightsFile, field: name});
            }
            unexpected.push(name);
        }
        if (unexpected.length > 0)
            throw new InvalidInput(`tensors not in a Llama model with this config.json: ${unexpected.slice(0, 5).join(", ")}${unexpected.length > 5 ? ", ..." : ""}`, {location: weightsFile, field: unexpected[0]});
        return {config, params, meta};
    } finally {
        file.close();
    }
}
