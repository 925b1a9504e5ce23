/**
 * The RunPlan: which tasks run now, in which order, in which independent groups. Pure and
 * serialisable; a dry run prints it, `plan --json` emits it, and the Action turns it into its matrix.
 *
 * ## RunPlan JSON (public, stable; version 1)
 *
 * ```jsonc
 * {
 *   "version": 1,
 *   "now": "2026-03-10T06:00:00.000Z",     // the clock the plan was made at
 *   "since": "2026-03-10T05:00:00.000Z",   // start of the schedule window, or null
 *   "tasks": [                              // by group (as in `groups`), each group in run order
 *     {
 *       "name": "lint-fix",
 *       "group": "lint-fix",                // id of its group
 *       "reason": "`0 6 * * 1-5` (UTC) fired at 2026-03-10T06:00:00Z",
 *       "fireTimes": ["2026-03-10T06:00:00.000Z"],   // ISO 8601, ascending; [] when run by hand
 *       "needs": [],                        // needs that are in this plan: run after them, per `if`
 *       "needsOutsidePlan": [],             // needs not in this run: noted, never waited for
 *       "if": "success"                     // success | always | failure, relative to `needs`
 *     }
 *   ],
 *   "groups": [{ "id": "lint-fix", "tasks": ["lint-fix", "docs-sync"] }],
 *   "skipped": [{ "name": "old-task", "reason": "disabled (enabled: false)" }]
 * }
 * ```
 *
 * Semantics: `needs` only order and condition tasks of the same run. A group is a connected
 * component of the needs between planned tasks; groups share nothing, so they can run in parallel
 * on separate machines. A group's id is its first task in run order (stable and readable); groups
 * are sorted by id, tasks within a group are in topological order with ties broken by name.
 * Additive changes (new fields) keep `version: 1`; anything else bumps it.
 */
import { UserError } from "../errors.ts";
import { compareCodeUnits } from "../order.ts";
import { didYouMean } from "../suggest.ts";
import {
  findCycles,
  groupIds,
  type IndexedGraph,
  indexGraph,
  kahnOrder,
  stronglyConnected,
} from "./graph.ts";
import type { GraphTask, RunCondition } from "./problems.ts";

export interface RunPlan {
  version: 1;
  now: string;
  since: string | null;
  tasks: PlannedTask[];
  groups: PlanGroup[];
  skipped: SkippedTask[];
}

export interface PlannedTask {
  name: string;
  group: string;
  reason: string;
  fireTimes: string[];
  needs: string[];
  needsOutsidePlan: string[];
  if: RunCondition;
}

export interface PlanGroup {
  id: string;
  tasks: string[];
}

export interface SkippedTask {
  name: string;
  reason: string;
}

export interface Selection {
  name: string;
  fireTimes?: readonly Date[];
  reason: string;
}

export interface BuildPlanInput {
  /** Every task of the configuration (needs are resolved against it). */
  tasks: readonly GraphTask[];
  /** The tasks to run (due, dispatched or named), with why. A name may appear once or more. */
  selected: readonly Selection[];
  now: Date;
  since?: Date;
  /** Tasks the caller already decided not to run (e.g. missed with `missed: skip`), listed as is. */
  skipped?: readonly SkippedTask[];
  /** Run selected tasks even when disabled (named by hand on the command line). Default false. */
  includeDisabled?: boolean;
}

/**
 * Builds the plan. Throws a `UserError` for a selected name that is no task. Selected tasks that are
 * disabled or on a needs cycle are listed in `skipped`, not run.
 */
export function buildPlan(input: BuildPlanInput): RunPlan {
  const byName = new Map(input.tasks.map((t) => [t.name, t]));
  const unknown = [...new Set(input.selected.map((s) => s.name).filter((name) => !byName.has(name)))];
  if (unknown.length > 0) {
    const list = unknown.map((name) => `\`${name}\`${didYouMean(name, byName.keys())}`);
    throw new UserError(`unknown task${unknown.length === 1 ? "" : "s"}: ${list.join("; ")}`);
  }

  const skipped: SkippedTask[] = [...(input.skipped ?? [])];
  const skippedNames = new Set(skipped.map((k) => k.name));
  const chosen = new Map<string, { reason: string; fireTimes: readonly Date[] }>();
  for (const s of input.selected) {
    const entry = chosen.get(s.name);
    if (entry !== undefined) {
      entry.fireTimes = [...entry.fireTimes, ...(s.fireTimes ?? [])];
      continue;
    }
    if (!input.includeDisabled && !byName.get(s.name)!.enabled) {
      if (!skippedNames.has(s.name)) skipped.push({ name: s.name, reason: "disabled (enabled: false)" });
      skippedNames.add(s.name);
      continue;
    }
    chosen.set(s.name, { reason: s.reason, fireTimes: s.fireTimes ?? [] });
  }

  const inPlan = (name: string) => chosen.has(name);
  let g = indexGraph(
    [...chosen.keys()].map((name) => ({ name, needs: byName.get(name)!.needs.filter(inPlan) })),
  );
  let kahn = kahnOrder(g);
  if (!kahn.complete || g.selfLoops.length > 0) {
    // Validation reports cycles; a plan must still not hang: drop the tasks on them.
    for (const [name, reason] of onCycles(g)) {
      chosen.delete(name);
      skipped.push({ name, reason });
    }
    g = indexGraph(
      [...chosen.keys()].map((name) => ({ name, needs: byName.get(name)!.needs.filter(inPlan) })),
    );
    kahn = kahnOrder(g);
  }
  const groups = groupIds(g, kahn.order).map((ids) => ids.map((id) => g.names[id]!));

  const toIso = isoStrings();
  const tasks: PlannedTask[] = [];
  for (const group of groups) {
    for (const name of group) {
      const task = byName.get(name)!;
      const entry = chosen.get(name)!;
      const needs = unique(task.needs.filter((n) => n !== name));
      tasks.push({
        name,
        group: group[0]!,
        reason: entry.reason,
        fireTimes: toIso(entry.fireTimes),
        needs: needs.filter(inPlan),
        needsOutsidePlan: needs.filter((n) => !inPlan(n)),
        if: task.if,
      });
    }
  }
  return {
    version: 1,
    now: input.now.toISOString(),
    since: input.since?.toISOString() ?? null,
    tasks,
    groups: groups.map((group) => ({ id: group[0]!, tasks: group })),
    skipped: skipped.sort((a, b) => compareCodeUnits(a.name, b.name)),
  };
}

