import type { Agent, AgentEvent } from "../agent/index.ts";
import type { RunControl } from "../budget/control.ts";
import type { Task } from "../config/index.ts";
import type { Logger } from "../logger.ts";
import type { RunPlan } from "../plan/index.ts";
import type { Isolation } from "../sandbox/types.ts";
import type { OntoBranch } from "./onto.ts";
import type { TrustedConfig } from "./trusted-config.ts";
import type { PullRequestSummary, RunMode, TaskResult, TaskStatus } from "./types.ts";

export type { OntoBranch } from "./onto.ts";

/**
 * How a task's result leaves the machine. The CLI's default keeps a local branch (no publisher);
 * the Action passes a GitHub publisher that opens or updates the task's PR after the engine pushed.
 */
export interface Publisher {
  publish(ctx: PublishContext): Promise<PullRequestSummary | undefined>;
  /** Gets ready to publish (loads the API client) while the agents run. */
  prepare?(): void;
  /** Comments on the open pull request of `branch` (e.g. conflicts the agent could not resolve). */
  comment?(ctx: { branch: string; base: string }, body: string): Promise<void>;
  /**
   * Makes task commits through the host's API, which signs them (GitHub: `createCommitOnBranch`,
   * "Verified"). Absent: task commits are pushed with git, unsigned.
   */
  signer?: CommitSigner;
}

/** A commit made by the host for the engine: the host signs it. */
export interface CommitSigner {
  /**
   * Whether a change the API cannot express (an executable bit, a symbolic link, a submodule, a file
   * or a change too large) may be pushed unsigned with git instead; otherwise it is refused.
   */
  allowUnsigned: boolean;
  /**
   * Commits `additions`/`deletions` on `branch`, only if its head is `expectedHead` (the lease).
   * Returns the new commit's id (with its tree and parents, when the host reports them); any refusal
   * throws.
   */
  commitOnBranch(o: {
    branch: string;
    expectedHead: string;
    headline: string;
    body: string;
    additions: readonly { path: string; contents: Buffer }[];
    deletions: readonly string[];
  }): Promise<{ oid: string; tree?: string; parents?: string[] }>;
}

export interface PublishContext {
  task: Task;
  /** The result so far (status success or no_changes); its Markdown report becomes the PR body. */
  result: TaskResult;
  branch: string;
  base: string;
  hasChanges: boolean;
  /** Whether the task branch existed on the remote before this run pushed. */
  branchExistedOnRemote: boolean;
  dryRun: boolean;
}

/** Progress for a terminal or the Actions log; every field is plain data. */
export type RunEvent =
  | { type: "run-start"; runId: string; mode: RunMode; tasks: string[] }
  | { type: "task-start"; task: string; attempt: number }
  | { type: "task-phase"; task: string; phase: string }
  | { type: "agent"; task: string; event: AgentEvent }
  | { type: "task-retry"; task: string; attempt: number; delayMs: number; reason: string }
  | { type: "task-end"; task: string; status: TaskStatus; message: string; result: TaskResult }
  | { type: "run-end"; ok: boolean; durationMs: number };

/**
 * A follow-up run on a task's own branch (a CI fix, a conflict resolution): what the agent is told on
 * top of the task's prompt, and how its commit is marked.
 */
export interface FollowUp {
  /** Appended to the task's prompt; the maker fences any untrusted data in it. */
  context: string;
  /** The commit's subject (instead of the task's PR title). */
  subject: string;
  /** Trailers of the commit, after the task and run ones (e.g. `Claude-Tasks-CI-Fix: 1`). */
  trailers: Record<string, string>;
}

export interface RunTasksOptions {
  /** The user's repository (any directory inside it). */
  repoRoot: string;
  /**
   * What runs: the plan's tasks, in its order, with its needs, conditions and fire times (see
   * `buildPlan`; `planOf` plans given tasks as they are).
   */
  plan: RunPlan;
  /** The tasks' definitions, effective (defaults applied): every task the plan names must be here. */
  tasks: readonly Task[];
  mode: RunMode;
  /** Default 4. */
  maxParallel?: number;
  /** The remote to fetch the base from and push to; default `origin` when it exists. */
  remote?: string;
  /** Overrides every task's `base` (the Action's `base` input). */
  base?: string;
  /** The repository's default branch when the caller knows it (the event payload): no remote lookup. */
  defaultBase?: string;
  /**
   * The checkout holds the base as the remote had it moments ago (a CI checkout): each task's worktree
   * starts from it at once and the remote checks (base, task branch, its authors) run meanwhile.
   */
  localBaseFirst?: boolean;
  /** Commit onto this existing branch instead of the task branch (PR comment commands). */
  onto?: OntoBranch;
  /** With `onto`: a follow-up of the task on its own branch (see FollowUp). */
  followUp?: FollowUp;
  /**
   * For runs on a PR's head: Claude Code's settings, hooks, MCP config and memory files are taken from
   * this trusted source (the base branch), never from the head (see trusted-config.ts).
   */
  trustedConfig?: TrustedConfig;
  /** Opens/updates the PR in `pr` mode. */
  publisher?: Publisher;
  /**
   * Take the base and task branch tips from the remote in a dry run too (as `pr` mode does) without
   * previewing pull requests: the run jobs of the reusable workflow, which hand their results over.
   */
  tipsFromRemote?: boolean;
  /**
   * Extra git environment for fetch/push (e.g. an `http.extraheader` carrying the token); `undefined`
   * removes an inherited variable.
   */
  gitEnv?: Record<string, string | undefined>;
  /** Base environment for agents (scrubbed before use). Default `process.env`. */
  env?: Record<string, string | undefined>;
  claudePath?: string;
  /**
   * How agents are isolated: `sandbox` (default; refuses to run where no sandbox can be had) or
   * `none` (an explicit opt-out, warned about in the log and the report).
   */
  isolation?: Isolation;
  /** Between SIGTERM and SIGKILL when an agent's process tree is stopped (timeout, cancel). Default 5 s. */
  killGraceMs?: number;
  /** Injects the agent (tests, benchmarks); default: Claude Code or the command runner. */
  agentFor?: (task: Task) => Agent;
  onEvent?: (event: RunEvent) => void;
  logger?: Logger;
  signal?: AbortSignal;
  /** Shown in reports: "schedule 2026-11-20T06:00Z", "workflow_dispatch", "comment by @octocat", … */
  trigger?: string;
  runId?: string;
  /**
   * Budgets, one run per task, skipping unchanged work: asked before each task starts (a refusal is a
   * skipped result with `notRun` set, before any worktree or agent) and told how each run ended.
   */
  control?: RunControl;
}
