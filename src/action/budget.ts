/**
 * The Action's side of budgets, locks and skipping unchanged work (engine/budget): which ledger, which
 * holder, the pull request states; the plan job's admission and the publish job's settlement for the
 * reusable workflow, whose run jobs hold a read-only token and cannot write the ledger.
 */
import type { RunControl } from "../engine/budget/index.ts";
import { errorMessage } from "../engine/errors.ts";
import { gitAuthEnv, type ResolvedRun } from "../engine/event/index.ts";
import { createGit } from "../engine/git/index.ts";
import { buildPlan } from "../engine/plan/index.ts";
import type { RunReport } from "../engine/run/types.ts";
import { REMOTE, type Wiring } from "./wiring.ts";

/** The plan job gives up waiting for another run of a task after this long (its job is short). */
const PLAN_MAX_WAIT_MS = 5 * 60_000;

export function createActionControl(w: Wiring, opts: { planning?: boolean } = {}): Promise<RunControl> {
  return (async () => {
    const { settings, ctx } = w;
    const git = await w.git();
    const org = settings.orgBudgetUsd !== undefined ? await orgLedger(w) : undefined;
    return w.engine.createRunControl({
      git,
      remote: REMOTE,
      logger: w.io.logger,
      // the plan job's claim is settled by the publish job of the same workflow run
      ...(ctx.runId ? { holder: `actions-${ctx.runId}` } : {}),
      ...(opts.planning ? { maxWaitMs: PLAN_MAX_WAIT_MS } : {}),
      ...(settings.githubToken
        ? {
            prState: async (n: number) => {
              const pr = await w.gh().getPr(n);
              return pr.state === "open" ? "open" : pr.merged ? "merged" : "closed";
            },
          }
        : {}),
      ...(org ? { org } : {}),
    });
  })();
}

async function orgLedger(w: Wiring) {
  const { settings, ctx } = w;
  const where = settings.orgLedgerRepo ?? ctx.repository;
  const local = where === ctx.repository;
  const isRepoName = /^[\w.-]+\/[\w.-]+$/.test(where);
  const token = settings.orgLedgerToken ?? settings.githubToken;
  return {
    git: local
      ? await w.git()
      : createGit({
          cwd: ctx.workspace,
          logger: w.io.logger,
          ...(token && isRepoName ? { authEnv: gitAuthEnv(token, ctx.serverUrl) } : {}),
        }),
    remote: local ? REMOTE : isRepoName ? `${ctx.serverUrl}/${where}.git` : where,
    repository: ctx.repository,
    monthlyUsd: settings.orgBudgetUsd!,
  };
}

/** `plan`: each planned task admitted (budget reserved, lock taken) or dropped, with its reason in the notes. */
export async function admitPlanned(w: Wiring, run: ResolvedRun): Promise<ResolvedRun> {
  if (run.plan.tasks.length === 0) return run;
  const control = await w.control({ planning: true });
  const byName = new Map(run.tasks.map((t) => [t.name, t]));
  const kept = [];
  const notes = [...run.notes];
  for (const p of run.plan.tasks) {
    const task = byName.get(p.name)!;
    const a = await control.admit({
      task,
      runId: run.runId,
      scheduled: p.fireTimes.length > 0,
      baseCommit: () => baseCommit(w, w.settings.base ?? task.base),
    });
    if (a.ok) kept.push(p);
    else notes.push(`\`${p.name}\` not run: ${a.reason}`);
  }
  if (kept.length === run.plan.tasks.length) return run;
  const plan = buildPlan({
    tasks: run.tasks,
    selected: kept.map((p) => ({
      name: p.name,
      reason: p.reason,
      fireTimes: p.fireTimes.map((f) => new Date(f)),
    })),
    now: new Date(run.plan.now),
    ...(run.plan.since ? { since: new Date(run.plan.since) } : {}),
  });
  return { ...run, plan, notes };
}

/** `publish`: what the plan job of this workflow run admitted, settled with what the run jobs reported. */
export async function settlePublished(w: Wiring, report: RunReport): Promise<void> {
  try {
    const project = await w.project();
    const byName = new Map(project.tasks.map((t) => [t.name, t]));
    const control = await w.control();
    for (const r of report.results) {
      const task = byName.get(r.task);
      if (task) await control.settle(task, r.task, r, { onlyIfHeld: true });
    }
    await control.releaseHeld();
  } catch (err) {
    w.io.logger.warn(`could not settle the spend ledger: ${errorMessage(err)}`);
  }
}

/** The base's tip as the checkout knows it (the checked-out commit when no base is named). */
async function baseCommit(w: Wiring, base: string | undefined): Promise<string> {
  const rev = base ? `refs/remotes/${REMOTE}/${base}` : "HEAD";
  const r = await (await w.git()).run(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], {
    allowFailure: true,
  });
  return r.stdout.trim();
}
