// Bad input rows during a long read: counted and the first few kept for the report, or, in strict
// mode, the first one stops the job with its error.
import {InvalidInput} from "../errors.js";

/** One skipped row. */
export interface BadRowExample {
    /** `file:line` or `file row N`. */
    location: string;
    message: string;
}

/** Options of `BadRows`. */
export interface BadRowsOptions {
    /** Throw on the first bad row instead of skipping it. Defaults to `false`. */
    strict?: boolean;
    /** How many examples to keep. Defaults to `5`. */
    keep?: number;
}

export class BadRows {
    readonly strict: boolean;
    private readonly keep: number;
    count = 0;
    readonly examples: BadRowExample[] = [];

    constructor(options: BadRowsOptions = {}) {
        this.strict = options.strict ?? false;
        this.keep = options.keep ?? 5;
    }

    /** Record a bad row (rethrows in strict mode). Only `InvalidInput` is a bad row; anything else is a bug and is rethrown. */
    add(error: unknown, location: string): void {
        if (!(error instanceof InvalidInput) || this.strict) throw error;
        this.count++;
        if (this.examples.length < this.keep) {
            const message = error.location != null && error.message.startsWith(error.location + ": ") ? error.message.slice(error.location.length + 2) : error.message;
            this.examples.push({location: error.location ?? location, message});
        }
    }

    /** A few lines for people: the count and the first examples; "" when there were none. */
    summary(what = "rows"): string {
        if (this.count === 0) return "";
        const lines = [`skipped ${this.count} bad ${what} (use --strict to stop at the first); first ${this.examples.length}:`];
        for (const e of this.examples) lines.push(`  ${e.location}: ${e.message}`);
        return lines.join("\n");
    }
}
