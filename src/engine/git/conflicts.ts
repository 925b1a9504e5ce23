/**
 * Conflicts without touching any work tree (`git merge-tree --write-tree`), rebasing a task commit
 * onto a base that moved, and which task results conflict with each other.
 */
import { GitError } from "../errors.ts";
import { type Backup, writeBackup } from "./backup.ts";
import { diffPatch } from "./changes.ts";
import { type Git, splitZ } from "./exec.ts";
import { requireCommit } from "./refs.ts";

export interface MergeCheck {
  clean: boolean;
  /** Paths with conflicts (content, modify/delete, rename, file/directory). */
  conflicts: string[];
  /** The merged tree (with conflict markers when not clean). */
  tree: string;
}

/** Would merging `head` into `base` conflict? Neither the index nor any work tree is touched. */
export async function mergeTreeCheck(opts: { git: Git; base: string; head: string }): Promise<MergeCheck> {
  const { git } = opts;
  // merge-tree exits 1 both for conflicts and for a bad argument: resolve first so 1 means conflicts.
  const base = await requireCommit(git, opts.base);
  const head = await requireCommit(git, opts.head);
  const args = ["merge-tree", "--write-tree", "--name-only", "-z", "--no-messages", base, head];
  const r = await git.run(args, { allowFailure: true });
  const [tree = "", ...files] = splitZ(r.stdout);
  if ((r.exitCode === 0 || r.exitCode === 1) && /^[0-9a-f]{40,64}$/.test(tree)) {
    return { clean: r.exitCode === 0, conflicts: [...new Set(files)], tree };
  }
  throw new GitError({ args, exitCode: r.exitCode, stderr: r.stderr, cwd: git.cwd });
}

export interface RebaseOptions {
  /** A git client working in the task's worktree. */
  git: Git;
  /** The task commit: the worktree is reset to exactly it first (whatever else it holds is dropped). */
  head: string;
  /** The base the task commit was made on. */
  oldBase: string;
  newBase: string;
  /** Where the "before rebase" backup goes. */
  stateDir: string;
  task: string;
  runId: string;
}

export type RebaseResult =
  | {
      ok: true;
      commit: string;
      backup: Backup;
      /** The change is already in newBase: nothing is left of the task commit. */
      empty: boolean;
    }
  | { ok: false; conflicts: string[]; backup: Backup };

/**
 * Backs up the task's commits, then replays them onto `newBase`. On conflict the rebase is aborted
 * (the worktree is back where it was) and the conflicting paths are returned.
 */
export async function rebaseOnto(opts: RebaseOptions): Promise<RebaseResult> {
  const { git } = opts;
  // Only here, not after every commit: most task commits are never rebased.
  await git.run(["reset", "--hard", "--quiet", opts.head]);
  await git.run(["clean", "-ffdq"]);
  const oldBase = await requireCommit(git, opts.oldBase);
  const newBase = await requireCommit(git, opts.newBase);
  const head = await requireCommit(git, "HEAD");
  const backup = await writeBackup({
    stateDir: opts.stateDir,
    runId: opts.runId,
    task: opts.task,
    base: oldBase,
    reason: "before rebase",
    patch: await diffPatch(git, [oldBase, head]),
    details: { head, newBase },
  });
  const r = await git.run(
    [
      "rebase",
      "--no-update-refs",
      "--no-autostash",
      "--no-autosquash",
      "--no-verify",
      "--onto",
      newBase,
      oldBase,
    ],
    { allowFailure: true },
  );
  if (r.exitCode === 0) {
    const commit = await requireCommit(git, "HEAD");
    return { ok: true, commit, backup, empty: commit === newBase };
  }
  const unmerged = await git.run(["diff", "--name-only", "--diff-filter=U", "-z"], { allowFailure: true });
  await git.run(["rebase", "--abort"], { allowFailure: true });
  const conflicts = [...new Set(splitZ(unmerged.stdout))];
  if (conflicts.length === 0) {
    throw new GitError({
      args: ["rebase", "--onto", newBase, oldBase],
      exitCode: r.exitCode,
      stderr: r.stderr,
    });
  }
  return { ok: false, conflicts, backup };
}

export interface TaskCommit {
  task: string;
  commit: string;
}

export interface CrossConflict {
  tasks: [string, string];
  files: string[];
}

/** Every pair of task results that would conflict when both are merged. */
export async function pairwiseConflicts(opts: {
  git: Git;
  results: readonly TaskCommit[];
}): Promise<CrossConflict[]> {
  const pairs: [TaskCommit, TaskCommit][] = [];
  opts.results.forEach((a, i) => {
    for (const b of opts.results.slice(i + 1)) if (a.commit !== b.commit) pairs.push([a, b]);
  });
  const found: CrossConflict[] = [];
  // Two at a time: merge-tree is CPU-bound and the machine is shared.
  for (let i = 0; i < pairs.length; i += 2) {
    const batch = pairs.slice(i, i + 2);
    const checks = await Promise.all(
      batch.map(([a, b]) => mergeTreeCheck({ git: opts.git, base: a.commit, head: b.commit })),
    );
    checks.forEach((c, j) => {
      const [a, b] = batch[j]!;
      if (!c.clean) found.push({ tasks: [a.task, b.task], files: c.conflicts });
    });
  }
  return found;
}
