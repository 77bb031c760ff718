// Rollouts with the native batched KV-cache decoder, on the trainer's own policy weights (no copy,
// no export). Response j to prompt i samples from its own seed derived from the call's seed, so the
// responses do not depend on batching and a resumed run samples exactly what the first run did.
import {deriveSeed} from "../protocol/rng.js";
import {generateTokens} from "../native/generate/generateTokens.js";
import type {NativeModel} from "../native/model/NativeModel.js";
import type {Rollout, RolloutPrompt, RolloutSampler, RolloutSampling} from "./rollouts.js";

export class NativeRolloutSampler implements RolloutSampler {
    readonly backend = "native" as const;
    private readonly batchSize: number;

    /** `batchSize`: sequences decoded at once. Defaults to `64`. */
    constructor(options: {batchSize?: number} = {}) {
        this.batchSize = options.batchSize ?? 64;
    }

    async sample(policy: NativeModel, prompts: readonly RolloutPrompt[], s: RolloutSampling): Promise<Rollout[][]> {
        const flat = prompts.flatMap((p) => Array.from({length: s.n}, () => p.tokens));
        const seeds = prompts.flatMap((_, i) => Array.from({length: s.n}, (_, j) => deriveSeed(s.seed, `prompt-${i}:sample-${j}`)));
        const out = await generateTokens(policy, flat, {
            maxTokens: s.maxNewTokens, temperature: s.temperature, topP: s.topP, seeds, batchSize: this.batchSize
        });
        return prompts.map((_, i) => out.slice(i * s.n, (i + 1) * s.n).map((g) => ({tokens: Uint16Array.from(g.tokens), truncated: g.finishReason !== "stop"})));
    }

    async close(): Promise<void> {}
}
