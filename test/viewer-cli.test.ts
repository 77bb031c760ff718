// `rmr1 view` through the CLI: bad arguments give one line and exit 2; a real child process serves
// the runs on loopback, prints its URL, and stops cleanly on SIGTERM.
import {spawn} from "node:child_process";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {main} from "../src/cli/main.js";
import type {RunsResponse} from "../src/index.js";
import {fixtureRuns, writeViewerRuns} from "./fixtures/viewer/viewerRuns.js";

const root = mkdtempSync(join(tmpdir(), "rmr1-viewer-cli-"));
// The `rmr1` command from source (shared with the judge CLI tests).
const runner = new URL("./fixtures/judge/rmr1.ts", import.meta.url).pathname;

beforeAll(() => writeViewerRuns(root, {samples: 20}));
afterAll(() => rmSync(root, {recursive: true, force: true}));

async function run(argv: string[]): Promise<{code: number, stdout: string, stderr: string}> {
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
    try {
        return {code: await main(argv), stdout, stderr};
    } finally {
        out.mockRestore();
        err.mockRestore();
    }
}

describe("rmr1 view", () => {
    it("explains itself with --help", async () => {
        const r = await run(["view", "--help"]);
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
            const r = await run([...argv]);
            expect(r.code).toBe(2);
            expect(r.stderr).toMatch(message);
            expect(r.stderr.trim().split("\n")).toHaveLength(1);
        }
    });

    it("serves the runs on loopback, prints the URL, and stops on SIGTERM", async () => {
        const child = spawn(process.execPath, ["--import", "tsx", runner, "view", root, "--port", "0"], {stdio: ["ignore", "pipe", "pipe"]});
        let stdout = "";
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += String(d)));
        const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
        const url = await new Promise<string>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${stderr}`)), 30_000);
            child.stdout.on("data", (d) => {
                stdout += String(d);
                const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
                if (m != null) {
                    clearTimeout(timer);
                    resolve(m[1]);
                }
            });
        });
        expect(stdout).toContain(`rmr1 view: ${root}`);
        const runs = await (await fetch(new URL("/api/runs", url))).json() as RunsResponse;
        expect(runs.runs.map((r) => r.id)).toContain(fixtureRuns.evalA);
        child.kill("SIGTERM");
        expect(await exited).toBe(0);
        expect(stderr).toBe("");
    });
});
