import { type Locate, type Problem, problemAt } from "../errors.ts";
import type { ScheduledTask } from "./due.ts";
import { parseSchedule, type WallPattern } from "./parse.ts";

/** GitHub runs scheduled workflows at most every 5 minutes. */
const GITHUB_CRON_MINUTES = 5;

/**
 * Problems with tasks' `schedule` and `timezone`:
 * - an entry that does not parse (error), located at `["schedule", i]`, or at `["schedule"]` when the
 *   file gave a single string (`Locate` is expected to fall back to the nearest existing parent);
 * - a cron expression that fires more often than every 5 minutes (warning: GitHub's cron cannot
 *   wake up that often, so the extra fire times are batched by the `missed` policy);
 * - the same entry listed twice (warning).
 *
 * `timezone` is the config's to check (the schema refuses unknown zones).
 */
export function scheduleProblems(
  tasks: readonly Pick<ScheduledTask, "name" | "schedule">[],
  locate: Locate,
): Problem[] {
  const problems: Problem[] = [];
  for (const task of tasks) {
    const single = typeof task.schedule === "string";
    const list: readonly string[] = single ? [task.schedule as string] : (task.schedule as readonly string[]);
    const seen = new Map<string, string>();
    list.forEach((entry, i) => {
      const at = () => locate(task.name, single ? ["schedule"] : ["schedule", i]);
      const parsed = parseSchedule(entry);
      if (!parsed.ok) {
        problems.push(problemAt(at(), parsed.message));
        return;
      }
      const key = parsed.schedule.kind === "cron" ? parsed.schedule.cron : parsed.schedule.source.trim();
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        const what = earlier === entry ? "is listed twice" : `is the same as \`${earlier}\``;
        problems.push(problemAt(at(), `schedule \`${entry}\` ${what}`, "warning"));
        return;
      }
      seen.set(key, entry);
      if (parsed.schedule.kind === "cron") {
        const gap = minimumGap(parsed.schedule.pattern);
        if (gap < GITHUB_CRON_MINUTES) {
          problems.push(
            problemAt(
              at(),
              `schedule \`${entry}\` fires every ${gap === 1 ? "minute" : `${gap} minutes`}, but GitHub runs scheduled workflows at most every ${GITHUB_CRON_MINUTES} minutes: fire times in between are batched by the \`missed\` policy`,
              "warning",
            ),
          );
        }
      }
    });
  }
  return problems;
}

/** The smallest distance in minutes between two fire times of the same day. */
function minimumGap(p: WallPattern): number {
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < p.slots.length; i++) gap = Math.min(gap, p.slots[i]! - p.slots[i - 1]!);
  return gap;
}
