export {
  type ClaudeAgentOptions,
  claudeResult,
  createClaudeAgent,
  isTransientStatus,
} from "./claude-agent.ts";
export { buildClaudeArgs, type ClaudeAgentSettings } from "./claude-args.ts";
export { ClaudeStreamParser, describeToolUse } from "./claude-stream.ts";
export { type ClaudeAvailability, claudeAvailable, parseClaudeVersion } from "./claude-version.ts";
export { type CommandAgentOptions, createCommandAgent } from "./command-agent.ts";
export {
  type AgentEnvOptions,
  type AgentKind,
  agentEnv,
  DEFAULT_CLAUDE_MAX_RETRIES,
  MODEL_CREDENTIAL_VARS,
  scrubbedEnv,
  scrubReason,
} from "./env.ts";
export { formatDuration } from "./output.ts";
export {
  agentProcessesIn,
  findTree,
  killTree,
  MARKER_VAR,
  stopAgentProcessesIn,
  type TreeHandle,
} from "./process-tree.ts";
export { DEFAULT_AGENT_TIMEOUT_MS, DEFAULT_KILL_GRACE_MS } from "./run-process.ts";
export {
  type DirLister,
  denyRules,
  FILE_TOOLS,
  protectedRoots,
  rulePath,
  scopeAllowedTools,
  splitToolRules,
  type ToolScope,
  toolScope,
} from "./tool-rules.ts";
export type {
  Agent,
  AgentEvent,
  AgentResult,
  AgentRunInput,
  AgentStatus,
  PermissionDenial,
} from "./types.ts";
