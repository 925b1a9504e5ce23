/**
 * The local run history: `.git/claude-tasks/runs.jsonl`, one JSON object per line, appended.
 * Reading never fails on a damaged line: it is skipped and counted, so `logs` can say so.
 */
import { mkdir, open, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { RunMode, TaskResult, TaskStatus } from "./types.ts";

/** `<state>/runs.jsonl`: one line per run start, task end and run end. */
export const runLogPath = (state: string): string => join(state, "runs.jsonl");
/** `<state>/runs/<run id>`: the run's report. */
export const runReportDir = (state: string, runId: string): string => join(state, "runs", runId);

export interface RunStartEntry {
  type: "run-start";
  runId: string;
  mode: RunMode;
  tasks: string[];
  pid: number;
  at: string;
}

export interface RunEndEntry {
  type: "run-end";
  runId: string;
  ok: boolean;
  durationMs: number;
  at: string;
}

export interface TaskEntry {
  type: "task";
  runId: string;
  mode: RunMode;
  task: string;
  status: TaskStatus;
  message: string;
  at: string;
  startedAt: string;
  durationMs: number;
  costUsd?: number;
  numTurns?: number;
  files: number;
  branch: string;
  commit?: string;
  backup?: string;
  prUrl?: string;
}

export type LogEntry = RunStartEntry | RunEndEntry | TaskEntry;

/**
 * Appends one entry as one line. When the file does not end with a newline (a write cut short by a
 * full disk or a crash), the entry starts on a new line, so the damage stays one skipped line.
 */
export async function appendLog(file: string, entry: LogEntry): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const fh = await open(file, "a+");
  try {
    const { size } = await fh.stat();
    const last = Buffer.alloc(1);
    const torn = size > 0 && (await fh.read(last, 0, 1, size - 1)).bytesRead === 1 && last[0] !== 0x0a;
    await fh.appendFile(`${torn ? "\n" : ""}${JSON.stringify(entry)}\n`, "utf8");
  } finally {
    await fh.close();
  }
}

export function taskEntry(runId: string, mode: RunMode, r: TaskResult): TaskEntry {
  return {
    type: "task",
    runId,
    mode,
    task: r.task,
    status: r.status,
    message: r.message,
    at: new Date().toISOString(),
    startedAt: r.startedAt,
    durationMs: r.durationMs,
    costUsd: r.agent?.costUsd,
    numTurns: r.agent?.numTurns,
    files: r.files.length,
    branch: r.branch,
    commit: r.commit,
    backup: r.backup,
    prUrl: r.pr?.url,
  };
}

export interface ReadLogResult {
  entries: LogEntry[];
  /** 1-based line numbers that were not valid entries. */
  damagedLines: number[];
}

export async function readLog(file: string): Promise<ReadLogResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], damagedLines: [] };
    throw err;
  }
  return parseLog(text);
}

export function parseLog(text: string): ReadLogResult {
  const entries: LogEntry[] = [];
  const damagedLines: number[] = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      const value = JSON.parse(line) as Partial<LogEntry>;
      if (isEntry(value)) entries.push(value);
      else damagedLines.push(i + 1);
    } catch {
      damagedLines.push(i + 1);
    }
  });
  return { entries, damagedLines };
}

function isEntry(v: Partial<LogEntry> | null): v is LogEntry {
  if (!v || typeof v !== "object" || typeof v.runId !== "string") return false;
  if (v.type === "task") return typeof v.task === "string" && typeof v.status === "string";
  return v.type === "run-start" || v.type === "run-end";
}
