/**
 * Self-healing pull requests: a `workflow_run` that completed with `failure` on a task's branch runs the
 * task again on that branch, with the failing jobs' logs as context, and commits the fix on top.
 *
 * 1. only completed, failed runs of this repository's own branches are read (never a fork's head);
 * 2. the branch must be a task's branch, the task must opt in (`ci_fix`), and the failing run must be
 *    of the branch's current tip (an older run's failure is already history);
 * 3. the branch must hold only claude-tasks commits of this task; otherwise the PR gets a comment;
 * 4. the attempts are counted from the branch itself: each fix commit carries `Claude-Tasks-CI-Fix: N`
 *    (made by the engine, never by the agent, whose commits are folded into the engine's one commit).
 *    The count lives and dies with the branch — a regenerated branch starts again at 0 — and any run can
 *    read it with one fetch, with no shared state to claim. Out of attempts: a comment instead;
 * 5. the run goes through `runTasks` onto the branch (sandbox, guards, backup, leased push, no force).
 *
 * Everything that touches the repository or runs tasks is injected, as in the comment flow.
 */
import type { Task } from "../config/index.ts";
import { errorMessage } from "../errors.ts";
import { fetchRefs, foreignCommits, type Git, lsRemote, resolveCommit } from "../git/index.ts";
import type { GitHub, PullRequest } from "../github/index.ts";
import { type Logger, silentLogger } from "../logger.ts";
import { mdCode, mdText, oneLine } from "../report/escape.ts";
import type { FollowUp, OntoBranch } from "../run/options.ts";
import { TRUSTED_CONFIG_PATHS, type TrustedConfig } from "../run/trusted-config.ts";
import type { RunReport, TaskResult } from "../run/types.ts";
import { cleanLog, type FailedJobLog, failureContext, MAX_JOBS, MAX_LOG_DOWNLOAD } from "./ci-log.ts";
import type { WorkflowRunEvent } from "./payload.ts";

export const TRAILER_CI_FIX = "Claude-Tasks-CI-Fix";

export interface CiFixRunRequest {
  tasks: [Task];
  onto: OntoBranch;
  base: string;
  trustedConfig: TrustedConfig;
  followUp: FollowUp;
  trigger: string;
}

export interface CiFailureOptions {
  event: WorkflowRunEvent;
  gh: GitHub;
  /** The engine's git in the checkout (authenticated for fetch). */
  git: Git;
  remote: string;
  /** The configured tasks (from the trusted checkout of the default branch). */
  tasks: readonly Task[];
  execute: (req: CiFixRunRequest) => Promise<RunReport>;
  /** Values never handed to the agent in a log (the token, the model key). */
  secrets?: readonly string[];
  links?: { runUrl?: string };
  logger?: Logger;
}

export type CiFailureOutcome =
  | { status: "ignored"; reason: string }
  | { status: "refused"; reason: string; commentId: number }
  | { status: "ran"; report: RunReport; result: TaskResult | undefined; attempt: number; commentId?: number };

export interface ScreenedFailure {
  runId: number;
  branch: string;
  headSha: string;
  workflow: string;
}

/** Decides from the payload alone whether this event is a CI failure to look at. Pure. */
export function screenCiFailure(
  e: WorkflowRunEvent,
): { ok: true; failure: ScreenedFailure } | { ok: false; reason: string } {
  const run = e.run;
  if (e.action !== "completed")
    return { ok: false, reason: `workflow run ${e.action ?? "event"}, not completed` };
  if (!run?.id || !run.headBranch || !run.headSha)
    return { ok: false, reason: "the payload has no workflow run, branch or commit" };
  if (run.conclusion !== "failure")
    return {
      ok: false,
      reason: `the workflow run ended with ${run.conclusion ?? "no conclusion"}, not failure`,
    };
  if (!run.headRepository || !e.repository || run.headRepository.toLowerCase() !== e.repository.toLowerCase())
    return { ok: false, reason: "the workflow run is of a fork's branch" };
  return {
    ok: true,
    failure: { runId: run.id, branch: run.headBranch, headSha: run.headSha, workflow: run.name ?? "CI" },
  };
}

