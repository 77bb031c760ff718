// The shape of one CLI command. Each command lives in its own file under src/cli/commands/ and is
// listed in src/cli/commands.ts. Commands are thin: they parse flags and call the library API.

export interface Command {
    /** The words that select it, e.g. `judge` or `train sft`. */
    name: string;
    /** One line for `rmr1 help`. */
    summary: string;
    /** Full usage text for `rmr1 <name> --help`. */
    usage: string;
    /** Run with the arguments after the command words; resolves to the exit code. */
    run(argv: string[]): Promise<number>;
}
