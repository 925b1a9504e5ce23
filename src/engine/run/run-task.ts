/**
 * One task, start to end: base → ownership check → worktree → agent (with retries) → collect the
 * change → guards → backup → commit → conflict check / rebase → land (local branch, push + PR, or
 * nothing in a dry run). Never throws: every outcome is a TaskResult, and whatever happens the work
 * is in a backup before the worktree goes away.
 */
import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Agent, AgentResult } from "../agent/index.ts";
import type { Task } from "../config/index.ts";
import { errorMessage } from "../errors.ts";
import {
  adminDirOf,
  compareRepo,
  createWorktree,
  foreignCommits,
  restoreRepo,
  sandboxesDir,
  snapshotRepo,
  type Worktree,
} from "../git/index.ts";
import { mdCode } from "../report/escape.ts";
import type { SandboxProvider } from "../sandbox/types.ts";
import { runAttempts } from "./attempts.ts";
import { checkChange, refuseViolations } from "./check-change.ts";
import { type LandOptions, land, type StartingPoint, taskCommit } from "./land.ts";
import { landingCanClaim, type TaskAdmission } from "./land-types.ts";
import type { OntoBranch } from "./onto.ts";
import type { FollowUp, Publisher, RunEvent } from "./options.ts";
import { runPrecheck } from "./precheck.ts";
import {
  baseTip,
  fetchBranch,
  fetchOnto,
  type LocalRefs,
  localBase,
  localRefs,
  type RepoContext,
} from "./repo-context.ts";
import { filesWithMarkers, plannedMerge, prepareMerge, resolveContext } from "./resolve-conflicts.ts";
import { newResult, notAdmitted, summariseAgent } from "./result.ts";
import type { TrustedConfig } from "./trusted-config.ts";
import { overlayTrustedConfig, removeTrustedOverlay, TRUSTED_CONFIG_PATHS } from "./trusted-config.ts";
import type { TaskResult, TaskStatus } from "./types.ts";

export interface RunTaskOptions {
  repo: RepoContext;
  task: Task;
  runId: string;
  base: string;
  agent: Agent;
  env: Record<string, string | undefined>;
  onto?: OntoBranch;
  followUp?: FollowUp;
  /** Start the worktree from the local base and check the remote meanwhile (see `startingPoint`). */
  localBaseFirst?: boolean;
  trustedConfig?: TrustedConfig;
  publisher?: Publisher;
  /** Where agents run; absent: directly (only tests that inject their own agent). */
  sandbox?: SandboxProvider;
  emit: (e: RunEvent) => void;
  signal?: AbortSignal;
  trigger?: string;
  fireTimes?: string[];
  /**
   * The task's lock, taken while the agent runs (`runTasks`, when nothing but the lock can refuse the
   * run): its answer is awaited before anything of the agent's work is used, like the remote checks,
   * or claimed by the push that lands the result; a refusal ends the task as a run that did not
   * happen, its work (if any) in a backup.
   */
  admission?: TaskAdmission;
  /** The ledger's record of the run, to ride in the push of its branch (see `RunControl.settleInPush`). */
  settleInPush?: LandOptions["settleInPush"];
}

const AGENT_STATUS: Record<AgentResult["status"], TaskStatus> = {
  success: "success",
  failed: "failed",
  timeout: "timeout",
  max_turns: "max_turns",
  budget_exhausted: "budget_exhausted",
  cancelled: "cancelled",
};

