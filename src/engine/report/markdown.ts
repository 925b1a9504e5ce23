import type { RunReport, TaskResult } from "../run/types.ts";
import { mdCode, mdFenced, mdText } from "./escape.ts";
import { formatCost, formatDuration, STATUS_ICON } from "./format.ts";

export interface MarkdownLinks {
  /** Link to the workflow run (Actions) — shown in PR bodies and summaries. */
  runUrl?: string;
  /** Link to the uploaded backup artifact. */
  artifactUrl?: string;
}

const MAX_FILES_LISTED = 50;
const MAX_SUMMARY_CHARS = 6000;

/** A run that found what looks like a credential: none of its text or content is shown anywhere. */
export function holdsCredential(r: Pick<TaskResult, "violations">): boolean {
  return r.violations.some((v) => v.rule.startsWith("secret."));
}

/** The report of one task: the PR body (after the task's own `pr.body`) and a section of the summary. */
export function renderTaskMarkdown(r: TaskResult, links: MarkdownLinks = {}): string {
  const out: string[] = [];
  const secret = holdsCredential(r);
  out.push(`### ${STATUS_ICON[r.status] ?? ""} ${mdCode(r.task)} — ${r.status.replace("_", " ")}`, "");
  out.push(mdText(r.message), "");
  const facts: [string, string][] = [
    [
      "Branch",
      `${mdCode(r.branch)} onto ${mdCode(r.base)}${r.baseCommit ? ` (${r.baseCommit.slice(0, 7)})` : ""}`,
    ],
  ];
  if (r.trigger) facts.push(["Trigger", mdText(r.trigger)]);
  if (r.agent) {
    facts.push([
      "Agent",
      r.agent.kind === "claude"
        ? `Claude Code${r.agent.model ? ` (${mdText(r.agent.model)})` : ""}`
        : "command",
    ]);
    if (r.agent.numTurns !== undefined) facts.push(["Turns", String(r.agent.numTurns)]);
    if (r.agent.costUsd !== undefined) facts.push(["Cost", formatCost(r.agent.costUsd)]);
  }
  facts.push(["Duration", formatDuration(r.durationMs)]);
  if (r.attempts > 1) facts.push(["Attempts", String(r.attempts)]);
  facts.push(["Files changed", `${r.files.length} (+${r.additions} −${r.deletions})`]);
  if (r.rebased) facts.push(["Rebased", "yes, onto the latest base"]);
  if (links.runUrl) facts.push(["Workflow run", `[open](${links.runUrl})`]);
  if (r.backup)
    facts.push([
      "Backup",
      links.artifactUrl && !secret ? `[${mdText(r.backup)}](${links.artifactUrl})` : mdCode(r.backup),
    ]);
  out.push("| | |", "|---|---|", ...facts.map(([k, v]) => `| ${k} | ${v} |`), "");

  if (secret) {
    out.push(
      "**The change holds what looks like a credential.** Its diff, its files' content and the agent's " +
        "text are not shown; where it was found is listed below, never what.",
      "",
    );
  } else {
    if (r.agent?.summary) {
      const summary =
        r.agent.summary.length > MAX_SUMMARY_CHARS
          ? `${r.agent.summary.slice(0, MAX_SUMMARY_CHARS)}…`
          : r.agent.summary;
      const who = r.agent.kind === "claude" ? "What the agent reported" : "The command's last output";
      out.push(`<details><summary>${who}</summary>`, "", mdFenced(summary), "", "</details>", "");
    }
    if (r.agent?.error) out.push(`**Agent error:** ${mdText(r.agent.error, 1000)}`, "");
  }
  for (const w of r.warnings ?? []) out.push(`> [!WARNING]\n> ${mdText(w)}`, "");
  if (r.violations.length > 0) {
    out.push("**Guard violations** (the change was not committed):", "");
    for (const v of r.violations) out.push(`- ${mdCode(v.rule)}: ${mdText(v.message)}`);
    out.push("");
  }
  if (r.conflicts.length > 0) {
    out.push("**Conflicts with the latest base:**", "", ...r.conflicts.map((f) => `- ${mdCode(f)}`), "");
  }
  if (r.files.length > 0) {
    out.push("<details><summary>Files</summary>", "", "| File | Change | + | − |", "|---|---|---|---|");
    for (const f of r.files.slice(0, MAX_FILES_LISTED)) {
      const name = f.oldPath ? `${mdCode(f.oldPath)} → ${mdCode(f.path)}` : mdCode(f.path);
      out.push(
        `| ${name} | ${mdText(f.status)} | ${f.binary ? "bin" : f.additions} | ${f.binary ? "bin" : f.deletions} |`,
      );
    }
    if (r.files.length > MAX_FILES_LISTED) out.push(`| … ${r.files.length - MAX_FILES_LISTED} more | | | |`);
    out.push("", "</details>", "");
  }
  return out.join("\n").trimEnd() + "\n";
}

/** The whole run: a row per task, then cross-task conflicts; used for the Actions step summary. */
/** Every report of a run without the sandbox says so first. */
export const ISOLATION_NONE_WARNING =
  "> [!WARNING]\n> `isolation: none`: the agents of this run had no sandbox — they could read this machine's credentials and change anything its user can.";

export function renderRunMarkdown(report: RunReport, links: MarkdownLinks = {}): string {
  const out: string[] = [];
  const title = report.mode === "dry-run" ? "claude-tasks dry run" : "claude-tasks run";
  out.push(`## ${title} ${mdCode(report.runId)}`, "");
  if (report.isolation === "none") out.push(ISOLATION_NONE_WARNING, "");
  out.push("| Task | Status | PR | Cost | Turns | Duration | Files |", "|---|---|---|---|---|---|---|");
  for (const r of report.results) {
    const pr = r.pr?.url
      ? `[#${r.pr.number}](${r.pr.url})`
      : r.pr?.action?.startsWith("would")
        ? r.pr.action
        : "–";
    out.push(
      `| ${mdCode(r.task)} | ${STATUS_ICON[r.status] ?? ""} ${r.status} | ${pr} | ${formatCost(r.agent?.costUsd)} | ${
        r.agent?.numTurns ?? "–"
      } | ${formatDuration(r.durationMs)} | ${r.files.length} |`,
    );
  }
  out.push("", `Total cost: ${formatCost(report.totalCostUsd)} · ${formatDuration(report.durationMs)}`, "");
  if (report.crossConflicts.length > 0) {
    out.push("**Tasks whose changes conflict with each other:**", "");
    for (const c of report.crossConflicts)
      out.push(
        `- ${mdCode(c.tasks[0])} ↔ ${mdCode(c.tasks[1])}: ${c.files.map((f) => mdCode(f)).join(", ")}`,
      );
    out.push("");
  }
  for (const r of report.results) {
    if (r.status === "skipped") continue;
    out.push(renderTaskMarkdown(r, links));
  }
  return out.join("\n").trimEnd() + "\n";
}
