// `rmr1 launch`: the generated job folders. Every OpenRLHF flag is checked against the flags the
// released OpenRLHF versions accept and every veRL override against veRL 0.7's config keys (lists
// extracted from their sources, test/fixtures/serve/README.md), the paper's numbers per family and
// size are checked in the scripts, the shell scripts parse with `bash -n`, and the generated Python
// reward rule gives the reference's reward on every golden case of the protocol layer.
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {InvalidInput} from "../src/errors.js";
import {modelFamilies, modelSizes, rmR1Recipe} from "../src/scale/rmR1Recipe.js";
import type {ModelFamily, ModelSize} from "../src/scale/rmR1Recipe.js";
import {launchFiles, writeLaunch} from "../src/scale/writeLaunch.js";
import type {OpenRlhfDialect} from "../src/scale/writeLaunch.js";
import {runCli} from "./helpers/runCli.js";

const fixtures = join(import.meta.dirname, "fixtures", "serve");
const flagSet = (file: string) => new Set(readFileSync(join(fixtures, file), "utf8").trim().split("\n"));
const knownFlags: Record<OpenRlhfDialect, {ppo: Set<string>, sft: Set<string>}> = {
    "0.10": {ppo: flagSet("openrlhf-v0.11.0-train_ppo_ray.flags"), sft: flagSet("openrlhf-v0.11.0-train_sft.flags")},
    "0.9": {ppo: flagSet("openrlhf-v0.9.10-train_ppo_ray.flags"), sft: flagSet("openrlhf-v0.9.10-train_sft.flags")}
};
const verlKeys = flagSet("verl-v0.7.0-ppo_trainer.keys");
const golden = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "protocol", "extractors.golden.json"), "utf8")) as {
    cases: {name: string, text: string, rl: {model_a: number, model_b: number}}[], rlRaisesOnLabels: string[]
};

/** `--flag v1 v2` entries of a generated command (one per continued line). */
function flagsOf(script: string): Map<string, string[]> {
    const flags = new Map<string, string[]>();
    for (const line of script.split("\n")) {
        const m = /^ {4}(--[a-z0-9_.]+)(.*?)( \\)?$/.exec(line);
        if (m != null) flags.set(m[1], m[2].trim() === "" ? [] : m[2].trim().split(/\s+/).map((v) => v.replace(/^"|"$/g, "")));
    }
    return flags;
}

/** `key=value` Hydra overrides of a generated veRL command. */
function overridesOf(script: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const line of script.split("\n")) {
        const m = /^ {4}["']?([a-z_][a-z0-9_.]*)=(.*?)["']?( \\)?$/.exec(line);
        if (m != null) out.set(m[1], m[2]);
    }
    return out;
}

const paperRlLr: Record<ModelFamily, Record<ModelSize, number>> = {instruct: {"7b": 1e-6, "14b": 7e-7, "32b": 5e-7}, deepseek: {"7b": 1e-6, "14b": 1e-6, "32b": 8e-7}};
const paperSftLr: Record<ModelSize, number> = {"7b": 5e-6, "14b": 3e-6, "32b": 2e-6};
const paperNodes: Record<ModelSize, number> = {"7b": 1, "14b": 2, "32b": 4};

function bashParses(text: string): void {
    const r = spawnSync("bash", ["-n"], {input: text, encoding: "utf8"});
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
}

describe("rmR1Recipe", () => {
    it("holds the paper's per-size constants (App. E, method doc §4.4)", () => {
        for (const family of modelFamilies) for (const size of modelSizes) {
            const r = rmR1Recipe(family, size);
            expect(r.rlvr.learningRate).toBe(paperRlLr[family][size]);
            expect(r.rlvr.nodes).toBe(paperNodes[size]);
            expect(r.rlvr).toMatchObject({trainBatchSize: 1024, miniBatchSize: 128, n: 7, temperature: 1, klLossCoef: 1e-3, klLossType: "low_var_kl", maxPromptLength: 4096, maxResponseLength: 8192, tensorParallel: 4, gpuMemoryUtilization: 0.4});
            if (family === "instruct") expect(r.distill?.learningRate).toBe(paperSftLr[size]);
            else expect(r.distill).toBeNull();
        }
        expect(() => rmR1Recipe("instruct", "70b" as ModelSize)).toThrow(InvalidInput);
    });
});

