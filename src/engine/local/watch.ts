/**
 * `claude-tasks watch`: the local counterpart of the push trigger. It follows the base branch of this
 * repository (`refs/heads/<branch>`; working-tree edits are not a task's input, since tasks start from
 * a commit) and, when new commits reach it, runs the tasks whose `watch` globs match the files changed
 * between the old and the new tip (event/watch.ts, as for a push).
 *
 * Polling `git rev-parse` every `intervalMs` (2 s) costs one small process, works for commits, merges,
 * pulls and resets alike (fs.watch on loose refs, packed-refs and reflogs misses or duplicates some),
 * and needs no platform support. Debounced: a moved tip must stay put for `debounceMs` (a rebase or a
 * series of commits is one change). One run at a time: commits that arrive during a run are compared
 * with the tip the run started from, after it ends. Stopping (`signal`) stops a running run as Ctrl-C
 * does in `run` (its work is backed up) and returns once nothing runs.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Task } from "../config/index.ts";
import { type WatchMatch, watchedTasks } from "../event/watch.ts";
import type { Git } from "../git/exec.ts";
import type { RunReport } from "../run/index.ts";

export interface WatchRunRequest {
  tasks: Task[];
  matches: WatchMatch[];
  from: string;
  to: string;
}

export type WatchEvent =
  | { type: "watching"; branch: string; tip: string | undefined }
  | { type: "moved"; from: string | undefined; to: string; files: number; tasks: string[] }
  | { type: "ran"; report: RunReport }
  | { type: "run-failed"; error: unknown };

export interface WatchOptions {
  git: Git;
  branch: string;
  /** The project's tasks, read again after each change (a commit may change the task files). */
  loadTasks: () => Promise<readonly Task[]>;
  /** Overrides every task's base, as `--base` does for `run`. */
  base?: string;
  run: (req: WatchRunRequest) => Promise<RunReport>;
  signal: AbortSignal;
  intervalMs?: number;
  debounceMs?: number;
  onEvent?: (e: WatchEvent) => void;
}

export async function watchBranch(opts: WatchOptions): Promise<void> {
  const interval = opts.intervalMs ?? 2_000;
  const debounce = opts.debounceMs ?? 3_000;
  const emit = opts.onEvent ?? (() => {});
  const tipOf = () => branchTip(opts.git, opts.branch);
  let tip = await tipOf();
  emit({ type: "watching", branch: opts.branch, tip });
  while (!opts.signal.aborted) {
    if (!(await pause(interval, opts.signal))) break;
    let next = await tipOf();
    if (next === tip || next === undefined) continue;
    // debounce: wait until the tip stays put
    for (;;) {
      if (!(await pause(debounce, opts.signal))) return;
      const again = await tipOf();
      if (again === next || again === undefined) break;
      next = again;
    }
    const files = await changedFiles(opts.git, tip, next);
    let tasks: readonly Task[];
    try {
      tasks = await opts.loadTasks();
    } catch (error) {
      // task files broken by the new commits: say so, keep watching (the next commit may fix them)
      emit({ type: "run-failed", error });
      tip = next;
      continue;
    }
    const matches = watchedTasks(tasks, files, {
      branch: opts.branch,
      ...(opts.base ? { base: opts.base } : {}),
      defaultBase: opts.branch,
    });
    emit({ type: "moved", from: tip, to: next, files: files.length, tasks: matches.map((m) => m.name) });
    const from = tip ?? next;
    tip = next;
    if (matches.length === 0 || opts.signal.aborted) continue;
    const byName = new Map(tasks.map((t) => [t.name, t]));
    try {
      const report = await opts.run({
        tasks: matches.map((m) => byName.get(m.name)!),
        matches,
        from,
        to: next,
      });
      emit({ type: "ran", report });
    } catch (error) {
      // a failed task or a bad run is reported; the watcher goes on (Ctrl-C ends it via the signal)
      emit({ type: "run-failed", error });
    }
  }
}

async function branchTip(git: Git, branch: string): Promise<string | undefined> {
  const r = await git.run(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`], {
    allowFailure: true,
  });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** Files that differ between the old and the new tip; a branch that did not exist: the new tip's commit. */
async function changedFiles(git: Git, from: string | undefined, to: string): Promise<string[]> {
  const args = from
    ? ["diff", "--name-only", "--no-renames", "-z", from, to, "--"]
    : ["diff-tree", "-r", "--root", "--no-commit-id", "--name-only", "--no-renames", "-z", to];
  const out = (await git.run(args)).stdout;
  return out.split("\0").filter(Boolean);
}

/** Sleeps; false when stopped meanwhile. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
