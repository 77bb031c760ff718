// The one check every writer of model weights runs first: the parameter map matches the config.
import {InvalidInput} from "../../errors.js";
import {paramSpecs, type ModelConfig} from "../model/ModelConfig.js";
import {byteVocabSize} from "../tokenizer/ByteTokenizer.js";

/** Check that `params` holds exactly the tensors of `paramSpecs(config)`, each of the right size. */
export function checkParams(config: ModelConfig, params: Map<string, Float32Array>): void {
    if (config.vocabSize < byteVocabSize)
        throw new InvalidInput(`model config: 'vocabSize' is ${config.vocabSize} but the byte tokenizer needs at least ${byteVocabSize}`, {field: "vocabSize"});
    const specs = paramSpecs(config);
    for (const spec of specs) {
        const data = params.get(spec.name);
        const size = spec.shape.reduce((a, b) => a * b, 1);
        if (data == null) throw new InvalidInput(`parameter '${spec.name}' is missing`, {field: spec.name});
        if (!(data instanceof Float32Array)) throw new InvalidInput(`parameter '${spec.name}' must be a Float32Array`, {field: spec.name});
        if (data.length !== size)
            throw new InvalidInput(`parameter '${spec.name}' has ${data.length} values but shape ${JSON.stringify(spec.shape)} needs ${size}`, {field: spec.name});
    }
    const known = new Set(specs.map((s) => s.name));
    const extra = [...params.keys()].filter((name) => !known.has(name));
    if (extra.length > 0)
        throw new InvalidInput(`parameters not in the model config: ${extra.slice(0, 5).join(", ")}${extra.length > 5 ? ", ..." : ""}`, {field: extra[0]});
}
