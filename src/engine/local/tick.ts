/**
 * `claude-tasks tick`: run what is due since the last tick, on a developer's machine (a timer calls it
 * every few minutes). The same due-time function, `missed` policies and state format as the Action's
 * schedule path (schedule/state.ts); the same plan (needs, groups) and the same `runTasks`.
 *
 * Where the state lives depends on where the results go:
 * - `tick` (local branches) and `tick --dry-run`: the ref `refs/claude-tasks/local-state` in this
 *   repository, never pushed. A local tick must not claim the shared fire times: its result is a local
 *   branch, so claiming one would take the pull request away from the Action. Works offline.
 * - `tick --pr`: the shared ref `refs/claude-tasks/state` on `origin`, claimed compare-and-swap exactly
 *   as the Action does, so a fire time runs once whether the Action or this machine gets to it first.
 *
 * Both survive crashes: the claim is one atomic ref update (`git update-ref <ref> <new> <old>` locally,
 * a push with a lease remotely) written before any task starts. A claim is final, as in the Action: a
 * tick killed mid-run does not run the same fire times again (its work is in the backups; the next fire
 * time runs normally). A per-repository lock (lock.ts) keeps two ticks from overlapping; a tick that
 * finds the lock held by a live process does nothing and exits 0 (the timer fires again shortly).
 *
 * `<git-common-dir>/claude-tasks/tick.json` records the last tick and the last one that ran tasks
 * (with its outcome, or `running` when the process died during the run), for `schedule status`.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stopAgentProcessesIn } from "../agent/process-tree.ts";
import type { Task } from "../config/index.ts";
import { resolveRun } from "../event/resolve-run.ts";
import type { Git } from "../git/exec.ts";
import { pruneWorktrees } from "../git/worktree.ts";
import type { RunPlan } from "../plan/index.ts";
import { newRunId, type RunMode, type RunReport } from "../run/index.ts";
import type { DueTask } from "../schedule/index.ts";
import {
  type ClaimOptions,
  type ClaimResult,
  claimDueTasks,
  localStateStore,
  STATE_REF,
} from "../schedule/state.ts";
import { acquireLock, type LockInfo, type ProcessProbe } from "./lock.ts";

export const LOCAL_STATE_REF = "refs/claude-tasks/local-state";
export const TICK_RECORD = "tick.json";

export type StateLocation = { kind: "local"; ref: string } | { kind: "remote"; remote: string; ref: string };

export function stateLocation(mode: RunMode, remote = "origin"): StateLocation {
  return mode === "pr" ? { kind: "remote", remote, ref: STATE_REF } : { kind: "local", ref: LOCAL_STATE_REF };
}

export interface TickRunRequest {
  tasks: Task[];
  /** The plan to run (needs, conditions, fire times). */
  plan: RunPlan;
  runId: string;
  trigger: string;
  fireTimes: Record<string, string[]>;
}

export interface TickOptions {
  git: Git;
  /** `<git-common-dir>/claude-tasks`. */
  stateDir: string;
  /** Every task of the project. */
  tasks: readonly Task[];
  now: Date;
  mode: RunMode;
  remote?: string;
  /** Runs the planned tasks (the CLI's `runTasks` with the sandbox, progress and interrupts). */
  run: (req: TickRunRequest) => Promise<RunReport>;
  probe?: ProcessProbe;
}

export type TickResult =
  | { status: "busy"; holder: LockInfo | undefined }
  | {
      status: "nothing-due" | "ran";
      state: StateLocation;
      due: DueTask[];
      plan: RunPlan;
      notes: string[];
      /** The stale lock of a tick that died, taken over. */
      replaced?: LockInfo;
      report?: RunReport;
    };

export interface TickEntry {
  at: string;
  /** The clock the tick used (differs from `at` only with an injected clock). */
  now: string;
  mode: RunMode;
  state: string;
  tasks: string[];
  runId?: string;
  pid: number;
  status: "nothing-due" | "running" | "ok" | "failed";
}

export interface TickRecord {
  lastTick?: TickEntry;
  /** The last tick that ran tasks. */
  lastRun?: TickEntry;
}

