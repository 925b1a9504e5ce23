/**
 * The publish side of the privilege split (`mode: publish`): takes the results the run jobs handed
 * over (see format.ts), and for each task checks the change again from scratch and lands it the way a
 * single-job run does — commit, rebase onto the latest base or report the conflict, leased push, the
 * task's pull request.
 *
 * It runs no task code: no agent, no `run:` command (the agent it hands to `land` refuses to run). It
 * trusts nothing the run job says beyond display text:
 * - the task definition (paths, limits, branch, PR settings) comes from the latest tip of the base
 *   branch, fetched here, not from the run job's checkout or its result;
 * - the change is the bundle's tree, checked out as plain files into a worktree of the engine's own
 *   and collected and guarded with the same code as a single-job run (`collectChanges`, `runGuards`);
 * - the bundle's commit must sit directly on a commit of the base branch: a bundle cannot carry its
 *   own history (a "base" that already holds a workflow file) into the pushed branch;
 * - the commit that is pushed is made here, with the bot identity and the task's trailers.
 */
import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Agent } from "../agent/index.ts";
import type { Task } from "../config/index.ts";
import { errorMessage, UserError } from "../errors.ts";
import { createGit, createWorktree, type Env, type Git, isAncestor, stateDir } from "../git/index.ts";
import { type Logger, silentLogger } from "../logger.ts";
import { orIfMissing } from "../missing.ts";
import { compareCodeUnits } from "../order.ts";
import { assertValid, loadProject } from "../project.ts";
import { checkChange, refuseViolations } from "../run/check-change.ts";
import { land } from "../run/land.ts";
import type { Publisher, RunEvent } from "../run/options.ts";
import { baseTip, defaultBranch, makeRepoContext, type RepoContext } from "../run/repo-context.ts";
import { newResult } from "../run/result.ts";
import { newRunId } from "../run/run-id.ts";
import { appendLog, runLogPath, taskEntry } from "../run/run-log.ts";
import { assembleReport } from "../run/run-report.ts";
import { type RunTaskOptions, startingPoint } from "../run/run-task.ts";
import type { RunReport, TaskResult } from "../run/types.ts";
import {
  BUNDLE_FILE,
  displayAgent,
  EXPORT_REF,
  ExportedResult,
  MAX_RESULT_BYTES,
  RESULT_FILE,
} from "./format.ts";

export interface PublishResultsOptions {
  /** The publish job's checkout (its `origin` is pushed to). */
  repoRoot: string;
  /** Where the run jobs' artifacts were downloaded (one directory per task, at any depth up to 2). */
  dir: string;
  /** The task directory, read from the base branch's latest tip. */
  configDir: string;
  /** `pr` pushes and opens PRs; `dry-run` only reports what it would do. */
  mode: "pr" | "dry-run";
  /** Overrides every task's base (and is where the task definitions are read from). */
  base?: string;
  remote?: string;
  publisher?: Publisher;
  gitEnv?: Env;
  /** For `{{ env.NAME }}` in the task files. */
  env?: Record<string, string | undefined>;
  logger?: Logger;
  onEvent?: (e: RunEvent) => void;
  runId?: string;
  trigger?: string;
}

interface HandedOver {
  result: ExportedResult;
  bundle?: string;
  from: string;
}

const LANDABLE = new Set(["success", "conflict"]);

export async function publishResults(opts: PublishResultsOptions): Promise<RunReport> {
  const started = Date.now();
  const logger = opts.logger ?? silentLogger;
  const emit = (e: RunEvent) => opts.onEvent?.(e);
  const git = createGit({ cwd: opts.repoRoot, authEnv: opts.gitEnv, logger });
  const state = await stateDir(git);
  const repo = await makeRepoContext({
    git,
    state,
    mode: opts.mode,
    remote: opts.remote,
    previewsPullRequests: true, // tips always come from the remote
    logger,
  });
  const runId = opts.runId ?? newRunId();
  const defaultBase = opts.base ?? (await defaultBranch(repo));
  const tasks = await trustedTasks(repo, opts, defaultBase, runId);
  const handed = await readHandedOver(opts.dir, logger);

  const byName = new Map(tasks.map((t) => [t.name, t]));
  const seen = new Set<string>();
  const todo: { task: Task; h: HandedOver }[] = [];
  for (const h of handed) {
    const task = byName.get(h.result.task);
    if (!task) {
      logger.warn(`${h.from}: no task \`${h.result.task.slice(0, 64)}\` on \`${defaultBase}\`; ignored`);
      continue;
    }
    if (seen.has(task.name)) {
      logger.warn(`${h.from}: a second result for \`${task.name}\`; ignored`);
      continue;
    }
    seen.add(task.name);
    todo.push({ task, h });
  }
  // In the order of the task files, like a run.
  todo.sort((a, b) => tasks.indexOf(a.task) - tasks.indexOf(b.task));
  emit({ type: "run-start", runId, mode: opts.mode, tasks: todo.map((t) => t.task.name) });

  const results: TaskResult[] = [];
  for (const { task, h } of todo) {
    const base = opts.base ?? task.base ?? defaultBase;
    const r = await publishOne({ repo, task, h, base, runId, opts, emit });
    results.push(r);
    emit({ type: "task-end", task: r.task, status: r.status, message: r.message, result: r });
    await appendLog(runLogPath(state), taskEntry(runId, opts.mode, r)).catch((err) =>
      logger.warn(`could not write the run log: ${errorMessage(err)}`),
    );
  }

  const report = await assembleReport({
    git,
    runId,
    mode: opts.mode,
    started,
    ...(opts.trigger ? { trigger: opts.trigger } : {}),
    results,
  });
  emit({ type: "run-end", ok: report.ok, durationMs: report.durationMs });
  return report;
}

