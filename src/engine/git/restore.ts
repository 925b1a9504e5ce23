/**
 * Restoring a patch backup: a new branch at the recorded base with the patch applied and committed,
 * made in a temporary worktree so the user's checkout is never touched.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { UserError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { META_FILE, PATCH_FILE, readBackup } from "./backup.ts";
import { updateBranch } from "./branch.ts";
import { commitAll } from "./commit.ts";
import type { Git } from "./exec.ts";
import { backupsDir, stateDir as getStateDir } from "./paths.ts";
import { branchRef, resolveCommit, shortBranch } from "./refs.ts";
import { createWorktree } from "./worktree.ts";

export const RESTORE_BRANCH_PREFIX = "claude-tasks/restore/";

export interface RestoreResult {
  branch: string;
  commit: string;
  backupId: string;
}

export async function restoreBackup(opts: {
  git: Git;
  id: string;
  stateDir?: string;
  /** Default `claude-tasks/restore/<id>`. */
  branch?: string;
  logger?: Logger;
}): Promise<RestoreResult> {
  const { git } = opts;
  const state = opts.stateDir ?? (await getStateDir(git));
  let backup: Awaited<ReturnType<typeof readBackup>>;
  try {
    backup = await readBackup(state, opts.id);
  } catch (err) {
    if (err instanceof SyntaxError) {
      throw new UserError(
        `backup ${opts.id} is damaged (its ${META_FILE} is not valid JSON); its change is still in ${join(backupsDir(state), opts.id, PATCH_FILE)}: apply it with \`git apply --binary\``,
      );
    }
    throw new UserError(`no backup named ${JSON.stringify(opts.id)}; \`claude-tasks backups\` lists them`);
  }
  const branch = opts.branch ?? `${RESTORE_BRANCH_PREFIX}${backup.id}`;
  const check = await git.run(["check-ref-format", branchRef(branch)], { allowFailure: true });
  if (check.exitCode !== 0) throw new UserError(`${JSON.stringify(branch)} is not a valid branch name`);
  if (await resolveCommit(git, branchRef(branch))) {
    throw new UserError(`branch ${shortBranch(branchRef(branch))} already exists; pass another branch name`);
  }
  if (!(await resolveCommit(git, backup.meta.base))) {
    throw new UserError(
      `backup ${backup.id} is based on commit ${backup.meta.base}, which is not in this repository; fetch it first`,
    );
  }

  await using wt = await createWorktree({
    git,
    task: "restore",
    runId: `${Date.now()}-${randomBytes(3).toString("hex")}`,
    base: backup.meta.base,
    branch,
    stateDir: state,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  await wt.git.run(["apply", "--binary", "--index", "--whitespace=nowarn", "--", backup.patchPath]);
  const commit = await commitAll({
    git: wt.git,
    subject: `Restore claude-tasks backup ${backup.id}`,
    body: `Task ${backup.meta.task}, run ${backup.meta.runId} (${backup.meta.reason}, ${backup.meta.createdAt}).`,
    task: backup.meta.task,
    runId: backup.meta.runId,
    trailers: { "Claude-Tasks-Backup": backup.id },
  });
  const tip = commit ?? wt.baseCommit;
  const moved = await updateBranch({
    git,
    branch,
    commit: tip,
    expectedOld: null,
    message: `claude-tasks: restore ${backup.id}`,
  });
  if (!moved.updated) throw new UserError(`branch ${branch} was created by someone else meanwhile`);
  return { branch: shortBranch(branchRef(branch)), commit: tip, backupId: backup.id };
}
