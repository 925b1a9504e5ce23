/**
 * Executes a `RunPlan`: its tasks in its order, its needs ordering and conditioning them, at most
 * `maxParallel` at once, each in its own worktree (definitions from `tasks`; the graph is the plan's).
 * Writes the run log and the run report (JSON + Markdown) under the state directory.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { scrubbedEnv } from "../agent/env.ts";
import type { Admitted } from "../budget/control.ts";
import type { Task } from "../config/index.ts";
import { errorMessage, UserError } from "../errors.ts";
import { createGit, listWorktrees, stateDir } from "../git/index.ts";
import { silentLogger } from "../logger.ts";
import { renderRunMarkdown } from "../report/markdown.ts";
import { loginCredential } from "../sandbox/credentials.ts";
import { createSandboxProvider } from "../sandbox/index.ts";
import { type ModelCredential, modelCredentialFrom, startModelProxy } from "../sandbox/model-proxy.ts";
import { STATE_REF } from "../schedule/state.ts";
import { defaultAgentFor } from "./agent-for.ts";
import { executeGraph } from "./execute-graph.ts";
import { landingCanClaim, type TaskAdmission } from "./land-types.ts";
import type { RunEvent, RunTasksOptions } from "./options.ts";
import {
  baseTip,
  defaultBranch,
  localBase,
  makeRepoContext,
  prefetchTips,
  type RepoContext,
} from "./repo-context.ts";
import { skippedResult } from "./result.ts";
import { newRunId } from "./run-id.ts";
import { appendLog, runLogPath, runReportDir, taskEntry } from "./run-log.ts";

export { runLogPath, runReportDir } from "./run-log.ts";

import { assembleReport } from "./run-report.ts";
import { runTask } from "./run-task.ts";
import { outcomeOf, type RunReport, type TaskResult } from "./types.ts";

/**
 * How long an agent that only the task's lock can refuse runs before the lock is asked for. Sooner
 * would stop a second run's agent no earlier that matters (its model requests take seconds), and an
 * agent that ends within it (a quick command) claims the lock in the push that lands its result.
 */
const LOCK_AFTER_MS = 1_000;

