/**
 * A per-repository lock, so two ticks (or a tick and a watcher's run) of one repository never overlap:
 * the file `<git-common-dir>/claude-tasks/<name>.lock`, created with O_EXCL, holding the holder's pid,
 * host, start time and (on Linux) the process start time from `/proc/<pid>/stat`.
 *
 * A lock is stale when its holder is gone: same host and the pid no longer exists, or it exists but
 * started at another time (the pid was reused), or the file cannot be read as a lock at all. A lock
 * of another host (a repository on a shared file system) is never judged from here: it is stale only
 * when older than `foreignMaxAgeMs` (default 24 h).
 *
 * Taking a stale lock over is decided under a second, short-lived O_EXCL file (`<name>.lock.takeover`):
 * the holder of that file re-reads the lock and removes it only if it is still the stale one, so two
 * processes that both saw a dead holder cannot both take over (the race that "unlink and retry" has).
 * A takeover file older than 30 s is itself left over by a crash (its critical section is one read and
 * one unlink) and is removed. Why not `proper-lockfile`: it judges staleness by mtime alone, which
 * needs a refresh timer in the holder and still breaks a live lock when the event loop stalls; a pid
 * check is exact on one machine, which is where a timer-driven tick runs.
 */
import { mkdir, open, readFile, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";

export interface LockInfo {
  pid: number;
  host: string;
  /** When the lock was taken, ISO 8601. */
  startedAt: string;
  /** `/proc/<pid>/stat` field 22 (start time in clock ticks since boot), where there is one. */
  procStart?: string;
  /** What holds it ("tick", "watch"). */
  purpose: string;
}

export type Acquired =
  | { ok: true; lock: HeldLock /** The stale lock taken over, if any. */; replaced?: LockInfo }
  | {
      ok: false /** Undefined when the lock file is being written this instant. */;
      holder: LockInfo | undefined;
    };

export interface HeldLock {
  readonly path: string;
  readonly info: LockInfo;
  release(): Promise<void>;
}

export interface LockOptions {
  /** `<git-common-dir>/claude-tasks`. */
  dir: string;
  name?: string;
  purpose?: string;
  /** Injected for tests: whether a pid exists, and its start time. */
  probe?: ProcessProbe;
  foreignMaxAgeMs?: number;
  now?: () => Date;
}

export interface ProcessProbe {
  alive(pid: number): boolean;
  startTime(pid: number): Promise<string | undefined>;
}

export const TAKEOVER_MAX_AGE_MS = 30_000;
const HALF_WRITTEN_MS = 10_000;
const DAY = 24 * 60 * 60 * 1000;

export const systemProbe: ProcessProbe = {
  alive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      // EPERM: it exists but belongs to someone else
      return (err as NodeJS.ErrnoException).code === "EPERM";
    }
  },
  async startTime(pid) {
    try {
      const text = await readFile(`/proc/${pid}/stat`, "utf8");
      // the command name (field 2) may hold spaces and parentheses: count fields after the last ")"
      const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
      return rest[19]; // field 22 overall
    } catch {
      return undefined;
    }
  },
};

export function lockPath(dir: string, name = "tick"): string {
  return join(dir, `${name}.lock`);
}

