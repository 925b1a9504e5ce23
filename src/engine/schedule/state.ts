/**
 * The remote schedule state: the ref `refs/claude-tasks/state` on the remote points at a commit whose
 * tree holds one file, `state.json`:
 *
 * ```json
 * { "version": 1, "updatedAt": "2026-03-10T06:15:02.000Z", "runId": "…",
 *   "tasks": { "docs-sync": { "until": "2026-03-10T06:15:02.000Z", "lastFireTime": "2026-03-10T06:00:00.000Z" } } }
 * ```
 *
 * `until` is the end of the last window processed for the task: the next run considers the fire times
 * in `(until, now]`, so a late or dropped tick loses nothing (the task's `missed` policy decides what
 * runs). A task without an entry (the first run ever, a new task, a damaged state) gets the window of
 * the last hour (the schedule module's grace period): never a backlog.
 *
 * Claiming is compare-and-swap: read the ref's commit, compute what is due, write a new state commit
 * and push it with `--force-with-lease=<ref>:<the commit read>`. Of two runs that read the same state
 * only one push succeeds; the other re-reads, recomputes (its window now starts at the winner's `now`)
 * and so can never claim the same fire time. State commits have no parent, so fetching the ref costs one
 * commit whatever the history. A claim is final: a task that then fails is not retried by the next tick.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Git } from "../git/exec.ts";
import { pushRefs } from "../git/remote.ts";
import { type DueTask, dueTasks, type ScheduledTask } from "./index.ts";

export const STATE_REF = "refs/claude-tasks/state";
/** Where the fetched state commit is kept locally (a hidden ref; never shows in `git branch`). */
export const FETCHED_STATE_REF = "refs/claude-tasks/fetched-state";
export const STATE_FILE = "state.json";
export const DEFAULT_CLAIM_ATTEMPTS = 8;

export interface TaskState {
  /** End (inclusive) of the last window processed, ISO 8601. */
  until: string;
  /** The latest fire time claimed for the task, ISO 8601. */
  lastFireTime?: string;
  /** The run that claimed `lastFireTime`. */
  lastRunId?: string;
}

export interface ScheduleState {
  version: 1;
  updatedAt: string;
  runId?: string;
  tasks: Record<string, TaskState>;
}

export type ParsedState = { ok: true; state: ScheduleState } | { ok: false; problem: string };

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const isIso = (v: unknown): v is string =>
  typeof v === "string" && ISO.test(v) && !Number.isNaN(Date.parse(v));

/** Reads `state.json`. Anything unexpected is a problem (described), never an exception. */
export function parseState(text: string): ParsedState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `${STATE_FILE} is not JSON (${(err as Error).message})` };
  }
  if (!isObject(raw)) return { ok: false, problem: `${STATE_FILE} is not a JSON object` };
  if (raw.version !== 1)
    return { ok: false, problem: `${STATE_FILE} has unknown version ${JSON.stringify(raw.version)}` };
  if (!isObject(raw.tasks)) return { ok: false, problem: `${STATE_FILE} has no \`tasks\` object` };
  const tasks: Record<string, TaskState> = {};
  for (const [name, entry] of Object.entries(raw.tasks)) {
    if (!isObject(entry) || !isIso(entry.until)) {
      return { ok: false, problem: `${STATE_FILE}: task \`${name}\` has no valid \`until\` time` };
    }
    if (entry.lastFireTime !== undefined && !isIso(entry.lastFireTime)) {
      return { ok: false, problem: `${STATE_FILE}: task \`${name}\` has an invalid \`lastFireTime\`` };
    }
    tasks[name] = {
      until: new Date(entry.until).toISOString(),
      ...(entry.lastFireTime !== undefined
        ? { lastFireTime: new Date(entry.lastFireTime).toISOString() }
        : {}),
      ...(typeof entry.lastRunId === "string" ? { lastRunId: entry.lastRunId } : {}),
    };
  }
  return {
    ok: true,
    state: {
      version: 1,
      updatedAt: isIso(raw.updatedAt) ? raw.updatedAt : new Date(0).toISOString(),
      ...(typeof raw.runId === "string" ? { runId: raw.runId } : {}),
      tasks,
    },
  };
}

