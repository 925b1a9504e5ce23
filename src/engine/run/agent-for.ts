import { type Agent, createClaudeAgent, createCommandAgent } from "../agent/index.ts";
import { parseDuration, type Task } from "../config/index.ts";

export interface AgentForOptions {
  claudePath?: string;
  killGraceMs?: number;
}

/** The real agent for a task: Claude Code for `prompt`/`prompt_file`, the shell for `run`. */
export function defaultAgentFor(task: Task, opts: AgentForOptions = {}): Agent {
  const timeoutMs = parseDuration(task.agent.timeout);
  const { killGraceMs } = opts;
  if (task.kind === "command")
    return createCommandAgent(task.run ?? "", { timeoutMs, env: task.agent.env, killGraceMs });
  return createClaudeAgent({ ...task.agent, timeoutMs }, { claudePath: opts.claudePath, killGraceMs });
}
