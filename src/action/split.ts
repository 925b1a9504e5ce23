/**
 * The privilege split of the reusable workflow: `run-only` jobs run the tasks and hand each result
 * over as an artifact; the `publish` job checks and lands them, running no task code and holding no
 * model key.
 */
import { join } from "node:path";
import { UserError } from "../engine/errors.ts";
import type { RunReport } from "../engine/run/types.ts";
import { settlePublished } from "./budget.ts";
import { logRunEvent } from "./log-events.ts";
import { REMOTE, type Wiring } from "./wiring.ts";

/** Each task's handed-over result is one artifact: this prefix and the task's name. */
export const RESULT_ARTIFACT_PREFIX = "claude-tasks-result-";

/** `run-only`: each task's result (and its change as a bundle) as the artifact `claude-tasks-result-<task>`. */
export async function handOver(w: Wiring, report: RunReport): Promise<void> {
  const exported = await w.engine.exportResults({ git: await w.git(), report, dir: resultsDir(w) });
  for (const t of exported) {
    const name = `${RESULT_ARTIFACT_PREFIX}${t.task}`;
    await w.io.uploadArtifact(name, t.files, t.dir);
    w.io.logger.info(
      `${t.task}: handed over as the artifact ${name}${t.bundled ? " (with its change)" : ""}`,
    );
  }
}

/** `publish`: checks and lands what the run jobs handed over. */
export async function publish(w: Wiring): Promise<{ ok: boolean; report: RunReport }> {
  const { io, settings, ctx } = w;
  if (!settings.dryRun && !settings.githubToken)
    throw new UserError("the `github-token` input is empty: it is needed to push and open pull requests");
  const publisher = settings.githubToken ? w.publisher() : undefined;
  const report = await w.engine.publishResults({
    repoRoot: ctx.workspace,
    dir: resultsDir(w),
    configDir: settings.configDir,
    mode: settings.dryRun ? "dry-run" : "pr",
    remote: REMOTE,
    env: w.env,
    logger: io.logger,
    onEvent: (e) => logRunEvent(io.logger, e),
    trigger: `${ctx.eventName || "publish"}${ctx.actor ? ` by @${ctx.actor}` : ""}`,
    ...(settings.base ? { base: settings.base } : {}),
    ...(publisher ? { publisher } : {}),
    ...(await w.gitEnv()),
  });
  if (!settings.dryRun) await settlePublished(w, report);
  const needs = report.results.map((r) => ({ name: r.task, needs: [] }));
  await w.finish(report, needs, report.results.length === 0 ? ["no run job handed over a result"] : []);
  return { ok: report.ok, report };
}

function resultsDir(w: Wiring): string {
  return w.settings.resultsDir ?? join(w.ctx.tempDir, "claude-tasks-results");
}
