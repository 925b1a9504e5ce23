import type { Command } from "commander";
import { formatProblem } from "../../engine/errors.ts";
import { hasErrors, loadProject } from "../../engine/project.ts";
import { globals } from "../context.ts";
import { paint, print, printErr, printJson } from "../output.ts";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check every task file, the schedules and the task graph")
    .option("--json", "print the result as JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      const project = await loadProject({ cwd: g.cwd, configDir: g.configDir });
      const valid = !hasErrors(project.problems);
      if (opts.json) {
        printJson({ valid, tasks: project.tasks.map((t) => t.name), problems: project.problems });
      } else {
        for (const p of project.problems) printErr(formatProblem(p));
        const errors = project.problems.filter((p) => p.severity === "error").length;
        if (valid) print(paint("green", `✓ ${project.tasks.length} task(s) valid in ${project.configDir}`));
        else printErr(paint("red", `✗ ${errors} error(s) in ${project.configDir}`, process.stderr));
      }
      if (!valid) process.exitCode = 2;
    });
}
