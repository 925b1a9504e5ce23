import type { Command } from "commander";
import { redactTask } from "../../engine/config/index.ts";
import { formatInZone } from "../../engine/report/format.ts";
import { renderTable } from "../../engine/report/table.ts";
import { nextFireTimes } from "../../engine/schedule/index.ts";
import { validProject } from "../context.ts";
import { paint, print, printJson } from "../output.ts";

export function registerList(program: Command): void {
  program
    .command("list")
    .description("list tasks with their schedules, next fire time and needs")
    .option("--json", "print the effective tasks (defaults applied) as JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const project = await validProject(cmd);
      const now = new Date();
      const rows = project.tasks.map((t) => ({
        task: t,
        next: t.enabled ? nextFireTimes(t, { from: now, count: 1 })[0] : undefined,
      }));
      if (opts.json) {
        printJson({
          version: 1,
          tasks: rows.map(({ task, next }) => ({ ...redactTask(task), next: next?.toISOString() ?? null })),
        });
        return;
      }
      if (rows.length === 0) {
        print(`no tasks in ${project.configDir}`);
        return;
      }
      print(
        renderTable(
          ["TASK", "KIND", "SCHEDULE", "NEXT", "NEEDS"],
          rows.map(({ task, next }) => [
            task.enabled ? paint("bold", task.name) : paint("dim", `${task.name} (disabled)`),
            task.kind,
            task.schedule.length > 0 ? task.schedule.join(", ") : paint("dim", "manual"),
            next ? `${formatInZone(next, task.timezone)} ${task.timezone}` : "–",
            task.needs.join(", ") || "–",
          ]),
        ),
      );
    });
}
