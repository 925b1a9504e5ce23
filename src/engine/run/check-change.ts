/**
 * The one check of a task's result, for a run and for the org workflow's publish job alike: collect
 * the worktree's change, run every guard on that tree, withhold file names that hold a credential,
 * and keep the change in a backup before anything else touches it.
 */
import type { Task } from "../config/index.ts";
import {
  type Change,
  collectChanges,
  NoBackupError,
  type Worktree,
  writeChangeBackup,
} from "../git/index.ts";
import { runGuards, withholdFileNames } from "../guard/index.ts";
import { summariseFiles } from "./result.ts";
import type { TaskResult } from "./types.ts";

export interface CheckedChange {
  change: Change;
  /** Why no backup could be written (too large to keep); the change must then not land. */
  noBackup?: string;
}

/** Fills `r.files`, `r.violations` and `r.backup`; the worktree counts as saved afterwards. */
export async function checkChange(o: {
  wt: Worktree;
  base: string;
  task: Task;
  r: TaskResult;
  reason: string;
  /** Backup metadata, asked for once the violations are known. */
  details: () => Record<string, unknown>;
}): Promise<CheckedChange> {
  const { wt, task, r } = o;
  const change = await collectChanges({ git: wt.git, base: o.base });
  Object.assign(r, summariseFiles(change));
  const guards =
    change.files.length > 0
      ? await runGuards({ change, worktreePath: wt.path, paths: task.paths, limits: task.limits })
      : undefined;
  r.violations = (guards?.violations ?? []).map((v) => ({
    rule: v.rule,
    file: v.file,
    line: v.line,
    message: v.message,
  }));
  // a file name that holds a credential is never shown, not even in the list of files
  r.files = withholdFileNames(r.files, guards?.withheldNames);
  let noBackup: string | undefined;
  if (change.files.length > 0) {
    try {
      const b = await writeChangeBackup({
        git: wt.git,
        change,
        stateDir: wt.stateDir,
        runId: wt.runId,
        task: task.name,
        reason: o.reason,
        details: o.details(),
      });
      r.backup = b.id;
    } catch (err) {
      if (!(err instanceof NoBackupError)) throw err;
      noBackup = err.message; // too large to keep (refused as limits.diff_size)
    }
  }
  // Everything the worktree holds is now in that backup (or it holds nothing): removing it needs no
  // second scan. What follows (commit, rebase) only rearranges this change and backs up on its own.
  wt.markSaved();
  return { change, ...(noBackup ? { noBackup } : {}) };
}

/** Marks a result with guard violations as refused; true when it was. */
export function refuseViolations(r: TaskResult, noBackup?: string): boolean {
  if (r.violations.length === 0) return false;
  r.status = "refused";
  r.message = `the change was refused: ${r.violations[0]!.message}${r.violations.length > 1 ? ` (+${r.violations.length - 1} more)` : ""}`;
  if (noBackup) r.message += `; it was not backed up: ${noBackup}`;
  return true;
}
