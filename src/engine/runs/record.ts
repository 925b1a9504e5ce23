/**
 * The persisted record of one background run (a run started by the MCP server): what it runs, its
 * status, its progress lines and, once it ended, its report. One JSON file per run under
 * `<git common dir>/claude-tasks/background/<id>.json`, written atomically on every change, so a
 * server started later finds the runs an earlier one started and reports how they ended.
 */
import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { assertSafeName } from "../git/index.ts";
import { orIfMissing } from "../missing.ts";
import { pidAlive } from "../process/alive.ts";
import type { RunMode, RunReport } from "../run/index.ts";

export type BackgroundStatus =
  | "waiting" // for the runs it needs
  | "running"
  | "succeeded" // every task succeeded or changed nothing
  | "failed" // a task failed, or the run could not start
  | "skipped" // a run it needs did not succeed
  | "cancelled" // cancelled by a client
  | "interrupted"; // the server exited while it ran (its work is backed up)

export const ACTIVE_STATUSES: readonly BackgroundStatus[] = ["waiting", "running"];

export interface BackgroundRecord {
  version: 1;
  /** Also the engine's run id (worktrees, backups and the run report carry it). */
  id: string;
  kind: "tasks" | "delegate";
  mode: RunMode;
  tasks: string[];
  /** Run ids this run waits for; it runs only when all of them succeeded. */
  needs: string[];
  status: BackgroundStatus;
  /** The server process that runs it. */
  pid: number;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  /** Why it failed, was skipped or interrupted (untrusted: may quote task output). */
  message?: string;
  /** Progress lines, oldest first (at most {@link MAX_LOG_LINES}). */
  log: string[];
  report?: RunReport;
}

export const MAX_LOG_LINES = 500;

export const backgroundDir = (state: string): string => join(state, "background");

export async function writeRecord(state: string, record: BackgroundRecord): Promise<void> {
  assertSafeName("run id", record.id);
  const dir = backgroundDir(state);
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, `${record.id}.json`), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Every record, oldest first. A record still marked waiting or running whose server process is gone
 * was interrupted by that server's exit (a crash, a kill): it is reported (and rewritten) as such.
 */
export async function readRecords(state: string): Promise<BackgroundRecord[]> {
  const dir = backgroundDir(state);
  const names = await orIfMissing(readdir(dir), [] as string[]);
  const out: BackgroundRecord[] = [];
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
    const record = parseRecord(await orIfMissing(readFile(join(dir, name), "utf8"), undefined));
    if (record?.version !== 1 || typeof record.id !== "string") continue;
    if (ACTIVE_STATUSES.includes(record.status) && record.pid !== process.pid && !pidAlive(record.pid)) {
      const interrupted: BackgroundRecord = {
        ...record,
        status: "interrupted",
        message: record.message ?? "the server that ran it exited before it ended",
        endedAt: record.endedAt ?? new Date().toISOString(),
      };
      await writeRecord(state, interrupted);
      out.push(interrupted);
    } else out.push(record);
  }
  return out;
}

export interface PruneRecordsOptions {
  /** Records of runs that ended before this time go. */
  endedBefore: Date;
  /** Run ids whose records stay whatever their age (runs the run log or a worktree lock says are running). */
  keep?: ReadonlySet<string>;
  /** Only say which records would go. */
  dryRun?: boolean;
  /** Whether a server's process is alive (injected by tests). */
  isAlive?: (pid: number) => boolean;
}

/**
 * For `prune`: removes the records of finished runs that ended before `endedBefore`; returns their ids.
 * Never the record of a run that is still waiting or running (marked so, and its server alive), nor
 * one such a run needs (it reads the record to learn how that run ended). A run's end is its
 * `endedAt`; a record without one (its server died mid-run) ended when its file was last written. A
 * record that cannot be read is left alone.
 */
export async function pruneRecords(state: string, opts: PruneRecordsOptions): Promise<string[]> {
  const isAlive = opts.isAlive ?? pidAlive;
  const dir = backgroundDir(state);
  const names = await orIfMissing(readdir(dir), [] as string[]);
  const found: { name: string; record: BackgroundRecord }[] = [];
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
    const record = parseRecord(await orIfMissing(readFile(join(dir, name), "utf8"), undefined));
    if (record?.version === 1 && typeof record.id === "string") found.push({ name, record });
  }
  const live = (r: BackgroundRecord) => ACTIVE_STATUSES.includes(r.status) && isAlive(r.pid);
  const needed = new Set(found.filter((f) => live(f.record)).flatMap((f) => f.record.needs ?? []));
  const cutoff = opts.endedBefore.getTime();
  const removed: string[] = [];
  for (const { name, record } of found) {
    if (live(record) || needed.has(record.id) || opts.keep?.has(record.id)) continue;
    const file = join(dir, name);
    const ended =
      record.endedAt !== undefined
        ? Date.parse(record.endedAt)
        : ((await orIfMissing(stat(file), undefined))?.mtimeMs ?? Number.NaN);
    if (!(ended < cutoff)) continue;
    if (!opts.dryRun) await rm(file, { force: true });
    removed.push(record.id);
  }
  return removed;
}

/** A record's JSON, or undefined when it is gone or not JSON (a half-written file of a killed server). */
function parseRecord(text: string | undefined): BackgroundRecord | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as BackgroundRecord;
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}
