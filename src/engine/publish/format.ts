/**
 * What a run job hands to the publish job, one directory per task:
 *
 * ```
 * <dir>/<anything>/result.json    the run's TaskResult (display only, see below)
 * <dir>/<anything>/change.bundle  the task's commit against its base (`git bundle`), when it made one
 * ```
 *
 * The run job ran attacker code (the agent, a `run:` command), so everything in here is data from an
 * untrusted source. The publish job takes only two things from it: the bundle's tree (which it checks
 * again with every guard, against the task definition of the trusted base branch) and, for display, a
 * few bounded fields of `result.json` (the agent's summary, cost, turns). A status the run job claims
 * can only ever make the publish job do less: "failed" publishes nothing, "success" proves nothing.
 */
import { NOT_RUN_KINDS } from "../budget/ledger.ts";
import { withholdSecrets } from "../run/redact.ts";
import type { AgentSummary, TaskStatus } from "../run/types.ts";
import { z } from "../zod.ts";

export const RESULT_FILE = "result.json";
export const BUNDLE_FILE = "change.bundle";
/** The ref a bundle carries (one per bundle; the task's commit). */
export const EXPORT_REF = "refs/claude-tasks/export/change";
/** Upper bound on `result.json` read by the publish job. */
export const MAX_RESULT_BYTES = 1 << 20;

const STATUSES = [
  "success",
  "no_changes",
  "failed",
  "timeout",
  "max_turns",
  "budget_exhausted",
  "refused",
  "conflict",
  "skipped",
  "cancelled",
] as const satisfies readonly TaskStatus[];

const text = (max: number) =>
  z
    .string()
    .transform((s) => (s.length > max ? `${s.slice(0, max)}…` : s))
    .catch("");
const count = z.number().nonnegative().optional().catch(undefined);

/** The fields of a run job's `result.json` the publish job reads; anything else is ignored. */
export const ExportedResult = z.object({
  version: z.literal(1),
  task: z.string(),
  status: z.enum(STATUSES),
  message: text(2000),
  attempts: z.number().int().nonnegative().max(100).catch(1),
  durationMs: z.number().nonnegative().catch(0),
  fireTimes: z.array(z.string().max(40)).max(100).optional().catch(undefined),
  /** A run its own pre-check stopped (`if_command`): the publish job lists it with the runs that did not happen. */
  notRun: z.enum(NOT_RUN_KINDS).optional().catch(undefined),
  agent: z
    .object({
      kind: z.enum(["claude", "command"]),
      status: text(40),
      summary: text(20_000),
      error: text(2000).optional(),
      model: text(100).optional(),
      numTurns: count,
      costUsd: count,
      durationMs: z.number().nonnegative().catch(0),
    })
    .optional()
    .catch(undefined),
});
export type ExportedResult = z.infer<typeof ExportedResult>;

/** The run's agent summary, for the PR body and the report: bounded and with credentials withheld. */
export function displayAgent(r: ExportedResult): AgentSummary | undefined {
  const a = r.agent;
  if (!a) return undefined;
  return {
    kind: a.kind,
    status: withholdSecrets(a.status),
    summary: withholdSecrets(a.summary),
    ...(a.error ? { error: withholdSecrets(a.error) } : {}),
    ...(a.model ? { model: a.model } : {}),
    ...(a.numTurns !== undefined ? { numTurns: a.numTurns } : {}),
    ...(a.costUsd !== undefined ? { costUsd: a.costUsd } : {}),
    durationMs: a.durationMs,
    transient: false,
  };
}
