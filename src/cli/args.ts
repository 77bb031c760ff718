// Flag parsing for commands, on node:util's parseArgs, with errors that name the flag.
import {parseArgs} from "node:util";
import {InvalidInput} from "../errors.js";

export type FlagSpec = Record<string, {type: "string" | "boolean", short?: string, multiple?: boolean, default?: string | boolean | string[]}>;

export interface ParsedArgs {
    flags: Record<string, string | boolean | string[] | undefined>;
    positionals: string[];
}

/** Parse `argv` against `spec`; unknown flags and missing values become `InvalidInput`. */
export function parseFlags(argv: string[], spec: FlagSpec, options: {allowPositionals?: boolean} = {}): ParsedArgs {
    try {
        const {values, positionals} = parseArgs({
            args: argv,
            options: {...spec, help: {type: "boolean", short: "h"}},
            allowPositionals: options.allowPositionals ?? true,
            strict: true
        });
        return {flags: values as ParsedArgs["flags"], positionals};
    } catch (e) {
        const message = (e as Error).message.replace(/\. To specify a positional argument.*$/s, "");
        throw new InvalidInput(`${message}; see --help`);
    }
}

/** A string flag, or `fallback` when absent. */
export function str(args: ParsedArgs, name: string, fallback?: string): string | undefined {
    const v = args.flags[name];
    if (v == null) return fallback;
    if (typeof v !== "string") throw new InvalidInput(`--${name} needs a value`, {field: name});
    return v;
}

/** A required string flag. */
export function req(args: ParsedArgs, name: string): string {
    const v = str(args, name);
    if (v == null || v === "") throw new InvalidInput(`--${name} is required; see --help`, {field: name});
    return v;
}

/** An integer flag within [min, max], or `fallback` when absent. */
export function int(args: ParsedArgs, name: string, fallback: number, min = -Infinity, max = Infinity): number {
    return bounded(args, name, fallback, min, max, "an integer");
}

/** A number flag within [min, max], or `fallback` when absent. */
export function num(args: ParsedArgs, name: string, fallback: number, min = -Infinity, max = Infinity): number {
    return bounded(args, name, fallback, min, max, "a number");
}

/** `int` and `num`: the flag's value as a number of `kind`, within [min, max]. */
function bounded(args: ParsedArgs, name: string, fallback: number, min: number, max: number, kind: "an integer" | "a number"): number {
    const v = str(args, name);
    if (v == null) return fallback;
    const n = Number(v);
    if (!(kind === "an integer" ? Number.isInteger(n) : Number.isFinite(n)) || n < min || n > max)
        throw new InvalidInput(`--${name} must be ${kind}${Number.isFinite(min) ? ` >= ${min}` : ""}${Number.isFinite(max) ? ` and <= ${max}` : ""}, got '${v}'`, {field: name});
    return n;
}

/** A flag whose value must be one of `choices`, or `fallback` when absent. */
export function oneOf<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], fallback: T): T;
export function oneOf<T extends string>(args: ParsedArgs, name: string, choices: readonly T[]): T | undefined;
export function oneOf<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], fallback?: T): T | undefined {
    const v = str(args, name);
    if (v == null) return fallback;
    if (!(choices as readonly string[]).includes(v))
        throw new InvalidInput(`--${name} must be one of ${choices.join(", ")}; got '${v}'`, {field: name});
    return v as T;
}

/** A boolean flag. */
export function bool(args: ParsedArgs, name: string): boolean {
    return args.flags[name] === true;
}
