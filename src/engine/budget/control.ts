/**
 * What decides, before a task's agent starts, whether it may start at all — and records what it cost
 * when it ends. `runTasks` calls `admit` before `runTask` and `settle` after it (see `RunControl`).
 *
 * - Budgets: the run's most possible cost (`agent.max_budget_usd` × retry attempts) is reserved in the
 *   ledger with the state ref's compare-and-swap; a run that could exceed a limit is refused with one
 *   line, before anything else happens (no worktree, no agent, no model request).
 * - One run per task: the same commit takes the task's lock (with an expiry); a second run waits for
 *   it or skips (`concurrency`).
 * - `skip_if_unchanged`: a scheduled run whose relevant files did not change since the base of its
 *   last successful run (whose pull request is still open or merged) does not start.
 * - `if_command`: decided inside the run (it needs the worktree and the sandbox); `settle` lists a
 *   run it stopped with the runs that did not happen.
 * - An organisation budget: the same admission against a second state ref (another repository's,
 *   shared by every repository of the organisation), keyed `owner/repo/task`.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { parseDuration } from "../config/duration.ts";
import type { Task } from "../config/index.ts";
import { errorMessage } from "../errors.ts";
import type { Git } from "../git/exec.ts";
import { compileGlob } from "../glob.ts";
import type { Logger } from "../logger.ts";
import { createMutex } from "../run/mutex.ts";
import type { TaskResult } from "../run/types.ts";
import {
  prepareStateUpdate,
  readRemoteState as readState,
  type ScheduleState,
  STATE_REF,
  type StateRider,
  type UpdateOptions,
  updateRemoteState as updateState,
} from "../schedule/state.ts";
import { type Admission, type Admitted, admit, heldByOther, holds, noteNotRun, settle } from "./admit.ts";
import type { LedgerRun, NotRunKind } from "./ledger.ts";

export const ORG_LEDGER_REF = "refs/claude-tasks/org-ledger";
/** A run that never settles (its process died) stops holding money and the lock this long after its worst case. */
const HOLD_MARGIN_MS = 10 * 60_000;

export type { Admitted } from "./admit.ts";

export interface AdmitContext {
  task: Task;
  runId: string;
  /** A scheduled run (fire times claimed): only those are skipped when nothing changed. */
  scheduled: boolean;
  /** The base commit the run would start from (fetched). */
  baseCommit: () => Promise<string>;
  signal?: AbortSignal | undefined;
}

export interface RunControl {
  /**
   * Takes the task's lock and reserves its most possible cost. `once`: a lock held by another run is
   * answered at once (busy, not recorded as a run that did not happen) instead of waiting or skipping
   * as the task's `concurrency` says.
   */
  admit(ctx: AdmitContext, how?: { once?: boolean }): Promise<Admitted>;
  /**
   * Whether `admit` can refuse for more than the lock (a budget, the organisation's budget, a
   * scheduled `skip_if_unchanged`): then it must answer before the agent starts, as a refused run
   * makes no model request. Otherwise the lock is taken while the agent starts (see `runTasks`).
   */
  gatesStart(task: Task, scheduled: boolean): boolean;
  /**
   * After the run (whatever happened): its cost into the ledger, its reservation and lock released.
   * Nothing is written when the push of the run's branch already recorded the same outcome and cost
   * (`settleInPush`).
   */
  settle(task: Task, runId: string, result: TaskResult, opts?: { onlyIfHeld?: boolean }): Promise<void>;
  /**
   * The settlement as a ref update that rides in the atomic push of the task's branch (one push for
   * both; `result` as it will be once pushed). Only for a run that holds the task's lock and nothing
   * else (no budget of its own or of the organisation, no `skip_if_unchanged`, which needs the PR's
   * number this record comes too early to know); undefined otherwise, or when the state's tip is not
   * known without a fetch. `settle` afterwards writes only what changed.
   *
   * `claim`: the run never asked for the lock (its agent ended first): the record is made only when no
   * other run holds the lock in the state it is leased on, so the push that carries it takes the lock
   * for that moment, under the same compare-and-swap as `admit` (undefined when another run holds it).
   */
  settleInPush(
    task: Task,
    runId: string,
    result: TaskResult,
    how?: { claim?: boolean },
  ): Promise<StateRider | undefined>;
  /**
   * Releases whatever the holder still holds (reservations and locks of runs that never reported: a
   * run job that died). Only with a `holder`; the publish job of the reusable workflow calls it last.
   */
  releaseHeld(): Promise<void>;
}

export type PullRequestState = "open" | "closed" | "merged";

