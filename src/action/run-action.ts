/**
 * The Action: inputs → the event's decision (`routeEvent`) → the engine (`resolveRun`, then
 * `runTasks`, or the comment flow) → outputs, summary, annotations. Nothing here decides what an event
 * means or which tasks run; the modes (`run | plan | run-only | publish`) only pick the engine calls.
 */
import { UserError } from "../engine/errors.ts";
import {
  assertClaudeCredentials,
  gitAuthSecret,
  routeEvent,
  type TriggerDecision,
} from "../engine/event/index.ts";
import { toMatrix } from "../engine/plan/index.ts";
import { assertValid } from "../engine/project.ts";
import { admitPlanned, createActionControl } from "./budget.ts";
import { ciFix } from "./ci-fix.ts";
import { comment } from "./comment.ts";
import { readContext } from "./context.ts";
import { type ActionEngine, ENGINE } from "./engine.ts";
import { readSettings, secretsOf } from "./inputs.ts";
import type { ActionIO } from "./io.ts";
import { type ActionOutcome, ignore, planSummary, writePlanOutputs, writeRunOutputs } from "./outputs.ts";
import { handOver, publish } from "./split.ts";
import { REMOTE, Wiring } from "./wiring.ts";

export type { ActionOutcome } from "./outputs.ts";
export { RESULT_ARTIFACT_PREFIX } from "./split.ts";
export { REMOTE } from "./wiring.ts";

export interface ActionDeps {
  io: ActionIO;
  env: Record<string, string | undefined>;
  /** The engine's entry points; default the real engine (tests pass a recorder for some or all). */
  engine?: Partial<ActionEngine>;
  now?: () => Date;
}

export async function runAction(deps: ActionDeps): Promise<ActionOutcome> {
  const { io, env } = deps;
  const settings = readSettings((name) => io.getInput(name));
  for (const secret of secretsOf(settings)) io.setSecret(secret);
  if (settings.githubToken) io.setSecret(gitAuthSecret(settings.githubToken));
  const ctx = readContext(env);
  const decision = routeEvent({
    eventName: ctx.eventName,
    payload: ctx.payload,
    tasks: settings.tasks,
    mode: settings.mode === "plan" ? "plan" : "run",
    ...(ctx.actor ? { actor: ctx.actor } : {}),
  });
  if (decision.kind === "ignore") return ignore(io, settings, decision.reason);
  const split = settings.mode === "run-only" || settings.mode === "publish";
  if (split && (decision.kind === "comment" || decision.kind === "ci-failure"))
    throw new UserError(
      `\`mode: ${settings.mode}\` is for the reusable workflow; comment commands and CI fixes need \`mode: run\``,
    );
  const w = new Wiring({
    io,
    env,
    settings,
    ctx,
    engine: { ...ENGINE, ...deps.engine },
    makeControl: createActionControl,
  });
  if (settings.mode === "publish") return publish(w);
  const now = deps.now ?? (() => new Date());
  if (decision.kind === "comment") return comment(w, decision, now);
  if (decision.kind === "ci-failure") return ciFix(w, decision, now);
  return tasks(w, decision, now());
}

/** schedule, workflow_dispatch, push, named tasks: resolve the run, then plan it or run it. */
async function tasks(
  w: Wiring,
  decision: Exclude<TriggerDecision, { kind: "comment" | "ci-failure" | "ignore" }>,
  now: Date,
): Promise<ActionOutcome> {
  const { io, settings, ctx } = w;
  w.warmUp();
  const project = assertValid(await w.project());
  const repository = ctx.payload.repository as { default_branch?: string } | undefined;
  let run = await w.engine.resolveRun({
    decision,
    tasks: project.tasks,
    now,
    dryRun: settings.dryRun,
    peek: settings.dryRun || settings.mode === "run-only", // a read-only job claims nothing
    planOnly: settings.mode === "plan",
    ...(settings.base ? { base: settings.base } : {}),
    ...(repository?.default_branch ? { defaultBranch: repository.default_branch } : {}),
    git: () => w.git(),
    remote: REMOTE,
    logger: io.logger,
    // without credentials, a due Claude task must fail before anything is claimed (and lost)
    beforeClaim: (scheduled) =>
      assertClaudeCredentials({ tasks: scheduled, credentials: w.credentials, env: w.env }),
  });
  for (const warning of run.warnings)
    io.annotate("warning", warning, { title: "claude-tasks schedule state" });
  // the reusable workflow's run jobs cannot write the ledger: budgets and locks are taken here, settled by publish
  if (settings.mode === "plan" && !settings.dryRun) run = await admitPlanned(w, run);
  const { plan, notes } = run;
  if (settings.mode === "plan") {
    const matrix = toMatrix(plan);
    writePlanOutputs(io, matrix);
    await io.appendSummary(planSummary(plan, notes));
    io.logger.info(`planned ${plan.tasks.length} task(s) in ${matrix.include.length} job(s)`);
    return { ok: true, plan };
  }
  if (plan.tasks.length === 0) {
    writeRunOutputs(io, undefined);
    await io.appendSummary(planSummary(plan, notes));
    io.logger.info("no task to run");
    return { ok: true, plan };
  }
  const report = await w.execute(run);
  if (settings.mode === "run-only") await handOver(w, report);
  await w.finish(report, plan.tasks, notes);
  return { ok: report.ok, report, plan };
}
