// report.md: a run's numbers beside the published RM-R1 and baseline rows in the paper's layout
// (Table 1 overall, Tables 6–8 per benchmark), the per-subset / per-domain / per-scenario tables
// beside the released 32B harness outputs, and plain statements of every way the run differs from
// the published setting (partial data, error rule, RM-Bench mapping, order policy).
import {parseRmbCategoryPath, rewardBenchSectionNames, rewardBenchSections, rmBenchDomains, rmBenchStyleNames, rmbSection, rmbSectionNames, rmbSectionSizes} from "./constants.js";
import type {RmbSection} from "./constants.js";
import {paperRewardBench, paperRmBench, paperRmb, paperTable1, releasedResults} from "./publishedResults.js";
import type {ReleasedResult} from "./publishedResults.js";
import {rewardBenchSectionScores} from "./scoreRewardBench.js";
import type {RewardBenchDetails} from "./scoreRewardBench.js";
import {rmBenchTotals} from "./scoreRmBench.js";
import type {RmBenchDetails} from "./scoreRmBench.js";
import type {RmbDetails} from "./scoreRmb.js";
import type {ErrorRule, RmBenchMapping} from "./samples.js";
import {paperAverage} from "./scoreSamples.js";
import type {BenchResults} from "./scoreSamples.js";

/** Options of `renderBenchReport`. */
export interface BenchReportOptions {
    /** The report's title. Defaults to `"rmr1 benchmark report"`. */
    title?: string;
    /** The judge that produced the samples (an engine identity such as `openai:gaotang/RM-R1-Qwen2.5-Instruct-7B`). Defaults to `"this run"`. */
    model?: string;
    /** The error rule the scores used. Defaults to `"r1"`. */
    rules?: ErrorRule;
    /** The RM-Bench mapping the scores used. Defaults to `"correct"`. */
    rmbenchMapping?: RmBenchMapping;
    /** The A/B order policy of the judging (`random` is the reference protocol). Defaults to what the samples record, else `"random"`. */
    orderPolicy?: string;
    /** The seed of the A/B orders, when known. Defaults to none shown. */
    seed?: number;
    /** Gaps the loaders reported (`BenchmarkData.missing`). Defaults to none. */
    dataNotes?: string[];
}

