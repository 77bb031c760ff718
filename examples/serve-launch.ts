// Job folders for training RM-R1 at the paper's scale with OpenRLHF and veRL, offline: writes both,
// shows the key settings, and runs the generated Python reward rule (veRL's compute_score) when a
// python3 is on this machine.
//   npx tsx examples/serve-launch.ts
// From the shell: `rmr1 launch verl --family instruct --size 14b --out job`.
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {rmR1Recipe, writeLaunch} from "../src/index.js";

const root = mkdtempSync(join(tmpdir(), "rmr1-example-launch-"));
const recipe = rmR1Recipe("instruct", "14b");
console.log(`instruct 14B: RL lr ${recipe.rlvr.learningRate}, distill lr ${recipe.distill?.learningRate}, ${recipe.rlvr.nodes} nodes, n=${recipe.rlvr.n}, batch ${recipe.rlvr.trainBatchSize}/${recipe.rlvr.miniBatchSize}`);

const openrlhf = writeLaunch("openrlhf", {family: "instruct", size: "14b", out: join(root, "openrlhf")});
console.log(`\nOpenRLHF: ${openrlhf.files.join(", ")}\nsteps:\n  ${openrlhf.steps.join("\n  ")}`);
const script = readFileSync(join(openrlhf.dir, "train_rlvr.sh"), "utf8");
console.log(script.split("\n").filter((l) => /remote_url|n_samples|adam.lr|kl\.|tensor_parallel/.test(l)).join("\n"));

const verl = writeLaunch("verl", {family: "deepseek", size: "7b", out: join(root, "verl"), data: join(root, "rl.parquet")});
console.log(`\nveRL: ${verl.files.join(", ")}`);
console.log(readFileSync(join(verl.dir, "train_rlvr.sh"), "utf8").split("\n").filter((l) => /custom_reward|rollout\.n=|optim\.lr/.test(l)).join("\n"));

// The reward rule, as veRL will call it.
const python = spawnSync("python3", ["-c", `
import importlib.util
spec = importlib.util.spec_from_file_location("r", "${join(verl.dir, "rmr1_reward.py")}")
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
for text, label in [("... <answer>[[A]]</answer>", "model_a"), ("... <answer>[[A]]</answer>", "model_b"), ("A is better", "model_a")]:
    print(repr(text), label, m.compute_score("gaotang/RM-R1-Reasoning-RLVR", text, label, {}))
`], {encoding: "utf8"});
console.log(python.error != null ? "\n(python3 not found: skipped the reward rule)" : `\ncompute_score (python3, local rule):\n${python.stdout}${python.stderr}`);
rmSync(root, {recursive: true, force: true});
