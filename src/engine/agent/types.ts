import type { SandboxSession } from "../sandbox/types.ts";

/** The agent layer: one small interface, two implementations (Claude Code and a plain command). */

export type AgentStatus = "success" | "failed" | "max_turns" | "budget_exhausted" | "timeout" | "cancelled";

export interface AgentRunInput {
  /** The working directory (the task's worktree). */
  cwd: string;
  /** The prompt for Claude Code (sent on stdin). Command agents ignore it. */
  prompt: string;
  /** Wall-clock limit; on expiry the whole process tree is stopped. Falls back to the agent's setting. */
  timeoutMs?: number;
  /**
   * The base environment, usually `process.env`. The agent scrubs it (see `agentEnv`) and adds the
   * task's own `env`; the child never sees the raw base environment.
   */
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** The sandbox the process runs in; without one it runs directly (the run opted out of isolation). */
  sandbox?: SandboxSession;
  onEvent?: (event: AgentEvent) => void;
}

export interface PermissionDenial {
  tool: string;
  /** A short human description, e.g. `Bash: rm -rf build`. */
  description: string;
}

export interface AgentResult {
  status: AgentStatus;
  /** True when retrying later may succeed: rate limits, overload, 5xx, dropped connections. */
  transient: boolean;
  /** The process exit code; null when it was ended by a signal or never started. */
  exitCode: number | null;
  /** The final answer (Claude) or the last lines of output (command), bounded. */
  summary: string;
  sessionId?: string;
  model?: string;
  numTurns?: number;
  costUsd?: number;
  durationMs: number;
  permissionDenials?: PermissionDenial[];
  apiErrorStatus?: number;
  /** One line, for humans, present whenever status is not "success". */
  error?: string;
  /** The last ~64 KiB of raw output (stdout and stderr interleaved by arrival), long lines cut. */
  outputTail: string;
}

export type AgentEvent =
  /** The child process started; `pid` is also its process group and session id. */
  | { type: "spawn"; pid: number; marker: string }
  | {
      type: "init";
      sessionId?: string;
      model?: string;
      tools: string[];
      permissionMode?: string;
      version?: string;
    }
  | { type: "text"; text: string }
  | { type: "tool_use"; tool: string; id?: string; description: string }
  | { type: "tool_result"; id?: string; isError: boolean }
  | { type: "permission_denied"; tool: string; message: string }
  | {
      type: "api_retry";
      attempt: number;
      maxRetries?: number;
      delayMs?: number;
      status?: number;
      error?: string;
    }
  | { type: "result"; subtype: string; isError: boolean; numTurns?: number; costUsd?: number }
  | { type: "output"; stream: "stdout" | "stderr"; line: string };

export interface Agent {
  /** "claude" or "command": for reports and logs. */
  readonly kind: "claude" | "command";
  run(input: AgentRunInput): Promise<AgentResult>;
}
