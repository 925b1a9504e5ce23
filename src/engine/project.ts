/**
 * Loads a repository's tasks and checks them completely: the task files (config), the schedules and
 * the task graph. Every problem of every file comes back in one list; nothing is thrown for bad input.
 */

import { resolve } from "node:path";
import type { Task } from "./config/index.ts";
import { compareProblems, hasErrors, readConfig } from "./config/index.ts";
import { ConfigError, type Locate, type Problem, UserError } from "./errors.ts";
import { createGit } from "./git/exec.ts";
import { noteCommonDir } from "./git/paths.ts";
import { isMissing } from "./missing.ts";
import { graphProblems } from "./plan/index.ts";
import { scheduleProblems } from "./schedule/index.ts";

export interface Project {
  repoRoot: string;
  configDir: string;
  tasks: Task[];
  problems: Problem[];
  locate: Locate;
}

export interface LoadProjectOptions {
  cwd?: string;
  configDir?: string;
  env?: Record<string, string | undefined>;
}

/**
 * Where `cwd` is: the top of its work tree, inside a repository without one (a bare repository, or
 * inside `.git`), or outside git (a directory that does not exist included). Decided by git's exit
 * codes, never by its messages.
 */
async function locate(cwd: string): Promise<{ root: string } | { root?: undefined; repository: boolean }> {
  const git = createGit({ cwd });
  try {
    // the git directory comes with it: the run's state directory is under it (see `stateDir`)
    const top = await git.run(
      ["rev-parse", "--path-format=absolute", "--show-toplevel", "--git-common-dir"],
      {
        allowFailure: true,
      },
    );
    const [root, commonDir] = top.stdout.trim().split("\n");
    if (top.exitCode === 0 && root) {
      if (commonDir) noteCommonDir(root, commonDir);
      return { root };
    }
    const gitDir = await git.run(["rev-parse", "--git-dir"], { allowFailure: true });
    return { repository: gitDir.exitCode === 0 };
  } catch (err) {
    if (isMissing(err)) return { repository: false };
    throw err;
  }
}

/** The top of the git work tree that contains `cwd` (or `cwd` itself outside git). */
export async function findRepoRoot(cwd: string): Promise<string> {
  return (await locate(cwd)).root ?? resolve(cwd);
}

/** The top of the git work tree that contains `cwd`; a `UserError` when `cwd` is not in one. */
export async function requireRepoRoot(cwd: string): Promise<string> {
  const where = await locate(cwd);
  if (where.root !== undefined) return where.root;
  const why = where.repository
    ? "has no work tree (a bare repository, or inside .git): run claude-tasks in a work tree, or pass -C <dir>"
    : "is not in a git repository (run claude-tasks inside one, or pass -C <dir>)";
  throw new UserError(`${resolve(cwd)} ${why}`);
}

export async function loadProject(opts: LoadProjectOptions = {}): Promise<Project> {
  const repoRoot = await findRepoRoot(resolve(opts.cwd ?? process.cwd()));
  const configDir = opts.configDir ?? ".github/claude-tasks";
  const loaded = await readConfig({ repoRoot, configDir, env: opts.env ?? process.env });
  const problems = [
    ...loaded.problems,
    ...scheduleProblems(loaded.tasks, loaded.locate),
    ...graphProblems(loaded.tasks, loaded.locate, { invalidTasks: loaded.invalidTasks }),
  ];
  return {
    repoRoot,
    configDir,
    tasks: loaded.tasks,
    problems: problems.sort(compareProblems),
    locate: loaded.locate,
  };
}

export { hasErrors };

/** Throws a ConfigError (exit 2) listing every error, for commands that cannot work on a broken config. */
export function assertValid(project: Project): Project {
  if (hasErrors(project.problems))
    throw new ConfigError(project.problems.filter((p) => p.severity === "error"));
  return project;
}
