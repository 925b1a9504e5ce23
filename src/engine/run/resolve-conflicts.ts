/**
 * `on_conflict: resolve`: a task branch that carries someone else's commits and conflicts with the
 * latest base gets the base merged in (a merge commit on top: nobody's history is rewritten), and the
 * agent resolves the conflicted files in its sandboxed worktree. What the agent changed is checked
 * against the merge as git left it (markers included), so the guards judge the agent's own work, not
 * the base's; a result that still holds a conflict marker in a conflicted file is refused.
 */
import { type Git, mergeTreeCheck, type Worktree } from "../git/index.ts";
import { quotePath } from "../report/escape.ts";

/** The merge to make, when the branch conflicts with the base; undefined when it merges cleanly. */
export async function plannedMerge(
  git: Git,
  branchTip: string,
  base: string,
): Promise<{ commit: string; conflicts: string[] } | undefined> {
  const check = await mergeTreeCheck({ git, base: branchTip, head: base });
  return check.clean ? undefined : { commit: base, conflicts: check.conflicts };
}

/**
 * Merges `commit` into the worktree (HEAD on the branch tip) and leaves the result, conflict markers
 * and all, as the worktree's files with HEAD on a commit of exactly that state (`checkBase`), so the
 * agent's change is what differs from it. No merge state is left behind for the agent to steer.
 */
export async function prepareMerge(wt: Worktree, branchTip: string, commit: string): Promise<string> {
  const git = wt.git;
  await git.run(["merge", "--no-ff", "--no-commit", "--no-verify", "--quiet", commit], {
    allowFailure: true,
  });
  await git.run(["add", "-A", "--", "."]);
  const tree = (await git.run(["write-tree"])).stdout.trim();
  await git.run(["merge", "--quit"], { allowFailure: true });
  const checkBase = (
    await git.run(["commit-tree", tree, "-p", branchTip, "-m", "claude-tasks: merge with conflict markers"])
  ).stdout.trim();
  await git.run(["reset", "--soft", "--quiet", checkBase]);
  return checkBase;
}

/** The conflicted files of `tree` that still hold a conflict marker line. */
export async function filesWithMarkers(git: Git, tree: string, files: readonly string[]): Promise<string[]> {
  if (files.length === 0) return [];
  const r = await git.run(
    [
      "grep",
      "-l",
      "-z",
      "-I",
      "-E",
      "^(<{7}|>{7})( |$)|^={7}$",
      tree,
      "--",
      ...files.map((f) => `:(literal)${f}`),
    ],
    { allowFailure: true },
  );
  if (r.exitCode > 1) throw new Error(`git grep failed: ${r.stderr.trim()}`);
  const prefix = `${tree}:`;
  return r.stdout
    .split("\0")
    .filter(Boolean)
    .map((p) => (p.startsWith(prefix) ? p.slice(prefix.length) : p));
}

/** What the agent is told, after the task's own prompt. File names are data, quoted. */
export function resolveContext(o: { base: string; branch: string; conflicts: readonly string[] }): string {
  const list = o.conflicts.slice(0, 50).map((f) => `- ${quotePath(f)}`);
  if (o.conflicts.length > 50) list.push(`- … and ${o.conflicts.length - 50} more`);
  return [
    "---",
    "",
    "## Resolve merge conflicts",
    "",
    `The branch ${quotePath(o.branch)} holds commits by people, and the base ${quotePath(o.base)} moved: git merged the latest base into it, and these files now hold conflict markers (<<<<<<<, =======, >>>>>>>):`,
    "",
    ...list,
    "",
    "Resolve every conflict in them, keeping the intent of both sides, and remove every marker. Change nothing else: this run does not redo the task.",
    "",
  ].join("\n");
}