export async function runTask(opts: RunTaskOptions): Promise<TaskResult> {
  const branch = opts.onto?.branch ?? opts.task.branch;
  const result = newResult(opts.task.name, branch, opts.base, opts.trigger, opts.fireTimes);
  const t0 = Date.now();
  try {
    await pipeline(opts, result);
    if (result.status === "conflict" && opts.task.on_conflict === "regenerate" && !opts.onto) {
      // the first result conflicted with a base that moved during the run (it is in its backup):
      // the task runs again, from the latest base
      const first = { ...result };
      Object.assign(result, newResult(opts.task.name, branch, opts.base, opts.trigger, opts.fireTimes));
      await pipeline(opts, result);
      result.message = `regenerated on the latest base (the first result conflicted in ${first.conflicts.join(", ")}; it is in backup ${first.backup}): ${result.message}`;
    }
  } catch (err) {
    result.status = opts.signal?.aborted ? "cancelled" : "failed";
    result.message = errorMessage(err);
    if (result.backup) result.message += `; the work is kept in backup ${result.backup}`;
    else if (isDiskFull(err)) {
      // no backup could be written: the worktree holding the work (if any) was kept
      result.message +=
        "; the disk is full: free some space, then `claude-tasks worktrees --prune` saves whatever work this run had to leave in its worktree";
    }
  }
  result.durationMs = Date.now() - t0;
  return result;
}

