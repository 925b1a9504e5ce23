/**
 * Runs the agent with the task's retry policy: only transient failures (rate limit, overload, 5xx,
 * network) are retried, after exponential backoff with jitter. Before a retry the worktree is reset to
 * the base — after the partial work was saved in a backup, so nothing is ever lost.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Agent, AgentResult } from "../agent/index.ts";
import { parseDuration, type Task } from "../config/index.ts";
import { collectChanges, NoBackupError, type Worktree, writeChangeBackup } from "../git/index.ts";
import type { SandboxSession } from "../sandbox/types.ts";
import { backoffDelay } from "./backoff.ts";
import type { RunEvent } from "./options.ts";
import { redactorFor } from "./redact.ts";

export interface AttemptsOptions {
  task: Task;
  agent: Agent;
  worktree: Worktree;
  prompt: string;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  emit: (e: RunEvent) => void;
  random?: () => number;
  /** Runs before every attempt, in the (clean) worktree. */
  prepare?: () => Promise<void>;
  /** The sandbox the agent runs in (absent: no isolation). */
  sandbox?: SandboxSession;
  /** Runs right after every attempt, before the engine's git touches the worktree (integrity check). */
  afterAgent?: () => Promise<void>;
}

export interface AttemptsResult {
  result: AgentResult;
  attempts: number;
  /** Backups of the work of failed attempts, taken before the worktree was reset for a retry. */
  partialBackups: string[];
}

export async function runAttempts(opts: AttemptsOptions): Promise<AttemptsResult> {
  const { task, worktree: wt } = opts;
  const max = task.retry.attempts;
  const backoffMs = parseDuration(task.retry.backoff);
  const partialBackups: string[] = [];
  const redact = redactorFor(task);
  for (let attempt = 1; ; attempt++) {
    opts.emit({ type: "task-start", task: task.name, attempt });
    await opts.prepare?.();
    // what the agent said is redacted before it reaches a retry event, a backup or the caller
    const raw = await opts.agent.run({
      cwd: wt.path,
      prompt: opts.prompt,
      env: opts.env,
      signal: opts.signal,
      sandbox: opts.sandbox,
      onEvent: (event) => opts.emit({ type: "agent", task: task.name, event: redact.event(event) }),
    });
    await opts.afterAgent?.();
    const result = redact.result(raw);
    const retry = result.status === "failed" && result.transient && attempt < max && !opts.signal?.aborted;
    if (!retry) return { result, attempts: attempt, partialBackups };

    const partial = await collectChanges({ git: wt.git, base: wt.baseCommit });
    if (partial.files.length > 0) {
      const saved = await writeChangeBackup({
        git: wt.git,
        change: partial,
        stateDir: wt.stateDir,
        runId: wt.runId,
        task: task.name,
        reason: `before retry ${attempt + 1}: partial work of attempt ${attempt}`,
        details: { error: result.error, apiErrorStatus: result.apiErrorStatus },
      }).catch((err: unknown) => {
        if (err instanceof NoBackupError) return undefined; // too large to keep: the retry starts clean
        throw err;
      });
      if (saved) partialBackups.push(saved.id);
    }
    await wt.git.run(["reset", "--hard", "--quiet", wt.baseCommit]);
    await wt.git.run(["clean", "-fdq"]);
    const delayMs = backoffDelay(backoffMs, attempt, opts.random);
    opts.emit({
      type: "task-retry",
      task: task.name,
      attempt: attempt + 1,
      delayMs,
      reason: result.error ?? "transient error",
    });
    try {
      await sleep(delayMs, undefined, { signal: opts.signal });
    } catch {
      // Cancelled while waiting: the run ends as cancelled, not as the transient failure before it.
      const error = `cancelled while waiting to retry (attempt ${attempt} failed: ${result.error ?? "transient error"})`;
      return { result: { ...result, status: "cancelled", error }, attempts: attempt, partialBackups };
    }
  }
}