describe("OpenRLHF job folders", () => {
    for (const dialect of ["0.10", "0.9"] as const) {
        it(`use only flags OpenRLHF ${dialect === "0.10" ? "0.11.0" : "0.9.10"} accepts, with the paper's values (${dialect} dialect)`, () => {
            for (const family of modelFamilies) for (const size of modelSizes) {
                const {files} = launchFiles("openrlhf", {family, size, out: "/tmp/x", openrlhfVersion: dialect});
                const ppo = flagsOf(files["train_rlvr.sh"]);
                expect(ppo.size).toBeGreaterThan(40);
                for (const flag of ppo.keys()) expect(knownFlags[dialect].ppo, `${flag} (${family} ${size})`).toContain(flag);
                const f = (dotted: string, flat: string) => ppo.get(dialect === "0.10" ? dotted : flat);
                expect(Number(f("--actor.adam.lr", "--actor_learning_rate")![0])).toBe(paperRlLr[family][size]);
                expect(f("--rollout.n_samples_per_prompt", "--n_samples_per_prompt")).toEqual(["7"]);
                expect(f("--rollout.batch_size", "--rollout_batch_size")).toEqual(["1024"]);
                expect(f("--train.batch_size", "--train_batch_size")).toEqual(["896"]);
                expect(f("--rollout.temperature", "--temperature")).toEqual(["1"]);
                expect(f("--algo.kl.estimator", "--kl_estimator")).toEqual(["k3"]);
                expect(Number(f("--algo.kl.init_coef", "--init_kl_coef")![0])).toBe(0.001);
                expect(f("--algo.kl.use_loss", "--use_kl_loss")).toEqual([]);
                expect(f("--algo.advantage.estimator", "--advantage_estimator")).toEqual(["group_norm"]);
                expect(f("--vllm.tensor_parallel_size", "--vllm_tensor_parallel_size")).toEqual(["4"]);
                expect(f("--actor.num_nodes", "--actor_num_nodes")).toEqual([String(paperNodes[size])]);
                expect(f("--vllm.num_engines", "--vllm_num_engines")).toEqual([String(paperNodes[size] * 8 / 4)]);
                expect(f("--data.max_len", "--max_len")).toEqual(["12288"]);
                expect(f("--rollout.max_new_tokens", "--max_new_tokens")).toEqual(["8192"]);
                expect(f("--reward.remote_url", "--remote_rm_url")).toEqual(["$RMR1_REWARD_URL"]);
                expect(f("--data.label_key", "--label_key")).toEqual(["winner"]);
                bashParses(files["train_rlvr.sh"]);
                bashParses(files["serve_reward.sh"]);
                if (family === "instruct") {
                    const sft = flagsOf(files["train_distill.sh"]);
                    for (const flag of sft.keys()) expect(knownFlags[dialect].sft, `${flag} (sft ${size})`).toContain(flag);
                    expect(Number((sft.get(dialect === "0.10" ? "--adam.lr" : "--learning_rate"))![0])).toBe(paperSftLr[size]);
                    expect(sft.get(dialect === "0.10" ? "--data.max_len" : "--max_len")).toEqual(["12288"]);
                    expect(sft.get(dialect === "0.10" ? "--data.output_key" : "--output_key")).toEqual(["winner"]);
                    expect(sft.get(dialect === "0.10" ? "--train.batch_size" : "--train_batch_size")).toEqual(["128"]);
                    bashParses(files["train_distill.sh"]);
                } else {
                    expect(files["train_distill.sh"]).toBeUndefined();
                }
            }
        });
    }

    it("points the RL job at the distilled checkpoint (instruct) or the DeepSeek model (deepseek)", () => {
        const instruct = launchFiles("openrlhf", {family: "instruct", size: "7b", out: "/tmp/job"}).files;
        expect(instruct["train_rlvr.sh"]).toContain("MODEL=\"${MODEL:-/tmp/job/checkpoints/rm-r1-instruct-7b-distill}\"");
        expect(instruct["train_distill.sh"]).toContain("SFT_DIR=\"${SFT_DIR:-/tmp/job/checkpoints/rm-r1-instruct-7b-distill}\"");
        const deepseek = launchFiles("openrlhf", {family: "deepseek", size: "32b", out: "/tmp/job"}).files;
        expect(deepseek["train_rlvr.sh"]).toContain("MODEL=\"${MODEL:-deepseek-ai/DeepSeek-R1-Distill-Qwen-32B}\"");
        expect(deepseek["train_rlvr.sh"]).toContain("DATA=\"${DATA:-gaotang/RM-R1-Reasoning-RLVR}\"");
    });

    it("wires the reward through the Python module when the server needs a token", () => {
        const {files} = launchFiles("openrlhf", {family: "deepseek", size: "7b", out: "/tmp/job", reward: "server", rewardUrl: "http://head:5000/get_reward"});
        expect(flagsOf(files["train_rlvr.sh"]).get("--reward.remote_url")).toEqual(["rmr1_reward.py"]);
        expect(files["rmr1_reward.py"]).toContain("DEFAULT_URL = \"http://head:5000/get_reward\"");
        expect(files["rmr1_reward.py"]).toContain("DEFAULT_MODE = \"server\"");
        expect(files["serve_reward.sh"]).toContain("--host \"$RMR1_HOST\"");
        bashParses(files["serve_reward.sh"]);
    });
});