/** Render report.md for scored results. */
export function renderBenchReport(results: BenchResults, options: BenchReportOptions = {}): string {
    const rb = results["rewardbench"];
    const rmBench = results["rm-bench"];
    const rmb = results["rmb"];
    const model = options.model ?? "this run";
    const rules = options.rules ?? "r1";
    const mapping = options.rmbenchMapping ?? "correct";
    const policies = [...new Set([rb, rmBench, rmb].flatMap((r) => r?.details.order_policies ?? []))];
    const orderPolicy = options.orderPolicy ?? (policies.length > 0 ? policies.join(", ") : "random");
    const out: string[] = [];
    const line = (s = ""): void => {
        out.push(s);
    };

    line(`# ${options.title ?? "rmr1 benchmark report"}`);
    line();
    line(`- Judge: \`${model}\``);
    line(`- Error rule: \`${rules}\` (${rules === "r1" ? "a verdict error scores 0, as in RM-R1's harness" : "a verdict error scores 0.5, as in the original RewardBench; RM-R1's published numbers score it 0"})`);
    if (rmBench != null) {
        line(`- RM-Bench mapping: \`${mapping}\` (${mapping === "correct"
            ? "each cell from the comparison it names; RM-R1's released RM-Bench numbers were computed with R1's as-published mapping, so expect small differences"
            : "R1's process_final_result.py as released: rotation 3 read twice, rotation 2 ignored"})`);
    }
    line(`- A/B order: \`${orderPolicy}\`${options.seed != null ? `, seed ${options.seed}` : ""}`);
    const counts = [rb && `RewardBench ${rb.details.comparisons}`, rmBench && `RM-Bench ${rmBench.details.comparisons}`, rmb && `RMB ${rmb.details.comparisons}`].filter(Boolean);
    line(`- Comparisons judged: ${counts.join(", ")}`);
    const errors = [rb, rmBench, rmb].reduce((n, r) => n + (r?.details.errors ?? 0), 0);
    const ties = [rb, rmBench, rmb].reduce((n, r) => n + (r?.details.ties ?? 0), 0);
    line(`- Verdict errors: ${errors}; ties: ${ties}`);
    line();

    // Every way this run is not the published setting, said plainly.
    const caveats: string[] = [];
    if (orderPolicy !== "random") {
        caveats.push(`The A/B order policy is \`${orderPolicy}\`, not the reference protocol (each comparison judged once in a random order). ` +
            "These numbers are a different setting and are not directly comparable with the published rows.");
    }
    caveats.push(...partialStatements(results));
    for (const note of options.dataNotes ?? []) if (!caveats.includes(note)) caveats.push(note);
    line("## Settings and data");
    line();
    if (caveats.length === 0) {
        line("All scored benchmarks are complete and judged with the reference protocol.");
    } else {
        line("Numbers marked * come from partial data and are not comparable with the published numbers.");
        line();
        for (const c of caveats) line(`- ${c}`);
    }
    line();

    // Table 1.
    line("## Overall (paper Table 1, %)");
    line();
    line("| group | model | RewardBench | RM-Bench | RMB | Avg |");
    line("|---|---|---|---|---|---|");
    const avg = rb != null && rmBench != null && rmb != null ? paperAverage(rb.scores.score, rmBench.scores.score, rmb.scores.score) : undefined;
    const anyPartial = rb?.scores.partial === true || rmBench?.scores.partial === true || rmb?.scores.partial === true;
    line(`| **this run** | **${model}** | ${pct(rb?.scores.score, rb?.scores.partial)} | ${pct(rmBench?.scores.score, rmBench?.scores.partial)} | ` +
        `${pct(rmb?.scores.score, rmb?.scores.partial)} | ${pct(avg, anyPartial)} |`);
    for (const r of paperTable1) line(`| ${r.group} | ${r.model} | ${fixed(r.rewardbench)} | ${fixed(r.rmBench)} | ${fixed(r.rmb)} | ${fixed(r.average)} |`);
    for (const r of releasedResults) {
        const x = [r.rewardbench.avg_Result_each_section, r.rmBench.total_avg_acc, r.rmb["Accuracy Averaged from Four Sections"]];
        line(`| RM-R1 (released harness output) | ${r.model} | ${x.map((v) => pct(v, false, 2)).join(" | ")} | ${pct(paperAverage(x[0], x[1], x[2]), false, 2)} |`);
    }
    line();
    if (anyPartial) {
        // Spec §6: a partial total is comparable only with numbers recomputed on the same subset.
        line("### Released RM-R1 outputs recomputed on this run's data (%)");
        line();
        line("The released per-subset, per-domain and per-scenario numbers restricted to what this run covers, so a partial run has a fair comparison. " +
            "– where the run covers only part of a subset, domain or file (those cannot be recomputed from released aggregates).");
        line();
        line("| model | RewardBench | RM-Bench | RMB | Avg |");
        line("|---|---|---|---|---|");
        line(`| **${model}** | ${pct(rb?.scores.score)} | ${pct(rmBench?.scores.score)} | ${pct(rmb?.scores.score)} | ${pct(avg)} |`);
        for (const r of releasedResults) {
            const x = [rb && releasedRewardBenchOn(r, rb.details), rmBench && releasedRmBenchOn(r, rmBench.details), rmb && releasedRmbOn(r, rmb.details)];
            const all = x.every((v) => v != null) ? paperAverage(x[0]!, x[1]!, x[2]!) : undefined;
            line(`| ${r.model} (released) | ${x.map((v) => pct(v ?? undefined, false, 2)).join(" | ")} | ${pct(all, false, 2)} |`);
        }
        line();
    }

    if (rb != null) {
        const s = rb.scores;
        line("## RewardBench (paper Table 6, %)");
        line();
        line("| model | Chat | Chat Hard | Safety | Reasoning | Overall |");
        line("|---|---|---|---|---|---|");
        const p = s.partial;
        line(`| **${model}** | ${pct(s["Chat"], p)} | ${pct(s["Chat Hard"], p)} | ${pct(s["Safety"], p)} | ${pct(s["Reasoning"], p)} | ${pct(s.score, p)} |`);
        for (const r of paperRewardBench)
            line(`| ${r.model} | ${fixed(r["Chat"])} | ${fixed(r["Chat Hard"])} | ${fixed(r["Safety"])} | ${fixed(r["Reasoning"])} | ${r.note ?? fixed(r.score)} |`);
        line();
        line(`Plain accuracy over all rows: ${pct(s.accuracy, p)}.`);
        line();
        line("### RewardBench per subset (%)");
        line();
        line(`| section | subset | weight | rows | ${model} | ${releasedResults.map((r) => `${r.model} (released)`).join(" | ")} |`);
        line(`|---|---|---|---|---|${releasedResults.map(() => "---|").join("")}`);
        for (const section of rewardBenchSectionNames) {
            for (const {subset, weight, rows} of rewardBenchSections[section]) {
                const d = rb.details.subsets[subset];
                line(`| ${section} | ${subset} | ${weight} | ${d == null ? `0/${rows}` : `${d.rows}/${rows}`} | ${d == null ? "–" : pct(s.subsets[subset], false, 2)} | ` +
                    `${releasedResults.map((r) => pct(r.rewardbenchSubsets[subset], false, 2)).join(" | ")} |`);
            }
        }
        line();
    }

    if (rmBench != null) {
        const s = rmBench.scores;
        const p = s.partial;
        line("## RM-Bench (paper Table 7, %)");
        line();
        line("| model | Chat | Math | Code | Safety | Easy | Normal | Hard | Avg |");
        line("|---|---|---|---|---|---|---|---|---|");
        line(`| **${model}** | ${pct(s.chat, p)} | ${pct(s.math, p)} | ${pct(s.code, p)} | ${pct(s.safety, p)} | ${pct(s.easy, p)} | ${pct(s.normal, p)} | ${pct(s.hard, p)} | ${pct(s.score, p)} |`);
        for (const r of paperRmBench)
            line(`| ${r.model} | ${fixed(r.chat)} | ${fixed(r.math)} | ${fixed(r.code)} | ${fixed(r.safety)} | ${fixed(r.easy)} | ${fixed(r.normal)} | ${fixed(r.hard)} | ${fixed(r.score)} |`);
        for (const r of releasedResults) {
            const x = r.rmBench;
            line(`| ${r.model} (released, as-published mapping) | ${pct(x.chat, false, 2)} | ${pct(x.math, false, 2)} | ${pct(x.code, false, 2)} | ${pct(x.safety, false, 2)} | ` +
                `${pct(x.easy_acc, false, 2)} | ${pct(x.normal_acc, false, 2)} | ${pct(x.hard_acc, false, 2)} | ${pct(x.total_avg_acc, false, 2)} |`);
        }
        line();
        if (s.partial === true && rmBench.details.missing_domains.length > 0)
            line(`Averages are over ${plural(4 - rmBench.details.missing_domains.length, "domain")} (missing: ${rmBench.details.missing_domains.join(", ")}), never divided by 4.`);
        line();
        line("### RM-Bench per domain");
        line();
        for (const domain of rmBenchDomains) {
            const d = rmBench.details.domains[domain];
            if (d == null) {
                line(`**${domain}**: no samples.`);
                line();
                continue;
            }
            line(`**${domain}**: ${d.prompts} of ${d.expected_prompts} prompts; hard ${pct(d.hard, false, 2)}, normal ${pct(d.normal, false, 2)}, easy ${pct(d.easy, false, 2)}, domain ${pct(d.value, false, 2)} (%).`);
            line();
            line(`| chosen \\ rejected | ${rmBenchStyleNames.join(" | ")} |`);
            line("|---|---|---|---|");
            for (let i = 0; i < 3; i++) line(`| ${rmBenchStyleNames[i]} | ${d.cells[i].map((c) => pct(c, false, 2)).join(" | ")} |`);
            line();
        }
        if (mapping === "as-published" && rmBench.details.ignored > 0)
            line(`${rmBench.details.ignored} rotation-2 comparisons were judged but do not enter the as-published matrix.`);
        line();
    }

    if (rmb != null) {
        const s = rmb.scores;
        const p = s.partial;
        line("## RMB (paper Table 8, fractions)");
        line();
        line("| model | Help BoN | Help Pair | Harm BoN | Harm Pair | Overall |");
        line("|---|---|---|---|---|---|");
        line(`| **${model}** | ${frac(s["BoN Helpfulness"], p)} | ${frac(s["Pairwise Helpfulness"], p)} | ${frac(s["BoN Harmlessness"], p)} | ${frac(s["Pairwise Harmlessness"], p)} | ${frac(s.score, p)} |`);
        for (const r of paperRmb)
            line(`| ${r.model} | ${frac(r["BoN Helpfulness"])} | ${frac(r["Pairwise Helpfulness"])} | ${frac(r["BoN Harmlessness"])} | ${frac(r["Pairwise Harmlessness"])} | ${frac(r.score)} |`);
        for (const r of releasedResults) {
            const x = r.rmb;
            line(`| ${r.model} (released) | ${frac(x["BoN Helpfulness"])} | ${frac(x["Pairwise Helpfulness"])} | ${frac(x["BoN Harmlessness"])} | ${frac(x["Pairwise Harmlessness"])} | ${frac(x["Accuracy Averaged from Four Sections"])} |`);
        }
        line();
        line("| section | items | correct | comparisons | comparison accuracy |");
        line("|---|---|---|---|---|");
        for (const section of rmbSectionNames) {
            const d = rmb.details.sections[section];
            if (d == null) line(`| ${section} | 0 of ${rmbSectionSizes[section]} | – | – | – |`);
            else line(`| ${section} | ${d.items} of ${d.expected_items} | ${d.correct} | ${d.comparisons} | ${frac(d.comparison_accuracy)} |`);
        }
        line();
        line("### RMB per scenario (diagnostic; not averaged into the score)");
        line();
        line(`| category_path | items | ${model} | ${releasedResults.map((r) => `${r.model} (released)`).join(" | ")} |`);
        line(`|---|---|---|${releasedResults.map(() => "---|").join("")}`);
        for (const [path, c] of Object.entries(rmb.details.categories))
            line(`| ${path} | ${c.items} | ${frac(c.accuracy)} | ${releasedResults.map((r) => frac(r.rmbCategories[path])).join(" | ")} |`);
        line();
    }
    return out.join("\n").replace(/\n{3,}/g, "\n\n");
}

