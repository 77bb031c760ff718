import {defineConfig} from "vitest/config";

// Tests live beside each layer (`src/**/*.test.ts`) and in `test/` (end-to-end, real tiny models).
// Two cores: run files in parallel on 2 forks at most, so kernel timings and model tests
// are not starved.
export default defineConfig({
    test: {
        include: ["src/**/*.test.ts", "test/**/*.test.ts"],
        pool: "forks",
        maxWorkers: 2,
        testTimeout: 60_000,
        hookTimeout: 120_000
    }
});
