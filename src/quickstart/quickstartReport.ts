// The quickstart's scores (`scores.json`) and report (`report.md`): held-out accuracy of every
// variant per family and level, in the layout of the paper's ablation table (one row per reward
// model, one column per category and their average), with the always-A baseline and format
// failures, the base model's own accuracy as a policy, and where the trained model lives.
import {relative} from "node:path";
import {formatDuration} from "../cli/ProgressBar.js";
import type {WorldLevel} from "../world/levels.js";
import type {PolicyAccuracyRow} from "../world/policyAccuracy.js";
import {worldAccuracy} from "../world/worldAccuracy.js";
import type {WorldAccuracyRow} from "../world/worldAccuracy.js";
import type {JudgedSample} from "./evaluateWorldJudge.js";

export type QuickstartVariant = "reasoning" | "sft" | "direct" | "scalar";

/** How the report names each variant, best last (the paper's ablation order). */
export const variantLabels: Record<QuickstartVariant | "alwaysA", string> = {
    alwaysA: "always answer A (baseline)",
    scalar: "scalar Bradley–Terry RM",
    direct: "direct generative RM (verdict only)",
    sft: "reasoning RM, distilled SFT only",
    reasoning: "reasoning RM, SFT + GRPO (RM-R1)"
};

/** Accuracy of one cell (fractions in [0, 1]). */
export interface CellScore {
    n: number;
    accuracy: number;
    /** Share of outputs without a parsable verdict. */
    formatFailures: number;
    ci95: [number, number];
}

/** One variant's scores: per family and their average, at each level and over all levels. */
export interface VariantScores {
    label: string;
    /** Per level (`1`, `2`, `3`) and `all`: `arith`, `lists`, and `average` (the mean of the two families). */
    levels: Record<string, {arith: CellScore | null, lists: CellScore | null, average: number | null}>;
    /** Every stratum (family × level × kind), as `worldAccuracyTable` rows. */
    rows: WorldAccuracyRow[];
}

/** `scores.json`. */
export interface QuickstartScores {
    /** The final reasoning reward model as a provider string (`native:<dir>`). */
    model: string;
    /** A command that judges pairs with it. */
    judgeCommand: string;
    budget: string;
    seed: number;
    /** Variants by key (`reasoning`, `sft`, `direct`, `scalar`, and the `alwaysA` baseline). */
    variants: Partial<Record<QuickstartVariant | "alwaysA", VariantScores>>;
    targets: {name: string, value: number | null, target: string, met: boolean | null}[];
    base: {dir: string, parameters: number, pretrainingSeconds: number | null, pretrainingSteps: number | null, policyAccuracy: PolicyAccuracyRow[] | null};
    distill: {kept: number, keptPass1: number, keptPass2: number, dropped: number};
    grpo: Record<string, unknown> | null;
    /** Seconds per stage (as first run) and their sum; `thisRunSeconds` is this process's wall time (a resume does less). */
    stageSeconds: Record<string, number>;
    totalSeconds: number;
    thisRunSeconds: number;
    testFile: string;
}

/** Inputs of `quickstartScores`. */
export interface QuickstartScoreInputs {
    out: string;
    budget: string;
    seed: number;
    samples: ReadonlyMap<QuickstartVariant, JudgedSample[]>;
    finalModelDir: string;
    testFile: string;
    base: QuickstartScores["base"];
    grpo: Record<string, unknown> | null;
    distill: QuickstartScores["distill"];
    stageSeconds: Record<string, number>;
    totalSeconds: number;
    thisRunSeconds: number;
}

/** Score every variant and the targets of issue 10. */
export function quickstartScores(inputs: QuickstartScoreInputs): QuickstartScores {
    const variants: QuickstartScores["variants"] = {};
    let anySamples: JudgedSample[] | null = null;
    for (const [key, samples] of inputs.samples) {
        variants[key] = scoreVariant(variantLabels[key], samples);
        anySamples ??= samples;
    }
    if (anySamples != null) variants.alwaysA = scoreVariant(variantLabels.alwaysA, anySamples.map((s) => ({...s, verdict: "A"})));
    const model = `native:${displayPath(inputs.finalModelDir)}`;
    const judgeCommand = `rmr1 judge --model ${model} --profile tiny --order random --input ${displayPath(inputs.testFile)} --output ${displayPath(inputs.out)}/judged.jsonl`;
    const l1 = (k: QuickstartVariant, f?: "arith" | "lists") => {
        const v = variants[k]?.levels["1"];
        return v == null ? null : f == null ? v.average : v[f]?.accuracy ?? null;
    };
    const diff = (a: number | null, b: number | null) => (a == null || b == null ? null : a - b);
    const targets = [
        {name: "SFT + GRPO, level-1 accuracy (average of arith and lists)", value: l1("reasoning"), target: "≥ 90%", ok: (v: number) => v >= 0.9},
        {name: "GRPO gain over SFT only, level 1", value: diff(l1("reasoning"), l1("sft")), target: "≥ +3 points", ok: (v: number) => v >= 0.03},
        {name: "reasoning RM over scalar RM on arith, level 1", value: diff(l1("reasoning", "arith"), l1("scalar", "arith")), target: "≥ +10 points", ok: (v: number) => v >= 0.1}
    ].map((t) => ({name: t.name, value: t.value, target: t.target, met: t.value == null ? null : t.ok(t.value)}));
    return {
        model, judgeCommand, budget: inputs.budget, seed: inputs.seed, variants, targets,
        base: inputs.base, distill: inputs.distill, grpo: inputs.grpo,
        stageSeconds: inputs.stageSeconds, totalSeconds: inputs.totalSeconds, thisRunSeconds: inputs.thisRunSeconds,
        testFile: displayPath(inputs.testFile)
    };
}

