import type { Command } from "commander";
import { globals } from "../context.ts";
import { paint, print, printJson } from "../output.ts";

export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description(
      "check git, Claude Code, credentials, task files, workflows and local state; a fix for each failure",
    )
    .option("--json", "print the checks as JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      const { renderDoctor, runDoctor } = await import("../../engine/doctor/index.ts");
      const report = await runDoctor({ cwd: g.cwd ?? process.cwd(), configDir: g.configDir });
      if (opts.json) printJson(report);
      else print(renderDoctor(report, (f, t) => paint(f, t)));
      if (!report.ok) process.exitCode = 1;
    });
}
