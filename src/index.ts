// The public API of rmr1: `import {...} from "rmr1"`. Every capability is exported from here;
// the CLI (src/cli/) is a thin layer over these exports.

export * from "./errors.js";
export * from "./protocol/types.js";
export * from "./protocol/rng.js";
export * from "./engines/Engine.js";
export * from "./data/jsonl.js";
export * from "./data/RunDir.js";
