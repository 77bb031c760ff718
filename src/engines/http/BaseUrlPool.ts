// Client-side balancing over several base URLs serving the same model: each request goes to the
// URL with the fewest requests in flight (ties rotate), and a URL that is down (refused, reset,
// 502/503/504) sits out a cool-down while the others take its share.

export interface Endpoint {
    /** Base URL without a trailing slash. */
    readonly url: string;
    /** Requests sent to it and not yet answered. */
    inFlight: number;
    /** Time (ms since epoch) before which it is considered down; 0 when up. */
    downUntil: number;
}

export class BaseUrlPool {
    readonly endpoints: readonly Endpoint[];
    private readonly cooldownMs: number;
    private rotation = 0;

    constructor(urls: readonly string[], cooldownMs: number) {
        this.endpoints = urls.map((url) => ({url, inFlight: 0, downUntil: 0}));
        this.cooldownMs = cooldownMs;
    }

    /** The endpoint for the next request; when every one is down, the one that comes back first. */
    pick(now: number = Date.now()): Endpoint {
        const endpoints = this.endpoints;
        if (endpoints.length === 1) return endpoints[0];
        const start = this.rotation++ % endpoints.length;
        let best: Endpoint | undefined;
        for (let k = 0; k < endpoints.length; k++) {
            const endpoint = endpoints[(start + k) % endpoints.length];
            if (endpoint.downUntil > now) continue;
            if (best == null || endpoint.inFlight < best.inFlight) best = endpoint;
        }
        if (best != null) return best;
        return endpoints.reduce((a, b) => (b.downUntil < a.downUntil ? b : a));
    }

    /** Whether some endpoint other than `except` is up. */
    hasOtherUp(except: Endpoint, now: number = Date.now()): boolean {
        return this.endpoints.some((e) => e !== except && e.downUntil <= now);
    }

    markDown(endpoint: Endpoint, now: number = Date.now()): void {
        endpoint.downUntil = now + this.cooldownMs;
    }

    markUp(endpoint: Endpoint): void {
        endpoint.downUntil = 0;
    }
}