export interface OrgLedger {
  git: Git;
  /** The shared repository (a remote name or URL). */
  remote: string;
  ref?: string;
  /** `owner/repo` of this repository: the prefix of its keys in the org ledger. */
  repository: string;
  /** Most the organisation may spend per UTC month, every repository together. */
  monthlyUsd?: number;
  dailyUsd?: number;
}

export interface RunControlOptions {
  git: Git;
  remote: string;
  org?: OrgLedger;
  now?: () => Date;
  /** How often a waiting run looks at the lock again. Default 15 s. */
  pollMs?: number;
  /** The state of a pull request (absent: not known, e.g. local runs without GitHub). */
  prState?: (n: number) => Promise<PullRequestState | undefined>;
  logger?: Logger;
  /**
   * Who holds reservations and locks: default the engine's run id. The Action passes the workflow
   * run's id, so the plan job's admission is settled by the publish job of the same workflow run.
   */
  holder?: string;
  /** Longest a `concurrency: wait` run waits (then it skips, saying so). Default: until the lock expires. */
  maxWaitMs?: number;
  /** Tests: backoff between compare-and-swap attempts. */
  backoff?: (attempt: number) => Promise<void>;
}

/** The money one run may spend at most: every attempt may spend `max_budget_usd` (0: no bound). */
export function reserveFor(task: Task): number {
  if (task.kind !== "claude") return 0;
  return (task.agent.max_budget_usd ?? 0) * task.retry.attempts;
}

/** How long a run can last at worst (every attempt to its timeout, the backoffs between), plus a margin. */
export function holdFor(task: Task): number {
  const attempts = task.retry.attempts;
  return (
    parseDuration(task.agent.timeout) * attempts +
    parseDuration(task.retry.backoff) * (attempts - 1) +
    HOLD_MARGIN_MS
  );
}

