// Per test file: task worktrees go to a private temp dir (never the developer's ~/.cache), removed after.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "ct-test-worktrees-"));
process.env.CLAUDE_TASKS_WORKTREES = dir;
delete process.env.RUNNER_TEMP;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Property tests are reproducible: a fixed seed in CI, another one with CLAUDE_TASKS_FUZZ_SEED=<n>.
fc.configureGlobal({ seed: Number(process.env.CLAUDE_TASKS_FUZZ_SEED ?? 20261120) });
