/**
 * Removing a tree an agent wrote (its worktree, its HOME, its git directory). Inside the sandbox the
 * agent's files are the engine user's own, so it can leave a directory without permissions
 * (`chmod 000`), and `rm -rf` as that user then fails on it with EACCES: the task's removal would
 * throw and the tree stay behind. Root is not stopped by permissions, so this only shows on runners
 * that run as a user (GitHub's hosted runners do).
 */
import { chmod, lstat, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { isCode } from "./missing.ts";

/** Removes `path` and everything under it, giving back the owner's rights on any directory that lost them. */
export async function removeTree(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
    return;
  } catch (err) {
    if (!isCode(err, "EACCES") && !isCode(err, "EPERM")) throw err;
  }
  await restoreRights(path);
  await rm(path, { recursive: true, force: true });
}

/**
 * `u+rwx` on `dir` and every directory below it. `lstat`, so a link is never followed out of the tree
 * (nothing that wrote the tree is still running when it is removed).
 */
async function restoreRights(dir: string): Promise<void> {
  const st = await lstat(dir).catch(() => undefined);
  if (!st?.isDirectory()) return;
  await chmod(dir, 0o700).catch(() => {});
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) if (e.isDirectory()) await restoreRights(join(dir, e.name));
}
