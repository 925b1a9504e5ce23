/** Small read-only questions about commits and refs. */
import type { Git } from "./exec.ts";

export const ZERO_OID = "0000000000000000000000000000000000000000";

/** The full commit id `rev` names, or `undefined` when it names no commit. */
export async function resolveCommit(git: Git, rev: string): Promise<string | undefined> {
  const r = await git.run(["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`], {
    allowFailure: true,
  });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/**
 * Full commit ids already verified in this process. Every step of a task re-checks the same base and
 * task commits; a commit does not stop existing during a run, so one `rev-parse` each is enough.
 */
const verified = new Set<string>();
const FULL_OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A full SHA-1 or SHA-256 commit id, which no git option or revision expression can look like. */
export const isSha = (v: unknown): v is string => typeof v === "string" && FULL_OID.test(v);

/** Like `resolveCommit`, but a missing commit is an error that names it. */
export async function requireCommit(git: Git, rev: string): Promise<string> {
  if (FULL_OID.test(rev) && verified.has(rev)) return rev;
  const oid = await resolveCommit(git, rev);
  if (!oid) throw new Error(`${rev} does not name a commit in ${git.cwd}`);
  if (verified.size > 10_000) verified.clear();
  verified.add(oid);
  return oid;
}

/** A full commit id git just used as a commit (`worktree add` at it): no need to look it up again. */
export function noteCommit(oid: string): void {
  if (!FULL_OID.test(oid)) return;
  if (verified.size > 10_000) verified.clear();
  verified.add(oid);
}

/** Whether `ancestor` is reachable from `descendant` (true when they are equal). */
export async function isAncestor(git: Git, ancestor: string, descendant: string): Promise<boolean> {
  const r = await git.run(["merge-base", "--is-ancestor", ancestor, descendant], { allowFailure: true });
  if (r.exitCode === 0) return true;
  if (r.exitCode === 1) return false;
  // Anything else (bad object) is an error: re-run without allowFailure to throw a GitError.
  await git.run(["merge-base", "--is-ancestor", ancestor, descendant]);
  return false;
}

/** The full ref name of a branch given as `name`, `refs/heads/name` or `refs/remotes/origin/name`. */
export function branchRef(branch: string): string {
  return branch.startsWith("refs/") ? branch : `refs/heads/${branch}`;
}

/** The branch name without `refs/heads/` or `refs/remotes/<remote>/`. */
export function shortBranch(ref: string): string {
  if (ref.startsWith("refs/heads/")) return ref.slice("refs/heads/".length);
  const remote = /^refs\/remotes\/[^/]+\/(.+)$/.exec(ref);
  if (remote) return remote[1]!;
  return ref.replace(/^refs\//, "");
}

/**
 * Whether the work tree at `git.cwd` has anything not committed (staged, unstaged or untracked).
 * Submodules count by the commit they point at, never by their own work trees: looking into one runs
 * `git status` inside it, with *its* config — and in a task's worktree that repository (and its
 * filter drivers) would be the agent's, run outside the sandbox.
 */
export async function isDirty(git: Git): Promise<boolean> {
  const r = await git.run([
    "status",
    "--porcelain=v1",
    "-z",
    "--untracked-files=all",
    "--ignore-submodules=dirty",
  ]);
  return r.stdout.length > 0;
}
