/**
 * What a `push` event changed, and whether claude-tasks made it. The payload lists the files of each
 * commit, except when GitHub leaves them out (Actions payloads may omit `added`/`modified`/`removed`,
 * large pushes are truncated) or when the list would mislead (a force push, a new branch): then the
 * two commits are compared with git.
 */

import { UserError } from "../errors.ts";
import { TRAILER_TASK } from "../git/commit.ts";
import { DEFAULT_IDENTITY, type Git, splitZ } from "../git/exec.ts";
import { isSha } from "../git/refs.ts";

export const ZERO_SHA = "0000000000000000000000000000000000000000";
/** GitHub puts at most this many commits into a push payload. */
export const MAX_PAYLOAD_COMMITS = 2048;

export interface PushCommit {
  id?: string;
  message?: string;
  added?: string[];
  modified?: string[];
  removed?: string[];
  author?: { name?: string; email?: string; username?: string };
  committer?: { name?: string; email?: string; username?: string };
}

/** The parts of GitHub's push payload that are read. */
export interface PushPayload {
  ref?: string;
  before?: string;
  after?: string;
  created?: boolean;
  deleted?: boolean;
  forced?: boolean;
  commits?: PushCommit[];
  head_commit?: PushCommit | null;
  pusher?: { name?: string; email?: string };
  sender?: { login?: string; type?: string };
}

export type PayloadFiles =
  | { files: string[] }
  | { diff: { before: string | null; after: string }; reason: string };

/** The branch a push went to (`refs/heads/main` → `main`), or undefined for tags and deletions. */
export function pushedBranch(p: PushPayload): string | undefined {
  if (p.deleted || !p.ref?.startsWith("refs/heads/")) return undefined;
  return p.ref.slice("refs/heads/".length);
}

/** The changed files from the payload, or which commits to compare when the payload cannot say. */
export function payloadChangedFiles(p: PushPayload): PayloadFiles {
  const after = p.after ?? p.head_commit?.id;
  if (!after || after === ZERO_SHA) return { files: [] };
  const before = p.before && p.before !== ZERO_SHA ? p.before : null;
  const commits = p.commits ?? [];
  const fallback = (reason: string): PayloadFiles => ({ diff: { before, after }, reason });
  if (p.forced) return fallback("a force push");
  if (before === null || p.created) return fallback("a new branch");
  if (commits.length === 0) return fallback("the payload lists no commits");
  if (commits.length >= MAX_PAYLOAD_COMMITS) return fallback("the payload's commit list is truncated");
  if (
    commits.some((c) => !Array.isArray(c.added) && !Array.isArray(c.modified) && !Array.isArray(c.removed))
  ) {
    return fallback("the payload does not list the files of its commits");
  }
  const files = new Set<string>();
  for (const c of commits)
    for (const f of [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]) files.add(f);
  return { files: [...files].sort() };
}

/**
 * Why this push was made by claude-tasks itself (and must not trigger tasks), or undefined. Its own
 * pushes come from the Actions bot or the engine's bot identity, or carry the task trailer in the head
 * commit (also after a squash or rebase merge of a claude-tasks pull request), or are the merge commit
 * of a pull request whose commits all carry it.
 */
export function ownPushReason(
  p: PushPayload,
  botLogins: readonly string[] = DEFAULT_BOT_LOGINS,
): string | undefined {
  const bots = botLogins.map((b) => b.toLowerCase());
  const sender = p.sender?.login?.toLowerCase();
  if (sender && bots.includes(sender)) return `pushed by ${p.sender!.login}`;
  const pusher = p.pusher?.name?.toLowerCase();
  if (pusher && bots.includes(pusher)) return `pushed by ${p.pusher!.name}`;
  const head = p.head_commit ?? p.commits?.at(-1);
  if (head?.committer?.email?.toLowerCase() === DEFAULT_IDENTITY.email.toLowerCase()) {
    return `the head commit was made by ${DEFAULT_IDENTITY.name}`;
  }
  if (head?.message && hasTaskTrailer(head.message))
    return `the head commit carries a \`${TRAILER_TASK}\` trailer`;
  // GitHub's merge commit of a pull request: its own when every commit it brings carries the trailer
  if (head?.message && MERGE_COMMIT.test(head.message)) {
    const merged = (p.commits ?? []).filter((c) => c !== head && (head.id === undefined || c.id !== head.id));
    if (merged.length > 0 && merged.every((c) => c.message !== undefined && hasTaskTrailer(c.message)))
      return `it merges a pull request whose commits all carry a \`${TRAILER_TASK}\` trailer`;
  }
  return undefined;
}

/** The message GitHub gives the merge commit of a pull request. */
const MERGE_COMMIT = /^Merge pull request #\d+ from /;

export const DEFAULT_BOT_LOGINS = ["github-actions[bot]", DEFAULT_IDENTITY.name];

export function hasTaskTrailer(message: string): boolean {
  return new RegExp(`^${TRAILER_TASK}:\\s*\\S`, "mi").test(message);
}

/**
 * The files that differ between two commits (both sides of a rename), fetching either commit (depth 1)
 * when the checkout does not have it. `before: null` compares with the first parent, or lists every
 * file of a root commit.
 */
export async function diffChangedFiles(opts: {
  git: Git;
  remote: string;
  before: string | null;
  after: string;
}): Promise<string[]> {
  const { git } = opts;
  for (const sha of [opts.before, opts.after]) {
    if (sha && !isSha(sha))
      throw new UserError(`the push event names ${JSON.stringify(sha)}, which is not a commit id`);
  }
  if (!(await fetchCommit(opts, opts.after))) {
    throw new UserError(`the pushed commit ${opts.after} cannot be fetched from ${opts.remote}`);
  }
  // after a force push the old tip may be gone from the remote: then compare with the first parent
  const before = opts.before && (await fetchCommit(opts, opts.before)) ? opts.before : null;
  let r: string;
  if (before) {
    r = (await git.run(["diff", "--name-only", "--no-renames", "-z", before, opts.after, "--"])).stdout;
  } else {
    r = (
      await git.run([
        "diff-tree",
        "-r",
        "--root",
        "--no-commit-id",
        "--name-only",
        "--no-renames",
        "-z",
        "-m",
        "--first-parent",
        opts.after,
      ])
    ).stdout;
  }
  return [...new Set(splitZ(r))].sort();
}

async function hasCommit(git: Git, sha: string): Promise<boolean> {
  const r = await git.run(["cat-file", "-e", `${sha}^{commit}`], { allowFailure: true });
  return r.exitCode === 0;
}

/** Whether the checkout has `sha`, fetching it (depth 1) when it does not. */
async function fetchCommit(opts: { git: Git; remote: string }, sha: string): Promise<boolean> {
  if (await hasCommit(opts.git, sha)) return true;
  const r = await opts.git.run(
    ["fetch", "--no-tags", "--no-write-fetch-head", "--quiet", "--depth=1", "--", opts.remote, sha],
    { allowFailure: true },
  );
  return r.exitCode === 0 && (await hasCommit(opts.git, sha));
}
