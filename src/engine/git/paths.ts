/**
 * Where claude-tasks keeps its local state: `<git-common-dir>/claude-tasks`, i.e. `.git/claude-tasks`
 * of the main checkout even when asked from inside a worktree. Nothing there shows in `git status`.
 */
import { join } from "node:path";
import type { Git } from "./exec.ts";

export const STATE_DIR_NAME = "claude-tasks";

/** `<git-common-dir>/claude-tasks` (absolute). */
export async function stateDir(git: Git): Promise<string> {
  const r = await git.run(["rev-parse", "--path-format=absolute", "--git-common-dir"]);
  return join(r.stdout.trim(), STATE_DIR_NAME);
}

export const worktreesDir = (state: string): string => join(state, "worktrees");
export const backupsDir = (state: string): string => join(state, "backups");

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Checks a name that becomes a file name or a ref component (task, run id, backup id): no slashes,
 * no `..`, no leading dot, no `.lock` suffix. Throws a plain `Error` — callers validate user input first.
 */
export function assertSafeName(kind: string, name: string): string {
  if (!SAFE_NAME.test(name) || name.includes("..") || name.endsWith(".lock")) {
    throw new Error(`invalid ${kind} ${JSON.stringify(name)}: use letters, digits, '.', '_' and '-'`);
  }
  return name;
}
