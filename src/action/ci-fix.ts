/**
 * `workflow_run`: the engine's CI-failure flow decides whether a failed run on a task's branch gets a
 * fix (see engine/event/ci-failure.ts); the fix run is resolved as a run onto that branch and executed
 * as any other, with the failure as its follow-up.
 */
import { screenCiFailure, type TriggerDecision } from "../engine/event/index.ts";
import { assertValid } from "../engine/project.ts";
import { secretsOf } from "./inputs.ts";
import { type ActionOutcome, ignore } from "./outputs.ts";
import { REMOTE, type Wiring } from "./wiring.ts";

export async function ciFix(
  w: Wiring,
  decision: Extract<TriggerDecision, { kind: "ci-failure" }>,
  now: () => Date,
): Promise<ActionOutcome> {
  const { io, settings, ctx } = w;
  // most workflow runs succeed or are no task's: decide that from the payload before needing a token
  const screened = screenCiFailure(decision.event);
  if (!screened.ok) return ignore(io, settings, screened.reason);
  const outcome = await w.engine.handleCiFailure({
    event: decision.event,
    gh: w.gh(),
    git: await w.git(),
    remote: REMOTE,
    tasks: assertValid(await w.project()).tasks,
    execute: async ({ followUp, ...request }) => {
      const run = await w.engine.resolveRun({
        decision: { kind: "comment-run", request: { ...request, dryRun: false, publish: false } },
        tasks: request.tasks,
        now: now(),
        dryRun: settings.dryRun,
        git: () => w.git(),
        remote: REMOTE,
        logger: io.logger,
      });
      return w.execute({ ...run, followUp });
    },
    secrets: secretsOf(settings),
    links: ctx.runUrl ? { runUrl: ctx.runUrl } : {},
    logger: io.logger,
  });
  if (outcome.status !== "ran") return ignore(io, settings, outcome.reason);
  const needs = outcome.report.results.map((r) => ({ name: r.task, needs: [] }));
  await w.finish(outcome.report, needs, []);
  return { ok: outcome.report.ok, report: outcome.report };
}
