import { join } from "node:path";
import type { Command } from "commander";
import { createRunControl } from "../../engine/budget/index.ts";
import type { Task } from "../../engine/config/index.ts";
import { branchNameProblem } from "../../engine/config/index.ts";
import { InterruptedError, signalExitCode, TaskFailedError, UserError } from "../../engine/errors.ts";
import { backupsDir, createGit, type Git, readPatchText, stateDir } from "../../engine/git/index.ts";
import type { GitHub } from "../../engine/github/client.ts";
import { expireStalePullRequests } from "../../engine/github/expire.ts";
import { stderrLogger } from "../../engine/logger.ts";
import { planOf, type RunPlan } from "../../engine/plan/index.ts";
import type { Project } from "../../engine/project.ts";
import { requireRepoRoot } from "../../engine/project.ts";
import { renderRunText } from "../../engine/report/terminal.ts";
import { type RunMode, type RunReport, runTasks } from "../../engine/run/index.ts";
import type { Isolation } from "../../engine/sandbox/types.ts";
import { selectTasks } from "../../engine/select-tasks.ts";
import { globals, validProject } from "../context.ts";
import { paint, print, printJson } from "../output.ts";
import { createProgress } from "../progress.ts";
import { githubPublisherFromEnv } from "../publisher.ts";

export interface RunFlags {
  dryRun?: boolean;
  pr?: boolean;
  maxParallel: number;
  json?: boolean;
  diff?: boolean;
  quiet?: boolean;
  base?: string;
  isolation: Isolation;
}

export async function runAction(names: string[], flags: RunFlags, cmd: Command): Promise<void> {
  if (flags.dryRun && flags.pr)
    throw new UserError("--dry-run and --pr exclude each other (a dry run never pushes)");
  const baseProblem = flags.base !== undefined ? branchNameProblem(flags.base) : undefined;
  if (baseProblem)
    throw new UserError(`--base ${JSON.stringify(flags.base)} is not a branch name: ${baseProblem}`);
  // A run needs a work tree: say so before any problem of the task files found outside one.
  await requireRepoRoot(globals(cmd).cwd ?? process.cwd());
  const project = await validProject(cmd);
  const tasks = selectTasks(project.tasks, names);
  await runAndReport(project, tasks, flags);
}

/** Extra details of a run started by `tick` or `watch`. */
export interface RunExtras {
  runId?: string;
  trigger?: string;
  /** The plan to run (tick: the schedule's, with fire times); default `tasks` as they are. */
  plan?: RunPlan;
  /** Print nothing and leave a failed task to the caller (which prints its own JSON, holding the report). */
  silent?: boolean;
  /** Stops the run as Ctrl-C does (the watcher's own shutdown). */
  signal?: AbortSignal;
}

/**
 * Runs `tasks` with the sandbox, progress and Ctrl-C handling of `run`, prints the report, and throws
 * (exit code only) when the run was interrupted or a task failed.
 */
export async function runAndReport(
  project: Project,
  tasks: Task[],
  flags: RunFlags,
  extras: RunExtras = {},
): Promise<RunReport> {
  const mode: RunMode = flags.dryRun ? "dry-run" : flags.pr ? "pr" : "local";
  const publisher = flags.pr ? await githubPublisherFromEnv(project.repoRoot) : undefined;
  // the ledger, budgets and locks: the remote's state ref when publishing, this repository's otherwise
  const git = createGit({ cwd: project.repoRoot, authEnv: publisher?.gitEnv, logger: stderrLogger() });
  if (publisher && mode === "pr") await expireStale(tasks, publisher.gh, git, flags.base);
  // Local and dry runs keep a ledger in this repository only for tasks that set a budget: a lock taken by
  // a local run that was killed would otherwise hold its task until the lock expires (hours), and local
  // runs of one repository already never share a worktree or a branch update.
  const ledgered = mode === "pr" || tasks.some((t) => t.budget !== undefined);
  const control = ledgered
    ? createRunControl({
        git,
        remote: mode === "pr" ? "origin" : ".",
        logger: stderrLogger(),
      })
    : undefined;

  const progress = createProgress({
    tty: Boolean(process.stderr.isTTY),
    quiet: flags.quiet || flags.json,
  });
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (abort.signal.aborted) process.exit(signalExitCode(signal)); // second Ctrl-C: leave now
    process.stderr.write(`\n${signal}: stopping running tasks and backing up their work…\n`);
    abort.abort(signal);
  };
  // A caller with its own signal (the watcher) handles Ctrl-C itself and stops the run through it.
  if (!extras.signal) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  const onOuterAbort = () => {
    if (abort.signal.aborted) return;
    const reason = (extras.signal?.reason as NodeJS.Signals | undefined) ?? "SIGINT";
    process.stderr.write(`\n${reason}: stopping running tasks and backing up their work…\n`);
    abort.abort(reason);
  };
  if (extras.signal?.aborted) onOuterAbort();
  extras.signal?.addEventListener("abort", onOuterAbort, { once: true });
  let report: Awaited<ReturnType<typeof runTasks>>;
  try {
    report = await runTasks({
      repoRoot: project.repoRoot,
      tasks,
      plan: extras.plan ?? planOf(tasks, "cli"),
      mode,
      isolation: flags.isolation,
      maxParallel: flags.maxParallel,
      base: flags.base,
      publisher: publisher?.publisher,
      gitEnv: publisher?.gitEnv,
      claudePath: process.env.CLAUDE_TASKS_CLAUDE || undefined,
      onEvent: progress.onEvent,
      logger: stderrLogger(),
      signal: abort.signal,
      trigger: extras.trigger ?? "cli",
      ...(extras.runId ? { runId: extras.runId } : {}),
      ...(control ? { control } : {}),
    });
  } finally {
    progress.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    extras.signal?.removeEventListener("abort", onOuterAbort);
  }
  if (extras.silent) {
    // the caller prints
  } else if (flags.json) printJson(report);
  else print(renderRunText(report, (f, t) => paint(f, t)));
  if (flags.diff && !flags.json && !extras.silent)
    await printDiffs(
      project.repoRoot,
      report.results.map((r) => r.backup),
    );
  if (abort.signal.aborted) throw new InterruptedError(abort.signal.reason as NodeJS.Signals);
  if (!report.ok && !extras.silent) throw new TaskFailedError("a task failed");
  return report;
}

async function printDiffs(repoRoot: string, backups: (string | undefined)[]): Promise<void> {
  const dir = backupsDir(await stateDir(createGit({ cwd: repoRoot })));
  for (const id of backups) {
    if (!id) continue;
    const patch = await readPatchText(join(dir, id, "changes.patch"));
    print(`\n${paint("bold", `diff of ${id}`)}\n${patch}`);
  }
}

/** `pr.expires`, before the tasks run (see engine/github/expire.ts); problems are warnings. */
async function expireStale(tasks: Task[], gh: GitHub, git: Git, base: string | undefined): Promise<void> {
  const list = tasks.flatMap((t) =>
    t.pr.expires ? [{ task: t.name, branch: t.branch, base: base ?? t.base, expires: t.pr.expires }] : [],
  );
  if (list.length === 0) return;
  for (const o of await expireStalePullRequests(list, { gh, git, remote: "origin" })) {
    if (o.error)
      process.stderr.write(`warning: ${o.task}: could not check its pull request's age: ${o.error}\n`);
    else if (o.result?.action === "closed")
      process.stderr.write(
        `${o.task}: closed pull request #${o.result.number} (older than pr.expires, no human commits); its branch is kept as ${o.result.backup}\n`,
      );
  }
}
