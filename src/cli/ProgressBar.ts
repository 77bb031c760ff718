// A progress bar with rate and ETA for long jobs, drawn on stderr. On a non-TTY stderr (CI, pipes) it
// prints a plain line at most every few seconds instead of redrawing.

export interface ProgressOptions {
    /** Label in front of the bar. Defaults to `""`. */
    label?: string;
    /** Stream to draw on. Defaults to `process.stderr`. */
    stream?: NodeJS.WriteStream;
    /** Minimum milliseconds between plain-line updates when not a TTY. Defaults to `5000`. */
    plainIntervalMs?: number;
    /** Draw nothing. Defaults to `false`. */
    silent?: boolean;
}

export class ProgressBar {
    private readonly label: string;
    private readonly stream: NodeJS.WriteStream;
    private readonly tty: boolean;
    private readonly plainIntervalMs: number;
    private readonly silent: boolean;
    private readonly started = Date.now();
    private lastDraw = 0;
    private startDone = 0;
    private total: number;
    private done = 0;
    private note = "";

    constructor(total: number, options: ProgressOptions = {}) {
        this.total = total;
        this.label = options.label ?? "";
        this.stream = options.stream ?? process.stderr;
        this.tty = this.stream.isTTY === true;
        this.plainIntervalMs = options.plainIntervalMs ?? 5000;
        this.silent = options.silent ?? false;
    }

    /** Mark `done` items finished of `total` (total may change). `note` is shown after the ETA. */
    update(done: number, options: {total?: number, note?: string} = {}): void {
        if (this.done === 0 && done > 0 && this.startDone === 0 && Date.now() - this.started < 50) this.startDone = done;
        this.done = done;
        if (options.total != null) this.total = options.total;
        if (options.note != null) this.note = options.note;
        this.draw(false);
    }

    /** Items already done before this process started (resume), so they do not inflate the rate. */
    resumedFrom(done: number): void {
        this.startDone = done;
        this.done = done;
    }

    finish(note?: string): void {
        if (note != null) this.note = note;
        this.draw(true);
        if (this.tty && !this.silent) this.stream.write("\n");
    }

    private draw(force: boolean): void {
        if (this.silent) return;
        const now = Date.now();
        if (!force && now - this.lastDraw < (this.tty ? 100 : this.plainIntervalMs)) return;
        this.lastDraw = now;
        const elapsed = (now - this.started) / 1000;
        const fresh = this.done - this.startDone;
        const rate = elapsed > 0 ? fresh / elapsed : 0;
        const left = this.total - this.done;
        const eta = rate > 0 ? formatDuration(left / rate) : "?";
        const frac = this.total > 0 ? Math.min(1, this.done / this.total) : 0;
        const width = 24;
        const filled = Math.round(frac * width);
        const bar = "█".repeat(filled) + "░".repeat(width - filled);
        const label = this.label === "" ? "" : `${this.label} `;
        const text = `${label}${bar} ${this.done}/${this.total} ${(frac * 100).toFixed(0)}% ` +
            `${rate >= 10 ? rate.toFixed(0) : rate.toFixed(2)}/s elapsed ${formatDuration(elapsed)} eta ${eta}` +
            (this.note === "" ? "" : ` ${this.note}`);
        if (this.tty) this.stream.write(`\r\x1b[2K${text}`);
        else this.stream.write(text + "\n");
    }
}

/**
 * A job's progress callback drawing `bar`: `view` gives the bar's total and note from a report
 * (defaults to the report's `total`); the items the first report counts as resumed (done by an
 * earlier run) do not count in the rate.
 */
export function progressTo<P extends {done: number, resumed: number, total?: number}>(
    bar: ProgressBar, view: (p: P) => {total?: number, note?: string} = (p) => ({total: p.total})
): (p: P) => void {
    let first = true;
    return (p) => {
        if (first && p.resumed > 0) bar.resumedFrom(p.resumed);
        first = false;
        bar.update(p.done, view(p));
    };
}

/** `75` → `1m15s`. */
export function formatDuration(seconds: number): string {
    if (!Number.isFinite(seconds)) return "?";
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return `${s}s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
    return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
