/**
 * The other shape of the one process runner (see `run.ts`): a long-running child (an agent) in its own
 * session with streamed output. Its caller (`agent/run-process.ts`) owns the rest: reading the
 * streams, the timeout, stopping the process tree.
 *
 * Written on `node:child_process` rather than execa, like `runCommand` and for the same kind of
 * reason, measured on Node 24: execa bundled is ~300 KB that every run starting an agent loads before
 * the spawn (~12 ms, with the built-in modules it pulls in: worker_threads, v8, the whole of crypto)
 * and it raised the process's peak RSS from 43 to 55 MB, where what is used of it here — a detached
 * spawn, a string on stdin, buffers out — is `spawn` with three options.
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { Readable } from "node:stream";

/** A child started by `startDetached`: events, pid, and stdout/stderr as streams of bytes. */
export type DetachedChild = ChildProcess & { stdout: Readable; stderr: Readable };

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
  const child = spawn(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    detached: true,
    // No input → /dev/null: a socket on stdin makes Debian's bash source ~/.bashrc (SSH heuristics).
    stdio: [opts.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  }) as DetachedChild;
  const started = new Promise<Error | undefined>((resolve) => {
    child.once("spawn", () => resolve(undefined));
    // Before the spawn: the program could not be started (ENOENT, EACCES). After it (a failed kill),
    // there is nothing to add to what `exit` and the streams tell the caller.
    child.on("error", (err) => resolve(err));
  });
  if (opts.stdin !== undefined) {
    // a child that exits without reading its input closes the pipe: not an error of the run
    child.stdin?.on("error", () => {});
    child.stdin?.end(opts.stdin);
  }
  return { child, started };
}
