/** A RunPlan for a step summary (the Action's `mode: plan`): what runs, in which groups, what was skipped. */
import type { RunPlan } from "../plan/plan.ts";
import { renderNeedsMermaid } from "./mermaid.ts";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function renderPlanMarkdown(
  plan: RunPlan,
  opts: { title?: string; notes?: readonly string[] } = {},
): string {
  const out: string[] = [`## ${opts.title ?? "claude-tasks plan"}`, ""];
  for (const note of opts.notes ?? []) out.push(`> ${cell(note)}`, "");
  if (plan.tasks.length === 0) {
    out.push(plan.since ? `No task is due between ${plan.since} and ${plan.now}.` : "No task to run.", "");
  } else {
    out.push(`${plan.tasks.length} task(s) in ${plan.groups.length} group(s).`, "");
    out.push("| Task | Group | Why | Needs |", "|---|---|---|---|");
    for (const t of plan.tasks) {
      const needs =
        [...t.needs, ...t.needsOutsidePlan.map((n) => `${n} (not in this run)`)].join(", ") || "–";
      out.push(`| \`${t.name}\` | \`${t.group}\` | ${cell(t.reason)} | ${cell(needs)} |`);
    }
    out.push("");
    const graph = renderNeedsMermaid(plan.tasks);
    if (graph) out.push(graph);
  }
  if (plan.skipped.length > 0) {
    out.push("**Skipped:**", "", ...plan.skipped.map((s) => `- \`${s.name}\`: ${s.reason}`), "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}
