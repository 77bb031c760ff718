// Every CLI command, in the order `rmr1 help` lists them. Add a command by writing
// src/cli/commands/<name>.ts and adding one import line and one entry below.
import type {Command} from "./Command.js";

export const commands: Command[] = [
];
