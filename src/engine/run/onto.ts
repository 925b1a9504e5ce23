/**
 * Runs on a pull request's head, and the one rule about forks: **a fork is never pushed to.** A fork's
 * head is fetched read-only (`refs/pull/N/head`); a run on it is a dry run, its result stays in the
 * report and the backup. The Action (its mode), the comment flow (its reply) and landing (no push)
 * all ask `pushesTo`, nothing else.
 */

/** Work on an existing branch (a same-repo PR's head) instead of the task branch: commit on top, no force. */
export interface OntoBranch {
  branch: string;
  /**
   * Fetch the starting point from this ref instead of `refs/heads/<branch>` — a fork's PR head
   * (`refs/pull/N/head`). Such a run never pushes: see `pushesTo`.
   */
  fetchRef?: string;
}

/** What a run needs to know of a pull request to work on its head. */
export interface PullRequestHead {
  number: number;
  headRef: string;
  isFork: boolean;
}

/** Where a run on a pull request works: its head branch, or a fork's head fetched read-only. */
export function ontoPullRequest(pr: PullRequestHead): OntoBranch {
  return pr.isFork ? { branch: pr.headRef, fetchRef: `refs/pull/${pr.number}/head` } : { branch: pr.headRef };
}

/** Whether a run on `onto` may push its result there: never for a fork's head. */
export function pushesTo(onto: OntoBranch | undefined): boolean {
  return onto?.fetchRef === undefined;
}

/** A run asked to push becomes a dry run where it may not push (a fork's head). */
export function effectiveDryRun(dryRun: boolean, onto: OntoBranch | undefined): boolean {
  return dryRun || !pushesTo(onto);
}
