// A run folder on disk (see ARCHITECTURE.md, "A run on disk"):
//   runs/<name>/run.json  samples.jsonl  metrics.jsonl  scores.json  report.md  checkpoints/
// Jobs append each finished unit of work as it completes, so a killed job resumes where it stopped.
import {mkdirSync, existsSync, readFileSync, writeFileSync, renameSync} from "node:fs";
import {join} from "node:path";
import {InvalidInput} from "../errors.js";
import {JsonlWriter, readJsonlForResume} from "./jsonl.js";

/** What was asked of a run: enough to reproduce it. Written once when the run starts. */
export interface RunInfo {
    /** Kind of run: `eval`, `judge`, `sft`, `grpo`, `ppo`, `distill`, `quickstart`, `pretrain`, ... */
    kind: string;
    /** The command line, as typed. */
    command?: string;
    /** Every option the job ran with, defaults filled in. */
    config: Record<string, unknown>;
    /** Seeds used, by purpose. */
    seeds?: Record<string, number>;
    /** Engine identities (`Engine.identity`) used by the run. */
    engines?: Record<string, string>;
    /** rmr1, Node and dependency versions. */
    versions?: Record<string, string>;
    /** ISO time the run first started. */
    startedAt: string;
    [key: string]: unknown;
}

/** Write a file atomically: a crash leaves either the old or the new content, never half of one. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, content);
    renameSync(tmp, file);
}

/** A run folder. Create or reopen with `RunDir.open`. */
export class RunDir {
    readonly dir: string;

    private constructor(dir: string) {
        this.dir = dir;
    }

    /** Open (creating if needed) the run folder `dir`. */
    static open(dir: string): RunDir {
        mkdirSync(dir, {recursive: true});
        return new RunDir(dir);
    }

    path(name: string): string {
        return join(this.dir, name);
    }

    exists(name: string): boolean {
        return existsSync(this.path(name));
    }

    /** The run's `run.json`, or undefined for a new run. */
    readInfo(): RunInfo | undefined {
        return this.readJson<RunInfo>("run.json");
    }

    /**
     * Write `run.json` for a new run, or check that a resumed run was asked the same thing.
     * `resumeKeys` names the config fields that must match for a resume to be valid.
     */
    startOrResume(info: RunInfo, resumeKeys: string[] = []): {resumed: boolean, info: RunInfo} {
        const previous = this.readInfo();
        if (previous == null) {
            this.writeJson("run.json", info);
            return {resumed: false, info};
        }
        if (previous.kind !== info.kind)
            throw new InvalidInput(`${this.dir} holds a '${previous.kind}' run, not '${info.kind}'; choose another --out`, {field: "out"});
        for (const key of resumeKeys) {
            const a = JSON.stringify(previous.config[key]);
            const b = JSON.stringify(info.config[key]);
            if (a !== b)
                throw new InvalidInput(`cannot resume ${this.dir}: option '${key}' was ${a} and is now ${b}; use the same options or another --out`, {field: key});
        }
        return {resumed: true, info: previous};
    }

    readJson<T>(name: string): T | undefined {
        const file = this.path(name);
        if (!existsSync(file)) return undefined;
        try {
            return JSON.parse(readFileSync(file, "utf8")) as T;
        } catch (e) {
            throw new InvalidInput(`not valid JSON (${(e as Error).message})`, {location: file});
        }
    }

    writeJson(name: string, value: unknown): void {
        writeFileAtomic(this.path(name), JSON.stringify(value, null, 2) + "\n");
    }

    writeText(name: string, text: string): void {
        writeFileAtomic(this.path(name), text);
    }

    /** Complete lines already in a JSONL file of the run (a torn last line is cut off). */
    readLines<T>(name: string): T[] {
        return readJsonlForResume<T>(this.path(name), {repair: true});
    }

    /** An appender for a JSONL file of the run (`samples.jsonl`, `metrics.jsonl`, ...). */
    appender(name: string, options: {durable?: boolean} = {}): JsonlWriter {
        return new JsonlWriter(this.path(name), options);
    }
}
