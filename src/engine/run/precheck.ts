/**
 * `if_command:` — a task's cheap pre-check. It is a `run:` command like any other (attacker code: it
 * runs with the command agent, so with the scrubbed environment, in the task's sandbox, in its
 * worktree), only its exit code matters: 0 lets the task run, anything else skips it. Nothing it
 * prints reaches a summary; whatever it writes in the worktree is discarded before the task starts.
 */
import { createCommandAgent } from "../agent/index.ts";
import type { Task } from "../config/index.ts";
import type { Worktree } from "../git/index.ts";
import type { SandboxSession } from "../sandbox/types.ts";

/** Longest a pre-check may take; no answer in time counts as "do not run". */
export const IF_COMMAND_TIMEOUT_MS = 60_000;

export type PrecheckOutcome =
  | { run: true }
  | { run: false; cancelled: boolean; reason: string; exitCode: number | null };

export interface PrecheckOptions {
  task: Task;
  worktree: Worktree;
  env: Record<string, string | undefined>;
  sandbox?: SandboxSession | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number;
  /** Runs right after the command, before the engine's git touches the worktree (integrity check). */
  after?: () => Promise<void>;
}

export async function runPrecheck(opts: PrecheckOptions): Promise<PrecheckOutcome> {
  const command = opts.task.if_command;
  if (command === undefined) return { run: true };
  const timeoutMs = opts.timeoutMs ?? IF_COMMAND_TIMEOUT_MS;
  const agent = createCommandAgent(command, { env: opts.task.agent.env, timeoutMs });
  const r = await agent.run({
    cwd: opts.worktree.path,
    prompt: "",
    env: opts.env,
    timeoutMs,
    signal: opts.signal,
    sandbox: opts.sandbox,
  });
  await opts.after?.();
  // the worktree goes back to its commit: the pre-check's files never reach the task or its change
  await opts.worktree.git.run(["reset", "--hard", "--quiet", opts.worktree.baseCommit]);
  await opts.worktree.git.run(["clean", "-fdq"]);
  if (r.status === "success") return { run: true };
  const seconds = Math.round(timeoutMs / 1000);
  // only numbers and fixed words: nothing the command printed goes into the reason
  const reason =
    r.status === "cancelled"
      ? "cancelled during if_command"
      : r.status === "timeout"
        ? `skipped: if_command did not finish within ${seconds}s`
        : r.exitCode !== null
          ? `skipped: if_command exited ${r.exitCode}`
          : "skipped: if_command could not run (it did not start or was killed)";
  return { run: false, cancelled: r.status === "cancelled", reason, exitCode: r.exitCode };
}
