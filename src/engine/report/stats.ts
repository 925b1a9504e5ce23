import { compareCodeUnits } from "../order.ts";
import type { LogEntry, RunStartEntry, TaskEntry } from "../run/run-log.ts";
import { outcomeOf } from "../run/types.ts";

export interface TaskStats {
  task: string;
  runs: number;
  successes: number;
  failures: number;
  /** Successful runs (success or no_changes) over runs that ended (skipped excluded). */
  successRate: number | null;
  avgDurationMs: number | null;
  avgCostUsd: number | null;
  totalCostUsd: number;
  last: TaskEntry;
}

export interface StatusSummary {
  running: RunStartEntry[];
  /** Runs that started and never ended, and whose process is gone (killed, crashed), oldest first. */
  interrupted: RunStartEntry[];
  tasks: TaskStats[];
}

/** Per-task metrics from the run log; `isRunning` decides whether an unfinished run is still alive. */
export function summariseLog(
  entries: readonly LogEntry[],
  isRunning: (e: RunStartEntry) => boolean,
): StatusSummary {
  const ended = new Set(entries.filter((e) => e.type === "run-end").map((e) => e.runId));
  const unfinished = entries.filter((e): e is RunStartEntry => e.type === "run-start" && !ended.has(e.runId));
  const running = unfinished.filter((e) => isRunning(e));
  const interrupted = unfinished.filter((e) => !running.includes(e));
  const byTask = new Map<string, TaskEntry[]>();
  for (const e of entries) if (e.type === "task") byTask.set(e.task, [...(byTask.get(e.task) ?? []), e]);
  const tasks = [...byTask.entries()]
    .map(([task, list]) => {
      const counted = list.filter((e) => e.status !== "skipped");
      const successes = counted.filter((e) => outcomeOf(e.status) === "success").length;
      const costs = counted.map((e) => e.costUsd).filter((c): c is number => c !== undefined);
      const totalCostUsd = costs.reduce((a, b) => a + b, 0);
      return {
        task,
        runs: counted.length,
        successes,
        failures: counted.filter((e) => outcomeOf(e.status) === "failure").length,
        successRate: counted.length ? successes / counted.length : null,
        avgDurationMs: counted.length ? counted.reduce((a, e) => a + e.durationMs, 0) / counted.length : null,
        avgCostUsd: costs.length ? totalCostUsd / costs.length : null,
        totalCostUsd,
        last: list[list.length - 1]!,
      };
    })
    .sort((a, b) => compareCodeUnits(a.task, b.task));
  return { running, interrupted, tasks };
}
