/**
 * From an event's decision to the run it asks for: which tasks (and why), their plan, the notes for
 * the summary, the trigger line and the run id. One switch on the decision's kind; a new trigger is a
 * new case here (and in `routeEvent`).
 *
 * | kind          | selection                                                                    |
 * | ------------- | ---------------------------------------------------------------------------- |
 * | `named`       | the tasks the `tasks` input names (names, globs)                             |
 * | `all`         | every enabled task (`workflow_dispatch`)                                     |
 * | `push`        | enabled tasks on the pushed branch whose `watch` matches a changed file     |
 * | `schedule`    | the due fire times, claimed compare-and-swap from the schedule state        |
 * | `comment-run` | what a comment command asked for (on a PR's head; a fork's is a dry run)     |
 *
 * Everything with I/O is injected: the clock (`now`), git (lazily: only a push without a file list
 * and a schedule claim need it) and the claim itself.
 */
import type { Task } from "../config/index.ts";
import type { Git } from "../git/index.ts";
import { type Logger, silentLogger } from "../logger.ts";
import { buildPlan, planOf, type RunPlan, type Selection } from "../plan/index.ts";
import { effectiveDryRun, type OntoBranch } from "../run/onto.ts";
import type { FollowUp } from "../run/options.ts";
import { newRunId } from "../run/run-id.ts";
import type { TrustedConfig } from "../run/trusted-config.ts";
import { evaluateSchedules } from "../schedule/index.ts";
import { type ClaimOptions, type ClaimResult, claimDueTasks } from "../schedule/state.ts";
import { selectTasks } from "../select-tasks.ts";
import type { CommentRunRequest } from "./comment-flow.ts";
import { diffChangedFiles } from "./push.ts";
import type { TriggerDecision } from "./route.ts";
import { watchedTasks } from "./watch.ts";

/** A decision that runs tasks: routed from the event, or a comment command's request. */
export type RunDecision =
  | Exclude<TriggerDecision, { kind: "comment" | "ci-failure" | "ignore" }>
  | { kind: "comment-run"; request: Omit<CommentRunRequest, "progress"> };

export interface ResolveRunInput {
  decision: RunDecision;
  /** Every task of the configuration, effective (the trusted checkout's). */
  tasks: readonly Task[];
  now: Date;
  /** The run pushes nothing (the `dry-run` input). */
  dryRun: boolean;
  /** Read the schedule state without claiming (a job that runs but does not land). Default `dryRun`. */
  peek?: boolean;
  /** Only a plan is wanted (`mode: plan`): the notes leave out what the plan's table says already. */
  planOnly?: boolean;
  /** Overrides every task's base (the `base` input). */
  base?: string;
  /** The repository's default branch (from the event), the base of tasks without one. */
  defaultBranch?: string;
  /** The engine's git, authenticated for fetch/push; asked for only when needed. */
  git: () => Promise<Git>;
  remote: string;
  logger?: Logger;
  /**
   * Called with the enabled scheduled tasks before anything is claimed: throw to refuse the run before
   * a fire time is spent (e.g. no model credentials).
   */
  beforeClaim?: (scheduled: readonly Task[]) => void;
  /** Default `claimDueTasks`. */
  claim?: (opts: ClaimOptions) => Promise<ClaimResult>;
  /** Default a new id from `now` (the schedule state records which run claimed a fire time). */
  runId?: string;
}

export interface ResolvedRun {
  plan: RunPlan;
  /** The definitions of the plan's tasks (an ad-hoc comment task is in no configuration). */
  tasks: readonly Task[];
  /** Lines for the summary: why tasks ran or did not. */
  notes: string[];
  /** Problems worth a warning annotation (a damaged schedule state). */
  warnings: string[];
  /** Shown in reports: "schedule 2026-03-10T06:05Z", "push abc1234 to main by @octocat", … */
  trigger: string;
  runId: string;
  /** Nothing is pushed: asked for, or the run is on a fork's head (see `run/onto.ts`). */
  dryRun: boolean;
  /** Each task opens or updates its own pull request (false on a PR's head). */
  publish: boolean;
  onto?: OntoBranch;
  base?: string;
  trustedConfig?: TrustedConfig;
  /** A follow-up on the task's own branch (a CI fix): set by its flow, not by `resolveRun`. */
  followUp?: FollowUp;
}

