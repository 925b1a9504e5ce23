/**
 * What the user sees after a run: the step outputs, the step summary, annotations on task files, and
 * the patch backups as an artifact.
 *
 * `results` (JSON array, one object per task, in run order):
 * `{ task, status, message, branch, base, commit, prNumber, prUrl, prAction, costUsd, turns, durationMs,
 * filesChanged, additions, deletions, backup }` — absent values are `null`.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { errorMessage, type Problem } from "../engine/errors.ts";
import { backupsDir, createGit, stateDir } from "../engine/git/index.ts";
import { orIfMissing } from "../engine/missing.ts";
import type { Matrix, RunPlan } from "../engine/plan/index.ts";
import { renderRunMarkdown } from "../engine/report/markdown.ts";
import { renderNeedsMermaid } from "../engine/report/mermaid.ts";
import { renderPlanMarkdown } from "../engine/report/plan-markdown.ts";
import type { RunReport, TaskStatus } from "../engine/run/types.ts";
import type { ActionSettings } from "./inputs.ts";
import type { ActionIO } from "./io.ts";

export interface ResultOutput {
  task: string;
  status: TaskStatus;
  message: string;
  branch: string;
  base: string;
  commit: string | null;
  prNumber: number | null;
  prUrl: string | null;
  prAction: string | null;
  costUsd: number | null;
  turns: number | null;
  durationMs: number;
  filesChanged: number;
  additions: number;
  deletions: number;
  backup: string | null;
  /** Why the task did not start (`budget`, `unchanged`, `busy`, …); null when it ran. */
  notRun: string | null;
}

export function resultsOutput(report: RunReport | undefined): ResultOutput[] {
  return (report?.results ?? []).map((r) => ({
    task: r.task,
    status: r.status,
    message: r.message,
    branch: r.branch,
    base: r.base,
    commit: r.commit ?? null,
    prNumber: r.pr?.number ?? null,
    prUrl: r.pr?.url ?? null,
    prAction: r.pr?.action ?? null,
    costUsd: r.agent?.costUsd ?? null,
    turns: r.agent?.numTurns ?? null,
    durationMs: r.durationMs,
    filesChanged: r.files.length,
    additions: r.additions,
    deletions: r.deletions,
    backup: r.backup ?? null,
    notRun: r.notRun ?? null,
  }));
}

/** One line per task that did not start in this run, with why (a budget, nothing changed, another run). */
export function notRunNotes(report: RunReport): string[] {
  return report.results.filter((r) => r.notRun).map((r) => `\`${r.task}\` not run: ${r.message}`);
}

export function writeRunOutputs(io: ActionIO, report: RunReport | undefined): void {
  const results = resultsOutput(report);
  io.setOutput("results", JSON.stringify(results));
  io.setOutput("pull-request-urls", results.flatMap((r) => (r.prUrl ? [r.prUrl] : [])).join("\n"));
  io.setOutput("total-cost-usd", formatUsd(report?.totalCostUsd ?? 0));
}

export function writePlanOutputs(io: ActionIO, matrix: Matrix): void {
  io.setOutput("matrix", JSON.stringify(matrix));
  writeRunOutputs(io, undefined);
}

function formatUsd(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}

export interface SummaryLinks {
  runUrl?: string;
  artifactUrl?: string;
}

export function runSummary(
  report: RunReport,
  needs: readonly { name: string; needs: readonly string[] }[],
  links: SummaryLinks,
  notes: readonly string[] = [],
): string {
  const status = Object.fromEntries(report.results.map((r) => [r.task, r.status]));
  const graph = renderNeedsMermaid(
    needs.filter((n) => status[n.name] !== undefined),
    status,
  );
  const body = renderRunMarkdown(report, links);
  const [heading, ...rest] = body.split("\n");
  const noteLines = notes.map((n) => `> ${n.replace(/\n/g, " ")}\n`);
  return [heading, "", ...noteLines, graph, rest.join("\n").replace(/^\n+/, "")]
    .filter((s) => s !== "")
    .join("\n");
}

export function planSummary(plan: RunPlan, notes: readonly string[] = []): string {
  return renderPlanMarkdown(plan, { notes });
}

/** Config problems as annotations on the task file and line. */
export function annotateProblems(io: ActionIO, problems: readonly Problem[]): void {
  for (const p of problems.slice(0, 50)) {
    io.annotate(p.severity === "error" ? "error" : "warning", p.message, {
      title: "claude-tasks",
      file: p.file,
      startLine: p.line,
      startColumn: p.col,
    });
  }
}

/**
 * Uploads this run's patch backups (`.git/claude-tasks/backups/<id>/`) as the artifact
 * `claude-tasks-backups-<run id>`. Returns the artifact's URL, or undefined; any failure is a warning.
 */
export async function uploadBackups(opts: {
  io: ActionIO;
  report: RunReport;
  repoRoot: string;
  runUrl?: string;
  nameSuffix?: string;
}): Promise<string | undefined> {
  // A change refused because it holds what looks like a credential stays in the local backup only: an
  // artifact can be downloaded by anyone who can read the repository.
  const withheld = opts.report.results.filter(
    (r) => r.backup && r.violations.some((v) => v.rule.startsWith("secret.")),
  );
  for (const r of withheld)
    opts.io.logger.warn(`backup ${r.backup} is not uploaded: its change holds what looks like a credential`);
  const ids = opts.report.results.flatMap((r) => (r.backup && !withheld.includes(r) ? [r.backup] : []));
  if (ids.length === 0) return undefined;
  try {
    const root = backupsDir(await stateDir(createGit({ cwd: opts.repoRoot })));
    const files: string[] = [];
    for (const id of ids) {
      for (const name of await orIfMissing(readdir(join(root, id)), [] as string[]))
        files.push(join(root, id, name));
    }
    if (files.length === 0) return undefined;
    const name = `claude-tasks-backups-${opts.report.runId}${opts.nameSuffix ? `-${opts.nameSuffix}` : ""}`;
    const { id } = await opts.io.uploadArtifact(name, files, root);
    opts.io.logger.info(`uploaded the patch backups as the artifact ${name}`);
    return id !== undefined && opts.runUrl ? `${opts.runUrl}/artifacts/${id}` : undefined;
  } catch (err) {
    opts.io.logger.warn(`the patch backups were not uploaded as an artifact: ${errorMessage(err)}`);
    return undefined;
  }
}

/** What the Action did with an event. */
export interface ActionOutcome {
  /** False when a task failed (the job should fail). */
  ok: boolean;
  /** Why the event was not acted on. */
  ignored?: string;
  report?: RunReport;
  plan?: RunPlan;
}

/** An event not acted on: said in the log, with empty outputs. */
export function ignore(io: ActionIO, settings: Pick<ActionSettings, "mode">, reason: string): ActionOutcome {
  io.logger.info(`nothing to do: ${reason}`);
  if (settings.mode === "plan") writePlanOutputs(io, { include: [] });
  else writeRunOutputs(io, undefined);
  return { ok: true, ignored: reason };
}
