import type { Command } from "commander";
import { positiveInt } from "../args.ts";
import type { WatchFlags } from "./flags.ts";
import { runLikeOptions } from "./tick.ts";

export function registerWatch(program: Command): void {
  const cmd = program
    .command("watch")
    .description(
      "stay in the foreground; when new commits reach the base branch, run the tasks whose `watch` globs match the changed files",
    )
    .option("--branch <name>", "the branch to follow (default: the repository's default branch)")
    .option("--interval <ms>", "how often to look at the branch", positiveInt, 2000)
    .option("--debounce <ms>", "how long the branch must stay put before a run", positiveInt, 3000);
  runLikeOptions(cmd).action(async (flags: WatchFlags, c: Command) => {
    const { watchAction } = await import("./watch-action.ts");
    await watchAction(flags, c);
  });
}
