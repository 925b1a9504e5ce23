/**
 * The one place git is executed. Every git call of the engine goes through `Git.run`, which fixes the
 * environment (no prompts, no pager, no editor, C locale, the bot identity) and the safety `-c` options
 * (no hooks, no signing), captures output and turns unexpected failures into a `GitError`.
 */
import { GitError } from "../errors.ts";
import { type Logger, silentLogger } from "../logger.ts";
import { C_LOCALE, type Env, processEnv, runCommand } from "../process/run.ts";

export type { Env };

export interface BotIdentity {
  name: string;
  email: string;
}

export const DEFAULT_IDENTITY: BotIdentity = {
  name: "claude-tasks[bot]",
  email: "claude-tasks[bot]@users.noreply.github.com",
};

export interface GitRunOptions {
  /** Written to git's stdin. */
  input?: string | Buffer;
  /** Return a non-zero exit instead of throwing a `GitError`. */
  allowFailure?: boolean;
  /** Extra variables for this call only. */
  env?: Env;
  signal?: AbortSignal;
  /**
   * Stream stdout into this file (created, or truncated) instead of holding it in memory: for output
   * that may be larger than the engine should buffer (a patch of a huge change). `stdout` is then empty.
   */
  stdoutFile?: string;
}

export interface GitResult<T = string> {
  stdout: T;
  stderr: string;
  exitCode: number;
}

/** A small git client bound to a directory. Tests can pass a fake implementing `run`/`runBuffer`/`at`. */
export interface Git {
  readonly cwd: string;
  readonly identity: BotIdentity;
  run(args: readonly string[], opts?: GitRunOptions): Promise<GitResult>;
  /** Like `run`, but stdout is returned as raw bytes (patches, blobs). */
  runBuffer(args: readonly string[], opts?: GitRunOptions): Promise<GitResult<Buffer>>;
  /**
   * The same client (env, identity, logger) working in another directory, e.g. a worktree. With
   * `untrusted`, the directory's files were written by an agent: no system or global config (their
   * filter, fsmonitor and attribute settings would act on the agent's files) and no credentials.
   */
  at(cwd: string, opts?: { untrusted?: boolean }): Git;
}

export interface CreateGitOptions {
  cwd: string;
  /** Merged over `process.env` (after the repository-locating GIT_* variables are removed). */
  env?: Env;
  /**
   * Credentials for the remote (an `http.extraheader` in `GIT_CONFIG_*` variables): given only to the
   * commands that talk to it (fetch, push, ls-remote), never to those that read or write files.
   */
  authEnv?: Env;
  logger?: Logger;
  identity?: BotIdentity;
  /** Run the repository's hooks. Off by default: hooks live in files the agent can write. */
  hooks?: boolean;
  /** Path of the git executable. */
  bin?: string;
}

/**
 * Variables that point git at a particular repository or index. Inherited from a git hook or a
 * `rebase -x` they would redirect every command away from `cwd`, so they are dropped.
 */
const LOCATING_VARS = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_COMMON_DIR",
  "GIT_NAMESPACE",
  "GIT_PREFIX",
  "GIT_QUARANTINE_PATH",
];

export function gitEnv(
  identity: BotIdentity,
  extra: Env = {},
  base: Env = process.env,
): Record<string, string> {
  const dropped: Env = Object.fromEntries(LOCATING_VARS.map((name) => [name, undefined]));
  return processEnv(
    base,
    dropped,
    C_LOCALE,
    {
      GIT_TERMINAL_PROMPT: "0",
      GIT_PAGER: "cat",
      PAGER: "cat",
      GIT_EDITOR: "true",
      GIT_SEQUENCE_EDITOR: "true",
      GIT_MERGE_AUTOEDIT: "no",
      GIT_OPTIONAL_LOCKS: "0",
      GIT_ASKPASS: "",
      SSH_ASKPASS: "",
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
    },
    extra,
  );
}

/** Credentials never reach a log line or an error message. */
export function redactArgs(args: readonly string[]): string[] {
  return args.map((a) =>
    redactText(a)
      .replace(/^(http\..*extraheader=)(.*)$/i, "$1***")
      .replace(/^(AUTHORIZATION:\s*)(.*)$/i, "$1***"),
  );
}

