import type { NotRunKind } from "../budget/ledger.ts";
import type { Isolation } from "../sandbox/types.ts";
/**
 * The outcome of running tasks: what the CLI prints, the Action outputs, the PR body and the run
 * log are all rendered from these plain, serialisable objects.
 */

export type TaskStatus =
  | "success" // a change was committed to the task branch (or, in a dry run, would have been)
  | "no_changes" // the task ran and changed nothing
  | "failed" // the agent or command failed
  | "timeout" // agent.timeout elapsed; the process tree was killed
  | "max_turns" // Claude Code stopped at agent.max_turns
  | "budget_exhausted" // Claude Code stopped at agent.max_budget_usd; the work so far is backed up
  | "refused" // the change broke a guard (paths, limits, symlinks, credentials)
  | "conflict" // the change conflicts with the latest base
  | "skipped" // not run: a dependency's outcome, a foreign branch, …
  | "cancelled"; // interrupted (Ctrl-C / SIGTERM)

/** What a task's status means for everything after it: its dependents' `if:`, the run's `ok` and exit code, the counts. */
export type Outcome = "success" | "failure" | "skipped";

const OUTCOMES: Record<TaskStatus, Outcome> = {
  success: "success",
  no_changes: "success",
  failed: "failure",
  timeout: "failure",
  max_turns: "failure",
  budget_exhausted: "failure",
  refused: "failure",
  conflict: "failure",
  cancelled: "failure",
  skipped: "skipped",
};

/** The one answer to "did this task fail?". A status this version does not know (an old log line) is none of the three. */
export function outcomeOf(status: TaskStatus): Outcome | undefined {
  return Object.hasOwn(OUTCOMES, status) ? OUTCOMES[status] : undefined;
}

export type RunMode = "dry-run" | "local" | "pr";

export interface FileChangeSummary {
  path: string;
  status: string;
  oldPath?: string;
  additions: number;
  deletions: number;
  binary: boolean;
}

export interface GuardViolationSummary {
  rule: string;
  file?: string;
  line?: number;
  message: string;
}

export interface AgentSummary {
  kind: "claude" | "command";
  status: string;
  summary: string;
  error?: string;
  model?: string;
  sessionId?: string;
  numTurns?: number;
  costUsd?: number;
  durationMs: number;
  apiErrorStatus?: number;
  transient: boolean;
  permissionDenials?: number;
}

export interface PullRequestSummary {
  action: "created" | "updated" | "unchanged" | "closed" | "none" | "would-create" | "would-update";
  number?: number;
  url?: string;
  apiCalls?: number;
}

export interface TaskResult {
  task: string;
  status: TaskStatus;
  /** One line: why the task ended like this. */
  message: string;
  branch: string;
  base: string;
  baseCommit?: string;
  commit?: string;
  attempts: number;
  startedAt: string;
  durationMs: number;
  agent?: AgentSummary;
  files: FileChangeSummary[];
  additions: number;
  deletions: number;
  violations: GuardViolationSummary[];
  conflicts: string[];
  rebased?: boolean;
  /**
   * How the task commit reached the remote: `signed` (made by GitHub through its API, "Verified"),
   * `unsigned` (pushed with git). Absent when nothing was pushed.
   */
  signature?: "signed" | "unsigned";
  /**
   * The task commit as this run made it, where `commit` is GitHub's signed commit of the same tree on
   * the same parent and was not fetched: what the run's own checks after landing read (conflicts
   * between tasks).
   */
  localCommit?: string;
  backup?: string;
  pr?: PullRequestSummary;
  fireTimes?: string[];
  trigger?: string;
  /** Set when the task did not start (status `skipped`): refused by a budget, nothing changed, another run held it, … */
  notRun?: NotRunKind;
  /** Things the user should know that did not fail the task. */
  warnings?: string[];
}

export interface CrossConflict {
  tasks: [string, string];
  files: string[];
}

export interface RunReport {
  version: 1;
  runId: string;
  mode: RunMode;
  startedAt: string;
  durationMs: number;
  trigger?: string;
  results: TaskResult[];
  crossConflicts: CrossConflict[];
  /** How agents were isolated in this run (`none`: an explicit opt-out, shown as a warning). */
  isolation?: Isolation;
  totalCostUsd: number;
  ok: boolean;
}
