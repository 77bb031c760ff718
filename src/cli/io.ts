// Standard input and output for commands: a whole file or stdin as text, one JSON line to stdout.
import {readFileSync} from "node:fs";
import {InvalidInput, NotFound} from "../errors.js";

/** The whole of a file, or of stdin for "-", as UTF-8 text. `flag` names the option in errors. */
export async function readTextInput(path: string, flag = "FILE"): Promise<string> {
    if (path === "-") {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk as Buffer);
        return Buffer.concat(chunks).toString("utf8");
    }
    try {
        return readFileSync(path, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "ENOENT") throw new NotFound(`${flag} ${path}: no such file`);
        throw new InvalidInput(`${flag} ${path}: cannot read (${(e as Error).message})`, {field: flag, cause: e});
    }
}

/** Write one JSON line to stdout, waiting when the pipe is full. */
export async function writeLine(value: unknown): Promise<void> {
    if (!process.stdout.write(JSON.stringify(value) + "\n")) await new Promise<void>((resolve) => process.stdout.once("drain", () => resolve()));
}
