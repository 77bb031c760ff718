// `--config tiny|small|FILE`: a model config from a preset name or a JSON file. The file is either
// a Hugging Face Llama `config.json` (recognised by `hidden_size`) or rmr1's `ModelConfig` fields,
// optionally starting from a preset: {"preset": "tiny", "dModel": 192, "nHeads": 6}.
import {readFileSync} from "node:fs";
import {InvalidInput, NotFound} from "../../errors.js";
import {fromHfConfig} from "../checkpoint/hfConfig.js";
import {modelPresets, validateConfig} from "./ModelConfig.js";
import type {ModelConfig} from "./ModelConfig.js";

const fields: readonly (keyof ModelConfig)[] = ["vocabSize", "dModel", "nLayers", "nHeads", "nKvHeads", "dFF", "maxSeqLen", "ropeTheta", "rmsNormEps", "tiedEmbeddings"];

/** The config named by a preset (`tiny`, `small`) or stored in a JSON file; `InvalidInput` names the bad field. */
export function resolveModelConfig(spec: string): ModelConfig {
    const preset = modelPresets[spec];
    if (preset != null) return {...preset};
    if (!spec.endsWith(".json"))
        throw new InvalidInput(`unknown model config '${spec}': use a preset (${Object.keys(modelPresets).join(", ")}) or a .json file`, {field: "config"});
    let json: unknown;
    try {
        json = JSON.parse(readFileSync(spec, "utf8"));
    } catch (e) {
        if ((e as {code?: string}).code === "ENOENT") throw new NotFound(`model config file ${spec} does not exist`);
        throw new InvalidInput(`not valid JSON (${(e as Error).message})`, {location: spec});
    }
    if (json == null || typeof json !== "object" || Array.isArray(json)) throw new InvalidInput("a model config must be a JSON object", {location: spec});
    const obj = json as Record<string, unknown>;
    if ("hidden_size" in obj) return fromHfConfig(obj, spec);
    let base: Partial<ModelConfig> = {};
    if (obj.preset != null) {
        const p = typeof obj.preset === "string" ? modelPresets[obj.preset] : undefined;
        if (p == null) throw new InvalidInput(`'preset' must be one of ${Object.keys(modelPresets).join(", ")}, got ${JSON.stringify(obj.preset)}`, {location: spec, field: "preset"});
        base = p;
    }
    for (const key of Object.keys(obj)) {
        if (key !== "preset" && !(fields as readonly string[]).includes(key))
            throw new InvalidInput(`unknown field '${key}'; a model config has ${fields.join(", ")} (and optionally 'preset')`, {location: spec, field: key});
    }
    const config = {...base} as Record<string, unknown>;
    for (const key of fields) if (key in obj) config[key] = obj[key];
    for (const key of fields) {
        if (config[key] === undefined) throw new InvalidInput(`field '${key}' is missing (or start from a preset with "preset": "tiny")`, {location: spec, field: key});
    }
    try {
        validateConfig(config as unknown as ModelConfig);
    } catch (e) {
        if (e instanceof InvalidInput) throw new InvalidInput(e.message.replace(/^model config: /, ""), {location: spec, field: e.field});
        throw e;
    }
    return config as unknown as ModelConfig;
}
