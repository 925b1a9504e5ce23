/**
 * The Claude Code command line for a task's `agent:` settings. Pure; checked against the pinned CLI.
 * The file tools are confined to the worktree by rules built from a `ToolScope` (tool-rules.ts, which
 * records what the pinned CLI was observed to do with each rule form).
 */
import { scopeAllowedTools, type ToolScope } from "./tool-rules.ts";

/** A task's `agent:` block, already normalised (durations in ms). Field names follow the task file. */
export interface ClaudeAgentSettings {
  model?: string;
  max_turns?: number;
  max_budget_usd?: number;
  /** `agent.timeout`, converted. Used when the run input gives no timeout. */
  timeoutMs?: number;
  allowed_tools?: readonly string[];
  disallowed_tools?: readonly string[];
  permission_mode?: string;
  append_system_prompt?: string;
  /** Extra CLI arguments, passed through verbatim after everything else. */
  args?: readonly string[];
  /** Added to the scrubbed environment; wins over it. */
  env?: Record<string, string>;
}

/**
 * The argv (without the program) for `claude`. The prompt is not in it: it goes on stdin, so it can
 * be any size and never reads as a flag. Tool lists are passed as one value per tool (the CLI's
 * `<tools...>` form); `--verbose` follows them so a variadic list never swallows what comes next.
 *
 * With a `scope` (every real run has one): bare `Read`, `Edit`, `Write`, `MultiEdit`, `NotebookEdit`,
 * `Glob`, `Grep` become rules limited to the worktree (a bare one would reach any path), rules the
 * task wrote itself (`Edit(docs/**)`, `Bash(npm test:*)`) pass unchanged, and the scope's deny rules
 * follow the task's own `disallowed_tools`.
 */
export function buildClaudeArgs(settings: ClaudeAgentSettings, scope?: ToolScope): string[] {
  const argv = ["-p", "--output-format", "stream-json"];
  if (settings.model) argv.push("--model", settings.model);
  if (settings.max_turns !== undefined) argv.push("--max-turns", String(settings.max_turns));
  if (settings.max_budget_usd !== undefined) argv.push("--max-budget-usd", String(settings.max_budget_usd));
  if (settings.permission_mode) argv.push("--permission-mode", settings.permission_mode);
  if (settings.append_system_prompt) argv.push("--append-system-prompt", settings.append_system_prompt);
  const allowed = scope
    ? scopeAllowedTools(settings.allowed_tools ?? [], scope.worktree)
    : (settings.allowed_tools ?? []);
  const disallowed = [...(settings.disallowed_tools ?? []), ...(scope?.deny ?? [])];
  if (allowed.length) argv.push("--allowedTools", ...allowed);
  if (disallowed.length) argv.push("--disallowedTools", ...disallowed);
  // stream-json in print mode requires --verbose.
  argv.push("--verbose");
  if (settings.args?.length) argv.push(...settings.args);
  return argv;
}
