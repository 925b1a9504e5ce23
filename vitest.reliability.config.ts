// `npm run test:reliability`: the fault, bad-input, security and load cases of tests/reliability.
// Each case records what it measured (.tmp/reliability/cases/); `npm run reliability:doc` turns the
// records into docs/reliability.md.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/reliability/**/*.test.ts"],
    globalSetup: ["tests/global-setup.ts", "tests/reliability/support/global-setup.ts"],
    setupFiles: ["tests/setup-env.ts"],
    pool: "forks",
    // two cores are shared: at most two files at once, and a few CLI runs at once within a file
    maxWorkers: 2,
    maxConcurrency: 3,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: ["default", "json"],
    outputFile: { json: ".tmp/vitest-reliability-report.json" },
  },
});
