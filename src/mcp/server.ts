/**
 * `claude-tasks mcp`: the engine as an MCP server, so a Claude Code session can list, preview and run
 * tasks, delegate an ad-hoc prompt to a background task in its own worktree, and follow, wait for and
 * cancel those runs. Every run is `runTasks` (see engine/runs/registry.ts); this file only maps tools
 * to engine calls. Everything a tool returns may carry text from agents or the repository, so every
 * string in a result is escaped (hidden and control characters shown as escapes) before it is sent.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { redactTask } from "../engine/config/index.ts";
import { errorMessage, formatProblem, UserError } from "../engine/errors.ts";
import { readDefaultsFile } from "../engine/event/adhoc-task.ts";
import { createGit, damagedBackups, listBackups, restoreBackup, stateDir } from "../engine/git/index.ts";
import { buildPlan, toMatrix } from "../engine/plan/index.ts";
import { assertValid, hasErrors, loadProject, type Project } from "../engine/project.ts";
import { oneLine } from "../engine/report/escape.ts";
import type { RunMode, RunTasksOptions } from "../engine/run/index.ts";
import { delegatedTask } from "../engine/runs/delegate.ts";
import type { BackgroundRecord } from "../engine/runs/record.ts";
import { type BackgroundRuns, UnknownRunError } from "../engine/runs/registry.ts";
import { dueTasks, nextFireTimes } from "../engine/schedule/index.ts";
import { selectTasks } from "../engine/select-tasks.ts";
import { z } from "../engine/zod.ts";
import {
  agentInput,
  baseInput,
  limitsInput,
  modeInput,
  pathsInput,
  promptInput,
  runIdInput,
  taskNameInput,
} from "./schemas.ts";

export interface McpServerOptions {
  repoRoot: string;
  configDir: string;
  runs: BackgroundRuns;
  version: string;
  env?: Record<string, string | undefined>;
}

type ToolResult = { content: { type: "text"; text: string }[]; isError?: boolean };

/** Every string shown with its hidden and control characters as visible escapes (newlines kept). */
export function visible(value: unknown): unknown {
  if (typeof value === "string")
    return value
      .split("\n")
      .map((l) => oneLine(l))
      .join("\n");
  if (Array.isArray(value)) return value.map(visible);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [oneLine(k), visible(v)]));
  return value;
}

function ok(value: unknown): ToolResult {
  return { content: [{ type: "text", text: JSON.stringify(visible(value), null, 2) }] };
}

function failure(err: unknown): ToolResult {
  const known = err instanceof UserError || err instanceof UnknownRunError;
  const message = known ? err.message : `claude-tasks: ${errorMessage(err)}`;
  return { content: [{ type: "text", text: visible(message) as string }], isError: true };
}

/** Wraps a handler: results and errors go out escaped; bad input is an error result, never a crash. */
function tool<A>(fn: (args: A) => Promise<unknown>): (args: A) => Promise<ToolResult> {
  return async (args) => {
    try {
      return ok(await fn(args));
    } catch (err) {
      return failure(err);
    }
  };
}

/** What a client sees of a run: its status and, once it ended, each task's outcome. */
export function runSummary(r: BackgroundRecord, opts: { log?: number } = {}) {
  return {
    runId: r.id,
    kind: r.kind,
    mode: r.mode,
    tasks: r.tasks,
    needs: r.needs,
    status: r.status,
    createdAt: r.createdAt,
    ...(r.startedAt ? { startedAt: r.startedAt } : {}),
    ...(r.endedAt ? { endedAt: r.endedAt } : {}),
    ...(r.message ? { message: r.message } : {}),
    ...(r.report
      ? {
          results: r.report.results.map((t) => ({
            task: t.task,
            status: t.status,
            message: t.message,
            branch: t.branch,
            base: t.base,
            ...(t.commit ? { commit: t.commit } : {}),
            files: t.files.map((f) => `${f.status} ${f.path} (+${f.additions} -${f.deletions})`),
            ...(t.agent?.summary ? { summary: t.agent.summary } : {}),
            ...(t.backup ? { backup: t.backup } : {}),
            ...(t.pr?.url ? { pullRequest: t.pr.url } : {}),
            ...(t.violations.length > 0 ? { violations: t.violations.map((v) => v.message) } : {}),
          })),
          costUsd: r.report.totalCostUsd,
        }
      : {}),
    ...(opts.log ? { log: r.log.slice(-opts.log) } : {}),
  };
}

