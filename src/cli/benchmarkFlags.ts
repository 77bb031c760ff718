// The benchmark flags of `rmr1 eval` and `rmr1 bench score`: which benchmark (required) and the
// scoring rules, read the same way in both. Each command words their help lines itself.
import {benchmarkNames} from "../bench/constants.js";
import {errorRules, rmBenchMappings} from "../bench/samples.js";
import type {ErrorRule, RmBenchMapping} from "../bench/samples.js";
import {InvalidInput} from "../errors.js";
import {oneOf} from "./args.js";
import type {FlagSpec, ParsedArgs} from "./args.js";

/** The values of `--benchmark`: one benchmark, or all of them. */
export const benchmarkChoices = [...benchmarkNames, "all"] as const;

/** `--benchmark NAME`, `--rules RULE`, `--rmbench-mapping M`. */
export const benchmarkFlags = {
    "benchmark": {type: "string"},
    "rules": {type: "string"},
    "rmbench-mapping": {type: "string"}
} as const satisfies FlagSpec;

/** `--benchmark` (required). */
export function benchmarkFrom(args: ParsedArgs): typeof benchmarkChoices[number] {
    const benchmark = oneOf(args, "benchmark", benchmarkChoices);
    if (benchmark == null) throw new InvalidInput(`--benchmark is required: ${benchmarkChoices.join(", ")}; see --help`, {field: "benchmark"});
    return benchmark;
}

/** `--rules` (default `r1`: a verdict error scores 0) and `--rmbench-mapping` (default `correct`). */
export function scoringFrom(args: ParsedArgs): {rules: ErrorRule, rmbenchMapping: RmBenchMapping} {
    return {
        rules: oneOf(args, "rules", errorRules, "r1"),
        rmbenchMapping: oneOf(args, "rmbench-mapping", rmBenchMappings, "correct")
    };
}
