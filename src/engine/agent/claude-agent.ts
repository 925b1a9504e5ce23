/** Runs the real Claude Code CLI in print mode with stream-json output. */
import { buildClaudeArgs, type ClaudeAgentSettings } from "./claude-args.ts";
import { CLAUDE_HOME_FILES } from "./claude-home.ts";
import { ClaudeStreamParser } from "./claude-stream.ts";
import { agentEnv } from "./env.ts";
import { formatDuration, oneLine, truncate } from "./output.ts";
import { DEFAULT_AGENT_TIMEOUT_MS, type RunProcessResult, runProcess } from "./run-process.ts";
import { toolScope } from "./tool-rules.ts";
import type { Agent, AgentResult, AgentRunInput } from "./types.ts";

export const SUMMARY_CHARS = 4_000;
/** stream-json lines can be large (tool results); longer ones are cut and not parsed. */
const MAX_JSON_LINE_CHARS = 8 * 1024 * 1024;

/** How long Claude Code may take to exit after it reported its result. */
export const RESULT_LINGER_MS = 10_000;

export interface ClaudeAgentOptions {
  /** Overrides RESULT_LINGER_MS (tests). */
  lingerMs?: number;
  /** The `claude` executable; default: `claude` on PATH. */
  claudePath?: string;
  /** Between SIGTERM and SIGKILL when stopping the process tree. */
  killGraceMs?: number;
}

export function createClaudeAgent(settings: ClaudeAgentSettings, options: ClaudeAgentOptions = {}): Agent {
  const claudePath = options.claudePath ?? "claude";
  return {
    kind: "claude",
    async run(input: AgentRunInput): Promise<AgentResult> {
      const parser = new ClaudeStreamParser(input.cwd);
      const timeoutMs = input.timeoutMs ?? settings.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS;
      const emit = input.onEvent;
      // The file tools' rules name the worktree and what lies around it, so they are built per run.
      const args = buildClaudeArgs(settings, toolScope(input.cwd, input.env));
      // A background command the agent left (Bash `run_in_background`) keeps Claude Code alive after
      // it reported its result: once the result is in, it gets a grace period, then its tree is ended.
      const linger = new AbortController();
      const signal = input.signal ? AbortSignal.any([input.signal, linger.signal]) : linger.signal;
      let lingerTimer: NodeJS.Timeout | undefined;
      const proc = await runProcess({
        command: claudePath,
        args,
        cwd: input.cwd,
        env: agentEnv(input.env, settings.env, { kind: "claude" }),
        stdin: input.prompt,
        timeoutMs,
        signal,
        sandbox: input.sandbox,
        homeFiles: CLAUDE_HOME_FILES,
        killGraceMs: options.killGraceMs,
        maxLineChars: MAX_JSON_LINE_CHARS,
        onSpawn: (h) => emit?.({ type: "spawn", pid: h.pid, marker: h.marker }),
        onLine: (stream, line, truncated) => {
          if (stream === "stderr") emit?.({ type: "output", stream, line });
          else
            for (const event of parser.handleLine(line, truncated)) {
              emit?.(event);
              if (event.type === "result")
                lingerTimer ??= setTimeout(() => linger.abort(), options.lingerMs ?? RESULT_LINGER_MS);
            }
        },
      });
      clearTimeout(lingerTimer);
      // Ended by us after its result (not by the caller): the result stands, as if it had exited.
      const ended = proc.cancelled && linger.signal.aborted && !input.signal?.aborted;
      return claudeResult(parser, ended ? { ...proc, cancelled: false, exitCode: 0 } : proc, {
        claudePath,
        timeoutMs,
      });
    },
  };
}

const TRANSIENT_ERROR_CODES = new Set(["rate_limit", "overloaded", "server_error"]);

/** 408/409/429, 5xx and 529 are worth retrying later; 400/401/403/404/413 are not. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Maps what the CLI printed and how it ended to an AgentResult. Exported for unit tests. */
export function claudeResult(
  parser: ClaudeStreamParser,
  proc: RunProcessResult,
  ctx: { claudePath: string; timeoutMs: number },
): AgentResult {
  const base = {
    exitCode: proc.exitCode,
    durationMs: proc.durationMs,
    outputTail: proc.tail.toString(),
    sessionId: parser.sessionId,
    model: parser.model,
  };
  const lastStderr = proc.stderrTail.lastLines(1)[0];
  const fail = (error: string, extra: Partial<AgentResult> = {}): AgentResult => ({
    ...base,
    status: "failed",
    transient: false,
    summary: truncate(parser.lastText ?? "", SUMMARY_CHARS),
    error: oneLine(error),
    ...extra,
  });

  if (proc.spawnError) {
    const code = (proc.spawnError as NodeJS.ErrnoException).code;
    if (code !== "ENOENT")
      return fail(`could not start Claude Code (${ctx.claudePath}): ${proc.spawnError.message}`);
    return fail(
      `could not start Claude Code (${ctx.claudePath}): not found; install it with \`npm i -g @anthropic-ai/claude-code\` or set CLAUDE_TASKS_CLAUDE to its path`,
    );
  }
  if (proc.cancelled) {
    return { ...fail("cancelled"), status: "cancelled" };
  }
  const r = parser.result;
  if (!r) {
    if (proc.timedOut) {
      return {
        ...fail(`Claude Code did not finish within ${formatDuration(ctx.timeoutMs)}`),
        status: "timeout",
      };
    }
    if (proc.signal) return fail(`Claude Code was killed by ${proc.signal} before it reported a result`);
    if (parser.nonJsonLines > 0 && !parser.sessionId) {
      return fail(`Claude Code printed output that is not stream-json: ${parser.lastNonJsonLine}`);
    }
    const why = lastStderr ? `: ${lastStderr}` : "";
    return fail(`Claude Code exited with code ${proc.exitCode} without reporting a result${why}`);
  }

  const common: Partial<AgentResult> = {
    sessionId: r.sessionId ?? parser.sessionId,
    numTurns: r.numTurns,
    costUsd: r.costUsd,
    permissionDenials: r.permissionDenials,
    apiErrorStatus: r.apiErrorStatus,
    summary: truncate(r.text || parser.lastText || "", SUMMARY_CHARS),
  };
  const stopped = r.errors.length > 0 ? r.errors.join("; ") : r.text;

  if (r.subtype === "success" && !r.isError && proc.exitCode === 0) {
    return { ...base, ...common, status: "success", transient: false, summary: common.summary ?? "" };
  }
  if (r.subtype === "error_max_turns") {
    return {
      ...fail(`Claude Code stopped: ${stopped || "reached the maximum number of turns"}`, common),
      status: "max_turns",
    };
  }
  if (r.subtype === "error_max_budget_usd") {
    return {
      ...fail(`Claude Code stopped: ${stopped || "reached the maximum budget"}`, common),
      status: "budget_exhausted",
    };
  }
  if (r.isError) {
    const status = r.apiErrorStatus;
    const code = parser.lastAssistantError;
    if (code === "authentication_failed" && status === undefined) {
      return fail(
        `no credentials: set ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN (Claude Code said: ${r.text})`,
        common,
      );
    }
    const transient =
      status !== undefined ? isTransientStatus(status) : TRANSIENT_ERROR_CODES.has(code ?? "");
    return fail(`Claude Code reported an error: ${stopped || r.subtype}`, { ...common, transient });
  }
  if (r.subtype !== "success") return fail(`Claude Code stopped (${r.subtype}): ${stopped}`, common);
  return fail(`Claude Code exited with code ${proc.exitCode} after reporting success`, common);
}
