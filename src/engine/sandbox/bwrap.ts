/**
 * Linux: bubblewrap (`bwrap`). Every agent and `run:` command starts as the only process of a new PID,
 * IPC, UTS, cgroup and user namespace: the engine's processes (and their `/proc/<pid>/environ`) do not
 * exist in there, and when the command ends the kernel ends everything it started — no heuristics, no
 * `setsid` escape. The file system is the host's, read-only, with the places that hold other people's
 * data or credentials replaced by empty tmpfs mounts (homes, temp dirs, `/run`, the runner's temp and
 * workspace, the repository and its git directory, sibling worktrees). Writable: the task's worktree,
 * and a HOME of the agent's own (a new folder of the engine's, empty but for the launch's `homeFiles`,
 * on disk so that a tool cache there does not fill the runner's memory as a tmpfs would, removed with
 * the sandbox). The worktree's `.git` file is read-only and points at a private git directory that
 * borrows the repository's objects read-only, so the agent's git works without any path to the
 * engine's config, refs, index or hooks.
 */
import { existsSync, realpathSync, statSync } from "node:fs";
import { delimiter, dirname, join, sep } from "node:path";
import { findOnPath } from "../process/path.ts";
import { C_LOCALE, processEnv, runCommand } from "../process/run.ts";

export interface BwrapPlan {
  /** The program inside the sandbox (absolute, real path) and its arguments. */
  command: string;
  args: readonly string[];
  cwd: string;
  /** Worktree: bound read-write. */
  worktree: string;
  /** The private git directory bound where the worktree's `.git` file points (`adminDir`). */
  agentGitDir: string;
  adminDir: string;
  /** The repository's object store, bound read-only (the agent's git borrows it). */
  objectsDir: string;
  /** Directories replaced by an empty tmpfs (if they exist). */
  hide: readonly string[];
  /** Host paths bound back read-only after hiding (programs the sandbox needs). */
  expose: readonly string[];
  /** Files replaced by an empty read-only file. */
  blank: readonly string[];
  /** The agent's HOME (the path it sees). */
  home: string;
  /** The new, private host directory bound read-write at `home`. */
  homeDir: string;
  /** uid/gid inside; `undefined` keeps the caller's. */
  uid?: number;
}

/** The bwrap argv for a plan. Pure: the order of the mount options is the order bwrap applies them. */
export function bwrapArgs(plan: BwrapPlan): string[] {
  const a: string[] = [
    "--unshare-user",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
  ];
  if (plan.uid !== undefined) a.push("--uid", String(plan.uid), "--gid", String(plan.uid));
  a.push("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc");
  for (const dir of outermost(plan.hide)) a.push("--tmpfs", dir);
  a.push("--bind", plan.homeDir, plan.home);
  for (const file of plan.blank) a.push("--ro-bind", "/dev/null", file);
  for (const path of plan.expose) a.push("--ro-bind", path, path);
  a.push("--bind", plan.worktree, plan.worktree);
  const gitFile = join(plan.worktree, ".git");
  a.push("--ro-bind", gitFile, gitFile);
  a.push("--ro-bind", plan.objectsDir, plan.objectsDir);
  a.push("--bind", plan.agentGitDir, plan.adminDir);
  a.push("--chdir", plan.cwd, "--", plan.command, ...plan.args);
  return a;
}

/** Drops paths inside another listed path (already hidden with it), keeping the order. */
export function outermost(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)];
  return unique.filter((p) => !unique.some((q) => q !== p && isInside(p, q)));
}

export function isInside(path: string, dir: string): boolean {
  return dir === "/" ? path !== "/" : path === dir || path.startsWith(dir + sep);
}

/** System directories that are never hidden, whatever the environment says (HOME=/usr, …). */
const NEVER_HIDE = new Set([
  "/",
  "/usr",
  "/bin",
  "/sbin",
  "/lib",
  "/lib32",
  "/lib64",
  "/etc",
  "/opt",
  "/var",
  "/proc",
  "/dev",
  "/sys",
]);

/** Host secrets that a process mapped to the same owner could otherwise read. */
const BLANK_FILES = ["/etc/shadow", "/etc/gshadow", "/etc/sudoers"];

export interface HostLayout {
  /** The engine's environment (HOME, RUNNER_TEMP, GITHUB_WORKSPACE, TMPDIR, XDG_RUNTIME_DIR, PATH). */
  env: Record<string, string | undefined>;
  worktree: string;
  repoRoot: string;
  commonDir: string;
  /** The engine's own state (backups, logs, locks). */
  stateDir: string;
  /** The program to run (resolved on the agent's PATH), exposed read-only. */
  command: string;
  /** The PATH the agent gets. */
  path?: string;
}

