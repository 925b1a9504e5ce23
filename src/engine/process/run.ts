/**
 * The one way the engine starts a process. Two shapes:
 * - `runCommand`: run a tool to completion and hand back its exit code and output (git, `--version`
 *   probes, bubblewrap checks). Never throws for a failing program: the caller decides by exit code
 *   and `startError.code`, never by the program's message text. Written on `node:child_process`
 *   rather than execa, because it is the engine's hot path (every git call, ~40 per task) and execa
 *   costs more than twice the main-thread time per call: measured on Node 24 in a process of the
 *   engine's size, `git --version` took 12.4 ms of CPU through execa and 5.0 ms through `spawn`
 *   (13.9 vs 9.5 ms wall), and the main thread is what every other step of a run waits for.
 * - `startDetached` (`detached.ts`, also on `node:child_process`; it says why): start a long-running
 *   child in its own session with streamed output, for `agent/run-process.ts`, which owns stopping
 *   its process tree.
 *
 * One place for the environment: nothing is inherited implicitly; the caller
 * passes the complete environment, usually built by `processEnv`. Tools whose output the engine reads
 * run in the C locale (`C_LOCALE`): the same messages and byte-order sorting on every machine.
 *
 * The one exception (it says why at its import): `agent/process-tree.ts` calls `ps` synchronously
 * where /proc is missing, inside a synchronous sweep. The Action's own setup (sudo, npm) runs through
 * `runCommand` too.
 */

import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { constants } from "node:os";

/** Variables; `undefined` removes a variable. */
export type Env = Record<string, string | undefined>;

/** The locale of every tool whose output or exit the engine interprets. */
export const C_LOCALE = { LC_ALL: "C", LANG: "C" } as const satisfies Env;

/** `layers` merged left to right (later wins); a variable set to `undefined` is removed. */
export function processEnv(...layers: Env[]): Record<string, string> {
  const merged: Env = Object.assign({}, ...layers);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(merged)) if (v !== undefined) out[k] = v;
  return out;
}

export interface RunCommandOptions {
  cwd?: string;
  /** The complete environment of the child (nothing is inherited). */
  env: Record<string, string>;
  /** Written to stdin, then closed; without it stdin is empty. */
  input?: string | Uint8Array;
  /** A file stdout is written to (created, or truncated) instead of memory (`stdout` is then empty). */
  stdoutFile?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface CommandResult {
  /** The exit code; 128 + the signal's number when a signal ended it (as a shell reports it). */
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
  /** Set when the program could not be started (`code` ENOENT: no such program or directory). */
  startError?: NodeJS.ErrnoException;
  timedOut: boolean;
  cancelled: boolean;
}

/** After a timeout or a cancel, SIGTERM; a child still there this much later gets SIGKILL (as execa does). */
const FORCE_KILL_AFTER_MS = 5_000;

/** Children of `runCommand` still running: stopped when this process exits (as execa's `cleanup`). */
const live = new Set<import("node:child_process").ChildProcess>();
let exitHook = false;

export function runCommand(
  file: string,
  args: readonly string[],
  opts: RunCommandOptions,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    let outFd: number | undefined;
    try {
      if (opts.stdoutFile !== undefined) outFd = openSync(opts.stdoutFile, "w");
    } catch (err) {
      resolve(failedStart(err as NodeJS.ErrnoException));
      return;
    }
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env,
      // no input: /dev/null rather than a pipe to end (a pipe and its stream cost the main thread ~1 ms a spawn)
      stdio: [opts.input === undefined ? "ignore" : "pipe", outFd ?? "pipe", "pipe"],
    });
    if (outFd !== undefined) closeSync(outFd); // the child holds its own copy
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (c: Buffer) => out.push(c));
    child.stderr?.on("data", (c: Buffer) => err.push(c));
    // a child that exits without reading its input closes the pipe: not an error of the run
    child.stdin?.on("error", () => {});
    child.stdin?.end(opts.input);

    let timedOut = false;
    let cancelled = false;
    let forceKill: NodeJS.Timeout | undefined;
    const stop = () => {
      child.kill("SIGTERM");
      forceKill ??= setTimeout(() => child.kill("SIGKILL"), FORCE_KILL_AFTER_MS).unref();
    };
    const timer =
      opts.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            stop();
          }, opts.timeoutMs)
        : undefined;
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener("abort", onAbort, { once: true });
    if (!exitHook) {
      exitHook = true;
      process.once("exit", () => {
        for (const c of live) c.kill("SIGTERM");
      });
    }
    live.add(child);

    // a stopped program's own children may still hold its output pipes: stop waiting for them
    child.once("exit", () => {
      if (!timedOut && !cancelled) return;
      child.stdout?.destroy();
      child.stderr?.destroy();
    });
    let startError: NodeJS.ErrnoException | undefined;
    child.once("error", (e: NodeJS.ErrnoException) => {
      if (child.pid === undefined) startError = e; // could not start (ENOENT, EACCES, no such cwd)
    });
    child.once("close", (code, signal) => {
      live.delete(child);
      if (timer) clearTimeout(timer);
      if (forceKill) clearTimeout(forceKill);
      opts.signal?.removeEventListener("abort", onAbort);
      if (startError) {
        resolve(failedStart(startError));
        return;
      }
      const signalled = signal ? 128 + (constants.signals[signal] ?? 15) : undefined;
      resolve({
        exitCode: code ?? signalled ?? 1,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err),
        timedOut,
        cancelled,
      });
    });
  });
}

function failedStart(e: NodeJS.ErrnoException): CommandResult {
  return {
    exitCode: 1,
    stdout: Buffer.alloc(0),
    stderr: Buffer.alloc(0),
    startError: e,
    timedOut: false,
    cancelled: false,
  };
}
