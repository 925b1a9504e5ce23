/**
 * The other shape of the one process runner (see `run.ts`): a long-running child (an agent) in its own
 * session with streamed output, on execa. Its own module, so commands that never start an agent
 * (`plan`, `validate`, `next`) do not load execa.
 */
import { execa, type ResultPromise } from "execa";

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
