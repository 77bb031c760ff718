// Sequence lengths of the world's judge examples in byte-tokenizer tokens (prompt rendered with the
// tiny profile and the native chat template; trace from the teacher plus <|eos|>), per family and
// level: what a small CPU model pays per training example. The table in docs/world.md comes from here.
//   npx tsx examples/world-lengths.ts [n-per-cell]
import {formatWorldLengths, measureWorldLengths} from "../src/index.js";

const n = Number(process.argv[2] ?? 1000);
console.log(`tiny profile, ${n} pairs per cell, tokens mean / p95 / max:\n`);
console.log(formatWorldLengths(await measureWorldLengths({n, seed: 0, profile: "tiny"})));
