/**
 * Finding and stopping everything an agent started. The child is spawned detached (its own session
 * and process group, both equal to its pid) with a unique marker in its environment. Claude Code runs
 * its Bash tool in shells that call `setsid`, so the process group alone misses them; on Linux we
 * also match the session, the marker (inherited by every descendant that keeps its environment) and
 * plain parent links. Elsewhere we fall back to the process group and `ps` parent links.
 */
// The one process started outside process/run.ts: `ps`, where /proc is missing (not Linux), run
// synchronously because the sweep that needs it is synchronous and must not yield mid-kill.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export const MARKER_VAR = "CLAUDE_TASKS_AGENT_RUN";

export interface TreeHandle {
  /** The spawned child's pid, which is also its process group and session id. */
  pid: number;
  /** The value of MARKER_VAR in the child's environment. */
  marker: string;
}

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
}

const hasProc = (() => {
  try {
    readdirSync("/proc/self");
    return true;
  } catch {
    return false;
  }
})();

function readProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp session ..." — comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" || fields[0] === "X") continue;
    out.push({ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]), sid: Number(fields[3]) });
  }
  return out;
}

function readPsProcs(): ProcInfo[] {
  try {
    const text = execFileSync("ps", ["-A", "-o", "pid=,ppid=,pgid=,stat="], { encoding: "utf8" });
    const out: ProcInfo[] = [];
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

function hasMarker(pid: number, needle: string): boolean {
  // latin1 keeps every byte; the needle is ASCII.
  try {
    return readFileSync(`/proc/${pid}/environ`, "latin1").includes(needle);
  } catch {
    return false;
  }
}

/** Every live process that belongs to the agent run, the child itself included. */
export function findTree(handle: TreeHandle): number[] {
  const procs = hasProc ? readProcs() : readPsProcs();
  const needle = `${MARKER_VAR}=${handle.marker}\0`;
  const found = new Set<number>();
  for (const p of procs) {
    if (p.pid === process.pid) continue;
    if (p.pid === handle.pid || p.pgid === handle.pid || p.sid === handle.pid) found.add(p.pid);
    else if (hasProc && hasMarker(p.pid, needle)) found.add(p.pid);
  }
  // Descendants of anything found (a process may have cleared its environment and left the session).
  const children = new Map<number, number[]>();
  for (const p of procs) {
    const list = children.get(p.ppid) ?? [];
    list.push(p.pid);
    children.set(p.ppid, list);
  }
  const queue = [...found];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    for (const child of children.get(pid) ?? []) {
      if (child !== process.pid && !found.has(child)) {
        found.add(child);
        queue.push(child);
      }
    }
  }
  return [...found];
}

function signalAll(handle: TreeHandle, pids: readonly number[], signal: NodeJS.Signals): void {
  try {
    process.kill(-handle.pid, signal);
  } catch {
    // The group may be gone already.
  }
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Exited meanwhile.
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Stops the whole tree: SIGTERM, then SIGKILL for whatever is still alive after `graceMs`.
 * Resolves once nothing of the run is left (or after a few SIGKILL rounds, with what remains).
 */
export async function killTree(handle: TreeHandle, graceMs: number): Promise<number[]> {
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

/**
 * Agent processes still running in `dir` (their working directory is `dir` or below it): what a run
 * killed with SIGKILL leaves behind, since agents run in their own session and outlive the run. Each
 * carries the marker of its run in its environment; those without one are never touched. Linux only
 * (/proc); elsewhere none are found.
 */
export function agentProcessesIn(dir: string): { pid: number; handle: TreeHandle }[] {
  if (!hasProc) return [];
  const found: { pid: number; handle: TreeHandle }[] = [];
  for (const p of readProcs()) {
    if (p.pid === process.pid) continue;
    let cwd: string;
    let environ: string;
    try {
      cwd = readlinkSync(`/proc/${p.pid}/cwd`).replace(/ \(deleted\)$/, "");
      if (cwd !== dir && !cwd.startsWith(`${dir}/`)) continue;
      environ = readFileSync(`/proc/${p.pid}/environ`, "latin1");
    } catch {
      continue; // gone, or not ours to inspect
    }
    const marker = new RegExp(`(?:^|\\0)${MARKER_VAR}=([^\\0]+)`).exec(environ)?.[1];
    // the agent was spawned as the leader of its own session: the session id is the spawned pid
    if (marker) found.push({ pid: p.pid, handle: { pid: p.sid > 0 ? p.sid : p.pid, marker } });
  }
  return found;
}

/** Stops every agent process tree still running in `dir` (see agentProcessesIn); returns their pids. */
export async function stopAgentProcessesIn(dir: string, graceMs = 2_000): Promise<number[]> {
  const found = agentProcessesIn(dir);
  const handles = new Map(found.map((f) => [f.handle.marker, f.handle]));
  for (const handle of handles.values()) await killTree(handle, graceMs);
  return found.map((f) => f.pid);
}
