/**
 * Talking to a remote with plain git: read remote tips, fetch, and push with leases. Authentication
 * is the caller's business (e.g. an `http.extraheader` passed through `createGit({ env })`).
 */
import { GitError } from "../errors.ts";
import type { Git } from "./exec.ts";

/** Tips of `refs` (full names) on `remote`; absent refs are missing from the map. */
export async function lsRemote(opts: {
  git: Git;
  remote: string;
  refs: readonly string[];
}): Promise<Map<string, string>> {
  const r = await opts.git.run(["ls-remote", "--", opts.remote, ...opts.refs]);
  const tips = new Map<string, string>();
  for (const line of r.stdout.split("\n")) {
    const [oid, ref] = line.split("\t");
    if (oid && ref && opts.refs.includes(ref)) tips.set(ref, oid);
  }
  return tips;
}

/** `git fetch --no-tags <remote> <refspecs…>`, e.g. `+refs/heads/main:refs/remotes/origin/main`. */
export async function fetchRefs(opts: {
  git: Git;
  remote: string;
  refspecs: readonly string[];
}): Promise<void> {
  await opts.git.run([
    "fetch",
    "--no-tags",
    "--no-write-fetch-head",
    "--quiet",
    "--",
    opts.remote,
    ...opts.refspecs,
  ]);
}

export interface RefUpdate {
  /** Full ref name on the remote, e.g. `refs/heads/claude-tasks/docs`. */
  ref: string;
  /** The commit to push there; `null` deletes the ref. */
  commit: string | null;
  /**
   * The lease: what the remote ref must be right now (`null`: it must not exist). With a lease any
   * update is allowed (also a rewrite); without one, only a fast-forward or a new ref.
   */
  expected?: string | null;
}

export type PushStatus = "created" | "updated" | "forced" | "deleted" | "up-to-date" | "rejected";

export interface PushedRef {
  ref: string;
  status: PushStatus;
  /** Why it was rejected, as git says it ("stale info", "non-fast-forward", "atomic push failed"). */
  reason?: string;
}

export interface PushResult {
  ok: boolean;
  refs: PushedRef[];
}

const FLAG: Record<string, PushStatus> = {
  "*": "created",
  " ": "updated",
  "+": "forced",
  "-": "deleted",
  "=": "up-to-date",
  "!": "rejected",
};

/**
 * Pushes all updates in one atomic push (all or none). A lost lease or a non-fast-forward is a
 * result (`ok: false`), not an exception; other failures (network, auth) throw a `GitError`.
 */
export async function pushRefs(opts: {
  git: Git;
  remote: string;
  updates: readonly RefUpdate[];
  atomic?: boolean;
}): Promise<PushResult> {
  // Never "+<src>:<dst>": a forcing refspec overrides --force-with-lease. The lease alone allows a rewrite.
  const args = ["push", "--porcelain", "--no-verify"];
  if (opts.atomic !== false) args.push("--atomic");
  for (const u of opts.updates) {
    if (u.expected !== undefined) args.push(`--force-with-lease=${u.ref}:${u.expected ?? ""}`);
  }
  args.push("--", opts.remote, ...opts.updates.map((u) => `${u.commit ?? ""}:${u.ref}`));
  const r = await opts.git.run(args, { allowFailure: true });
  const refs = parsePushPorcelain(r.stdout);
  if (r.exitCode !== 0 && !refs.some((x) => x.status === "rejected")) {
    throw new GitError({ args, exitCode: r.exitCode, stderr: r.stderr, cwd: opts.git.cwd });
  }
  return { ok: r.exitCode === 0, refs };
}

/** Parses `git push --porcelain` lines: `<flag>\t<from>:<to>\t<summary> (<reason>)`. */
export function parsePushPorcelain(out: string): PushedRef[] {
  const refs: PushedRef[] = [];
  for (const line of out.split("\n")) {
    const m = /^(.)\t[^:\t]*:([^\t]+)\t(.*)$/.exec(line);
    const status = m ? FLAG[m[1]!] : undefined;
    if (!m || !status) continue;
    const reason = /\(([^)]*)\)\s*$/.exec(m[3]!)?.[1];
    refs.push({ ref: m[2]!, status, ...(status === "rejected" && reason ? { reason } : {}) });
  }
  return refs;
}
