/**
 * `issue_comment`: the engine's comment flow reads, checks and answers the command; a run it asks for
 * is resolved (`resolveRun`, where a fork's head becomes a dry run) and executed as any other.
 */
import { adhocTask, readDefaultsFile, screenComment, type TriggerDecision } from "../engine/event/index.ts";
import { readBackup, readPatchText, stateDir } from "../engine/git/index.ts";
import { type ActionOutcome, ignore, writeRunOutputs } from "./outputs.ts";
import { REMOTE, type Wiring } from "./wiring.ts";

export async function comment(
  w: Wiring,
  decision: Extract<TriggerDecision, { kind: "comment" }>,
  now: () => Date,
): Promise<ActionOutcome> {
  const { io, settings, ctx } = w;
  // most comments are not commands: decide that from the payload before needing a token
  const screened = screenComment(decision.event, settings.commentCommand);
  if (!screened.ok) return ignore(io, settings, screened.reason);
  const outcome = await w.engine.handleComment({
    event: decision.event,
    command: settings.commentCommand,
    gh: w.gh(),
    loadTasks: () => w.project(),
    adhocTask: async (o) => {
      const defaults = await readDefaultsFile(ctx.workspace, settings.configDir);
      return adhocTask({
        ...o,
        configDir: settings.configDir,
        env: w.env,
        ...(defaults ? { defaults } : {}),
      });
    },
    execute: async ({ progress, ...request }) => {
      const run = await w.engine.resolveRun({
        decision: { kind: "comment-run", request },
        tasks: request.tasks,
        now: now(),
        dryRun: settings.dryRun,
        git: () => w.git(),
        remote: REMOTE,
        logger: io.logger,
      });
      return w.execute(run, progress);
    },
    patchOf: async (result) => {
      if (!result.backup) return undefined;
      const backup = await readBackup(await stateDir(await w.git()), result.backup);
      return readPatchText(backup.patchPath); // never a whole huge patch in one string
    },
    links: {
      ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
      serverUrl: ctx.serverUrl,
      repository: ctx.repository,
    },
    logger: io.logger,
  });
  if (outcome.status === "ignored" || outcome.status === "refused")
    return ignore(io, settings, outcome.reason);
  if (outcome.status === "answered") {
    writeRunOutputs(io, undefined);
    return { ok: true };
  }
  const needs = outcome.report.results.map((r) => ({ name: r.task, needs: [] }));
  await w.finish(outcome.report, needs, []);
  return { ok: outcome.report.ok, report: outcome.report };
}
