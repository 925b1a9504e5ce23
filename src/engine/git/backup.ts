/**
 * Patch backups: before anything destructive (removing a worktree, rebasing, overwriting a branch)
 * and for every run result, the change is written to `.git/claude-tasks/backups/<runId>-<task>/` as
 * `changes.patch` (binary-safe, applies with `git apply --binary` onto the recorded base) and
 * `meta.json`. A backup directory appears complete or not at all (written aside, then renamed).
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { errorMessage } from "../errors.ts";
import { isCode, isMissing, orIfMissing } from "../missing.ts";
import { diffPatch } from "./changes.ts";
import type { Git } from "./exec.ts";
import { assertSafeName, backupsDir } from "./paths.ts";

export const PATCH_FILE = "changes.patch";
export const META_FILE = "meta.json";

export interface BackupMeta {
  version: 1;
  id: string;
  task: string;
  runId: string;
  /** The commit the patch applies to. */
  base: string;
  createdAt: string;
  /** Why it was written: "run result", "before worktree removal", "before rebase", … */
  reason: string;
  /** Number of files in the patch. */
  files: number;
  patchBytes: number;
  patchSha256: string;
  /** Whatever the caller adds: agent result, cost, guard or conflict outcome. */
  details?: Record<string, unknown>;
}

export interface Backup {
  id: string;
  dir: string;
  patchPath: string;
  /** Size of the patch in bytes. */
  size: number;
  meta: BackupMeta;
}

export interface WriteBackupOptions {
  stateDir: string;
  runId: string;
  task: string;
  base: string;
  reason: string;
  patch: Buffer;
  details?: Record<string, unknown>;
  now?: Date;
}

/**
 * Writes a backup and returns it. The id is `<runId>-<task>`; when that exists with a different
 * patch, `-2`, `-3`, … is appended (an identical patch on the same base is not written twice).
 */
export async function writeBackup(opts: WriteBackupOptions): Promise<Backup> {
  assertSafeName("run id", opts.runId);
  assertSafeName("task", opts.task);
  const root = backupsDir(opts.stateDir);
  await mkdir(root, { recursive: true });
  const sha = createHash("sha256").update(opts.patch).digest("hex");
  const baseId = `${opts.runId}-${opts.task}`;
  for (let n = 1; n < 1000; n++) {
    const id = n === 1 ? baseId : `${baseId}-${n}`;
    const dir = join(root, id);
    const existing = await inspectBackup(opts.stateDir, id);
    if (existing && "damaged" in existing) continue; // a broken or foreign directory: leave it alone
    if (existing) {
      if (existing.meta.patchSha256 === sha && existing.meta.base === opts.base) return existing;
      continue;
    }
    const meta: BackupMeta = {
      version: 1,
      id,
      task: opts.task,
      runId: opts.runId,
      base: opts.base,
      createdAt: (opts.now ?? new Date()).toISOString(),
      reason: opts.reason,
      files: countFiles(opts.patch),
      patchBytes: opts.patch.length,
      patchSha256: sha,
      ...(opts.details ? { details: opts.details } : {}),
    };
    const tmp = join(root, `.tmp-${id}-${process.pid}-${randomBytes(4).toString("hex")}`);
    await mkdir(tmp);
    try {
      await writeDurable(join(tmp, PATCH_FILE), opts.patch);
      await writeDurable(join(tmp, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
      await rename(tmp, dir);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      if (isCode(err, "ENOTEMPTY") || isCode(err, "EEXIST")) continue; // lost a race for this id
      throw err;
    }
    return { id, dir, patchPath: join(dir, PATCH_FILE), size: opts.patch.length, meta };
  }
  throw new Error(`too many backups named ${baseId} in ${root}`);
}

/** One backup by id; throws when it is missing or unreadable. */
export async function readBackup(stateDir: string, id: string): Promise<Backup> {
  assertSafeName("backup id", id);
  const dir = join(backupsDir(stateDir), id);
  const meta = JSON.parse(await readFile(join(dir, META_FILE), "utf8")) as BackupMeta;
  const patchPath = join(dir, PATCH_FILE);
  const { size } = await stat(patchPath);
  return { id, dir, patchPath, size, meta };
}

/**
 * One backup by id; undefined when there is no such directory, `damaged` with the reason when there is
 * one that cannot be read as a backup (a damaged `meta.json`, a missing patch, a foreign directory).
 */
async function inspectBackup(
  stateDir: string,
  id: string,
): Promise<Backup | { damaged: string } | undefined> {
  try {
    return await readBackup(stateDir, id);
  } catch (err) {
    if (isMissing(err) && !(await exists(join(backupsDir(stateDir), id)))) return undefined;
    return { damaged: errorMessage(err) };
  }
}

/** Every readable backup, newest first. */
export async function listBackups(stateDir: string): Promise<Backup[]> {
  let names: string[];
  try {
    names = await readdir(backupsDir(stateDir));
  } catch (err) {
    if (isCode(err, "ENOENT")) return [];
    throw err;
  }
  const all = await Promise.all(
    names.filter((n) => !n.startsWith(".")).map((n) => inspectBackup(stateDir, n)),
  );
  return all
    .filter((b): b is Backup => b !== undefined && !("damaged" in b))
    .sort((a, b) => b.meta.createdAt.localeCompare(a.meta.createdAt) || b.id.localeCompare(a.id));
}

/** Ids of backup directories that cannot be read (damaged `meta.json`), which `listBackups` leaves out. */
export async function damagedBackups(stateDir: string): Promise<string[]> {
  const names = await orIfMissing(readdir(backupsDir(stateDir)), [] as string[]);
  const damaged: string[] = [];
  for (const n of names.filter((x) => !x.startsWith(".")).sort()) {
    const found = await inspectBackup(stateDir, n);
    if (found && "damaged" in found) damaged.push(n);
  }
  return damaged;
}

/**
 * Stages everything in the worktree at `git.cwd` and returns the patch from `base` to that state:
 * committed and uncommitted work together.
 */
export async function snapshotPatch(git: Git, base: string): Promise<Buffer> {
  await git.run(["add", "-A", "--", "."]);
  return diffPatch(git, ["--cached", base]);
}

function countFiles(patch: Buffer): number {
  let n = 0;
  let i = patch.indexOf("diff --git ");
  while (i !== -1) {
    if (i === 0 || patch[i - 1] === 0x0a) n++;
    i = patch.indexOf("diff --git ", i + 1);
  }
  return n;
}

async function writeDurable(path: string, data: string | Buffer): Promise<void> {
  const fh = await open(path, "wx");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return (await orIfMissing(stat(path), undefined)) !== undefined;
}
