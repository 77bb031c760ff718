// The `lists` family's rules: `List <n> <category> in <lowercase|uppercase>, separated by
// <commas|semicolons>.` answered by the items joined with `, ` or `; `. A reply is valid when it
// meets all four checks the judge's rubric names: `count` (exactly n items), `case` (every item in
// the asked case), `sep` (every separator is the asked one) and `items` (every item in the category,
// no item twice). The generator, the teacher and the policy scorer all use `checkList`.
import type {Rng} from "../protocol/rng.js";
import {categoryOf, listCategories, worldWords} from "./words.js";
import type {ListCategory} from "./words.js";

export type ListCase = "lowercase" | "uppercase";
export type ListSeparator = "commas" | "semicolons";

export const listCases: readonly ListCase[] = ["lowercase", "uppercase"];
export const listSeparators: readonly ListSeparator[] = ["commas", "semicolons"];

/** What a `List …` question asks for. */
export interface ListSpec {
    n: number;
    category: ListCategory;
    case: ListCase;
    sep: ListSeparator;
}

export const listViolationKinds = ["count", "case", "separator", "category", "repeat"] as const;

export type ListViolationKind = typeof listViolationKinds[number];

/** `List 3 animals in lowercase, separated by commas.` */
export function formatListQuestion(spec: ListSpec): string {
    return `List ${spec.n} ${spec.category} in ${spec.case}, separated by ${spec.sep}.`;
}

const questionPattern = /^List (\d{1,2}) (animals|colors|fruits|countries) in (lowercase|uppercase), separated by (commas|semicolons)\.$/;

/** The spec of a `List …` question, or null when the text is not one. */
export function parseListQuestion(question: string): ListSpec | null {
    const m = questionPattern.exec(question.trim());
    if (m == null) return null;
    return {n: Number(m[1]), category: m[2] as ListCategory, case: m[3] as ListCase, sep: m[4] as ListSeparator};
}

/** The joiner a separator asks for: `, ` or `; `. */
export function separatorText(sep: ListSeparator): string {
    return sep === "commas" ? ", " : "; ";
}

export function applyCase(word: string, listCase: ListCase): string {
    return listCase === "lowercase" ? word.toLowerCase() : word.toUpperCase();
}

/** The four checks of one reply against a spec. */
export interface ListCheck {
    /** The items, split at `,` or `;` and trimmed (empty pieces dropped). */
    items: string[];
    /** `items.length`. */
    count: number;
    countOk: boolean;
    caseOk: boolean;
    sepOk: boolean;
    /** Every item in the category and no item twice (case-insensitive). */
    itemsOk: boolean;
    /** All four checks pass. */
    valid: boolean;
}

/** The items of a reply: split at `,` or `;`, trimmed, empty pieces dropped. */
export function splitListItems(reply: string): string[] {
    return reply.split(/[,;]/).map((s) => s.trim()).filter((s) => s !== "");
}

/** Check `reply` (leading and trailing whitespace ignored) against `spec`. */
export function checkList(spec: ListSpec, reply: string): ListCheck {
    const items = splitListItems(reply);
    const count = items.length;
    const countOk = count === spec.n;
    const caseOk = items.every((w) => w === applyCase(w, spec.case));
    const sepOk = reply.trim() === items.join(separatorText(spec.sep));
    const seen = new Set<string>();
    let itemsOk = true;
    for (const item of items) {
        const key = item.toLowerCase();
        if (categoryOf(key) !== spec.category || seen.has(key)) itemsOk = false;
        seen.add(key);
    }
    return {items, count, countOk, caseOk, sepOk, itemsOk, valid: countOk && caseOk && sepOk && itemsOk};
}

/** `n` distinct words of the category in random order, in the asked case. */
export function randomItems(spec: Pick<ListSpec, "category" | "case">, n: number, rng: Rng): string[] {
    const words = rng.shuffle([...worldWords[spec.category]]);
    if (n > words.length) throw new Error(`cannot list ${n} distinct ${spec.category}; the world has ${words.length}`);
    return words.slice(0, n).map((w) => applyCase(w, spec.case));
}

