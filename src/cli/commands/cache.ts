// `rmr1 cache info` and `rmr1 cache clear`: look at and empty the response cache of the engines.
import {existsSync} from "node:fs";
import {NotFound} from "../../errors.js";
import {defaultCachePath, ResponseCache} from "../../engines/cache/ResponseCache.js";
import {bool, num, parseFlags, str} from "../args.js";
import type {Command} from "../Command.js";

const pathHelp = "  --path FILE        the cache file (default: $RMR1_CACHE_DIR/responses.sqlite, else ~/.cache/rmr1/responses.sqlite)";

function openExisting(path: string): ResponseCache {
    // Never create a cache just to report that it is empty.
    if (!existsSync(path)) throw new NotFound(`no response cache at ${path}; nothing is cached yet (or give --path)`);
    return new ResponseCache({path});
}

export const cacheInfoCommand: Command = {
    name: "cache info",
    summary: "show where the response cache is, how big, and what it holds per engine",
    usage: `Usage: rmr1 cache info [--path FILE] [--json]

Shows the response cache: its file, size, number of entries per engine, oldest and newest entry.

Options:
${pathHelp}
  --json             print the figures as JSON
`,
    async run(argv) {
        const args = parseFlags(argv, {path: {type: "string"}, json: {type: "boolean"}}, {allowPositionals: false});
        const path = str(args, "path") ?? defaultCachePath();
        const cache = openExisting(path);
        try {
            const info = cache.info();
            if (bool(args, "json")) {
                process.stdout.write(JSON.stringify(info, null, 2) + "\n");
                return 0;
            }
            const lines = [
                `cache    ${info.path}`,
                `size     ${(info.bytes / 1024 / 1024).toFixed(2)} MiB`,
                `entries  ${info.entries}`
            ];
            if (info.oldest != null) lines.push(`oldest   ${info.oldest}`, `newest   ${info.newest}`);
            for (const e of info.engines) lines.push(`  ${String(e.entries).padStart(8)}  ${e.engine}`);
            process.stdout.write(lines.join("\n") + "\n");
            return 0;
        } finally {
            cache.close();
        }
    }
};

export const cacheClearCommand: Command = {
    name: "cache clear",
    summary: "remove cached engine responses (all, one engine's, or old ones)",
    usage: `Usage: rmr1 cache clear [--path FILE] [--engine ID] [--older-than DAYS]

Removes entries from the response cache; with no filter, all of them. Do this when a server starts
serving different weights under the same model name (the cache cannot see that).

Options:
${pathHelp}
  --engine ID        only this engine's entries, e.g. openai:gpt-4o-mini
  --older-than DAYS  only entries older than this many days (fractions allowed)
`,
    async run(argv) {
        const args = parseFlags(argv, {path: {type: "string"}, engine: {type: "string"}, "older-than": {type: "string"}}, {allowPositionals: false});
        const path = str(args, "path") ?? defaultCachePath();
        const days = args.flags["older-than"] == null ? undefined : num(args, "older-than", 0, 0);
        const cache = openExisting(path);
        try {
            const removed = cache.clear({engine: str(args, "engine"), olderThanMs: days == null ? undefined : days * 86_400_000});
            process.stdout.write(`removed ${removed} entr${removed === 1 ? "y" : "ies"} from ${path}\n`);
            return 0;
        } finally {
            cache.close();
        }
    }
};
