// Learning-rate schedules. The SFT default is the reference's OpenRLHF `cosine_with_min_lr`
// (transformers' `get_cosine_with_min_lr_schedule_with_warmup`: linear warm-up over
// ceil(3% of the steps), then a half cosine down to 0.1× the peak); GRPO and PPO use a constant
// learning rate as verl's `warmup_style=constant` with no warm-up (method doc §4.2, §5).
import {InvalidInput} from "../errors.js";

/** A learning-rate schedule, by name and parameters (stored in `run.json`). */
export type LrSchedule =
    | {kind: "cosine", peak: number, totalSteps: number, warmupSteps: number, minRatio: number}
    | {kind: "constant", peak: number, warmupSteps: number};

/** Options of `cosineSchedule`. */
export interface CosineScheduleOptions {
    /** Peak learning rate. */
    peak: number;
    /** Optimizer steps in the whole run. */
    totalSteps: number;
    /** Fraction of the steps spent warming up; the warm-up lasts ceil(ratio × totalSteps) steps. Defaults to `0.03`. */
    warmupRatio?: number;
    /** Floor of the cosine as a fraction of the peak. Defaults to `0.1`. */
    minRatio?: number;
}

/** The reference's SFT schedule: warm-up, then cosine from `peak` to `minRatio × peak`. */
export function cosineSchedule(options: CosineScheduleOptions): LrSchedule {
    const warmupRatio = options.warmupRatio ?? 0.03;
    const minRatio = options.minRatio ?? 0.1;
    checkPeak(options.peak);
    if (!Number.isInteger(options.totalSteps) || options.totalSteps < 1)
        throw new InvalidInput(`the schedule needs at least one step, got ${options.totalSteps}`, {field: "totalSteps"});
    if (!(warmupRatio >= 0 && warmupRatio < 1)) throw new InvalidInput(`warm-up ratio must be in [0, 1), got ${warmupRatio}`, {field: "warmupRatio"});
    if (!(minRatio >= 0 && minRatio <= 1)) throw new InvalidInput(`minimum LR ratio must be in [0, 1], got ${minRatio}`, {field: "minRatio"});
    // OpenRLHF: num_warmup_steps = math.ceil(max_steps * lr_warmup_ratio), in the same float64
    // arithmetic.
    const warmupSteps = Math.ceil(options.totalSteps * warmupRatio);
    return {kind: "cosine", peak: options.peak, totalSteps: options.totalSteps, warmupSteps, minRatio};
}

/** A constant learning rate, after an optional linear warm-up of `warmupSteps` (default 0). */
export function constantSchedule(peak: number, warmupSteps = 0): LrSchedule {
    checkPeak(peak);
    if (!Number.isInteger(warmupSteps) || warmupSteps < 0) throw new InvalidInput(`warm-up steps must be a non-negative integer, got ${warmupSteps}`, {field: "warmupSteps"});
    return {kind: "constant", peak, warmupSteps};
}

/**
 * The learning rate of optimizer step `step` (0-based), as transformers' LambdaLR gives it: during
 * warm-up `peak · step / warmup` (so the very first step of a warm-up has LR 0, as in the
 * reference), then for the cosine `peak · (min + (1 − min) · ½(1 + cos(π · progress)))` with
 * progress = (step − warmup) / (total − warmup).
 */
export function learningRate(schedule: LrSchedule, step: number): number {
    if (step < schedule.warmupSteps) return schedule.peak * step / Math.max(1, schedule.warmupSteps);
    if (schedule.kind === "constant") return schedule.peak;
    // Past the last step the LR stays at the floor (transformers would start a second half-cycle).
    const progress = Math.min(1, (step - schedule.warmupSteps) / Math.max(1, schedule.totalSteps - schedule.warmupSteps));
    const cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
    return schedule.peak * Math.max(0, cosine * (1 - schedule.minRatio) + schedule.minRatio);
}

function checkPeak(peak: number): void {
    if (!(peak > 0) || !Number.isFinite(peak)) throw new InvalidInput(`learning rate must be a positive number, got ${peak}`, {field: "lr"});
}
