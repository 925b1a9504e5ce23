/**
 * What `prune` deletes, decided without I/O. Rules, per task and applied to runs and backups alike:
 *
 * - a run is kept when it is still running, or it is one of the newest `keep` runs of any of its tasks
 *   (and, with `maxAge`, not older than that). Its log lines and its report stay; the others go.
 * - a backup is kept when its run is still running, or it is one of the newest `keep` backups of its
 *   task (and, with `maxAge`, not older than that).
 * - a report whose run the log does not know is judged by its age alone (the run id holds the time).
 */
import { compareCodeUnits } from "../order.ts";
import type { LogEntry } from "../run/run-log.ts";
import type { RetentionPolicy } from "./policy.ts";

export interface BackupItem {
  id: string;
  task: string;
  runId: string;
  createdAt: string;
  size: number;
}

export interface PruneInput {
  backups: readonly BackupItem[];
  entries: readonly LogEntry[];
  /** Run ids that have a report directory. */
  reports: readonly string[];
  /** Run ids that are still running: nothing of theirs is touched. */
  running: ReadonlySet<string>;
  policy: RetentionPolicy;
  now: Date;
}

export interface PrunePlan {
  /** Run ids whose log lines stay. */
  keepRuns: Set<string>;
  /** Run ids whose log lines go. */
  dropRuns: string[];
  deleteBackups: BackupItem[];
  keepBackups: BackupItem[];
  deleteReports: string[];
}

export function planPrune(input: PruneInput): PrunePlan {
  const cutoff =
    input.policy.maxAgeMs === undefined ? undefined : input.now.getTime() - input.policy.maxAgeMs;
  const young = (iso: string) => cutoff === undefined || Date.parse(iso) >= cutoff;

  // Runs: the newest `keep` task entries of every task vote for their run.
  const keepRuns = new Set<string>(input.running);
  const byTask = new Map<string, { runId: string; at: string }[]>();
  const known = new Set<string>();
  for (const e of input.entries) {
    known.add(e.runId);
    if (e.type !== "task") continue;
    const list = byTask.get(e.task) ?? [];
    list.push({ runId: e.runId, at: e.at });
    byTask.set(e.task, list);
  }
  for (const list of byTask.values()) {
    const newest = [...list].sort((a, b) => compareCodeUnits(b.at, a.at));
    const distinct: string[] = [];
    for (const { runId, at } of newest) {
      if (distinct.length >= input.policy.keep) break;
      if (distinct.includes(runId)) continue;
      distinct.push(runId);
      if (young(at)) keepRuns.add(runId);
    }
  }
  const dropRuns = [...known].filter((id) => !keepRuns.has(id));

  // Backups: the newest `keep` of each task.
  const keepBackups: BackupItem[] = [];
  const deleteBackups: BackupItem[] = [];
  const backupsByTask = new Map<string, BackupItem[]>();
  for (const b of input.backups) backupsByTask.set(b.task, [...(backupsByTask.get(b.task) ?? []), b]);
  for (const list of backupsByTask.values()) {
    const newest = [...list].sort(
      (a, b) => compareCodeUnits(b.createdAt, a.createdAt) || compareCodeUnits(b.id, a.id),
    );
    newest.forEach((b, i) => {
      const keep = input.running.has(b.runId) || (i < input.policy.keep && young(b.createdAt));
      (keep ? keepBackups : deleteBackups).push(b);
    });
  }

  const deleteReports = input.reports.filter((runId) => {
    if (keepRuns.has(runId)) return false;
    if (known.has(runId)) return true;
    const at = runIdTime(runId);
    return at !== undefined && !young(at.toISOString());
  });
  return { keepRuns, dropRuns, deleteBackups, keepBackups, deleteReports };
}

/** The start time in a run id such as `20261120-060000-a1b2`, or undefined. */
export function runIdTime(runId: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-|$)/.exec(runId);
  if (!m) return undefined;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
