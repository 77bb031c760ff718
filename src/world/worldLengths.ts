// Sequence lengths of judge training examples, in byte-tokenizer tokens: the prompt rendered with a
// profile and the native chat template (`<|bos|>`, role tokens, `<|eos|>` after each message, the
// final `<|assistant|>`), and the teacher's trace plus its `<|eos|>`. Sequence length is what a
// small CPU model pays on every step (calibration 1: T 330 → 210 is worth ~1.6× per step).
import {ByteTokenizer} from "../native/tokenizer/ByteTokenizer.js";
import type {ProfileName} from "../protocol/profiles.js";
import {renderPair} from "../protocol/renderPair.js";
import {generateWorldPairs} from "./generateWorld.js";
import {worldFamilies, worldLevels} from "./levels.js";
import type {WorldFamily, WorldLevel} from "./levels.js";
import {WorldTeacher} from "./WorldTeacher.js";

export interface LengthStats {
    mean: number;
    p95: number;
    max: number;
}

export interface WorldLengthRow {
    family: WorldFamily;
    level: WorldLevel;
    n: number;
    prompt: LengthStats;
    trace: LengthStats;
    total: LengthStats;
}

export interface WorldLengthOptions {
    /** Pairs per family and level. Defaults to `1000`. */
    n?: number;
    /** Generator seed. Defaults to `0`. */
    seed?: number;
    /** Prompt profile. Defaults to `"tiny"`. */
    profile?: ProfileName;
}

/** Lengths per family and level, the pairs alternately rendered chosen-first and chosen-second. */
export async function measureWorldLengths(options: WorldLengthOptions = {}): Promise<WorldLengthRow[]> {
    const n = options.n ?? 1000;
    const tokenizer = new ByteTokenizer();
    const teacher = new WorldTeacher();
    const rows: WorldLengthRow[] = [];
    for (const family of worldFamilies) {
        for (const level of worldLevels) {
            const pairs = [...generateWorldPairs({n, seed: options.seed ?? 0, family, level})];
            const rendered = pairs.map((p, i) => renderPair(p, i % 2 === 0 ? "chosen-first" : "chosen-second", {profile: options.profile ?? "tiny"}));
            const results = await teacher.generate(rendered.map((r) => ({messages: r.messages})));
            const prompt = rendered.map((r) => tokenizer.applyChatTemplate(r.messages).length);
            const trace = results.map((r) => tokenizer.encode(r.completions[0].text).length + 1);
            rows.push({family, level, n: pairs.length, prompt: stats(prompt), trace: stats(trace), total: stats(prompt.map((p, i) => p + trace[i]))});
        }
    }
    return rows;
}

/** The rows as a Markdown table: mean / p95 / max tokens. */
export function formatWorldLengths(rows: readonly WorldLengthRow[]): string {
    const cell = (s: LengthStats) => `${s.mean.toFixed(0)} / ${s.p95} / ${s.max}`;
    const lines = ["| family | level | prompt mean / p95 / max | trace mean / p95 / max | total mean / p95 / max |", "|---|---|---|---|---|"];
    for (const r of rows) lines.push(`| ${r.family} | ${r.level} | ${cell(r.prompt)} | ${cell(r.trace)} | ${cell(r.total)} |`);
    return lines.join("\n") + "\n";
}

function stats(values: number[]): LengthStats {
    const sorted = [...values].sort((a, b) => a - b);
    const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
    return {mean, p95: sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)], max: sorted[sorted.length - 1]};
}
