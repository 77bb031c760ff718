// Talking to the viewer's API and building the page's own addresses (hash routes).
import type {ApiError} from "../apiTypes.js";

/** GET a JSON endpoint; an error answer becomes an Error carrying the server's message. */
export async function getJson<T>(path: string, params?: Record<string, string | number | null | undefined>): Promise<T> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params ?? {})) if (v != null && v !== "") query.set(k, String(v));
    const url = query.size > 0 ? `${path}?${query}` : path;
    const res = await fetch(url, {headers: {accept: "application/json"}});
    const body = await res.json().catch(() => null) as unknown;
    if (!res.ok) throw new Error((body as ApiError | null)?.error ?? `${res.status} ${res.statusText}`);
    return body as T;
}

export const enc = encodeURIComponent;

/** A page address: `#/path?query`, empty values left out. */
export function route(path: string, params: Record<string, string | number | null | undefined> = {}): string {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v != null && v !== "") query.set(k, String(v));
    return query.size > 0 ? `#${path}?${query}` : `#${path}`;
}

export function runPath(id: string): string {
    return `/run/${enc(id)}`;
}

export function samplePath(id: string, index: number): string {
    return `/run/${enc(id)}/sample/${index}`;
}

/** The sample-list filters carried from the list to a sample and back. */
export const FILTER_KEYS = ["result", "group", "benchmark", "position", "format", "q"] as const;

export function filterParams(params: URLSearchParams): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of FILTER_KEYS) {
        const v = params.get(k);
        if (v != null && v !== "") out[k] = v;
    }
    return out;
}
