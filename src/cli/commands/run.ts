import { type Command, Option } from "commander";
import { positiveInt } from "../args.ts";
import type { RunFlags } from "./run-action.ts";

export function registerRun(program: Command): void {
  program
    .command("run")
    .description(
      "run tasks, each in its own worktree; keeps the result as the local branch claude-tasks/<task>",
    )
    .argument("<tasks...>", "task names or globs (quote globs: 'docs-*')")
    .option("--dry-run", "do everything except update a branch: leaves only the report and the patch backup")
    .option("--pr", "push the task branch and open or update its pull request (needs GITHUB_TOKEN)")
    .option("-j, --max-parallel <N>", "tasks running at once", positiveInt, 4)
    .option(
      "--base <branch>",
      "base branch for every task (default: the task's base, else the default branch)",
    )
    .addOption(
      new Option(
        "--isolation <how>",
        "sandbox: agents run in a bubblewrap sandbox (default); none: without one — they can read your credentials and change anything you can",
      )
        .choices(["sandbox", "none"])
        .default("sandbox")
        .env("CLAUDE_TASKS_ISOLATION"),
    )
    .option("--diff", "print each task's diff after the report")
    .option("--json", "print the run report as JSON on stdout")
    .option("-q, --quiet", "no progress output")
    .action(async (names: string[], flags: RunFlags, cmd: Command) => {
      // Loaded on demand: the run engine, Octokit and the progress display are not needed by other commands.
      const { runAction } = await import("./run-action.ts");
      await runAction(names, flags, cmd);
    });
}
