import { type Locate, type Problem, problemAt } from "../errors.ts";
import { closest } from "../suggest.ts";
import { findCycles, type IndexedGraph, indexGraph, kahnOrder, type NeedsNode } from "./graph.ts";

export type RunCondition = "success" | "always" | "failure";

/** What the graph and plan functions need of a task (the config's `Task` satisfies it). */
export interface GraphTask extends NeedsNode {
  /** When the task runs relative to its `needs` in the same run. */
  readonly if: RunCondition;
  readonly enabled: boolean;
}

export const MAX_NEEDS = 100;
/** The longest allowed chain of needs, counted in edges (a task with no needs is at depth 0). */
export const MAX_DEPTH = 100;
/** Suggestions cost a scan of every name; stop suggesting after this many unknown needs. */
const MAX_SUGGESTIONS = 50;

/**
 * Problems with the `needs` graph, each located in the task file that has it:
 * - more than 100 needs on one task (error, at `["needs"]`);
 * - a task needing itself, or a need that names no task (errors, with did-you-mean);
 * - a need listed twice (warning);
 * - a need on a disabled task (warning: it never runs, so it never blocks);
 * - cycles, each reported once with its full path `a → b → c → a`, at the first task's (by name)
 *   needs entry that starts the cycle (error);
 * - a needs chain deeper than 100 (error, at the first task beyond the limit).
 */
export function graphProblems(
  tasks: readonly GraphTask[],
  locate: Locate,
  opts: { invalidTasks?: readonly string[] } = {},
): Problem[] {
  // Tasks whose files have errors are reported there; a need on one is not "unknown".
  const invalid = new Set(opts.invalidTasks ?? []);
  const problems: Problem[] = [];
  const byName = new Map(tasks.map((t) => [t.name, t]));
  let suggestions = 0;
  for (const task of tasks) {
    if (task.needs.length > MAX_NEEDS) {
      problems.push(
        problemAt(
          locate(task.name, ["needs"]),
          `\`${task.name}\` needs ${task.needs.length} tasks; the maximum is ${MAX_NEEDS}`,
        ),
      );
    }
    const seen = task.needs.length > 1 ? new Set<string>() : undefined;
    task.needs.forEach((need, i) => {
      const at = () => locate(task.name, ["needs", i]);
      if (seen?.has(need)) {
        problems.push(problemAt(at(), `\`${need}\` is listed more than once in needs`, "warning"));
        return;
      }
      seen?.add(need);
      if (need === task.name) {
        problems.push(problemAt(at(), `\`${task.name}\` needs itself`));
        return;
      }
      const target = byName.get(need);
      if (target === undefined && invalid.has(need)) return;
      if (target === undefined) {
        const meant = suggestions++ < MAX_SUGGESTIONS ? closest(need, byName.keys()) : undefined;
        problems.push(
          problemAt(
            at(),
            `unknown task \`${need}\` in needs${meant === undefined ? "" : `, did you mean \`${meant}\`?`}`,
          ),
        );
        return;
      }
      if (!target.enabled && task.enabled) {
        problems.push(
          problemAt(
            at(),
            `\`${need}\` is disabled, so \`${task.name}\` never waits for it (enabled: false)`,
            "warning",
          ),
        );
      }
    });
  }

  const g = indexGraph(tasks);
  const { order, complete } = kahnOrder(g);
  for (const cycle of complete ? [] : findCycles(g)) {
    if (cycle.length === 2) continue; // a self-loop, reported above as "needs itself"
    const first = g.names[cycle[0]!]!;
    const next = g.names[cycle[1]!]!;
    const path = cycle.map((id) => g.names[id]).join(" → ");
    const entry = byName.get(first)!.needs.indexOf(next);
    problems.push(problemAt(locate(first, ["needs", entry]), `needs cycle: ${path}`));
  }
  problems.push(...depthProblems(g, order, locate));
  return problems;
}

/** Tasks whose longest needs chain exceeds `MAX_DEPTH` edges; only the first task past the limit on each chain. */
function depthProblems(g: IndexedGraph, order: readonly number[], locate: Locate): Problem[] {
  // `order` leaves out tasks on or behind a cycle: they have their own error
  const depth = new Int32Array(g.names.length);
  const via = new Int32Array(g.names.length).fill(-1);
  const problems: Problem[] = [];
  for (const id of order) {
    for (const d of g.deps[id]!) {
      if (depth[d]! + 1 > depth[id]!) {
        depth[id] = depth[d]! + 1;
        via[id] = d;
      }
    }
    if (depth[id] === MAX_DEPTH + 1) {
      let root = id;
      while (via[root] !== -1) root = via[root]!;
      const name = g.names[id]!;
      problems.push(
        problemAt(
          locate(name, ["needs"]),
          `needs chain too deep: \`${name}\` is ${MAX_DEPTH + 1} needs away from \`${g.names[root]}\`; the maximum depth is ${MAX_DEPTH}`,
        ),
      );
    }
  }
  return problems;
}
