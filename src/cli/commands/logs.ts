import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { UserError } from "../../engine/errors.ts";
import { createGit, stateDir } from "../../engine/git/index.ts";
import { pidAlive } from "../../engine/process/alive.ts";
import { requireRepoRoot } from "../../engine/project.ts";
import { oneLine } from "../../engine/report/escape.ts";
import { formatCost, formatDuration, STATUS_ICON } from "../../engine/report/format.ts";
import { followFile, type LogQuery, matchesQuery, queryTaskEntries } from "../../engine/report/log-query.ts";
import { summariseLog } from "../../engine/report/stats.ts";
import { renderTable } from "../../engine/report/table.ts";
import { type LogEntry, parseLog, runLogPath, type TaskEntry } from "../../engine/run/run-log.ts";
import { isoDate, positiveInt } from "../args.ts";
import { globals } from "../context.ts";
import { paint, print, printErr, printJson } from "../output.ts";
import { LEDGER_REMOTE_HELP, ledgerSection } from "./status.ts";

async function logFile(cmd: Command): Promise<string> {
  const git = createGit({ cwd: await requireRepoRoot(globals(cmd).cwd ?? process.cwd()) });
  return runLogPath(await stateDir(git));
}

/** The log's entries, and how many bytes of complete lines they came from (where `--follow` starts). */
async function loadLog(file: string) {
  const text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return "";
    throw err;
  });
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  const log = { ...parseLog(complete), bytes: Buffer.byteLength(complete) };
  if (log.damagedLines.length > 0) {
    printErr(
      `warning: ${file}: skipped ${log.damagedLines.length} damaged line(s) (${log.damagedLines.slice(0, 5).join(", ")})`,
    );
  }
  return log;
}

interface LogsFlags {
  task?: string;
  tail: number;
  since?: Date;
  until?: Date;
  follow?: boolean;
  json?: boolean;
}

const HEADERS = ["WHEN", "TASK", "STATUS", "TIME", "COST", "RUN", "MESSAGE"];

function row(e: TaskEntry): string[] {
  return [
    e.at.replace("T", " ").slice(0, 19),
    e.task,
    `${STATUS_ICON[e.status] ?? ""} ${e.status}`,
    formatDuration(e.durationMs),
    formatCost(e.costUsd),
    e.runId,
    oneLine(e.message, 89),
  ];
}

/** One line for a followed entry (no table: rows arrive one by one). */
function followedLine(e: LogEntry): string {
  if (e.type === "run-start")
    return paint("cyan", `▶ run ${e.runId} started (${e.mode}): ${e.tasks.join(", ")}`);
  if (e.type === "run-end")
    return paint(
      e.ok ? "cyan" : "red",
      `■ run ${e.runId} ended ${e.ok ? "ok" : "with failures"} in ${formatDuration(e.durationMs)}`,
    );
  return row(e).join("  ");
}

export function registerLogs(program: Command): void {
  program
    .command("logs")
    .description("run history, newest last; --follow to watch runs as they happen")
    .option("--task <name>", "only this task (or a glob such as 'docs-*')")
    .option("--since <ISO>", "only entries recorded at or after this time", isoDate)
    .option("--until <ISO>", "only entries recorded at or before this time", isoDate)
    .option("-n, --tail <N>", "only the last N entries", positiveInt, 20)
    .option("-f, --follow", "keep printing new entries as runs write them (Ctrl-C to stop)")
    .option("--json", "print the entries as JSON (with --follow: one JSON object per line)")
    .action(async (opts: LogsFlags, cmd: Command) => {
      if (opts.follow && opts.until) throw new UserError("--follow and --until exclude each other");
      if (opts.since && opts.until && opts.since > opts.until)
        throw new UserError("--since is after --until: nothing can match");
      const file = await logFile(cmd);
      const { entries, bytes } = await loadLog(file);
      const query: LogQuery = { task: opts.task, since: opts.since, until: opts.until };
      const shown = queryTaskEntries(entries, { ...query, tail: opts.tail });
      if (opts.follow) return follow({ file, from: bytes, shown, query, json: opts.json });
      if (opts.json) return printJson({ entries: shown });
      if (shown.length === 0)
        return print(entries.length === 0 ? "no runs recorded yet" : "no matching entries");
      print(renderTable(HEADERS, shown.map(row)));
    });

  program
    .command("status")
    .description(
      "running tasks, and per task: last outcome, success rate, average duration and cost; spend against budgets and what was due and did not run",
    )
    .option("--json", "print as JSON")
    .option("--remote <name>", LEDGER_REMOTE_HELP)
    .action(async (opts: { json?: boolean; remote?: string }, cmd: Command) => {
      const { entries } = await loadLog(await logFile(cmd));
      const summary = summariseLog(entries, (e) => pidAlive(e.pid));
      const ledger = await ledgerSection(cmd, opts.remote);
      if (opts.json) return printJson({ ...summary, ledger: ledger.json });
      const printLedger = () => print(`\n${ledger.text}`);
      for (const r of summary.running)
        print(`${paint("cyan", "running")} run ${r.runId} (${r.mode}, pid ${r.pid}): ${r.tasks.join(", ")}`);
      for (const r of summary.interrupted.slice(-5))
        print(
          `${paint("yellow", "interrupted")} run ${r.runId} (${r.mode}, pid ${r.pid}, started ${r.at.replace("T", " ").slice(0, 19)}): ${r.tasks.join(", ")} — it never finished; \`claude-tasks worktrees\` lists what it left`,
        );
      if (summary.tasks.length === 0) {
        if (summary.running.length + summary.interrupted.length === 0) print("no runs recorded yet");
        return printLedger();
      }
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
      printLedger();
    });
}

/** Prints what is there, then every new matching entry until Ctrl-C (or SIGTERM); exits 0. */
async function follow(o: {
  file: string;
  from: number;
  shown: TaskEntry[];
  query: LogQuery;
  json?: boolean;
}): Promise<void> {
  const { file, shown, query, json } = o;
  const out = (e: LogEntry) =>
    json ? process.stdout.write(`${JSON.stringify(e)}\n`) : print(followedLine(e));
  if (!json && shown.length > 0) print(renderTable(HEADERS, shown.map(row)));
  else for (const e of shown) out(e);
  if (!json) printErr(paint("dim", `following ${file} (Ctrl-C to stop)`, process.stderr));
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await followFile(file, {
      from: o.from,
      signal: stop.signal,
      onLine: (line) => {
        const e = parseLog(line).entries[0];
        if (!e || !matchesQuery(e, query)) return;
        if (json && e.type !== "task") return;
        out(e);
      },
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
