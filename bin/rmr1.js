#!/usr/bin/env node
// The `rmr1` command. The CLI itself is compiled from src/cli/ into dist/ by `npm ci` (the prepare script).
import {main} from "../dist/cli/main.js";

main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});
