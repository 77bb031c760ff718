// `rmr1 view [dir]`: serve the viewer over run folders until Ctrl-C. A thin wrapper over `startViewer`.
import {InvalidInput} from "../../errors.js";
import {defaultViewerPort, isLoopbackHost, startViewer} from "../../viewer/startViewer.js";
import {int, parseFlags, str} from "../args.js";
import type {Command} from "../Command.js";

export const viewCommand: Command = {
    name: "view",
    summary: "a local web page over run folders: scores beside the paper, judged samples with their reasoning, training curves",
    usage: `Usage: rmr1 view [DIR] [--port P] [--host H]

Serves a web page over the run folders under DIR (default runs/), or over the one run folder DIR:
the runs list; an evaluation's scores in the paper's layout beside the published RM-R1 and baseline
rows, per-subset bars, position bias and every judged sample with its Chain-of-Rubrics trace (quotes
highlighted in the replies they cite), filtered and paged on the server; a training run's curves
from metrics.jsonl and its sample rollouts; two runs compared side by side. Everything is served by
this process (no CDN); runs still being written are re-read on reload.

Options:
  --port P   port to listen on (default ${defaultViewerPort}; 0 picks a free one)
  --host H   interface to listen on (default 127.0.0.1, this machine only). Anything that is not
             loopback shows your runs to every machine that can reach this one, without a password.

Stop with Ctrl-C. See docs/viewer.md.
`,
    async run(argv) {
        const args = parseFlags(argv, {port: {type: "string"}, host: {type: "string"}});
        if (args.positionals.length > 1)
            throw new InvalidInput(`rmr1 view takes one folder, got ${args.positionals.length}: ${args.positionals.join(" ")}`, {field: "dir"});
        const host = str(args, "host");
        if (host === "") throw new InvalidInput("--host needs an address, e.g. 127.0.0.1", {field: "host"});
        const viewer = await startViewer({
            dir: args.positionals[0] ?? "runs",
            port: int(args, "port", defaultViewerPort, 0, 65535),
            ...(host != null ? {host} : {})
        });
        if (!isLoopbackHost(viewer.host))
            process.stderr.write(`rmr1 view: listening on ${viewer.host}: anyone who can reach this machine can read these runs\n`);
        process.stdout.write(`rmr1 view: ${viewer.root}\n  ${viewer.url}\n(Ctrl-C to stop)\n`);
        await new Promise<void>((resolve) => {
            const stop = () => {
                process.off("SIGINT", stop);
                process.off("SIGTERM", stop);
                resolve();
            };
            process.on("SIGINT", stop);
            process.on("SIGTERM", stop);
        });
        await viewer.close();
        return 0;
    }
};