describe("veRL job folders", () => {
    it("use only veRL 0.7 config keys, with the paper's values", () => {
        for (const family of modelFamilies) for (const size of modelSizes) {
            const {files} = launchFiles("verl", {family, size, out: "/tmp/x", data: "/data/rl.parquet"});
            const o = overridesOf(files["train_rlvr.sh"]);
            expect(o.size).toBeGreaterThan(50);
            for (const key of o.keys()) expect(verlKeys, key).toContain(key);
            expect(Number(o.get("actor_rollout_ref.actor.optim.lr"))).toBe(paperRlLr[family][size]);
            expect(o.get("algorithm.adv_estimator")).toBe("grpo");
            expect(o.get("data.train_batch_size")).toBe("1024");
            expect(o.get("actor_rollout_ref.actor.ppo_mini_batch_size")).toBe("128");
            expect(o.get("actor_rollout_ref.rollout.n")).toBe("7");
            expect(o.get("actor_rollout_ref.rollout.temperature")).toBe("1");
            expect(o.get("actor_rollout_ref.actor.kl_loss_type")).toBe("low_var_kl");
            expect(Number(o.get("actor_rollout_ref.actor.kl_loss_coef"))).toBe(0.001);
            expect(o.get("data.max_prompt_length")).toBe("4096");
            expect(o.get("data.max_response_length")).toBe("8192");
            expect(o.get("actor_rollout_ref.rollout.tensor_model_parallel_size")).toBe("4");
            expect(o.get("trainer.nnodes")).toBe(String(paperNodes[size]));
            expect(o.get("custom_reward_function.path")).toBe("rmr1_reward.py");
            expect(o.get("custom_reward_function.name")).toBe("compute_score");
            expect(o.get("data.train_files")).toBe("$DATA");
            expect(files["train_rlvr.sh"]).toContain("DATA=\"${DATA:-/data/rl.parquet}\"");
            bashParses(files["train_rlvr.sh"]);
            const compiled = spawnSync("/usr/bin/python3", ["-c", "import sys; compile(sys.stdin.read(), 'rmr1_reward.py', 'exec')"], {input: files["rmr1_reward.py"], encoding: "utf8"});
            expect(compiled.stderr).toBe("");
        }
    });

    it("refuses what veRL cannot use", () => {
        expect(() => launchFiles("verl", {family: "instruct", size: "7b", out: "/tmp/x", data: "rows.jsonl"})).toThrow(/parquet/);
        expect(() => launchFiles("verl", {family: "instruct", size: "7b", out: "/tmp/x", reward: "server-url"})).toThrow(/Python reward function/);
        expect(() => launchFiles("openrlhf", {family: "instruct", size: "7b", out: "/tmp/x", nodes: 0})).toThrow(InvalidInput);
        expect(() => launchFiles("openrlhf", {family: "instruct", size: "7b", out: "/tmp/x", rewardUrl: "not a url"})).toThrow(InvalidInput);
    });
});