async function pipeline(opts: RunTaskOptions, r: TaskResult): Promise<void> {
  const { repo, task } = opts;
  const phase = (p: string) => opts.emit({ type: "task-phase", task: task.name, phase: p });

  phase("resolving base");
  const refs = localRefs(repo);
  const start = await startingPoint(opts, r, refs);
  if (!start) return;
  r.baseCommit = start.merge?.commit ?? start.commit;

  phase("creating worktree");
  await using wt = await createWorktree({
    git: repo.git,
    task: task.name,
    runId: opts.runId,
    base: start.commit,
    branch: r.branch,
    stateDir: repo.state,
    logger: repo.logger,
  });

  const commonDir = dirname(repo.state);
  await using sandbox = opts.sandbox
    ? await opts.sandbox.open({
        worktree: wt.path,
        commonDir,
        adminDir: await adminDirOf(wt.path),
        repoRoot: repo.git.cwd,
        // named as its worktree: `worktrees --prune` finds what a killed run left by that name
        privateDir: join(sandboxesDir(repo.state), basename(wt.path)),
        refs: async () => (await refs()).text,
      })
    : undefined;
  // The repository's config, hooks and refs come out of the pre-check's and the agent's runs as they went in.
  const untouched = async (before: Awaited<ReturnType<typeof snapshotRepo>>) => {
    const changed = await compareRepo(repo.git, before);
    if (changed.length === 0) return;
    await restoreRepo(repo.git, before, changed);
    throw new RepositoryTamperedError(changed.map((c) => c.name));
  };
  if (task.if_command !== undefined) {
    phase("running if_command");
    const before = await snapshotRepo(repo.git, commonDir, { refs: sandbox?.kind !== "bwrap" });
    const pre = await runPrecheck({
      task,
      worktree: wt,
      env: opts.env,
      sandbox,
      signal: opts.signal,
      after: () => untouched(before),
    });
    if (!pre.run) {
      r.status = pre.cancelled ? "cancelled" : "skipped";
      r.message = pre.reason;
      if (!pre.cancelled) r.notRun = "if_command";
      return;
    }
  }
  const merge = start.merge ? await mergeInto(wt, start, r) : undefined;
  const own = task.kind === "claude" ? await promptOf(opts, wt, merge !== undefined) : "";
  const prompt = merge
    ? `${resolveContext({ base: r.base, branch: r.branch, conflicts: merge.conflicts })}\nFor context, the task that made this branch:\n\n${own}`
    : opts.followUp
      ? `${own.trimEnd()}\n\n${opts.followUp.context}`
      : own;
  const before = await snapshotRepo(repo.git, commonDir, { refs: sandbox?.kind !== "bwrap" });
  const afterAgent = () => untouched(before);
  // On a branch people pushed to (a merge to resolve), Claude Code's settings come from the base.
  const trusted =
    opts.trustedConfig ?? (merge ? { source: r.base, paths: [...TRUSTED_CONFIG_PATHS] } : undefined);
  let overlay: Awaited<ReturnType<typeof overlayTrustedConfig>> | undefined;
  const source = trusted ? await trustedSource(opts.repo, trusted.source) : undefined;
  // Before every attempt (a retry starts from a clean worktree): the trusted configuration on top.
  const prepare = trusted
    ? async () => {
        overlay = await overlayTrustedConfig(wt.git, source!, trusted.paths);
      }
    : undefined;
  phase(task.kind === "claude" ? "running Claude Code" : "running command");
  const {
    result: agentResult, // what the agent said is already redacted (see runAttempts)
    attempts,
    partialBackups,
  } = await runAttempts({
    task,
    agent: opts.agent,
    worktree: wt,
    prompt,
    env: opts.env,
    signal: opts.signal,
    emit: opts.emit,
    prepare,
    sandbox,
    afterAgent,
  });
  // the agent is done: its result decides whether the lock is asked for or claimed, not the clock
  opts.admission?.agentEnded();
  r.attempts = attempts;
  r.agent = summariseAgent(opts.agent.kind, agentResult);
  if (trusted && overlay) {
    const dropped = await removeTrustedOverlay(wt.git, trusted.paths, overlay);
    if (dropped.length > 0) {
      r.warnings = [
        `changes to Claude Code's configuration were dropped (it comes from ${trusted.source}): ${dropped.join(", ")}`,
      ];
    }
  }

  phase("checking the change");
  const { change, noBackup } = await checkChange({
    wt,
    base: merge?.checkBase ?? start.commit,
    task,
    r,
    reason: "run result",
    details: () => ({
      mode: repo.mode,
      branch: r.branch,
      agent: r.agent,
      agentStatus: agentResult.status,
      violations: r.violations,
    }),
  });
  if (change.files.length === 0 && partialBackups.length > 0) r.backup = partialBackups.at(-1); // a failed attempt's work
  // A result that will land is committed while the answers below are awaited (the lock's is a round
  // trip to the remote): the commit is only an object until a push names it.
  const lands =
    agentResult.status === "success" &&
    change.files.length > 0 &&
    r.violations.length === 0 &&
    !noBackup &&
    !merge;
  const commit =
    lands && (opts.admission !== undefined || start.remote !== undefined)
      ? taskCommit({ ...opts, worktree: wt, change, result: r, start })
      : undefined;
  commit?.catch(() => {}); // handled: awaited by land, or below
  // A result that lands by a push before the lock was asked for claims it in that push.
  const claim =
    lands &&
    landingCanClaim({ mode: repo.mode, onto: opts.onto }) &&
    opts.settleInPush !== undefined &&
    opts.admission?.claimInPush() === true
      ? opts.admission
      : undefined;
  let goesOn = false;
  try {
    goesOn = await admittedAndStarted(opts, start, r, claim !== undefined);
  } finally {
    // a run that ends here (refused, foreign commits, a failed check) lets its commit finish first:
    // no git process outlives the worktree
    if (!goesOn) await commit?.catch(() => undefined);
  }
  if (!goesOn) return;

  if (agentResult.status !== "success") {
    r.status = AGENT_STATUS[agentResult.status];
    r.message = agentResult.error ?? `the agent ended with ${agentResult.status}`;
    if (r.backup) r.message += `; its partial work is in backup ${r.backup}`;
    return;
  }
  if (refuseViolations(r, noBackup)) return;
  if (noBackup) throw new Error(`the change could not be backed up: ${noBackup}`);
  if (merge) {
    const left = await filesWithMarkers(wt.git, change.tree, merge.conflicts);
    if (left.length > 0) {
      r.status = "conflict";
      r.conflicts = left;
      r.message = `the base \`${r.base}\` conflicts with \`${r.branch}\` and the agent left conflict markers in ${left.length} file(s): ${left.slice(0, 5).join(", ")}; nothing was pushed${r.backup ? ` (the attempt is in backup ${r.backup})` : ""}`;
      await unresolvedComment(opts, r, left);
      return;
    }
  }
  await land({
    ...opts,
    worktree: wt,
    change,
    result: r,
    start: merge ? { ...start, merge } : start,
    phase,
    ...(commit ? { commit } : {}),
    ...(claim ? { claim } : {}),
  });
}