/** Takes the lock, or says who holds it. Never waits. */
export async function acquireLock(opts: LockOptions): Promise<Acquired> {
  const probe = opts.probe ?? systemProbe;
  const now = opts.now ?? (() => new Date());
  const path = lockPath(opts.dir, opts.name);
  await mkdir(opts.dir, { recursive: true });
  const procStart = await probe.startTime(process.pid);
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    startedAt: now().toISOString(),
    ...(procStart ? { procStart } : {}),
    purpose: opts.purpose ?? opts.name ?? "tick",
  };
  let replaced: LockInfo | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createExclusive(path, `${JSON.stringify(info)}\n`)) {
      return { ok: true, lock: held(path, info), ...(replaced ? { replaced } : {}) };
    }
    const verdict = await underTakeover(path, async () => {
      const text = await readText(path);
      if (text === undefined) return { gone: true as const };
      const holder = parseLock(text);
      if (holder && !(await isStale(holder, probe, now(), opts.foreignMaxAgeMs ?? DAY)))
        return { live: holder };
      // unreadable: maybe being written this instant (created, not yet filled) — stale only when old
      if (!holder && (await ageMs(path)) < HALF_WRITTEN_MS) return { live: undefined };
      await rm(path, { force: true });
      return { removed: holder ?? undefined };
    });
    if (verdict === undefined) return { ok: false, holder: parseLock((await readText(path)) ?? "") };
    if ("live" in verdict) return { ok: false, holder: verdict.live };
    if ("removed" in verdict && verdict.removed) replaced = verdict.removed;
  }
  return { ok: false, holder: parseLock((await readText(path)) ?? "") };
}

/** The lock's holder as recorded, and whether it is stale; undefined when nobody holds it. */
export async function inspectLock(
  opts: Pick<LockOptions, "dir" | "name" | "probe" | "foreignMaxAgeMs" | "now">,
): Promise<{ holder: LockInfo | undefined; stale: boolean } | undefined> {
  const text = await readText(lockPath(opts.dir, opts.name));
  if (text === undefined) return undefined;
  const holder = parseLock(text);
  const now = (opts.now ?? (() => new Date()))();
  const stale = holder
    ? await isStale(holder, opts.probe ?? systemProbe, now, opts.foreignMaxAgeMs ?? DAY)
    : true;
  return { holder, stale };
}

export function parseLock(text: string): LockInfo | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (
      typeof v.pid === "number" &&
      Number.isSafeInteger(v.pid) &&
      v.pid > 0 &&
      typeof v.host === "string" &&
      typeof v.startedAt === "string" &&
      !Number.isNaN(Date.parse(v.startedAt))
    ) {
      return {
        pid: v.pid,
        host: v.host,
        startedAt: v.startedAt,
        ...(typeof v.procStart === "string" ? { procStart: v.procStart } : {}),
        purpose: typeof v.purpose === "string" ? v.purpose : "tick",
      };
    }
  } catch {
    // not JSON: a lock written half (a crash between create and write) — stale
  }
  return undefined;
}

async function isStale(holder: LockInfo, probe: ProcessProbe, now: Date, foreignMaxAgeMs: number) {
  if (holder.host !== hostname()) return now.getTime() - Date.parse(holder.startedAt) > foreignMaxAgeMs;
  if (!probe.alive(holder.pid)) return true;
  if (holder.procStart === undefined) return false;
  const current = await probe.startTime(holder.pid);
  return current !== undefined && current !== holder.procStart;
}

function held(path: string, info: LockInfo): HeldLock {
  let released = false;
  return {
    path,
    info,
    async release() {
      if (released) return;
      released = true;
      // only our own lock: a lock judged stale and taken over meanwhile is someone else's now
      const current = parseLock((await readText(path)) ?? "");
      if (current && current.pid === info.pid && current.startedAt === info.startedAt)
        await rm(path, { force: true });
    },
  };
}

/** Runs `fn` holding `<path>.takeover`; undefined when another process holds it (it decides). */
async function underTakeover<T>(path: string, fn: () => Promise<T>): Promise<T | undefined> {
  const guard = `${path}.takeover`;
  if (!(await createExclusive(guard, `${process.pid}\n`))) {
    if ((await ageMs(guard)) <= TAKEOVER_MAX_AGE_MS) return undefined;
    await rm(guard, { force: true });
    if (!(await createExclusive(guard, `${process.pid}\n`))) return undefined;
  }
  try {
    return await fn();
  } finally {
    await rm(guard, { force: true });
  }
}

async function ageMs(path: string): Promise<number> {
  return stat(path).then(
    (s) => Date.now() - s.mtimeMs,
    () => 0,
  );
}

async function createExclusive(path: string, text: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "wx", 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