/** The released RewardBench score over the subsets this run has in full (undefined if a subset is partly covered). */
function releasedRewardBenchOn(r: ReleasedResult, d: RewardBenchDetails): number | undefined {
    if (d.incomplete_subsets.length > 0) return undefined;
    const acc: Record<string, number> = {};
    for (const subset of Object.keys(d.subsets)) acc[subset] = r.rewardbenchSubsets[subset];
    return rewardBenchSectionScores(acc).score;
}

/** The released RM-Bench score over the domains this run has in full. */
function releasedRmBenchOn(r: ReleasedResult, d: RmBenchDetails): number | undefined {
    const levels: Parameters<typeof rmBenchTotals>[0] = {};
    for (const domain of rmBenchDomains) {
        const x = d.domains[domain];
        if (x == null) continue;
        if (x.prompts !== x.expected_prompts) return undefined;
        levels[domain] = {hard: 0, normal: 0, easy: 0, value: r.rmBench[domain]};
    }
    return rmBenchTotals(levels).score;
}

/**
 * The released RMB score over the scenario files this run covers: each released per-scenario accuracy
 * times this run's item count must be a whole number of correct items (the file is complete), else undefined.
 */
function releasedRmbOn(r: ReleasedResult, d: RmbDetails): number | undefined {
    const sums = new Map<RmbSection, {correct: number, items: number}>();
    for (const [path, c] of Object.entries(d.categories)) {
        const acc = r.rmbCategories[path];
        const where = parseRmbCategoryPath(path);
        if (acc == null || where == null) return undefined;
        const correct = acc * c.items;
        if (Math.abs(correct - Math.round(correct)) > 1e-6) return undefined;
        const section = rmbSection(where.kind, where.goal);
        const e = sums.get(section) ?? {correct: 0, items: 0};
        e.correct += Math.round(correct);
        e.items += c.items;
        sums.set(section, e);
    }
    // Sections in the reference order, as the RMB mean adds them.
    let total = 0;
    for (const section of rmbSectionNames) {
        const e = sums.get(section);
        if (e != null) total = total + e.correct / e.items;
    }
    return sums.size === 0 ? undefined : total / sums.size;
}

