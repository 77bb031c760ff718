// Running the `rmr1` command from tests: in this process through `main()` with stdout, stderr (and
// optionally stdin) captured (the code path of the bin, without a subprocess), or from source in a
// child process, for tests that must kill it mid-run or talk to a server it starts.
import {spawn} from "node:child_process";
import type {ChildProcess} from "node:child_process";
import {existsSync, readFileSync} from "node:fs";
import {Readable} from "node:stream";
import {fileURLToPath} from "node:url";
import {vi} from "vitest";
import {main} from "../../src/cli/main.js";

/** What one in-process run of the command gave. */
export interface CliResult {
    /** The exit code `main()` resolved to. */
    code: number;
    stdout: string;
    stderr: string;
}

/** Run `rmr1 <argv>` in this process; `stdin`, when given, is what the command reads from standard input. */
export async function runCli(argv: string[], stdin?: string): Promise<CliResult> {
    let stdout = "";
    let stderr = "";
    const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
        stdout += String(chunk);
        return true;
    });
    const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
        stderr += String(chunk);
        return true;
    });
    const realStdin = Object.getOwnPropertyDescriptor(process, "stdin")!;
    if (stdin != null) Object.defineProperty(process, "stdin", {value: Readable.from([Buffer.from(stdin)]), configurable: true});
    try {
        const code = await main(argv);
        return {code, stdout, stderr};
    } finally {
        out.mockRestore();
        err.mockRestore();
        if (stdin != null) Object.defineProperty(process, "stdin", realStdin);
    }
}

/** The child-process entry: the `rmr1` command from source (test/helpers/rmr1.ts). */
export const rmr1Entry = fileURLToPath(new URL("./rmr1.ts", import.meta.url));

/** The `node` arguments that run `rmr1 <argv>` from source: `spawn(process.execPath, rmr1Args(argv))`. */
export function rmr1Args(argv: readonly string[]): string[] {
    return ["--import", "tsx", rmr1Entry, ...argv];
}

/** Options of `spawnRmr1`. */
export interface SpawnRmr1Options {
    /** Variables set over this process's environment. Defaults to none. */
    env?: Record<string, string>;
}

/** `rmr1 <argv>` running from source in a child process, its output collected as it comes. */
export interface Rmr1Child {
    readonly child: ChildProcess;
    /** Its exit code, or the signal that ended it. */
    readonly exited: Promise<{code: number | null, signal: NodeJS.Signals | null}>;
    /** What it printed on stdout so far. */
    stdout(): string;
    /** What it printed on stderr so far. */
    stderr(): string;
    /** Both, in the order they arrived. */
    output(): string;
    /** Send it a signal. Defaults to `"SIGTERM"`. */
    kill(signal?: NodeJS.Signals): void;
    /**
     * The first match of `pattern` in its stdout, once there. Rejects (with its stderr) when it exits
     * before, or after `timeoutMs` when given.
     */
    waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

/** Start `rmr1 <argv>` from source in a child process (stdin closed, stdout and stderr collected). */
export function spawnRmr1(argv: readonly string[], options: SpawnRmr1Options = {}): Rmr1Child {
    const child = spawn(process.execPath, rmr1Args(argv), {
        stdio: ["ignore", "pipe", "pipe"],
        env: options.env != null ? {...process.env, ...options.env} : process.env
    });
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout!.on("data", (d) => {
        stdout += String(d);
        output += String(d);
    });
    child.stderr!.on("data", (d) => {
        stderr += String(d);
        output += String(d);
    });
    const exited = new Promise<{code: number | null, signal: NodeJS.Signals | null}>((resolve) => child.on("exit", (code, signal) => resolve({code, signal})));
    return {
        child,
        exited,
        stdout: () => stdout,
        stderr: () => stderr,
        output: () => output,
        kill: (signal = "SIGTERM") => void child.kill(signal),
        waitForStdout: (pattern, timeoutMs) => new Promise<RegExpExecArray>((resolve, reject) => {
            const timer = timeoutMs == null ? undefined
                : setTimeout(() => reject(new Error(`rmr1 ${argv[0]} printed nothing matching ${pattern} in ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
            const check = () => {
                const m = pattern.exec(stdout);
                if (m == null) return;
                clearTimeout(timer);
                child.stdout!.off("data", check);
                resolve(m);
            };
            child.stdout!.on("data", check);
            void exited.then(({code}) => {
                clearTimeout(timer);
                reject(new Error(`rmr1 ${argv[0]} exited early (${code}): ${stderr}`));
            });
            check();
        })
    };
}

/** Run `rmr1 <argv>` from source in a child process to its end: its exit code and its stdout and stderr, in the order they arrived. */
export async function runRmr1(argv: readonly string[], options: SpawnRmr1Options = {}): Promise<{code: number | null, out: string}> {
    const run = spawnRmr1(argv, options);
    const {code} = await run.exited;
    return {code, out: run.output()};
}

/** Options of `stopRmr1When`. */
export interface StopOptions extends SpawnRmr1Options {
    /** The signal sent once `ready()` holds. Defaults to `"SIGKILL"` (a crash). */
    signal?: NodeJS.Signals;
    /** Milliseconds between checks of `ready()`. Defaults to `10`. */
    pollMs?: number;
    /** Give up (kill the child and throw) when `ready()` has not held by then. Defaults to no limit. */
    timeoutMs?: number;
    /** Added to the error when the child does not get there, to say how far it got. Defaults to none. */
    detail?: () => string;
}

/**
 * Start `rmr1 <argv>` from source in a child process and send it `signal` once `ready()` holds; its
 * exit and its stderr. Throws (after killing it) when it exits first or `timeoutMs` passes.
 */
export async function stopRmr1When(argv: readonly string[], ready: () => boolean, options: StopOptions = {}): Promise<{code: number | null, signal: NodeJS.Signals | null, stderr: string}> {
    const run = spawnRmr1(argv, options);
    let ended = false;
    void run.exited.then(() => (ended = true));
    const deadline = options.timeoutMs == null ? Infinity : Date.now() + options.timeoutMs;
    const fail = (why: string) => new Error(`rmr1 ${argv[0]} ${why}: ${run.stderr()}${options.detail != null ? ` ${options.detail()}` : ""}`);
    let signal = options.signal ?? "SIGKILL";
    try {
        while (!ready()) {
            if (ended) throw fail("exited before the point to stop it");
            if (Date.now() > deadline) throw fail(`did not get to the point to stop it in ${options.timeoutMs} ms`);
            await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 10));
        }
    } catch (e) {
        signal = "SIGKILL";
        throw e;
    } finally {
        run.kill(signal);
    }
    return {...await run.exited, stderr: run.stderr()};
}

/** The complete lines of a JSONL file being written (a torn last line is not counted; none when it does not exist). */
export function completeLines(file: string): string[] {
    if (!existsSync(file)) return [];
    const text = readFileSync(file, "utf8");
    return text.slice(0, text.lastIndexOf("\n") + 1).split("\n").filter((l) => l !== "");
}
