/**
 * The repository's own git setup — config, hooks, `info/` files, HEAD and the user's refs — must come
 * out of a task exactly as it went in. The sandbox hides all of it from agents; this check is the
 * second line (and the only one under `isolation: none`): a snapshot before the agent runs, a
 * comparison after, and on any difference the snapshot is put back and the task fails loudly.
 */
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { isCode } from "../missing.ts";
import type { Git } from "./exec.ts";

/** Files of the common git directory that steer every git command run there. */
const FILES = [
  "config",
  "config.worktree",
  "HEAD",
  "info/attributes",
  "info/exclude",
  "info/sparse-checkout",
];
/** Refs the engine itself writes during a run (task branches, backups, state, fetched tips). */
const ENGINE_REFS = /^refs\/(?:heads\/claude-tasks\/|claude-tasks\/|remotes\/)/;

export interface RepoSnapshot {
  commonDir: string;
  /** Relative path → content (null: absent). */
  files: Map<string, Buffer | null>;
  /** Ref name → object id, for the user's refs. */
  refs: Map<string, string>;
  withRefs: boolean;
}

export interface IntegrityChange {
  kind: "file" | "ref";
  /** A path relative to the git directory, or a ref name. */
  name: string;
}

/**
 * `refs: false` leaves refs out: inside the sandbox the agent cannot reach them, and a user who
 * commits to `main` while a local run goes on must not have that commit taken for an attack.
 */
export async function snapshotRepo(
  git: Git,
  commonDir: string,
  opts: { refs?: boolean } = {},
): Promise<RepoSnapshot> {
  const files = new Map<string, Buffer | null>();
  for (const f of [...FILES, ...(await listHooks(commonDir))])
    files.set(f, await readOrNull(join(commonDir, f)));
  const withRefs = opts.refs !== false;
  return { commonDir, files, refs: withRefs ? await userRefs(git) : new Map(), withRefs };
}

/** What differs from the snapshot (hooks added since count too). Empty when nothing changed. */
export async function compareRepo(git: Git, snap: RepoSnapshot): Promise<IntegrityChange[]> {
  const changes: IntegrityChange[] = [];
  const names = new Set([...snap.files.keys(), ...(await listHooks(snap.commonDir))]);
  for (const name of names) {
    const now = await readOrNull(join(snap.commonDir, name));
    if (!sameContent(snap.files.get(name) ?? null, now)) changes.push({ kind: "file", name });
  }
  if (!snap.withRefs) return changes;
  const refs = await userRefs(git);
  for (const name of new Set([...snap.refs.keys(), ...refs.keys()])) {
    if (snap.refs.get(name) !== refs.get(name)) changes.push({ kind: "ref", name });
  }
  return changes;
}

/**
 * Puts back what changed: files first (so git reads the original config), then refs. A ref's new tip
 * is kept under `refs/claude-tasks/tampered/<stamp>/<ref>` first: nothing is lost, even if the
 * change was someone's real commit.
 */
export async function restoreRepo(git: Git, snap: RepoSnapshot, changes: IntegrityChange[]): Promise<void> {
  const stamp = new Date().toISOString().replace(/[-:.]/g, "");
  for (const c of changes.filter((x) => x.kind === "file")) {
    const path = join(snap.commonDir, c.name);
    const old = snap.files.get(c.name) ?? null;
    if (old === null) await rm(path, { force: true, recursive: true });
    else await writeFile(path, old);
  }
  for (const c of changes.filter((x) => x.kind === "ref")) {
    const now = (
      await git.run(["rev-parse", "--verify", "--quiet", `${c.name}^{}`], { allowFailure: true })
    ).stdout.trim();
    if (now)
      await git.run([
        "update-ref",
        `refs/claude-tasks/tampered/${stamp}/${c.name.replace(/^refs\//, "")}`,
        now,
      ]);
    const old = snap.refs.get(c.name);
    if (old) await git.run(["update-ref", "--no-deref", c.name, old]);
    else await git.run(["update-ref", "--no-deref", "-d", c.name]);
  }
}

async function userRefs(git: Git): Promise<Map<string, string>> {
  const out = await git.run(["for-each-ref", "--format=%(objectname) %(refname)"]);
  const refs = new Map<string, string>();
  for (const line of out.stdout.split("\n")) {
    const i = line.indexOf(" ");
    if (i < 0) continue;
    const name = line.slice(i + 1);
    if (!ENGINE_REFS.test(name)) refs.set(name, line.slice(0, i));
  }
  return refs;
}

async function listHooks(commonDir: string): Promise<string[]> {
  const dir = join(commonDir, "hooks");
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => !e.isDirectory())
      .map((e) => relative(commonDir, join(e.parentPath, e.name)));
  } catch (err) {
    if (isCode(err, "ENOENT")) return [];
    throw err;
  }
}

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if (isCode(err, "ENOENT") || isCode(err, "EISDIR")) return null;
    throw err;
  }
}

function sameContent(a: Buffer | null, b: Buffer | null): boolean {
  if (a === null || b === null) return a === b;
  return a.equals(b);
}
