import { outcomeOf, type RunReport, type TaskResult } from "../run/types.ts";
import { oneLine, quotePath } from "./escape.ts";
import { formatCost, formatDuration, STATUS_ICON } from "./format.ts";

/** Paints text; the CLI passes a colour function that is a no-op when colour is off. */
export type Painter = (format: "bold" | "dim" | "red" | "green" | "yellow" | "cyan", text: string) => string;

const plain: Painter = (_f, t) => t;

const STATUS_COLOUR: Record<string, "green" | "red" | "yellow" | "dim"> = {
  success: "green",
  no_changes: "dim",
  skipped: "yellow",
};

/** The run report for a terminal: a block per task, then totals. */
export function renderRunText(report: RunReport, paint: Painter = plain): string {
  const out: string[] = [];
  const title = report.mode === "dry-run" ? "dry run" : report.mode === "pr" ? "run (pull requests)" : "run";
  out.push(paint("bold", `claude-tasks ${title} ${report.runId}`), "");
  if (report.isolation === "none")
    out.push(paint("yellow", "⚠ isolation: none — agents ran without a sandbox"), "");
  for (const r of report.results) out.push(...taskLines(r, paint), "");
  for (const c of report.crossConflicts) {
    out.push(
      paint(
        "yellow",
        `⚠ ${c.tasks[0]} and ${c.tasks[1]} change the same lines: ${c.files.map(quotePath).join(", ")}`,
      ),
    );
  }
  const failed = report.results.filter((r) => outcomeOf(r.status) === "failure").length;
  out.push(
    `${report.results.length} task(s), ${failed} failed · ${formatCost(report.totalCostUsd)} · ${formatDuration(report.durationMs)}`,
  );
  return out.join("\n");
}

function taskLines(r: TaskResult, paint: Painter): string[] {
  const lines = [
    `${STATUS_ICON[r.status] ?? ""} ${paint("bold", r.task)} ${paint(STATUS_COLOUR[r.status] ?? "red", r.status)}  ${oneLine(r.message)}`,
  ];
  const facts = [`branch ${r.branch}`, `base ${r.base}${r.baseCommit ? `@${r.baseCommit.slice(0, 7)}` : ""}`];
  if (r.agent?.numTurns !== undefined) facts.push(`${r.agent.numTurns} turns`);
  if (r.agent?.costUsd !== undefined) facts.push(formatCost(r.agent.costUsd));
  facts.push(formatDuration(r.durationMs));
  if (r.attempts > 1) facts.push(`${r.attempts} attempts`);
  if (r.status !== "skipped") lines.push(paint("dim", `   ${facts.join(" · ")}`));
  const shown = r.files.slice(0, 30).map((f) => ({
    f,
    name: f.oldPath ? `${quotePath(f.oldPath)} → ${quotePath(f.path)}` : quotePath(f.path),
  }));
  const width = shown.reduce((w, s) => Math.max(w, s.name.length), 0);
  for (const { f, name } of shown) {
    const stat = f.binary
      ? "binary"
      : `${paint("green", `+${f.additions}`)} ${paint("red", `-${f.deletions}`)}`;
    lines.push(`   ${name.padEnd(width)}  ${f.status.padEnd(8)} ${stat}`);
  }
  if (r.files.length > 30) lines.push(`   … ${r.files.length - 30} more files`);
  for (const v of r.violations) lines.push(paint("red", `   ✗ ${v.rule}: ${oneLine(v.message)}`));
  for (const c of r.conflicts) lines.push(paint("red", `   ✗ conflict: ${quotePath(c)}`));
  for (const w of r.warnings ?? []) lines.push(paint("yellow", `   ⚠ ${oneLine(w)}`));
  if (r.agent?.error && r.status !== "success")
    lines.push(paint("red", `   agent: ${oneLine(r.agent.error, 1000)}`));
  if (r.pr?.url) lines.push(`   PR ${r.pr.action}: ${r.pr.url}`);
  if (r.backup)
    lines.push(paint("dim", `   backup ${r.backup} (restore with: claude-tasks restore ${r.backup})`));
  return lines;
}
