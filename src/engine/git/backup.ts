/**
 * Patch backups: before anything destructive (removing a worktree, rebasing, overwriting a branch)
 * and for every run result, the change is written to `.git/claude-tasks/backups/<runId>-<task>/` as
 * `changes.patch` (binary-safe, applies with `git apply --binary` onto the recorded base) and
 * `meta.json`. A backup directory appears complete or not at all (written aside, then renamed).
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { errorMessage } from "../errors.ts";
import { isCode, isMissing, orIfMissing } from "../missing.ts";
import { compareCodeUnits } from "../order.ts";
import { type Change, DIFF_MEMORY_CAP, diffPatch, stageTree, treeWeight, writePatchFile } from "./changes.ts";
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
  /** The patch, in memory or (for a large change) in a file that the backup takes over (moved). */
  patch: Buffer | { file: string };
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
  const inFile = Buffer.isBuffer(opts.patch) ? undefined : opts.patch.file;
  const facts = inFile ? await fileFacts(inFile) : undefined;
  const sha =
    facts?.sha ??
    createHash("sha256")
      .update(opts.patch as Buffer)
      .digest("hex");
  const patchBytes = facts?.bytes ?? (opts.patch as Buffer).length;
  const baseId = `${opts.runId}-${opts.task}`;
  for (let n = 1; n < 1000; n++) {
    const id = n === 1 ? baseId : `${baseId}-${n}`;
    const dir = join(root, id);
    const existing = await inspectBackup(opts.stateDir, id);
    if (existing && "damaged" in existing) continue; // a broken or foreign directory: leave it alone
    if (existing) {
      if (existing.meta.patchSha256 === sha && existing.meta.base === opts.base) {
        if (inFile) await rm(inFile, { force: true });
        return existing;
      }
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
      files: facts?.files ?? countFiles(opts.patch as Buffer),
      patchBytes,
      patchSha256: sha,
      ...(opts.details ? { details: opts.details } : {}),
    };
    const tmp = join(root, `.tmp-${id}-${process.pid}-${randomBytes(4).toString("hex")}`);
    await mkdir(tmp);
    try {
      if (inFile) await rename(inFile, join(tmp, PATCH_FILE));
      else await writeDurable(join(tmp, PATCH_FILE), opts.patch as Buffer);
      await writeDurable(join(tmp, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
      await rename(tmp, dir);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      if (isCode(err, "ENOTEMPTY") || isCode(err, "EEXIST")) continue; // lost a race for this id
      throw err;
    }
    return { id, dir, patchPath: join(dir, PATCH_FILE), size: patchBytes, meta };
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
    .sort((a, b) => compareCodeUnits(b.meta.createdAt, a.meta.createdAt) || compareCodeUnits(b.id, a.id));
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
 * committed and uncommitted work together. Only for changes that fit in memory; see `snapshotBackup`.
 */
export async function snapshotPatch(git: Git, base: string): Promise<Buffer> {
  const { tree } = await stageTree(git);
  return diffPatch(git, [base, tree]);
}

/** The most a backup keeps: a larger change is not backed up (and the caller says so). */
export const BACKUP_MAX_BYTES = 2 ** 30;

/** Why a change was not backed up. */
export class NoBackupError extends Error {}

/**
 * Writes the backup of a change from `base` to `tree` (staged in the worktree at `git.cwd`): from
 * memory when it fits (`patch`), else streamed from git into the backup directory, never buffered.
 * Throws `NoBackupError` when the change is larger than `BACKUP_MAX_BYTES` or git cannot write it.
 */
export async function writeTreeBackup(
  opts: Omit<WriteBackupOptions, "patch"> & { git: Git; tree: string; patch?: Buffer; weight?: number },
): Promise<Backup> {
  const { git, tree, patch, weight: known, ...rest } = opts;
  if (patch && patch.length > 0) return writeBackup({ ...rest, patch });
  const weight = known ?? (await treeWeight(git, rest.base, tree));
  if (weight <= DIFF_MEMORY_CAP)
    return writeBackup({ ...rest, patch: await diffPatch(git, [rest.base, tree]) });
  if (weight > BACKUP_MAX_BYTES) {
    throw new NoBackupError(
      `the change weighs ${(weight / 2 ** 30).toFixed(1)} GB, more than the ${BACKUP_MAX_BYTES / 2 ** 30} GB a backup keeps`,
    );
  }
  const root = backupsDir(rest.stateDir);
  await mkdir(root, { recursive: true });
  const file = join(root, `.stream-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await writePatchFile(git, [rest.base, tree], file);
  } catch (err) {
    await rm(file, { force: true });
    throw new NoBackupError(
      `git could not write its patch (${err instanceof Error ? err.message.split("\n")[0] : String(err)})`,
    );
  }
  return writeBackup({ ...rest, patch: { file } });
}

/** Backs up a collected change (see `writeTreeBackup`). */
export function writeChangeBackup(
  opts: Omit<WriteBackupOptions, "patch" | "base"> & { git: Git; change: Change },
): Promise<Backup> {
  const { change, ...rest } = opts;
  return writeTreeBackup({
    ...rest,
    base: change.base,
    tree: change.tree,
    patch: change.patch,
    ...(change.oversized ? { weight: change.oversized.bytes } : {}),
  });
}

/**
 * The text of a backup's patch for showing (a reply, `run --diff`), read only up to `maxBytes`: a
 * backup of a huge change is never read whole into a string.
 */
export async function readPatchText(path: string, maxBytes = 4 * 2 ** 20): Promise<string> {
  const fh = await open(path, "r");
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.min(size, maxBytes));
    await fh.read(buf, 0, buf.length, 0);
    const text = buf.toString("utf8");
    return size > maxBytes
      ? `${text}\n… (the patch is ${size.toLocaleString("en-US")} bytes; cut here)\n`
      : text;
  } finally {
    await fh.close();
  }
}

/** sha256, size and number of files of a patch file, read as a stream. */
async function fileFacts(file: string): Promise<{ sha: string; bytes: number; files: number }> {
  const hash = createHash("sha256");
  const header = Buffer.from("\ndiff --git ");
  let bytes = 0;
  let files = 0;
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    if (bytes === 0 && chunk.subarray(0, header.length - 1).equals(header.subarray(1))) files++;
    hash.update(chunk);
    bytes += chunk.length;
    const buf = Buffer.concat([carry, chunk]);
    // a header that lies wholly in the carried bytes was counted with the previous chunk
    for (let i = buf.indexOf(header); i !== -1; i = buf.indexOf(header, i + 1)) {
      if (i + header.length > carry.length) files++;
    }
    carry = Buffer.from(buf.subarray(Math.max(0, buf.length - (header.length - 1))));
  }
  return { sha: hash.digest("hex"), bytes, files };
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