export async function handleCiFailure(o: CiFailureOptions): Promise<CiFailureOutcome> {
  const logger = o.logger ?? silentLogger;
  const screened = screenCiFailure(o.event);
  if (!screened.ok) return { status: "ignored", reason: screened.reason };
  const f = screened.failure;
  const task = o.tasks.find((t) => t.branch === f.branch);
  if (!task) return { status: "ignored", reason: `\`${f.branch}\` is no task's branch` };
  if (!task.ci_fix) return { status: "ignored", reason: `task ${task.name} does not fix CI (no \`ci_fix\`)` };
  if (!task.enabled) return { status: "ignored", reason: `task ${task.name} is disabled` };
  if (task.kind !== "claude")
    return { status: "ignored", reason: `task ${task.name} is a \`run:\` command: only Claude tasks fix CI` };

  const tip = await fetchTip(o, f.branch);
  if (!tip) return { status: "ignored", reason: `\`${f.branch}\` no longer exists` };
  if (tip !== f.headSha)
    return {
      status: "ignored",
      reason: `\`${f.branch}\` moved since the failing run (now ${tip.slice(0, 7)}); its own CI decides`,
    };
  const pr = await o.gh.findOpenPr(f.branch);
  if (!pr) return { status: "ignored", reason: `\`${f.branch}\` has no open pull request` };
  const base = await fetchTip(o, pr.baseRef);
  if (!base) return { status: "ignored", reason: `the base \`${pr.baseRef}\` of #${pr.number} is gone` };

  const footer = o.links?.runUrl ? `\n\n[Workflow run](${o.links.runUrl})` : "";
  const refuse = async (reason: string, text: string): Promise<CiFailureOutcome> => {
    const c = await o.gh.createComment(pr.number, `${text}${footer}`);
    return { status: "refused", reason, commentId: c.id };
  };
  const foreign = await foreignCommits({ git: o.git, branch: tip, base, task: task.name });
  if (foreign.length > 0) {
    const c = foreign[0]!;
    return refuse(
      `\`${f.branch}\` has commits not made by claude-tasks`,
      `⚠️ CI failed on this pull request, and claude-tasks did not try to fix it: the branch has commits not made by claude-tasks (${mdCode(c.sha.slice(0, 7))}: ${mdText(c.reason, 200)}), so it is left to you.`,
    );
  }
  const done = await fixAttempts(o.git, base, tip);
  const max = task.ci_fix.max_attempts;
  if (done >= max) {
    return refuse(
      `task ${task.name} is out of CI fix attempts (${done} of ${max})`,
      `⚠️ CI failed again on this pull request, and claude-tasks made its ${max} fix attempt${max === 1 ? "" : "s"} already (\`ci_fix.max_attempts\`): it is left to you.`,
    );
  }

  const jobs = await failedJobLogs(o, f.runId, logger);
  const attempt = done + 1;
  const report = await o.execute({
    tasks: [task],
    onto: { branch: f.branch },
    base: pr.baseRef,
    trustedConfig: { source: pr.baseRef, paths: [...TRUSTED_CONFIG_PATHS] },
    followUp: {
      context: failureContext({ workflow: f.workflow, headSha: f.headSha, jobs }),
      subject: `Fix CI: ${task.pr.title}`,
      trailers: { [TRAILER_CI_FIX]: String(attempt) },
    },
    trigger: `CI failure of ${oneLine(f.workflow, 100)} on ${f.branch} (fix ${attempt} of ${max})`,
  });
  const result = report.results.find((r) => r.task === task.name);
  const commentId = await bestEffort(logger, "comment on the pull request", () =>
    o.gh.createComment(pr.number, `${fixReply(result, pr, attempt, max)}${footer}`),
  );
  return { status: "ran", report, result, attempt, ...(commentId ? { commentId: commentId.id } : {}) };
}

/** Fix commits already on the branch: those since the base carrying the `Claude-Tasks-CI-Fix` trailer. */
export async function fixAttempts(git: Git, base: string, tip: string): Promise<number> {
  const r = await git.run([
    "log",
    "-z",
    `--format=%(trailers:key=${TRAILER_CI_FIX},valueonly)`,
    `${base}..${tip}`,
  ]);
  return r.stdout.split("\0").filter((v) => v.trim() !== "").length;
}

async function fetchTip(o: CiFailureOptions, branch: string): Promise<string | undefined> {
  const ref = `refs/heads/${branch}`;
  const tips = await lsRemote({ git: o.git, remote: o.remote, refs: [ref] });
  if (!tips.has(ref)) return undefined;
  const local = `refs/remotes/${o.remote}/${branch}`;
  await fetchRefs({ git: o.git, remote: o.remote, refspecs: [`+${ref}:${local}`] });
  return resolveCommit(o.git, local);
}

async function failedJobLogs(o: CiFailureOptions, runId: number, logger: Logger): Promise<FailedJobLog[]> {
  let jobs: Awaited<ReturnType<GitHub["failedJobs"]>>;
  try {
    jobs = await o.gh.failedJobs(runId);
  } catch (err) {
    logger.warn(`could not list the jobs of workflow run ${runId}: ${errorMessage(err)}`);
    return [];
  }
  const out: FailedJobLog[] = [];
  for (const j of jobs.slice(0, MAX_JOBS)) {
    try {
      const raw = await o.gh.jobLogTail(j.id, MAX_LOG_DOWNLOAD);
      out.push({ name: j.name, log: cleanLog(raw, { secrets: o.secrets ?? [] }) });
    } catch (err) {
      logger.warn(`could not read the log of job ${j.id}: ${errorMessage(err)}`);
      out.push({ name: j.name, error: errorMessage(err) });
    }
  }
  return out;
}

function fixReply(r: TaskResult | undefined, pr: PullRequest, attempt: number, max: number): string {
  const n = `(attempt ${attempt} of ${max})`;
  if (!r) return `❌ claude-tasks could not run the CI fix ${n}.`;
  if (r.status === "success" && r.commit)
    return `🔧 CI failed; claude-tasks pushed a fix onto ${mdCode(pr.headRef)}: ${mdCode(r.commit.slice(0, 7))} ${n}.`;
  if (r.status === "no_changes") return `➖ CI failed; claude-tasks found nothing to change ${n}.`;
  return `❌ CI failed; the fix attempt ${n} ended with ${r.status}: ${mdText(r.message, 1000)}`;
}

async function bestEffort<T>(logger: Logger, what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    logger.warn(`could not ${what}: ${errorMessage(err)}`);
    return undefined;
  }
}
