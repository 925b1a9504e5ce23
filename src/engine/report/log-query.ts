/**
 * Reading the run log for `logs`: filtering entries by task and time, and following the file as it
 * grows (`logs --follow`). Filtering is pure; following polls the file, so it works on every file
 * system and survives `prune` rewriting the log (a new inode) or truncating it.
 */
import { open, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { compileGlob } from "../glob.ts";
import { orIfMissing } from "../missing.ts";
import type { LogEntry, TaskEntry } from "../run/run-log.ts";

export interface LogQuery {
  /** A task name or glob (`docs-*`). */
  task?: string;
  /** Only entries recorded at or after this time. */
  since?: Date;
  /** Only entries recorded at or before this time. */
  until?: Date;
}

/** Whether an entry passes the query. Times are the entry's `at` (when it was recorded). */
export function matchesQuery(e: LogEntry, q: LogQuery): boolean {
  if (q.task !== undefined) {
    const wanted = compileGlob(q.task);
    if (e.type === "task" && !wanted(e.task)) return false;
    if (e.type === "run-start" && !e.tasks.some(wanted)) return false;
    if (e.type === "run-end") return false; // it names no task
  }
  const at = Date.parse(e.at);
  if (q.since && !(at >= q.since.getTime())) return false;
  if (q.until && !(at <= q.until.getTime())) return false;
  return true;
}

/** The task entries that pass the query, oldest first, the last `tail` of them. */
export function queryTaskEntries(entries: readonly LogEntry[], q: LogQuery & { tail?: number }): TaskEntry[] {
  const list = entries.filter((e): e is TaskEntry => e.type === "task" && matchesQuery(e, q));
  return q.tail === undefined ? list : list.slice(-q.tail);
}

export interface FollowOptions {
  /** Byte offset to start from (usually the size already shown). */
  from: number;
  signal: AbortSignal;
  /** Called with each complete new line. */
  onLine: (line: string) => void;
  /** Poll interval, default 250 ms. */
  intervalMs?: number;
}

/**
 * Calls `onLine` for every line appended to `file` until `signal` aborts. When the file is replaced
 * or truncated it is read again from the start, skipping lines already delivered.
 */
export async function followFile(file: string, opts: FollowOptions): Promise<void> {
  let offset = 0;
  let inode: number | undefined;
  let partial = "";
  // Lines already shown (everything before `from`), so a rewritten log does not repeat them. Log
  // lines carry their own time stamps, so two equal lines never both need showing.
  const seen = new Set<string>();
  try {
    const s = await stat(file);
    inode = s.ino;
    offset = Math.min(opts.from, s.size);
    for (const line of (await readRange(file, 0, offset)).split("\n")) seen.add(line);
  } catch {
    offset = 0;
  }
  const interval = opts.intervalMs ?? 250;
  while (!opts.signal.aborted) {
    const s = await orIfMissing(stat(file), undefined);
    if (s) {
      if ((inode !== undefined && s.ino !== inode) || s.size < offset) {
        offset = 0; // replaced (by prune) or truncated: read it again, skipping lines already shown
        partial = "";
      }
      inode = s.ino;
      if (s.size > offset) {
        const chunk = await readRange(file, offset, s.size);
        offset = s.size;
        const lines = (partial + chunk).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) {
          if (line.trim() === "" || seen.has(line)) continue;
          seen.add(line);
          opts.onLine(line);
        }
      }
    }
    try {
      await sleep(interval, undefined, { signal: opts.signal });
    } catch (err) {
      if (!opts.signal.aborted) throw err; // the one expected end: the caller stopped following
    }
  }
}

async function readRange(file: string, from: number, to: number): Promise<string> {
  const fh = await open(file, "r");
  try {
    const buf = Buffer.alloc(to - from);
    const { bytesRead } = await fh.read(buf, 0, buf.length, from);
    return buf.subarray(0, bytesRead).toString("utf8");
  } finally {
    await fh.close();
  }
}
