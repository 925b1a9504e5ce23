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
 *
 * The local tick keeps the same state in a ref of the repository that is never pushed (`local/tick.ts`);
 * a `StateStore` says where the state is read and how it is swapped, and the claim is the same code.
 *
 * Format version 2 (written since the spend ledger) adds `ledger`, `locks` and `notRun` (see
 * `budget/ledger.ts`); version 1 is still read (as a state without them). Every writer carries the
 * parts it does not change over unchanged.
 */
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { type NotRun, recordNotRun, type StateExtras, stateExtrasSchema } from "../budget/ledger.ts";
import type { Git } from "../git/exec.ts";
import { pushRefs, type RefUpdate } from "../git/remote.ts";
import { type DueTask, evaluateSchedules, type ScheduledTask } from "./index.ts";

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

export interface ScheduleState extends StateExtras {
  /** 1: windows only; 2: with the ledger, locks and not-run records. Both are read. */
  version: 1 | 2;
  updatedAt: string;
  runId?: string;
  tasks: Record<string, TaskState>;
}

export const STATE_VERSION = 2;

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
  if (raw.version !== 1 && raw.version !== 2)
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
  let extras: StateExtras = {};
  if (raw.version === 2) {
    const parsed = stateExtrasSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return {
        ok: false,
        problem: `${STATE_FILE}: \`${issue.path.join(".")}\` is invalid (${issue.message})`,
      };
    }
    extras = withoutUndefined(parsed.data);
  }
  return {
    ok: true,
    state: {
      version: raw.version,
      updatedAt: isIso(raw.updatedAt) ? raw.updatedAt : new Date(0).toISOString(),
      ...(typeof raw.runId === "string" ? { runId: raw.runId } : {}),
      tasks,
      ...extras,
    },
  };
}

function withoutUndefined(e: StateExtras): StateExtras {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as StateExtras;
}

/** The parts of a state that the schedule windows do not own, to carry over into the next state. */
export function stateExtras(state: ScheduleState | null): StateExtras {
  if (!state) return {};
  const { ledger, locks, notRun } = state;
  return withoutUndefined({ ledger, locks, notRun });
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
  /** Fire times due in the window that will not run (the `missed` policy), recorded per task. */
  missed?: readonly { name: string; count: number; reason: string }[];
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
  const extras = stateExtras(opts.previous);
  let notRun = extras.notRun;
  for (const m of opts.missed ?? []) {
    if (m.count === 0 || !tasks[m.name]) continue;
    const entry: NotRun = { at: nowIso, kind: "missed", reason: m.reason };
    if (opts.runId) entry.runId = opts.runId;
    notRun = recordNotRun(notRun, m.name, entry);
  }
  // entries of tasks that no longer exist go, so the state stays bounded by the configuration
  const known = new Set(opts.tasks.map((t) => t.name));
  const keep = <T>(r: Record<string, T> | undefined) =>
    r && Object.fromEntries(Object.entries(r).filter(([name]) => known.has(name)));
  if (notRun) notRun = keep(notRun);
  if (extras.locks) extras.locks = keep(extras.locks);
  if (extras.ledger) extras.ledger = { ...extras.ledger, tasks: keep(extras.ledger.tasks)! };
  return {
    ...extras,
    ...(notRun ? { notRun } : {}),
    version: STATE_VERSION as 2,
    updatedAt: nowIso,
    ...(opts.runId ? { runId: opts.runId } : {}),
    tasks,
  };
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
  if (JSON.stringify(previous.notRun ?? {}) !== JSON.stringify(next.notRun ?? {})) return true;
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

export async function readRemoteState(opts: {
  git: Git;
  remote: string;
  /** Another state ref (the org ledger); default `STATE_REF`. */
  ref?: string;
}): Promise<StateSnapshot> {
  const { git, remote } = opts;
  const ref = opts.ref ?? STATE_REF;
  // The copy's name must not start with the ref's own (the pattern below would match it in a fetch from
  // the repository itself, the CLI's remote ".").
  const fetchedRef =
    ref === STATE_REF ? FETCHED_STATE_REF : `refs/claude-tasks/fetched-${ref.split("/").pop()}`;
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
    `+${ref}*:${fetchedRef}*`,
  ]);
  const fetched = await git.run(["rev-parse", "--verify", "--quiet", fetchedRef], {
    allowFailure: true,
  });
  const tip = fetched.exitCode === 0 ? fetched.stdout.trim() : null;
  lastSeen.set(seenKey(git, remote, ref), Promise.resolve(tip));
  if (tip === null) return { oid: null, state: null };
  return readStateAt(git, tip, ref);
}