/**
 * The task definitions of the base branch's latest tip (fetched now), read from a worktree of the
 * engine's own: never the run job's checkout, never what the run job says.
 */
async function trustedTasks(
  repo: RepoContext,
  opts: PublishResultsOptions,
  branch: string,
  runId: string,
): Promise<Task[]> {
  const tip = await baseTip(repo, branch);
  await using wt = await createWorktree({
    git: repo.git,
    task: "publish-config",
    runId,
    base: tip,
    branch,
    stateDir: repo.state,
    logger: repo.logger,
  });
  wt.markSaved(); // nothing in it is work
  const project = await loadProject({ cwd: wt.path, configDir: opts.configDir, env: opts.env ?? {} });
  return assertValid(project).tasks;
}

/** Every `result.json` under `dir` (at most two levels down), parsed as untrusted data. */
async function readHandedOver(dir: string, logger: Logger): Promise<HandedOver[]> {
  const out: HandedOver[] = [];
  const visit = async (d: string, depth: number): Promise<void> => {
    const entries = await orIfMissing(readdir(d, { withFileTypes: true }), []);
    for (const e of entries.sort((a, b) => compareCodeUnits(a.name, b.name))) {
      if (e.isDirectory() && depth < 2) await visit(join(d, e.name), depth + 1);
    }
    const file = join(d, RESULT_FILE);
    const info = await orIfMissing(lstat(file), undefined);
    if (!info) return;
    const from = file.slice(dir.length + 1) || RESULT_FILE;
    if (!info.isFile() || info.size > MAX_RESULT_BYTES) {
      logger.warn(`${from}: not a regular file of at most ${MAX_RESULT_BYTES} bytes; ignored`);
      return;
    }
    let parsed: ReturnType<typeof ExportedResult.safeParse>;
    try {
      parsed = ExportedResult.safeParse(JSON.parse(await readFile(file, "utf8")));
    } catch {
      logger.warn(`${from}: not JSON; ignored`);
      return;
    }
    if (!parsed.success) {
      logger.warn(`${from}: not a claude-tasks result; ignored`);
      return;
    }
    const bundle = join(d, BUNDLE_FILE);
    const hasBundle = await isBundleFile(bundle);
    out.push({ result: parsed.data, from, ...(hasBundle ? { bundle } : {}) });
  };
  await visit(dir, 0);
  return out;
}

/** A regular file that starts like a git bundle (never a directory or repository git would open). */
async function isBundleFile(path: string): Promise<boolean> {
  const info = await orIfMissing(lstat(path), undefined);
  if (!info?.isFile()) return false;
  const head = (await readFile(path)).subarray(0, 20).toString("latin1");
  return /^# v[23] git bundle\n/.test(head);
}

/** The one agent the publish job has: it refuses to run. */
const NO_AGENT = (kind: Task["kind"]): Agent => ({
  kind,
  run: () => Promise.reject(new Error("the publish job runs no task code")),
});

async function publishOne(o: {
  repo: RepoContext;
  task: Task;
  h: HandedOver;
  base: string;
  runId: string;
  opts: PublishResultsOptions;
  emit: (e: RunEvent) => void;
}): Promise<TaskResult> {
  const { repo, task, h } = o;
  const r = newResult(task.name, task.branch, o.base, o.opts.trigger, h.result.fireTimes);
  r.attempts = h.result.attempts;
  const agent = displayAgent(h.result);
  if (agent) r.agent = agent;
  const t0 = Date.now();
  const phase = (p: string) => o.emit({ type: "task-phase", task: task.name, phase: p });
  const runOpts: RunTaskOptions = {
    repo,
    task,
    runId: o.runId,
    base: o.base,
    agent: NO_AGENT(task.kind),
    env: {},
    emit: o.emit,
    ...(o.opts.publisher ? { publisher: o.opts.publisher } : {}),
    ...(o.opts.trigger ? { trigger: o.opts.trigger } : {}),
  };
  try {
    const claimed = h.result.status;
    if (!LANDABLE.has(claimed) && claimed !== "no_changes") {
      // A failure the run job reports can only mean publishing nothing.
      r.status = claimed;
      r.message = `run job: ${h.result.message}`;
      if (h.result.notRun) r.notRun = h.result.notRun;
    } else if (!h.bundle) {
      if (claimed === "no_changes") await noChanges(runOpts, r, phase);
      else {
        r.status = "failed";
        r.message = "the run job reported a change but handed over no bundle; nothing was published";
      }
    } else {
      await fromBundle(runOpts, r, h.bundle, phase);
    }
  } catch (err) {
    r.status = "failed";
    r.message = errorMessage(err);
    if (r.backup) r.message += `; the change is kept in backup ${r.backup}`;
  }
  r.durationMs = h.result.durationMs + (Date.now() - t0);
  return r;
}

