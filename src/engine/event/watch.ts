/** `watch:` globs against the files a push changed. Pure. */
import { compileGlob } from "../glob.ts";

export interface WatchingTask {
  readonly name: string;
  readonly watch: readonly string[];
  readonly enabled: boolean;
  readonly base?: string | undefined;
}

export interface WatchMatch {
  name: string;
  /** The changed files that matched, sorted. */
  files: string[];
  /** One line for the plan and the report. */
  reason: string;
}

export interface WatchOptions {
  /** The branch the push went to. */
  branch: string;
  /** Overrides every task's own `base` (the Action's `base` input), as it does when the tasks run. */
  base?: string | undefined;
  /** The base of tasks without their own `base`: the repository's default branch. */
  defaultBase: string;
}

/** The files among `files` that any of `globs` matches. */
export function matchWatch(globs: readonly string[], files: readonly string[]): string[] {
  if (globs.length === 0) return [];
  const tests = globs.map((g) => compileGlob(g));
  return files.filter((f) => tests.some((t) => t(f))).sort();
}

/**
 * Enabled tasks whose base (`opts.base`, else their own, else `opts.defaultBase`: the precedence of
 * the run) is the pushed branch and whose `watch` globs match a changed file, in input order.
 */
export function watchedTasks(
  tasks: readonly WatchingTask[],
  files: readonly string[],
  opts: WatchOptions,
): WatchMatch[] {
  const out: WatchMatch[] = [];
  for (const task of tasks) {
    if (!task.enabled || task.watch.length === 0) continue;
    if ((opts.base ?? task.base ?? opts.defaultBase) !== opts.branch) continue;
    const hit = matchWatch(task.watch, files);
    if (hit.length === 0) continue;
    const shown = hit
      .slice(0, 3)
      .map((f) => `\`${f}\``)
      .join(", ");
    const more = hit.length > 3 ? ` and ${hit.length - 3} more` : "";
    out.push({ name: task.name, files: hit, reason: `push to \`${opts.branch}\` changed ${shown}${more}` });
  }
  return out;
}
