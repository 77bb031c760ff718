// Entry point of the `rmr1` command: picks the command by its words, runs it, and turns errors into
// one clear line and an exit code. A stack trace is printed only for a bug (a non-rmr1 error) or
// with RMR1_DEBUG=1.
import {Rmr1Error} from "../errors.js";
import {rmr1Version} from "../version.js";
import {commands} from "./commands.js";
import type {Command} from "./Command.js";

export async function main(argv: string[]): Promise<number> {
    if (argv.length === 0 || argv[0] === "help" || argv[0] === "--help" || argv[0] === "-h") {
        const topic = argv.slice(1).join(" ");
        const command = commands.find((c) => c.name === topic);
        process.stdout.write(command != null ? command.usage.trimEnd() + "\n" : overview());
        return 0;
    }
    if (argv[0] === "--version" || argv[0] === "version") {
        process.stdout.write(rmr1Version() + "\n");
        return 0;
    }
    const {command, rest} = findCommand(argv);
    if (command == null) {
        process.stderr.write(`rmr1: unknown command '${argv.slice(0, 2).join(" ")}'; run 'rmr1 help' for the list\n`);
        return 2;
    }
    if (rest.includes("--help") || rest.includes("-h")) {
        process.stdout.write(command.usage.trimEnd() + "\n");
        return 0;
    }
    try {
        return await command.run(rest);
    } catch (e) {
        return reportError(e);
    }
}

function findCommand(argv: string[]): {command?: Command, rest: string[]} {
    // Longest match first: `train sft` before `train`.
    for (let words = Math.min(3, argv.length); words >= 1; words--) {
        const name = argv.slice(0, words).join(" ");
        const command = commands.find((c) => c.name === name);
        if (command != null) return {command, rest: argv.slice(words)};
    }
    return {rest: argv};
}

/** Print one line for an rmr1 error (exit with its code); a full stack for anything else. */
export function reportError(e: unknown): number {
    const debug = process.env.RMR1_DEBUG === "1";
    if (e instanceof Rmr1Error) {
        process.stderr.write(`rmr1: ${e.message.split("\n")[0]}\n`);
        if (debug && e.stack != null) process.stderr.write(e.stack + "\n");
        return e.exitCode;
    }
    process.stderr.write(`rmr1: internal error, please report it: ${(e as Error)?.stack ?? String(e)}\n`);
    return 70;
}

function overview(): string {
    const width = Math.max(...commands.map((c) => c.name.length), 8);
    const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
    return [
        `rmr1 ${rmr1Version()}: RM-R1 reasoning reward models in TypeScript`,
        "",
        "Usage: rmr1 <command> [options]      rmr1 <command> --help for its options",
        "",
        "Commands:",
        ...lines,
        ""
    ].join("\n");
}
