// The page's own files, served from this machine (no CDN): the HTML shell, the stylesheet and the
// page's ES modules. The modules are TypeScript (`client/*.mts`, typed against the DOM by
// `client/tsconfig.json`); `npm run build` compiles them to `dist/viewer/client/*.mjs`. Running from
// the sources (tsx, vitest) there is no compiled copy next to this file, so each module is
// transpiled on first request with the `typescript` package the sources need anyway.
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {NotFound} from "../errors.js";
import {viewerCss} from "./viewerCss.js";

export interface Asset {
    body: Buffer;
    type: string;
}

const clientDir = join(dirname(fileURLToPath(import.meta.url)), "client");

/** The HTML shell: everything else is drawn by the modules from the API's JSON (never from HTML strings). */
export const indexHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rmr1 view</title>
<link rel="stylesheet" href="/assets/viewer.css">
<script type="module" src="/assets/main.mjs"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="#/">rmr1 view</a><nav id="crumbs" aria-label="Breadcrumb"></nav></header>
<main id="main" tabindex="-1"><p class="muted">Loading…</p></main>
<noscript>This page needs JavaScript (it runs only code served by this rmr1 process).</noscript>
</body>
</html>
`;

export class ClientAssets {
    private readonly cache = new Map<string, {mtime: number, asset: Asset}>();
    /** Whether modules come compiled (`dist/`) or are transpiled from `client/*.mts`. */
    readonly compiled: boolean;

    constructor() {
        this.compiled = existsSync(join(clientDir, "main.mjs"));
        if (!this.compiled && !existsSync(join(clientDir, "main.mts")))
            throw new NotFound(`the viewer's page modules are missing from ${clientDir}; rebuild rmr1 (npm run build)`);
    }

    /** Names of the page's modules (`main.mjs`, ...). */
    modules(): string[] {
        const ext = this.compiled ? ".mjs" : ".mts";
        return readdirSync(clientDir).filter((f) => f.endsWith(ext) && !f.endsWith(`.d${ext}`)).map((f) => f.slice(0, -ext.length) + ".mjs");
    }

    /** The asset at `/assets/<name>`, or undefined when there is none. */
    async get(name: string): Promise<Asset | undefined> {
        if (name === "viewer.css") return {body: Buffer.from(viewerCss), type: "text/css; charset=utf-8"};
        if (!/^[a-zA-Z][a-zA-Z0-9_-]*\.mjs$/.test(name) || !this.modules().includes(name)) return undefined;
        const file = join(clientDir, this.compiled ? name : name.replace(/\.mjs$/, ".mts"));
        const mtime = statSync(file).mtimeMs;
        const hit = this.cache.get(name);
        if (hit != null && hit.mtime === mtime) return hit.asset;
        const source = readFileSync(file, "utf8");
        const body = this.compiled ? source : await transpile(source, file);
        const asset = {body: Buffer.from(body), type: "text/javascript; charset=utf-8"};
        this.cache.set(name, {mtime, asset});
        return asset;
    }
}

async function transpile(source: string, fileName: string): Promise<string> {
    const ts = (await import("typescript")).default;
    const out = ts.transpileModule(source, {
        fileName,
        compilerOptions: {target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, verbatimModuleSyntax: true, sourceMap: false}
    });
    return out.outputText;
}
