// End-to-end tests of `rmr1 prompt` and `rmr1 parse`, run through the CLI entry point `main()` with
// stdout/stderr captured (the same code path as the `rmr1` bin, without a subprocess).
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {parseCor, renderPair} from "../src/index.js";
import type {PreferencePair} from "../src/index.js";
import {runCli} from "./helpers/runCli.js";

const dir = mkdtempSync(join(tmpdir(), "rmr1-protocol-cli-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

function file(name: string, content: string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
}

const golden = JSON.parse(readFileSync(new URL("./fixtures/protocol/render.golden.json", import.meta.url), "utf8")) as {
    name: string, pair: PreferencePair, order: string, profile: string, quirks?: string, expected: {messages?: unknown}
}[];

describe("rmr1 prompt", () => {
    it("prints the golden messages for every golden pair", async () => {
        for (const c of golden.filter((g) => g.expected.messages != null)) {
            const argv = ["prompt", "--profile", c.profile, "--pair", file(`${c.name}.json`, JSON.stringify(c.pair)), "--order", c.order];
            if (c.quirks != null) argv.push("--quirks", c.quirks);
            const r = await runCli(argv);
            expect(r.code, c.name).toBe(0);
            expect(JSON.parse(r.stdout), c.name).toEqual({messages: c.expected.messages});
        }
    });

    it("reads the pair from stdin and defaults to rm-r1-instruct, chosen-first", async () => {
        const pair: PreferencePair = {prompt: [{role: "user", content: "Q $&"}], chosen: [{role: "assistant", content: "yes"}], rejected: [{role: "assistant", content: "no"}]};
        const r = await runCli(["prompt", "--pair", "-"], JSON.stringify(pair));
        expect(r.code).toBe(0);
        expect(JSON.parse(r.stdout)).toEqual({messages: renderPair(pair, "chosen-first").messages});
    });

    it("turns bad input into one line naming the field and exit code 2", async () => {
        const cases: [string[], RegExp][] = [
            [["prompt", "--pair", file("bad.json", "{\"chosen\": [")], /--pair .*not valid JSON/],
            [["prompt", "--pair", file("nochosen.json", JSON.stringify({rejected: [{role: "assistant", content: "x"}]}))], /'chosen' is missing/],
            [["prompt", "--pair", file("role.json", JSON.stringify({chosen: [{role: "user", content: "q"}, {role: "bot", content: "x"}], rejected: [{role: "user", content: "q"}, {role: "assistant", content: "y"}]}))], /'chosen\[1\]\.role'/],
            [["prompt", "--pair", file("sys.json", JSON.stringify({prompt: [{role: "system", content: "s"}, {role: "user", content: "q"}], chosen: [{role: "assistant", content: "x"}], rejected: [{role: "assistant", content: "y"}]}))], /'prompt\[0\]\.role' is 'system'/],
            [["prompt", "--profile", "gpt4", "--pair", file("ok.json", JSON.stringify({chosen: [{role: "user", content: "q"}, {role: "assistant", content: "x"}], rejected: [{role: "user", content: "q"}, {role: "assistant", content: "y"}]}))], /--profile must be one of rm-r1-instruct, rm-r1-reasoning, tiny/],
            [["prompt", "--pair", join(dir, "ok.json"), "--order", "first"], /--order must be one of/],
            [["prompt", "--pair", join(dir, "ok.json"), "--quirks", "all"], /--quirks must be one of reference/],
            [["prompt"], /--pair is required/],
            [["prompt", "--pair", join(dir, "missing.json")], /no such file/]
        ];
        for (const [argv, message] of cases) {
            const r = await runCli(argv);
            expect(r.code, argv.join(" ")).toBe(2);
            expect(r.stdout).toBe("");
            expect(r.stderr).toMatch(message);
            expect(r.stderr.trim().split("\n")).toHaveLength(1);
        }
    });
});

describe("rmr1 parse", () => {
    const output = "<type>Reasoning</type>\n<solution>4</solution>\n<eval><quote_A>4</quote_A> vs <quote_B>5</quote_B></eval>\n<answer>[[A]]</answer><|im_end|>";
    const path = file("output.txt", output);

    it("prints each extractor's result", async () => {
        expect((await runCli(["parse", "--extractor", "rl", "--label", "model_a", path])).stdout).toBe("{\"reward\":1}\n");
        expect((await runCli(["parse", "--extractor", "rl", "--label", "model_b", path])).stdout).toBe("{\"reward\":-1}\n");
        expect((await runCli(["parse", "--extractor", "eval", path])).stdout).toBe("{\"verdict\":\"A\"}\n");
        expect((await runCli(["parse", "--extractor", "distill", "--label", "model_b", path])).stdout).toBe("{\"correct\":false}\n");
        expect(JSON.parse((await runCli(["parse", "--extractor", "cor", path])).stdout)).toEqual(parseCor(output));
        expect((await runCli(["parse", "--extractor", "eval"], "[[A]] and [[B]]")).stdout).toBe("{\"verdict\":\"error\"}\n");
        expect((await runCli(["parse", "--extractor", "rl", "--label", "model_b", "-"], "<answer>[[B]]</answer>")).stdout).toBe("{\"reward\":1}\n");
    });

    it("--jsonl gives one result line per input line, a line's label overriding --label", async () => {
        const lines = [
            {text: "<answer>[[A]]</answer>", label: "model_a"},
            {text: "<answer>[[A]]</answer>", label: "model_b"},
            {text: "<answer>[[B]]</answer>"},
            // 58 astral characters: 80 code points (Python's slice) but 138 UTF-16 units.
            {text: "<answer>[[A]]</answer>" + "😀".repeat(58), label: "model_a"}
        ].map((l) => JSON.stringify(l)).join("\n") + "\n";
        const r = await runCli(["parse", "--extractor", "rl", "--label", "model_b", "--jsonl", file("in.jsonl", lines)]);
        expect(r.code).toBe(0);
        expect(r.stdout).toBe("{\"reward\":1}\n{\"reward\":-1}\n{\"reward\":1}\n{\"reward\":1}\n");
        const fromStdin = await runCli(["parse", "--extractor", "eval", "--jsonl"], lines);
        expect(fromStdin.stdout.trim().split("\n").map((l) => JSON.parse(l).verdict)).toEqual(["A", "A", "B", "A"]);
    });

    it("turns bad input into one line naming the field and exit code 2", async () => {
        const cases: [string[], string | undefined, RegExp][] = [
            [["parse", "--extractor", "rl", path], undefined, /--label is required for the rl extractor/],
            [["parse", "--extractor", "distill", "--label", "A", path], undefined, /--label must be one of model_a, model_b/],
            [["parse", "--extractor", "bleu", path], undefined, /--extractor must be one of rl, eval, distill, cor/],
            [["parse", path], undefined, /--extractor is required/],
            [["parse", "--extractor", "rl", "--jsonl", file("nolabel.jsonl", "{\"text\":\"x\"}\n")], undefined, /nolabel\.jsonl:1: 'label' is missing/],
            [["parse", "--extractor", "rl", "--jsonl", file("badlabel.jsonl", "{\"text\":\"x\",\"label\":\"model_a\"}\n{\"text\":\"x\",\"label\":\"B\"}\n")], undefined, /badlabel\.jsonl:2: 'label' must be model_a or model_b/],
            [["parse", "--extractor", "eval", "--jsonl", file("notext.jsonl", "{\"output\":\"x\"}\n")], undefined, /notext\.jsonl:1: 'text' must be a string/],
            [["parse", "--extractor", "eval", "--jsonl", "-"], "{\"text\": \n", /-:1: line is not valid JSON/],
            [["parse", "--extractor", "eval", join(dir, "nothing.txt")], undefined, /no such file/]
        ];
        for (const [argv, stdin, message] of cases) {
            const r = await runCli(argv, stdin);
            expect(r.code, argv.join(" ")).toBe(2);
            expect(r.stderr).toMatch(message);
            expect(r.stderr.trim().split("\n")).toHaveLength(1);
        }
    });

    it("prints usage with --help", async () => {
        const r = await runCli(["parse", "--help"]);
        expect(r.code).toBe(0);
        expect(r.stdout).toContain("--extractor rl|eval|distill|cor");
    });
});
