import type { Command } from "commander";
import { createGit, listWorktrees, pruneWorktrees, stateDir } from "../../engine/git/index.ts";
import { requireRepoRoot } from "../../engine/project.ts";
import { renderTable } from "../../engine/report/table.ts";
import { globals } from "../context.ts";
import { paint, print, printJson } from "../output.ts";

export function registerWorktrees(program: Command): void {
  program
    .command("worktrees")
    .description(
      "list claude-tasks worktrees; --prune removes leftovers of interrupted runs (after a backup)",
    )
    .option("--prune", "back up and remove leftover worktrees")
    .option("--json", "print as JSON")
    .action(async (opts: { prune?: boolean; json?: boolean }, cmd: Command) => {
      const git = createGit({ cwd: await requireRepoRoot(globals(cmd).cwd ?? process.cwd()) });
      const state = await stateDir(git);
      if (opts.prune) {
        const { stopAgentProcessesIn } = await import("../../engine/agent/process-tree.ts");
        const pruned = await pruneWorktrees(git, { stateDir: state, stopProcesses: stopAgentProcessesIn });
        if (opts.json) return printJson({ pruned });
        if (pruned.length === 0) return print("no leftover worktrees");
        for (const p of pruned) {
          const what = p.error ? paint("red", `kept (${p.error})`) : paint("green", "removed");
          const stopped = p.stoppedProcesses
            ? ` (stopped ${p.stoppedProcesses} agent process(es) still running in it)`
            : "";
          print(`${what} ${p.path}${stopped}${p.backup ? ` — work saved in backup ${p.backup.id}` : ""}`);
        }
        if (pruned.some((p) => p.error)) process.exitCode = 1;
        return;
      }
      const ours = (await listWorktrees(git, { stateDir: state })).filter((w) => w.ours);
      if (opts.json) return printJson({ worktrees: ours });
      if (ours.length === 0) return print("no claude-tasks worktrees");
      print(
        renderTable(
          ["WORKTREE", "TASK", "RUN", "STATE"],
          ours.map((w) => [
            w.path,
            w.lock?.task ?? "?",
            w.lock?.runId ?? "?",
            w.stale ? paint("yellow", "leftover") : "in use",
          ]),
        ),
      );
      if (ours.some((w) => w.stale))
        print("\nrun `claude-tasks worktrees --prune` to back up and remove leftovers");
    });
}