export async function runTasks(opts: RunTasksOptions): Promise<RunReport> {
  const started = Date.now();
  const logger = opts.logger ?? silentLogger;
  // What needs no answer before the agents start (the list of leftover worktrees) waits for the first
  // agent to start, or the run to end, so nothing of it sits between the start and the first spawn.
  let anyAgentUp!: () => void;
  const agentsUp = new Promise<void>((ok) => {
    anyAgentUp = ok;
  });
  // set once the model-key proxy runs: a Claude agent's start opens its way out to the API
  let claudeSpawned: (() => void) | undefined;
  const emit = (e: RunEvent) => {
    if (e.type === "agent" && e.event.type === "spawn") {
      anyAgentUp();
      if (byName.get(e.task)?.kind === "claude") claudeSpawned?.();
    }
    opts.onEvent?.(e);
  };
  const git = createGit({ cwd: opts.repoRoot, authEnv: opts.gitEnv, logger });
  const repo = await makeRepoContext({
    git,
    state: stateDir(git), // read side by side with the remotes
    mode: opts.mode,
    remote: opts.remote,
    previewsPullRequests: opts.publisher !== undefined || opts.tipsFromRemote === true,
    logger,
  });
  const state = repo.state;
  const planned = opts.plan.tasks;
  const byName = new Map(opts.tasks.map((t) => [t.name, t]));
  const missing = planned.filter((p) => !byName.has(p.name)).map((p) => p.name);
  if (missing.length > 0) throw new Error(`the plan names tasks without a definition: ${missing.join(", ")}`);
  const taskOf = (name: string) => byName.get(name)!;
  const fireTimesOf = new Map(planned.map((p) => [p.name, p.fireTimes]));
  const fallbackBase = opts.base ?? opts.defaultBase ?? (await defaultBranch(repo));
  const baseOf = (t: Task) => opts.base ?? t.base ?? fallbackBase;
  // The run's one fetch: every base and task branch at once, under way while the tasks start.
  if (!opts.onto) {
    const run = planned.map((p) => taskOf(p.name));
    const trusted = opts.trustedConfig ? [opts.trustedConfig.source] : [];
    prefetchTips(
      repo,
      [...run.map(baseOf), ...trusted],
      run.map((t) => t.branch),
      { state: opts.control !== undefined }, // the ledger's state ref comes with it
    );
  }
  const isolation = opts.isolation ?? "sandbox";
  // The model credential stays in the engine: Claude Code talks to a loopback proxy that adds it.
  const baseEnv = opts.env ?? process.env;
  const credential =
    !opts.agentFor && planned.some((p) => taskOf(p.name).kind === "claude")
      ? (modelCredentialFrom(baseEnv) ??
        (isolation === "sandbox" ? await loginCredential(baseEnv.HOME) : undefined))
      : undefined;
  // the checks, the sandbox's probe and the proxy's start wait on different things: side by side
  const starting = credential ? startProxy(credential, baseEnv.ANTHROPIC_BASE_URL) : undefined;
  let sandbox: Awaited<ReturnType<typeof createSandboxProvider>> | undefined;
  try {
    [, sandbox] = await Promise.all([
      assertRunnable(repo, opts),
      // Injected agents (tests, benchmarks) run in-process fakes: there is nothing to sandbox.
      opts.agentFor ? undefined : createSandboxProvider({ isolation, env: baseEnv }),
    ]);
  } catch (err) {
    await (await starting?.catch(() => undefined))?.[Symbol.asyncDispose]();
    throw err;
  }
  await using proxy = await starting;
  claudeSpawned = proxy?.preconnect;
  const agentBaseEnv = proxy
    ? { ...scrubbedEnv(baseEnv, { modelCredentials: false }), ...proxy.agentEnv }
    : baseEnv;
  if (isolation === "none") {
    logger.warn(
      "isolation: none — agents and task commands run without a sandbox: they can read this machine's credentials and change anything this user can",
    );
  }
  const runId = opts.runId ?? newRunId();
  const names = planned.map((p) => p.name);
  const log = runLogPath(state);

  // a warning only: listed while the tasks start (this run's own worktrees are left out)
  const leftovers = agentsUp
    .then(() => {
      opts.publisher?.prepare?.(); // the API client loads while the agents run, not when the first PR waits
      return warnAboutLeftovers(git, state, logger, runId);
    })
    .catch((err) => logger.debug(`could not list the worktrees: ${errorMessage(err)}`));
  await appendLog(log, {
    type: "run-start",
    runId,
    mode: opts.mode,
    tasks: names,
    pid: process.pid,
    at: new Date().toISOString(),
  });
  emit({ type: "run-start", runId, mode: opts.mode, tasks: names });

  // Every result is reported exactly once: when its task ends, or after the graph for the ones that
  // never ran (skipped by a need, cancelled before they started, crashed).
  const finished = new Set<string>();
  const finish = async (r: TaskResult) => {
    finished.add(r.task);
    emit({ type: "task-end", task: r.task, status: r.status, message: r.message, result: r });
    await appendLog(log, taskEntry(runId, opts.mode, r)).catch((err) =>
      logger.warn(`could not write the run log: ${errorMessage(err)}`),
    );
    return r;
  };
  const results = await executeGraph<TaskResult>({
    nodes: planned.map((p) => ({ name: p.name, needs: p.needs, if: p.if })),
    maxParallel: opts.maxParallel ?? 4,
    signal: opts.signal,
    outcome: (r) => outcomeOf(r.status) ?? "failure",
    skip: (name, reason) => skipped(taskOf(name), baseOf(taskOf(name)), reason, opts.signal),
    crash: (name, err) => ({
      ...skippedResult(name, taskOf(name).branch, baseOf(taskOf(name)), errorMessage(err)),
      status: "failed",
    }),
    run: async (name) => {
      const task = taskOf(name);
      const fireTimes = fireTimesOf.get(name) ?? [];
      const control = opts.control;
      const scheduled = fireTimes.length > 0;
      const admitCtx = {
        task,
        runId,
        scheduled,
        baseCommit: () => baseTip(repo, baseOf(task)),
        signal: opts.signal,
      };
      const notRun = (admitted: Extract<Admitted, { ok: false }>, extra = "") => {
        logger.info(`${name}: ${admitted.reason}`);
        return finish({
          ...skippedResult(name, task.branch, baseOf(task), `${admitted.reason}${extra}`),
          notRun: admitted.kind,
          ...(scheduled ? { fireTimes } : {}),
          ...(opts.trigger ? { trigger: opts.trigger } : {}),
        });
      };
      const attempt = (signal: AbortSignal | undefined, admission?: TaskAdmission, onSpawn?: () => void) =>
        runTask({
          repo,
          task,
          runId,
          base: baseOf(task),
          agent:
            opts.agentFor?.(task) ??
            defaultAgentFor(task, { claudePath: opts.claudePath, killGraceMs: opts.killGraceMs }),
          env: agentBaseEnv,
          onto: opts.onto,
          ...(opts.followUp ? { followUp: opts.followUp } : {}),
          ...(opts.localBaseFirst ? { localBaseFirst: true } : {}),
          trustedConfig: opts.trustedConfig,
          publisher: opts.publisher,
          ...(sandbox ? { sandbox } : {}),
          emit: onSpawn
            ? (e) => {
                if (e.type === "agent" && e.event.type === "spawn") onSpawn();
                emit(e);
              }
            : emit,
          signal,
          trigger: opts.trigger,
          ...(scheduled ? { fireTimes } : {}),
          ...(admission ? { admission } : {}),
          ...(control
            ? {
                settleInPush: (r: TaskResult, how?: { claim?: boolean }) =>
                  control.settleInPush(task, runId, r, how),
              }
            : {}),
        });
      if (control && !control.gatesStart(task, scheduled)) {
        // Nothing but another run's lock can refuse this run: the lock is asked for once the agent
        // has run for a moment (no network, nor the ledger's git work, before the spawn), and awaited
        // before its work is used. A lost lock stops the agent; the run then waits or skips as
        // `concurrency` says, and starts again. An agent that ends sooner, with a result to push,
        // claims the lock in that push instead (see `TaskAdmission`): one round trip fewer.
        const stop = new AbortController();
        const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
        const claimable = landingCanClaim(opts);
        let asked: Promise<Admitted> | undefined;
        let later: NodeJS.Timeout | undefined;
        const ask = () =>
          (asked ??= control.admit(admitCtx, { once: true }).then(
            (a) => {
              if (!a.ok) stop.abort();
              return a;
            },
            (err: unknown) => {
              stop.abort();
              throw err;
            },
          ));
        const admission: TaskAdmission = {
          answer: ask,
          // from here on the timer below never fires (and a later spawn never sets another)
          agentEnded: () => clearTimeout(later),
          claimInPush: () => asked === undefined,
          claimed: () => {
            asked ??= Promise.resolve({ ok: true });
          },
        };
        const onSpawn = () => {
          if (!claimable) return void ask().catch(() => {});
          later ??= setTimeout(() => void ask().catch(() => {}), LOCK_AFTER_MS);
        };
        // asked once the agent has started (a moment after, when its landing push could claim it
        // instead), or when the run needs the answer
        const first = await attempt(signal, admission, onSpawn).finally(() => clearTimeout(later));
        let admitted: Admitted;
        try {
          admitted = await ask();
        } catch (err) {
          const kept = first.backup ? `; its work is in backup ${first.backup}` : "";
          return finish({
            ...first,
            status: "failed",
            message: `could not take the task's lock in ${STATE_REF}: ${errorMessage(err)}${kept}`,
          });
        }
        if (admitted.ok) {
          await control.settle(task, runId, first);
          return finish(first);
        }
        // the stopped start's cost (if it reached the model) still counts; the other run's lock stays
        if ((first.agent?.costUsd ?? 0) > 0) await control.settle(task, runId, first);
        const kept = first.backup ? `; the stopped start's work is in backup ${first.backup}` : "";
        const again = await control.admit(admitCtx);
        if (!again.ok) return notRun(again, kept);
        logger.info(`${name}: the other run ended; starting again`);
      } else if (control) {
        // before anything else: a refused run makes no worktree and no model request
        const admitted = await control.admit(admitCtx);
        if (!admitted.ok) return notRun(admitted);
      }
      let result: TaskResult | undefined;
      try {
        result = await attempt(opts.signal);
      } finally {
        if (control) {
          const r = result ?? {
            ...skippedResult(name, task.branch, baseOf(task), "crashed"),
            status: "failed" as const,
          };
          await control.settle(task, runId, r);
        }
      }
      return finish(result);
    },
  });
  anyAgentUp();
  await leftovers;
  const ordered = names.map((name) => results.get(name)!);
  for (const r of ordered) if (!finished.has(r.task)) await finish(r);

  const report = await assembleReport({
    git,
    runId,
    mode: opts.mode,
    started,
    ...(opts.trigger ? { trigger: opts.trigger } : {}),
    results: ordered,
    isolation,
  });
  await writeReport(state, report).catch((err) =>
    logger.warn(`could not write the run report: ${errorMessage(err)}`),
  );
  await appendLog(log, {
    type: "run-end",
    runId,
    ok: report.ok,
    durationMs: report.durationMs,
    at: new Date().toISOString(),
  });
  emit({ type: "run-end", ok: report.ok, durationMs: report.durationMs });
  return report;
}

