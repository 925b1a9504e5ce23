/**
 * Which tasks are due, and the `next` preview. Pure: the clock (`now`) and the last run (`since`) are
 * passed in.
 *
 * The window is `(since, now]`. Without `since` (no recorded run yet) it is `(now − grace, now]`, so
 * a first run picks up only what fired in the last `grace`, never a backlog.
 *
 * `missed` policies, for the fire times in the window:
 * - `all`: every fire time (the latest `maxFireTimes`, default 1000; older ones count as missed);
 * - `once`: only the latest; the others count as missed;
 * - `skip`: only the latest, and only if it is no older than `grace` (default 1h) at `now`;
 *   otherwise the task is not due and all of them were missed. Use it for tasks that are pointless
 *   late (a late GitHub cron tick within the grace period still runs them).
 *
 * Huge windows cost one pass over the local days, not one step per fire time: `once` and `skip`
 * materialise a single date whatever the window.
 */
import { countFireTimes, fireTimeValues } from "./fire-times.ts";
import { parseSchedule, type Schedule } from "./parse.ts";
import { getZone, MINUTE } from "./zone.ts";

export type MissedPolicy = "skip" | "once" | "all";

/** What the schedule functions need of a task (the config's `Task` satisfies it). */
export interface ScheduledTask {
  readonly name: string;
  /** One entry or a list; an entry that does not parse is ignored here (see `scheduleProblems`). */
  readonly schedule: string | readonly string[];
  /** IANA time zone of the schedule's wall-clock times. */
  readonly timezone: string;
  readonly missed: MissedPolicy;
  readonly enabled: boolean;
}

export interface DueOptions {
  /** Start of the window (exclusive): one date for all tasks, or per task (e.g. from the state ref). */
  since?: Date | ((task: string) => Date | undefined);
  /** End of the window (inclusive). */
  now: Date;
  /** How late a `skip` task may still run, and the window when there is no `since`. Default 1h. */
  grace?: number;
  /** Cap on fire times returned for `missed: all`. Default 1000. */
  maxFireTimes?: number;
}

export interface DueTask {
  name: string;
  /** The fire times this run covers, ascending (after the `missed` policy). */
  fireTimes: Date[];
  /** Fire times in the window that this run does not cover. */
  missedCount: number;
  /** One line for people: what fired, and what the `missed` policy did. */
  reason: string;
}

export interface ScheduleEvaluation extends DueTask {
  due: boolean;
}

export const DEFAULT_GRACE_MS = 60 * MINUTE;
export const DEFAULT_MAX_FIRE_TIMES = 1000;
/** Up to this many fire times per task, duplicates between a task's schedules are removed exactly. */
const EXACT_COUNT_LIMIT = 5000;

/** The due tasks, in input order. Disabled tasks are never due. */
export function dueTasks(tasks: readonly ScheduledTask[], opts: DueOptions): DueTask[] {
  const due: DueTask[] = [];
  for (const e of evaluateSchedules(tasks, opts)) {
    if (e.due)
      due.push({ name: e.name, fireTimes: e.fireTimes, missedCount: e.missedCount, reason: e.reason });
  }
  return due;
}

/** Every task's schedule verdict, due or not, with a reason (for `plan` output and step summaries). */
export function evaluateSchedules(tasks: readonly ScheduledTask[], opts: DueOptions): ScheduleEvaluation[] {
  return tasks.map((task) => evaluate(task, opts));
}

