import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  formatAge
} from "./chunk-PSHTJFRU.js";
import {
  pruneRecords
} from "./chunk-RLHNHFDM.js";
import {
  pidAlive
} from "./chunk-BAVBC7OK.js";
import {
  backupsDir,
  compareCodeUnits,
  isCode,
  listBackups,
  listWorktrees,
  parseLog,
  runLogPath,
  stateDir
} from "./chunk-FNPOHAIZ.js";

// src/engine/retention/prune.ts
import { randomBytes } from "node:crypto";
import { open, readdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

// src/engine/retention/plan.ts
function planPrune(input) {
  const cutoff = input.policy.maxAgeMs === void 0 ? void 0 : input.now.getTime() - input.policy.maxAgeMs;
  const young = (iso) => cutoff === void 0 || Date.parse(iso) >= cutoff;
  const keepRuns = new Set(input.running);
  const byTask = /* @__PURE__ */ new Map();
  const known = /* @__PURE__ */ new Set();
  for (const e of input.entries) {
    known.add(e.runId);
    if (e.type !== "task") continue;
    const list = byTask.get(e.task) ?? [];
    list.push({ runId: e.runId, at: e.at });
    byTask.set(e.task, list);
  }
  for (const list of byTask.values()) {
    const newest = [...list].sort((a, b) => compareCodeUnits(b.at, a.at));
    const distinct = [];
    for (const { runId, at } of newest) {
      if (distinct.length >= input.policy.keep) break;
      if (distinct.includes(runId)) continue;
      distinct.push(runId);
      if (young(at)) keepRuns.add(runId);
    }
  }
  const dropRuns = [...known].filter((id) => !keepRuns.has(id));
  const keepBackups = [];
  const deleteBackups = [];
  const backupsByTask = /* @__PURE__ */ new Map();
  for (const b of input.backups) backupsByTask.set(b.task, [...backupsByTask.get(b.task) ?? [], b]);
  for (const list of backupsByTask.values()) {
    const newest = [...list].sort(
      (a, b) => compareCodeUnits(b.createdAt, a.createdAt) || compareCodeUnits(b.id, a.id)
    );
    newest.forEach((b, i) => {
      const keep = input.running.has(b.runId) || i < input.policy.keep && young(b.createdAt);
      (keep ? keepBackups : deleteBackups).push(b);
    });
  }
  const deleteReports = input.reports.filter((runId) => {
    if (keepRuns.has(runId)) return false;
    if (known.has(runId)) return true;
    const at = runIdTime(runId);
    return at !== void 0 && !young(at.toISOString());
  });
  return { keepRuns, dropRuns, deleteBackups, keepBackups, deleteReports };
}
function runIdTime(runId) {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-|$)/.exec(runId);
  if (!m) return void 0;
  const d = /* @__PURE__ */ new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(d.getTime()) ? void 0 : d;
}