/**
 * Bad input found before anything is logged (exit 2, not a failed task per task): a repository with
 * no commits at all, or a run-wide base branch that does not exist.
 */
async function assertRunnable(repo: RepoContext, opts: RunTasksOptions): Promise<void> {
  // a run from the remote learns the remote's branches from its one fetch (a missing base is reported there)
  if (!repo.fromRemote) {
    const refs = await repo.git.run([
      "for-each-ref",
      "--count=1",
      "--format=%(refname)",
      "refs/heads",
      "refs/remotes",
    ]);
    if (!refs.stdout.trim())
      throw new UserError("the repository has no commits yet: commit the task files, then run again");
  }
  if (opts.base === undefined || opts.onto) return;
  // a base the checkout holds starts the tasks at once; the remote's copy is checked by each task
  if (opts.localBaseFirst && repo.fromRemote && (await localBase(repo, opts.base))) return;
  await baseTip(repo, opts.base);
}

function skipped(task: Task, base: string, reason: string, signal?: AbortSignal): TaskResult {
  const r = skippedResult(task.name, task.branch, base, reason);
  return signal?.aborted ? { ...r, status: "cancelled" } : r;
}

async function writeReport(state: string, report: RunReport): Promise<void> {
  const dir = runReportDir(state, report.runId);
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(join(dir, "report.md"), renderRunMarkdown(report));
}

async function warnAboutLeftovers(
  git: ReturnType<typeof createGit>,
  state: string,
  logger: RunTasksOptions["logger"] & object,
  runId: string,
) {
  const leftovers = (await listWorktrees(git, { stateDir: state })).filter(
    (w) => w.ours && w.stale && !w.path.endsWith(`-${runId}`),
  );
  if (leftovers.length > 0) {
    logger.warn(
      `${leftovers.length} leftover worktree(s) from an interrupted run: ${leftovers.map((w) => w.path).join(", ")} — run \`claude-tasks worktrees --prune\` (their work is backed up first)`,
    );
  }
}

/** The variables that carry the model credential or point Claude Code at an endpoint. */
async function startProxy(credential: ModelCredential, upstream: string | undefined) {
  const proxy = await startModelProxy({ credential, ...(upstream ? { upstream } : {}) });
  return Object.assign(proxy, { [Symbol.asyncDispose]: () => proxy.close() });
}
