/**
 * End-to-end runs of the engine in one line per step: a real repository (see `makeRepo`), task files
 * written and committed under `.github/claude-tasks/`, effective tasks loaded through the real config
 * loader, and `runTasks` with a hermetic environment for git and for the agents (the real pinned
 * Claude Code CLI, talking to the scripted model server).
 *
 *   await using e = await makeEngineRepo();
 *   const [task] = await e.tasks({ docs: "run: echo hi > hi.txt\n" });
 *   const { report, result } = await e.run([task]);
 */
import { execFileSync } from "node:child_process";
import { lstat, mkdir, readdir, readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import type { AgentEvent } from "../../src/engine/agent/index.ts";
import { type ConfigFile, parseConfigFiles, type Task } from "../../src/engine/config/index.ts";
import { formatProblem } from "../../src/engine/errors.ts";
import { worktreesDir } from "../../src/engine/git/index.ts";
import type { Logger } from "../../src/engine/logger.ts";
import { planOf } from "../../src/engine/plan/index.ts";
import {
  type LogEntry,
  newRunId,
  type RunEvent,
  type RunReport,
  type RunTasksOptions,
  readLog,
  runTasks,
  type TaskResult,
} from "../../src/engine/run/index.ts";
import { processesOf, processTable } from "../agent/harness.ts";
import { type MakeRepoOptions, makeRepo, type TestRepo } from "./git-repo.ts";
import type { ModelServer } from "./model-server.ts";
import { intOnly } from "./project.ts";

export const CLAUDE_PATH = resolve("node_modules/.bin/claude");
const TASK_DIR = ".github/claude-tasks";

export interface Spawned {
  task: string;
  pid: number;
  marker: string;
}

export interface RunOutcome {
  report: RunReport;
  /** The first task's result (most tests run one task). */
  result: TaskResult;
  byTask(name: string): TaskResult;
  events: RunEvent[];
  /** Every agent process the run started. */
  spawned: Spawned[];
  /** Log lines the engine wrote (warnings and errors). */
  logged: string[];
}

export interface EngineRepo extends TestRepo {
  /** `<repo>/.git/claude-tasks`. */
  state: string;
  /**
   * Writes each task file (`name` → YAML), commits them, and returns the named tasks as the real
   * loader makes them (defaults applied). `env` feeds `{{ env.NAME }}` in `agent.env`.
   */
  tasks(files: Record<string, string>, env?: Record<string, string>): Promise<Task[]>;
  /** `runTasks` in `local` mode with the hermetic git and agent environment; `opts` override. */
  run(tasks: Task[], opts?: Partial<RunTasksOptions>): Promise<RunOutcome>;
  /** The agents' base environment: hermetic HOME and git config, and the model server when given. */
  agentEnv(
    server?: ModelServer,
    extra?: Record<string, string | undefined>,
  ): Record<string, string | undefined>;
  /** Where the worktree of `task` in run `runId` lives (for scripted absolute tool paths). */
  worktreePath(task: string, runId: string): string;
  /** Every ref of the repository (`refname objectname`), sorted. */
  refs(): Promise<string[]>;
  /** Local branch names. */
  branches(): Promise<string[]>;
  /** Paths from `git worktree list`. */
  worktrees(): Promise<string[]>;
  /** Files (not directories) under the state directory, relative to it, sorted. */
  stateFiles(): Promise<string[]>;
  runLog(): Promise<LogEntry[]>;
}

export async function makeEngineRepo(opts: MakeRepoOptions = {}): Promise<EngineRepo> {
  intOnly("the engine with the real Claude Code CLI");
  const repo = await makeRepo(opts);
  const state = join(repo.path, ".git", "claude-tasks");

  const agentEnv = (server?: ModelServer, extra: Record<string, string | undefined> = {}) => ({
    PATH: process.env.PATH,
    LANG: "C.UTF-8",
    ...repo.env,
    CLAUDE_CODE_TMPDIR: join(repo.root, "claude-tmp"),
    ANTHROPIC_API_KEY: "sk-ant-test-dummy",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    CLAUDE_CODE_MAX_RETRIES: "0",
    ...(server ? { ANTHROPIC_BASE_URL: server.url } : {}),
    ...extra,
  });

  const tasks = async (files: Record<string, string>, env: Record<string, string> = {}) => {
    for (const [name, yaml] of Object.entries(files)) await repo.write(`${TASK_DIR}/${name}.yml`, yaml);
    await repo.commit(`tasks: ${Object.keys(files).join(", ")}`);
    const dir = join(repo.path, TASK_DIR);
    const all: ConfigFile[] = [];
    for (const name of (await readdir(dir)).sort()) {
      all.push({ path: `${TASK_DIR}/${name}`, text: await readFile(join(dir, name), "utf8") });
    }
    const loaded = parseConfigFiles(all, { configDir: TASK_DIR, env });
    const errors = loaded.problems.filter((p) => p.severity === "error");
    if (errors.length > 0) throw new Error(errors.map(formatProblem).join("\n"));
    return Object.keys(files).map((name) => {
      const task = loaded.tasks.find((t) => t.name === name);
      if (!task) throw new Error(`task ${name} was not loaded`);
      return task;
    });
  };

  const run = async (list: Task[], o: Partial<RunTasksOptions> = {}): Promise<RunOutcome> => {
    await mkdir(join(repo.root, "claude-tmp"), { recursive: true });
    const events: RunEvent[] = [];
    const spawned: Spawned[] = [];
    const logged: string[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      warn: (m) => logged.push(`warning: ${m}`),
      error: (m) => logged.push(`error: ${m}`),
    };
    const report = await runTasks({
      repoRoot: repo.path,
      tasks: list,
      plan: planOf(list, "test"),
      mode: "local",
      gitEnv: repo.env,
      env: agentEnv(),
      claudePath: CLAUDE_PATH,
      killGraceMs: 1_000,
      logger,
      runId: newRunId(),
      ...o,
      onEvent: (e) => {
        events.push(e);
        if (e.type === "agent" && e.event.type === "spawn") spawned.push(spawnOf(e.task, e.event));
        o.onEvent?.(e);
      },
    });
    const byTask = (name: string) => {
      const r = report.results.find((x) => x.task === name);
      if (!r) throw new Error(`no result for ${name}`);
      return r;
    };
    return { report, result: report.results[0]!, byTask, events, spawned, logged };
  };

  const refs = async () =>
    (await repo.git("for-each-ref", "--format=%(refname) %(objectname)")).split("\n").filter(Boolean).sort();

  const stateFiles = async () => {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const p = join(dir, name);
        if ((await lstat(p)).isDirectory()) await walk(p);
        else out.push(relative(state, p));
      }
    };
    await walk(state);
    return out.sort();
  };

  const engine: EngineRepo = {
    ...repo,
    state,
    tasks,
    run,
    agentEnv,
    worktreePath: (task, runId) => join(worktreesDir(state), `${task}-${runId}`),
    refs,
    branches: async () => (await repo.git("branch", "--format=%(refname:short)")).split("\n").filter(Boolean),
    worktrees: async () =>
      (await repo.git("worktree", "list", "--porcelain"))
        .split("\n")
        .filter((l) => l.startsWith("worktree "))
        .map((l) => l.slice("worktree ".length)),
    stateFiles,
    runLog: async () => (await readLog(join(state, "runs.jsonl"))).entries,
  };
  return engine;
}

