/**
 * The built CLI as a child process the test can watch and interrupt: its exit code or signal, its
 * output, its peak memory (VmHWM, written at exit by a preload), and the agent processes it started
 * (found from /proc by the marker every agent carries and the worktree root they work in).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const NODE = resolve("node_modules/.bin/node");
export const CLI = resolve("dist/cli.js");
export const ACTION = resolve("dist/action.js");
const PEAK_RSS = resolve("tests/reliability/support/peak-rss.mjs");

export interface CliOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident set size of the CLI process in bytes (undefined when it was killed hard). */
  peakRss?: number;
}

export interface CliProcess {
  child: ChildProcess;
  pid: number;
  /** Output so far. */
  readonly stdout: string;
  readonly stderr: string;
  done: Promise<CliOutcome>;
}

export interface StartOptions {
  cwd: string;
  env: Record<string, string>;
  /** Options for this node process only (e.g. `--max-old-space-size=64`). */
  nodeArgs?: string[];
}

/**
 * The node options of the CLI's own `#!` line (`#!/usr/bin/env -S node --max-semi-space-size=8`):
 * started through `node` rather than as a program, it runs with them as a user's shell would.
 */
function shebangNodeArgs(script: string): string[] {
  const first = readFileSync(script, "utf8").split("\n", 1)[0] ?? "";
  const m = /^#!.*\bnode((?:\s+--\S+)*)\s*$/.exec(first);
  return m?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
}

/** Starts `node <the #! line's options> [--import peak-rss] dist/cli.js …args` with exactly `env` (plus PATH). */
export function startCli(args: string[], opts: StartOptions): CliProcess {
  return startNode(CLI, args, { ...opts, nodeArgs: [...shebangNodeArgs(CLI), ...(opts.nodeArgs ?? [])] });
}

export function startNode(script: string, args: string[], opts: StartOptions): CliProcess {
  const dir = mkdtempSync(join(tmpdir(), "ct-rss-"));
  const rssFile = join(dir, "peak");
  const started = Date.now();
  const child = spawn(NODE, [...(opts.nodeArgs ?? []), "--import", PEAK_RSS, script, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? "", ...opts.env, CT_PEAK_RSS_FILE: rssFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const done = new Promise<CliOutcome>((ok) => {
    child.on("close", (code, signal) => {
      const peakKb = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) : undefined;
      rmSync(dir, { recursive: true, force: true });
      const out: CliOutcome = { code, signal, stdout, stderr, ms: Date.now() - started };
      if (peakKb) out.peakRss = peakKb * 1024;
      ok(out);
    });
  });
  return {
    child,
    pid: child.pid!,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    done,
  };
}

export function runCli(args: string[], opts: StartOptions): Promise<CliOutcome> {
  return startCli(args, opts).done;
}

/** Polls `check` every 50 ms until it is truthy or `timeoutMs` passes (then throws `what`). */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export interface LiveProcess {
  pid: number;
  cmdline: string;
  cwd: string;
}

const MARKER = "CLAUDE_TASKS_AGENT_RUN=";

/**
 * Live agent processes (they carry the agent marker in their environment) whose working directory is
 * under `root` — what a killed run can leave running in its worktrees.
 */
export function agentProcessesUnder(root: string): LiveProcess[] {
  const out: LiveProcess[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
      if (state === "Z" || state === "X") continue;
      if (!readFileSync(`/proc/${name}/environ`, "latin1").includes(MARKER)) continue;
      const cwd = readlinkSync(`/proc/${name}/cwd`);
      if (!cwd.startsWith(root)) continue;
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      out.push({ pid: Number(name), cmdline, cwd });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

/** Sum of the resident set sizes (bytes) of `pid` and all its descendants, right now. */
export function treeRss(pid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(f[1]);
      // field 24 (rss, in pages) is f[21] counted from field 3
      rss.set(Number(name), Number(f[21]) * 4096);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone
    }
  }
  let total = 0;
  const queue = [pid];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const p = queue.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    total += rss.get(p) ?? 0;
    queue.push(...(children.get(p) ?? []));
  }
  return total;
}

/** Samples `treeRss(pid)` every `everyMs` until stopped; `peak` is the highest sample. */
export function sampleTreeRss(pid: number, everyMs = 100): { readonly peak: number; stop(): void } {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRss(pid));
  }, everyMs);
  return {
    get peak() {
      return peak;
    },
    stop: () => clearInterval(timer),
  };
}
