// rmr1's own version, for `rmr1 --version` and the records that say which rmr1 wrote them.
import {readFileSync} from "node:fs";

/** rmr1's version, from its package.json (one folder above src/ and dist/ alike). */
export function rmr1Version(): string {
    return (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {version: string}).version;
}