/**
 * The tips of state refs this process last saw on a remote: written by its own compare-and-swap, or
 * brought by a fetch (the run's one fetch registers its answer while under way, see `expectStateTip`).
 * The ledger's next update starts from it instead of fetching again; the push's lease catches a tip
 * someone moved meanwhile (the update then fetches and recomputes), and a decision to write nothing
 * is never taken on it. `undefined`: not known.
 */
const lastSeen = new Map<string, Promise<string | null | undefined>>();
const seenKey = (git: Git, remote: string, ref: string) => `${git.cwd}\0${remote}\0${ref}`;

/** The tip of `ref` on `remote` that a fetch under way will answer (null: the ref does not exist). */
export function expectStateTip(
  git: Git,
  remote: string,
  ref: string,
  tip: Promise<string | null | undefined>,
): void {
  lastSeen.set(
    seenKey(git, remote, ref),
    tip.catch(() => undefined),
  );
}

/** The state at the tip this process last saw (see `lastSeen`), without a fetch; undefined if unknown. */
async function lastSeenState(git: Git, remote: string, ref: string): Promise<StateSnapshot | undefined> {
  const tip = await lastSeen.get(seenKey(git, remote, ref));
  if (tip === undefined) return undefined;
  if (tip === null) return { oid: null, state: null };
  const snap = await readStateAt(git, tip, ref);
  return snap.problem ? undefined : snap; // a damaged state is read (and reported) from the remote
}

/** The state in the ref `ref` of this repository (the local tick's, never pushed). */
export async function readLocalState(git: Git, ref: string): Promise<StateSnapshot> {
  const r = await git.run(["rev-parse", "--verify", "--quiet", ref], { allowFailure: true });
  if (r.exitCode !== 0) return { oid: null, state: null };
  return readStateAt(git, r.stdout.trim(), ref);
}

/**
 * States by the commit that holds them, as this process wrote or read them: a commit's content never
 * changes, so the ledger's next update after its own write (or a fetch it already read) reads no git
 * object. Copies go out (callers build new states from them).
 */
const knownStates = new Map<string, ScheduleState>();
const KNOWN_STATES_MAX = 64;

function rememberState(oid: string, state: ScheduleState): void {
  if (knownStates.size >= KNOWN_STATES_MAX) knownStates.clear();
  knownStates.set(oid, structuredClone(state));
}

/** The state held by the object `oid` that `ref` points at: a commit whose tree has `state.json`. */
async function readStateAt(git: Git, oid: string, ref: string): Promise<StateSnapshot> {
  const known = knownStates.get(oid);
  if (known) return { oid, state: structuredClone(known) };
  const commit = await git.run(["rev-parse", "--verify", "--quiet", `${oid}^{commit}`], {
    allowFailure: true,
  });
  if (commit.exitCode !== 0) return damaged(oid, `${ref} does not point at a commit`);
  const blob = await git.run(["cat-file", "blob", `${oid}:${STATE_FILE}`], { allowFailure: true });
  if (blob.exitCode !== 0)
    return damaged(oid, `the commit ${oid.slice(0, 12)} of ${ref} has no ${STATE_FILE}`);
  const parsed = parseState(blob.stdout);
  if (parsed.ok) rememberState(oid, parsed.state);
  return parsed.ok ? { oid, state: parsed.state } : damaged(oid, parsed.problem);
}

function damaged(oid: string, problem: string): StateSnapshot {
  return { oid, state: null, problem };
}

/** Writes a parentless commit holding `state.json`; returns its id. */
export async function writeStateCommit(git: Git, state: ScheduleState): Promise<string> {
  const text = serializeState(state);
  const entry = (blob: string) => `100644 blob ${blob}\t${STATE_FILE}\n`;
  // The blob and its tree side by side: the tree is made from the blob's id as git computes it in a
  // SHA-1 repository (`mktree --missing`), and used only when git wrote the blob under that very id
  // (else, as in a SHA-256 repository, the tree is made again from the id git gave).
  const guess = createHash("sha1")
    .update(`blob ${Buffer.byteLength(text)}\0`)
    .update(text)
    .digest("hex");
  const [blob, early] = await Promise.all([
    git.run(["hash-object", "-w", "--stdin"], { input: text }).then((r) => r.stdout.trim()),
    git.run(["mktree", "--missing"], { input: entry(guess), allowFailure: true }),
  ]);
  const tree =
    blob === guess && early.exitCode === 0
      ? early.stdout.trim()
      : (await git.run(["mktree"], { input: entry(blob) })).stdout.trim();
  const message = `claude-tasks: schedule state${state.runId ? ` (run ${state.runId})` : ""}\n`;
  const commit = (await git.run(["commit-tree", tree], { input: message })).stdout.trim();
  // as a reader will see it (the JSON's round trip drops what serialising drops)
  const written = parseState(text);
  if (written.ok) rememberState(commit, written.state);
  return commit;
}

