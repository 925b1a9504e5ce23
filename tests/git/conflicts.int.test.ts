import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GitError } from "../../src/engine/errors.ts";
import { commitAll } from "../../src/engine/git/commit.ts";
import { mergeTreeCheck, pairwiseConflicts, rebaseOnto } from "../../src/engine/git/conflicts.ts";
import type { Git } from "../../src/engine/git/exec.ts";
import { createWorktree, type Worktree } from "../../src/engine/git/worktree.ts";
import { fakeGit, makeRepo, type TestRepo } from "../support/git-repo.ts";

const FILES = { "a.txt": "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "b.txt": "b\n" };

/** A task result: a commit on top of `base` made in a worktree (left in place for the caller). */
async function taskCommit(git: Git, task: string, edits: Record<string, string>): Promise<Worktree> {
  const wt = await createWorktree({ git, task, runId: "r", base: "main", branch: `claude-tasks/${task}` });
  for (const [p, c] of Object.entries(edits)) await writeFile(join(wt.path, p), c);
  await commitAll({ git: wt.git, subject: `${task} result`, task, runId: "r" });
  return wt;
}

/** `rebaseOnto` of the task commit `head` of `wt` from its base onto `newBase`. */
const rebase = (wt: Worktree, head: string, newBase: string) =>
  rebaseOnto({
    git: wt.git,
    head,
    oldBase: wt.baseCommit,
    newBase,
    stateDir: wt.stateDir,
    task: "t",
    runId: "r",
  });

const head = async (wt: Worktree) => (await wt.git.run(["rev-parse", "HEAD"])).stdout.trim();

describe("mergeTreeCheck", () => {
  it("tells a clean merge from a conflict, without touching any work tree", async () => {
    await using repo = await makeRepo({ files: FILES });
    const git = repo.client();
    await using task = await taskCommit(git, "t", { "a.txt": "1\nTASK\n3\n4\n5\n6\n7\n8\n9\n" });
    const commit = await head(task);

    await repo.commit("upstream edits elsewhere", { "a.txt": "1\n2\n3\n4\n5\n6\n7\n8\nUP\n" });
    expect(await mergeTreeCheck({ git, base: "main", head: commit })).toMatchObject({
      clean: true,
      conflicts: [],
    });

    await repo.commit("upstream edits the same line", { "a.txt": "1\nUP\n3\n4\n5\n6\n7\n8\nUP\n" });
    const check = await mergeTreeCheck({ git, base: "main", head: commit });
    expect(check).toMatchObject({ clean: false, conflicts: ["a.txt"] });
    expect(check.tree).toMatch(/^[0-9a-f]{40}$/);
    expect(await repo.status()).toBe("");

    await expect(mergeTreeCheck({ git, base: "main", head: "no-such" })).rejects.toThrow(
      /does not name a commit/,
    );
  });

  it("reports modify/delete conflicts and turns other failures into a GitError", async () => {
    await using repo = await makeRepo({ files: FILES });
    const git = repo.client();
    await using task = await taskCommit(git, "t", { "b.txt": "changed\n" });
    await repo.git("rm", "-q", "b.txt");
    await repo.commit("delete b");
    expect(await mergeTreeCheck({ git, base: "main", head: await head(task) })).toMatchObject({
      clean: false,
      conflicts: ["b.txt"],
    });
    // unrelated histories are an error, not a conflict
    await repo.git("checkout", "-q", "--orphan", "other");
    await repo.commit("unrelated", { "z.txt": "z\n" });
    await expect(mergeTreeCheck({ git, base: "main", head: "other" })).rejects.toBeInstanceOf(GitError);
  });
});

describe("rebaseOnto", () => {
  it("backs up, then replays the task commit onto the moved base", async () => {
    await using repo = await makeRepo({ files: FILES });
    const git = repo.client();
    await using wt = await taskCommit(git, "t", { "a.txt": "1\nTASK\n3\n4\n5\n6\n7\n8\n9\n" });
    const before = await head(wt);
    const newBase = await repo.commit("upstream", { "b.txt": "moved\n" });

    const r = await rebase(wt, before, newBase);
    expect(r).toMatchObject({ ok: true, empty: false });
    if (!r.ok) return;
    expect(r.commit).not.toBe(before);
    expect(await repo.git("rev-parse", `${r.commit}^`)).toBe(newBase);
    expect(await repo.git("show", `${r.commit}:a.txt`)).toContain("TASK");
    expect(await repo.git("show", `${r.commit}:b.txt`)).toBe("moved");
    expect(
      await repo.git("log", "-1", "--format=%an|%cn|%(trailers:key=Claude-Tasks-Task,valueonly)", r.commit),
    ).toBe("claude-tasks[bot]|claude-tasks[bot]|t");
    expect(r.backup.meta).toMatchObject({
      reason: "before rebase",
      base: wt.baseCommit,
      details: { head: before },
    });
    expect(await readFile(r.backup.patchPath, "utf8")).toContain("+TASK");
  });

  it("aborts on conflict, reports the files and leaves the worktree as it was", async () => {
    await using repo = await makeRepo({ files: FILES });
    const git = repo.client();
    await using wt = await taskCommit(git, "t", {
      "a.txt": "1\nTASK\n3\n4\n5\n6\n7\n8\n9\n",
      "b.txt": "task\n",
    });
    const before = await head(wt);
    const newBase = await repo.commit("upstream", { "a.txt": "1\nUP\n3\n4\n5\n6\n7\n8\n9\n" });

    const r = await rebase(wt, before, newBase);
    expect(r).toMatchObject({ ok: false, conflicts: ["a.txt"] });
    expect(await head(wt)).toBe(before);
    expect(await repo.gitIn(wt.path, "status", "--porcelain")).toBe("");
  });

  it("rebases exactly the task commit, whatever else the worktree holds (the engine commits with commit-tree and leaves it)", async () => {
    await using repo = await makeRepo({ files: FILES });
    const git = repo.client();
    await using wt = await taskCommit(git, "t", { "a.txt": "1\nTASK\n3\n4\n5\n6\n7\n8\n9\n" });
    const commit = await head(wt);
    // the worktree back on the base, with files written after the commit's tree was checked
    await wt.git.run(["reset", "--hard", "--quiet", wt.baseCommit]);
    await writeFile(join(wt.path, "late.txt"), "written after the checks\n");
    await writeFile(join(wt.path, "b.txt"), "changed after the checks\n");
    const newBase = await repo.commit("upstream", { "c.txt": "moved\n" });
    const r = await rebase(wt, commit, newBase);
    expect(r).toMatchObject({ ok: true, empty: false });
    if (!r.ok) return;
    expect(await repo.git("diff", "--name-only", newBase, r.commit)).toBe("a.txt");
  });

  it("reports an empty result when the base already has the change", async () => {
    await using repo = await makeRepo({ files: FILES });
    const git = repo.client();
    await using wt = await taskCommit(git, "t", { "b.txt": "same\n" });
    const newBase = await repo.commit("upstream did the same", { "b.txt": "same\n" });
    const r = await rebase(wt, await head(wt), newBase);
    expect(r).toMatchObject({ ok: true, empty: true, commit: newBase });
  });
});

describe("pairwiseConflicts", () => {
  it("finds which task results conflict with each other", async () => {
    await using repo: TestRepo = await makeRepo({ files: FILES });
    const git = repo.client();
    await using a = await taskCommit(git, "a", { "a.txt": "1\nA\n3\n4\n5\n6\n7\n8\n9\n" });
    await using b = await taskCommit(git, "b", { "a.txt": "1\nB\n3\n4\n5\n6\n7\n8\n9\n" });
    await using c = await taskCommit(git, "c", { "b.txt": "c\n" });
    await using d = await taskCommit(git, "d", { "a.txt": "1\n2\n3\n4\n5\n6\n7\n8\nD\n" });
    const results = await Promise.all(
      [a, b, c, d].map(async (w) => ({ task: w.task, commit: await head(w) })),
    );
    expect(await pairwiseConflicts({ git, results })).toEqual([{ tasks: ["a", "b"], files: ["a.txt"] }]);
    expect(await pairwiseConflicts({ git, results: results.slice(2) })).toEqual([]);
  });
});

describe("mergeTreeCheck exit codes (fake git)", () => {
  const oid = "a".repeat(40);
  const fake = (mergeTree: { stdout: string; exitCode: number }) =>
    fakeGit((args) => (args[0] === "rev-parse" ? `${oid}\n` : mergeTree));

  it("exit 0 is clean, exit 1 with a tree is a conflict, anything else is an error", async () => {
    expect(
      await mergeTreeCheck({ git: fake({ stdout: `${oid}\0`, exitCode: 0 }), base: "x", head: "y" }),
    ).toEqual({
      clean: true,
      conflicts: [],
      tree: oid,
    });
    const git = fake({ stdout: `${oid}\0a.txt\0a.txt\0b/c.txt\0`, exitCode: 1 });
    expect(await mergeTreeCheck({ git, base: "x", head: "y" })).toEqual({
      clean: false,
      conflicts: ["a.txt", "b/c.txt"],
      tree: oid,
    });
    expect(git.calls.at(-1)).toEqual([
      "merge-tree",
      "--write-tree",
      "--name-only",
      "-z",
      "--no-messages",
      oid,
      oid,
    ]);
    await expect(
      mergeTreeCheck({ git: fake({ stdout: "", exitCode: 1 }), base: "x", head: "y" }),
    ).rejects.toBeInstanceOf(GitError);
    await expect(
      mergeTreeCheck({ git: fake({ stdout: "", exitCode: 128 }), base: "x", head: "y" }),
    ).rejects.toBeInstanceOf(GitError);
  });
});
