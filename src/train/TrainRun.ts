// The run folder machinery every trainer shares: `run.json` with every option and seed (checked on
// resume), `metrics.jsonl` and `rollouts.jsonl` (lines per step, cut back to the checkpoint on resume
// so recomputed steps are not logged twice), checkpoints, the final model, and a progress bar with ETA.
import {join} from "node:path";
import {Aborted} from "../errors.js";
import {RunDir, type RunInfo} from "../data/RunDir.js";
import type {JsonlWriter} from "../data/jsonl.js";
import {ProgressBar} from "../cli/ProgressBar.js";
import {loadLatestTrainerCheckpoint, saveTrainerCheckpoint, type LoadedTrainerCheckpoint, type TrainerSnapshot} from "./trainerCheckpoint.js";

/** One line of `metrics.jsonl`. `step` is the 1-based number of the optimizer step just finished. */
export interface StepMetrics {
    step: number;
    [key: string]: number | string | boolean | null | undefined;
}

/** What `onProgress` callbacks receive after every step. */
export interface TrainProgress {
    step: number;
    totalSteps: number;
    metrics: StepMetrics;
}

/** Options shared by every trainer for the run folder and its lifecycle. */
export interface RunOptions {
    /** The run folder (`runs/NAME`); created, or resumed when it holds a run of the same kind. */
    out: string;
    /** Save a resumable checkpoint every N optimizer steps (and always at the end). Defaults to `50`. */
    checkpointEvery?: number;
    /** Step checkpoints to keep on disk (the newest). Defaults to `2`. */
    keepCheckpoints?: number;
    /** Called after every optimizer step. Defaults to none. */
    onProgress?: (progress: TrainProgress) => void;
    /** Stop after the step in progress (its checkpoint is saved first). Defaults to none. */
    signal?: AbortSignal;
    /** Draw a progress bar on stderr. Defaults to `false` (the CLI turns it on). */
    progressBar?: boolean;
    /** The command line, for `run.json`. Defaults to none. */
    command?: string;
}

/** Options that do not change what a run computes, so they may differ on resume. */
const resumeFreeKeys = new Set(["checkpointEvery", "keepCheckpoints", "evalEvery", "progressBar", "command", "out"]);

export class TrainRun {
    readonly dir: RunDir;
    readonly resumed: LoadedTrainerCheckpoint | undefined;
    readonly totalSteps: number;
    private readonly metricsWriter: JsonlWriter;
    private rolloutsWriter?: JsonlWriter;
    private readonly options: RunOptions;
    private readonly bar?: ProgressBar;

    private constructor(dir: RunDir, options: RunOptions, totalSteps: number, resumed: LoadedTrainerCheckpoint | undefined) {
        this.dir = dir;
        this.options = options;
        this.totalSteps = totalSteps;
        this.resumed = resumed;
        this.metricsWriter = dir.appender("metrics.jsonl");
        if (options.progressBar === true) {
            this.bar = new ProgressBar(totalSteps, {label: "train"});
            if (resumed != null) this.bar.resumedFrom(resumed.state.step);
        }
    }

    /**
     * Open the run folder: write `run.json`, or check that the resumed run was asked the same
     * thing (every config key except the bookkeeping ones must match), load its newest checkpoint
     * and cut `metrics.jsonl` back to that step.
     */
    static async open(kind: string, config: Record<string, unknown>, options: RunOptions & {seeds: Record<string, number>, totalSteps: number}): Promise<TrainRun> {
        const dir = RunDir.open(options.out);
        const info: RunInfo = {
            kind,
            command: options.command,
            config,
            seeds: options.seeds,
            versions: {node: process.version},
            startedAt: new Date().toISOString()
        };
        const resumeKeys = Object.keys(config).filter((k) => !resumeFreeKeys.has(k));
        dir.startOrResume(info, resumeKeys);
        const resumed = await loadLatestTrainerCheckpoint(join(dir.dir, "checkpoints"));
        // Without a checkpoint the run starts over (its step-0 evaluation included).
        for (const file of ["metrics.jsonl", "rollouts.jsonl"]) {
            if (resumed == null && file === "rollouts.jsonl" && !dir.exists(file)) continue;
            const kept = resumed == null ? [] : dir.readLines<StepMetrics>(file).filter((m) => typeof m.step !== "number" || m.step <= resumed.state.step);
            dir.writeText(file, kept.map((m) => JSON.stringify(m) + "\n").join(""));
        }
        return new TrainRun(dir, options, options.totalSteps, resumed);
    }

    /** Append a step's metrics, report progress, and draw the bar. */
    logStep(metrics: StepMetrics, note?: string): void {
        this.metricsWriter.write(metrics);
        this.options.onProgress?.({step: metrics.step, totalSteps: this.totalSteps, metrics});
        this.bar?.update(metrics.step, {note});
    }

    /** Append a line that is not a training step (evaluations, events). */
    logEvent(line: Record<string, unknown>): void {
        this.metricsWriter.write(line);
    }

    /** Append sampled rollouts of a step to `rollouts.jsonl` (each line carries its `step`). */
    logRollouts(lines: Record<string, unknown>[]): void {
        this.rolloutsWriter ??= this.dir.appender("rollouts.jsonl");
        for (const line of lines) this.rolloutsWriter.write(line);
    }

    /** Whether a checkpoint is due after `step` steps. */
    checkpointDue(step: number): boolean {
        const every = this.options.checkpointEvery ?? 50;
        return step === this.totalSteps || (every > 0 && step % every === 0) || this.options.signal?.aborted === true;
    }

    async saveCheckpoint(snapshot: TrainerSnapshot): Promise<string> {
        return saveTrainerCheckpoint(join(this.dir.dir, "checkpoints"), snapshot, {keep: this.options.keepCheckpoints ?? 2});
    }

    /** Throw `Aborted` if the caller asked to stop (after the step's checkpoint was saved). */
    throwIfAborted(step: number): void {
        if (this.options.signal?.aborted === true) {
            this.close();
            throw new Aborted(`training stopped after step ${step}; run the same command again to resume from ${this.dir.dir}`);
        }
    }

    close(note?: string): void {
        this.bar?.finish(note);
        this.metricsWriter.close();
        this.rolloutsWriter?.close();
    }
}
