import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);

// src/engine/agent/process-tree.ts
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
var MARKER_VAR = "CLAUDE_TASKS_AGENT_RUN";
var hasProc = (() => {
  try {
    readdirSync("/proc/self");
    return true;
  } catch {
    return false;
  }
})();
function readProcs() {
  const out = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" || fields[0] === "X") continue;
    out.push({ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]), sid: Number(fields[3]) });
  }
  return out;
}
function readPsProcs() {
  try {
    const text = execFileSync("ps", ["-A", "-o", "pid=,ppid=,pgid=,stat="], { encoding: "utf8" });
    const out = [];
    for (const line of text.split("\n")) {
      const [pid, ppid, pgid, stat] = line.trim().split(/\s+/);
      if (!pid || stat?.startsWith("Z")) continue;
      out.push({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), sid: -1 });
    }
    return out;
  } catch {
    return [];
  }
}
function hasMarker(pid, needle) {
  try {
    return readFileSync(`/proc/${pid}/environ`, "latin1").includes(needle);
  } catch {
    return false;
  }
}
function findTree(handle) {
  const procs = hasProc ? readProcs() : readPsProcs();
  const needle = `${MARKER_VAR}=${handle.marker}\0`;
  const found = /* @__PURE__ */ new Set();
  for (const p of procs) {
    if (p.pid === process.pid) continue;
    if (p.pid === handle.pid || p.pgid === handle.pid || p.sid === handle.pid) found.add(p.pid);
    else if (hasProc && hasMarker(p.pid, needle)) found.add(p.pid);
  }
  const children = /* @__PURE__ */ new Map();
  for (const p of procs) {
    const list = children.get(p.ppid) ?? [];
    list.push(p.pid);
    children.set(p.ppid, list);
  }
  const queue = [...found];
  while (queue.length > 0) {
    const pid = queue.pop();
    for (const child of children.get(pid) ?? []) {
      if (child !== process.pid && !found.has(child)) {
        found.add(child);
        queue.push(child);
      }
    }
  }
  return [...found];
}
function signalAll(handle, pids, signal) {
  try {
    process.kill(-handle.pid, signal);
  } catch {
  }
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
    }
  }
}
var sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function killTree(handle, graceMs) {
  let alive = findTree(handle);
  if (alive.length === 0) return [];
  signalAll(handle, alive, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
    alive = findTree(handle);
    if (alive.length === 0) return [];
  }
  for (let round = 0; round < 20 && alive.length > 0; round++) {
    signalAll(handle, alive, "SIGKILL");
    await sleep(20);
    alive = findTree(handle);
  }
  return alive;
}
function agentProcessesIn(dir) {
  if (!hasProc) return [];
  const found = [];
  for (const p of readProcs()) {
    if (p.pid === process.pid) continue;
    let cwd;
    let environ;
    try {
      cwd = readlinkSync(`/proc/${p.pid}/cwd`).replace(/ \(deleted\)$/, "");
      if (cwd !== dir && !cwd.startsWith(`${dir}/`)) continue;
      environ = readFileSync(`/proc/${p.pid}/environ`, "latin1");
    } catch {
      continue;
    }
    const marker = new RegExp(`(?:^|\\0)${MARKER_VAR}=([^\\0]+)`).exec(environ)?.[1];
    if (marker) found.push({ pid: p.pid, handle: { pid: p.sid > 0 ? p.sid : p.pid, marker } });
  }
  return found;
}
async function stopAgentProcessesIn(dir, graceMs = 2e3) {
  const found = agentProcessesIn(dir);
  const handles = new Map(found.map((f) => [f.handle.marker, f.handle]));
  for (const handle of handles.values()) await killTree(handle, graceMs);
  return found.map((f) => f.pid);
}

export {
  MARKER_VAR,
  findTree,
  killTree,
  agentProcessesIn,
  stopAgentProcessesIn
};