/**
 * Where a schedule state lives, for the compare-and-swap loops (`claimDueTasks`, `updateRemoteState`):
 * the shared ref on a remote, or a ref of this repository that is never pushed (the local tick's).
 */
export interface StateStore {
  ref: string;
  read(): Promise<StateSnapshot>;
  /** The state as this process last saw it, without reading the store (undefined: not known). */
  lastSeen?(): Promise<StateSnapshot | undefined>;
  /**
   * Points the ref at `commit` if it still holds `expected` (null: the ref must not exist). False when
   * another writer got there first: the caller re-reads and recomputes.
   */
  swap(commit: string, expected: string | null): Promise<boolean>;
  /** The note for a damaged state (treated as absent and rewritten): what happened, how to reset it. */
  damaged(problem: string): string;
}

/** `ref` (default `STATE_REF`) on `remote`: fetched, and pushed with a lease on the commit read. */
export function remoteStateStore(git: Git, remote: string, ref = STATE_REF): StateStore {
  return {
    ref,
    read: () => readRemoteState({ git, remote, ref }),
    lastSeen: () => lastSeenState(git, remote, ref),
    async swap(commit, expected) {
      const pushed = await pushRefs({ git, remote, updates: [{ ref, commit, expected }] });
      // Git reports a ref that already holds the pushed commit as "up to date" without checking the
      // lease: another run wrote the very same state commit (same content and second) first, so this
      // one lost.
      const lost = pushed.refs.some((r) => r.ref === ref && r.status === "up-to-date");
      const won = pushed.ok && !lost;
      if (won) lastSeen.set(seenKey(git, remote, ref), Promise.resolve(commit));
      else lastSeen.delete(seenKey(git, remote, ref));
      return won;
    },
    // `origin`, not `remote`: the remote may be a URL, which has no place in a note
    damaged: (problem) =>
      `the schedule state is damaged: ${problem}. It was treated as absent (every task's window is the last hour) ` +
      `and is rewritten by this run. To reset it yourself: \`git push origin :${ref}\``,
  };
}

/** `ref` in this repository, updated with `git update-ref <ref> <new> <old>` (atomic, with the lease). */
export function localStateStore(git: Git, ref: string): StateStore {
  return {
    ref,
    read: () => readLocalState(git, ref),
    async swap(commit, expected) {
      const r = await git.run(["update-ref", "-m", "claude-tasks tick", ref, commit, expected ?? ""], {
        allowFailure: true,
      });
      return r.exitCode === 0;
    },
    damaged: (problem) =>
      `the local schedule state is damaged: ${problem}; it was treated as absent (every task's window is the last hour) ` +
      `and is rewritten. To reset it yourself: \`git update-ref -d ${ref}\``,
  };
}

export interface ClaimOptions {
  git: Git;
  remote: string;
  /** Where the state lives; default `STATE_REF` on `remote`. */
  store?: StateStore;
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
  const store = opts.store ?? remoteStateStore(opts.git, opts.remote);
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const snap = await store.read();
    const since = sinceFromState(snap.state);
    const verdicts = evaluateSchedules(opts.tasks, {
      since,
      now: opts.now,
      ...(opts.grace ? { grace: opts.grace } : {}),
    });
    const due: DueTask[] = verdicts
      .filter((e) => e.due)
      .map((e) => ({ name: e.name, fireTimes: e.fireTimes, missedCount: e.missedCount, reason: e.reason }));
    // fire times no run covers: dropped by `missed: skip`, or beyond the cap of `missed: all` (`once`
    // folds earlier fire times into the run it makes: they are covered)
    const missed = verdicts
      .filter((e) => !e.due || opts.tasks.find((t) => t.name === e.name)?.missed === "all")
      .map((e) => ({ name: e.name, count: e.missedCount, reason: e.reason }));
    const base = {
      due,
      since,
      attempts: attempt,
      firstRun: snap.state === null,
      ...(snap.problem ? { problem: store.damaged(snap.problem) } : {}),
    };
    const next = advanceState({
      previous: snap.state,
      tasks: opts.tasks,
      due,
      now: opts.now,
      runId: opts.runId,
      missed,
    });
    if (opts.peek || !stateNeedsWrite(snap.state, next, due))
      return { ...base, oid: snap.oid, written: false };
    const commit = await writeStateCommit(opts.git, next);
    if (await store.swap(commit, snap.oid)) return { ...base, oid: commit, written: true };
    if (attempt < maxAttempts) await backoff(attempt);
  }
  throw new StateContentionError(
    `could not update ${store.ref} after ${maxAttempts} attempts: other runs kept updating it at the same time; ` +
      "nothing was claimed (the next tick will pick the due tasks up)",
  );
}

