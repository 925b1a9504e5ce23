import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  watchedTasks
} from "./chunk-G57XZF37.js";
import {
  runAndReport
} from "./chunk-5DDYKYRS.js";
import {
  globals,
  printErr,
  validProject
} from "./chunk-7NLGVGZU.js";
import "./chunk-YMVMTDGA.js";
import "./chunk-6SLKI3UE.js";
import "./chunk-WAEONMBT.js";
import "./chunk-OD55LRLJ.js";
import {
  defaultBranch,
  makeRepoContext
} from "./chunk-AWNG4QJT.js";
import {
  assertValid,
  branchNameProblem,
  buildPlan,
  loadProject,
  requireRepoRoot
} from "./chunk-DUTI55RA.js";
import {
  InterruptedError,
  UserError,
  createGit,
  signalExitCode,
  silentLogger,
  stateDir
} from "./chunk-FNPOHAIZ.js";
import "./chunk-AN4M62PA.js";
import "./chunk-4B2DEY7O.js";
import "./chunk-MTYGN2KO.js";

// src/engine/local/watch.ts
import { setTimeout as sleep } from "node:timers/promises";
async function watchBranch(opts) {
  const interval = opts.intervalMs ?? 2e3;
  const debounce = opts.debounceMs ?? 3e3;
  const emit = opts.onEvent ?? (() => {
  });
  const tipOf = () => branchTip(opts.git, opts.branch);
  let tip = await tipOf();
  emit({ type: "watching", branch: opts.branch, tip });
  while (!opts.signal.aborted) {
    if (!await pause(interval, opts.signal)) break;
    let next = await tipOf();
    if (next === tip || next === void 0) continue;
    for (; ; ) {
      if (!await pause(debounce, opts.signal)) return;
      const again = await tipOf();
      if (again === next || again === void 0) break;
      next = again;
    }
    const files = await changedFiles(opts.git, tip, next);
    let tasks;
    try {
      tasks = await opts.loadTasks();
    } catch (error) {
      emit({ type: "run-failed", error });
      tip = next;
      continue;
    }
    const matches = watchedTasks(tasks, files, {
      branch: opts.branch,
      ...opts.base ? { base: opts.base } : {},
      defaultBase: opts.branch
    });
    emit({ type: "moved", from: tip, to: next, files: files.length, tasks: matches.map((m) => m.name) });
    const from = tip ?? next;
    tip = next;
    if (matches.length === 0 || opts.signal.aborted) continue;
    const byName = new Map(tasks.map((t) => [t.name, t]));
    try {
      const report = await opts.run({
        tasks: matches.map((m) => byName.get(m.name)),
        matches,
        from,
        to: next
      });
      emit({ type: "ran", report });
    } catch (error) {
      emit({ type: "run-failed", error });
    }
  }
}
async function branchTip(git, branch) {
  const r = await git.run(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`], {
    allowFailure: true
  });
  return r.exitCode === 0 ? r.stdout.trim() : void 0;
}
async function changedFiles(git, from, to) {
  const args = from ? ["diff", "--name-only", "--no-renames", "-z", from, to, "--"] : ["diff-tree", "-r", "--root", "--no-commit-id", "--name-only", "--no-renames", "-z", to];
  const out = (await git.run(args)).stdout;
  return out.split("\0").filter(Boolean);
}
async function pause(ms, signal) {
  try {
    await sleep(ms, void 0, { signal });
    return true;
  } catch {
    return false;
  }
}

// src/cli/commands/watch-action.ts
async function watchAction(flags, cmd) {
  if (flags.dryRun && flags.pr)
    throw new UserError("--dry-run and --pr exclude each other (a dry run never pushes)");
  const problem = flags.branch !== void 0 ? branchNameProblem(flags.branch) : void 0;
  if (problem)
    throw new UserError(`--branch ${JSON.stringify(flags.branch)} is not a branch name: ${problem}`);
  await requireRepoRoot(globals(cmd).cwd ?? process.cwd());
  const project = await validProject(cmd);
  const git = createGit({ cwd: project.repoRoot });
  const branch = flags.branch ?? await defaultBranch(
    await makeRepoContext({ git, state: await stateDir(git), mode: "local", logger: silentLogger })
  );
  const say = (line) => {
    if (!flags.quiet) printErr(line);
  };
  const stop = new AbortController();
  let stoppedBy;
  const onSignal = (signal) => {
    if (stoppedBy) process.exit(signalExitCode(signal));
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
      loadTasks: async () => assertValid(await loadProject({ cwd: project.repoRoot, configDir: globals(cmd).configDir })).tasks,
      run: (req) => runAndReport(project, req.tasks, flags, {
        trigger: `watch ${branch} ${req.to.slice(0, 12)}`,
        signal: stop.signal,
        // the plan says why each task runs (the files that matched)
        plan: buildPlan({
          tasks: req.tasks,
          selected: req.matches.map((m) => ({ name: m.name, reason: m.reason })),
          now: /* @__PURE__ */ new Date()
        })
      }),
      onEvent: (e) => {
        if (e.type === "watching")
          say(`watching ${branch} (at ${e.tip?.slice(0, 12) ?? "no commit yet"}); Ctrl-C to stop`);
        if (e.type === "moved")
          say(
            `${branch}: ${e.from?.slice(0, 12) ?? "(new)"} \u2192 ${e.to.slice(0, 12)}, ${e.files} changed file(s); ${e.tasks.length > 0 ? `running ${e.tasks.join(", ")}` : "no task watches them"}`
          );
        if (e.type === "run-failed" && !(e.error instanceof InterruptedError) && e.error instanceof UserError)
          say(`claude-tasks: ${e.error.message}`);
      }
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  if (stoppedBy) throw new InterruptedError(stoppedBy);
}
export {
  watchAction
};