/** Whether the task needs the control at all (no budget, no lock: every task takes the lock). */
export function createRunControl(opts: RunControlOptions): RunControl {
  const now = opts.now ?? (() => new Date());
  const cas = { git: opts.git, remote: opts.remote, ...(opts.backoff ? { backoff: opts.backoff } : {}) };
  // tasks running in parallel share the repository's fetch ref of the state: one update at a time
  const serial = createMutex();
  const updateRemoteState = <T>(o: UpdateOptions<T>) => serial(() => updateState(o));
  const readRemoteState = (o: Parameters<typeof readState>[0]) => serial(() => readState(o));

  /** Runs whose settlement rode in the push of their branch, with what it recorded. */
  const rodeInPush = new Map<string, LedgerRun>();

  const orgLimited = (): boolean =>
    opts.org !== undefined && (opts.org.monthlyUsd !== undefined || opts.org.dailyUsd !== undefined);

  const note = async (task: string, kind: NotRunKind, reason: string, runId: string) => {
    await updateRemoteState({
      ...cas,
      update: (s) => ({
        next: noteNotRun(s, task, { at: now().toISOString(), kind, reason, runId }),
        value: 0,
      }),
    });
  };

  async function unchanged(ctx: AdmitContext): Promise<string | undefined> {
    const { task } = ctx;
    if (!ctx.scheduled || task.skip_if_unchanged !== true) return undefined;
    const snap = await readRemoteState({ git: opts.git, remote: opts.remote });
    const last = snap.state?.ledger?.tasks[task.name]?.lastSuccess;
    if (!last?.base) return undefined;
    // recorded before its PR was known (the task had no skip_if_unchanged then): whether that PR was
    // closed is not known, so it runs
    if (last.prAfter && last.outcome === "success") return undefined;
    if (last.pr !== undefined && opts.prState) {
      const state = await opts.prState(last.pr).catch(() => undefined);
      if (state === "closed" || state === undefined) return undefined; // its result was rejected: run again
    }
    const current = await ctx.baseCommit();
    if (current !== last.base) {
      const files = await changedFiles(opts.git, opts.remote, last.base, current);
      if (files === undefined) return undefined; // the old base is gone (force-push): run
      const globs = task.reads ?? (task.watch.length > 0 ? task.watch : undefined);
      const tests = globs?.map((g) => compileGlob(g));
      const relevant = tests ? files.filter((f) => tests.some((t) => t(f))) : files;
      if (relevant.length > 0) return undefined;
    }
    return `skipped: nothing changed since ${last.base.slice(0, 12)}`;
  }

  async function admitRepo(ctx: AdmitContext): Promise<Admission> {
    const { task } = ctx;
    const r = await updateRemoteState({
      ...cas,
      update: (s) => {
        const a = admit(s, {
          task: task.name,
          runId: ctx.runId,
          now: now(),
          reserveUsd: reserveFor(task),
          limits: task.budget ?? {},
          holdMs: holdFor(task),
          lock: true,
        });
        return { next: a.ok || a.kind === "budget" ? a.next : null, value: a };
      },
    });
    return r.value;
  }

  async function admitOrg(ctx: AdmitContext): Promise<Admission | undefined> {
    const org = opts.org;
    if (!org || !orgLimited()) return undefined;
    const r = await updateRemoteState({
      git: org.git,
      remote: org.remote,
      ref: org.ref ?? ORG_LEDGER_REF,
      ...(opts.backoff ? { backoff: opts.backoff } : {}),
      update: (s) => {
        const a = admit(s, {
          task: `${org.repository}/${ctx.task.name}`,
          runId: ctx.runId,
          now: now(),
          reserveUsd: reserveFor(ctx.task),
          limits: { repo_daily_usd: org.dailyUsd, repo_monthly_usd: org.monthlyUsd },
          holdMs: holdFor(ctx.task),
          lock: false,
          scopeName: "the organisation",
        });
        return { next: a.ok || a.kind === "budget" ? a.next : null, value: a };
      },
    });
    return r.value;
  }

  async function releaseRepo(task: Task, runId: string): Promise<void> {
    await updateRemoteState({
      ...cas,
      update: (s) => ({ next: settle(s, { task: task.name, runId, now: now() }), value: 0 }),
    });
  }

  return {
    gatesStart(task, scheduled) {
      return budgeted(task) || orgLimited() || (scheduled && task.skip_if_unchanged === true);
    },

    async admit(given, how = {}) {
      const ctx = opts.holder ? { ...given, runId: opts.holder } : given;
      const { task } = ctx;
      const skip = await unchanged(ctx);
      if (skip) {
        await note(task.name, "unchanged", skip, ctx.runId);
        return { ok: false, kind: "unchanged", reason: skip };
      }
      let waitedSince: number | undefined;
      for (;;) {
        const a = await admitRepo(ctx);
        if (a.ok) break;
        if (a.kind === "budget") return { ok: false, kind: "budget", reason: a.reason };
        if (how.once) return { ok: false, kind: "busy", reason: a.reason };
        const expires = Date.parse(a.holder!.expires);
        waitedSince ??= now().getTime();
        const deadline = Math.min(expires, waitedSince + (opts.maxWaitMs ?? Number.POSITIVE_INFINITY));
        if (task.concurrency === "skip" || ctx.signal?.aborted || now().getTime() >= deadline) {
          const reason =
            task.concurrency === "skip"
              ? `skipped: ${a.reason} (concurrency: skip)`
              : `skipped: ${a.reason}; waited ${Math.round((now().getTime() - waitedSince) / 1000)}s (concurrency: wait)`;
          await note(task.name, "busy", reason, ctx.runId);
          return { ok: false, kind: "busy", reason };
        }
        opts.logger?.info(`${task.name}: waiting — ${a.reason} (concurrency: wait)`);
        const pause = Math.max(1, Math.min(opts.pollMs ?? 15_000, deadline - now().getTime()));
        await sleep(pause, undefined, ctx.signal ? { signal: ctx.signal } : {}).catch(() => {});
      }
      const org = await admitOrg(ctx).catch(async (err) => {
        await releaseRepo(task, ctx.runId);
        throw err;
      });
      if (org && !org.ok) {
        await releaseRepo(task, ctx.runId);
        await note(task.name, "budget", org.reason, ctx.runId);
        return { ok: false, kind: "budget", reason: org.reason };
      }
      if (waitedSince !== undefined)
        opts.logger?.info(
          `${task.name}: the other run ended; this one starts after waiting ${Math.round((now().getTime() - waitedSince) / 1000)}s`,
        );
      return { ok: true };
    },

    async settleInPush(task, given, result, how = {}) {
      const runId = opts.holder ?? given;
      if (budgeted(task) || orgLimited() || task.skip_if_unchanged === true) return undefined;
      const run = { ...ledgerRun(runId, result, now()), prAfter: true as const };
      const mayRecord = (s: ScheduleState | null) =>
        how.claim ? !heldByOther(s, task.name, runId, now()) : holds(s, task.name, runId);
      const rider = await serial(() =>
        prepareStateUpdate({
          git: opts.git,
          remote: opts.remote,
          update: (s) => (mayRecord(s) ? settle(s, { task: task.name, runId, run, now: now() }) : null),
        }),
      );
      if (!rider) return undefined;
      return {
        update: rider.update,
        pushed(won) {
          rider.pushed(won);
          if (won) rodeInPush.set(`${task.name}\0${runId}`, run);
        },
      };
    },

    async settle(task, given, result, how = {}) {
      const runId = opts.holder ?? given;
      const run = ledgerRun(runId, result, now());
      const rode = rodeInPush.get(`${task.name}\0${runId}`);
      rodeInPush.delete(`${task.name}\0${runId}`);
      const same =
        rode !== undefined &&
        rode.outcome === run.outcome &&
        rode.costUsd === run.costUsd &&
        result.notRun !== "if_command";
      if (same) return; // recorded by the push of its branch (no organisation ledger: see settleInPush)
      try {
        await updateRemoteState({
          ...cas,
          update: (s) => {
            if (how.onlyIfHeld && !holds(s, task.name, runId)) return { next: null, value: 0 };
            const next = settle(s, { task: task.name, runId, run, now: now() });
            // a run its own pre-check stopped (`if_command`) is listed with the runs that did not happen
            return {
              next:
                result.notRun === "if_command"
                  ? noteNotRun(next, task.name, {
                      at: run.at,
                      kind: "if_command",
                      reason: result.message,
                      runId,
                    })
                  : next,
              value: 0,
            };
          },
        });
      } catch (err) {
        opts.logger?.warn(
          `${task.name}: could not record the run in ${STATE_REF}: ${errorMessage(err)} (its reservation and lock expire on their own)`,
        );
      }
      const org = opts.org;
      if (!org || !orgLimited()) return;
      try {
        await updateRemoteState({
          git: org.git,
          remote: org.remote,
          ref: org.ref ?? ORG_LEDGER_REF,
          update: (s) => {
            const key = `${org.repository}/${task.name}`;
            return {
              next:
                how.onlyIfHeld && !holds(s, key, runId)
                  ? null
                  : settle(s, { task: key, runId, run, now: now() }),
              value: 0,
            };
          },
        });
      } catch (err) {
        opts.logger?.warn(
          `${task.name}: could not record the run in the organisation ledger: ${errorMessage(err)}`,
        );
      }
    },

    async releaseHeld() {
      const holder = opts.holder;
      if (!holder) return;
      await updateRemoteState({ ...cas, update: (s) => ({ next: releaseHolder(s, holder), value: 0 }) });
      const org = opts.org;
      if (org && orgLimited())
        await updateRemoteState({
          git: org.git,
          remote: org.remote,
          ref: org.ref ?? ORG_LEDGER_REF,
          update: (s) => ({ next: releaseHolder(s, holder), value: 0 }),
        });
    },
  };
}

