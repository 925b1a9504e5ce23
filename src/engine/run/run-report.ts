/** The run report of a set of task results: one shape for a run and for a publish job. */
import { type Git, pairwiseConflicts } from "../git/index.ts";
import type { Isolation } from "../sandbox/types.ts";
import { roundUsd } from "./result.ts";
import { outcomeOf, type RunMode, type RunReport, type TaskResult } from "./types.ts";

export async function assembleReport(o: {
  git: Git;
  runId: string;
  mode: RunMode;
  started: number;
  trigger?: string;
  results: TaskResult[];
  isolation?: Isolation;
}): Promise<RunReport> {
  const committed = o.results.filter((r) => r.commit && (r.status === "success" || r.status === "conflict"));
  const crossConflicts =
    committed.length > 1
      ? await pairwiseConflicts({
          git: o.git,
          results: committed.map((r) => ({ task: r.task, commit: r.localCommit ?? r.commit! })),
        })
      : [];
  return {
    version: 1,
    runId: o.runId,
    mode: o.mode,
    startedAt: new Date(o.started).toISOString(),
    durationMs: Date.now() - o.started,
    ...(o.trigger ? { trigger: o.trigger } : {}),
    results: o.results,
    crossConflicts,
    ...(o.isolation ? { isolation: o.isolation } : {}),
    totalCostUsd: roundUsd(o.results.reduce((sum, r) => sum + (r.agent?.costUsd ?? 0), 0)),
    ok: o.results.every((r) => outcomeOf(r.status) !== "failure"),
  };
}
