/**
 * Runs on a pull request work on its head, which anyone who can open a pull request controls. Claude
 * Code reads its settings, hooks, MCP servers and memory from the working directory, so those paths
 * are taken from the base branch instead: before the agent runs they are overlaid onto the worktree
 * from the base commit, and afterwards put back as the head has them, so the overlay never shows up in
 * the task's diff. Whatever the agent changed in them is dropped (and reported).
 *
 * For the run engine: call `overlayTrustedConfig` in the task's worktree right before the agent, with
 * the base commit it fetched, and `removeTrustedOverlay` right after the agent, before collecting the
 * change.
 */
import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink, rm } from "node:fs/promises";
import { join } from "node:path";
import { type Git, splitZ } from "../git/exec.ts";
import { orIfMissing } from "../missing.ts";

/** Paths Claude Code takes instructions or settings from (hooks in `.claude/settings.json` run commands). */
export const TRUSTED_CONFIG_PATHS = [".claude", ".mcp.json", "CLAUDE.md", "CLAUDE.local.md"] as const;

export interface TrustedConfig {
  /** Where the paths come from: the base branch (use the base commit the run fetched for it). */
  source: string;
  paths: readonly string[];
}

/** Content fingerprint of the files under `paths` in `dir` (path → hash; symlinks by target). */
export type Fingerprint = Map<string, string>;

/**
 * Replaces `paths` in the worktree with their content at `source` (a commit); paths absent there are
 * removed. The index is left alone. Returns the fingerprint of the overlay.
 */
export async function overlayTrustedConfig(
  git: Git,
  source: string,
  paths: readonly string[],
): Promise<Fingerprint> {
  for (const p of paths) await rm(join(git.cwd, p), { recursive: true, force: true });
  await checkoutPaths(git, source, paths);
  return fingerprint(git.cwd, paths);
}

/**
 * Puts `paths` back as the worktree's HEAD has them (worktree and index). Returns the paths the agent
 * changed since the overlay (their changes are dropped).
 */
export async function removeTrustedOverlay(
  git: Git,
  paths: readonly string[],
  overlay: Fingerprint,
): Promise<string[]> {
  const after = await fingerprint(git.cwd, paths);
  const changed = new Set<string>();
  for (const [p, h] of after) if (overlay.get(p) !== h) changed.add(p);
  for (const p of overlay.keys()) if (!after.has(p)) changed.add(p);
  for (const p of paths) await rm(join(git.cwd, p), { recursive: true, force: true });
  const tracked = splitZ((await git.run(["ls-files", "-z", "--", ...paths])).stdout);
  if (tracked.length > 0) {
    await git.run(["reset", "-q", "HEAD", "--", ...paths], { allowFailure: true });
  }
  await checkoutPaths(git, "HEAD", paths);
  return [...changed].sort();
}

async function checkoutPaths(git: Git, source: string, paths: readonly string[]): Promise<void> {
  const files = splitZ(
    (await git.run(["ls-tree", "-r", "-z", "--name-only", source, "--", ...paths])).stdout,
  );
  if (files.length === 0) return;
  await git.run(
    ["restore", `--source=${source}`, "--worktree", "--pathspec-from-file=-", "--pathspec-file-nul"],
    { input: `${files.map((f) => `:(literal)${f}`).join("\0")}\0` },
  );
}

async function fingerprint(dir: string, paths: readonly string[]): Promise<Fingerprint> {
  const out: Fingerprint = new Map();
  const walk = async (rel: string): Promise<void> => {
    const abs = join(dir, rel);
    const st = await orIfMissing(lstat(abs), undefined);
    if (!st) return;
    if (st.isSymbolicLink()) out.set(rel, `link:${await readlink(abs)}`);
    else if (st.isDirectory()) for (const name of await readdir(abs)) await walk(`${rel}/${name}`);
    else if (st.isFile())
      out.set(
        rel,
        createHash("sha256")
          .update(await readFile(abs))
          .digest("hex"),
      );
  };
  for (const p of paths) await walk(p);
  return out;
}
