// rmr1 checkpoints end to end, offline: initialise a native model, save it as a Hugging Face
// directory (model.safetensors + config.json + tokenizer.json + tokenizer_config.json + rmr1.json),
// load it back bit-exactly, export a GGUF for llama.cpp and inspect it.
//   npx tsx examples/checkpoint-roundtrip.ts [out-dir]
import {mkdtempSync, readdirSync, statSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {exportGguf, loadCheckpoint, readGguf, saveCheckpoint, validateGgufModel} from "../src/index.js";
import {KernelRuntime} from "../src/native/kernels/KernelRuntime.js";
import {modelPresets} from "../src/native/model/ModelConfig.js";
import {NativeModel} from "../src/native/model/NativeModel.js";

const out = process.argv[2] ?? mkdtempSync(join(tmpdir(), "rmr1-checkpoint-"));
const config = modelPresets.tiny;

// A freshly initialised model (seeded); a trainer would save after its steps in the same way.
const runtime = await KernelRuntime.create({threads: 1});
const model = await NativeModel.init(config, {seed: 1, runtime});
const dir = join(out, "step-0");
await saveCheckpoint(dir, {config, params: model.paramMap(), extra: {seed: 1, step: 0, note: "example"}}, {gguf: "f16"});
for (const name of readdirSync(dir).sort()) console.log(`${name.padEnd(24)} ${statSync(join(dir, name)).size} bytes`);

// Loading checks every tensor against config.json and returns the same bits.
const loaded = await loadCheckpoint(dir);
const same = [...model.paramMap()].every(([name, data]) => loaded.params.get(name)!.every((v, i) => v === data[i]));
console.log(`\nreloaded ${loaded.params.size} tensors, identical: ${same}; rmr1.json:`, loaded.meta);

// A separate F32 GGUF (F32 keeps llama.cpp's logits closest to the native model's).
const gguf = join(out, "model-f32.gguf");
await exportGguf(dir, gguf, {dtype: "f32", name: "rmr1-tiny-example"});
const info = readGguf(gguf);
console.log(`\n${gguf}: GGUF v${info.version}, ${info.tensors.length} tensors, ${info.metadata.size} metadata keys`, validateGgufModel(info));

console.log(`\nIn Python:  echo '{"tokens": [[256, 259, 72, 105]]}' | python3 test/fixtures/checkpoint/llama_ref.py ${dir}  (see docs/checkpoints.md)`);
console.log(`In llama.cpp:  llama-cli -m ${join(dir, "model.gguf")} --jinja -p "Hello" -n 32`);
model.dispose();
await runtime.close();