/** Stable text: tasks sorted by name, two-space indent, final newline. */
export function serializeState(state: ScheduleState): string {
  const tasks: Record<string, TaskState> = {};
  for (const name of Object.keys(state.tasks).sort()) tasks[name] = state.tasks[name]!;
  return `${JSON.stringify({ ...state, tasks }, null, 2)}\n`;
}

/** The start of a task's window per the state: its `until`, or undefined (the first-run window). */
export function sinceFromState(state: ScheduleState | null): (task: string) => Date | undefined {
  return (task) => {
    const until = state?.tasks[task]?.until;
    return until === undefined ? undefined : new Date(until);
  };
}

/**
 * The state after claiming `due` at `now`: every scheduled task's window advances to `now` (never
 * backwards); due tasks record their latest fire time; tasks that no longer exist are dropped. Pure.
 */
export function advanceState(opts: {
  previous: ScheduleState | null;
  tasks: readonly ScheduledTask[];
  due: readonly DueTask[];
  now: Date;
  runId?: string;
}): ScheduleState {
  const dueByName = new Map(opts.due.map((d) => [d.name, d]));
  const nowIso = opts.now.toISOString();
  const tasks: Record<string, TaskState> = {};
  for (const task of opts.tasks) {
    if (scheduleEntries(task).length === 0) continue;
    const before = opts.previous?.tasks[task.name];
    const until = before && before.until > nowIso ? before.until : nowIso;
    const d = dueByName.get(task.name);
    const latest = d?.fireTimes.at(-1)?.toISOString();
    const entry: TaskState = { until };
    if (latest !== undefined) {
      entry.lastFireTime = latest;
      if (opts.runId) entry.lastRunId = opts.runId;
    } else if (before?.lastFireTime !== undefined) {
      entry.lastFireTime = before.lastFireTime;
      if (before.lastRunId) entry.lastRunId = before.lastRunId;
    }
    tasks[task.name] = entry;
  }
  return { version: 1, updatedAt: nowIso, ...(opts.runId ? { runId: opts.runId } : {}), tasks };
}

/**
 * Whether the state must be written: something was claimed, or a scheduled task has no entry yet (so
 * its window starts now), or entries must go. Otherwise nothing changes and no commit is made.
 */
export function stateNeedsWrite(
  previous: ScheduleState | null,
  next: ScheduleState,
  due: readonly DueTask[],
): boolean {
  if (due.length > 0 || previous === null) return true;
  const before = Object.keys(previous.tasks);
  const after = Object.keys(next.tasks);
  return before.length !== after.length || after.some((name) => previous.tasks[name] === undefined);
}

function scheduleEntries(task: ScheduledTask): readonly string[] {
  return typeof task.schedule === "string" ? [task.schedule] : task.schedule;
}

// ---- the remote ref ------------------------------------------------------------------------------

export interface StateSnapshot {
  /** The state commit on the remote (the lease), or null when the ref does not exist. */
  oid: string | null;
  /** The parsed state; null when absent or damaged. */
  state: ScheduleState | null;
  /** Why a present state could not be used (it is then treated as absent and rewritten). */
  problem?: string;
}

export async function readRemoteState(opts: { git: Git; remote: string }): Promise<StateSnapshot> {
  const { git, remote } = opts;
  // One fetch, no ls-remote first: a one-name pattern matches nothing (rather than failing) when the
  // ref does not exist, and --prune then drops the copy an earlier run fetched.
  await git.run([
    "fetch",
    "--no-tags",
    "--no-write-fetch-head",
    "--quiet",
    "--prune",
    "--",
    remote,
    `+${STATE_REF}*:${FETCHED_STATE_REF}*`,
  ]);
  const fetched = await git.run(["rev-parse", "--verify", "--quiet", FETCHED_STATE_REF], {
    allowFailure: true,
  });
  if (fetched.exitCode !== 0) return { oid: null, state: null };
  const oid = fetched.stdout.trim();
  const commit = await git.run(["rev-parse", "--verify", "--quiet", `${oid}^{commit}`], {
    allowFailure: true,
  });
  if (commit.exitCode !== 0) return damaged(oid, `${STATE_REF} does not point at a commit`);
  const blob = await git.run(["cat-file", "blob", `${oid}:${STATE_FILE}`], { allowFailure: true });
  if (blob.exitCode !== 0)
    return damaged(oid, `the commit ${oid.slice(0, 12)} of ${STATE_REF} has no ${STATE_FILE}`);
  const parsed = parseState(blob.stdout);
  return parsed.ok ? { oid, state: parsed.state } : damaged(oid, parsed.problem);
}

