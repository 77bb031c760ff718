// JSON with object keys sorted at every level, so that two equal values always give the same text
// (and the same hash): used for engine identities and response-cache keys.

/** `JSON.stringify` with sorted keys; `undefined` members are dropped as JSON.stringify drops them. */
export function stableStringify(value: unknown): string {
    return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value == null || typeof value !== "object") return value;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
}
