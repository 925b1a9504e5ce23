/** The engine's entry points the Action calls, in one object: a test replaces them with a recorder. */
import { createRunControl } from "../engine/budget/control.ts";
import { type CiFailureOptions, type CiFailureOutcome, handleCiFailure } from "../engine/event/ci-failure.ts";
import { type CommentFlowOptions, type CommentOutcome, handleComment } from "../engine/event/comment-flow.ts";
import { type ResolvedRun, type ResolveRunInput, resolveRun } from "../engine/event/resolve-run.ts";
import { expireStalePullRequests } from "../engine/github/expire.ts";
import { type LoadProjectOptions, loadProject, type Project } from "../engine/project.ts";
import { exportResults, publishResults } from "../engine/publish/index.ts";
import type { RunTasksOptions } from "../engine/run/options.ts";
import { runTasks } from "../engine/run/run-tasks.ts";
import type { RunReport } from "../engine/run/types.ts";

export interface ActionEngine {
  loadProject(opts: LoadProjectOptions): Promise<Project>;
  /** The event's decision → `{ plan, notes, trigger, runId, … }`. */
  resolveRun(input: ResolveRunInput): Promise<ResolvedRun>;
  /** Executes a resolved run's plan. */
  runTasks(opts: RunTasksOptions): Promise<RunReport>;
  /** A comment command, from the event to the reply (its runs go through `resolveRun` and `runTasks`). */
  handleComment(opts: CommentFlowOptions): Promise<CommentOutcome>;
  /** A failed workflow run on a task's branch: a fix on top, or a comment (see ci-failure.ts). */
  handleCiFailure(opts: CiFailureOptions): Promise<CiFailureOutcome>;
  /** `run-only`: each result written for the publish job. */
  exportResults: typeof exportResults;
  /** `publish`: checks and lands what the run jobs handed over. */
  publishResults: typeof publishResults;
  /** Budgets, locks and skipping unchanged work against the ledger (engine/budget). */
  createRunControl: typeof createRunControl;
  /** `pr.expires`: stale task PRs with only claude-tasks commits closed, their branches backed up and deleted. */
  expireStalePullRequests: typeof expireStalePullRequests;
}

export const ENGINE: ActionEngine = {
  loadProject,
  resolveRun,
  runTasks,
  handleComment,
  handleCiFailure,
  exportResults,
  publishResults,
  createRunControl,
  expireStalePullRequests,
};
