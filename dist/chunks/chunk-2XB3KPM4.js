import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  resolveRun
} from "./chunk-I2XT4IXD.js";
import {
  newRunId
} from "./chunk-AWNG4QJT.js";
import {
  STATE_REF,
  claimDueTasks,
  localStateStore
} from "./chunk-DUTI55RA.js";
import {
  pruneWorktrees
} from "./chunk-FNPOHAIZ.js";
import {
  stopAgentProcessesIn
} from "./chunk-AN4M62PA.js";

// src/engine/local/lock.ts
import { mkdir, open, readFile, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
var TAKEOVER_MAX_AGE_MS = 3e4;
var HALF_WRITTEN_MS = 1e4;
var DAY = 24 * 60 * 60 * 1e3;
var systemProbe = {
  alive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return err.code === "EPERM";
    }
  },
  async startTime(pid) {
    try {
      const text = await readFile(`/proc/${pid}/stat`, "utf8");
      const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
      return rest[19];
    } catch {
      return void 0;
    }
  }
};
function lockPath(dir, name = "tick") {
  return join(dir, `${name}.lock`);
}
async function acquireLock(opts) {
  const probe = opts.probe ?? systemProbe;
  const now = opts.now ?? (() => /* @__PURE__ */ new Date());
  const path = lockPath(opts.dir, opts.name);
  await mkdir(opts.dir, { recursive: true });
  const procStart = await probe.startTime(process.pid);
  const info = {
    pid: process.pid,
    host: hostname(),
    startedAt: now().toISOString(),
    ...procStart ? { procStart } : {},
    purpose: opts.purpose ?? opts.name ?? "tick"
  };
  let replaced;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createExclusive(path, `${JSON.stringify(info)}
`)) {
      return { ok: true, lock: held(path, info), ...replaced ? { replaced } : {} };
    }
    const verdict = await underTakeover(path, async () => {
      const text = await readText(path);
      if (text === void 0) return { gone: true };
      const holder = parseLock(text);
      if (holder && !await isStale(holder, probe, now(), opts.foreignMaxAgeMs ?? DAY))
        return { live: holder };
      if (!holder && await ageMs(path) < HALF_WRITTEN_MS) return { live: void 0 };
      await rm(path, { force: true });
      return { removed: holder ?? void 0 };
    });
    if (verdict === void 0) return { ok: false, holder: parseLock(await readText(path) ?? "") };
    if ("live" in verdict) return { ok: false, holder: verdict.live };
    if ("removed" in verdict && verdict.removed) replaced = verdict.removed;
  }
  return { ok: false, holder: parseLock(await readText(path) ?? "") };
}
async function inspectLock(opts) {
  const text = await readText(lockPath(opts.dir, opts.name));
  if (text === void 0) return void 0;
  const holder = parseLock(text);
  const now = (opts.now ?? (() => /* @__PURE__ */ new Date()))();
  const stale = holder ? await isStale(holder, opts.probe ?? systemProbe, now, opts.foreignMaxAgeMs ?? DAY) : true;
  return { holder, stale };
}
function parseLock(text) {
  try {
    const v = JSON.parse(text);
    if (typeof v.pid === "number" && Number.isSafeInteger(v.pid) && v.pid > 0 && typeof v.host === "string" && typeof v.startedAt === "string" && !Number.isNaN(Date.parse(v.startedAt))) {
      return {
        pid: v.pid,
        host: v.host,
        startedAt: v.startedAt,
        ...typeof v.procStart === "string" ? { procStart: v.procStart } : {},
        purpose: typeof v.purpose === "string" ? v.purpose : "tick"
      };
    }
  } catch {
  }
  return void 0;
}
async function isStale(holder, probe, now, foreignMaxAgeMs) {
  if (holder.host !== hostname()) return now.getTime() - Date.parse(holder.startedAt) > foreignMaxAgeMs;
  if (!probe.alive(holder.pid)) return true;
  if (holder.procStart === void 0) return false;
  const current = await probe.startTime(holder.pid);
  return current !== void 0 && current !== holder.procStart;
}
function held(path, info) {
  let released = false;
  return {
    path,
    info,
    async release() {
      if (released) return;
      released = true;
      const current = parseLock(await readText(path) ?? "");
      if (current && current.pid === info.pid && current.startedAt === info.startedAt)
        await rm(path, { force: true });
    }
  };
}
async function underTakeover(path, fn) {
  const guard = `${path}.takeover`;
  if (!await createExclusive(guard, `${process.pid}
`)) {
    if (await ageMs(guard) <= TAKEOVER_MAX_AGE_MS) return void 0;
    await rm(guard, { force: true });
    if (!await createExclusive(guard, `${process.pid}
`)) return void 0;
  }
  try {
    return await fn();
  } finally {
    await rm(guard, { force: true });
  }
}
async function ageMs(path) {
  return stat(path).then(
    (s) => Date.now() - s.mtimeMs,
    () => 0
  );
}
async function createExclusive(path, text) {
  let handle;
  try {
    handle = await open(path, "wx", 384);
  } catch (err) {
    if (err.code === "EEXIST") return false;
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
async function readText(path) {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if (err.code === "ENOENT") return void 0;
    throw err;
  }
}

// src/engine/local/tick.ts
import { mkdir as mkdir2, readFile as readFile2, rename, writeFile } from "node:fs/promises";
import { join as join2 } from "node:path";
var LOCAL_STATE_REF = "refs/claude-tasks/local-state";
var TICK_RECORD = "tick.json";
function stateLocation(mode, remote = "origin") {
  return mode === "pr" ? { kind: "remote", remote, ref: STATE_REF } : { kind: "local", ref: LOCAL_STATE_REF };
}
async function tick(opts) {
  const acquired = await acquireLock({
    dir: opts.stateDir,
    name: "tick",
    purpose: "tick",
    ...opts.probe ? { probe: opts.probe } : {}
  });
  if (!acquired.ok) return { status: "busy", holder: acquired.holder };
  try {
    return await tickLocked(opts, acquired.replaced);
  } finally {
    await acquired.lock.release();
  }
}
async function tickLocked(opts, replaced) {
  const { now, mode } = opts;
  const runId = newRunId(now);
  const where = stateLocation(mode, opts.remote);
  const peek = mode === "dry-run";
  const notes = [];
  if (replaced) {
    notes.push(
      `the previous tick (pid ${replaced.pid}, started ${replaced.startedAt}) ended without releasing its lock; taken over`
    );
    if (!peek) {
      const pruned = await pruneWorktrees(opts.git, {
        stateDir: opts.stateDir,
        stopProcesses: stopAgentProcessesIn
      });
      for (const p of pruned.filter((x) => x.removed && !x.error))
        notes.push(
          `leftover worktree of ${p.task ?? "an interrupted task"} removed${p.backup ? `; its work is in backup ${p.backup.id}` : ""}`
        );
    }
  }
  let claimed;
  const resolved = await resolveRun({
    decision: { kind: "schedule", trigger: "tick" },
    tasks: opts.tasks,
    now,
    dryRun: peek,
    git: async () => opts.git,
    remote: where.kind === "remote" ? where.remote : ".",
    runId,
    claim: async (c) => {
      claimed = await claimDueTasks(
        where.kind === "local" ? { ...c, store: localStateStore(c.git, where.ref) } : c
      );
      return claimed;
    }
  });
  notes.push(...resolved.notes);
  const plan = resolved.plan;
  const due = claimed?.due ?? [];
  const entry = {
    at: (/* @__PURE__ */ new Date()).toISOString(),
    now: now.toISOString(),
    mode,
    state: where.kind === "local" ? where.ref : `${where.remote} ${where.ref}`,
    tasks: plan.tasks.map((t) => t.name),
    pid: process.pid,
    status: "nothing-due"
  };
  const base = { state: where, due, plan, notes, ...replaced ? { replaced } : {} };
  if (plan.tasks.length === 0) {
    await recordTick(opts.stateDir, entry, false);
    return { status: "nothing-due", ...base };
  }
  const running = { ...entry, runId, status: "running" };
  await recordTick(opts.stateDir, running, true);
  const byName = new Map(opts.tasks.map((t) => [t.name, t]));
  let report;
  try {
    report = await opts.run({
      tasks: plan.tasks.map((p) => byName.get(p.name)),
      plan,
      runId,
      trigger: `tick ${now.toISOString().slice(0, 16)}Z`,
      fireTimes: Object.fromEntries(
        plan.tasks.filter((t) => t.fireTimes.length > 0).map((t) => [t.name, t.fireTimes])
      )
    });
  } finally {
    await recordTick(opts.stateDir, { ...running, status: report?.ok ? "ok" : "failed" }, true);
  }
  return { status: "ran", ...base, report };
}
async function readTickRecord(stateDir) {
  try {
    const v = JSON.parse(await readFile2(join2(stateDir, TICK_RECORD), "utf8"));
    return typeof v === "object" && v !== null ? v : {};
  } catch {
    return {};
  }
}
async function recordTick(stateDir, entry, ran) {
  const record = await readTickRecord(stateDir);
  const next = { ...record, lastTick: entry, ...ran ? { lastRun: entry } : {} };
  await mkdir2(stateDir, { recursive: true });
  const path = join2(stateDir, TICK_RECORD);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(next, null, 2)}
`);
  await rename(tmp, path);
}

export {
  inspectLock,
  tick,
  readTickRecord
};
