/**
 * Where claude-tasks keeps its local state: `<git-common-dir>/claude-tasks`, i.e. `.git/claude-tasks`
 * of the main checkout even when asked from inside a worktree. Nothing there shows in `git status`.
 *
 * Task worktrees are the exception: Claude Code refuses to write any path with a `.git` segment (it
 * treats them as sensitive), so they live outside the repository, in a per-repository directory
 * under `$CLAUDE_TASKS_WORKTREES`, else `$RUNNER_TEMP/claude-tasks/worktrees` on an Actions runner,
 * else `~/.cache/claude-tasks/worktrees` (or the system temp dir when there is no home).
 */
import { createHash } from "node:crypto";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import type { Git } from "./exec.ts";

export const STATE_DIR_NAME = "claude-tasks";

/** Git directories found with the top of their work tree (by that path), so that no one asks again. */
const commonDirs = new Map<string, string>();

export function noteCommonDir(workTree: string, commonDir: string): void {
  commonDirs.set(workTree, commonDir);
}

/** `<git-common-dir>/claude-tasks` (absolute). */
export async function stateDir(git: Git): Promise<string> {
  const known = commonDirs.get(git.cwd);
  if (known) return join(known, STATE_DIR_NAME);
  const r = await git.run(["rev-parse", "--path-format=absolute", "--git-common-dir"]);
  return join(r.stdout.trim(), STATE_DIR_NAME);
}

/** The directory holding this repository's task worktrees (see above); never inside the repository. */
export function worktreesDir(state: string, env: NodeJS.ProcessEnv = process.env): string {
  const home = (() => {
    try {
      return homedir();
    } catch {
      return "";
    }
  })();
  const root =
    env.CLAUDE_TASKS_WORKTREES ||
    (env.RUNNER_TEMP ? join(env.RUNNER_TEMP, "claude-tasks", "worktrees") : "") ||
    (home ? join(env.XDG_CACHE_HOME || join(home, ".cache"), "claude-tasks", "worktrees") : "") ||
    join(tmpdir(), "claude-tasks", "worktrees");
  // One folder per repository: readable name + a hash of the state path, which is unique per clone.
  const repo = basename(dirname(dirname(state))).replace(/[^A-Za-z0-9._-]/g, "_") || "repo";
  const id = createHash("sha256").update(state).digest("hex").slice(0, 10);
  return join(root, `${repo}-${id}`);
}
export const backupsDir = (state: string): string => join(state, "backups");

/** The sandbox folders of tasks' agents (their HOME and git directory), each named as its worktree. */
export const sandboxesDir = (state: string): string => join(state, "sandbox");

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
