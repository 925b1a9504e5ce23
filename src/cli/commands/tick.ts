import { type Command, Option } from "commander";
import { isoDate, positiveInt } from "../args.ts";
import type { TickFlags } from "./flags.ts";

/** The shared options of `run`-like commands started by a timer or a watcher. */
export function runLikeOptions(cmd: Command): Command {
  return cmd
    .option("--dry-run", "do everything except update a branch: leaves only the report and the patch backup")
    .option("--pr", "push the task branch and open or update its pull request (needs GITHUB_TOKEN)")
    .option("-j, --max-parallel <N>", "tasks running at once", positiveInt, 4)
    .addOption(
      new Option("--isolation <how>", "sandbox (default) or none, as for `run`")
        .choices(["sandbox", "none"])
        .default("sandbox")
        .env("CLAUDE_TASKS_ISOLATION"),
    )
    .option("--json", "print the result as JSON on stdout")
    .option("-q, --quiet", "no progress output");
}

export function registerTick(program: Command): void {
  const cmd = program
    .command("tick")
    .description(
      "run the scheduled tasks that are due since the last tick (what `schedule install` calls every few minutes)",
    );
  runLikeOptions(cmd)
    .addOption(
      new Option("--now <ISO>", "use this clock instead of the system's (tests)")
        .argParser(isoDate)
        .env("CLAUDE_TASKS_NOW")
        .hideHelp(),
    )
    .action(async (flags: TickFlags, c: Command) => {
      const { tickAction } = await import("./tick-action.ts");
      await tickAction(flags, c);
    });
}
