/**
 * Task worktrees: one per task and run, detached at the base commit, under
 * `worktreesDir(state)/<task>-<runId>` (outside the repository; see paths.ts), so they never show in the
 * user's `git status`.
 * A worktree is an async disposable; removing it never loses work (a backup is written first when it
 * holds uncommitted or unreachable commits). A lock file per active worktree (pid + process start
 * time) lets a later run tell a leftover from a worktree another process is still using.
 */

import { mkdir, open, readdir, readFile, realpath, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, join, resolve, sep } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { errorMessage, GitError } from "../errors.ts";
import { type Logger, silentLogger } from "../logger.ts";
import { isCode, orIfMissing } from "../missing.ts";
import { removeTree } from "../remove-tree.ts";
import { type Backup, NoBackupError, writeTreeBackup } from "./backup.ts";
import { stageTree } from "./changes.ts";
import type { Git } from "./exec.ts";
import { assertSafeName, stateDir as getStateDir, sandboxesDir, worktreesDir } from "./paths.ts";
import { isDirty, noteCommit, requireCommit } from "./refs.ts";

export interface WorktreeLock {
  pid: number;
  /** When the owning process started (ms since the epoch), to detect a reused pid. */
  processStart: number;
  hostname: string;
  task: string;
  runId: string;
  base: string;
  branch: string;
  path: string;
  createdAt: string;
}

export interface RemoveResult {
  removed: boolean;
  /** The backup written before removal, when the worktree held work. */
  backup?: Backup;
}

export interface Worktree extends AsyncDisposable {
  path: string;
  /** A git client working in the worktree. */
  git: Git;
  task: string;
  runId: string;
  /** The task branch this worktree works for. It is not checked out: the worktree is detached. */
  branch: string;
  baseCommit: string;
  stateDir: string;
  /** Backs up any work, then removes the worktree. Idempotent; `asyncDispose` calls it. */
  remove(): Promise<RemoveResult>;
  /**
   * Declares that everything in the worktree is already saved (in a backup or on a branch), so its
   * removal skips the scan for unsaved work — a full status of the tree, which is costly in a large
   * repository. Call it only right after such a backup; later changes make it wrong.
   */
  markSaved(): void;
}

export interface CreateWorktreeOptions {
  git: Git;
  task: string;
  runId: string;
  /** A commit-ish to start from. */
  base: string;
  branch: string;
  stateDir?: string;
  logger?: Logger;
}

const locksDir = (state: string) => join(state, "locks");
const lockPath = (state: string, name: string) => join(locksDir(state), `${name}.json`);

/**
 * A worktree's administrative directory (`<common dir>/worktrees/<name>`), from the `gitdir:` line git
 * wrote into its `.git` file (relative with `worktree.useRelativePaths`): what `git rev-parse
 * --absolute-git-dir` answers, without a git process. Read before any agent runs in the worktree.
 */
export async function adminDirOf(worktree: string): Promise<string> {
  const line = /^gitdir: (.+)$/m.exec(await readFile(join(worktree, ".git"), "utf8"));
  if (!line) throw new Error(`${join(worktree, ".git")} does not name the worktree's git directory`);
  return resolve(worktree, line[1]!.trim());
}

