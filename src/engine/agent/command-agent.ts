/** Runs a task's `run:` command with bash (or sh) in the worktree, like a Claude task without Claude. */
import { findOnPath } from "../process/path.ts";
import { agentEnv } from "./env.ts";
import { formatDuration, oneLine, truncateStart } from "./output.ts";
import { DEFAULT_AGENT_TIMEOUT_MS, runProcess } from "./run-process.ts";
import type { Agent, AgentResult, AgentRunInput } from "./types.ts";

export interface CommandAgentOptions {
  /** Added to the scrubbed environment; wins over it. */
  env?: Record<string, string>;
  /** Used when the run input gives no timeout. */
  timeoutMs?: number;
  /** The shell; default: bash on PATH, else /bin/sh. */
  shell?: string;
  killGraceMs?: number;
  /** How many trailing output lines make the summary. */
  summaryLines?: number;
}

export function createCommandAgent(command: string, options: CommandAgentOptions = {}): Agent {
  return {
    kind: "command",
    async run(input: AgentRunInput): Promise<AgentResult> {
      const env = agentEnv(input.env, options.env, { kind: "command" });
      const shell = options.shell ?? findOnPath("bash", env.PATH) ?? "/bin/sh";
      const timeoutMs = input.timeoutMs ?? options.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS;
      const emit = input.onEvent;
      const proc = await runProcess({
        command: shell,
        args: ["-c", command],
        cwd: input.cwd,
        env,
        timeoutMs,
        signal: input.signal,
        sandbox: input.sandbox,
        killGraceMs: options.killGraceMs,
        maxLineChars: 16 * 1024,
        onSpawn: (h) => emit?.({ type: "spawn", pid: h.pid, marker: h.marker }),
        onLine: emit ? (stream, line) => emit({ type: "output", stream, line }) : undefined,
      });
      const summary = truncateStart(proc.tail.lastLines(options.summaryLines ?? 20).join("\n"), 4_000);
      const base = {
        exitCode: proc.exitCode,
        durationMs: proc.durationMs,
        outputTail: proc.tail.toString(),
        summary,
        transient: false,
      };
      const name = oneLine(command, 80);
      if (proc.spawnError) {
        return {
          ...base,
          status: "failed",
          error: oneLine(`could not start ${shell}: ${proc.spawnError.message}`),
        };
      }
      if (proc.cancelled) return { ...base, status: "cancelled", error: "cancelled" };
      if (proc.timedOut) {
        return {
          ...base,
          status: "timeout",
          error: `\`${name}\` did not finish within ${formatDuration(timeoutMs)}`,
        };
      }
      if (proc.signal)
        return { ...base, status: "failed", error: `\`${name}\` was killed by ${proc.signal}` };
      if (proc.exitCode !== 0) {
        return { ...base, status: "failed", error: `\`${name}\` exited with code ${proc.exitCode}` };
      }
      return { ...base, status: "success" };
    },
  };
}