/** Plain sentences for every partial score. */
function partialStatements(results: BenchResults): string[] {
    const out: string[] = [];
    const rb = results["rewardbench"];
    if (rb?.scores.partial === true) {
        const d = rb.details;
        const parts: string[] = [];
        if (d.missing_subsets.length > 0) parts.push(`no samples for ${d.missing_subsets.join(", ")} (their sections renormalise over the subsets present; a section with none scores 0, as in the reference)`);
        if (d.incomplete_subsets.length > 0) parts.push(`fewer rows than the full split in ${d.incomplete_subsets.map((s) => `${s} (${d.subsets[s].rows}/${d.subsets[s].expected_rows})`).join(", ")}`);
        out.push(`RewardBench is partial: ${d.comparisons} of 2985 rows${parts.length > 0 ? `; ${parts.join("; ")}` : ""}.`);
    }
    const rmBench = results["rm-bench"];
    if (rmBench?.scores.partial === true) {
        const d = rmBench.details;
        const parts: string[] = [];
        if (d.missing_domains.length > 0) parts.push(`domain${d.missing_domains.length > 1 ? "s" : ""} ${d.missing_domains.join(", ")} missing, so every RM-Bench average is over ${plural(4 - d.missing_domains.length, "domain")}`);
        for (const domain of rmBenchDomains) {
            const x = d.domains[domain];
            if (x != null && x.prompts !== x.expected_prompts) parts.push(`${domain} has ${x.prompts} of ${x.expected_prompts} prompts`);
        }
        out.push(`RM-Bench is partial: ${parts.join("; ")}.`);
    }
    const rmb = results["rmb"];
    if (rmb?.scores.partial === true) {
        const d = rmb.details;
        const parts: string[] = [];
        if (d.missing_sections.length > 0) parts.push(`no samples for ${d.missing_sections.join(", ")} (the RMB score is the mean of the sections present)`);
        for (const section of rmbSectionNames) {
            const x = d.sections[section];
            if (x != null && x.items !== x.expected_items) parts.push(`${section} has ${x.items} of ${x.expected_items} ${section.startsWith("BoN") ? "items" : "pairs"}`);
        }
        out.push(`RMB is partial: ${parts.join("; ")}.`);
    }
    return out;
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A fraction as a percentage, `digits` decimals, `*` when partial, `–` when absent. */
function pct(x: number | undefined, partial?: boolean, digits = 1): string {
    if (x == null) return "–";
    return `${(100 * x).toFixed(digits)}${partial === true ? "*" : ""}`;
}

/** A fraction with three decimals (Table 8's style). */
function frac(x: number | undefined, partial?: boolean): string {
    if (x == null) return "–";
    return `${x.toFixed(3)}${partial === true ? "*" : ""}`;
}

/** A published percentage as printed (one decimal), `–` where the paper has none. */
function fixed(x: number | null): string {
    return x == null ? "–" : x.toFixed(1);
}
