/**
 * The one way the engine starts a process (execa). Two shapes:
 * - `runCommand`: run a tool to completion and hand back its exit code and output (git, `--version`
 *   probes, bubblewrap checks). Never throws for a failing program: the caller decides by exit code
 *   and `startError.code`, never by the program's message text.
 * - `startDetached`: start a long-running child in its own session with streamed output, for
 *   `agent/run-process.ts`, which owns stopping its process tree.
 *
 * One place for the environment: nothing is inherited implicitly (`extendEnv: false`); the caller
 * passes the complete environment, usually built by `processEnv`. Tools whose output the engine reads
 * run in the C locale (`C_LOCALE`): the same messages and byte-order sorting on every machine.
 *
 * The one exception (it says why at its import): `agent/process-tree.ts` calls `ps` synchronously
 * where /proc is missing, inside a synchronous sweep. The Action's own setup (sudo, npm) runs through
 * `runCommand` too.
 */

import { constants } from "node:os";
import { execa, type ResultPromise } from "execa";

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

export async function runCommand(
  file: string,
  args: readonly string[],
  opts: RunCommandOptions,
): Promise<CommandResult> {
  const r = await execa(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: false,
    input: opts.input ?? "",
    ...(opts.stdoutFile !== undefined ? { stdout: { file: opts.stdoutFile } } : {}),
    encoding: "buffer",
    stripFinalNewline: false,
    maxBuffer: Number.POSITIVE_INFINITY,
    reject: false,
    ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
  });
  const started = r.exitCode !== undefined || r.signal !== undefined;
  const cause = r.cause as NodeJS.ErrnoException | undefined;
  const signalled = r.signal ? 128 + (constants.signals[r.signal] ?? 15) : undefined;
  return {
    exitCode: r.exitCode ?? signalled ?? 1,
    stdout: toBuffer(r.stdout),
    stderr: toBuffer(r.stderr),
    ...(!started && cause ? { startError: cause } : {}),
    timedOut: r.timedOut,
    cancelled: r.isCanceled,
  };
}

/** A child started by `startDetached`: a Node `ChildProcess` (events, streams, pid). */
export type DetachedChild = ResultPromise<{ buffer: false; encoding: "buffer"; reject: false }>;

export interface StartDetachedOptions {
  cwd: string;
  /** The complete environment of the child (nothing is inherited). */
  env: Record<string, string>;
  /** Written to stdin, then closed; without it stdin is /dev/null. */
  stdin?: string;
}

/**
 * Starts `file` as the leader of its own session and process group, stdout and stderr as streams of
 * bytes (nothing buffered). The caller listens for `exit` and stops the tree itself; `started`
 * settles once the child runs, or with the error that kept it from starting.
 */
export function startDetached(
  file: string,
  args: readonly string[],
  opts: StartDetachedOptions,
): { child: DetachedChild; started: Promise<Error | undefined> } {
  const child = execa(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: false,
    detached: true,
    cleanup: false,
    buffer: false,
    encoding: "buffer",
    reject: false,
    // No input → /dev/null: a socket on stdin makes Debian's bash source ~/.bashrc (SSH heuristics).
    ...(opts.stdin === undefined ? { stdin: "ignore" as const } : { input: opts.stdin }),
  });
  const started = new Promise<Error | undefined>((resolve) => {
    child.once("spawn", () => resolve(undefined));
    // An error before the child ran (no such program): execa settles the result with it.
    void child.then((r) => {
      if (child.pid === undefined) resolve((r.cause as Error | undefined) ?? new Error(r.message));
    });
  });
  return { child, started };
}

function toBuffer(out: unknown): Buffer {
  if (out instanceof Uint8Array) return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  return Buffer.alloc(0);
}
