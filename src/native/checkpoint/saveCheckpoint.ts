// Write an rmr1 checkpoint directory:
//   model.safetensors      F32 weights, Hugging Face names (paramSpecs order)
//   config.json            LlamaForCausalLM config (transformers loads the directory as is)
//   tokenizer.json         the byte tokenizer as a `tokenizers` byte-level BPE
//   tokenizer_config.json  special tokens and the Jinja chat template
//   rmr1.json              rmr1 metadata: format version, seed, step, training provenance
//   model.gguf             optional, for llama.cpp / node-llama-cpp
// The directory appears complete or not at all (see replaceDirAtomic).
import {join} from "node:path";
import {rmr1Version} from "../../version.js";
import {paramSpecs, type ModelConfig} from "../model/ModelConfig.js";
import {checkpointFormatVersion, type CheckpointExtra, type CheckpointMeta} from "./CheckpointMeta.js";
import {checkParams} from "./checkParams.js";
import {replaceDirAtomic, writeChunksDurable} from "./atomicWrite.js";
import {toHfConfig} from "./hfConfig.js";
import {byteTokenizerConfigJson, byteTokenizerJson} from "./hfTokenizer.js";
import {encodeSafetensors} from "./safetensors.js";
import {encodeGgufModel, type GgufDtype} from "./exportGguf.js";

export type {CheckpointExtra, CheckpointMeta} from "./CheckpointMeta.js";

/** A model in memory: its config and every parameter of `paramSpecs(config)` by Hugging Face name. */
export interface Checkpoint {
    config: ModelConfig;
    params: Map<string, Float32Array>;
    extra?: CheckpointExtra;
}

export interface SaveCheckpointOptions {
    /** Also write `model.gguf` with weights in this dtype. Defaults to `false` (no GGUF). */
    gguf?: GgufDtype | false;
}

/** rmr1's version for `rmr1.json`; a checkpoint is still written when it cannot be read. */
function writerVersion(): string {
    try {
        return rmr1Version();
    } catch {
        return "unknown";
    }
}

function jsonBytes(value: unknown): Uint8Array[] {
    return [Buffer.from(JSON.stringify(value, null, 2) + "\n", "utf8")];
}

/**
 * Save a checkpoint to `dir` (created or replaced atomically). Throws `InvalidInput` naming the
 * parameter when `params` does not match `paramSpecs(config)`.
 */
export async function saveCheckpoint(dir: string, checkpoint: Checkpoint, options: SaveCheckpointOptions = {}): Promise<void> {
    const {config, params, extra = {}} = checkpoint;
    checkParams(config, params);
    const tensors = paramSpecs(config).map((spec) => ({name: spec.name, shape: spec.shape, data: params.get(spec.name)!}));
    const meta: CheckpointMeta = {
        ...extra,
        format: "rmr1-checkpoint",
        formatVersion: checkpointFormatVersion,
        tokenizer: "byte",
        rmr1Version: writerVersion(),
        createdAt: new Date().toISOString()
    };
    await replaceDirAtomic(dir, (tmp) => {
        writeChunksDurable(join(tmp, "model.safetensors"), encodeSafetensors(tensors));
        writeChunksDurable(join(tmp, "config.json"), jsonBytes(toHfConfig(config)));
        writeChunksDurable(join(tmp, "tokenizer.json"), jsonBytes(byteTokenizerJson()));
        writeChunksDurable(join(tmp, "tokenizer_config.json"), jsonBytes(byteTokenizerConfigJson(config.maxSeqLen)));
        writeChunksDurable(join(tmp, "rmr1.json"), jsonBytes(meta));
        if (options.gguf != null && options.gguf !== false)
            writeChunksDurable(join(tmp, "model.gguf"), encodeGgufModel({config, params}, {dtype: options.gguf, name: typeof meta.name === "string" ? meta.name : undefined}));
    });
}
