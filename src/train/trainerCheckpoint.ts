// Resumable training checkpoints. `checkpoints/step-NNNNNN/` is an ordinary rmr1 model directory
// (saveCheckpoint: model.safetensors, config.json, tokenizer files, rmr1.json; loadable with
// `native:<dir>`) plus two trainer files:
//   trainer.safetensors   every other tensor the run needs to continue bit for bit: AdamW moments,
//                         score/value heads and their moments, a PPO critic
//   trainer_state.json    the step, the schedule position, counters, best dev score, ...
// A step directory appears complete or not at all (it is filled in a temp directory and renamed),
// so a run killed at any moment resumes from the newest `step-*` directory.
import {existsSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {join} from "node:path";
import {InvalidInput} from "../errors.js";
import {loadCheckpoint, type LoadedCheckpoint} from "../native/checkpoint/loadCheckpoint.js";
import {saveCheckpoint, type CheckpointExtra} from "../native/checkpoint/saveCheckpoint.js";
import {replaceDirAtomic, writeChunksDurable, writeFileAtomicDurable} from "../native/checkpoint/atomicWrite.js";
import {encodeSafetensors, SafetensorsFile} from "../native/checkpoint/safetensors.js";
import type {ModelConfig} from "../native/model/ModelConfig.js";

/** JSON state of a trainer; `step` is the number of optimizer steps completed. */
export interface TrainerState {
    step: number;
    [key: string]: unknown;
}

/** Everything a trainer saves at a checkpoint. */
export interface TrainerSnapshot {
    config: ModelConfig;
    /** The model's parameters by Hugging Face name. */
    params: Map<string, Float32Array>;
    /** Other tensors by name (flat F32): optimizer moments, heads, critic. */
    tensors: Map<string, Float32Array>;
    state: TrainerState;
    /** Provenance for `rmr1.json`. */
    extra?: CheckpointExtra;
}

/** A checkpoint read back. */
export interface LoadedTrainerCheckpoint {
    dir: string;
    model: LoadedCheckpoint;
    tensors: Map<string, Float32Array>;
    state: TrainerState;
}

const stepDirPattern = /^step-(\d+)$/;

/** `checkpoints/step-000042`. */
export function stepDirName(step: number): string {
    return `step-${String(step).padStart(6, "0")}`;
}

/** Write a checkpoint for `snapshot.state.step` and keep only the newest `keep` step directories. */
export async function saveTrainerCheckpoint(checkpointsDir: string, snapshot: TrainerSnapshot, options: {keep?: number} = {}): Promise<string> {
    const keep = options.keep ?? 2;
    const dir = join(checkpointsDir, stepDirName(snapshot.state.step));
    await replaceDirAtomic(dir, async (tmp) => {
        await saveCheckpoint(tmp, {config: snapshot.config, params: snapshot.params, extra: {...snapshot.extra, step: snapshot.state.step}});
        const tensors = [...snapshot.tensors].map(([name, data]) => ({name, shape: [data.length], data}));
        writeChunksDurable(join(tmp, "trainer.safetensors"), encodeSafetensors(tensors));
        writeChunksDurable(join(tmp, "trainer_state.json"), [Buffer.from(JSON.stringify(snapshot.state, null, 2) + "\n")]);
    });
    writeFileAtomicDurable(join(checkpointsDir, "latest.json"), [Buffer.from(JSON.stringify({step: snapshot.state.step, dir: stepDirName(snapshot.state.step)}) + "\n")]);
    const steps = listCheckpointSteps(checkpointsDir);
    for (const step of steps.slice(0, Math.max(0, steps.length - Math.max(1, keep)))) rmSync(join(checkpointsDir, stepDirName(step)), {recursive: true, force: true});
    return dir;
}

/** Steps of the complete checkpoints under `checkpointsDir`, ascending. */
export function listCheckpointSteps(checkpointsDir: string): number[] {
    if (!existsSync(checkpointsDir)) return [];
    return readdirSync(checkpointsDir)
        .map((name) => stepDirPattern.exec(name))
        .filter((m): m is RegExpExecArray => m != null && existsSync(join(checkpointsDir, m[0], "trainer_state.json")))
        .map((m) => Number(m[1]))
        .sort((a, b) => a - b);
}

/** The newest complete checkpoint, or undefined when there is none. */
export async function loadLatestTrainerCheckpoint(checkpointsDir: string): Promise<LoadedTrainerCheckpoint | undefined> {
    const steps = listCheckpointSteps(checkpointsDir);
    if (steps.length === 0) return undefined;
    return loadTrainerCheckpoint(join(checkpointsDir, stepDirName(steps[steps.length - 1])));
}

/** Read one step directory. */
export async function loadTrainerCheckpoint(dir: string): Promise<LoadedTrainerCheckpoint> {
    const model = await loadCheckpoint(dir);
    const stateFile = join(dir, "trainer_state.json");
    let state: TrainerState;
    try {
        state = JSON.parse(readFileSync(stateFile, "utf8")) as TrainerState;
    } catch (e) {
        throw new InvalidInput(`cannot read the trainer state (${(e as Error).message}); delete ${dir} to resume from the checkpoint before it`, {location: stateFile});
    }
    const tensors = new Map<string, Float32Array>();
    const file = SafetensorsFile.open(join(dir, "trainer.safetensors"));
    try {
        for (const name of file.names) tensors.set(name, file.read(name).data);
    } finally {
        file.close();
    }
    return {dir, model, tensors, state};
}