const FULL_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export async function createWorktree(opts: CreateWorktreeOptions): Promise<Worktree> {
  const { git } = opts;
  const logger = opts.logger ?? silentLogger;
  assertSafeName("task", opts.task);
  assertSafeName("run id", opts.runId);
  // a full object id comes from the engine's own lookup: `worktree add` checks it (one git call less)
  const baseCommit = FULL_ID.test(opts.base) ? opts.base : await requireCommit(git, opts.base);
  const state = opts.stateDir ?? (await getStateDir(git));
  await mkdir(worktreesDir(state), { recursive: true });
  await mkdir(locksDir(state), { recursive: true });
  const name = `${opts.task}-${opts.runId}`;
  const path = join(await realpath(worktreesDir(state)), name);
  const lockFile = lockPath(state, name);
  const lock: WorktreeLock = {
    pid: process.pid,
    processStart: Math.round(performance.timeOrigin),
    hostname: hostname(),
    task: opts.task,
    runId: opts.runId,
    base: baseCommit,
    branch: opts.branch,
    path,
    createdAt: new Date().toISOString(),
  };
  // "wx": two runs can never claim the same worktree.
  const fh = await open(lockFile, "wx").catch((err: unknown) => {
    if (isCode(err, "EEXIST"))
      throw new Error(`a worktree for ${opts.task} in run ${opts.runId} already exists`);
    throw err;
  });
  let failed: unknown;
  try {
    await fh.writeFile(`${JSON.stringify(lock, null, 2)}\n`);
  } catch (err) {
    failed = err;
  }
  try {
    await fh.close();
  } catch (err) {
    failed ??= err;
  }
  if (failed !== undefined) {
    // a disk that is full: leave no empty or half-written lock behind, and report the first error
    await rm(lockFile, { force: true });
    throw failed;
  }
  try {
    await addWorktree(git, state, path, baseCommit);
  } catch (err) {
    await rm(lockFile, { force: true });
    throw err;
  }
  noteCommit(baseCommit);
  logger.debug(`created worktree ${path} at ${baseCommit.slice(0, 12)}`);

  let removal: Promise<RemoveResult> | undefined;
  let saved = false;
  const wt: Worktree = {
    path,
    // The agent writes this directory: the engine reads it with no system or global git config.
    git: git.at(path, { untrusted: true }),
    task: opts.task,
    runId: opts.runId,
    branch: opts.branch,
    baseCommit,
    stateDir: state,
    markSaved() {
      saved = true;
    },
    remove() {
      removal ??= removeWorktree({
        git,
        path,
        saved,
        lock,
        lockFile,
        stateDir: state,
        logger,
        reason: "before worktree removal",
      });
      return removal;
    },
    async [Symbol.asyncDispose]() {
      await wt.remove();
    },
  };
  return wt;
}

/**
 * `git worktree add`, `remove` and `list` read the administrative files of every other worktree of
 * the repository, and fail ("failed to read .git/worktrees/<x>/commondir") when one of them is being
 * created at that very moment. Within a process they run one at a time per repository; a clash with
 * another process is retried.
 */
const worktreeQueues = new Map<string, Promise<unknown>>();

function oneAtATime<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const next = (worktreeQueues.get(key) ?? Promise.resolve()).then(fn); // the queue never rejects
  const settled = next.then(
    () => {},
    () => {},
  );
  worktreeQueues.set(key, settled);
  void settled.then(() => {
    if (worktreeQueues.get(key) === settled) worktreeQueues.delete(key);
  });
  return next;
}

const CONCURRENT_ADMIN_FILES = /worktrees\/[^/\s]+\/(?:commondir|gitdir|HEAD|locked)\b/;

async function addWorktree(git: Git, key: string, path: string, commit: string): Promise<void> {
  const args = ["worktree", "add", "--detach", "--", path, commit];
  for (let attempt = 1; ; attempt++) {
    const r = await oneAtATime(key, () => git.run(args, { allowFailure: true }));
    if (r.exitCode === 0) return;
    if (attempt >= 4 || !CONCURRENT_ADMIN_FILES.test(r.stderr)) {
      throw new GitError({ args, exitCode: r.exitCode, stderr: r.stderr, cwd: git.cwd });
    }
    await rm(path, { recursive: true, force: true });
    await sleep(50 * attempt);
  }
}

interface RemoveOptions {
  git: Git;
  path: string;
  lock: Pick<WorktreeLock, "task" | "runId" | "base" | "branch">;
  lockFile: string;
  stateDir: string;
  logger: Logger;
  reason: string;
  /** Its work is known to be saved: no backup needed. */
  saved?: boolean;
}

/** Backs up work in the worktree, then removes it. When the backup fails the worktree is kept. */
async function removeWorktree(o: RemoveOptions): Promise<RemoveResult> {
  let backup: Backup | undefined;
  try {
    backup = o.saved ? undefined : await backupWork(o);
  } catch (err) {
    if (!(err instanceof NoBackupError)) {
      o.logger.error(`could not back up ${o.path}, so it was kept: ${errorMessage(err)}`);
      return { removed: false };
    }
    // Too large to keep: keeping the worktree would only fill the disk run after run.
    o.logger.error(`removed ${o.path} without a backup: ${errorMessage(err)}`);
  }
  const r = await oneAtATime(o.stateDir, () =>
    o.git.run(["worktree", "remove", "--force", "--", o.path], { allowFailure: true }),
  );
  if (r.exitCode !== 0) {
    o.logger.debug(`git worktree remove failed (${r.stderr.trim()}); deleting the directory instead`);
    await removeTree(o.path);
    await oneAtATime(o.stateDir, () => o.git.run(["worktree", "prune"]));
  }
  await rm(o.lockFile, { force: true });
  o.logger.debug(`removed worktree ${o.path}${backup ? ` (backup ${backup.id})` : ""}`);
  return { removed: true, ...(backup ? { backup } : {}) };
}

