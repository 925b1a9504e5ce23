/**
 * Runs a DAG of tasks with at most `maxParallel` at once. A task starts when every need that is part
 * of this run has finished, and only if its `if` condition holds (GitHub Actions semantics):
 * `success` — every need succeeded; `failure` — at least one need failed; `always` — regardless.
 * Needs outside the run are ignored here (the plan reports them).
 */
import type { Outcome } from "./types.ts";

export type { Outcome };

export interface GraphNode {
  name: string;
  needs: readonly string[];
  if: "success" | "always" | "failure";
}

export interface ExecuteGraphOptions<R> {
  nodes: readonly GraphNode[];
  maxParallel: number;
  run: (name: string) => Promise<R>;
  outcome: (result: R) => Outcome;
  skip: (name: string, reason: string) => R;
  /** Turns an unexpected exception of `run` into a result, so one bug cannot stall the graph. */
  crash: (name: string, error: unknown) => R;
  signal?: AbortSignal;
}

export async function executeGraph<R>(opts: ExecuteGraphOptions<R>): Promise<Map<string, R>> {
  const { nodes, outcome } = opts;
  const inRun = new Set(nodes.map((n) => n.name));
  const needsOf = new Map(nodes.map((n) => [n.name, n.needs.filter((d) => inRun.has(d))]));
  const dependents = new Map<string, string[]>(nodes.map((n) => [n.name, []]));
  for (const [name, needs] of needsOf) for (const d of needs) dependents.get(d)!.push(name);
  const pending = new Map(nodes.map((n) => [n.name, needsOf.get(n.name)!.length]));
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const results = new Map<string, R>();
  const ready: string[] = nodes.filter((n) => pending.get(n.name) === 0).map((n) => n.name);
  const running = new Set<Promise<void>>();
  const maxParallel = Math.max(1, opts.maxParallel);

  const finish = (name: string, result: R) => {
    results.set(name, result);
    for (const dep of dependents.get(name)!) {
      const left = pending.get(dep)! - 1;
      pending.set(dep, left);
      if (left === 0) ready.push(dep);
    }
  };

  const start = (name: string) => {
    if (opts.signal?.aborted) return finish(name, opts.skip(name, "run cancelled before the task started"));
    const reason = blockedReason(byName.get(name)!, needsOf.get(name)!, (d) => outcome(results.get(d)!));
    if (reason) return finish(name, opts.skip(name, reason));
    const p = opts
      .run(name)
      .then(
        (r) => finish(name, r),
        (err: unknown) => finish(name, opts.crash(name, err)),
      )
      .finally(() => running.delete(p));
    running.add(p);
  };

  while (ready.length > 0 || running.size > 0) {
    while (ready.length > 0 && running.size < maxParallel) start(ready.shift()!);
    if (running.size > 0) await Promise.race(running);
  }
  return results;
}

function blockedReason(
  node: GraphNode,
  needs: readonly string[],
  outcomeOf: (d: string) => Outcome,
): string | undefined {
  if (node.if === "always" || needs.length === 0) return undefined;
  const outcomes = needs.map((d) => [d, outcomeOf(d)] as const);
  if (node.if === "failure") {
    return outcomes.some(([, o]) => o === "failure")
      ? undefined
      : `if: failure, and no dependency failed (${needs.join(", ")})`;
  }
  const bad = outcomes.find(([, o]) => o !== "success");
  return bad ? `dependency \`${bad[0]}\` ${bad[1] === "failure" ? "failed" : "was skipped"}` : undefined;
}
