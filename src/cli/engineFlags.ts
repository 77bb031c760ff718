// The engine flags of the commands that drive an engine (judge, rank, eval, serve, distill): one
// spec and one reading of `--model`, `--base-url`, `--no-cache`, `--threads` and `-j/--jobs`, so a
// flag means the same in every command. Each command keeps its own `-j` default and bound (its
// --help states them) and the help line of `--model`, whose wording is the command's.
import {createEngine} from "../engines/createEngine.js";
import type {EngineOptions} from "../engines/createEngine.js";
import type {Engine} from "../engines/Engine.js";
import {bool, int, req, str} from "./args.js";
import type {FlagSpec, ParsedArgs} from "./args.js";

/** `--model PROVIDER`, `-j/--jobs N`, `--base-url URL`, `--no-cache`. */
export const engineFlags = {
    "model": {type: "string"},
    "jobs": {type: "string", short: "j"},
    "base-url": {type: "string"},
    "no-cache": {type: "boolean"}
} as const satisfies FlagSpec;

/** `--threads N`, for commands that run an in-process engine for long (serve). */
export const threadsFlag = {threads: {type: "string"}} as const satisfies FlagSpec;

/** Usage lines of `--base-url` and `--no-cache` where they go to the engine as they are. */
export const engineFlagsHelp = {
    baseUrl: "  --base-url URL       API root for openai:/anthropic: engines (a vLLM or llama.cpp server, ...)",
    noCache: "  --no-cache           do not use the response cache"
} as const;

/** What the flags should be read for. */
export interface EngineOptionsFromOptions {
    /** Read `--base-url` into `baseUrls`. Defaults to `true`; distill routes it per pass itself. */
    baseUrl?: boolean;
}

/**
 * The `createEngine` options the engine flags ask for, holding only what was given: `--base-url` as
 * `baseUrls`, `--no-cache` as `cache: false`, `--threads` (an integer in [1, 1024]) as `threads`.
 */
export function engineOptionsFrom(args: ParsedArgs, options: EngineOptionsFromOptions = {}): EngineOptions {
    const baseUrl = options.baseUrl === false ? undefined : str(args, "base-url");
    const threads = args.flags.threads == null ? undefined : int(args, "threads", 1, 1, 1024);
    return {
        ...(baseUrl != null ? {baseUrls: baseUrl} : {}),
        ...(bool(args, "no-cache") ? {cache: false} : {}),
        ...(threads != null ? {threads} : {})
    };
}

/** `-j/--jobs N`: work in flight, an integer in [1, `max`], `fallback` when absent (each command documents its own). */
export function jobsFrom(args: ParsedArgs, fallback: number, max: number): number {
    return int(args, "jobs", fallback, 1, max);
}

/** The engine the required `--model` names, with `engineOptionsFrom`'s options. */
export function engineFrom(args: ParsedArgs): Promise<Engine> {
    return createEngine(req(args, "model"), engineOptionsFrom(args));
}
