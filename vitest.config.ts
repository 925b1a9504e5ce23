// Two projects. `unit` runs the source in-process: no build, threads, the inner loop while editing
// (`npm run test:unit`). `int` runs what a user runs: the built dist/ (built once by the global
// setup) and the real Claude Code CLI, in forks; a test that spawns either is a `*.int.test.ts`, and so
// is one that builds many real git repositories or sandboxes (tests/git/*: conflicts, backups,
// branches, worktrees, remotes; the schedule-state races; the guards over real worktrees; bubblewrap)
// or reads a large corpus (the secret scanner's false-positive check): seconds each, they belong to
// the full run, not to the loop while editing.
// `npm test` runs both.
import { defineConfig } from "vitest/config";

const shared = {
  setupFiles: ["tests/setup-env.ts"],
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: ".tmp/vitest-report.json" },
    projects: [
      {
        test: {
          ...shared,
          name: "unit",
          include: ["tests/**/*.test.ts"],
          exclude: ["tests/**/*.int.test.ts", "tests/reliability/**", "node_modules/**"],
          pool: "threads",
          // Files share a worker's module graph instead of importing the engine afresh each: the loop
          // takes ~48 s instead of ~68 s on 2 cores. So a test leaves no global state behind
          // (process.env, module caches); the suite passes either way (`--isolate` to check).
          isolate: false,
          env: { CLAUDE_TASKS_TEST_PROJECT: "unit" },
        },
      },
      {
        test: {
          ...shared,
          name: "int",
          include: ["tests/**/*.int.test.ts"],
          exclude: ["tests/reliability/**", "node_modules/**"],
          globalSetup: ["tests/global-setup.ts"],
          pool: "forks",
          // Some files run the whole Action several times in one test, each run starting real git,
          // bubblewrap and Claude Code: a minute is too tight on a loaded 2-core machine.
          testTimeout: 180_000,
        },
      },
    ],
  },
});
