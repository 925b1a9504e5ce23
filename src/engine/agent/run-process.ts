/**
 * Runs one child process the way agents need it: detached into its own session/process group,
 * stdin fed and closed, stdout/stderr split into bounded lines as they arrive, a timeout and an
 * abort signal that stop the whole tree (SIGTERM, then SIGKILL after a grace period), and a final
 * sweep so nothing it started outlives it. Never waits on pipes held open by orphaned grandchildren.
 */
import { randomUUID } from "node:crypto";
import { statSync } from "node:fs";
import type { Readable } from "node:stream";
import { startDetached } from "../process/detached.ts";
import type { Launch, SandboxSession } from "../sandbox/types.ts";
import { DEFAULT_TAIL_BYTES, LineSplitter, TailBuffer } from "./output.ts";
import { killTree, MARKER_VAR, type TreeHandle } from "./process-tree.ts";

export const DEFAULT_KILL_GRACE_MS = 5_000;
export const DEFAULT_AGENT_TIMEOUT_MS = 30 * 60_000;
/** How long to wait for the pipes to drain once the child and its tree are gone. */
const PIPE_DRAIN_MS = 1_000;

export interface RunProcessOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** Written to the child's stdin, then closed; without it stdin is /dev/null. */
  stdin?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  killGraceMs?: number;
  /** Lines longer than this are cut before the callbacks see them. */
  maxLineChars?: number;
  tailBytes?: number;
  onSpawn?: (handle: TreeHandle) => void;
  /** Runs the process inside this sandbox (the launch is rewritten by it). */
  sandbox?: SandboxSession;
  /** What the sandbox's new HOME starts with (see `Launch.homeFiles`). */
  homeFiles?: Readonly<Record<string, string>>;
  onLine?: (stream: "stdout" | "stderr", line: string, truncated: boolean) => void;
}

export interface RunProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the process could not be started (e.g. ENOENT). */
  spawnError?: Error;
  durationMs: number;
  tail: TailBuffer;
  /** The last stderr lines (bounded), for error messages. */
  stderrTail: TailBuffer;
  /** Pids still alive after the final sweep (should be empty). */
  leftovers: number[];
}

export async function runProcess(opts: RunProcessOptions): Promise<RunProcessResult> {
  const started = Date.now();
  const tail = new TailBuffer(opts.tailBytes ?? DEFAULT_TAIL_BYTES);
  const stderrTail = new TailBuffer(8 * 1024, 1024);
  const grace = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const result = (partial: Partial<RunProcessResult>): RunProcessResult => ({
    exitCode: null,
    signal: null,
    timedOut: false,
    cancelled: false,
    durationMs: Date.now() - started,
    tail,
    stderrTail,
    leftovers: [],
    ...partial,
  });

  if (opts.signal?.aborted) return result({ cancelled: true });
  if (!isDirectory(opts.cwd)) {
    // spawn would say ENOENT, which reads like a missing program.
    return result({
      spawnError: Object.assign(new Error(`working directory not found: ${opts.cwd}`), { code: "ECWD" }),
    });
  }

  const marker = randomUUID();
  const plain: Launch = {
    command: opts.command,
    args: opts.args,
    cwd: opts.cwd,
    env: { ...opts.env, [MARKER_VAR]: marker },
    ...(opts.homeFiles ? { homeFiles: opts.homeFiles } : {}),
  };
  let launch = plain;
  try {
    if (opts.sandbox) launch = await opts.sandbox.wrap(plain);
  } catch (err) {
    return result({ spawnError: Object.assign(err as Error, { code: "ESANDBOX" }) });
  }
  const { child, started: running } = startDetached(launch.command, launch.args, {
    cwd: launch.cwd,
    env: launch.env,
    ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
  });
  const spawnError = await running;
  if (spawnError || child.pid === undefined) {
    return result({ spawnError: spawnError ?? new Error("no pid") });
  }
  const handle: TreeHandle = { pid: child.pid, marker };
  opts.onSpawn?.(handle);

  const maxLine = opts.maxLineChars ?? 64 * 1024;
  const splitter = (stream: "stdout" | "stderr") =>
    new LineSplitter(maxLine, (line, truncated) => {
      tail.push(line, truncated);
      if (stream === "stderr") stderrTail.push(line, truncated);
      opts.onLine?.(stream, line, truncated);
    });
  const out = splitter("stdout");
  const err = splitter("stderr");
  const { stdout, stderr } = child as typeof child & { stdout: Readable; stderr: Readable };
  stdout.on("data", (c: Buffer) => out.write(c));
  stderr.on("data", (c: Buffer) => err.write(c));
  const drained = Promise.all([
    new Promise<void>((r) => stdout.once("close", () => r())),
    new Promise<void>((r) => stderr.once("close", () => r())),
  ]);

  let hasExited = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      hasExited = true;
      resolve({ code, signal });
    });
  });

  let timedOut = false;
  let cancelled = false;
  let stopping: Promise<unknown> | undefined;
  const stop = () => {
    stopping ??= killTree(handle, grace);
  };
  const timer = setTimeout(() => {
    if (hasExited) return;
    if (!cancelled) timedOut = true;
    stop();
  }, opts.timeoutMs);
  const onAbort = () => {
    if (hasExited) return;
    if (!timedOut) cancelled = true;
    stop();
  };
  opts.signal?.addEventListener("abort", onAbort, { once: true });

  const { code, signal } = await exited;
  clearTimeout(timer);
  opts.signal?.removeEventListener("abort", onAbort);

  // Whatever the child left behind (background jobs, tool shells in their own sessions) goes too.
  await stopping;
  const leftovers = await killTree(handle, grace);

  // With the tree gone the pipes close; if something escaped and still holds them, stop waiting.
  let drainTimer: NodeJS.Timeout | undefined;
  await Promise.race([drained, new Promise<void>((r) => (drainTimer = setTimeout(r, PIPE_DRAIN_MS)))]);
  clearTimeout(drainTimer);
  stdout.destroy();
  stderr.destroy();
  out.end();
  err.end();

  return result({ exitCode: code, signal, timedOut, cancelled, leftovers });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