/** The run changed nothing: what a single-job run does then (an open PR may be closed or left). */
async function noChanges(opts: RunTaskOptions, r: TaskResult, phase: (p: string) => void): Promise<void> {
  const start = await startingPoint(opts, r);
  if (!start) return;
  r.status = "no_changes";
  r.message = "the task ran and changed nothing";
  if (!opts.publisher) return;
  phase("publishing the pull request");
  const pr = await opts.publisher.publish({
    task: opts.task,
    result: r,
    branch: r.branch,
    base: r.base,
    hasChanges: false,
    branchExistedOnRemote: start.branchExistedOnRemote,
    dryRun: opts.repo.mode === "dry-run",
  });
  if (pr) r.pr = pr;
}

async function fromBundle(
  opts: RunTaskOptions,
  r: TaskResult,
  bundle: string,
  phase: (p: string) => void,
): Promise<void> {
  const { repo, task } = opts;
  phase("resolving base");
  const start = await startingPoint(opts, r);
  if (!start) return;

  phase("reading the run job's change");
  const { commit, parent } = await importBundle(repo, bundle, opts.runId, task.name);
  // The change is taken relative to the commit it was made on, which must be the base branch's.
  if (parent !== start.commit && !(await isAncestor(repo.git, parent, start.commit))) {
    r.status = "refused";
    r.message = `the run job's change is not based on \`${r.base}\` (its parent ${parent.slice(0, 12)} is not on the branch); nothing was published`;
    return;
  }
  r.baseCommit = parent;
  // Committed on the run's parent, then rebased onto the latest base by `land` (or reported as a
  // conflict with it), exactly as a single-job run whose base moved during the run.
  const from = { ...start, commit: parent };

  await using wt = await createWorktree({
    git: repo.git,
    task: task.name,
    runId: opts.runId,
    base: parent,
    branch: r.branch,
    stateDir: repo.state,
    logger: repo.logger,
  });
  // The bundle's tree as plain files (index and work tree; HEAD stays on the parent). Nothing in it
  // runs: hooks are off for every git call of the engine.
  await wt.git.run(["read-tree", "--reset", "-u", `${commit}^{tree}`]);

  phase("checking the change");
  const { change, noBackup } = await checkChange({
    wt,
    base: parent,
    task,
    r,
    reason: "run job result (publish)",
    details: () => ({ mode: repo.mode, branch: r.branch, agent: r.agent, violations: r.violations }),
  });
  if (refuseViolations(r, noBackup)) return;
  if (noBackup) throw new Error(`the change could not be backed up: ${noBackup}`);
  await land({ ...opts, worktree: wt, change, result: r, start: from, phase });
}

/**
 * Fetches the bundle's one commit into a ref of this run (objects checked with fsck) and returns it
 * with its single parent. A bundle whose parent is missing here gets one fetch of that commit.
 */
async function importBundle(
  repo: RepoContext,
  bundle: string,
  runId: string,
  task: string,
): Promise<{ commit: string; parent: string }> {
  const git: Git = repo.git;
  const heads = (await git.run(["bundle", "list-heads", bundle])).stdout.trim().split("\n").filter(Boolean);
  if (heads.length !== 1) throw new UserError(`the run job's bundle holds ${heads.length} refs, not 1`);
  const verify = await git.run(["bundle", "verify", "--quiet", bundle], { allowFailure: true });
  if (verify.exitCode !== 0 && repo.remote) {
    const missing = [...verify.stderr.matchAll(/\b([0-9a-f]{40,64})\b/g)].map((m) => m[1]!);
    if (missing.length === 1)
      await git.run(["fetch", "--quiet", "--no-tags", repo.remote, missing[0]!], { allowFailure: true });
  }
  const local = `refs/claude-tasks/import/${runId}/${task}`;
  const ref = heads[0]!.split(" ")[1];
  if (ref !== EXPORT_REF) throw new UserError(`the run job's bundle holds an unexpected ref`);
  await git.run([
    "-c",
    "transfer.fsckObjects=true",
    "fetch",
    "--quiet",
    "--no-tags",
    "--no-write-fetch-head",
    bundle,
    `+${ref}:${local}`,
  ]);
  try {
    const line = (await git.run(["rev-list", "--parents", "-n", "1", `${local}^{commit}`])).stdout.trim();
    const [commit, ...parents] = line.split(" ");
    if (!commit || parents.length !== 1)
      throw new UserError(`the run job's commit has ${parents.length} parents, not 1`);
    return { commit, parent: parents[0]! };
  } finally {
    // The objects stay (the commit is checked and landed from them); the ref goes.
    await git.run(["update-ref", "-d", local], { allowFailure: true });
  }
}
