/**
 * Typed errors for the whole engine. Adapters (CLI, Action) map them to exit codes once, at the top:
 * a `UserError` is bad input (exit 2), a `TaskFailedError` means at least one task failed (exit 1),
 * anything else is a bug and is reported as such.
 */

/**
 * What kind of problem it is, for code that acts on one kind (`doctor` suggests `init` when there is
 * nothing to read). The message is for people and may change; the code is what code reads.
 */
export type ProblemCode = "no-task-dir" | "no-task-files";

/** A problem located in a file: `path:line:col: message`. Problems are data, not exceptions. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
  severity: "error" | "warning";
  code?: ProblemCode;
}

export function formatProblem(p: Problem): string {
  const tag = p.severity === "warning" ? "warning: " : "";
  return `${p.file}:${p.line}:${p.col}: ${tag}${p.message}`;
}

/** Bad input from the user: invalid config, unknown task, bad flag value. Exit code 2. */
export class UserError extends Error {
  override readonly name = "UserError";
  readonly problems: readonly Problem[];
  constructor(message: string, problems: readonly Problem[] = []) {
    super(message);
    this.problems = problems;
  }
}

/** The configuration has problems; the message lists every one of them, one per line. */
export class ConfigError extends UserError {
  constructor(problems: readonly Problem[]) {
    super(problems.map(formatProblem).join("\n"), problems);
  }
}

/** One or more tasks ended in a failure status (the run's report says which). Exit code 1. */
export class TaskFailedError extends Error {
  override readonly name = "TaskFailedError";
}

/** The run was interrupted (SIGINT/SIGTERM); work was backed up. Exit code 130 / 143, as a shell's. */
export class InterruptedError extends Error {
  override readonly name = "InterruptedError";
  readonly signal: NodeJS.Signals;
  constructor(signal: NodeJS.Signals) {
    super(`interrupted by ${signal}; running tasks were stopped and their work backed up`);
    this.signal = signal;
  }
}

export const EXIT = { ok: 0, taskFailed: 1, badInput: 2 } as const;

/** 128 + the signal's number, as a shell reports a process the signal ended. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return signal === "SIGINT" ? 130 : 143;
}

/** The exit code an adapter should use for an error thrown by the engine. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof UserError) return EXIT.badInput;
  if (err instanceof InterruptedError) return signalExitCode(err.signal);
  return EXIT.taskFailed;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Where something is in a task file (1-based line and column). */
export interface Location {
  file: string;
  line: number;
  col: number;
}

/**
 * Finds the source location of a value of a task, by its path inside the task file
 * (e.g. `["needs", 1]`). Falls back to the task file's first line when the path is absent.
 */
export type Locate = (task: string, path: readonly (string | number)[]) => Location;

export function problemAt(
  loc: Location,
  message: string,
  severity: Problem["severity"] = "error",
  code?: ProblemCode,
): Problem {
  return { ...loc, message, severity, ...(code ? { code } : {}) };
}

/**
 * A git command failed unexpectedly. Carries the command (credentials redacted), its exit code and
 * stderr, so a report can show exactly what git said. Thrown only by the git layer (`src/engine/git`).
 */
export class GitError extends Error {
  override readonly name = "GitError";
  readonly args: readonly string[];
  readonly exitCode: number;
  readonly stderr: string;
  readonly cwd: string | undefined;
  constructor(opts: { args: readonly string[]; exitCode: number; stderr: string; cwd?: string }) {
    const detail = opts.stderr.trim().split("\n").slice(-5).join("\n");
    super(`git ${opts.args.join(" ")} failed (exit ${opts.exitCode})${detail ? `: ${detail}` : ""}`);
    this.args = opts.args;
    this.exitCode = opts.exitCode;
    this.stderr = opts.stderr;
    this.cwd = opts.cwd;
  }
}
