/**
 * Loads a repository's tasks and checks them completely: the task files (config), the schedules and
 * the task graph. Every problem of every file comes back in one list; nothing is thrown for bad input.
 */

import { resolve } from "node:path";
import { execa } from "execa";
import type { Task } from "./config/index.ts";
import { compareProblems, hasErrors, readConfig } from "./config/index.ts";
import { ConfigError, type Locate, type Problem, UserError } from "./errors.ts";
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

/** `git rev-parse --show-toplevel` in `cwd`: the work tree's top, or why there is none. */
async function showToplevel(cwd: string): Promise<{ root?: string; stderr: string }> {
  const r = await execa("git", ["rev-parse", "--show-toplevel"], { cwd, reject: false });
  return r.exitCode === 0 && r.stdout ? { root: r.stdout.trim(), stderr: "" } : { stderr: r.stderr };
}

/** The top of the git work tree that contains `cwd` (or `cwd` itself outside git). */
export async function findRepoRoot(cwd: string): Promise<string> {
  return (await showToplevel(cwd)).root ?? resolve(cwd);
}

/** The top of the git work tree that contains `cwd`; a `UserError` when `cwd` is not in one. */
export async function requireRepoRoot(cwd: string): Promise<string> {
  const { root, stderr } = await showToplevel(cwd);
  if (root) return root;
  // A bare repository, or the inside of a .git directory: a repository, but no work tree to run in.
  const why = /must be run in a work tree/.test(stderr)
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
