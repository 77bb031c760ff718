// Rollout generation for the RL stage: n sampled responses per prompt from the current policy.
// `native` decodes in-process with the trainer's own model (batched KV cache; its sampling is
// seeded, so a resumed run samples the very same responses); `gguf` exports the policy to a GGUF
// file every step and samples with node-llama-cpp, the rollout/trainer split that vLLM + FSDP play
// in the reference (a path to GPU rollouts; llama.cpp's sampling is not bit-reproducible across
// builds, so resumed runs are exact only with `native`).
//
// Wanted from src/engines/gguf (checkpoint helper): the sampled token ids of each completion (e.g.
// `Completion.tokenIds`), so GGUF rollouts train on exactly the sampled bytes; today the text is
// re-encoded, which differs where the model emitted invalid UTF-8.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {deriveSeed} from "../protocol/rng.js";
import type {Message} from "../protocol/types.js";
import {exportGguf} from "../native/checkpoint/exportGguf.js";
import type {NativeModel} from "../native/model/NativeModel.js";
import {ByteTokenizer, specialTokens} from "../native/tokenizer/ByteTokenizer.js";

/** One sampled response. */
export interface Rollout {
    /** Response token ids, ending in `<|eos|>` unless the length limit cut it. */
    tokens: Uint16Array;
    /** Whether `maxNewTokens` ended it (no `<|eos|>`). */
    truncated: boolean;
}

/** A prompt to roll out: its chat messages and their token ids (with the generation prompt). */
export interface RolloutPrompt {
    messages: Message[];
    tokens: Uint16Array;
}

/** Sampling settings of one rollout call. */
export interface RolloutSampling {
    /** Responses per prompt. */
    n: number;
    temperature: number;
    topP: number;
    maxNewTokens: number;
    /** Seed of this call; every response's stream is derived from it. */
    seed: number;
}

/** Where rollouts come from. */
export type RolloutBackend = "native" | "gguf";
export const rolloutBackends: readonly RolloutBackend[] = ["native", "gguf"];

/** Generates rollouts from a policy's current weights. */
export interface RolloutSampler {
    readonly backend: RolloutBackend;
    /** `n` responses per prompt, prompt-major: result[i][j] is response j to prompt i. */
    sample(policy: NativeModel, prompts: readonly RolloutPrompt[], sampling: RolloutSampling): Promise<Rollout[][]>;
    close(): Promise<void>;
}

const tokenizer = new ByteTokenizer();

/** Token ids of a completion text as node-llama-cpp returned it (`<|eos|>` appended when it stopped). */
export function completionTokens(text: string, stopped: boolean): Uint16Array {
    const bytes = tokenizer.encode(text);
    if (stopped) bytes.push(specialTokens.eos);
    return Uint16Array.from(bytes);
}

/** Options of `GgufRolloutSampler`. */
export interface GgufRolloutOptions {
    /** Sequences node-llama-cpp decodes in parallel. Defaults to `16`. */
    sequences?: number;
    /** llama.cpp threads. Defaults to the GGUF engine's default (1 on ≤ 2 cores). */
    threads?: number;
    /** Tokens per sequence (prompt + response). */
    contextSize: number;
}

/**
 * Rollouts through node-llama-cpp: the policy is exported to a temporary GGUF (f32) each call and
 * loaded in the GGUF engine's child process. The engine returns text, not token ids, so the text
 * of each completion is tokenised back into bytes: exact for valid UTF-8 (every judge trace), but
 * a byte sequence that is not valid UTF-8 comes back as U+FFFD, so the trained tokens differ from
 * the sampled ones there (and are cut to `maxNewTokens`). The loss uses the trainer's own log-probs
 * of the trained tokens, so the update stays consistent; the ratio is no longer on-policy there.
 */
export class GgufRolloutSampler implements RolloutSampler {
    readonly backend = "gguf" as const;
    private readonly options: GgufRolloutOptions;
    private readonly dir: string;

    constructor(options: GgufRolloutOptions) {
        this.options = options;
        this.dir = mkdtempSync(join(tmpdir(), "rmr1-rollout-"));
    }

    async sample(policy: NativeModel, prompts: readonly RolloutPrompt[], s: RolloutSampling): Promise<Rollout[][]> {
        const file = join(this.dir, "policy.gguf");
        await exportGguf({config: policy.config, params: policy.paramMap()}, file, {dtype: "f32"});
        const {GgufEngine} = await import("../engines/gguf/GgufEngine.js");
        const engine = await GgufEngine.load(file, {
            sequences: this.options.sequences ?? 16, threads: this.options.threads, contextSize: this.options.contextSize,
            maxTokens: s.maxNewTokens, kvCacheType: "f32", flashAttention: false, gpu: "auto"
        });
        try {
            const results = await engine.generate(prompts.map((p, i) => ({
                messages: p.messages,
                options: {temperature: s.temperature, topP: s.topP, maxTokens: s.maxNewTokens, n: s.n, seed: deriveSeed(s.seed, `prompt-${i}`)}
            })));
            return results.map((r) => r.completions.map((c) => {
                const stopped = c.finishReason === "stop";
                const tokens = completionTokens(c.text, stopped);
                // Invalid UTF-8 comes back as U+FFFD (3 bytes): keep the response within its budget.
                if (tokens.length > s.maxNewTokens) return {tokens: tokens.slice(0, s.maxNewTokens), truncated: true};
                return {tokens, truncated: !stopped};
            }));
        } finally {
            await engine.close();
        }
    }

    async close(): Promise<void> {
        rmSync(this.dir, {recursive: true, force: true});
    }
}
