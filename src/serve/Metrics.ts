// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
// exposition format 0.0.4 (`# HELP`, `# TYPE`, one sample per line, histogram `_bucket{le=...}`,
// `_sum`, `_count`). What `GET /metrics` of `rmr1 serve` returns; no dependency needed for it.

type Labels = Record<string, string>;

/** Escape a label value as the exposition format asks: backslash, double quote and newline. */
function escapeLabel(value: string): string {
    return value.replace(/\\/g, "\\\\").replace(/"/g, "\\\"").replace(/\n/g, "\\n");
}

function labelText(names: readonly string[], values: readonly string[], extra = ""): string {
    const parts = names.map((n, i) => `${n}="${escapeLabel(values[i])}"`);
    if (extra !== "") parts.push(extra);
    return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

/** A number as Prometheus writes it (`+Inf`, `-Inf`, `NaN`). */
function formatValue(x: number): string {
    if (x === Infinity) return "+Inf";
    if (x === -Infinity) return "-Inf";
    if (Number.isNaN(x)) return "NaN";
    return String(x);
}

abstract class Metric {
    readonly name: string;
    readonly help: string;
    readonly labelNames: readonly string[];
    abstract readonly type: "counter" | "gauge" | "histogram";

    constructor(name: string, help: string, labelNames: readonly string[]) {
        this.name = name;
        this.help = help;
        this.labelNames = labelNames;
    }

    /** The label values in `labelNames` order; a missing label is an empty string. */
    protected key(labels: Labels = {}): string[] {
        return this.labelNames.map((n) => labels[n] ?? "");
    }

    abstract samples(): string[];

    render(): string {
        const help = this.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
        return [`# HELP ${this.name} ${help}`, `# TYPE ${this.name} ${this.type}`, ...this.samples()].join("\n");
    }
}

export class Counter extends Metric {
    readonly type = "counter";
    private readonly values = new Map<string, {labels: string[], value: number}>();

    inc(labels?: Labels, by = 1): void {
        const values = this.key(labels);
        const k = JSON.stringify(values);
        const entry = this.values.get(k);
        if (entry != null) entry.value += by;
        else this.values.set(k, {labels: values, value: by});
    }

    /** The current value for `labels` (0 when never incremented). */
    get(labels?: Labels): number {
        return this.values.get(JSON.stringify(this.key(labels)))?.value ?? 0;
    }

    samples(): string[] {
        return [...this.values.values()].map((e) => `${this.name}${labelText(this.labelNames, e.labels)} ${formatValue(e.value)}`);
    }
}

export class Gauge extends Metric {
    readonly type = "gauge";
    private readonly values = new Map<string, {labels: string[], value: number}>();
    /** Read at render time instead of stored values (process memory, queue depth). */
    private readonly collect?: () => number;

    constructor(name: string, help: string, labelNames: readonly string[] = [], collect?: () => number) {
        super(name, help, labelNames);
        this.collect = collect;
    }

    set(value: number, labels?: Labels): void {
        const values = this.key(labels);
        this.values.set(JSON.stringify(values), {labels: values, value});
    }

    samples(): string[] {
        if (this.collect != null) return [`${this.name} ${formatValue(this.collect())}`];
        return [...this.values.values()].map((e) => `${this.name}${labelText(this.labelNames, e.labels)} ${formatValue(e.value)}`);
    }
}

export class Histogram extends Metric {
    readonly type = "histogram";
    /** Upper bounds, ascending; `+Inf` is implied. */
    readonly buckets: readonly number[];
    private readonly series = new Map<string, {labels: string[], counts: number[], sum: number, count: number}>();

    constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
        super(name, help, labelNames);
        this.buckets = [...buckets].sort((a, b) => a - b);
    }

    observe(value: number, labels?: Labels): void {
        const values = this.key(labels);
        const k = JSON.stringify(values);
        let s = this.series.get(k);
        if (s == null) {
            s = {labels: values, counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0};
            this.series.set(k, s);
        }
        // Counts are stored per bucket and made cumulative when rendered.
        const i = this.buckets.findIndex((b) => value <= b);
        if (i >= 0) s.counts[i]++;
        s.sum += value;
        s.count++;
    }

    /** Observations so far for `labels`. */
    count(labels?: Labels): number {
        return this.series.get(JSON.stringify(this.key(labels)))?.count ?? 0;
    }

    samples(): string[] {
        const out: string[] = [];
        for (const s of this.series.values()) {
            let cumulative = 0;
            this.buckets.forEach((b, i) => {
                cumulative += s.counts[i];
                out.push(`${this.name}_bucket${labelText(this.labelNames, s.labels, `le="${formatValue(b)}"`)} ${cumulative}`);
            });
            out.push(`${this.name}_bucket${labelText(this.labelNames, s.labels, "le=\"+Inf\"")} ${s.count}`);
            out.push(`${this.name}_sum${labelText(this.labelNames, s.labels)} ${formatValue(s.sum)}`);
            out.push(`${this.name}_count${labelText(this.labelNames, s.labels)} ${s.count}`);
        }
        return out;
    }
}

/** A set of metrics rendered together. */
export class MetricsRegistry {
    private readonly metrics: Metric[] = [];

    counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
        return this.add(new Counter(name, help, labelNames));
    }

    gauge(name: string, help: string, labelNames: readonly string[] = [], collect?: () => number): Gauge {
        return this.add(new Gauge(name, help, labelNames, collect));
    }

    histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): Histogram {
        return this.add(new Histogram(name, help, labelNames, buckets));
    }

    /** Every metric in the text exposition format, ending with a newline. */
    render(): string {
        return this.metrics.map((m) => m.render()).join("\n") + "\n";
    }

    private add<M extends Metric>(metric: M): M {
        if (this.metrics.some((m) => m.name === metric.name)) throw new Error(`metric ${metric.name} registered twice`);
        this.metrics.push(metric);
        return metric;
    }
}

/** Content type of the text exposition format. */
export const prometheusContentType = "text/plain; version=0.0.4; charset=utf-8";
