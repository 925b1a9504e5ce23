/**
 * A delegated task: an ad-hoc prompt handed over by a Claude Code session (through the MCP server),
 * run once as a Claude task in its own worktree. It is built through the same loader as task files,
 * so the repository's `_defaults.yml` (agent settings, paths, limits) applies, and whatever the caller
 * sets (tools, limits, paths) is checked by the task schema itself.
 */
import { randomBytes } from "node:crypto";
import { posix } from "node:path";
import { stringify } from "yaml";
import { type ConfigFile, parseConfigFiles, type Task, type TaskFile } from "../config/index.ts";
import { formatProblem, UserError } from "../errors.ts";

export const DELEGATE_PREFIX = "delegate-";

export interface DelegatedTaskOptions {
  prompt: string;
  /** Task name (default `delegate-<random>`): the branch is `claude-tasks/<name>`. */
  name?: string;
  description?: string;
  agent?: TaskFile["agent"];
  paths?: TaskFile["paths"];
  limits?: TaskFile["limits"];
  base?: string;
  /** Repository-relative task directory. */
  configDir: string;
  /** The directory's `_defaults.yml`, if any. */
  defaults?: ConfigFile;
  /** For `{{ env.NAME }}` in `agent.env` of the defaults. */
  env?: Record<string, string | undefined>;
  /** Names of the repository's tasks: a delegated task never takes one of them. */
  taken?: readonly string[];
}

/** The effective task, or a UserError naming every problem of the caller's input. */
export function delegatedTask(o: DelegatedTaskOptions): Task {
  const name = o.name ?? `${DELEGATE_PREFIX}${randomBytes(3).toString("hex")}`;
  if (o.taken?.includes(name))
    throw new UserError(`${name} is the name of a task of this repository: choose another name`);
  const file: TaskFile = {
    name,
    description: o.description ?? "Delegated from a Claude Code session",
    prompt: o.prompt,
    ...(o.agent ? { agent: o.agent } : {}),
    ...(o.paths ? { paths: o.paths } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
    ...(o.base ? { base: o.base } : {}),
  };
  const path = posix.join(o.configDir, `${name}.yml`);
  const files: ConfigFile[] = [{ path, text: stringify(file) }];
  if (o.defaults) files.push(o.defaults);
  const loaded = parseConfigFiles(files, { configDir: o.configDir, env: o.env ?? {} });
  const errors = loaded.problems.filter((p) => p.severity === "error");
  const task = loaded.tasks.find((t) => t.name === name);
  if (errors.length > 0 || !task)
    throw new UserError(errors.map(formatProblem).join("\n") || `task ${name} was not built`);
  return task;
}
