// Finds and compiles the kernel WebAssembly module built by `npm run build`
// (src/native/kernels/buildKernels.mjs). The same relative path works from the TypeScript sources
// (src/native/kernels/build/) and from the compiled package (dist/native/kernels/build/).
import {readFileSync, readdirSync, statSync, existsSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {join} from "node:path";
import {ConfigError} from "../../errors.js";

let cached: Promise<WebAssembly.Module> | undefined;

/** The compiled kernel module (compiled once per process). */
export function loadKernelModule(): Promise<WebAssembly.Module> {
    cached ??= compile().catch((e: unknown) => {
        cached = undefined;
        throw e;
    });
    return cached;
}

async function compile(): Promise<WebAssembly.Module> {
    const file = fileURLToPath(new URL("./build/kernels.wasm", import.meta.url));
    if (!existsSync(file))
        throw new ConfigError(`the native kernels are not built (${file} is missing); run 'npm run build' (or 'npm run build:kernels') in the rmr1 folder`);
    checkFresh(file);
    try {
        return await WebAssembly.compile(readFileSync(file));
    } catch (e) {
        throw new ConfigError(`cannot compile ${file} (${(e as Error).message}); Node 20+ with WebAssembly SIMD is required, and 'npm run build:kernels' rebuilds the file`, {cause: e});
    }
}

// Running from the TypeScript sources, a kernel edited after the last build would silently run
// the old code: refuse instead.
function checkFresh(wasmFile: string): void {
    const sources = fileURLToPath(new URL("./assembly/", import.meta.url));
    if (!existsSync(sources)) return;
    const built = statSync(wasmFile).mtimeMs;
    for (const name of readdirSync(sources)) {
        if (!name.endsWith(".ts")) continue;
        if (statSync(join(sources, name)).mtimeMs > built)
            throw new ConfigError(`the native kernels are older than src/native/kernels/assembly/${name}; run 'npm run build:kernels'`);
    }
}