function spawnOf(task: string, e: Extract<AgentEvent, { type: "spawn" }>): Spawned {
  return { task, pid: e.pid, marker: e.marker };
}

/** Live processes of the agent runs (their group, session, or anything carrying their marker). */
export function leftoverProcesses(spawned: readonly Spawned[]) {
  return spawned.flatMap((s) => processesOf(s.pid, `CLAUDE_TASKS_AGENT_RUN=${s.marker}`));
}

/** Live processes whose command line is exactly `cmdline`. */
export function processesNamed(cmdline: string) {
  return processTable().filter((p) => p.cmdline === cmdline);
}

/**
 * Someone else acts while a task runs: `script` (sh) runs once, right after the agent and before the
 * engine checks the change. A sandboxed task cannot reach the user's repository or a remote clone
 * itself — which is the point — so races with people are staged from the test, through `onEvent`.
 */
export function meanwhile(script: string, env: Record<string, string> = {}): (ev: RunEvent) => void {
  let done = false;
  return (ev) => {
    if (done || ev.type !== "task-phase" || ev.phase !== "checking the change") return;
    done = true;
    execFileSync("sh", ["-ec", script], {
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "Test User",
        GIT_AUTHOR_EMAIL: "test@example.com",
        GIT_COMMITTER_NAME: "Test User",
        GIT_COMMITTER_EMAIL: "test@example.com",
        ...env,
      },
    });
  };
}
