// The `rmr1` command from source, for tests that run it in a child process (to kill it mid-run, or
// to serve from it): `node --import tsx test/helpers/rmr1.ts judge ...`, which `spawnRmr1` in
// runCli.ts does. Same entry point as bin/rmr1.js.
import {main} from "../../src/cli/main.js";

main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});