function scoreVariant(label: string, samples: readonly JudgedSample[]): VariantScores {
    const cell = (r: WorldAccuracyRow | undefined): CellScore | null => r == null ? null : {n: r.n, accuracy: r.accuracy, formatFailures: r.formatFailures, ci95: r.ci95};
    const levels: VariantScores["levels"] = {};
    const byLevel = worldAccuracy(samples, ["family", "level"]);
    const byFamily = worldAccuracy(samples, ["family"]);
    const put = (key: string, rows: WorldAccuracyRow[]) => {
        const arith = cell(rows.find((r) => r.family === "arith"));
        const lists = cell(rows.find((r) => r.family === "lists"));
        levels[key] = {arith, lists, average: arith != null && lists != null ? (arith.accuracy + lists.accuracy) / 2 : arith?.accuracy ?? lists?.accuracy ?? null};
    };
    for (const level of [1, 2, 3] as WorldLevel[]) {
        const rows = byLevel.filter((r) => r.level === level);
        if (rows.length > 0) put(String(level), rows);
    }
    put("all", byFamily);
    return {label, levels, rows: worldAccuracy(samples, ["family", "level", "kind"])};
}

const order: (QuickstartVariant | "alwaysA")[] = ["alwaysA", "scalar", "direct", "sft", "reasoning"];

