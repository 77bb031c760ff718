// Which examples each optimizer step uses. Every epoch is a seeded permutation of the dataset
// (or the file order with `shuffle: false`) cut into batches with the last partial batch dropped,
// as the reference's samplers do (`drop_last=True`). The batch of step k depends only on (seed, k),
// so a resumed run needs nothing but the step number to continue the data stream exactly (the
// same holds for every other random draw of the trainers: each is seeded from (seed, step, ...),
// which is why a checkpoint stores no RNG state beyond the seed and the step).
import {InvalidInput} from "../errors.js";
import {Rng, deriveSeed} from "../protocol/rng.js";

export class EpochSampler {
    readonly size: number;
    readonly batchSize: number;
    readonly stepsPerEpoch: number;
    private readonly seed: number;
    private readonly shuffle: boolean;
    private cachedEpoch = -1;
    private order: Uint32Array = new Uint32Array(0);

    constructor(size: number, batchSize: number, options: {seed: number, shuffle?: boolean}) {
        if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidInput(`batch size must be a positive integer, got ${batchSize}`, {field: "batchSize"});
        if (size < batchSize)
            throw new InvalidInput(`the data has ${size} usable examples, fewer than one batch of ${batchSize}; lower the batch size or add data`, {field: "batchSize"});
        this.size = size;
        this.batchSize = batchSize;
        this.stepsPerEpoch = Math.floor(size / batchSize);
        this.seed = options.seed;
        this.shuffle = options.shuffle ?? true;
    }

    /** The example indices of step `step` (0-based). */
    batch(step: number): number[] {
        const epoch = Math.floor(step / this.stepsPerEpoch);
        const offset = (step % this.stepsPerEpoch) * this.batchSize;
        const order = this.epochOrder(epoch);
        return Array.from(order.subarray(offset, offset + this.batchSize));
    }

    /**
     * Where the data stream stands before step `step` (for `trainer_state.json`; the sampler needs
     * only the step to continue): the epoch and the batch within it, both 0-based.
     */
    position(step: number): {epoch: number, batch: number} {
        return {epoch: Math.floor(step / this.stepsPerEpoch), batch: step % this.stepsPerEpoch};
    }

    /** The epoch (0-based) that step `step` belongs to. */
    epochOf(step: number): number {
        return Math.floor(step / this.stepsPerEpoch);
    }

    private epochOrder(epoch: number): Uint32Array {
        if (epoch !== this.cachedEpoch) {
            const order = Array.from({length: this.size}, (_, i) => i);
            if (this.shuffle) new Rng(deriveSeed(this.seed, `epoch-${epoch}`)).shuffle(order);
            this.order = Uint32Array.from(order);
            this.cachedEpoch = epoch;
        }
        return this.order;
    }
}
