/** Run-log entries shared by the `logs`/`status` tests. */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LogEntry, TaskEntry } from "../../src/engine/run/index.ts";
import { makeRepo } from "../support/git-repo.ts";

export const entry = (runId: string, task: string, at: string, over: Partial<TaskEntry> = {}): TaskEntry => ({
  type: "task",
  runId,
  mode: "local",
  task,
  status: "success",
  message: `${task} done`,
  at,
  startedAt: at,
  durationMs: 2000,
  costUsd: 0.5,
  files: 1,
  branch: `claude-tasks/${task}`,
  ...over,
});

export const LOG: LogEntry[] = [
  {
    type: "run-start",
    runId: "r1",
    mode: "local",
    tasks: ["docs-sync", "lint-fix"],
    pid: 999_999,
    at: "2026-11-01T06:00:00.000Z",
  },
  entry("r1", "docs-sync", "2026-11-01T06:01:00.000Z"),
  entry("r1", "lint-fix", "2026-11-01T06:02:00.000Z", {
    status: "failed",
    costUsd: undefined,
    durationMs: 4000,
  }),
  { type: "run-end", runId: "r1", ok: false, durationMs: 1, at: "2026-11-01T06:03:00.000Z" },
  entry("r2", "docs-sync", "2026-11-10T06:01:00.000Z", { costUsd: 1.5 }),
  entry("r3", "docs-sync", "2026-11-20T06:01:00.000Z", { status: "no_changes" }),
];
export const jsonl = (entries: LogEntry[]) => entries.map((e) => `${JSON.stringify(e)}\n`).join("");

export async function repoWithLog(entries: LogEntry[]) {
  const repo = await makeRepo();
  const dir = join(repo.path, ".git", "claude-tasks");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "runs.jsonl"), jsonl(entries));
  return { repo, log: join(dir, "runs.jsonl") };
}
