// Pieces every trainer uses: loading the starting model into the kernel runtime, the held-out
// split, counting skipped rows, and the final model folder.
import {join} from "node:path";
import {InvalidInput} from "../errors.js";
import {keyedUniform} from "../protocol/rng.js";
import {BadRows} from "../data/BadRows.js";
import {KernelRuntime} from "../native/kernels/KernelRuntime.js";
import {loadCheckpoint} from "../native/checkpoint/loadCheckpoint.js";
import {replaceDirAtomic, writeChunksDurable} from "../native/checkpoint/atomicWrite.js";
import {saveCheckpoint, type CheckpointExtra} from "../native/checkpoint/saveCheckpoint.js";
import {encodeSafetensors} from "../native/checkpoint/safetensors.js";
import {NativeModel} from "../native/model/NativeModel.js";
import type {ModelConfig} from "../native/model/ModelConfig.js";

/** The kernel runtime a trainer runs on: its own with `threads`, else the shared one. */
export async function openRuntime(threads: number | undefined): Promise<{runtime: KernelRuntime, close: () => Promise<void>}> {
    if (threads == null) return {runtime: await KernelRuntime.shared(), close: async () => {}};
    const runtime = await KernelRuntime.create({threads});
    return {runtime, close: () => runtime.close()};
}

/** Models and optimizers a trainer created, freed together when it ends (normally or not). */
export class Owned {
    private readonly items: {dispose(): void}[] = [];

    add<T extends {dispose(): void}>(item: T): T {
        this.items.push(item);
        return item;
    }

    dispose(): void {
        for (const item of this.items.splice(0).reverse()) item.dispose();
    }
}

/** Load a checkpoint directory as a `NativeModel`. */
export async function loadNativeModel(dir: string, runtime: KernelRuntime): Promise<{model: NativeModel, meta: Record<string, unknown>}> {
    const loaded = await loadCheckpoint(dir);
    return {model: await NativeModel.fromParams(loaded.config, loaded.params, {runtime}), meta: loaded.meta};
}

/** Whether row `index` goes to the held-out set (a seeded coin per row, independent of the others). */
export function isHeldOut(seed: number, index: number, fraction: number): boolean {
    return fraction > 0 && keyedUniform(seed, `held-out:${index}`) < fraction;
}

/**
 * Rows skipped while reading: bad rows (no label, wrong shape) and over-long examples, counted
 * separately; in strict mode the first one throws its `InvalidInput`.
 */
export class SkippedRows {
    readonly bad: BadRows;
    readonly overlong: BadRows;

    constructor(strict: boolean) {
        this.bad = new BadRows({strict});
        this.overlong = new BadRows({strict});
    }

    /** An example longer than the limit (`what` says which length). */
    addOverlong(location: string, what: string): void {
        this.overlong.add(new InvalidInput(`${what}; skipped (the reference drops over-long prompts too)`, {location, field: "maxLen"}), location);
    }

    summary(): {badRows: number, overlong: number, examples: {location: string, message: string}[]} {
        return {badRows: this.bad.count, overlong: this.overlong.count, examples: [...this.bad.examples, ...this.overlong.examples].slice(0, 5)};
    }

    /** Why nothing was usable, on one line: the counts and the first skipped row. */
    noneUsable(source: string, what: string): InvalidInput {
        const first = [...this.bad.examples, ...this.overlong.examples][0];
        const detail = first == null ? "the source is empty" : `${this.bad.count} bad and ${this.overlong.count} over-long rows skipped; the first, ${first.location}: ${first.message}`;
        return new InvalidInput(`${source}: no usable ${what} (${detail})`, {field: "data"});
    }

    /** Lines for people, "" when nothing was skipped. */
    text(): string {
        return [this.bad.summary("rows"), this.overlong.summary("over-long examples")].filter((s) => s !== "").join("\n");
    }
}

/**
 * Write the final model folder `dir`: an ordinary checkpoint, plus `extraTensors` (a score or value
 * head) in `head.safetensors`, and `model.gguf` when asked. The folder appears complete or not at all.
 */
export async function saveFinalModel(dir: string, model: {config: ModelConfig, params: Map<string, Float32Array>}, extra: CheckpointExtra,
    options: {headTensors?: Map<string, {shape: number[], data: Float32Array}>, gguf?: boolean} = {}): Promise<void> {
    await replaceDirAtomic(dir, async (tmp) => {
        await saveCheckpoint(tmp, {config: model.config, params: model.params, extra}, {gguf: options.gguf === true ? "f32" : false});
        if (options.headTensors != null && options.headTensors.size > 0) {
            const tensors = [...options.headTensors].map(([name, t]) => ({name, shape: t.shape, data: t.data}));
            writeChunksDurable(join(tmp, "head.safetensors"), encodeSafetensors(tensors));
        }
    });
}

/** Seconds since `start` (a `performance.now()` value). */
export function secondsSince(start: number): number {
    return (performance.now() - start) / 1000;
}

/** The entries of `options` named in `keys` whose value is not undefined. */
export function definedOnly<T extends object, K extends keyof T>(options: Partial<T>, keys: K[]): Partial<T> {
    const out: Partial<T> = {};
    for (const k of keys) if (options[k] !== undefined) out[k] = options[k];
    return out;
}
