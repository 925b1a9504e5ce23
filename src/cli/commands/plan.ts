import type { Command } from "commander";
import { UserError } from "../../engine/errors.ts";
import { buildPlan, toMatrix } from "../../engine/plan/index.ts";
import { dueTasks } from "../../engine/schedule/index.ts";
import { selectTasks } from "../../engine/select-tasks.ts";
import { isoDate } from "../args.ts";
import { validProject } from "../context.ts";
import { paint, print, printJson } from "../output.ts";

export function registerPlan(program: Command): void {
  program
    .command("plan")
    .description("show which tasks are due and how they group (the Action's matrix)")
    .argument("[tasks...]", "limit the plan to these task names or globs")
    .option(
      "--since <ISO>",
      "only tasks with a fire time after this time (default: every enabled task)",
      isoDate,
    )
    .option("--now <ISO>", "evaluate the schedules at this time instead of now", isoDate)
    .option("--json", "print the plan as JSON (the format the Action's matrix uses)")
    .action(async (names: string[], opts: { since?: Date; now?: Date; json?: boolean }, cmd: Command) => {
      const now = opts.now ?? new Date();
      if (opts.since && opts.since > now) {
        throw new UserError(
          `--since ${opts.since.toISOString()} is after ${opts.now ? "--now" : "now"} (${now.toISOString()}): nothing can be due`,
        );
      }
      const project = await validProject(cmd);
      const pool = names.length > 0 ? selectTasks(project.tasks, names) : project.tasks;
      const selected = opts.since
        ? dueTasks(pool, { since: opts.since, now }).map((d) => ({
            name: d.name,
            fireTimes: d.fireTimes,
            reason: d.reason,
          }))
        : pool.filter((t) => t.enabled).map((t) => ({ name: t.name, reason: "manual" }));
      const plan = buildPlan({ tasks: project.tasks, selected, now, since: opts.since });
      if (opts.json) {
        printJson({ ...plan, matrix: toMatrix(plan) });
        return;
      }
      if (plan.tasks.length === 0) {
        print(
          opts.since
            ? `no task is due between ${opts.since.toISOString()} and ${now.toISOString()}`
            : "no enabled tasks",
        );
        return;
      }
      print(
        `${plan.tasks.length} task(s) in ${plan.groups.length} group(s)${opts.since ? ` due in (${opts.since.toISOString()}, ${now.toISOString()}]` : ""}`,
      );
      const byName = new Map(plan.tasks.map((t) => [t.name, t]));
      for (const g of plan.groups) {
        print(`\n${paint("bold", `group ${g.id}`)}`);
        for (const name of g.tasks) {
          const t = byName.get(name)!;
          const needs = t.needs.length > 0 ? `  needs ${t.needs.join(", ")}` : "";
          const fires = t.fireTimes?.length ? `  fire ${t.fireTimes.join(", ")}` : "";
          print(`  ${name}  ${paint("dim", t.reason)}${needs}${fires}`);
        }
      }
      for (const s of plan.skipped) print(paint("dim", `skipped ${s.name}: ${s.reason}`));
    });
}