/** What to hide and what to bind back, from where things are on this host. */
export function hostMounts(h: HostLayout): { hide: string[]; expose: string[]; blank: string[] } {
  const e = h.env;
  const candidates = [
    "/tmp",
    "/var/tmp",
    "/run",
    "/home",
    "/root",
    "/mnt",
    "/media",
    "/srv",
    "/etc/ssh",
    "/var/run",
    e.HOME,
    e.TMPDIR,
    e.XDG_RUNTIME_DIR,
    e.RUNNER_TEMP,
    e.RUNNER_WORKSPACE,
    e.GITHUB_WORKSPACE,
    h.repoRoot,
    h.commonDir,
    h.stateDir,
    // sibling worktrees (other tasks of this and other runs) and other repositories' worktrees
    dirname(h.worktree),
    dirname(dirname(h.worktree)),
    e.CLAUDE_TASKS_WORKTREES,
  ];
  const hide = candidates
    .filter((p): p is string => typeof p === "string" && p.startsWith("/"))
    .map(real)
    .filter((p) => !NEVER_HIDE.has(p) && isDir(p));
  const hidden = (p: string) => hide.some((d) => isInside(p, d));

  const expose: string[] = [];
  const add = (p: string | undefined) => {
    if (!p || !existsSync(p)) return;
    const r = real(p);
    if (hidden(r) && !expose.includes(r)) expose.push(r);
  };
  add(h.command);
  // Programs on the agent's PATH that live in hidden places (a tool cache under $HOME, nvm): their
  // directory; for a `…/bin` that holds node the whole prefix (npm lives in `lib/`), and for a
  // `node_modules/.bin` the whole `node_modules`.
  for (const dir of (h.path ?? "").split(delimiter)) {
    if (!dir.startsWith("/") || !isDir(dir)) continue;
    if (dir.endsWith(`${sep}bin`) && existsSync(join(dir, "node"))) add(dirname(dir));
    // `node_modules/.bin` holds links into its packages (and they into platform binaries)
    else if (dir.endsWith(`${sep}node_modules${sep}.bin`)) add(dirname(dir));
    else add(dir);
  }
  // DNS: /etc/resolv.conf is often a link into /run.
  add(existsSync("/etc/resolv.conf") ? "/etc/resolv.conf" : undefined);
  // Never expose what must stay hidden, even when a program sits inside it.
  const secret = [h.repoRoot, h.commonDir, h.stateDir, e.RUNNER_TEMP, e.GITHUB_WORKSPACE]
    .filter((p): p is string => !!p && p.startsWith("/"))
    .map(real);
  const safe = expose.filter((p) => !secret.some((s) => isInside(p, s) || isInside(s, p)));
  const blank = BLANK_FILES.filter((f) => existsSync(f));
  return { hide, expose: safe, blank };
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export type BwrapAvailability = { ok: true; path: string; version: string } | { ok: false; reason: string };

let probed: Promise<BwrapAvailability> | undefined;

/**
 * Whether bwrap is installed and can create the namespaces it needs here (an Ubuntu 24.04 runner
 * restricts unprivileged user namespaces through AppArmor until a profile or sysctl allows them).
 * Probed once per process.
 */
export function probeBwrap(
  env: Record<string, string | undefined> = process.env,
): Promise<BwrapAvailability> {
  probed ??= (async (): Promise<BwrapAvailability> => {
    const bin = env.CLAUDE_TASKS_BWRAP || "bwrap";
    const probeEnv = processEnv({ PATH: env.PATH ?? "" }, C_LOCALE);
    const version = await runCommand(bin, ["--version"], { env: probeEnv, timeoutMs: 10_000 });
    if (version.exitCode !== 0 || version.startError) {
      return {
        ok: false,
        reason: "bubblewrap (bwrap) is not installed (Debian/Ubuntu: `apt-get install bubblewrap`)",
      };
    }
    const probe = await runCommand(
      bin,
      [
        "--unshare-user",
        "--unshare-pid",
        "--die-with-parent",
        "--ro-bind",
        "/",
        "/",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--",
        "true",
      ],
      { env: probeEnv, timeoutMs: 10_000 },
    );
    if (probe.exitCode !== 0 || probe.startError) {
      const why = probe.stderr.toString("utf8").trim().split("\n").at(-1) || `exit code ${probe.exitCode}`;
      return { ok: false, reason: `bubblewrap cannot create a sandbox here (${why})` };
    }
    const path = bin.includes("/") ? bin : findOnPath(bin, env.PATH ?? "");
    return { ok: true, path: path ?? bin, version: version.stdout.toString("utf8").trim() };
  })();
  return probed;
}

/** For tests: forget the cached probe. */
export function resetBwrapProbe(): void {
  probed = undefined;
}
