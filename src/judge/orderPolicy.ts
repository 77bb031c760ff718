// Order policies: where the two replies of a pair are shown (Chatbot A or B) when a judge reads them.
// Judges prefer one position more often than chance (position bias), so the order is a choice that
// changes results and must be recorded. `random` is the reference protocol (method doc §2.4: one
// coin flip per item, chosen in B when it comes up), seeded here so reruns make the same choices.
import {InvalidInput} from "../errors.js";
import {keyedUniform} from "../protocol/rng.js";
import type {Position} from "../protocol/types.js";

/**
 * - `random`: one order per item from `keyedUniform(seed, id)`: the reference protocol, one call per sample.
 * - `fixed`: the chosen (or first) reply always in A: cheapest to reason about, fully exposed to position bias.
 * - `both`: judge both orders; agreement gives the verdict, disagreement a tie (or a fallback). Twice the cost.
 */
export type OrderPolicy = "random" | "fixed" | "both";

/** Every order policy, in the order `--help` lists them. */
export const orderPolicies: readonly OrderPolicy[] = ["random", "fixed", "both"];

export function isOrderPolicy(s: string): s is OrderPolicy {
    return (orderPolicies as readonly string[]).includes(s);
}

/** What `both` does when the two orders prefer different replies. */
export type TieFallback = "tie" | "first-order" | "error";

export const tieFallbacks: readonly TieFallback[] = ["tie", "first-order", "error"];

/**
 * Where the chosen reply (or, for an unlabelled pair, the first candidate) sits in each judge call
 * for item `key`. `random` gives one position, `fixed` `["A"]`, `both` the random position then the
 * other one, so that `both` with the `first-order` fallback agrees with `random` and shares its cache.
 * The coin depends only on the seed and the key, never on what came before, so a resumed or
 * re-ordered job makes the same choices.
 */
export function passPositions(policy: OrderPolicy, seed: number, key: string): Position[] {
    switch (policy) {
        case "fixed":
            return ["A"];
        case "random":
            return [randomPosition(seed, key)];
        case "both": {
            const first = randomPosition(seed, key);
            return [first, first === "A" ? "B" : "A"];
        }
        default:
            throw new InvalidInput(`unknown order policy '${String(policy)}'; use one of ${orderPolicies.join(", ")}`, {field: "order"});
    }
}

/** The reference's coin (`np.random.rand() > 0.5` puts chosen in B), keyed on the item instead of a global stream. */
function randomPosition(seed: number, key: string): Position {
    return keyedUniform(seed, key) > 0.5 ? "B" : "A";
}
