import type { Command } from "commander";
import { branchNameProblem } from "../../engine/config/index.ts";
import { InterruptedError, signalExitCode, UserError } from "../../engine/errors.ts";
import { createGit, stateDir } from "../../engine/git/index.ts";
import { watchBranch } from "../../engine/local/watch.ts";
import { silentLogger } from "../../engine/logger.ts";
import { buildPlan } from "../../engine/plan/index.ts";
import { assertValid, loadProject, requireRepoRoot } from "../../engine/project.ts";
import { defaultBranch, makeRepoContext } from "../../engine/run/repo-context.ts";
import { globals, validProject } from "../context.ts";
import { printErr } from "../output.ts";
import type { WatchFlags } from "./flags.ts";
import { runAndReport } from "./run-action.ts";

export async function watchAction(flags: WatchFlags, cmd: Command): Promise<void> {
  if (flags.dryRun && flags.pr)
    throw new UserError("--dry-run and --pr exclude each other (a dry run never pushes)");
  const problem = flags.branch !== undefined ? branchNameProblem(flags.branch) : undefined;
  if (problem)
    throw new UserError(`--branch ${JSON.stringify(flags.branch)} is not a branch name: ${problem}`);
  await requireRepoRoot(globals(cmd).cwd ?? process.cwd());
  const project = await validProject(cmd);
  const git = createGit({ cwd: project.repoRoot });
  const branch =
    flags.branch ??
    (await defaultBranch(
      await makeRepoContext({ git, state: await stateDir(git), mode: "local", logger: silentLogger }),
    ));
  const say = (line: string) => {
    if (!flags.quiet) printErr(line);
  };
  const stop = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppedBy) process.exit(signalExitCode(signal)); // second Ctrl-C: leave now
    stoppedBy = signal;
    stop.abort(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await watchBranch({
      git,
      branch,
      intervalMs: flags.interval,
      debounceMs: flags.debounce,
      signal: stop.signal,
      loadTasks: async () =>
        assertValid(await loadProject({ cwd: project.repoRoot, configDir: globals(cmd).configDir })).tasks,
      run: (req) =>
        runAndReport(project, req.tasks, flags, {
          trigger: `watch ${branch} ${req.to.slice(0, 12)}`,
          signal: stop.signal,
          // the plan says why each task runs (the files that matched)
          plan: buildPlan({
            tasks: req.tasks,
            selected: req.matches.map((m) => ({ name: m.name, reason: m.reason })),
            now: new Date(),
          }),
        }),
      onEvent: (e) => {
        if (e.type === "watching")
          say(`watching ${branch} (at ${e.tip?.slice(0, 12) ?? "no commit yet"}); Ctrl-C to stop`);
        if (e.type === "moved")
          say(
            `${branch}: ${e.from?.slice(0, 12) ?? "(new)"} → ${e.to.slice(0, 12)}, ${e.files} changed file(s); ${e.tasks.length > 0 ? `running ${e.tasks.join(", ")}` : "no task watches them"}`,
          );
        if (e.type === "run-failed" && !(e.error instanceof InterruptedError) && e.error instanceof UserError)
          say(`claude-tasks: ${e.error.message}`);
      },
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  if (stoppedBy) throw new InterruptedError(stoppedBy);
}
