// Per test file: task worktrees go to a private temp dir (never the developer's ~/.cache), removed after.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "ct-test-worktrees-"));
process.env.CLAUDE_TASKS_WORKTREES = dir;
delete process.env.RUNNER_TEMP;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
