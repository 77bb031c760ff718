// Server-side grouping for group rewards. OpenRLHF asks for one sample's reward per HTTP call, so
// the n samples drawn for one prompt arrive separately; a group reward (win rate or Bradley–Terry
// strength within the group, as GRPO compares them) needs them together. Samples wait here, keyed by
// their prompt, until the group is full (`groupSize`) or `waitMs` has passed since its first sample,
// and are then scored together; each waiting request gets its own sample's reward.
import {Aborted} from "../errors.js";

interface Member {
    response: string;
    resolve: (value: {reward: number, groupSize: number, index: number}) => void;
    reject: (error: unknown) => void;
}

interface OpenGroup<P> {
    key: string;
    prompt: P;
    members: Member[];
    timer: NodeJS.Timeout;
}

export interface GroupBufferOptions<P> {
    /** Samples per prompt; a group is scored as soon as it has this many. */
    groupSize: number;
    /** Longest wait for a group to fill, from its first sample, in ms; it is then scored as it is. */
    waitMs: number;
    /** Most samples waiting at once; more are refused (the caller answers 429). */
    maxWaiting: number;
    /** Score a closed group: one reward per response, in order. Not called for a group of one. */
    score: (prompt: P, responses: string[]) => Promise<number[]>;
    /** The reward of a sample that is alone in its group when it closes. */
    singleReward: number;
}

export class GroupBuffer<P> {
    private readonly options: GroupBufferOptions<P>;
    private readonly open = new Map<string, OpenGroup<P>>();
    private waiting = 0;
    private closed = false;

    constructor(options: GroupBufferOptions<P>) {
        this.options = options;
    }

    /** Samples waiting for their group to fill. */
    get size(): number {
        return this.waiting;
    }

    /** Whether `count` more samples fit. */
    hasRoom(count: number): boolean {
        return this.waiting + count <= this.options.maxWaiting;
    }

    /** Add a sample; resolves with its reward once its group has been scored. */
    add(key: string, prompt: P, response: string): Promise<{reward: number, groupSize: number, index: number}> {
        if (this.closed) return Promise.reject(new Aborted("the server is shutting down"));
        return new Promise((resolve, reject) => {
            let group = this.open.get(key);
            if (group == null) {
                group = {key, prompt, members: [], timer: setTimeout(() => this.close(key), this.options.waitMs)};
                group.timer.unref();
                this.open.set(key, group);
            }
            group.members.push({response, resolve, reject});
            this.waiting++;
            if (group.members.length >= this.options.groupSize) this.close(key);
        });
    }

    /** Score every open group now, as it is (used when the server drains). */
    flushAll(): void {
        this.closed = true;
        for (const key of [...this.open.keys()]) this.close(key);
    }

    private close(key: string): void {
        const group = this.open.get(key);
        if (group == null) return;
        this.open.delete(key);
        clearTimeout(group.timer);
        void this.scoreGroup(group);
    }

    private async scoreGroup(group: OpenGroup<P>): Promise<void> {
        const members = group.members;
        const n = members.length;
        try {
            const rewards = n === 1 ? [this.options.singleReward] : await this.options.score(group.prompt, members.map((m) => m.response));
            members.forEach((m, i) => m.resolve({reward: rewards[i], groupSize: n, index: i}));
        } catch (error) {
            for (const m of members) m.reject(error);
        } finally {
            this.waiting -= n;
        }
    }
}