function damaged(oid: string, problem: string): StateSnapshot {
  return { oid, state: null, problem };
}

/** Writes a parentless commit holding `state.json`; returns its id. */
export async function writeStateCommit(git: Git, state: ScheduleState): Promise<string> {
  const blob = (
    await git.run(["hash-object", "-w", "--stdin"], { input: serializeState(state) })
  ).stdout.trim();
  const tree = (await git.run(["mktree"], { input: `100644 blob ${blob}\t${STATE_FILE}\n` })).stdout.trim();
  const message = `claude-tasks: schedule state${state.runId ? ` (run ${state.runId})` : ""}\n`;
  return (await git.run(["commit-tree", tree], { input: message })).stdout.trim();
}

export interface ClaimOptions {
  git: Git;
  remote: string;
  /** Every task of the configuration (tasks without a schedule are ignored). */
  tasks: readonly ScheduledTask[];
  now: Date;
  runId?: string;
  /** Compute what is due without writing anything (dry runs). */
  peek?: boolean;
  maxAttempts?: number;
  /** Pause before re-reading after a lost race; default a few random milliseconds. */
  backoff?: (attempt: number) => Promise<void>;
  grace?: number;
}

export interface ClaimResult {
  /** The tasks this run claimed (or, with `peek`, would claim), with their fire times. */
  due: DueTask[];
  /** The window start per task that was used. */
  since: (task: string) => Date | undefined;
  /** The state commit now on the remote (after a write), or the one read. */
  oid: string | null;
  /** Whether this run wrote the state. */
  written: boolean;
  /** How many read-compute-push rounds it took (1 without contention). */
  attempts: number;
  /** No usable state existed: the first-run window (last hour) was used for every task. */
  firstRun: boolean;
  /** A damaged state, described with how to fix it; the state was treated as absent. */
  problem?: string;
}

export class StateContentionError extends Error {
  override readonly name = "StateContentionError";
}

/** Claims the due fire times compare-and-swap (see the module comment). */
export async function claimDueTasks(opts: ClaimOptions): Promise<ClaimResult> {
  const maxAttempts = Math.max(1, opts.maxAttempts ?? DEFAULT_CLAIM_ATTEMPTS);
  const backoff = opts.backoff ?? ((n: number) => sleep(10 + Math.floor(Math.random() * 40 * n)));
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const snap = await readRemoteState({ git: opts.git, remote: opts.remote });
    const since = sinceFromState(snap.state);
    const due = dueTasks(opts.tasks, { since, now: opts.now, ...(opts.grace ? { grace: opts.grace } : {}) });
    const base = {
      due,
      since,
      attempts: attempt,
      firstRun: snap.state === null,
      ...(snap.problem ? { problem: damagedMessage(snap.problem) } : {}),
    };
    const next = advanceState({
      previous: snap.state,
      tasks: opts.tasks,
      due,
      now: opts.now,
      runId: opts.runId,
    });
    if (opts.peek || !stateNeedsWrite(snap.state, next, due))
      return { ...base, oid: snap.oid, written: false };
    const commit = await writeStateCommit(opts.git, next);
    const pushed = await pushRefs({
      git: opts.git,
      remote: opts.remote,
      updates: [{ ref: STATE_REF, commit, expected: snap.oid }],
    });
    // Git reports a ref that already holds the pushed commit as "up to date" without checking the lease:
    // another run wrote the very same state commit (same content and second) first, so this one lost.
    const lost = pushed.refs.some((r) => r.ref === STATE_REF && r.status === "up-to-date");
    if (pushed.ok && !lost) return { ...base, oid: commit, written: true };
    if (attempt < maxAttempts) await backoff(attempt);
  }
  throw new StateContentionError(
    `could not update ${STATE_REF} after ${maxAttempts} attempts: other runs kept updating it at the same time; ` +
      "nothing was claimed (the next tick will pick the due tasks up)",
  );
}

function damagedMessage(problem: string): string {
  return (
    `the schedule state is damaged: ${problem}. It was treated as absent (every task's window is the last hour) ` +
    `and is rewritten by this run. To reset it yourself: \`git push origin :${STATE_REF}\``
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
