/**
 * The sandbox every agent and `run:` command runs in. The engine treats what runs inside as hostile:
 * it sees its own worktree (writable), a private home and temp directory, the system read-only, and
 * nothing of the engine (its processes, its environment, the repository's git directory, the runner's
 * temp and credential files).
 */

/** How agents are isolated. `none` is an explicit, visible opt-out (a warning in every report). */
export type Isolation = "sandbox" | "none";

export const ISOLATIONS: readonly Isolation[] = ["sandbox", "none"];

/** One process to start: what the agent asked for, or what the sandbox turned it into. */
export interface Launch {
  command: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /**
   * Files a new, empty HOME starts with (file name → content): what the program would otherwise write
   * on its first start there. A sandbox gives every launch a HOME of its own, so every launch is a
   * first start; without a sandbox the user's own HOME is used and these are not written.
   */
  homeFiles?: Readonly<Record<string, string>>;
}

/** The sandbox of one task's worktree. Opened before the agent's first attempt, disposed after the last. */
export interface SandboxSession extends AsyncDisposable {
  /** "bwrap" (Linux), or "none" when the run opted out of isolation. */
  readonly kind: "bwrap" | "none";
  /** Rewrites a launch so it runs inside the sandbox (refreshing the agent's private git state). */
  wrap(launch: Launch): Promise<Launch>;
}

/** What a sandbox needs to know about a task's worktree. */
export interface SandboxTarget {
  /** The worktree (absolute, real path): the only writable directory the agent sees. */
  worktree: string;
  /** The repository's git common directory (absolute): hidden, but for its object store (read-only). */
  commonDir: string;
  /** The worktree's administrative git directory (`<common>/worktrees/<name>`), where its `.git` file points. */
  adminDir: string;
  /** The main checkout (absolute): hidden. */
  repoRoot: string;
  /** The engine's state directory for this run's private files (agent git dir, home). */
  privateDir: string;
  /**
   * The user's branches and tags, as `<oid> <refname>` lines: copied into the agent's git directory
   * (read-only copies), so `git describe` and `git log main..` work and a moved copy moves nothing.
   */
  refs: () => Promise<string>;
}

/** Opens sandboxes for the tasks of one run. */
export interface SandboxProvider {
  readonly isolation: Isolation;
  open(target: SandboxTarget): Promise<SandboxSession>;
}
