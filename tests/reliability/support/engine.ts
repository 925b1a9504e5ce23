/**
 * Engine runs for the reliability cases: a Claude task against a scripted model, the built CLI's
 * environment for a test repository, and the check that a run left the state consistent.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { expect } from "vitest";
import type { Task } from "../../../src/engine/config/index.ts";
import { listBackups, sandboxesDir, worktreesDir } from "../../../src/engine/git/index.ts";
import { newRunId, parseLog } from "../../../src/engine/run/index.ts";
import { CLAUDE_PATH, type EngineRepo, leftoverProcesses, type RunOutcome } from "../../support/engine.ts";
import { type ModelServer, type Scenario, startModelServer, type Turn } from "../../support/model-server.ts";
import { agentProcessesUnder } from "./proc.ts";

export const write = (path: string, content: string): Turn => ({
  tool: "Write",
  input: { file_path: path, content },
});

export const claudeYaml = (extra = "", timeout = "30s") =>
  `prompt: Do the scripted thing.\nagent:\n  permission_mode: acceptEdits\n  timeout: ${timeout}\n${extra}`;

export interface ClaudeRun extends RunOutcome {
  server: ModelServer;
  task: Task;
  runId: string;
}

/** Runs one Claude task against a scenario; `turns` gets the task's worktree path. */
export async function runClaude(
  e: EngineRepo,
  name: string,
  yaml: string,
  turns: (wt: string) => Scenario,
  opts: Parameters<EngineRepo["run"]>[1] = {},
): Promise<ClaudeRun> {
  const [task] = await e.tasks({ [name]: yaml });
  const runId = newRunId();
  const server = await startModelServer(turns(e.worktreePath(name, runId)));
  try {
    const outcome = await e.run([task!], { runId, env: e.agentEnv(server), ...opts });
    return { ...outcome, server, task: task!, runId };
  } finally {
    await server.close();
  }
}

/** A normal run of `task` (a scenario that writes `file` and answers), for "a rerun completes normally". */
export async function rerunClaude(e: EngineRepo, task: Task, file = "rerun.txt"): Promise<RunOutcome> {
  const runId = newRunId();
  const wt = e.worktreePath(task.name, runId);
  const server = await startModelServer([write(join(wt, file), "rerun\n"), { text: "Done." }]);
  try {
    return await e.run([task], { runId, env: e.agentEnv(server) });
  } finally {
    await server.close();
  }
}

/** The patch text of a backup. */
export async function backupPatch(e: EngineRepo, id: string | undefined): Promise<string> {
  if (!id) return "";
  return readFile(join(e.state, "backups", id, "changes.patch"), "utf8");
}

export interface Consistency {
  /** claude-tasks worktrees still registered with git. */
  worktrees: number;
  /** Entries under the worktrees directory. */
  worktreeDirs: number;
  /** Agents' sandbox folders (HOME, git directory) still on disk. */
  sandboxDirs: number;
  locks: number;
  /** Half-written backups (`.tmp-*`). */
  tmpBackups: number;
  logDamagedLines: number;
  /** run-start entries without their run-end. */
  unfinishedRuns: number;
  agentProcesses: number;
  userStatus: string;
}

/** What a run left behind; `expectConsistent` wants all of it empty. */
export async function consistency(e: EngineRepo, spawned: RunOutcome["spawned"] = []): Promise<Consistency> {
  const list = async (dir: string) => readdir(dir).catch(() => [] as string[]);
  const log = parseLog(await readFile(join(e.state, "runs.jsonl"), "utf8").catch(() => ""));
  const started = new Set(log.entries.filter((l) => l.type === "run-start").map((l) => l.runId));
  for (const l of log.entries) if (l.type === "run-end") started.delete(l.runId);
  const wtRoot = resolve(process.env.CLAUDE_TASKS_WORKTREES ?? worktreesDir(e.state));
  return {
    worktrees: (await e.worktrees()).filter((p) => p !== e.path).length,
    worktreeDirs: (await list(worktreesDir(e.state))).length,
    sandboxDirs: (await list(sandboxesDir(e.state))).length,
    locks: (await list(join(e.state, "locks"))).length,
    tmpBackups: (await list(join(e.state, "backups"))).filter((n) => n.startsWith(".tmp-")).length,
    logDamagedLines: log.damagedLines.length,
    unfinishedRuns: started.size,
    agentProcesses: leftoverProcesses(spawned).length + agentProcessesUnder(wtRoot).length,
    userStatus: await e.status(),
  };
}

export async function expectConsistent(e: EngineRepo, spawned: RunOutcome["spawned"] = []): Promise<void> {
  expect(await consistency(e, spawned)).toEqual({
    worktrees: 0,
    worktreeDirs: 0,
    sandboxDirs: 0,
    locks: 0,
    tmpBackups: 0,
    logDamagedLines: 0,
    unfinishedRuns: 0,
    agentProcesses: 0,
    userStatus: "",
  });
}

/** Files named in a backup's patch. */
export function patchFiles(patch: string): string[] {
  return [...patch.matchAll(/^diff --git a\/(\S+) b\//gm)].map((m) => m[1]!);
}

export async function backupCount(e: EngineRepo): Promise<number> {
  return (await listBackups(e.state)).length;
}

/** The environment of the built CLI for a test repository: hermetic git, worktrees, Claude against `server`. */
export function cliEnv(
  e: EngineRepo,
  server?: ModelServer,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    LANG: "C.UTF-8",
    HOME: String(e.env.HOME),
    XDG_CONFIG_HOME: String(e.env.XDG_CONFIG_HOME),
    GIT_CONFIG_GLOBAL: String(e.env.GIT_CONFIG_GLOBAL),
    GIT_CONFIG_NOSYSTEM: "1",
    CLAUDE_TASKS_WORKTREES: String(process.env.CLAUDE_TASKS_WORKTREES),
    CLAUDE_TASKS_CLAUDE: CLAUDE_PATH,
    CLAUDE_CODE_TMPDIR: join(e.root, "claude-tmp"),
    ANTHROPIC_API_KEY: "sk-ant-test-dummy",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    CLAUDE_CODE_MAX_RETRIES: "0",
    ...(server ? { ANTHROPIC_BASE_URL: server.url } : {}),
    ...extra,
  };
  return env;
}