/** Hides `user:password@` in URLs (git echoes remote URLs in its messages). */
export function redactText(text: string): string {
  return text.replace(/(\w+:\/\/)[^/@\s'"]+@/g, "$1***@");
}

export function createGit(opts: CreateGitOptions): Git {
  const identity = opts.identity ?? DEFAULT_IDENTITY;
  const logger = opts.logger ?? silentLogger;
  const env = gitEnv(identity, opts.env);
  const bin = opts.bin ?? "git";
  const prefix = [
    "-c",
    "commit.gpgSign=false",
    "-c",
    "tag.gpgSign=false",
    "-c",
    "core.quotePath=false",
    // fsmonitor runs a configured program on index operations: never from the engine's git.
    "-c",
    "core.fsmonitor=false",
    // no `git maintenance run --auto` after a fetch or commit: housekeeping is the user's (or GitHub's),
    // not a wait inside a run
    "-c",
    "maintenance.auto=false",
  ];
  if (!opts.hooks) prefix.push("-c", "core.hooksPath=/dev/null");
  const authEnv = opts.authEnv ? processEnv(opts.authEnv) : undefined;
  const untrustedEnv = gitEnv(identity, { ...opts.env, ...UNTRUSTED_ENV });

  async function exec(
    cwd: string,
    args: readonly string[],
    o: GitRunOptions = {},
    untrusted = false,
  ): Promise<GitResult<Buffer>> {
    const shown = redactArgs(args);
    const started = Date.now();
    const base = untrusted
      ? untrustedEnv
      : authEnv && NETWORK.has(subcommandOf(args))
        ? { ...env, ...authEnv }
        : env;
    const r = await runCommand(bin, [...prefix, ...(untrusted ? UNTRUSTED_CONFIG : []), ...args], {
      cwd,
      env: o.env ? processEnv(base, o.env) : base,
      ...(o.input !== undefined ? { input: o.input } : {}),
      ...(o.stdoutFile !== undefined ? { stdoutFile: o.stdoutFile } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (r.startError?.code === "ENOENT") {
      const message = `cannot run ${bin} in ${cwd}: no such program or directory`;
      throw Object.assign(new Error(message), { code: "ENOENT" });
    }
    if (r.startError) throw r.startError;
    if (r.cancelled)
      throw Object.assign(new Error("git was cancelled"), { name: "AbortError", code: "ABORT_ERR" });
    const exitCode = r.exitCode;
    const stderr = redactText(r.stderr.toString("utf8"));
    logger.debug(`git ${shown.join(" ")} → ${exitCode} (${Date.now() - started} ms)`);
    if (exitCode !== 0 && !o.allowFailure) throw new GitError({ args: shown, exitCode, stderr, cwd });
    return { stdout: r.stdout, stderr, exitCode };
  }

  const make = (cwd: string, untrusted = false): Git => ({
    cwd,
    identity,
    async run(args, o) {
      const r = await exec(cwd, args, o, untrusted);
      return { ...r, stdout: r.stdout.toString("utf8") };
    },
    runBuffer: (args, o) => exec(cwd, args, o, untrusted),
    at: (dir, o) => make(dir, untrusted || o?.untrusted === true),
  });
  return make(opts.cwd);
}

/** The git commands that talk to a remote: the only ones that get credentials. */
const NETWORK = new Set(["fetch", "push", "ls-remote", "pull", "clone"]);

/** Configuration that must not come from files an agent may have reached (see `Git.at`). */
const UNTRUSTED_ENV: Env = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_ATTR_NOSYSTEM: "1",
  GIT_CONFIG_COUNT: undefined,
  GIT_CONFIG_PARAMETERS: undefined,
};
const UNTRUSTED_CONFIG = [
  "-c",
  "core.attributesFile=/dev/null",
  "-c",
  "core.untrackedCache=false",
  // never step into a repository the agent made inside its worktree (its config is the agent's)
  "-c",
  "submodule.recurse=false",
  "-c",
  "diff.ignoreSubmodules=dirty",
  "-c",
  "status.submoduleSummary=false",
];

/** The git subcommand of an argv (skipping global options such as `-c k=v` and `-C dir`). */
export function subcommandOf(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-c" || a === "-C" || a === "--git-dir" || a === "--work-tree") {
      i++;
      continue;
    }
    if (!a.startsWith("-")) return a;
  }
  return "";
}

/** Splits NUL-terminated git output (`-z`), dropping the trailing empty field. */
export function splitZ(s: string): string[] {
  const parts = s.split("\0");
  if (parts.at(-1) === "") parts.pop();
  return parts;
}
