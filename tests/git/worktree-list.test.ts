/**
 * `worktreeEntries`: `git worktree list` read while other tasks add and remove worktrees. Git can die
 * on an entry it is writing or deleting at that moment (reproduced with plain git: 2 of 3000 lists
 * against four loops of `worktree add`/`remove`); the listing is tried again before a failure counts.
 */
import { describe, expect, it } from "vitest";
import { GitError } from "../../src/engine/errors.ts";
import type { Git, GitResult, GitRunOptions } from "../../src/engine/git/exec.ts";
import { worktreeEntries } from "../../src/engine/git/worktree.ts";

const LIST = "worktree /repo\0HEAD 1111111111111111111111111111111111111111\0branch refs/heads/main\0\0";
const DIED = "fatal: failed to read .git/worktrees/t-1/commondir: Success\n";

/** A git whose `worktree list` dies `failures` times, then answers; every call is noted. */
function flakyGit(failures: number) {
  const calls: { allowFailure: boolean }[] = [];
  const git = {
    cwd: "/repo",
    async run(args: readonly string[], o: GitRunOptions = {}): Promise<GitResult> {
      expect(args).toEqual(["worktree", "list", "--porcelain", "-z"]);
      calls.push({ allowFailure: o.allowFailure === true });
      if (calls.length > failures) return { stdout: LIST, stderr: "", exitCode: 0 };
      if (o.allowFailure) return { stdout: "", stderr: DIED, exitCode: 128 };
      throw new GitError({ args, exitCode: 128, stderr: DIED });
    },
  } as unknown as Git;
  return { git, calls };
}

describe("worktreeEntries", () => {
  it("a list that dies on a worktree being written is read again, and its answer is used", async () => {
    const { git, calls } = flakyGit(2);
    expect(await worktreeEntries(git, "/repo/.git/claude-tasks")).toEqual([
      expect.objectContaining({
        path: "/repo",
        head: "1111111111111111111111111111111111111111",
        branch: "refs/heads/main",
      }),
    ]);
    expect(calls).toHaveLength(3);
  });

  it("a list that keeps failing is an error after four tries, with git's own message", async () => {
    const { git, calls } = flakyGit(Number.POSITIVE_INFINITY);
    await expect(worktreeEntries(git, "/repo/.git/claude-tasks")).rejects.toThrow(
      /failed to read \.git\/worktrees\/t-1\/commondir/,
    );
    expect(calls.map((c) => c.allowFailure)).toEqual([true, true, true, false]);
  });
});