/**
 * The lock's and the remote checks' answers: false when the task ends here (the result says why).
 * `claimed`: the lock is claimed by the landing push instead (see `TaskAdmission`).
 */
async function admittedAndStarted(
  opts: RunTaskOptions,
  start: PendingStart,
  r: TaskResult,
  claimed: boolean,
): Promise<boolean> {
  if (opts.admission && !claimed) {
    const admitted = await opts.admission.answer();
    if (!admitted.ok) {
      notAdmitted(r, admitted);
      return false;
    }
  }
  return settleStart(start, r);
}

/**
 * Where the task starts, and whether its branch may be touched at all: a task branch that carries
 * commits by anyone but claude-tasks is never overwritten (reported as skipped). Usually decided
 * before the agent runs (before any cost); when the checkout already holds the base (`localBaseFirst`,
 * as actions/checkout leaves it) the worktree starts from that commit at once and the remote checks
 * run meanwhile (`remote`): their outcome is awaited before anything of the agent's work is used.
 */
export async function startingPoint(
  opts: RunTaskOptions,
  r: TaskResult,
  refs: LocalRefs = localRefs(opts.repo),
): Promise<PendingStart | undefined> {
  const { repo } = opts;
  if (opts.onto) {
    const tip = await fetchOnto(repo, opts.onto);
    const where = opts.onto.fetchRef ?? opts.onto.branch;
    if (!tip) throw new Error(`\`${where}\` not found on ${repo.remote ?? "the remote"}`);
    return { commit: tip, branchTip: tip, branchExistedOnRemote: true };
  }
  // on_conflict: resolve may start from the task branch: that needs the remote's answer first
  const fast = repo.fromRemote && opts.localBaseFirst && opts.task.on_conflict !== "resolve";
  const local = fast ? await localBase(repo, r.base) : undefined;
  if (local) {
    const remote = remoteChecks(opts, r, refs);
    remote.catch(() => {}); // awaited after the agent (settleStart)
    return { commit: local, branchExistedOnRemote: false, remote };
  }
  const checked = await remoteChecks(opts, r, refs);
  const branchTip = checked.branch.branchTip;
  if (checked.foreign && branchTip && opts.task.on_conflict === "resolve") {
    const merge = await plannedMerge(repo.git, branchTip, checked.base);
    if (merge) {
      r.baseCommit = checked.base;
      return {
        commit: branchTip,
        branchTip,
        branchExistedOnRemote: repo.fromRemote,
        merge: { ...merge, checkBase: branchTip },
      };
    }
  }
  if (checked.foreign) return skipForeign(r, checked.foreign);
  return { commit: checked.base, ...checked.branch };
}

interface RemoteCheck {
  base: string;
  branch: Pick<StartingPoint, "branchTip" | "branchExistedOnRemote">;
  foreign?: { sha: string; author: string; reason: string };
}

interface PendingStart extends StartingPoint {
  /** The remote checks still under way (the fast start). */
  remote?: Promise<RemoteCheck>;
}

async function remoteChecks(opts: RunTaskOptions, r: TaskResult, refs: LocalRefs): Promise<RemoteCheck> {
  const { repo } = opts;
  // local tips from the one read of the refs (which the agent's git dir gets too)
  const base = await baseTip(repo, r.base, repo.fromRemote ? {} : { local: refs });
  const branchTip = repo.fromRemote
    ? await fetchBranch(repo, r.branch)
    : (await refs()).tips.get(`refs/heads/${r.branch}`);
  const branch = { branchTip, branchExistedOnRemote: repo.fromRemote && branchTip !== undefined };
  if (!branchTip) return { base, branch };
  const foreign = await foreignCommits({ git: repo.git, branch: branchTip, base, task: opts.task.name });
  return { base, branch, ...(foreign[0] ? { foreign: foreign[0] } : {}) };
}

function skipForeign(r: TaskResult, f: NonNullable<RemoteCheck["foreign"]>): undefined {
  r.status = "skipped";
  r.message = `branch \`${r.branch}\` has commits not made by claude-tasks (${f.sha.slice(0, 7)} by ${f.author}: ${f.reason}); it is left untouched`;
  return undefined;
}

