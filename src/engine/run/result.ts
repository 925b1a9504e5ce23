import type { AgentResult } from "../agent/index.ts";
import type { Admitted } from "../budget/admit.ts";
import type { Change } from "../git/index.ts";
import type { AgentSummary, FileChangeSummary, TaskResult } from "./types.ts";

/** Costs are kept in whole micro-dollars, so a task's cost and the run's total add up exactly. */
export const roundUsd = (n: number) => Math.round(n * 1e6) / 1e6;

export function newResult(
  task: string,
  branch: string,
  base: string,
  trigger?: string,
  fireTimes?: string[],
): TaskResult {
  return {
    task,
    status: "failed",
    message: "",
    branch,
    base,
    attempts: 0,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    files: [],
    additions: 0,
    deletions: 0,
    violations: [],
    conflicts: [],
    ...(trigger ? { trigger } : {}),
    ...(fireTimes?.length ? { fireTimes } : {}),
  };
}

/** The task's lock refused the run: it did not happen, and its work (if any) is in its backup. */
export function notAdmitted(r: TaskResult, refused: Extract<Admitted, { ok: false }>): void {
  r.status = "skipped";
  r.notRun = refused.kind;
  r.message = refused.reason;
  if (r.backup) r.message += `; the run's work is in backup ${r.backup}`;
}

/** A skipped task's result (dependency outcome, cancelled before start). */
export function skippedResult(task: string, branch: string, base: string, reason: string): TaskResult {
  return { ...newResult(task, branch, base), status: "skipped", message: reason };
}

export function summariseAgent(kind: "claude" | "command", a: AgentResult): AgentSummary {
  return {
    kind,
    status: a.status,
    summary: a.summary,
    ...(a.error ? { error: a.error } : {}),
    ...(a.model ? { model: a.model } : {}),
    ...(a.sessionId ? { sessionId: a.sessionId } : {}),
    ...(a.numTurns !== undefined ? { numTurns: a.numTurns } : {}),
    ...(a.costUsd !== undefined ? { costUsd: roundUsd(a.costUsd) } : {}),
    durationMs: a.durationMs,
    ...(a.apiErrorStatus !== undefined ? { apiErrorStatus: a.apiErrorStatus } : {}),
    transient: a.transient,
    ...(a.permissionDenials?.length ? { permissionDenials: a.permissionDenials.length } : {}),
  };
}

export function summariseFiles(change: Change): Pick<TaskResult, "files" | "additions" | "deletions"> {
  const files: FileChangeSummary[] = change.files.map((f) => ({
    path: f.path,
    status: f.status,
    ...(f.oldPath ? { oldPath: f.oldPath } : {}),
    additions: f.additions,
    deletions: f.deletions,
    binary: f.binary,
  }));
  return { files, additions: change.additions, deletions: change.deletions };
}
