import type { Command } from "commander";
import { createGit, stateDir } from "../../engine/git/index.ts";
import { requireRepoRoot } from "../../engine/project.ts";
import { DEFAULT_KEEP, KEEP_ENV, MAX_AGE_ENV, retentionPolicy } from "../../engine/retention/policy.ts";
import { globals } from "../context.ts";
import { paint, print, printJson } from "../output.ts";

interface PruneFlags {
  keep?: string;
  maxAge?: string;
  dryRun?: boolean;
  json?: boolean;
}

export function registerPrune(program: Command): void {
  program
    .command("prune")
    .description(
      "delete old backups and run reports, trim the run log, and with --max-age delete the MCP server's records of background runs that ended before it (never anything of a running run)",
    )
    .option("--keep <N>", `runs and backups to keep per task (default ${KEEP_ENV} or ${DEFAULT_KEEP})`)
    .option(
      "--max-age <age>",
      `also delete what is older than this, e.g. 30d, 12h, 2w (default ${MAX_AGE_ENV})`,
    )
    .option("--dry-run", "only show what would be deleted")
    .option("--json", "print the result as JSON")
    .action(async (flags: PruneFlags, cmd: Command) => {
      const policy = retentionPolicy({ keep: flags.keep, maxAge: flags.maxAge });
      const git = createGit({ cwd: await requireRepoRoot(globals(cmd).cwd ?? process.cwd()) });
      const { prune } = await import("../../engine/retention/prune.ts");
      const result = await prune({ git, stateDir: await stateDir(git), policy, dryRun: flags.dryRun });
      if (flags.json) return printJson(result);
      const verb = result.dryRun ? "would delete" : "deleted";
      const rule = `keeping ${result.policy.keep} per task${result.policy.maxAge ? `, nothing older than ${result.policy.maxAge}` : ""}`;
      print(`${paint("bold", result.dryRun ? "prune (dry run)" : "prune")}: ${rule}`);
      if (result.running.length > 0) print(`left alone (still running): ${result.running.join(", ")}`);
      for (const b of result.backups.deleted) print(`  ${verb} backup ${b.id}`);
      print(
        `backups: ${verb} ${result.backups.deleted.length} (${kib(result.backups.freedBytes)}), kept ${result.backups.kept}`,
      );
      print(`run reports: ${verb} ${result.reports.deleted.length}`);
      print(`background-run records: ${verb} ${result.background.deleted.length}`);
      print(
        `run log: ${result.dryRun ? "would drop" : "dropped"} ${result.log.droppedLines} line(s), kept ${result.log.keptLines}` +
          (result.log.damagedLines > 0 ? ` (${result.log.damagedLines} damaged line(s) dropped)` : ""),
      );
    });
}

const kib = (bytes: number) => `${Math.ceil(bytes / 1024)} KiB`;
