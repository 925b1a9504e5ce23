/** A Mermaid graph of the needs between tasks (for step summaries), or "" when no task needs another. */
import type { TaskStatus } from "../run/types.ts";
import { STATUS_ICON } from "./format.ts";

export interface NeedsNode {
  name: string;
  needs: readonly string[];
}

/** At most this many nodes are drawn; a bigger graph is noise in a summary. */
const MAX_NODES = 100;

export function renderNeedsMermaid(
  nodes: readonly NeedsNode[],
  status: Readonly<Record<string, TaskStatus>> = {},
): string {
  const names = new Set(nodes.map((n) => n.name));
  const edges = nodes.flatMap((n) =>
    n.needs.filter((d) => names.has(d) && d !== n.name).map((d) => [d, n.name] as const),
  );
  if (edges.length === 0 || nodes.length > MAX_NODES) return "";
  const id = new Map(nodes.map((n, i) => [n.name, `t${i}`]));
  const lines = ["```mermaid", "graph LR"];
  for (const n of nodes) {
    const s = status[n.name];
    const label = s ? `${n.name} ${STATUS_ICON[s] ?? ""}`.trim() : n.name;
    lines.push(`  ${id.get(n.name)}["${label.replace(/"/g, "#quot;")}"]`);
  }
  for (const [from, to] of edges) lines.push(`  ${id.get(from)} --> ${id.get(to)}`);
  lines.push("```");
  return `${lines.join("\n")}\n`;
}
