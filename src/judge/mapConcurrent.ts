// Run an async function over a list with at most `limit` calls in flight, keeping the input order.

/**
 * `fn` over every item with at most `limit` (≥ 1) calls running at once; results in input order.
 * The first rejection stops new calls from starting and is thrown once the running ones settle.
 */
export async function mapConcurrent<T, U>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<U>): Promise<U[]> {
    const results = new Array<U>(items.length);
    let next = 0;
    let failure: {error: unknown} | undefined;
    const worker = async () => {
        while (failure == null && next < items.length) {
            const i = next++;
            try {
                results[i] = await fn(items[i], i);
            } catch (error) {
                failure ??= {error};
            }
        }
    };
    await Promise.all(Array.from({length: Math.max(1, Math.min(limit, items.length))}, worker));
    if (failure != null) throw failure.error;
    return results;
}