/** A state update that rides in another atomic push (see `prepareStateUpdate`). */
export interface StateRider {
  update: RefUpdate;
  /** How the push went: won (the state ref now holds `update.commit`) or lost. */
  pushed(won: boolean): void;
}

/**
 * A compare-and-swap of a state ref made part of another atomic push (a task branch's): the new state
 * computed from the tip this process last saw (no fetch), written as a commit, and the ref update with
 * its lease for that push. Undefined when that tip is not known or `update` writes nothing: the
 * caller then updates the state on its own (`updateRemoteState`), as it does when the push is lost.
 */
export async function prepareStateUpdate(opts: {
  git: Git;
  remote: string;
  ref?: string;
  update: (state: ScheduleState | null) => ScheduleState | null;
}): Promise<StateRider | undefined> {
  const ref = opts.ref ?? STATE_REF;
  const key = seenKey(opts.git, opts.remote, ref);
  const seen = await lastSeenState(opts.git, opts.remote, ref);
  if (!seen) return undefined;
  const next = opts.update(seen.state);
  if (next === null) return undefined;
  const commit = await writeStateCommit(opts.git, next);
  return {
    update: { ref, commit, expected: seen.oid },
    pushed(won) {
      if (won) lastSeen.set(key, Promise.resolve(commit));
      else lastSeen.delete(key);
    },
  };
}

export interface UpdateOptions<T> {
  git: Git;
  remote: string;
  /** Default `STATE_REF`. */
  ref?: string;
  /**
   * The new state from the one read (null: absent or damaged) and a value to return; `next: null`
   * writes nothing. Called again with the newer state after a lost race, so it must be pure.
   */
  update: (state: ScheduleState | null, snap: StateSnapshot) => { next: ScheduleState | null; value: T };
  maxAttempts?: number;
  backoff?: (attempt: number) => Promise<void>;
}

export interface UpdateResult<T> {
  value: T;
  /** The state now on the remote as far as this run knows (the one written, or the one read). */
  state: ScheduleState | null;
  oid: string | null;
  written: boolean;
  attempts: number;
  problem?: string;
}

/**
 * Read-modify-write of a state ref, compare-and-swap like `claimDueTasks` (the ledger, locks and
 * reservations use it). Throws `StateContentionError` when every attempt lost a race.
 */
export async function updateRemoteState<T>(opts: UpdateOptions<T>): Promise<UpdateResult<T>> {
  const ref = opts.ref ?? STATE_REF;
  const maxAttempts = Math.max(1, opts.maxAttempts ?? DEFAULT_CLAIM_ATTEMPTS);
  const backoff = opts.backoff ?? ((n: number) => sleep(10 + Math.floor(Math.random() * 40 * n)));
  const store = remoteStateStore(opts.git, opts.remote, ref);
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    // the first round starts from the tip last seen (no fetch); a lost race or a decision to write
    // nothing reads the remote
    const seen = attempt === 1 ? await store.lastSeen?.() : undefined;
    let snap = seen ?? (await store.read());
    let { next, value } = opts.update(snap.state, snap);
    if (next === null && seen) {
      snap = await store.read();
      ({ next, value } = opts.update(snap.state, snap));
    }
    const base = { value, attempts: attempt, ...(snap.problem ? { problem: snap.problem } : {}) };
    if (next === null) return { ...base, state: snap.state, oid: snap.oid, written: false };
    const commit = await writeStateCommit(opts.git, next);
    if (await store.swap(commit, snap.oid)) return { ...base, state: next, oid: commit, written: true };
    if (attempt < maxAttempts) await backoff(attempt);
  }
  throw new StateContentionError(
    `could not update ${ref} after ${maxAttempts} attempts: other runs kept updating it at the same time`,
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
