import type { Command } from "commander";
import { formatInZone } from "../../engine/report/format.ts";
import { nextFireTimes } from "../../engine/schedule/index.ts";
import { selectTasks } from "../../engine/select-tasks.ts";
import { isoDate, positiveInt } from "../args.ts";
import { validProject } from "../context.ts";
import { paint, print, printJson } from "../output.ts";

export function registerNext(program: Command): void {
  program
    .command("next")
    .description("preview the next fire times of one task or of all")
    .argument("[task]", "a task name or glob (default: every scheduled task)")
    .option("-n, --count <N>", "how many fire times per task", positiveInt, 5)
    .option("--from <ISO>", "start the preview at this time instead of now", isoDate)
    .option("--json", "print as JSON")
    .action(
      async (
        task: string | undefined,
        opts: { count: number; from?: Date; json?: boolean },
        cmd: Command,
      ) => {
        const project = await validProject(cmd);
        const from = opts.from ?? new Date();
        const tasks = task
          ? selectTasks(project.tasks, [task])
          : project.tasks.filter((t) => t.schedule.length > 0);
        const previews = tasks.map((t) => ({
          task: t,
          times: nextFireTimes(t, { from, count: opts.count }),
        }));
        if (opts.json) {
          printJson({
            from: from.toISOString(),
            tasks: previews.map(({ task: t, times }) => ({
              name: t.name,
              schedule: t.schedule,
              timezone: t.timezone,
              enabled: t.enabled,
              fireTimes: times.map((d) => d.toISOString()),
            })),
          });
          return;
        }
        if (previews.length === 0) print("no scheduled tasks");
        for (const { task: t, times } of previews) {
          print(
            `${paint("bold", t.name)}  ${t.schedule.join(", ") || "manual"}  (${t.timezone})${t.enabled ? "" : " disabled"}`,
          );
          if (times.length === 0) print("  never fires");
          for (const d of times) print(`  ${formatInZone(d, t.timezone)}   ${paint("dim", d.toISOString())}`);
        }
      },
    );
}