/**
 * The fast start's remote checks, once the agent is done: false when the task ends here (its branch
 * carries foreign commits). A base that moved on the remote is followed by `land` (rebase), as when
 * it moves during the run.
 */
async function settleStart(start: PendingStart, r: TaskResult): Promise<boolean> {
  if (!start.remote) return true;
  const checked = await start.remote;
  Object.assign(start, checked.branch);
  if (!checked.foreign) return true;
  skipForeign(r, checked.foreign);
  if (r.backup) r.message += `; the run's work is in backup ${r.backup}`;
  return false;
}

/** In `pr` mode: the pull request says which files still conflict and where the attempt is kept. */
async function unresolvedComment(
  opts: RunTaskOptions,
  r: TaskResult,
  left: readonly string[],
): Promise<void> {
  if (opts.repo.mode !== "pr" || !opts.publisher?.comment) return;
  const files = left.slice(0, 20).map((f) => `- ${mdCode(f)}`);
  if (left.length > 20) files.push(`- … and ${left.length - 20} more`);
  const body = [
    `⚠️ The base ${mdCode(r.base)} moved and conflicts with this branch. claude-tasks merged it in and let the agent resolve the conflicts, but these files still hold conflict markers, so nothing was pushed:`,
    "",
    ...files,
    "",
    `The attempt is kept in the backup ${mdCode(r.backup ?? "(none)")} (the run's backup artifact).`,
  ].join("\n");
  try {
    await opts.publisher.comment({ branch: r.branch, base: r.base }, body);
  } catch (err) {
    opts.repo.logger.warn(`could not comment on the pull request of ${r.branch}: ${errorMessage(err)}`);
  }
}

/** Merges the base into the worktree (see resolve-conflicts.ts); the conflicts as git found them. */
async function mergeInto(
  wt: Worktree,
  start: StartingPoint,
  r: TaskResult,
): Promise<{ commit: string; conflicts: string[]; checkBase: string }> {
  const m = start.merge!;
  const checkBase = await prepareMerge(wt, start.branchTip!, m.commit);
  wt.baseCommit = checkBase; // a retry starts again from the merge, not from the branch tip
  r.conflicts = m.conflicts;
  return { ...m, checkBase };
}

async function promptOf(opts: RunTaskOptions, wt: Worktree, onBranch: boolean): Promise<string> {
  const { task } = opts;
  if (task.prompt !== undefined) return task.prompt;
  const file = task.prompt_file ?? "";
  // Normally the worktree is the base commit: the reviewed version. On a PR's head it is not, so the
  // prompt comes from the base branch, like the task definition itself.
  if (!opts.onto && !onBranch) return readFile(join(wt.path, file), "utf8");
  const base = await baseTip(opts.repo, opts.base);
  return (await opts.repo.git.run(["show", `${base}:${file}`])).stdout;
}

/** The commit trusted Claude Code configuration comes from: the fetched tip of the configured source. */
async function trustedSource(repo: RepoContext, source: string): Promise<string> {
  return (await fetchBranch(repo, source)) ?? (await baseTip(repo, source));
}

/** The agent changed the repository's own git setup; it was put back and the run's result dropped. */
export class RepositoryTamperedError extends Error {
  override readonly name = "RepositoryTamperedError";
  readonly changed: readonly string[];
  constructor(changed: readonly string[]) {
    const list = changed
      .slice(0, 5)
      .map((c) => JSON.stringify(c))
      .join(", ");
    super(
      `the agent changed the repository's git setup (${list}${changed.length > 5 ? `, +${changed.length - 5} more` : ""}); it was restored and the result of this run is not used`,
    );
    this.changed = changed;
  }
}

function isDiskFull(err: unknown): boolean {
  return (
    (err as NodeJS.ErrnoException | null)?.code === "ENOSPC" ||
    /no space left on device/i.test(errorMessage(err))
  );
}