function evaluate(task: ScheduledTask, opts: DueOptions): ScheduleEvaluation {
  const notDue = (reason: string, missedCount = 0): ScheduleEvaluation => ({
    name: task.name,
    due: false,
    fireTimes: [],
    missedCount,
    reason,
  });
  if (!task.enabled) return notDue("disabled");
  const schedules = validSchedules(task.schedule);
  if (schedules.length === 0)
    return notDue(entries(task.schedule).length === 0 ? "no schedule" : "no valid schedule");
  if (getZone(task.timezone) === undefined) return notDue(`unknown time zone \`${task.timezone}\``);

  const grace = opts.grace ?? DEFAULT_GRACE_MS;
  const cap = Math.max(1, opts.maxFireTimes ?? DEFAULT_MAX_FIRE_TIMES);
  const now = opts.now;
  const since = typeof opts.since === "function" ? opts.since(task.name) : opts.since;
  const after = since ?? new Date(now.getTime() - grace);
  const window = { timezone: task.timezone, after, until: now };
  const windowText =
    since === undefined ? `in the last ${duration(grace)} (first run)` : `since ${iso(since)}`;

  const counts = schedules.map((s) => countFireTimes(s, window));
  const upperBound = counts.reduce((a, b) => a + b, 0);
  if (upperBound === 0) return notDue(`no fire time ${windowText}`);

  // One schedule: its count is exact, so fetch only the fire times the policy keeps. Several: fetch
  // them all (when few) to remove duplicates between schedules exactly.
  const wanted = task.missed === "all" ? cap : 1;
  const exact = schedules.length === 1 || upperBound <= EXACT_COUNT_LIMIT;
  const limit = schedules.length === 1 || !exact ? wanted : undefined;
  const perSchedule = schedules.map((s) => fireTimeValues(s, { ...window, limit, latest: true }));
  const merged = mergeUnique(perSchedule);
  const total = schedules.length === 1 ? upperBound : exact ? merged.length : upperBound;
  const latest = merged[merged.length - 1]!;
  const source = schedules[perSchedule.findIndex((times) => times[times.length - 1] === latest)]!.source;
  const fired = `\`${source}\` (${task.timezone}) fired at ${iso(latest)}`;

  if (task.missed === "all") {
    const kept = merged.slice(Math.max(0, merged.length - cap));
    const dropped = total - kept.length;
    const reason =
      kept.length === 1
        ? fired
        : `${fired}; ${kept.length} fire times ${windowText} (missed: all)${dropped > 0 ? `; ${dropped} older ones dropped (at most ${cap} per run)` : ""}`;
    return {
      name: task.name,
      due: true,
      fireTimes: kept.map((t) => new Date(t)),
      missedCount: dropped,
      reason,
    };
  }
  const earlier = total - 1;
  if (task.missed === "skip" && now.getTime() - latest > grace) {
    return notDue(
      `missed: latest fire time ${iso(latest)} is more than ${duration(grace)} old (missed: skip); ${plural(total, "fire time")} skipped`,
      total,
    );
  }
  const reason =
    earlier === 0
      ? fired
      : `${fired}; ${plural(earlier, "earlier fire time")} ${windowText} ${task.missed === "once" ? "folded into this run (missed: once)" : "skipped (missed: skip)"}`;
  return { name: task.name, due: true, fireTimes: [new Date(latest)], missedCount: earlier, reason };
}

export interface NextOptions {
  /** Exclusive start of the preview. */
  from: Date;
  /** How many fire times (default 5, at most 10,000). */
  count?: number;
}

/**
 * The next fire times of a task, all its schedules merged, ascending and distinct. Previews the
 * schedule whether or not the task is enabled. Invalid entries and an unknown time zone give none.
 */
export function nextFireTimes(task: Pick<ScheduledTask, "schedule" | "timezone">, opts: NextOptions): Date[] {
  const count = Math.min(Math.max(0, Math.floor(opts.count ?? 5)), 10_000);
  if (count === 0) return [];
  // The sparsest valid schedule (29 February on a given weekday … ) fires at least every 8 years.
  const horizon = Math.min(opts.from.getTime() + (count + 1) * 9 * 366 * 24 * 60 * MINUTE, 8.64e15);
  const window = { timezone: task.timezone, after: opts.from, until: new Date(horizon), limit: count };
  const merged = mergeUnique(validSchedules(task.schedule).map((s) => fireTimeValues(s, window)));
  return merged.slice(0, count).map((t) => new Date(t));
}

/** A task's schedule entries as a list. */
export function entries(schedule: string | readonly string[]): readonly string[] {
  return typeof schedule === "string" ? [schedule] : schedule;
}

function validSchedules(schedule: string | readonly string[]): Schedule[] {
  const out: Schedule[] = [];
  for (const entry of entries(schedule)) {
    const parsed = parseSchedule(entry);
    if (parsed.ok) out.push(parsed.schedule);
  }
  return out;
}

function mergeUnique(lists: readonly number[][]): number[] {
  if (lists.length === 1) return lists[0]!;
  const all = lists.flat().sort((a, b) => a - b);
  return all.filter((t, i) => i === 0 || t !== all[i - 1]);
}

const isoCache = new Map<number, string>();

/** ISO 8601 without milliseconds, for messages. Memoised: thousands of tasks share a few instants. */
function iso(time: Date | number): string {
  const t = typeof time === "number" ? time : time.getTime();
  let text = isoCache.get(t);
  if (text === undefined) {
    if (isoCache.size >= 10_000) isoCache.clear();
    text = new Date(t).toISOString().replace(".000Z", "Z");
    isoCache.set(t, text);
  }
  return text;
}

function duration(ms: number): string {
  if (ms % (60 * MINUTE) === 0) return `${ms / (60 * MINUTE)}h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE}m`;
  return `${ms / 1000}s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
