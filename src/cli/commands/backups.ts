import type { Command } from "commander";
import { createGit, damagedBackups, listBackups, restoreBackup, stateDir } from "../../engine/git/index.ts";
import { requireRepoRoot } from "../../engine/project.ts";
import { renderTable } from "../../engine/report/table.ts";
import { globals } from "../context.ts";
import { paint, print, printErr, printJson } from "../output.ts";

async function repoGit(cmd: Command) {
  const git = createGit({ cwd: await requireRepoRoot(globals(cmd).cwd ?? process.cwd()) });
  return { git, state: await stateDir(git) };
}

export function registerBackups(program: Command): void {
  program
    .command("backups")
    .description("list patch backups (newest first)")
    .option("--task <name>", "only this task's backups")
    .option("--json", "print as JSON")
    .action(async (opts: { task?: string; json?: boolean }, cmd: Command) => {
      const { state } = await repoGit(cmd);
      const all = (await listBackups(state)).filter((b) => !opts.task || b.meta.task === opts.task);
      const damaged = await damagedBackups(state);
      if (damaged.length > 0)
        printErr(
          `warning: skipped ${damaged.length} damaged backup(s) (unreadable meta.json): ${damaged.slice(0, 5).join(", ")}; their changes.patch can still be applied with \`git apply --binary\``,
        );
      if (opts.json) {
        printJson({ backups: all.map((b) => ({ ...b.meta, dir: b.dir, size: b.size })) });
        return;
      }
      if (all.length === 0) return print("no backups");
      print(
        renderTable(
          ["BACKUP", "TASK", "CREATED", "FILES", "SIZE", "REASON"],
          all.map((b) => [
            b.id,
            b.meta.task,
            b.meta.createdAt.replace("T", " ").slice(0, 19),
            String(b.meta.files),
            `${Math.ceil(b.size / 1024)} KiB`,
            b.meta.reason,
          ]),
        ),
      );
    });

  program
    .command("restore")
    .description("put a backup's change on a new branch (default claude-tasks/restore/<backup>)")
    .argument("<backup>", "a backup id from `claude-tasks backups`")
    .option("-b, --branch <name>", "the new branch's name")
    .option("--json", "print as JSON")
    .action(async (id: string, opts: { branch?: string; json?: boolean }, cmd: Command) => {
      const { git, state } = await repoGit(cmd);
      const r = await restoreBackup({ git, id, stateDir: state, branch: opts.branch });
      if (opts.json) printJson(r);
      else
        print(
          `${paint("green", "restored")} ${id} onto branch ${paint("bold", r.branch)} (${r.commit.slice(0, 7)})`,
        );
    });
}
