import type { Command } from "commander";
import { createGit, stateDir } from "../../engine/git/index.ts";
import { findRepoRoot } from "../../engine/project.ts";
import { formatCost, formatDuration, STATUS_ICON } from "../../engine/report/format.ts";
import { summariseLog } from "../../engine/report/stats.ts";
import { renderTable } from "../../engine/report/table.ts";
import { readLog, runLogPath, type TaskEntry } from "../../engine/run/index.ts";
import { positiveInt } from "../args.ts";
import { globals } from "../context.ts";
import { paint, print, printErr, printJson } from "../output.ts";

async function loadLog(cmd: Command) {
  const git = createGit({ cwd: await findRepoRoot(globals(cmd).cwd ?? process.cwd()) });
  const file = runLogPath(await stateDir(git));
  const log = await readLog(file);
  if (log.damagedLines.length > 0) {
    printErr(
      `warning: ${file}: skipped ${log.damagedLines.length} damaged line(s) (${log.damagedLines.slice(0, 5).join(", ")})`,
    );
  }
  return log;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

export function registerLogs(program: Command): void {
  program
    .command("logs")
    .description("run history, newest last")
    .option("--task <name>", "only this task")
    .option("-n, --tail <N>", "only the last N entries", positiveInt, 20)
    .option("--json", "print the entries as JSON")
    .action(async (opts: { task?: string; tail: number; json?: boolean }, cmd: Command) => {
      const { entries } = await loadLog(cmd);
      const tasks = entries
        .filter((e): e is TaskEntry => e.type === "task" && (!opts.task || e.task === opts.task))
        .slice(-opts.tail);
      if (opts.json) return printJson({ entries: tasks });
      if (tasks.length === 0) return print("no runs recorded yet");
      print(
        renderTable(
          ["WHEN", "TASK", "STATUS", "TIME", "COST", "RUN", "MESSAGE"],
          tasks.map((e) => [
            e.at.replace("T", " ").slice(0, 19),
            e.task,
            `${STATUS_ICON[e.status] ?? ""} ${e.status}`,
            formatDuration(e.durationMs),
            formatCost(e.costUsd),
            e.runId,
            e.message.length > 90 ? `${e.message.slice(0, 89)}…` : e.message,
          ]),
        ),
      );
    });

  program
    .command("status")
    .description("running tasks, and per task: last outcome, success rate, average duration and cost")
    .option("--json", "print as JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { entries } = await loadLog(cmd);
      const summary = summariseLog(entries, (e) => alive(e.pid));
      if (opts.json) return printJson(summary);
      for (const r of summary.running)
        print(`${paint("cyan", "running")} run ${r.runId} (${r.mode}, pid ${r.pid}): ${r.tasks.join(", ")}`);
      if (summary.tasks.length === 0) return print("no runs recorded yet");
      print(
        renderTable(
          ["TASK", "LAST", "WHEN", "RUNS", "SUCCESS", "AVG TIME", "AVG COST", "TOTAL COST"],
          summary.tasks.map((t) => [
            t.task,
            `${STATUS_ICON[t.last.status] ?? ""} ${t.last.status}`,
            t.last.at.replace("T", " ").slice(0, 16),
            String(t.runs),
            t.successRate === null ? "–" : `${Math.round(t.successRate * 100)}%`,
            t.avgDurationMs === null ? "–" : formatDuration(t.avgDurationMs),
            formatCost(t.avgCostUsd ?? undefined),
            formatCost(t.totalCostUsd),
          ]),
        ),
      );
    });
}