/** Writes a backup when the worktree has uncommitted changes or commits no ref reaches. */
async function backupWork(o: RemoveOptions): Promise<Backup | undefined> {
  const wt = o.git.at(o.path, { untrusted: true }); // the agent wrote these files
  if (!(await isDirty(wt)) && !(await hasUnreachableCommits(wt))) return undefined;
  const { tree } = await stageTree(wt);
  const same = await wt.run(["diff", "--quiet", "--no-ext-diff", o.lock.base, tree], { allowFailure: true });
  if (same.exitCode === 0) return undefined;
  return writeTreeBackup({
    git: wt,
    tree,
    stateDir: o.stateDir,
    runId: o.lock.runId,
    task: o.lock.task,
    base: o.lock.base,
    reason: o.reason,
    details: { branch: o.lock.branch, worktree: o.path },
  });
}

async function hasUnreachableCommits(wt: Git): Promise<boolean> {
  const r = await wt.run([
    "rev-list",
    "-n1",
    "HEAD",
    "--not",
    "--branches",
    "--tags",
    "--remotes",
    "--glob=refs/claude-tasks/*",
  ]);
  return r.stdout.trim() !== "";
}

export interface WorktreeInfo {
  path: string;
  head?: string;
  /** Full ref of the checked-out branch; absent when detached. */
  branch?: string;
  detached: boolean;
  /** The main working tree of the repository. */
  main: boolean;
  /** Locked with `git worktree lock`. */
  locked: boolean;
  /** Its directory is gone; `git worktree prune` will drop it. */
  prunable: boolean;
  /** Created by claude-tasks (under the state directory). */
  ours: boolean;
  /** Ours, and no live process owns it: a leftover of a crashed or killed run. */
  stale: boolean;
  lock?: WorktreeLock;
}

/** What `git worktree list` says of one worktree. */
export type WorktreeEntry = Omit<WorktreeInfo, "ours" | "stale" | "lock">;

/** How often a failed `git worktree list` is tried (see `worktreeEntries`). */
const LIST_ATTEMPTS = 4;

/**
 * The repository's worktrees (`git worktree list`). Like `add` and `remove` (see `oneAtATime`), a list
 * dies on a worktree whose administrative files are being written or deleted at that moment ("failed
 * to read .git/worktrees/…/commondir", "Invalid path '.git/worktrees/…'"): seen once in the reliability
 * suite's 50 tasks at --max-parallel 8, and with plain git 2 times in 3000 lists against four loops of
 * add and remove. So it takes its turn with them in this process; and as a listing changes nothing, a
 * failure (a clash with another process) is tried again a few times before it counts.
 */
export async function worktreeEntries(git: Git, state?: string): Promise<WorktreeEntry[]> {
  const key = state ?? (await getStateDir(git));
  for (let attempt = 1; ; attempt++) {
    const last = attempt === LIST_ATTEMPTS;
    const r = await oneAtATime(key, () =>
      git.run(["worktree", "list", "--porcelain", "-z"], { allowFailure: !last }),
    );
    if (r.exitCode === 0) return parseWorktreeList(r.stdout);
    await sleep(20 * attempt);
  }
}

/** Parses `git worktree list --porcelain -z`. */
export function parseWorktreeList(out: string): WorktreeEntry[] {
  const list: WorktreeEntry[] = [];
  let cur: WorktreeEntry | undefined;
  for (const line of out.split("\0")) {
    if (line === "") {
      if (cur) list.push(cur);
      cur = undefined;
      continue;
    }
    const [key, ...rest] = line.split(" ");
    const value = rest.join(" ");
    if (key === "worktree") {
      cur = { path: value, detached: false, main: list.length === 0, locked: false, prunable: false };
      continue;
    }
    if (!cur) continue;
    if (key === "HEAD") cur.head = value;
    else if (key === "branch") cur.branch = value;
    else if (key === "detached") cur.detached = true;
    else if (key === "locked") cur.locked = true;
    else if (key === "prunable") cur.prunable = true;
  }
  if (cur) list.push(cur);
  return list;
}

