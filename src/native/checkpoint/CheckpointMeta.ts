// `rmr1.json`, the rmr1 metadata file of a checkpoint directory (see saveCheckpoint.ts).

/** Version of the checkpoint layout; loadCheckpoint refuses newer ones. */
export const checkpointFormatVersion = 1;

/** Free-form provenance stored in `rmr1.json` (seed, step, data, parent checkpoint, ...). */
export interface CheckpointExtra {
    seed?: number;
    step?: number;
    [key: string]: unknown;
}

/** The contents of `rmr1.json`. Every field is optional for checkpoints written by other tools. */
export interface CheckpointMeta {
    /** `"rmr1-checkpoint"` for checkpoints rmr1 wrote. */
    format?: string;
    formatVersion?: number;
    /** Tokenizer of the model; rmr1 native models use `"byte"`. */
    tokenizer?: string;
    rmr1Version?: string;
    createdAt?: string;
    seed?: number;
    step?: number;
    [key: string]: unknown;
}