describe("the generated reward rule (Python, /usr/bin/python3)", () => {
    it("gives the reference reward on every golden case, and raises on bad labels", () => {
        const dir = mkdtempSync(join(tmpdir(), "rmr1-launch-rule-"));
        const {files} = launchFiles("verl", {family: "instruct", size: "7b", out: dir});
        const module = join(dir, "rmr1_reward.py");
        writeFileSync(module, files["rmr1_reward.py"]);
        const calls: {fn: string, args: unknown[]}[] = golden.cases.flatMap((c) => (["model_a", "model_b"] as const).map((label) => ({fn: "compute_score", args: ["gaotang/x", c.text, label, {index: 0}]})));
        calls.push(...golden.rlRaisesOnLabels.map((label) => ({fn: "compute_score", args: ["d", "<answer>[[A]]</answer>", label, null]})));
        calls.push({fn: "compute_score_batched", args: [golden.cases.map(() => "d"), golden.cases.map((c) => c.text), golden.cases.map(() => "model_a"), null]});
        const r = spawnSync("/usr/bin/python3", [join(fixtures, "call_reward_module.py"), module], {input: JSON.stringify(calls), encoding: "utf8", env: {...process.env, RMR1_REWARD_MODE: "local"}});
        expect(r.stderr).toBe("");
        const out = JSON.parse(r.stdout) as {ok?: unknown, error?: string}[];
        const expected = golden.cases.flatMap((c) => [c.rl.model_a, c.rl.model_b]);
        expect(out.slice(0, expected.length).map((o) => o.ok)).toEqual(expected);
        const raised = out.slice(expected.length, expected.length + golden.rlRaisesOnLabels.length);
        expect(raised.map((o) => o.error)).toEqual(golden.rlRaisesOnLabels.map(() => "NotImplementedError"));
        expect(out.at(-1)!.ok).toEqual(golden.cases.map((c) => c.rl.model_a));
    });
});

describe("rmr1 launch (CLI)", () => {
    it("writes the folder and prints the next steps; a missing flag is one clear line and exit 2", async () => {
        const dir = mkdtempSync(join(tmpdir(), "rmr1-launch-cli-"));
        const written = await runCli(["launch", "verl", "--family", "deepseek", "--size", "14b", "--out", dir, "--nodes", "3"]);
        const noFamily = await runCli(["launch", "verl", "--size", "14b", "--out", dir]);
        const badTrainer = await runCli(["launch", "slurm", "--family", "instruct", "--size", "7b"]);
        expect([written.code, noFamily.code, badTrainer.code]).toEqual([0, 2, 2]);
        expect(written.stdout).toContain("bash train_rlvr.sh");
        expect(noFamily.stderr).toMatch(/--family is required/);
        expect(badTrainer.stderr).toMatch(/name the trainer/);
        const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
        expect(config).toMatchObject({trainer: "verl", family: "deepseek", size: "14b", nodes: 3});
        expect(readFileSync(join(dir, "train_rlvr.sh"), "utf8")).toContain("trainer.nnodes=3");
        expect(writeLaunch("openrlhf", {family: "instruct", size: "7b", out: dir}).files).toContain("train_distill.sh");
    });
});
