import { resolveBranch } from "./branch-template.ts";
import { effectiveDeny } from "./effective-deny.ts";
import type { Task, TaskFileOutput } from "./schema.ts";

export interface NormaliseContext {
  name: string;
  file: string;
  /** `agent.env` after `{{ env.NAME }}` substitution. */
  env: Record<string, string>;
  /** The values as written, for the keys that were substituted. */
  envTemplates: Record<string, string>;
}

/** The effective task: the validated file plus what depends on its name and environment. */
export function toTask(output: TaskFileOutput, ctx: NormaliseContext): Task {
  const { name: _name, branch, agent, paths, pr, ...rest } = output;
  return {
    name: ctx.name,
    file: ctx.file,
    kind: output.run === undefined ? "claude" : "command",
    ...rest,
    branch: resolveBranch(branch, ctx.name),
    agent: { ...agent, env: ctx.env, env_templates: ctx.envTemplates },
    paths: { allow: paths.allow, deny: effectiveDeny(paths) },
    pr: { ...pr, title: pr.title ?? `claude-tasks: ${ctx.name}` },
  };
}

/**
 * The task as it may be shown (`list --json`, reports): `agent.env` values that came from
 * `{{ env.NAME }}` are shown as written, so secrets never reach the output.
 */
export function redactTask(task: Task): Task {
  return { ...task, agent: { ...task.agent, env: { ...task.agent.env, ...task.agent.env_templates } } };
}
