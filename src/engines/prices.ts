// Prices of hosted models, for the cost of each call. List prices change: override them with the
// `prices` option rather than trusting this table for invoices.

/** US dollars per million tokens. */
export interface ModelPrice {
    /** Price of one million prompt (input) tokens. */
    inputPer1M: number;
    /** Price of one million completion (output) tokens. */
    outputPer1M: number;
}

/** Prices by model name. A name matches a model exactly or with a date / `-latest` suffix removed. */
export type PriceTable = Record<string, ModelPrice>;

/** The month the built-in prices were last checked against the providers' public price pages. */
export const defaultPricesAsOf = "2025-11";

/**
 * Standard (non-batch, no prompt caching) list prices of the OpenAI and Anthropic models people use
 * as teachers and judges. Applied only when talking to the provider's own API: a local server that
 * happens to call its model `gpt-4o` costs nothing.
 */
export const defaultPrices: Readonly<PriceTable> = Object.freeze({
    // OpenAI
    "gpt-5": {inputPer1M: 1.25, outputPer1M: 10},
    "gpt-5-mini": {inputPer1M: 0.25, outputPer1M: 2},
    "gpt-5-nano": {inputPer1M: 0.05, outputPer1M: 0.4},
    "gpt-4.1": {inputPer1M: 2, outputPer1M: 8},
    "gpt-4.1-mini": {inputPer1M: 0.4, outputPer1M: 1.6},
    "gpt-4.1-nano": {inputPer1M: 0.1, outputPer1M: 0.4},
    "gpt-4o": {inputPer1M: 2.5, outputPer1M: 10},
    "gpt-4o-mini": {inputPer1M: 0.15, outputPer1M: 0.6},
    "o1": {inputPer1M: 15, outputPer1M: 60},
    "o3": {inputPer1M: 2, outputPer1M: 8},
    "o3-mini": {inputPer1M: 1.1, outputPer1M: 4.4},
    "o4-mini": {inputPer1M: 1.1, outputPer1M: 4.4},
    "gpt-4-turbo": {inputPer1M: 10, outputPer1M: 30},
    "gpt-3.5-turbo": {inputPer1M: 0.5, outputPer1M: 1.5},
    // Anthropic
    "claude-opus-4-5": {inputPer1M: 5, outputPer1M: 25},
    "claude-opus-4-1": {inputPer1M: 15, outputPer1M: 75},
    "claude-opus-4": {inputPer1M: 15, outputPer1M: 75},
    "claude-sonnet-4-5": {inputPer1M: 3, outputPer1M: 15},
    "claude-sonnet-4": {inputPer1M: 3, outputPer1M: 15},
    "claude-haiku-4-5": {inputPer1M: 1, outputPer1M: 5},
    "claude-3-7-sonnet": {inputPer1M: 3, outputPer1M: 15},
    "claude-3-5-sonnet": {inputPer1M: 3, outputPer1M: 15},
    "claude-3-5-haiku": {inputPer1M: 0.8, outputPer1M: 4},
    "claude-3-opus": {inputPer1M: 15, outputPer1M: 75},
    "claude-3-haiku": {inputPer1M: 0.25, outputPer1M: 1.25}
});

// Dated snapshots (`gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`) and `-latest` aliases cost
// what their family costs. Only these suffixes are stripped, so `gpt-4o-audio-preview` stays unknown.
const snapshotSuffix = /-(?:\d{4}-\d{2}-\d{2}|\d{8}|latest)$/;

/** The price of `model` in `table`, or undefined when it is not listed. */
export function priceOf(model: string, table: Readonly<PriceTable>): ModelPrice | undefined {
    if (Object.hasOwn(table, model)) return table[model];
    const family = model.replace(snapshotSuffix, "");
    return family !== model && Object.hasOwn(table, family) ? table[family] : undefined;
}

/** Cost in US dollars of the given token counts, or undefined when the model's price is unknown. */
export function costUsd(promptTokens: number, completionTokens: number, price: ModelPrice | undefined): number | undefined {
    if (price == null) return undefined;
    return (promptTokens * price.inputPer1M + completionTokens * price.outputPer1M) / 1e6;
}