export async function listWorktrees(git: Git, opts: { stateDir?: string } = {}): Promise<WorktreeInfo[]> {
  const state = opts.stateDir ?? (await getStateDir(git));
  const root = await realOrResolved(worktreesDir(state));
  const locks = await readLocks(state);
  const infos: WorktreeInfo[] = [];
  for (const w of await worktreeEntries(git, state)) {
    const path = await realOrResolved(w.path);
    const ours = path.startsWith(root + sep);
    const lock = ours ? locks.get(path) : undefined;
    const stale = ours && (w.prunable || !lock || !(await lockAlive(lock)));
    infos.push({ ...w, path, ours, stale, ...(lock ? { lock } : {}) });
  }
  return infos;
}

export interface PruneEntry {
  path: string;
  task?: string;
  runId?: string;
  /** Removed (or, in a dry run, would be removed). */
  removed: boolean;
  backup?: Backup;
  /** Agent processes of the interrupted run that were still running in it, and were stopped. */
  stoppedProcesses?: number;
  error?: string;
}

export interface PruneOptions {
  dryRun?: boolean;
  stateDir?: string;
  logger?: Logger;
  /**
   * Stops what still runs in a leftover worktree before it is backed up and removed (agents run in
   * their own session, so a run killed with SIGKILL leaves them running); returns their pids.
   */
  stopProcesses?: (path: string) => Promise<number[]>;
}

/**
 * Backs up and removes leftover claude-tasks worktrees (stale ones: no live owner), then runs
 * `git worktree prune`, and removes what an interrupted run left of their sandboxes. A dry run only
 * reports what it would remove.
 */
export async function pruneWorktrees(git: Git, opts: PruneOptions = {}): Promise<PruneEntry[]> {
  const state = opts.stateDir ?? (await getStateDir(git));
  const logger = opts.logger ?? silentLogger;
  const stale = (await listWorktrees(git, { stateDir: state })).filter((w) => w.stale);
  const out: PruneEntry[] = [];
  for (const w of stale) {
    const entry: PruneEntry = { path: w.path, removed: true };
    if (w.lock) Object.assign(entry, { task: w.lock.task, runId: w.lock.runId });
    out.push(entry);
    if (opts.dryRun) continue;
    if (opts.stopProcesses && !w.prunable) {
      const stopped = await opts.stopProcesses(w.path);
      if (stopped.length > 0) entry.stoppedProcesses = stopped.length;
    }
    const name = basename(w.path);
    const lock = w.lock ?? (await guessLock(git, name, w));
    const res = w.prunable
      ? { removed: true }
      : await removeWorktree({
          git,
          path: w.path,
          lock,
          lockFile: lockPath(state, name),
          stateDir: state,
          logger,
          reason: "leftover worktree",
        });
    entry.removed = res.removed;
    if (res.backup) entry.backup = res.backup;
    if (!res.removed) entry.error = "the backup failed, so the worktree was kept";
    if (w.prunable) await rm(lockPath(state, name), { force: true });
  }
  if (!opts.dryRun) {
    await git.run(["worktree", "prune"]);
    await removeOrphanLocks(git, state);
    await removeOrphanSandboxes(git, state);
  }
  return out;
}

/**
 * A task's sandbox folder (`<state>/sandbox/<task>-<run>`: the agent's HOME and git directory) goes with
 * the sandbox, before its worktree; a run killed meanwhile leaves it, HOME caches and all. Those whose
 * worktree is gone are removed. The folders are listed before the worktrees: a sandbox folder is only
 * made once its worktree exists, so a run starting meanwhile is never taken for a leftover.
 */
async function removeOrphanSandboxes(git: Git, state: string): Promise<void> {
  const dir = sandboxesDir(state);
  const names = await orIfMissing(readdir(dir), [] as string[]);
  if (names.length === 0) return;
  const registered = new Set((await worktreeEntries(git, state)).map((w) => basename(w.path)));
  for (const name of names) if (!registered.has(name)) await removeTree(join(dir, name));
}

