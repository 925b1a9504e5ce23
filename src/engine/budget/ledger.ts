/**
 * The spend ledger, kept in the schedule state (`refs/claude-tasks/state`, format version 2) so every
 * later run — local, in Actions, in any matrix job — reads what earlier runs spent. Bounded whatever
 * the history: per task and for the whole repository, one aggregate per UTC day (the last
 * `KEEP_DAYS`) and per UTC month (the last `KEEP_MONTHS`), plus the last `KEEP_RUNS` runs of each task.
 *
 * Beside it, in the same commit and so under the same compare-and-swap:
 * - `reservations`: runs admitted but not settled yet, each holding its task's `agent.max_budget_usd`
 *   (a run that crashes before settling stops counting once its reservation expires);
 * - `locks`: the one run of a task that may run now (with an expiry, for crashed runs);
 * - `notRun`: per task, the last fire times or runs that were due and did not run, with the reason.
 *
 * Everything here is pure: reading (zod, lenient about unknown keys), adding a run, sums.
 */
import { z } from "../zod.ts";

export const KEEP_DAYS = 40;
export const KEEP_MONTHS = 13;
export const KEEP_RUNS = 20;
export const KEEP_NOT_RUN = 20;

const iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)));
const usd = z.number().finite().nonnegative();

const spendSchema = z.object({ usd, runs: z.number().int().nonnegative() });
export type Spend = z.infer<typeof spendSchema>;

const aggregatesSchema = z.object({
  /** `YYYY-MM-DD` (UTC) → spend. */
  days: z.record(z.string(), spendSchema).default({}),
  /** `YYYY-MM` (UTC) → spend. */
  months: z.record(z.string(), spendSchema).default({}),
});
export type Aggregates = z.infer<typeof aggregatesSchema>;

const ledgerRunSchema = z.object({
  runId: z.string(),
  /** When the run ended. */
  at: iso,
  costUsd: usd,
  turns: z.number().int().nonnegative().optional(),
  durationMs: z.number().nonnegative(),
  /** The task status (`success`, `budget_exhausted`, …). */
  outcome: z.string(),
  /** The base commit the run started from. */
  base: z.string().optional(),
  pr: z.number().int().positive().optional(),
  /**
   * Recorded by the push of its branch, before its pull request was opened or updated: the PR's
   * number is not kept (whether that PR was closed is not known).
   */
  prAfter: z.literal(true).optional(),
});
export type LedgerRun = z.infer<typeof ledgerRunSchema>;

const taskLedgerSchema = aggregatesSchema.extend({
  recent: z.array(ledgerRunSchema).default([]),
  /** The last run that succeeded (`success` or `no_changes`): what `skip_if_unchanged` compares with. */
  lastSuccess: ledgerRunSchema.optional(),
});
export type TaskLedger = z.infer<typeof taskLedgerSchema>;

const reservationSchema = z.object({
  task: z.string(),
  runId: z.string(),
  usd,
  at: iso,
  expires: iso,
});
export type Reservation = z.infer<typeof reservationSchema>;

export const ledgerSchema = z.object({
  total: aggregatesSchema.prefault({}),
  tasks: z.record(z.string(), taskLedgerSchema).default({}),
  reservations: z.array(reservationSchema).default([]),
});
export type Ledger = z.infer<typeof ledgerSchema>;

export const lockSchema = z.object({ runId: z.string(), at: iso, expires: iso });
export type TaskLock = z.infer<typeof lockSchema>;

export const NOT_RUN_KINDS = ["missed", "budget", "unchanged", "busy", "if_command"] as const;
export type NotRunKind = (typeof NOT_RUN_KINDS)[number];

const notRunSchema = z.object({
  at: iso,
  kind: z.enum(NOT_RUN_KINDS),
  /** One line for people. */
  reason: z.string(),
  fireTimes: z.array(iso).optional(),
  runId: z.string().optional(),
});
export type NotRun = z.infer<typeof notRunSchema>;

/** The parts of state format version 2 beyond the schedule windows. */
export const stateExtrasSchema = z.object({
  ledger: ledgerSchema.optional(),
  locks: z.record(z.string(), lockSchema).optional(),
  notRun: z.record(z.string(), z.array(notRunSchema)).optional(),
});
export type StateExtras = z.infer<typeof stateExtrasSchema>;