export function createMcpServer(o: McpServerOptions): McpServer {
  const server = new McpServer(
    { name: "claude-tasks", version: o.version },
    {
      instructions:
        "claude-tasks runs Claude Code tasks of this repository in their own git worktrees, checked by guard rails and backed up. " +
        "Use delegate to hand a self-contained piece of work to a background Claude Code instance; it answers at once with a run id. " +
        "Follow it with run_status / run_logs, wait_run for its end; its result is a branch (claude-tasks/<task>) you can inspect with git.",
    },
  );
  const project = async (): Promise<Project> =>
    loadProject({ cwd: o.repoRoot, configDir: o.configDir, ...(o.env ? { env: o.env } : {}) });
  const state = async () => stateDir(createGit({ cwd: o.repoRoot }));

  server.registerTool(
    "list_tasks",
    {
      title: "List tasks",
      description:
        "The repository's tasks (defaults applied) with their schedules, next fire time and needs.",
      annotations: { readOnlyHint: true },
    },
    tool(async () => {
      const p = assertValid(await project());
      const now = new Date();
      return {
        tasks: p.tasks.map((t) => ({
          ...redactTask(t),
          next: t.enabled ? (nextFireTimes(t, { from: now, count: 1 })[0]?.toISOString() ?? null) : null,
        })),
      };
    }),
  );

  server.registerTool(
    "validate",
    {
      title: "Validate tasks",
      description:
        "Checks every task file, the schedules and the task graph; lists each problem with file:line:col.",
      annotations: { readOnlyHint: true },
    },
    tool(async () => {
      const p = await project();
      return {
        valid: !hasErrors(p.problems),
        tasks: p.tasks.map((t) => t.name),
        problems: p.problems.map(formatProblem),
      };
    }),
  );

  server.registerTool(
    "next",
    {
      title: "Preview fire times",
      description: "The next fire times of one task, or of every scheduled task (`claude-tasks next`).",
      inputSchema: {
        task: z.string().optional().describe("A task name or glob (default: every scheduled task)."),
        count: z.number().int().min(1).max(100).default(5).describe("How many fire times per task."),
        from: z.iso
          .datetime({ offset: true })
          .optional()
          .describe("Start the preview here instead of now (ISO 8601)."),
      },
      annotations: { readOnlyHint: true },
    },
    tool(async (a: { task?: string; count: number; from?: string }) => {
      const p = assertValid(await project());
      const from = a.from ? new Date(a.from) : new Date();
      const tasks = a.task ? selectTasks(p.tasks, [a.task]) : p.tasks.filter((t) => t.schedule.length > 0);
      return {
        from: from.toISOString(),
        tasks: tasks.map((t) => ({
          name: t.name,
          schedule: t.schedule,
          timezone: t.timezone,
          enabled: t.enabled,
          fireTimes: nextFireTimes(t, { from, count: a.count }).map((d) => d.toISOString()),
        })),
      };
    }),
  );

  server.registerTool(
    "plan",
    {
      title: "Plan",
      description: "Which tasks are due and how they group, as `claude-tasks plan` (the Action's matrix).",
      inputSchema: {
        tasks: z.array(z.string()).optional().describe("Limit the plan to these task names or globs."),
        since: z.iso
          .datetime({ offset: true })
          .optional()
          .describe("Only tasks with a fire time after this time."),
        now: z.iso
          .datetime({ offset: true })
          .optional()
          .describe("Evaluate the schedules at this time instead of now."),
      },
      annotations: { readOnlyHint: true },
    },
    tool(async (a: { tasks?: string[]; since?: string; now?: string }) => {
      const now = a.now ? new Date(a.now) : new Date();
      const since = a.since ? new Date(a.since) : undefined;
      if (since && since > now)
        throw new UserError(`since ${since.toISOString()} is after now: nothing can be due`);
      const p = assertValid(await project());
      const pool = a.tasks && a.tasks.length > 0 ? selectTasks(p.tasks, a.tasks) : p.tasks;
      const selected = since
        ? dueTasks(pool, { since, now }).map((d) => ({
            name: d.name,
            fireTimes: d.fireTimes,
            reason: d.reason,
          }))
        : pool.filter((t) => t.enabled).map((t) => ({ name: t.name, reason: "manual" }));
      const plan = buildPlan({ tasks: p.tasks, selected, now, since });
      return { ...plan, matrix: toMatrix(plan) };
    }),
  );

  server.registerTool(
    "run_tasks",
    {
      title: "Run tasks",
      description:
        "Starts tasks of the repository in the background, each in its own worktree, checked and backed up as `claude-tasks run`; " +
        "answers at once with a run id (follow it with run_status, run_logs, wait_run).",
      inputSchema: {
        tasks: z.array(z.string().min(1)).min(1).describe("Task names or globs ('docs-*')."),
        mode: modeInput,
        base: baseInput.describe(
          "Base branch for every task (default: the task's base, else the default branch).",
        ),
        needs: z.array(runIdInput).optional().describe("Run ids that must succeed first."),
      },
    },
    tool(async (a: { tasks: string[]; mode: RunMode; base?: string; needs?: string[] }) => {
      const p = assertValid(await project());
      const record = await o.runs.start({
        kind: "tasks",
        tasks: selectTasks(p.tasks, a.tasks),
        mode: a.mode,
        ...(a.base ? { base: a.base } : {}),
        ...(a.needs ? { needs: a.needs } : {}),
      });
      return runSummary(record);
    }),
  );

  server.registerTool(
    "delegate",
    {
      title: "Delegate a prompt",
      description:
        "Hands a self-contained prompt to a background Claude Code instance, run once as a task in its own worktree with the " +
        "repository's _defaults.yml (tools, paths, limits) and the same guard rails and sandbox as every task. Answers at once " +
        "with a run id; when it succeeded in `local` mode the change is on the branch claude-tasks/<name>.",
      inputSchema: {
        prompt: promptInput,
        name: taskNameInput.describe(
          "Task name; the branch is claude-tasks/<name>. Default: delegate-<random>.",
        ),
        mode: modeInput,
        needs: z.array(runIdInput).optional().describe("Run ids that must succeed before this one starts."),
        base: baseInput,
        agent: agentInput.optional(),
        paths: pathsInput.optional(),
        limits: limitsInput.optional(),
      },
    },
    tool(
      async (a: {
        prompt: string;
        name?: string;
        mode: RunMode;
        needs?: string[];
        base?: string;
        agent?: Record<string, unknown>;
        paths?: Record<string, unknown>;
        limits?: Record<string, unknown>;
      }) => {
        const p = await project();
        const task = delegatedTask({
          prompt: a.prompt,
          ...(a.name ? { name: a.name } : {}),
          ...(a.agent ? { agent: a.agent } : {}),
          ...(a.paths ? { paths: a.paths } : {}),
          ...(a.limits ? { limits: a.limits } : {}),
          ...(a.base ? { base: a.base } : {}),
          configDir: p.configDir,
          defaults: await readDefaultsFile(p.repoRoot, p.configDir),
          env: o.env ?? process.env,
          taken: p.tasks.map((t) => t.name),
        });
        const record = await o.runs.start({
          kind: "delegate",
          tasks: [task],
          mode: a.mode,
          ...(a.needs ? { needs: a.needs } : {}),
        });
        return { ...runSummary(record), task: task.name, branch: task.branch };
      },
    ),
  );

  server.registerTool(
    "run_status",
    {
      title: "Run status",
      description:
        "The status of one background run (and each task's outcome once it ended), or of every run this repository's server started — also those of earlier servers.",
      inputSchema: { runId: runIdInput.optional() },
      annotations: { readOnlyHint: true },
    },
    tool(async (a: { runId?: string }) => {
      if (!a.runId) return { runs: (await o.runs.list()).map((r) => runSummary(r)) };
      const r = await o.runs.get(a.runId);
      if (!r) throw new UnknownRunError(a.runId);
      return runSummary(r);
    }),
  );

  server.registerTool(
    "run_logs",
    {
      title: "Run logs",
      description:
        "The progress lines of a background run: phases, the agent's messages and tool calls, each task's end.",
      inputSchema: {
        runId: runIdInput,
        tail: z.number().int().min(1).max(500).default(100).describe("Only the last N lines."),
      },
      annotations: { readOnlyHint: true },
    },
    tool(async (a: { runId: string; tail: number }) => {
      const r = await o.runs.get(a.runId);
      if (!r) throw new UnknownRunError(a.runId);
      return { runId: r.id, status: r.status, log: r.log.slice(-a.tail) };
    }),
  );

  server.registerTool(
    "wait_run",
    {
      title: "Wait for a run",
      description:
        "Waits until a background run has ended, or the timeout passed (then `timedOut` is true and the run goes on).",
      inputSchema: {
        runId: runIdInput,
        timeoutSeconds: z.number().min(0).max(3600).default(300).describe("Longest wait, in seconds."),
      },
      annotations: { readOnlyHint: true },
    },
    tool(async (a: { runId: string; timeoutSeconds: number }) => {
      const { record, timedOut } = await o.runs.wait(a.runId, a.timeoutSeconds * 1000);
      return { ...runSummary(record), timedOut };
    }),
  );

  server.registerTool(
    "cancel_run",
    {
      title: "Cancel a run",
      description:
        "Cancels a background run: its agents are stopped and their work is kept as a patch backup (see list_backups).",
      inputSchema: { runId: runIdInput },
      annotations: { destructiveHint: true },
    },
    tool(async (a: { runId: string }) => runSummary(await o.runs.cancel(a.runId))),
  );

  server.registerTool(
    "list_backups",
    {
      title: "List backups",
      description: "Patch backups of task runs, newest first (`claude-tasks backups`).",
      inputSchema: { task: z.string().optional().describe("Only this task's backups.") },
      annotations: { readOnlyHint: true },
    },
    tool(async (a: { task?: string }) => {
      const s = await state();
      const all = (await listBackups(s)).filter((b) => !a.task || b.meta.task === a.task);
      return {
        backups: all.map((b) => ({ ...b.meta, id: b.id, size: b.size })),
        damaged: await damagedBackups(s),
      };
    }),
  );

  server.registerTool(
    "restore_backup",
    {
      title: "Restore a backup",
      description:
        "Puts a backup's change on a new branch (default claude-tasks/restore/<backup>), as `claude-tasks restore`.",
      inputSchema: {
        backup: z.string().min(1).describe("A backup id from list_backups."),
        branch: z.string().optional().describe("The new branch's name."),
      },
    },
    tool(async (a: { backup: string; branch?: string }) => {
      const git = createGit({ cwd: o.repoRoot });
      return restoreBackup({ git, id: a.backup, stateDir: await stateDir(git), branch: a.branch });
    }),
  );

  return server;
}

/** Options of a run for its mode, computed by the adapter (the CLI's GitHub publisher for `pr`). */
export type ForMode = (mode: RunMode) => Promise<Partial<RunTasksOptions>>;