/** A plan of exactly the given tasks, as named by hand (disabled ones included), for one reason. */
export function planOf(tasks: readonly GraphTask[], reason: string, now: Date = new Date()): RunPlan {
  return buildPlan({
    tasks,
    selected: tasks.map((t) => ({ name: t.name, reason })),
    now,
    includeDisabled: true,
  });
}

/** Tasks on a needs cycle (every member of a cyclic component, self-needs included), with a reason naming the cycle. */
function onCycles(g: IndexedGraph): Map<string, string> {
  const out = new Map<string, string>();
  const component = stronglyConnected(g);
  const reasons = new Map<number, string>();
  for (const cycle of findCycles(g)) {
    const reason = `needs cycle: ${cycle.map((id) => g.names[id]).join(" → ")}`;
    if (cycle.length === 2) out.set(g.names[cycle[0]!]!, reason);
    else reasons.set(component[cycle[0]!]!, reason);
  }
  for (let id = 0; id < g.names.length; id++) {
    const reason = reasons.get(component[id]!);
    if (reason !== undefined) out.set(g.names[id]!, reason);
  }
  return out;
}

/** Fire times as sorted, distinct ISO strings; strings are shared between tasks with the same instants. */
function isoStrings(): (dates: readonly Date[]) => string[] {
  const memo = new Map<number, string>();
  return (dates) => {
    let times = dates.map((d) => d.getTime());
    if (times.some((t, i) => i > 0 && t <= times[i - 1]!)) {
      times = [...new Set(times)].sort((a, b) => a - b);
    }
    return times.map((t) => {
      let text = memo.get(t);
      if (text === undefined) {
        text = new Date(t).toISOString();
        memo.set(t, text);
      }
      return text;
    });
  };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The GitHub Actions matrix for a plan. */
export interface Matrix {
  include: MatrixEntry[];
}

export interface MatrixEntry {
  /** The group's id, or `<first id>+<n>` when `n` more groups share this job. */
  group: string;
  /**
   * Task names separated by single spaces, ready for the Action's `tasks` input (task names never
   * contain spaces or commas, so splitting on whitespace and/or commas reads it back).
   */
  tasks: string;
}

export interface MatrixOptions {
  /** GitHub allows at most 256 jobs per matrix; beyond that, groups share jobs. Default 256. */
  maxJobs?: number;
}

/**
 * `{ include: [{ group, tasks }] }`: one job per group, or, when there are more groups than
 * `maxJobs`, groups packed whole into `maxJobs` jobs balanced by task count. A group is never split,
 * so every job's `needs` stay inside it.
 *
 * An empty plan gives `{ include: [] }`, which GitHub rejects as a matrix: guard the fan-out job with
 * an `if:` on the plan having groups.
 */
export function toMatrix(plan: RunPlan, opts: MatrixOptions = {}): Matrix {
  const maxJobs = Math.max(1, Math.floor(opts.maxJobs ?? 256));
  if (plan.groups.length <= maxJobs) {
    return { include: plan.groups.map((g) => ({ group: g.id, tasks: g.tasks.join(" ") })) };
  }
  // Longest group first into the least loaded job (ties: lowest job); deterministic.
  const bySize = [...plan.groups].sort(
    (a, b) => b.tasks.length - a.tasks.length || compareCodeUnits(a.id, b.id),
  );
  const jobs: { load: number; groups: PlanGroup[] }[] = Array.from({ length: maxJobs }, () => ({
    load: 0,
    groups: [],
  }));
  const heap = jobs.map((_, i) => i);
  const less = (a: number, b: number) =>
    jobs[a]!.load < jobs[b]!.load || (jobs[a]!.load === jobs[b]!.load && a < b);
  for (const group of bySize) {
    const i = heap[0]!;
    jobs[i]!.groups.push(group);
    jobs[i]!.load += group.tasks.length;
    siftDown(heap, 0, less);
  }
  return {
    include: jobs
      .map((job) => job.groups.sort((a, b) => compareCodeUnits(a.id, b.id)))
      .map((groups) => ({
        group: groups.length === 1 ? groups[0]!.id : `${groups[0]!.id}+${groups.length - 1}`,
        tasks: groups.flatMap((g) => g.tasks).join(" "),
      }))
      .sort((a, b) => compareCodeUnits(a.group, b.group)),
  };
}

function siftDown(heap: number[], i: number, less: (a: number, b: number) => boolean): void {
  const n = heap.length;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) return;
    const r = l + 1;
    const child = r < n && less(heap[r]!, heap[l]!) ? r : l;
    if (!less(heap[child]!, heap[i]!)) return;
    [heap[i], heap[child]] = [heap[child]!, heap[i]!];
    i = child;
  }
}
