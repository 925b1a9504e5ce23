/**
 * `prune`: applies the retention policy to `.git/claude-tasks/` — deletes old backups and old run
 * reports, trims `runs.jsonl`, and (with an age limit) deletes the MCP server's records of background
 * runs that ended before it (runs/record.ts). Nothing of a run that is still running is touched (a live
 * `run-start` without its `run-end`, or a live worktree lock). The log is rewritten atomically: a
 * new file is written beside it and renamed over it, and lines appended meanwhile are carried over.
 */
import { randomBytes } from "node:crypto";
import { open, readdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { backupsDir, type Git, stateDir as getStateDir, listBackups, listWorktrees } from "../git/index.ts";
import { isCode } from "../missing.ts";
import { pidAlive } from "../process/alive.ts";
import { type LogEntry, parseLog, runLogPath } from "../run/run-log.ts";
import { pruneRecords } from "../runs/record.ts";
import { type BackupItem, planPrune } from "./plan.ts";
import { formatAge, type RetentionPolicy } from "./policy.ts";

export interface PruneOptions {
  git: Git;
  stateDir?: string;
  policy: RetentionPolicy;
  /** Report what would be deleted; delete nothing. */
  dryRun?: boolean;
  now?: Date;
  /** Whether a process id is alive (injected by tests). */
  isAlive?: (pid: number) => boolean;
}

export interface PruneResult {
  dryRun: boolean;
  policy: { keep: number; maxAge: string | null };
  /** Runs left alone because they are still running. */
  running: string[];
  backups: { deleted: BackupItem[]; kept: number; freedBytes: number };
  reports: { deleted: string[] };
  /**
   * The MCP server's records of background runs that ended before the age limit (none without one),
   * never one of a run still waiting or running.
   */
  background: { deleted: string[] };
  log: { keptLines: number; droppedLines: number; damagedLines: number };
}

/** Run ids that are still running: a live `run-start` without `run-end`, or a live worktree lock. */
export async function runningRuns(
  git: Git,
  state: string,
  entries: readonly LogEntry[],
  isAlive: (pid: number) => boolean = pidAlive,
): Promise<Set<string>> {
  const ended = new Set(entries.filter((e) => e.type === "run-end").map((e) => e.runId));
  const running = new Set<string>();
  for (const e of entries)
    if (e.type === "run-start" && !ended.has(e.runId) && isAlive(e.pid)) running.add(e.runId);
  const worktrees = await listWorktrees(git, { stateDir: state });
  for (const w of worktrees) if (w.ours && !w.stale && w.lock) running.add(w.lock.runId);
  return running;
}

export async function prune(opts: PruneOptions): Promise<PruneResult> {
  const state = opts.stateDir ?? (await getStateDir(opts.git));
  const logFile = runLogPath(state);
  const logText = await readText(logFile);
  const log = parseLog(logText);
  const now = opts.now ?? new Date();
  const running = await runningRuns(opts.git, state, log.entries, opts.isAlive);
  const backups = (await listBackups(state)).map((b) => ({
    id: b.id,
    task: b.meta.task,
    runId: b.meta.runId,
    createdAt: b.meta.createdAt,
    size: b.size,
  }));
  const reports = await listDir(join(state, "runs"));
  const plan = planPrune({
    backups,
    entries: log.entries,
    reports,
    running,
    policy: opts.policy,
    now,
  });

  const keepLine = (entry: LogEntry | undefined) => entry !== undefined && plan.keepRuns.has(entry.runId);
  let keptLines = 0;
  let droppedLines = 0;
  for (const line of logText.split("\n")) {
    if (line.trim() === "") continue;
    if (keepLine(parseLine(line))) keptLines++;
    else droppedLines++;
  }

  if (!opts.dryRun) {
    for (const b of plan.deleteBackups)
      await rm(join(backupsDir(state), b.id), { recursive: true, force: true });
    for (const runId of plan.deleteReports)
      await rm(join(state, "runs", runId), { recursive: true, force: true });
    if (droppedLines > 0) await rewriteLog(logFile, (line) => keepLine(parseLine(line)));
  }
  const background =
    opts.policy.maxAgeMs === undefined
      ? []
      : await pruneRecords(state, {
          endedBefore: new Date(now.getTime() - opts.policy.maxAgeMs),
          keep: running,
          ...(opts.dryRun ? { dryRun: true } : {}),
          ...(opts.isAlive ? { isAlive: opts.isAlive } : {}),
        });
  return {
    dryRun: Boolean(opts.dryRun),
    policy: {
      keep: opts.policy.keep,
      maxAge: opts.policy.maxAgeMs === undefined ? null : formatAge(opts.policy.maxAgeMs),
    },
    running: [...running].sort(),
    backups: {
      deleted: plan.deleteBackups,
      kept: plan.keepBackups.length,
      freedBytes: plan.deleteBackups.reduce((sum, b) => sum + b.size, 0),
    },
    reports: { deleted: plan.deleteReports.sort() },
    background: { deleted: background },
    log: { keptLines, droppedLines, damagedLines: log.damagedLines.length },
  };
}

/**
 * Rewrites a JSONL file keeping the lines `keep` accepts, atomically (write aside, rename). Lines
 * appended while it works — by a run that started meanwhile — are kept, whether they arrive before
 * the rename (copied from the old file) or just after it (read from the old file's descriptor).
 */
export async function rewriteLog(file: string, keep: (line: string) => boolean): Promise<void> {
  const old = await open(file, "r").catch((err: unknown) => {
    if (isCode(err, "ENOENT")) return undefined;
    throw err;
  });
  if (!old) return;
  try {
    const text = (await old.readFile()).toString("utf8");
    // A last line without its newline is still being written: it is copied with the tail below.
    const complete = text.slice(0, text.lastIndexOf("\n") + 1);
    let consumed = Buffer.byteLength(complete);
    const kept = complete
      .split("\n")
      .filter((l) => l.trim() !== "" && keep(l))
      .map((l) => `${l}\n`)
      .join("");
    const tmp = join(dirname(file), `.runs-${process.pid}-${randomBytes(4).toString("hex")}.jsonl`);
    try {
      const fh = await open(tmp, "wx");
      try {
        await fh.writeFile(kept);
        consumed += await copyTail(old, consumed, (chunk) => fh.writeFile(chunk));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    // An append that opened the old file just before the rename: carry it over too.
    for (let i = 0; i < 3; i++) {
      const n = await copyTail(old, consumed, (chunk) => writeFile(file, chunk, { flag: "a" }));
      consumed += n;
      if (n === 0) await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await old.close();
  }
}

/** Copies the bytes of `fh` after `from` (whole lines only) to `write`; returns how many. */
async function copyTail(
  fh: Awaited<ReturnType<typeof open>>,
  from: number,
  write: (chunk: Buffer) => Promise<void>,
): Promise<number> {
  const { size } = await fh.stat();
  if (size <= from) return 0;
  const buf = Buffer.alloc(size - from);
  await fh.read(buf, 0, buf.length, from);
  const end = buf.lastIndexOf(0x0a) + 1;
  if (end === 0) return 0;
  await write(buf.subarray(0, end));
  return end;
}

function parseLine(line: string): LogEntry | undefined {
  return parseLog(line).entries[0];
}

async function readText(file: string): Promise<string> {
  try {
    const fh = await open(file, "r");
    try {
      return (await fh.readFile()).toString("utf8");
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (isCode(err, "ENOENT")) return "";
    throw err;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => !n.startsWith("."));
  } catch (err) {
    if (isCode(err, "ENOENT")) return [];
    throw err;
  }
}