const budgeted = (task: Task): boolean => Object.values(task.budget ?? {}).some((v) => v !== undefined);

/** What the ledger keeps of a run that ended. */
function ledgerRun(runId: string, result: TaskResult, at: Date): LedgerRun {
  return {
    runId,
    at: at.toISOString(),
    costUsd: result.agent?.costUsd ?? 0,
    durationMs: result.durationMs,
    outcome: result.status,
    ...(result.agent?.numTurns !== undefined ? { turns: result.agent.numTurns } : {}),
    ...(result.baseCommit ? { base: result.baseCommit } : {}),
    ...(result.pr?.number !== undefined ? { pr: result.pr.number } : {}),
  };
}

/** The state without anything `holder` holds. */
export function releaseHolder(s: ScheduleState | null, holder: string): ScheduleState | null {
  if (!s) return null;
  const held =
    (s.ledger?.reservations.some((r) => r.runId === holder) ?? false) ||
    Object.values(s.locks ?? {}).some((l) => l.runId === holder);
  if (!held) return null;
  return {
    ...s,
    ...(s.ledger
      ? { ledger: { ...s.ledger, reservations: s.ledger.reservations.filter((r) => r.runId !== holder) } }
      : {}),
    locks: Object.fromEntries(Object.entries(s.locks ?? {}).filter(([, l]) => l.runId !== holder)),
  };
}

/** Files changed between two commits (the old one fetched if the clone lacks it); undefined when it is gone. */
async function changedFiles(
  git: Git,
  remote: string,
  from: string,
  to: string,
): Promise<string[] | undefined> {
  const has = await git.run(["cat-file", "-e", `${from}^{commit}`], { allowFailure: true });
  if (has.exitCode !== 0) {
    const fetched = await git.run(["fetch", "--quiet", "--no-tags", remote, from], { allowFailure: true });
    if (fetched.exitCode !== 0) return undefined;
  }
  const diff = await git.run(["diff", "--name-only", "--no-renames", "-z", from, to], { allowFailure: true });
  if (diff.exitCode !== 0) return undefined;
  return diff.stdout.split("\0").filter(Boolean);
}