/** A valid reply to `spec`. */
export function validList(spec: ListSpec, rng: Rng): string {
    return randomItems(spec, spec.n, rng).join(separatorText(spec.sep));
}

/** A reply to `spec` that breaks exactly one check, and how. */
export interface ListViolation {
    kind: ListViolationKind;
    reply: string;
    /** The variant: count `fewer`/`more`; case `all`/`one`/`title`; separator `all`/`one`; category and repeat `one`. */
    detail: string;
}

/**
 * A reply that breaks exactly one constraint of `spec` (kind drawn uniformly unless given):
 * - `count`: n−2 … n+2 items (at least 1, never n);
 * - `case`: every item, or one item, in the other case, or every item in Title case;
 * - `separator`: every separator, or one (n ≥ 3), is the other one;
 * - `category`: one item is a word of another category;
 * - `repeat`: one item is a copy of another item (the count stays n).
 * The result is verified with `checkList`: exactly the named check fails.
 */
export function listViolation(spec: ListSpec, rng: Rng, kind?: ListViolationKind): ListViolation {
    const k = kind ?? rng.pick(listViolationKinds);
    const sep = separatorText(spec.sep);
    let reply: string;
    let detail: string;
    switch (k) {
        case "count": {
            const options: number[] = [];
            for (let c = Math.max(1, spec.n - 2); c <= spec.n + 2; c++) if (c !== spec.n) options.push(c);
            const c = rng.pick(options);
            reply = randomItems(spec, c, rng).join(sep);
            detail = c < spec.n ? "fewer" : "more";
            break;
        }
        case "case": {
            const items = randomItems(spec, spec.n, rng);
            const other: ListCase = spec.case === "lowercase" ? "uppercase" : "lowercase";
            detail = rng.pick(["all", "one", "title"]);
            if (detail === "all") reply = items.map((w) => applyCase(w, other)).join(sep);
            else if (detail === "one") {
                const i = rng.int(0, items.length - 1);
                items[i] = applyCase(items[i], other);
                reply = items.join(sep);
            } else reply = items.map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase()).join(sep);
            break;
        }
        case "separator": {
            const items = randomItems(spec, spec.n, rng);
            const other = separatorText(spec.sep === "commas" ? "semicolons" : "commas");
            detail = spec.n >= 3 && rng.next() < 0.5 ? "one" : "all";
            if (detail === "all") reply = items.join(other);
            else {
                const at = rng.int(0, items.length - 2);
                reply = items.map((w, i) => (i === 0 ? w : (i - 1 === at ? other : sep) + w)).join("");
            }
            break;
        }
        case "category": {
            const items = randomItems(spec, spec.n, rng);
            const others = listCategories.filter((c) => c !== spec.category);
            const word = rng.pick(worldWords[rng.pick(others)]);
            items[rng.int(0, items.length - 1)] = applyCase(word, spec.case);
            reply = items.join(sep);
            detail = "one";
            break;
        }
        case "repeat": {
            const items = randomItems(spec, spec.n, rng);
            const from = rng.int(0, items.length - 1);
            let to = rng.int(0, items.length - 2);
            if (to >= from) to++;
            items[to] = items[from];
            reply = items.join(sep);
            detail = "one";
            break;
        }
    }
    const check = checkList(spec, reply);
    const failed = [!check.countOk, !check.caseOk, !check.sepOk, !check.itemsOk].filter(Boolean).length;
    const expected = {count: !check.countOk, case: !check.caseOk, separator: !check.sepOk, category: !check.itemsOk, repeat: !check.itemsOk}[k];
    if (failed !== 1 || !expected) throw new Error(`internal: list violation '${k}' broke ${failed} checks: ${reply}`);
    return {kind: k, reply, detail};
}