export const emptyLedger = (): Ledger => ({ total: { days: {}, months: {} }, tasks: {}, reservations: [] });

export const dayOf = (d: Date): string => d.toISOString().slice(0, 10);
export const monthOf = (d: Date): string => d.toISOString().slice(0, 7);

/** The spend recorded for a day / month (0 when none). */
export function spentOn(a: Aggregates | undefined, period: "day" | "month", now: Date): Spend {
  const key = period === "day" ? dayOf(now) : monthOf(now);
  return (period === "day" ? a?.days[key] : a?.months[key]) ?? { usd: 0, runs: 0 };
}

/** Reservations still holding money at `now` (expired ones belong to runs that crashed). */
export function liveReservations(ledger: Ledger | undefined, now: Date): Reservation[] {
  return (ledger?.reservations ?? []).filter((r) => Date.parse(r.expires) > now.getTime());
}

function addSpend(a: Aggregates, at: Date, costUsd: number, runs = 1): Aggregates {
  const day = dayOf(at);
  const month = monthOf(at);
  const days = { ...a.days, [day]: plus(a.days[day], costUsd, runs) };
  const months = { ...a.months, [month]: plus(a.months[month], costUsd, runs) };
  return { days: newest(days, KEEP_DAYS), months: newest(months, KEEP_MONTHS) };
}

const plus = (s: Spend | undefined, costUsd: number, runs: number): Spend => ({
  usd: round((s?.usd ?? 0) + costUsd),
  runs: (s?.runs ?? 0) + runs,
});
/** Cents and below are kept to 1e-6 USD: sums stay exact enough and the JSON stays short. */
const round = (n: number) => Math.round(n * 1e6) / 1e6;

function newest<T>(r: Record<string, T>, keep: number): Record<string, T> {
  const keys = Object.keys(r).sort().slice(-keep);
  return Object.fromEntries(keys.map((k) => [k, r[k]!]));
}

const SUCCESSFUL = new Set(["success", "no_changes"]);

/** The ledger after a run ended: its cost in the aggregates, the run in its task's recent list, its reservation gone. */
export function recordRun(ledger: Ledger | undefined, task: string, run: LedgerRun): Ledger {
  const l = ledger ?? emptyLedger();
  const at = new Date(run.at);
  // the same run recorded again (its outcome changed after the push that recorded it): it replaces
  // its first record, also in the sums
  const prior = l.tasks[task]?.recent.find((r) => r.runId === run.runId);
  const undo = (a: Aggregates): Aggregates =>
    prior ? addSpend(a, new Date(prior.at), -prior.costUsd, -1) : a;
  const before = l.tasks[task] ?? { days: {}, months: {}, recent: [] };
  const others = before.recent.filter((r) => r.runId !== run.runId);
  // a success that this record turns into something else stops being the last success
  const lastSuccess = SUCCESSFUL.has(run.outcome)
    ? run
    : before.lastSuccess?.runId === run.runId
      ? others.findLast((r) => SUCCESSFUL.has(r.outcome))
      : before.lastSuccess;
  const entry: TaskLedger = {
    ...addSpend(undo(before), at, run.costUsd),
    recent: [...others, run].slice(-KEEP_RUNS),
    ...(lastSuccess ? { lastSuccess } : {}),
  };
  return {
    total: addSpend(undo(l.total), at, run.costUsd),
    tasks: { ...l.tasks, [task]: entry },
    reservations: l.reservations.filter((r) => !(r.task === task && r.runId === run.runId)),
  };
}

/** Adds a not-run record (newest last, bounded). */
export function recordNotRun(
  notRun: Record<string, NotRun[]> | undefined,
  task: string,
  entry: NotRun,
): Record<string, NotRun[]> {
  const list = [...(notRun?.[task] ?? []), entry].slice(-KEEP_NOT_RUN);
  return { ...(notRun ?? {}), [task]: list };
}

export const formatUsd = (n: number): string => `$${n.toFixed(2)}`;
