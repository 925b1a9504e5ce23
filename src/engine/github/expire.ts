/**
 * `pr.expires`: a task's pull request left open longer than that, whose branch carries only
 * claude-tasks commits, is closed with a comment and its branch deleted — after the branch tip is kept
 * as a backup ref on the remote (`refs/claude-tasks/backups/<branch>/<time>`), in the same atomic push
 * as the deletion, with a lease on the tip that was checked (a push meanwhile makes it a no-op).
 * A branch with anyone else's commit is never closed.
 *
 * Cost when nothing is stale: 1 API call (find the open PR). When it is: 1 fetch, 1 push, 2 calls.
 */
import { errorMessage } from "../errors.ts";
import type { Git } from "../git/exec.ts";
import { BACKUP_REF_PREFIX, fetchRefs, foreignCommits, pushRefs, resolveCommit } from "../git/index.ts";
import { mdCode } from "../report/escape.ts";
import type { GitHub } from "./client.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Milliseconds of a `pr.expires` value (`14d`). */
export function expiresMs(value: string): number {
  const m = /^(\d+)d$/.exec(value);
  if (!m) throw new Error(`not a number of days: ${value}`);
  return Number(m[1]) * DAY_MS;
}

export interface ExpireOptions {
  gh: GitHub;
  /** The engine's git in the repository (it fetches and pushes). */
  git: Git;
  remote: string;
  task: string;
  /** The task's branch. */
  branch: string;
  /** The task's base branch, when known (default: the pull request's base). */
  base?: string | undefined;
  /** `pr.expires`, e.g. `14d`. */
  expires: string;
  now?: Date;
}

export type ExpireResult =
  | { action: "none" }
  | { action: "kept"; number: number; reason: string }
  | { action: "closed"; number: number; backup: string };

export async function expireStalePullRequest(o: ExpireOptions): Promise<ExpireResult> {
  const now = o.now ?? new Date();
  const pr = await o.gh.findOpenPr(o.branch, o.base ? { base: o.base } : {});
  if (!pr || pr.isFork || !pr.createdAt) return { action: "none" };
  if (now.getTime() - Date.parse(pr.createdAt) < expiresMs(o.expires)) return { action: "none" };

  const baseRef = o.base ?? pr.baseRef;
  const local = (b: string) => `refs/claude-tasks/expire/${b}`;
  await fetchRefs({
    git: o.git,
    remote: o.remote,
    refspecs: [`+refs/heads/${o.branch}:${local(o.branch)}`, `+refs/heads/${baseRef}:${local(baseRef)}`],
  });
  try {
    const tip = await resolveCommit(o.git, local(o.branch));
    const base = await resolveCommit(o.git, local(baseRef));
    if (!tip || !base) return { action: "none" };
    const foreign = await foreignCommits({ git: o.git, branch: tip, base, task: o.task });
    if (foreign[0]) {
      return {
        action: "kept",
        number: pr.number,
        reason: `branch ${o.branch} has commits not made by claude-tasks (${foreign[0].sha.slice(0, 7)}); it is never closed for age`,
      };
    }
    const backup = `${BACKUP_REF_PREFIX}${o.branch}/${now.toISOString().replace(/:/g, "-")}`;
    const pushed = await pushRefs({
      git: o.git,
      remote: o.remote,
      updates: [
        { ref: backup, commit: tip, expected: null },
        { ref: `refs/heads/${o.branch}`, commit: null, expected: tip },
      ],
    });
    if (!pushed.ok) {
      return {
        action: "kept",
        number: pr.number,
        reason: `branch ${o.branch} moved while it was being expired; it is left as it is`,
      };
    }
    // keep the backup in this clone too (`claude-tasks backups`)
    await o.git.run(["update-ref", backup, tip], { allowFailure: true });
    const days = o.expires.slice(0, -1);
    await o.gh.closePr(
      pr.number,
      `closed: open for more than ${days} days with no human commits; the branch's last state is kept as backup ${mdCode(backup)} (${tip.slice(0, 12)}). Run the task again to propose a fresh change.`,
    );
    return { action: "closed", number: pr.number, backup };
  } finally {
    for (const b of [o.branch, baseRef])
      await o.git.run(["update-ref", "-d", local(b)], { allowFailure: true }).catch(() => {});
  }
}

/** Every task with `pr.expires`, one after another; failures are returned as lines, never thrown. */
export async function expireStalePullRequests(
  list: readonly Omit<ExpireOptions, "gh" | "git" | "remote" | "now">[],
  common: Pick<ExpireOptions, "gh" | "git" | "remote" | "now">,
): Promise<{ task: string; result?: ExpireResult; error?: string }[]> {
  const out: { task: string; result?: ExpireResult; error?: string }[] = [];
  for (const t of list) {
    try {
      out.push({ task: t.task, result: await expireStalePullRequest({ ...common, ...t }) });
    } catch (err) {
      out.push({ task: t.task, error: errorMessage(err) });
    }
  }
  return out;
}
