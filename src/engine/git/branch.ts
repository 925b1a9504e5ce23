/**
 * Moving a task branch: the old tip is first kept under `refs/claude-tasks/backups/…`, then the branch
 * is moved with a compare-and-swap `update-ref`, so a concurrent writer is detected, never clobbered.
 */
import { GitError } from "../errors.ts";
import { type Git, splitZ } from "./exec.ts";
import { branchRef, isAncestor, requireCommit, resolveCommit, shortBranch } from "./refs.ts";
import { worktreeEntries } from "./worktree.ts";

export const BACKUP_REF_PREFIX = "refs/claude-tasks/backups/";

export interface RefBackup {
  ref: string;
  commit: string;
}

/**
 * Stores the tip of `ref` (or `opts.commit`) under `refs/claude-tasks/backups/<branch>/<timestamp>`.
 * Returns undefined when the ref does not exist.
 */
export async function backupRef(
  git: Git,
  ref: string,
  opts: { commit?: string; now?: Date } = {},
): Promise<RefBackup | undefined> {
  const commit = opts.commit ?? (await resolveCommit(git, branchRef(ref)));
  if (!commit) return undefined;
  const stamp = (opts.now ?? new Date()).toISOString().replace(/:/g, "-");
  const base = `${BACKUP_REF_PREFIX}${shortBranch(branchRef(ref))}/${stamp}`;
  for (let n = 1; n < 100; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    const r = await git.run(["update-ref", "-m", "claude-tasks: backup", name, commit, zeroOid(commit)], {
      allowFailure: true,
    });
    if (r.exitCode === 0) return { ref: name, commit };
    if (await resolveCommit(git, name)) continue; // taken in the same millisecond: next suffix
    throw new GitError({
      args: ["update-ref", name, commit],
      exitCode: r.exitCode,
      stderr: r.stderr,
      cwd: git.cwd,
    });
  }
  throw new Error(`could not create a backup ref for ${ref}`);
}

/** Backup refs, newest first. */
export async function listBackupRefs(git: Git): Promise<RefBackup[]> {
  const r = await git.run([
    "for-each-ref",
    "--sort=-refname",
    "--format=%(refname)%00%(objectname)%00",
    BACKUP_REF_PREFIX,
  ]);
  const fields = splitZ(r.stdout.replace(/\n/g, ""));
  const out: RefBackup[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) out.push({ ref: fields[i]!, commit: fields[i + 1]! });
  return out;
}

export interface UpdateBranchOptions {
  git: Git;
  /** `name` or `refs/heads/name`. */
  branch: string;
  commit: string;
  /** The tip the caller last saw; `null` when the branch must not exist yet. */
  expectedOld: string | null;
  message?: string;
}

export type UpdateBranchResult =
  | { updated: true; old: string | null; backup?: RefBackup }
  | {
      updated: false;
      /** What the branch points to now (undefined: it does not exist). */
      actual: string | undefined;
    };

/**
 * Points `branch` at `commit` if it still is at `expectedOld`. When that would drop commits (not a
 * fast-forward), the old tip is backed up first. Losing the race returns `{ updated: false }`.
 * Refuses a branch that is checked out in a work tree, whose files would silently change.
 */
export async function updateBranch(opts: UpdateBranchOptions): Promise<UpdateBranchResult> {
  const { git } = opts;
  const ref = branchRef(opts.branch);
  const commit = await requireCommit(git, opts.commit);
  const list = await worktreeEntries(git);
  const holder = list.find((w) => w.branch === ref);
  if (holder)
    throw new Error(`${shortBranch(ref)} is checked out in ${holder.path}; it cannot be moved under it`);

  let backup: RefBackup | undefined;
  const old = opts.expectedOld;
  if (old && old !== commit && (await resolveCommit(git, old)) && !(await isAncestor(git, old, commit))) {
    backup = await backupRef(git, ref, { commit: old });
  }
  const r = await git.run(
    [
      "update-ref",
      "-m",
      opts.message ?? "claude-tasks: update task branch",
      ref,
      commit,
      old ?? zeroOid(commit),
    ],
    { allowFailure: true },
  );
  if (r.exitCode !== 0) {
    const actual = await resolveCommit(git, ref);
    if (actual !== (old ?? undefined)) return { updated: false, actual };
    await git.run(["update-ref", ref, commit, old ?? zeroOid(commit)]); // not a race: throw git's error
  }
  return { updated: true, old, ...(backup ? { backup } : {}) };
}

const zeroOid = (like: string) => "0".repeat(like.length);
