import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  pidAlive
} from "./chunk-BAVBC7OK.js";
import {
  assertSafeName,
  orIfMissing,
  require_lib
} from "./chunk-FNPOHAIZ.js";
import {
  __toESM
} from "./chunk-MTYGN2KO.js";

// src/engine/runs/record.ts
var import_write_file_atomic = __toESM(require_lib(), 1);
import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
var ACTIVE_STATUSES = ["waiting", "running"];
var MAX_LOG_LINES = 500;
var backgroundDir = (state) => join(state, "background");
async function writeRecord(state, record) {
  assertSafeName("run id", record.id);
  const dir = backgroundDir(state);
  await mkdir(dir, { recursive: true });
  await (0, import_write_file_atomic.default)(join(dir, `${record.id}.json`), `${JSON.stringify(record, null, 2)}
`);
}
async function readRecords(state) {
  const dir = backgroundDir(state);
  const names = await orIfMissing(readdir(dir), []);
  const out = [];
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
    const record = parseRecord(await orIfMissing(readFile(join(dir, name), "utf8"), void 0));
    if (record?.version !== 1 || typeof record.id !== "string") continue;
    if (ACTIVE_STATUSES.includes(record.status) && record.pid !== process.pid && !pidAlive(record.pid)) {
      const interrupted = {
        ...record,
        status: "interrupted",
        message: record.message ?? "the server that ran it exited before it ended",
        endedAt: record.endedAt ?? (/* @__PURE__ */ new Date()).toISOString()
      };
      await writeRecord(state, interrupted);
      out.push(interrupted);
    } else out.push(record);
  }
  return out;
}
async function pruneRecords(state, opts) {
  const isAlive = opts.isAlive ?? pidAlive;
  const dir = backgroundDir(state);
  const names = await orIfMissing(readdir(dir), []);
  const found = [];
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
    const record = parseRecord(await orIfMissing(readFile(join(dir, name), "utf8"), void 0));
    if (record?.version === 1 && typeof record.id === "string") found.push({ name, record });
  }
  const live = (r) => ACTIVE_STATUSES.includes(r.status) && isAlive(r.pid);
  const needed = new Set(found.filter((f) => live(f.record)).flatMap((f) => f.record.needs ?? []));
  const cutoff = opts.endedBefore.getTime();
  const removed = [];
  for (const { name, record } of found) {
    if (live(record) || needed.has(record.id) || opts.keep?.has(record.id)) continue;
    const file = join(dir, name);
    const ended = record.endedAt !== void 0 ? Date.parse(record.endedAt) : (await orIfMissing(stat(file), void 0))?.mtimeMs ?? Number.NaN;
    if (!(ended < cutoff)) continue;
    if (!opts.dryRun) await rm(file, { force: true });
    removed.push(record.id);
  }
  return removed;
}
function parseRecord(text) {
  if (text === void 0) return void 0;
  try {
    return JSON.parse(text);
  } catch (err) {
    if (err instanceof SyntaxError) return void 0;
    throw err;
  }
}

export {
  ACTIVE_STATUSES,
  MAX_LOG_LINES,
  writeRecord,
  readRecords,
  pruneRecords
};
