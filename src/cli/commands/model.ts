// `rmr1 model init` and `rmr1 model info`: create a seeded native model checkpoint, and describe one.
import {existsSync, readdirSync, statSync} from "node:fs";
import {join} from "node:path";
import {InvalidInput} from "../../errors.js";
import {loadCheckpoint} from "../../native/checkpoint/loadCheckpoint.js";
import {saveCheckpoint} from "../../native/checkpoint/saveCheckpoint.js";
import {initParams} from "../../native/model/initParams.js";
import {paramCount, paramSpecs} from "../../native/model/ModelConfig.js";
import {resolveModelConfig} from "../../native/model/resolveModelConfig.js";
import {createHash} from "node:crypto";
import {bool, int, oneOf, parseFlags, req} from "../args.js";
import type {Command} from "../Command.js";

export const modelInitCommand: Command = {
    name: "model init",
    summary: "create a freshly initialised native model checkpoint (tiny, small or a config file)",
    usage: `Usage: rmr1 model init --config tiny|small|FILE --out DIR [--seed S] [--gguf f32|f16] [--force]

Writes a seeded, untrained Llama-style model as an rmr1 checkpoint directory: model.safetensors,
config.json, tokenizer.json, tokenizer_config.json, rmr1.json (and model.gguf with --gguf).
Weights are N(0, 0.02), residual output projections scaled by 1/sqrt(2·layers), norms 1; the
same seed always gives the same bits.

Options:
  --config C     a preset (tiny: d128/4 layers, 0.87M parameters; small: d256/6 layers, 4.8M),
                 a Hugging Face config.json, or a JSON file of ModelConfig fields, optionally
                 {"preset": "tiny", ...overrides}
  --out DIR      checkpoint directory to create
  --seed S       initialisation seed (default 0)
  --gguf DTYPE   also write model.gguf for llama.cpp / node-llama-cpp (f32 or f16)
  --force        replace DIR if it already exists
`,
    async run(argv) {
        const args = parseFlags(argv, {config: {type: "string"}, out: {type: "string"}, seed: {type: "string"}, gguf: {type: "string"}, force: {type: "boolean"}}, {allowPositionals: false});
        const config = resolveModelConfig(req(args, "config"));
        const out = req(args, "out");
        const seed = int(args, "seed", 0, 0, 2 ** 32 - 1);
        const gguf = oneOf(args, "gguf", ["f32", "f16"] as const);
        if (existsSync(out) && !bool(args, "force") && (!statSync(out).isDirectory() || readdirSync(out).length > 0))
            throw new InvalidInput(`--out ${out} already exists; choose another directory or pass --force to replace it`, {field: "out"});
        await saveCheckpoint(out, {config, params: initParams(config, seed), extra: {seed, step: 0, init: "normal(0, 0.02); o_proj, down_proj / sqrt(2 * layers); norms 1"}}, {gguf: gguf ?? false});
        process.stdout.write(`wrote ${out}: ${paramCount(config).toLocaleString("en-US")} parameters (d${config.dModel}, ${config.nLayers} layers, ${config.nHeads} heads), seed ${seed}\n`);
        return 0;
    }
};

export const modelInfoCommand: Command = {
    name: "model info",
    summary: "describe a native model checkpoint: config, parameters, provenance, files",
    usage: `Usage: rmr1 model info DIR [--tensors] [--json]

Reads a checkpoint directory (rmr1's, or any Hugging Face Llama directory with the byte tokenizer)
and prints its architecture, parameter count, rmr1 metadata (seed, step, provenance), the SHA-256 of
its weights and the files present.

Options:
  --tensors      also list every tensor with its shape
  --json         print everything as JSON
`,
    async run(argv) {
        const args = parseFlags(argv, {tensors: {type: "boolean"}, json: {type: "boolean"}});
        if (args.positionals.length !== 1) throw new InvalidInput("give exactly one checkpoint directory; see --help", {field: "DIR"});
        const dir = args.positionals[0];
        const {config, params, meta} = await loadCheckpoint(dir);
        const hash = createHash("sha256");
        for (const s of paramSpecs(config)) {
            const t = params.get(s.name)!;
            hash.update(Buffer.from(t.buffer, t.byteOffset, t.byteLength));
        }
        const info = {
            dir,
            config,
            parameters: paramCount(config),
            weightsSha256: hash.digest("hex"),
            meta,
            files: readdirSync(dir).sort().map((f) => ({name: f, bytes: statSync(join(dir, f)).size})),
            tensors: bool(args, "tensors") ? paramSpecs(config).map((s) => ({name: s.name, shape: s.shape})) : undefined
        };
        if (bool(args, "json")) {
            process.stdout.write(JSON.stringify(info, null, 2) + "\n");
            return 0;
        }
        const c = config;
        const lines = [
            `checkpoint  ${dir}`,
            `model       Llama decoder: d${c.dModel}, ${c.nLayers} layers, ${c.nHeads} heads (${c.nKvHeads} kv), FF ${c.dFF}, vocab ${c.vocabSize}, max ${c.maxSeqLen} tokens, ${c.tiedEmbeddings ? "tied" : "untied"} head`,
            `            RoPE θ ${c.ropeTheta}, RMSNorm eps ${c.rmsNormEps}`,
            `parameters  ${info.parameters.toLocaleString("en-US")}`,
            `weights     sha256 ${info.weightsSha256}`
        ];
        for (const [k, v] of Object.entries(meta)) lines.push(`${k.padEnd(11)} ${typeof v === "string" ? v : JSON.stringify(v)}`);
        lines.push("files");
        for (const f of info.files) lines.push(`  ${f.name.padEnd(24)} ${f.bytes.toLocaleString("en-US").padStart(14)} bytes`);
        if (info.tensors != null) {
            lines.push("tensors");
            for (const t of info.tensors) lines.push(`  ${t.name.padEnd(48)} [${t.shape.join(", ")}]`);
        }
        process.stdout.write(lines.join("\n") + "\n");
        return 0;
    }
};
