/**
 * `claude-tasks status`: per task, what it spent today and this month against its budgets, its last
 * runs, whether a run holds it now, and the fire times and runs that were due and did not run, with
 * the reason. Pure: the state and the tasks in, plain data out (`--json` prints it as is).
 */
import type { Task } from "../config/index.ts";
import type { ScheduleState } from "../schedule/state.ts";
import type { Limits } from "./admit.ts";
import {
  formatUsd,
  type LedgerRun,
  liveReservations,
  type NotRun,
  spentOn,
  type TaskLock,
} from "./ledger.ts";

export interface TaskLedgerStatus {
  name: string;
  budget: Limits | null;
  today: { usd: number; runs: number };
  month: { usd: number; runs: number };
  /** Money held by runs of this task that are running (admitted, not settled). */
  reservedUsd: number;
  lastRun: LedgerRun | null;
  lastSuccess: LedgerRun | null;
  /** The run holding the task now (a live lock), or null. */
  running: TaskLock | null;
  /** Due and not run, newest last. */
  notRun: NotRun[];
}

export interface LedgerStatus {
  version: 1;
  at: string;
  /** When the state was last written; null without a state. */
  updatedAt: string | null;
  repository: {
    today: { usd: number; runs: number };
    month: { usd: number; runs: number };
    reservedUsd: number;
  };
  tasks: TaskLedgerStatus[];
}

export function ledgerStatus(state: ScheduleState | null, tasks: readonly Task[], now: Date): LedgerStatus {
  const ledger = state?.ledger;
  const live = liveReservations(ledger, now);
  const sum = (task?: string) =>
    live.filter((r) => task === undefined || r.task === task).reduce((a, r) => a + r.usd, 0);
  return {
    version: 1,
    at: now.toISOString(),
    updatedAt: state?.updatedAt ?? null,
    repository: {
      today: spentOn(ledger?.total, "day", now),
      month: spentOn(ledger?.total, "month", now),
      reservedUsd: sum(),
    },
    tasks: tasks.map((t) => {
      const entry = ledger?.tasks[t.name];
      const lock = state?.locks?.[t.name];
      return {
        name: t.name,
        budget: t.budget ?? null,
        today: spentOn(entry, "day", now),
        month: spentOn(entry, "month", now),
        reservedUsd: sum(t.name),
        lastRun: entry?.recent.at(-1) ?? null,
        lastSuccess: entry?.lastSuccess ?? null,
        running: lock && Date.parse(lock.expires) > now.getTime() ? lock : null,
        notRun: state?.notRun?.[t.name] ?? [],
      };
    }),
  };
}

/** The text form: one block per task. `paint` styles (bold/dim) for a terminal. */
export function renderLedgerStatus(
  s: LedgerStatus,
  paint: (style: "bold" | "dim", text: string) => string = (_, t) => t,
): string {
  const lines: string[] = [];
  const r = s.repository;
  lines.push(
    `repository: ${formatUsd(r.today.usd)} today (${r.today.runs} runs), ${formatUsd(r.month.usd)} this month (${r.month.runs} runs)${r.reservedUsd > 0 ? `, ${formatUsd(r.reservedUsd)} held by running runs` : ""}`,
  );
  if (s.updatedAt === null) lines.push(paint("dim", "no ledger yet: no run has been recorded"));
  for (const t of s.tasks) {
    const limits = t.budget
      ? [
          t.budget.daily_usd !== undefined ? `daily ${formatUsd(t.budget.daily_usd)}` : "",
          t.budget.monthly_usd !== undefined ? `monthly ${formatUsd(t.budget.monthly_usd)}` : "",
        ]
          .filter(Boolean)
          .join(", ")
      : "";
    lines.push("");
    lines.push(
      `${paint("bold", t.name)}  ${formatUsd(t.today.usd)} today, ${formatUsd(t.month.usd)} this month${limits ? ` (budget: ${limits})` : ""}`,
    );
    if (t.running) lines.push(`  running: run ${t.running.runId} since ${t.running.at}`);
    if (t.lastRun)
      lines.push(
        `  last run: ${t.lastRun.outcome} at ${t.lastRun.at}, ${formatUsd(t.lastRun.costUsd)}${t.lastRun.turns !== undefined ? `, ${t.lastRun.turns} turns` : ""}`,
      );
    for (const n of t.notRun) lines.push(`  not run ${n.at}: ${n.reason}`);
  }
  return lines.join("\n");
}