export async function resolveRun(i: ResolveRunInput): Promise<ResolvedRun> {
  const runId = i.runId ?? newRunId(i.now);
  const d = i.decision;
  const run = (selected: Selection[], extra: Partial<ResolvedRun> = {}, since?: Date): ResolvedRun => ({
    plan: buildPlan({ tasks: i.tasks, selected, now: i.now, ...(since ? { since } : {}) }),
    tasks: i.tasks,
    notes: [],
    warnings: [],
    trigger: "trigger" in d ? d.trigger : "",
    runId,
    dryRun: i.dryRun,
    publish: true,
    ...extra,
  });
  switch (d.kind) {
    case "named":
      return run(selectTasks(i.tasks, d.patterns).map((t) => ({ name: t.name, reason: d.trigger })));
    case "all":
      return run(i.tasks.filter((t) => t.enabled).map((t) => ({ name: t.name, reason: d.trigger })));
    case "push":
      return run(await pushSelection(i, d));
    case "schedule":
      return scheduleRun(i, runId, run);
    case "comment-run": {
      const r = d.request;
      return {
        plan: planOf(r.tasks, r.trigger, i.now),
        tasks: r.tasks,
        notes: [],
        warnings: [],
        trigger: r.trigger,
        runId,
        dryRun: effectiveDryRun(r.dryRun || i.dryRun, r.onto),
        publish: r.publish,
        ...(r.onto ? { onto: r.onto } : {}),
        ...(r.base ? { base: r.base } : {}),
        ...(r.trustedConfig ? { trustedConfig: r.trustedConfig } : {}),
      };
    }
    default:
      return unreachable(d);
  }
}

function unreachable(d: never): never {
  throw new Error(`no run for the decision ${JSON.stringify(d)}`);
}

/** The tasks a push asks for: whose base is the pushed branch and whose `watch` matches a changed file. */
async function pushSelection(
  i: ResolveRunInput,
  d: Extract<RunDecision, { kind: "push" }>,
): Promise<Selection[]> {
  const logger = i.logger ?? silentLogger;
  const files =
    "files" in d.changes
      ? d.changes.files
      : await diffChangedFiles({ git: await i.git(), remote: i.remote, ...d.changes.diff });
  if ("reason" in d.changes) logger.info(`changed files from git (${d.changes.reason})`);
  const selected = watchedTasks(i.tasks, files, {
    branch: d.branch,
    base: i.base,
    defaultBase: i.defaultBranch ?? d.branch,
  });
  logger.info(`${files.length} changed file(s); ${selected.length} task(s) watch them`);
  return selected;
}

/** The due fire times, claimed from the schedule state (only read when `peek`). */
async function scheduleRun(
  i: ResolveRunInput,
  runId: string,
  run: (selected: Selection[], extra: Partial<ResolvedRun>, since?: Date) => ResolvedRun,
): Promise<ResolvedRun> {
  const { now } = i;
  i.beforeClaim?.(
    i.tasks.filter((t) => t.enabled && (typeof t.schedule === "string" || t.schedule.length > 0)),
  );
  const claim = await (i.claim ?? claimDueTasks)({
    git: await i.git(),
    remote: i.remote,
    tasks: i.tasks,
    now,
    runId,
    peek: i.peek ?? i.dryRun,
  });
  const notes: string[] = [];
  const warnings: string[] = [];
  if (claim.problem) {
    warnings.push(claim.problem);
    notes.push(claim.problem);
  }
  if (claim.firstRun && !claim.problem)
    notes.push("first run: no schedule state yet, so only fire times of the last hour were considered");
  if (i.dryRun) notes.push("dry run: the schedule state was read, not claimed");
  notes.push(...scheduleNotes(claim, i.tasks, now, i.planOnly ?? false));
  const starts = i.tasks.map((t) => claim.since(t.name)).filter((s): s is Date => s !== undefined);
  const since = starts.length > 0 ? new Date(Math.min(...starts.map((s) => s.getTime()))) : undefined;
  return run(
    claim.due.map((due) => ({ name: due.name, fireTimes: due.fireTimes, reason: due.reason })),
    { notes, warnings, trigger: `schedule ${now.toISOString().slice(0, 16)}Z` },
    since,
  );
}

/**
 * Why each scheduled task runs (its fire times and what the `missed` policy did; a plan's table says it
 * already), and which were passed over because their fire times are too old for `missed: skip`.
 */
function scheduleNotes(claim: ClaimResult, tasks: readonly Task[], now: Date, planOnly: boolean): string[] {
  const notes = planOnly ? [] : claim.due.map((d) => `\`${d.name}\`: ${d.reason}`);
  const due = new Set(claim.due.map((d) => d.name));
  for (const e of evaluateSchedules(
    tasks.filter((t) => !due.has(t.name)),
    { since: claim.since, now },
  )) {
    if (!e.due && e.missedCount > 0) notes.push(`\`${e.name}\` not run: ${e.reason}`);
  }
  return notes;
}