// src/engine/retention/prune.ts
async function runningRuns(git, state, entries, isAlive = pidAlive) {
  const ended = new Set(entries.filter((e) => e.type === "run-end").map((e) => e.runId));
  const running = /* @__PURE__ */ new Set();
  for (const e of entries)
    if (e.type === "run-start" && !ended.has(e.runId) && isAlive(e.pid)) running.add(e.runId);
  const worktrees = await listWorktrees(git, { stateDir: state });
  for (const w of worktrees) if (w.ours && !w.stale && w.lock) running.add(w.lock.runId);
  return running;
}
async function prune(opts) {
  const state = opts.stateDir ?? await stateDir(opts.git);
  const logFile = runLogPath(state);
  const logText = await readText(logFile);
  const log = parseLog(logText);
  const now = opts.now ?? /* @__PURE__ */ new Date();
  const running = await runningRuns(opts.git, state, log.entries, opts.isAlive);
  const backups = (await listBackups(state)).map((b) => ({
    id: b.id,
    task: b.meta.task,
    runId: b.meta.runId,
    createdAt: b.meta.createdAt,
    size: b.size
  }));
  const reports = await listDir(join(state, "runs"));
  const plan = planPrune({
    backups,
    entries: log.entries,
    reports,
    running,
    policy: opts.policy,
    now
  });
  const keepLine = (entry) => entry !== void 0 && plan.keepRuns.has(entry.runId);
  let keptLines = 0;
  let droppedLines = 0;
  for (const line of logText.split("\n")) {
    if (line.trim() === "") continue;
    if (keepLine(parseLine(line))) keptLines++;
    else droppedLines++;
  }
  if (!opts.dryRun) {
    for (const b of plan.deleteBackups)
      await rm(join(backupsDir(state), b.id), { recursive: true, force: true });
    for (const runId of plan.deleteReports)
      await rm(join(state, "runs", runId), { recursive: true, force: true });
    if (droppedLines > 0) await rewriteLog(logFile, (line) => keepLine(parseLine(line)));
  }
  const background = opts.policy.maxAgeMs === void 0 ? [] : await pruneRecords(state, {
    endedBefore: new Date(now.getTime() - opts.policy.maxAgeMs),
    keep: running,
    ...opts.dryRun ? { dryRun: true } : {},
    ...opts.isAlive ? { isAlive: opts.isAlive } : {}
  });
  return {
    dryRun: Boolean(opts.dryRun),
    policy: {
      keep: opts.policy.keep,
      maxAge: opts.policy.maxAgeMs === void 0 ? null : formatAge(opts.policy.maxAgeMs)
    },
    running: [...running].sort(),
    backups: {
      deleted: plan.deleteBackups,
      kept: plan.keepBackups.length,
      freedBytes: plan.deleteBackups.reduce((sum, b) => sum + b.size, 0)
    },
    reports: { deleted: plan.deleteReports.sort() },
    background: { deleted: background },
    log: { keptLines, droppedLines, damagedLines: log.damagedLines.length }
  };
}
async function rewriteLog(file, keep) {
  const old = await open(file, "r").catch((err) => {
    if (isCode(err, "ENOENT")) return void 0;
    throw err;
  });
  if (!old) return;
  try {
    const text = (await old.readFile()).toString("utf8");
    const complete = text.slice(0, text.lastIndexOf("\n") + 1);
    let consumed = Buffer.byteLength(complete);
    const kept = complete.split("\n").filter((l) => l.trim() !== "" && keep(l)).map((l) => `${l}
`).join("");
    const tmp = join(dirname(file), `.runs-${process.pid}-${randomBytes(4).toString("hex")}.jsonl`);
    try {
      const fh = await open(tmp, "wx");
      try {
        await fh.writeFile(kept);
        consumed += await copyTail(old, consumed, (chunk) => fh.writeFile(chunk));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    for (let i = 0; i < 3; i++) {
      const n = await copyTail(old, consumed, (chunk) => writeFile(file, chunk, { flag: "a" }));
      consumed += n;
      if (n === 0) await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await old.close();
  }
}
async function copyTail(fh, from, write) {
  const { size } = await fh.stat();
  if (size <= from) return 0;
  const buf = Buffer.alloc(size - from);
  await fh.read(buf, 0, buf.length, from);
  const end = buf.lastIndexOf(10) + 1;
  if (end === 0) return 0;
  await write(buf.subarray(0, end));
  return end;
}
function parseLine(line) {
  return parseLog(line).entries[0];
}
async function readText(file) {
  try {
    const fh = await open(file, "r");
    try {
      return (await fh.readFile()).toString("utf8");
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (isCode(err, "ENOENT")) return "";
    throw err;
  }
}
async function listDir(dir) {
  try {
    return (await readdir(dir)).filter((n) => !n.startsWith("."));
  } catch (err) {
    if (isCode(err, "ENOENT")) return [];
    throw err;
  }
}

export {
  runningRuns,
  prune,
  rewriteLog
};
