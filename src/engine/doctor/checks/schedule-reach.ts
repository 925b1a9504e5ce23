/**
 * Does the workflow's cron tick reach every task's schedule? GitHub only wakes claude-tasks at the
 * tick (`on.schedule` of the workflows that run it, UTC); each task's own schedule then decides what
 * is due. A task whose fire times fall between ticks runs late; one that fires several times between
 * two ticks has those fire times batched by its `missed` policy; with `missed: skip`, a fire time more
 * than the grace period before the next tick is dropped. Pure: the clock is passed in. Fire times are
 * sampled ahead of `now` (a few hundred per task), so time zones and DST changes are included.
 */
import { DEFAULT_GRACE_MS, nextFireTimes, parseSchedule, type ScheduledTask } from "../../schedule/index.ts";
import { type CheckResult, type CheckStatus, result } from "../types.ts";

export interface Tick {
  /** The workflow file it is in. */
  workflow: string;
  cron: string;
}

export interface ReachInput {
  tasks: readonly ScheduledTask[];
  ticks: readonly Tick[];
  now: Date;
  /** Fire times sampled per task (default 300). */
  samples?: number;
  graceMs?: number;
}

export interface TaskReach {
  task: string;
  /** Most minutes a fire time waits for the next tick (Infinity: no tick ever comes). */
  maxLateMinutes: number;
  /** Most fire times that share one tick. */
  maxPerTick: number;
  /** Sampled fire times dropped by `missed: skip` because the tick came more than the grace later. */
  dropped: number;
  sampled: number;
}

const entries = (s: string | readonly string[]) => (typeof s === "string" ? [s] : s);

export function reachOf(
  task: ScheduledTask,
  tickCrons: readonly string[],
  opts: Omit<ReachInput, "tasks" | "ticks">,
): TaskReach {
  const grace = opts.graceMs ?? DEFAULT_GRACE_MS;
  const fires = nextFireTimes(task, { from: opts.now, count: opts.samples ?? 300 });
  const tick = { schedule: tickCrons, timezone: "UTC" };
  const perTick = new Map<number, number>();
  let maxLate = 0;
  let dropped = 0;
  for (const t of fires) {
    const next = nextFireTimes(tick, { from: new Date(t.getTime() - 1), count: 1 })[0];
    if (!next) {
      maxLate = Number.POSITIVE_INFINITY;
      dropped += task.missed === "skip" ? 1 : 0;
      continue;
    }
    const late = next.getTime() - t.getTime();
    maxLate = Math.max(maxLate, late / 60_000);
    if (task.missed === "skip" && late > grace) dropped++;
    perTick.set(next.getTime(), (perTick.get(next.getTime()) ?? 0) + 1);
  }
  return {
    task: task.name,
    maxLateMinutes: maxLate,
    maxPerTick: Math.max(0, ...perTick.values()),
    dropped,
    sampled: fires.length,
  };
}

export function checkScheduleReach(input: ReachInput): CheckResult {
  const title = "schedules vs. workflow tick";
  const id = "schedule-reach";
  const scheduled = input.tasks.filter(
    (t) => t.enabled && entries(t.schedule).some((s) => parseSchedule(s).ok),
  );
  if (scheduled.length === 0) return result(id, title, "skip", "no enabled task has a schedule");
  const ticks = input.ticks.filter((t) => {
    const p = parseSchedule(t.cron);
    return p.ok && p.schedule.kind === "cron";
  });
  const tickText = [...new Set(ticks.map((t) => `\`${t.cron}\``))].join(", ");
  if (ticks.length === 0) {
    return result(
      id,
      title,
      "warn",
      `${scheduled.length} scheduled task(s), but no workflow that runs claude-tasks has a \`schedule:\` trigger: they run only when started by hand`,
      {
        fix: "add the scheduled workflow: `npx claude-tasks init --template none --workflows schedule`",
      },
    );
  }
  const crons = [...new Set(ticks.map((t) => t.cron))];
  let status: CheckStatus = "ok";
  const details: string[] = [];
  for (const task of scheduled) {
    const r = reachOf(task, crons, input);
    const what = `\`${task.name}\` (${entries(task.schedule)
      .map((s) => `\`${s}\``)
      .join(", ")}, ${task.timezone})`;
    if (r.sampled > 0 && r.dropped === r.sampled) {
      status = "fail";
      details.push(
        `${what} never runs: every fire time is more than the grace period before the next tick, and \`missed: skip\` drops it`,
      );
      continue;
    }
    if (r.maxLateMinutes === Number.POSITIVE_INFINITY) {
      status = status === "fail" ? status : "warn";
      details.push(`${what}: some fire times are never followed by a tick`);
    } else if (r.maxLateMinutes > 0) {
      status = status === "fail" ? status : "warn";
      const drop =
        r.dropped > 0
          ? `; with \`missed: skip\`, ${r.dropped} of ${r.sampled} sampled fire times are dropped`
          : "";
      details.push(
        `${what} fires at minutes the tick never hits: it runs up to ${lateText(r.maxLateMinutes)} late${drop}`,
      );
    }
    if (r.maxPerTick > 1) {
      status = status === "fail" ? status : "warn";
      details.push(
        `${what} fires more often than the tick: up to ${r.maxPerTick} fire times share one tick (batched by \`missed: ${task.missed}\`)`,
      );
    }
  }
  if (status === "ok")
    return result(id, title, "ok", `${scheduled.length} scheduled task(s) fall on the tick (${tickText})`);
  return result(id, title, status, `${details.length} schedule(s) do not fit the tick (${tickText})`, {
    fix: "tick more often in the workflow's `on.schedule`, or move the task's schedule onto tick minutes",
    details,
  });
}

function lateText(minutes: number): string {
  if (minutes < 60) return `${Math.round(minutes)}m`;
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return m === 0 ? `${h}h` : `${h}h${m}m`;
}
