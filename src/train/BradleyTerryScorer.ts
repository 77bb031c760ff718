// Scores conversations with a Bradley–Terry reward model trained by `trainBradleyTerry`: the
// decoder's final hidden state at the conversation's last token through the score head. Higher is
// better; P(a preferred over b) = σ(s_a − s_b).
import {existsSync} from "node:fs";
import {join} from "node:path";
import {InvalidInput, NotFound} from "../errors.js";
import type {Message, PreferencePair} from "../protocol/types.js";
import {pairConversations} from "../protocol/renderPair.js";
import {loadCheckpoint} from "../native/checkpoint/loadCheckpoint.js";
import {SafetensorsFile} from "../native/checkpoint/safetensors.js";
import {KernelRuntime} from "../native/kernels/KernelRuntime.js";
import {NativeModel} from "../native/model/NativeModel.js";
import {ScalarHead} from "./ScalarHead.js";
import {conversationTokens, SCORE_HEAD} from "./trainBradleyTerry.js";

/** Options of `BradleyTerryScorer.load`. */
export interface BradleyTerryScorerOptions {
    /** Kernel runtime. Defaults to the shared one. */
    runtime?: KernelRuntime;
    /** Conversations scored per forward pass. Defaults to `32`. */
    batchSize?: number;
}

export class BradleyTerryScorer {
    readonly model: NativeModel;
    readonly head: ScalarHead;
    private readonly batchSize: number;

    private constructor(model: NativeModel, head: ScalarHead, batchSize: number) {
        this.model = model;
        this.head = head;
        this.batchSize = batchSize;
    }

    /** Load a reward model folder (`<run>/model` of a Bradley–Terry run). */
    static async load(dir: string, options: BradleyTerryScorerOptions = {}): Promise<BradleyTerryScorer> {
        const headFile = join(dir, "head.safetensors");
        if (!existsSync(headFile)) throw new NotFound(`${dir} has no head.safetensors: not a Bradley–Terry reward model (train one with trainBradleyTerry)`);
        const loaded = await loadCheckpoint(dir);
        const file = SafetensorsFile.open(headFile);
        let w: Float32Array, b: Float32Array;
        try {
            if (file.entry(`${SCORE_HEAD}.weight`) == null || file.entry(`${SCORE_HEAD}.bias`) == null)
                throw new InvalidInput(`expected tensors '${SCORE_HEAD}.weight' and '${SCORE_HEAD}.bias'`, {location: headFile});
            w = file.read(`${SCORE_HEAD}.weight`).data;
            b = file.read(`${SCORE_HEAD}.bias`).data;
        } finally {
            file.close();
        }
        if (w.length !== loaded.config.dModel || b.length !== 1)
            throw new InvalidInput(`score head has ${w.length} weights and ${b.length} biases; the model needs ${loaded.config.dModel} and 1`, {location: headFile});
        const params = new Float32Array(w.length + 1);
        params.set(w);
        params[w.length] = b[0];
        const model = await NativeModel.fromParams(loaded.config, loaded.params, {runtime: options.runtime ?? await KernelRuntime.shared()});
        return new BradleyTerryScorer(model, new ScalarHead(loaded.config.dModel, params), options.batchSize ?? 32);
    }

    /** The score of each whole conversation (prompt and reply). */
    score(conversations: readonly Message[][]): number[] {
        const out: number[] = [];
        for (let i = 0; i < conversations.length; i += this.batchSize) {
            const seqs = conversations.slice(i, i + this.batchSize).map((c) => conversationTokens(c));
            const r = this.model.forward(seqs, {logits: false});
            seqs.forEach((_, k) => out.push(this.head.score(r.hidden, r.rowStarts[k] + r.lengths[k] - 1)));
        }
        return out;
    }

    /** Scores of the chosen and rejected conversations of each pair. */
    scorePairs(pairs: readonly PreferencePair[]): {chosen: number, rejected: number}[] {
        const conversations = pairs.flatMap((p) => {
            const c = pairConversations(p);
            return [c.chosen, c.rejected];
        });
        const s = this.score(conversations);
        return pairs.map((_, k) => ({chosen: s[2 * k], rejected: s[2 * k + 1]}));
    }

    dispose(): void {
        this.model.dispose();
    }
}