export async function tick(opts: TickOptions): Promise<TickResult> {
  const acquired = await acquireLock({
    dir: opts.stateDir,
    name: "tick",
    purpose: "tick",
    ...(opts.probe ? { probe: opts.probe } : {}),
  });
  if (!acquired.ok) return { status: "busy", holder: acquired.holder };
  try {
    return await tickLocked(opts, acquired.replaced);
  } finally {
    await acquired.lock.release();
  }
}

async function tickLocked(opts: TickOptions, replaced: LockInfo | undefined): Promise<TickResult> {
  const { now, mode } = opts;
  const runId = newRunId(now);
  const where = stateLocation(mode, opts.remote);
  const peek = mode === "dry-run";
  const notes: string[] = [];
  if (replaced) {
    notes.push(
      `the previous tick (pid ${replaced.pid}, started ${replaced.startedAt}) ended without releasing its lock; taken over`,
    );
    // nobody is at the keyboard to run `worktrees --prune`: back up and remove what the crash left
    if (!peek) {
      const pruned = await pruneWorktrees(opts.git, {
        stateDir: opts.stateDir,
        stopProcesses: stopAgentProcessesIn,
      });
      for (const p of pruned.filter((x) => x.removed && !x.error))
        notes.push(
          `leftover worktree of ${p.task ?? "an interrupted task"} removed${p.backup ? `; its work is in backup ${p.backup.id}` : ""}`,
        );
    }
  }
  let claimed: ClaimResult | undefined;
  // the Action's schedule path (resolveRun): the same claim, notes and plan (needs, groups, fire times)
  const resolved = await resolveRun({
    decision: { kind: "schedule", trigger: "tick" },
    tasks: opts.tasks,
    now,
    dryRun: peek,
    git: async () => opts.git,
    remote: where.kind === "remote" ? where.remote : ".",
    runId,
    claim: async (c: ClaimOptions) => {
      claimed = await claimDueTasks(
        where.kind === "local" ? { ...c, store: localStateStore(c.git, where.ref) } : c,
      );
      return claimed;
    },
  });
  notes.push(...resolved.notes);
  const plan = resolved.plan;
  const due = claimed?.due ?? [];
  const entry: TickEntry = {
    at: new Date().toISOString(),
    now: now.toISOString(),
    mode,
    state: where.kind === "local" ? where.ref : `${where.remote} ${where.ref}`,
    tasks: plan.tasks.map((t) => t.name),
    pid: process.pid,
    status: "nothing-due",
  };
  const base = { state: where, due, plan, notes, ...(replaced ? { replaced } : {}) };
  if (plan.tasks.length === 0) {
    await recordTick(opts.stateDir, entry, false);
    return { status: "nothing-due", ...base };
  }
  const running: TickEntry = { ...entry, runId, status: "running" };
  await recordTick(opts.stateDir, running, true);
  const byName = new Map(opts.tasks.map((t) => [t.name, t]));
  let report: RunReport | undefined;
  try {
    report = await opts.run({
      tasks: plan.tasks.map((p) => byName.get(p.name)!),
      plan,
      runId,
      trigger: `tick ${now.toISOString().slice(0, 16)}Z`,
      fireTimes: Object.fromEntries(
        plan.tasks.filter((t) => t.fireTimes.length > 0).map((t) => [t.name, t.fireTimes]),
      ),
    });
  } finally {
    await recordTick(opts.stateDir, { ...running, status: report?.ok ? "ok" : "failed" }, true);
  }
  return { status: "ran", ...base, report };
}

// ---- the tick record ------------------------------------------------------------------------------

export async function readTickRecord(stateDir: string): Promise<TickRecord> {
  try {
    const v = JSON.parse(await readFile(join(stateDir, TICK_RECORD), "utf8")) as TickRecord;
    return typeof v === "object" && v !== null ? v : {};
  } catch {
    return {};
  }
}

async function recordTick(stateDir: string, entry: TickEntry, ran: boolean): Promise<void> {
  const record = await readTickRecord(stateDir);
  const next: TickRecord = { ...record, lastTick: entry, ...(ran ? { lastRun: entry } : {}) };
  await mkdir(stateDir, { recursive: true });
  const path = join(stateDir, TICK_RECORD);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`);
  await rename(tmp, path);
}
