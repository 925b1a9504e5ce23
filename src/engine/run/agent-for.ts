import { type Agent, createClaudeAgent, createCommandAgent } from "../agent/index.ts";
import { parseDuration, type Task } from "../config/index.ts";

/** The real agent for a task: Claude Code for `prompt`/`prompt_file`, the shell for `run`. */
export function defaultAgentFor(task: Task, opts: { claudePath?: string } = {}): Agent {
  const timeoutMs = parseDuration(task.agent.timeout);
  if (task.kind === "command") return createCommandAgent(task.run ?? "", { timeoutMs, env: task.agent.env });
  return createClaudeAgent({ ...task.agent, timeoutMs }, { claudePath: opts.claudePath });
}
