// Compiles the AssemblyScript kernels (src/native/kernels/assembly/) to WebAssembly with SIMD and
// threads (shared, imported memory) and writes the module where both the TypeScript sources
// (vitest, tsx) and the compiled package (dist/) look for it:
//   src/native/kernels/build/kernels.wasm   and   dist/native/kernels/build/kernels.wasm
// Run by `npm run build` (and so by `npm ci` through `prepare`); `npm run build:kernels` alone
// rebuilds just the kernels. Both locations are git-ignored: the binary is never committed.
import {mkdirSync, copyFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import asc from "assemblyscript/asc";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const entry = join(here, "assembly", "index.ts");
const outFile = join(here, "build", "kernels.wasm");
const distFile = join(root, "dist", "native", "kernels", "build", "kernels.wasm");

mkdirSync(dirname(outFile), {recursive: true});
const {error, stderr} = await asc.main([
    entry,
    "--outFile", outFile,
    "-O3", "--noAssert",
    "--runtime", "stub",
    "--enable", "simd,threads",
    "--importMemory", "--sharedMemory",
    "--initialMemory", "1", "--maximumMemory", "65536"
]);
if (error != null) {
    process.stderr.write(stderr.toString());
    process.stderr.write(`buildKernels: ${error.message}\n`);
    process.exit(1);
}
mkdirSync(dirname(distFile), {recursive: true});
copyFileSync(outFile, distFile);
process.stdout.write(`buildKernels: wrote ${outFile} and ${distFile}\n`);
