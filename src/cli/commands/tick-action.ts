import type { Command } from "commander";
import { TaskFailedError, UserError } from "../../engine/errors.ts";
import { createGit, stateDir } from "../../engine/git/index.ts";
import { tick } from "../../engine/local/tick.ts";
import { requireRepoRoot } from "../../engine/project.ts";
import { globals, validProject } from "../context.ts";
import { paint, print, printErr, printJson } from "../output.ts";
import { githubPublisherFromEnv } from "../publisher.ts";
import type { TickFlags } from "./flags.ts";
import { runAndReport } from "./run-action.ts";

export async function tickAction(flags: TickFlags, cmd: Command): Promise<void> {
  if (flags.dryRun && flags.pr)
    throw new UserError("--dry-run and --pr exclude each other (a dry run never pushes)");
  await requireRepoRoot(globals(cmd).cwd ?? process.cwd());
  const project = await validProject(cmd);
  // --pr without a token would fail after the fire times were claimed (and so lost): check first
  if (flags.pr) await githubPublisherFromEnv(project.repoRoot);
  const git = createGit({ cwd: project.repoRoot });
  const now = flags.now ?? new Date();
  const mode = flags.dryRun ? "dry-run" : flags.pr ? "pr" : "local";
  const say = (line: string) => {
    if (!flags.json && !flags.quiet) printErr(line);
  };
  const result = await tick({
    git,
    stateDir: await stateDir(git),
    tasks: project.tasks,
    now,
    mode,
    run: async (req) => {
      for (const t of req.tasks) say(`${paint("bold", t.name)}: due`);
      return runAndReport(project, req.tasks, flags, {
        silent: Boolean(flags.json),
        runId: req.runId,
        trigger: req.trigger,
        plan: req.plan,
      });
    },
  });
  if (result.status === "busy") {
    const h = result.holder;
    const line = h
      ? `another tick is running (pid ${h.pid} on ${h.host}, since ${h.startedAt}); nothing to do`
      : "another tick is starting; nothing to do";
    if (flags.json) printJson({ status: "busy", holder: h ?? null });
    else print(line);
    return;
  }
  for (const note of result.notes) say(note);
  if (flags.json) {
    printJson({
      status: result.status,
      now: now.toISOString(),
      state: result.state,
      due: result.due.map((d) => ({
        name: d.name,
        fireTimes: d.fireTimes.map((t) => t.toISOString()),
        missedCount: d.missedCount,
        reason: d.reason,
      })),
      plan: result.plan,
      report: result.report ?? null,
    });
    if (result.report && !result.report.ok) throw new TaskFailedError("a task failed");
    return;
  }
  if (result.status === "nothing-due") print(`nothing due at ${now.toISOString()}`);
}