/** `report.md`: the tables and what they mean. */
export function quickstartReport(s: QuickstartScores): string {
    const pct = (x: number | null | undefined) => (x == null ? "–" : (100 * x).toFixed(1));
    const rows = order.filter((k) => s.variants[k] != null).map((k) => [k, s.variants[k]!] as const);
    const levels = ["1", "2", "3"].filter((l) => rows.some(([, v]) => v.levels[l] != null));
    const lines: string[] = [];
    lines.push(`# rmr1 quickstart (${s.budget} budget, seed ${s.seed})`, "");
    lines.push("RM-R1 on a small reasoning-reward world, end to end on this CPU: a policy-pretrained base model, reasoning traces " +
        "distilled from a teacher (two passes), SFT, GRPO with the verifiable reward, and the baselines the paper compares against, " +
        "all from the same base and the same training pairs. Accuracy is on held-out pairs whose questions no model trained on, " +
        "with the better reply shown as A in exactly half of every stratum: **answering A every time scores 50%**.", "");
    const n1 = rows[0]?.[1].levels["1"];
    lines.push(`## Held-out accuracy, level 1 (the training distribution; ${n1?.arith?.n ?? 0} arith + ${n1?.lists?.n ?? 0} lists pairs)`, "");
    lines.push("| reward model | reasoning (arith) | chat (lists) | average | format failures |", "|---|---:|---:|---:|---:|");
    for (const [k, v] of rows) {
        const c = v.levels["1"];
        if (c == null) continue;
        const ff = k === "alwaysA" || k === "scalar" ? "–" : pct(((c.arith?.formatFailures ?? 0) * (c.arith?.n ?? 0) + (c.lists?.formatFailures ?? 0) * (c.lists?.n ?? 0)) / ((c.arith?.n ?? 0) + (c.lists?.n ?? 0) || 1));
        const bold = k === "reasoning" ? "**" : "";
        lines.push(`| ${bold}${v.label}${bold} | ${pct(c.arith?.accuracy)} | ${pct(c.lists?.accuracy)} | ${bold}${pct(c.average)}${bold} | ${ff} |`);
    }
    lines.push("", ...readingNotes(s), "");
    lines.push("## By level (levels 2 and 3 are harder than anything the judge was trained on)", "");
    lines.push(`| reward model | ${levels.map((l) => `L${l} arith | L${l} lists`).join(" | ")} | ${levels.map((l) => `L${l} avg`).join(" | ")} |`);
    lines.push(`|---|${levels.map(() => "---:|---:").join("|")}|${levels.map(() => "---:").join("|")}|`);
    for (const [, v] of rows) {
        lines.push(`| ${v.label} | ${levels.map((l) => `${pct(v.levels[l]?.arith?.accuracy)} | ${pct(v.levels[l]?.lists?.accuracy)}`).join(" | ")} | ${levels.map((l) => pct(v.levels[l]?.average)).join(" | ")} |`);
    }
    lines.push("");
    lines.push("## Targets (issue 10)", "", "| target | measured | goal | met |", "|---|---:|---|---|");
    for (const t of s.targets) {
        const value = t.value == null ? "–" : t.name.includes("over") || t.name.includes("gain") ? `${t.value >= 0 ? "+" : ""}${(100 * t.value).toFixed(1)} pts` : `${pct(t.value)}%`;
        lines.push(`| ${t.name} | ${value} | ${t.target} | ${t.met == null ? "–" : t.met ? "yes" : "**no**"} |`);
    }
    lines.push("");
    lines.push("## The base model", "");
    const b = s.base;
    lines.push(`\`${displayPath(b.dir)}\`: ${b.parameters.toLocaleString("en-US")} parameters, pretrained from scratch as a policy of the world ` +
        `(answering \`Compute …\` and \`List …\`, and checking given replies) for ${b.pretrainingSteps ?? "?"} steps, ` +
        `${b.pretrainingSeconds == null ? "unknown time" : formatDuration(b.pretrainingSeconds)} of CPU training — not counted in this run's time.`);
    if (b.policyAccuracy != null) {
        const get = (f: string, l: string | number) => b.policyAccuracy!.find((r) => r.family === f && String(r.level) === String(l));
        lines.push("", "Its own accuracy as a policy on held-out questions (exact answer to `Compute …`, greedy; valid list for `List …`, sampled):", "");
        lines.push("| | level 1 | level 2 | level 3 |", "|---|---:|---:|---:|");
        for (const f of ["arith", "lists"]) lines.push(`| ${f} | ${[1, 2, 3].map((l) => {
            const r = get(f, l);
            return r == null ? "–" : `${pct(r.accuracy)} (n=${r.n})`;
        }).join(" | ")} |`);
    }
    lines.push("");
    lines.push("## Run", "");
    lines.push(`Distillation: ${s.distill.kept} traces kept (${s.distill.keptPass1} right at pass 1, ${s.distill.keptPass2} fixed by pass 2, ${s.distill.dropped} dropped).`);
    if (s.grpo != null) {
        const g = s.grpo;
        lines.push(`GRPO: ${String(g.steps)} steps; dev accuracy ${pct(g.initialDevAccuracy as number)} at the start → best ${pct(g.bestDevAccuracy as number)} at step ${String(g.bestStep)} (kept as the final model); mean reward ${(g.firstReward as number).toFixed(2)} over the first steps → ${(g.lastReward as number).toFixed(2)} over the last.`);
    }
    lines.push(`Time per stage: ${Object.entries(s.stageSeconds).map(([k, v]) => `${k} ${formatDuration(v)}`).join(", ")}; total ${formatDuration(s.totalSeconds)}.`, "");
    lines.push("## Use the model", "");
    lines.push(`The final reasoning reward model: \`${s.model}\``, "", "```sh", s.judgeCommand, "```", "");
    lines.push("Every judged test pair, with the model's full output, is in `eval/<variant>.jsonl` next to this report; " +
        "training curves are in `sft/`, `grpo/`, `scalar/` and `direct/` (`metrics.jsonl`). See docs/quickstart.md.");
    return lines.join("\n") + "\n";
}

/**
 * What the level-1 table says, in sentences computed from it (for a reader new to RM-R1): where the
 * reasoning RM stands against the scalar RM on arith, and which family is near chance (within 10
 * points of 50%, about two standard errors on the fast budget's 60 pairs).
 */
export function readingNotes(s: QuickstartScores): string[] {
    const at = (k: QuickstartVariant | "alwaysA", f: "arith" | "lists") => s.variants[k]?.levels["1"]?.[f]?.accuracy ?? null;
    const p = (x: number) => `${(100 * x).toFixed(1)}%`;
    const notes: string[] = [];
    const final = s.variants.reasoning != null ? "reasoning" : s.variants.sft != null ? "sft" : null;
    if (final == null) return notes;
    const arith = at(final, "arith"), lists = at(final, "lists"), scalar = at("scalar", "arith");
    if (arith != null && scalar != null) {
        const d = 100 * (arith - scalar);
        notes.push(`How to read it: the reasoning RM first writes its own solution, then checks each reply's answer against it. On arith that is worth ${p(arith)} against ${p(scalar)} for the scalar RM, which must see whether a number is right in one forward pass (${d >= 0 ? "+" : ""}${d.toFixed(1)} points).`);
    }
    const near = (x: number | null) => x != null && Math.abs(x - 0.5) < 0.1;
    if (near(lists)) notes.push(`On lists it is near chance (${p(lists!)}): at this scale its list checks (count, case, separator, items) do not carry over from the base model into the judge's trace (docs/quickstart-notes.md).`);
    if (near(arith)) notes.push(`On arith it is near chance (${p(arith!)}): the judge has not learnt to solve and compare yet; a larger budget trains it longer.`);
    return notes;
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function displayPath(p: string): string {
    const r = relative(process.cwd(), p);
    return r !== "" && !r.startsWith("..") ? r : p;
}
