/**
 * Admission of one run against the ledger, and its settlement. Pure: the state in, the next state
 * out; `control.ts` applies them to the state ref with compare-and-swap, so of two runs admitted at
 * the same moment the second always sees the first's reservation and lock.
 */
import type { ScheduleState } from "../schedule/state.ts";
import {
  emptyLedger,
  formatUsd,
  type LedgerRun,
  liveReservations,
  type NotRun,
  type NotRunKind,
  recordNotRun,
  recordRun,
  spentOn,
  type TaskLock,
} from "./ledger.ts";

export interface Limits {
  daily_usd?: number | undefined;
  monthly_usd?: number | undefined;
  repo_daily_usd?: number | undefined;
  repo_monthly_usd?: number | undefined;
}

export interface AdmitRequest {
  /** The key in the ledger (a task name; `owner/repo/task` in an org ledger). */
  task: string;
  runId: string;
  now: Date;
  /** Held until the run settles: its most possible cost (`agent.max_budget_usd`; 0 when unbounded). */
  reserveUsd: number;
  limits: Limits;
  /** How long the reservation (and the lock) hold when the run never settles (it crashed). */
  holdMs: number;
  /** Take the task's lock (one run per task at a time). */
  lock: boolean;
  /** Words for the repository-wide limits ("the repository", "the organisation"). */
  scopeName?: string;
}

/** What a run asking to start is told: a refused run does not happen (it is listed as not run). */
export type Admitted = { ok: true } | { ok: false; kind: NotRunKind; reason: string };

export type Admission =
  | { ok: true; next: ScheduleState }
  | {
      ok: false;
      kind: Extract<NotRunKind, "budget" | "busy">;
      reason: string;
      /** The lock that is in the way (kind `busy`). */
      holder?: TaskLock;
      /** The state with the refusal recorded (kind `budget`); busy runs may still wait. */
      next: ScheduleState;
    };

const emptyState = (now: Date): ScheduleState => ({ version: 2, updatedAt: now.toISOString(), tasks: {} });

export function admit(state: ScheduleState | null, req: AdmitRequest): Admission {
  const s = state ?? emptyState(req.now);
  const nowMs = req.now.getTime();
  const holder = s.locks?.[req.task];
  if (req.lock && holder && heldByOther(s, req.task, req.runId, req.now)) {
    return {
      ok: false,
      kind: "busy",
      reason: `run ${holder.runId} of this task is running (since ${holder.at}; its claim expires ${holder.expires})`,
      holder,
      next: s,
    };
  }
  const over = overBudget(s, req);
  if (over) {
    const entry: NotRun = { at: req.now.toISOString(), kind: "budget", reason: over, runId: req.runId };
    return {
      ok: false,
      kind: "budget",
      reason: over,
      next: { ...s, version: 2, notRun: recordNotRun(s.notRun, req.task, entry) },
    };
  }
  const ledger = s.ledger ?? emptyLedger();
  const expires = new Date(nowMs + req.holdMs).toISOString();
  const at = req.now.toISOString();
  const next: ScheduleState = {
    ...s,
    version: 2,
    ledger: {
      ...ledger,
      reservations: [
        // expired reservations (crashed runs) are dropped here, so the list stays bounded
        ...liveReservations(ledger, req.now).filter((r) => !(r.task === req.task && r.runId === req.runId)),
        { task: req.task, runId: req.runId, usd: req.reserveUsd, at, expires },
      ],
    },
  };
  if (req.lock) next.locks = { ...(s.locks ?? {}), [req.task]: { runId: req.runId, at, expires } };
  return { ok: true, next };
}

/** Why the run would exceed a limit, or undefined. */
function overBudget(s: ScheduleState, req: AdmitRequest): string | undefined {
  const live = liveReservations(s.ledger, req.now).filter((r) => r.runId !== req.runId);
  const scope = req.scopeName ?? "the repository";
  const checks: { limit: number | undefined; period: "day" | "month"; mine: boolean; what: string }[] = [
    { limit: req.limits.daily_usd, period: "day", mine: true, what: "the task's daily budget" },
    { limit: req.limits.monthly_usd, period: "month", mine: true, what: "the task's monthly budget" },
    { limit: req.limits.repo_daily_usd, period: "day", mine: false, what: `${scope}'s daily budget` },
    { limit: req.limits.repo_monthly_usd, period: "month", mine: false, what: `${scope}'s monthly budget` },
  ];
  for (const c of checks) {
    if (c.limit === undefined) continue;
    const spent = spentOn(c.mine ? s.ledger?.tasks[req.task] : s.ledger?.total, c.period, req.now).usd;
    const reserved = live.filter((r) => !c.mine || r.task === req.task).reduce((a, r) => a + r.usd, 0);
    const total = spent + reserved + req.reserveUsd;
    // a run that cannot say what it costs at most is admitted only while money is left
    if (total > c.limit + 1e-9 || spent + reserved >= c.limit - 1e-9) {
      const when = c.period === "day" ? "today" : "this month";
      const held = reserved > 0 ? ` + ${formatUsd(reserved)} held by running runs` : "";
      const mine = req.reserveUsd > 0 ? ` + up to ${formatUsd(req.reserveUsd)} for this run` : "";
      return `refused by budget: ${c.what} of ${formatUsd(c.limit)} would be exceeded (${formatUsd(spent)} spent ${when}${held}${mine})`;
    }
  }
  return undefined;
}

/** Whether another run than `runId` holds the lock of `task` now (a lock that has not expired). */
export function heldByOther(state: ScheduleState | null, task: string, runId: string, now: Date): boolean {
  const lock = state?.locks?.[task];
  return lock !== undefined && lock.runId !== runId && Date.parse(lock.expires) > now.getTime();
}

/** Whether `runId` holds a reservation or the lock of `task`. */
export function holds(state: ScheduleState | null, task: string, runId: string): boolean {
  return (
    (state?.ledger?.reservations.some((r) => r.task === task && r.runId === runId) ?? false) ||
    state?.locks?.[task]?.runId === runId
  );
}

/** The state after the run ended: its real cost recorded, its reservation and lock released. */
export function settle(
  state: ScheduleState | null,
  req: { task: string; runId: string; run?: LedgerRun; now: Date },
): ScheduleState {
  const s = state ?? emptyState(req.now);
  const ledger = req.run
    ? recordRun(s.ledger, req.task, req.run)
    : s.ledger && {
        ...s.ledger,
        reservations: s.ledger.reservations.filter((r) => !(r.task === req.task && r.runId === req.runId)),
      };
  const locks = { ...(s.locks ?? {}) };
  if (locks[req.task]?.runId === req.runId) delete locks[req.task];
  return {
    ...s,
    version: 2,
    ...(ledger ? { ledger } : {}),
    locks,
  };
}

/** Records a run that did not start (skipped because nothing changed, a pre-check said no, …). */
export function noteNotRun(state: ScheduleState | null, task: string, entry: NotRun): ScheduleState {
  const s = state ?? emptyState(new Date(entry.at));
  return { ...s, version: 2, notRun: recordNotRun(s.notRun, task, entry) };
}
