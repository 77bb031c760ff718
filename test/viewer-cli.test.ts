// `rmr1 view` through the CLI: bad arguments give one line and exit 2; a real child process serves
// the runs on loopback, prints its URL, and stops cleanly on SIGTERM.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {RunsResponse} from "../src/index.js";
import {runCli, spawnRmr1} from "./helpers/runCli.js";
import {fixtureRuns, writeViewerRuns} from "./fixtures/viewer/viewerRuns.js";

const root = mkdtempSync(join(tmpdir(), "rmr1-viewer-cli-"));

beforeAll(() => writeViewerRuns(root, {samples: 20}));
afterAll(() => rmSync(root, {recursive: true, force: true}));

describe("rmr1 view", () => {
    it("explains itself with --help", async () => {
        const r = await runCli(["view", "--help"]);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^Usage: rmr1 view \[DIR\] \[--port P\] \[--host H\]/);
        expect(r.stdout).toContain("default 127.0.0.1, this machine only");
    });

    it("refuses bad arguments with one line and exit code 2", async () => {
        for (const [argv, message] of [
            [["view", join(root, "missing")], /does not exist; pass the folder that holds your runs/],
            [["view", root, "--port", "70000"], /--port must be an integer >= 0 and <= 65535, got '70000'/],
            [["view", root, "--host", ""], /--host needs an address/],
            [["view", root, root], /rmr1 view takes one folder, got 2/],
            [["view", root, "--colour"], /Unknown option '--colour'/]
        ] as const) {
            const r = await runCli([...argv]);
            expect(r.code).toBe(2);
            expect(r.stderr).toMatch(message);
            expect(r.stderr.trim().split("\n")).toHaveLength(1);
        }
    });

    it("serves the runs on loopback, prints the URL, and stops on SIGTERM", async () => {
        const child = spawnRmr1(["view", root, "--port", "0"]);
        const url = (await child.waitForStdout(/(http:\/\/127\.0\.0\.1:\d+\/)/, 30_000))[1];
        expect(child.stdout()).toContain(`rmr1 view: ${root}`);
        const runs = await (await fetch(new URL("/api/runs", url))).json() as RunsResponse;
        expect(runs.runs.map((r) => r.id)).toContain(fixtureRuns.evalA);
        child.kill("SIGTERM");
        expect((await child.exited).code).toBe(0);
        expect(child.stderr()).toBe("");
    });
});
