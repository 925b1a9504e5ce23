/**
 * Real, hermetic git repositories for tests, in one line:
 *
 *   await using repo = await makeRepo({ files: { "README.md": "# hi\n" }, origin: true });
 *   await repo.write("src/a.ts", "export {}\n");
 *   const sha = await repo.commit("add a");
 *   const git = repo.client(); // the engine's Git, bound to the repo with the hermetic env
 *
 * Each repo lives in its own temp dir with its own HOME and global git config (no system config),
 * commits as "Test User <test@example.com>", and is deleted on disposal (set KEEP_TEST_REPOS=1 to
 * keep it for debugging). `origin: true` adds a bare `origin` remote with `main` pushed.
 */
import { chmod, lstat, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { GitError } from "../../src/engine/errors.ts";
import {
  type CreateGitOptions,
  createGit,
  DEFAULT_IDENTITY,
  type Env,
  type Git,
  type GitResult,
  type GitRunOptions,
} from "../../src/engine/git/exec.ts";

export type FileSpec = string | Buffer | { content: string | Buffer; mode?: number } | { symlink: string };

export interface MakeRepoOptions {
  /** Files of the first commit (default: a README.md). */
  files?: Record<string, FileSpec>;
  /** Add a bare `origin` remote and push the default branch to it. */
  origin?: boolean;
  /** Default branch name, default `main`. */
  branch?: string;
  message?: string;
}

export interface TestRepo extends AsyncDisposable {
  /** The work tree (real path). */
  path: string;
  /** The temp dir holding everything (work tree, origin, HOME). */
  root: string;
  /** The bare origin repository, when `origin: true`. */
  origin?: string;
  /** Hermetic git variables; pass to anything that runs git (`createGit({ env: repo.env })`). */
  env: Env;
  /** Runs git as the test user in the repo; returns stdout without trailing whitespace, throws on failure. */
  git(...args: string[]): Promise<string>;
  /** Like `git`, in another directory (a worktree, a clone). */
  gitIn(cwd: string, ...args: string[]): Promise<string>;
  /** The engine's git client for this repo (bot identity, hermetic env). */
  client(opts?: Partial<CreateGitOptions>): Git;
  write(path: string, content: FileSpec): Promise<void>;
  read(path: string): Promise<string>;
  remove(path: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** Writes `files` (if any), stages everything and commits; returns the commit id. */
  commit(message: string, files?: Record<string, FileSpec>): Promise<string>;
  /** `git rev-parse <rev>` (default HEAD). */
  head(rev?: string): Promise<string>;
  /** `git status --porcelain` including untracked files; "" when clean. */
  status(): Promise<string>;
  /** A second clone of origin (e.g. "someone else" pushing), disposed with this repo. */
  clone(): Promise<string>;
}

export async function makeRepo(opts: MakeRepoOptions = {}): Promise<TestRepo> {
  const root = await realpath(await mkdtemp(join(tmpdir(), "claude-tasks-test-")));
  const home = join(root, "home");
  const path = join(root, "repo");
  await mkdir(home);
  await mkdir(path);
  const globalConfig = join(home, ".gitconfig");
  await writeFile(
    globalConfig,
    [
      "[user]",
      "\tname = Test User",
      "\temail = test@example.com",
      "[init]",
      `\tdefaultBranch = ${opts.branch ?? "main"}`,
      "[commit]",
      "\tgpgSign = false",
      "[core]",
      "\tautocrlf = false",
      "[advice]",
      "\tdetachedHead = false",
      "",
    ].join("\n"),
  );
  const env: Env = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    GIT_CONFIG_GLOBAL: globalConfig,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_DIR: undefined,
    GIT_WORK_TREE: undefined,
    GIT_INDEX_FILE: undefined,
  };
  // The helper's own git commits as the test user, whatever the outer environment says.
  const userEnv: Env = {
    ...env,
    GIT_AUTHOR_NAME: undefined,
    GIT_AUTHOR_EMAIL: undefined,
    GIT_COMMITTER_NAME: undefined,
    GIT_COMMITTER_EMAIL: undefined,
  };
  const fullEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...userEnv })) if (v !== undefined) fullEnv[k] = v;

  const gitIn = async (cwd: string, ...args: string[]) => {
    const r = await execa("git", args, {
      cwd,
      env: fullEnv,
      extendEnv: false,
      reject: false,
      stdin: "ignore",
    });
    if (r.exitCode !== 0)
      throw new Error(`git ${args.join(" ")} failed (${r.exitCode}) in ${cwd}:\n${r.stderr}`);
    return r.stdout.trimEnd();
  };
  const git = (...args: string[]) => gitIn(path, ...args);
  const abs = (p: string) => join(path, p);
  const write = async (p: string, spec: FileSpec) => {
    const file = abs(p);
    await mkdir(dirname(file), { recursive: true });
    await rm(file, { force: true });
    if (typeof spec === "object" && !Buffer.isBuffer(spec) && "symlink" in spec) {
      await symlink(spec.symlink, file);
      return;
    }
    const { content, mode } = typeof spec === "string" || Buffer.isBuffer(spec) ? { content: spec } : spec;
    await writeFile(file, content);
    if (mode !== undefined) await chmod(file, mode);
  };
  const writeAll = async (files: Record<string, FileSpec>) => {
    for (const [p, spec] of Object.entries(files)) await write(p, spec);
  };
  const commit = async (message: string, files?: Record<string, FileSpec>) => {
    if (files) await writeAll(files);
    await git("add", "-A");
    await git("commit", "-q", "--allow-empty", "-m", message);
    return git("rev-parse", "HEAD");
  };

  await git("init", "-q");
  await commit(opts.message ?? "initial commit", opts.files ?? { "README.md": "# test repo\n" });

  let origin: string | undefined;
  if (opts.origin) {
    origin = join(root, "origin.git");
    await gitIn(root, "init", "-q", "--bare", origin);
    await git("remote", "add", "origin", origin);
    await git("push", "-q", "-u", "origin", "HEAD");
  }
  let clones = 0;

  const repo: TestRepo = {
    path,
    root,
    env,
    git,
    gitIn,
    client: (o = {}) => createGit({ cwd: path, ...o, env: { ...env, ...o.env } }),
    write,
    read: (p) => readFile(abs(p), "utf8"),
    remove: (p) => rm(abs(p), { recursive: true, force: true }),
    exists: (p) =>
      lstat(abs(p)).then(
        () => true,
        () => false,
      ),
    commit,
    head: (rev = "HEAD") => git("rev-parse", rev),
    status: () => git("status", "--porcelain", "--untracked-files=all"),
    async clone() {
      if (!origin) throw new Error("makeRepo({ origin: true }) is needed for clone()");
      const dir = join(root, `clone-${++clones}`);
      await gitIn(root, "clone", "-q", origin, dir);
      return dir;
    },
    async [Symbol.asyncDispose]() {
      if (process.env.KEEP_TEST_REPOS === "1") return;
      await rm(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
  if (origin) repo.origin = origin;
  return repo;
}

export type FakeReply = string | Partial<GitResult> | undefined;

/**
 * A tiny fake `Git` for unit tests: `handler` gets the args and answers with stdout (a string) or a
 * partial result; a non-zero `exitCode` throws a `GitError` unless the call allows failure. Every
 * call is recorded in `calls`.
 */
export function fakeGit(
  handler: (args: readonly string[], opts?: GitRunOptions) => FakeReply | Promise<FakeReply>,
  cwd = "/fake/repo",
): Git & { calls: string[][] } {
  const calls: string[][] = [];
  const run = async (args: readonly string[], opts?: GitRunOptions): Promise<GitResult> => {
    calls.push([...args]);
    const reply = await handler(args, opts);
    const r = typeof reply === "string" || reply === undefined ? { stdout: reply ?? "" } : reply;
    const result = { stdout: r.stdout ?? "", stderr: r.stderr ?? "", exitCode: r.exitCode ?? 0 };
    if (result.exitCode !== 0 && !opts?.allowFailure) {
      throw new GitError({ args, exitCode: result.exitCode, stderr: result.stderr, cwd });
    }
    return result;
  };
  const git: Git & { calls: string[][] } = {
    cwd,
    identity: DEFAULT_IDENTITY,
    calls,
    run,
    runBuffer: async (args, opts) => {
      const r = await run(args, opts);
      return { ...r, stdout: Buffer.from(r.stdout) };
    },
    at: () => git,
  };
  return git;
}