/** A leftover without a lock file: back it up relative to its HEAD's merge base with HEAD of the repo. */
async function guessLock(git: Git, name: string, w: WorktreeInfo): Promise<RemoveOptions["lock"]> {
  const dash = name.lastIndexOf("-");
  const task = dash > 0 ? name.slice(0, dash) : name;
  const runId = dash > 0 ? name.slice(dash + 1) : "unknown";
  let base = w.head ?? "HEAD";
  const mb = await git.run(["merge-base", "HEAD", base], { allowFailure: true });
  if (mb.exitCode === 0 && mb.stdout.trim()) base = mb.stdout.trim();
  return { task: safeOr(task, "leftover"), runId: safeOr(runId, "unknown"), base, branch: "" };
}

function safeOr(name: string, fallback: string): string {
  try {
    return assertSafeName("name", name);
  } catch {
    return fallback;
  }
}

async function readLocks(state: string): Promise<Map<string, WorktreeLock>> {
  const map = new Map<string, WorktreeLock>();
  let names: string[] = [];
  try {
    names = await readdir(locksDir(state));
  } catch (err) {
    if (!isCode(err, "ENOENT")) throw err;
  }
  for (const n of names.filter((x) => x.endsWith(".json"))) {
    try {
      const lock = JSON.parse(await readFile(join(locksDir(state), n), "utf8")) as WorktreeLock;
      map.set(await realOrResolved(lock.path), lock);
    } catch {
      // unreadable lock: the worktree counts as unowned
    }
  }
  return map;
}

async function removeOrphanLocks(git: Git, state: string): Promise<void> {
  const registered = new Set(
    await Promise.all((await worktreeEntries(git, state)).map((w) => realOrResolved(w.path))),
  );
  const locks = await readLocks(state);
  for (const [path, lock] of locks) {
    if (!registered.has(path) && !(await lockAlive(lock))) {
      await rm(lockPath(state, `${lock.task}-${lock.runId}`), { force: true });
    }
  }
  // Unreadable lock files (damaged, or empty after a crash) whose worktree is gone. A lock is written
  // right after it is created, so one that is still unreadable after a minute is not being written.
  const readable = new Set([...locks.values()].map((l) => `${l.task}-${l.runId}.json`));
  const names = new Set([...registered].map((p) => `${basename(p)}.json`));
  for (const name of await orIfMissing(readdir(locksDir(state)), [] as string[])) {
    if (!name.endsWith(".json") || readable.has(name) || names.has(name)) continue;
    const file = join(locksDir(state), name);
    const written = await orIfMissing(stat(file), undefined); // gone meanwhile: nothing to remove
    if (written && Date.now() - written.mtimeMs > UNREADABLE_LOCK_GRACE_MS) await rm(file, { force: true });
  }
}

const UNREADABLE_LOCK_GRACE_MS = 60_000;

/** A lock from another host is trusted for a day; on this host, its process must still be running. */
const FOREIGN_HOST_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const START_TOLERANCE_MS = 30_000;

export async function lockAlive(lock: WorktreeLock, now = Date.now()): Promise<boolean> {
  if (lock.hostname !== hostname()) return now - Date.parse(lock.createdAt) < FOREIGN_HOST_MAX_AGE_MS;
  if (lock.pid === process.pid) return true;
  try {
    process.kill(lock.pid, 0);
  } catch (err) {
    if (isCode(err, "ESRCH")) return false;
  }
  const started = await processStartTime(lock.pid);
  if (started !== undefined && Math.abs(started - lock.processStart) > START_TOLERANCE_MS) return false; // pid reused
  return true;
}

/** Start time of a process in ms since the epoch (Linux only; undefined elsewhere). */
async function processStartTime(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]); // field 22, counted from field 3 (state)
    const btime = /^btime (\d+)$/m.exec(await readFile("/proc/stat", "utf8"));
    if (!btime || !Number.isFinite(ticks)) return undefined;
    return (Number(btime[1]) + ticks / 100) * 1000; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

async function realOrResolved(path: string): Promise<string> {
  return orIfMissing(realpath(path), resolve(path));
}
