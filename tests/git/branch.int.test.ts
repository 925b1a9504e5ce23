import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backupRef, listBackupRefs, updateBranch } from "../../src/engine/git/branch.ts";
import { commitAll, commitMessage, foreignCommits } from "../../src/engine/git/commit.ts";
import { createWorktree } from "../../src/engine/git/worktree.ts";
import { makeRepo } from "../support/git-repo.ts";

describe("commitAll", () => {
  it("makes one bot commit with the task trailers, squashing what the agent committed", async () => {
    await using repo = await makeRepo({ files: { "a.txt": "a\n" } });
    const git = repo.client();
    await using wt = await createWorktree({ git, task: "docs", runId: "r9", base: "HEAD", branch: "b" });
    await writeFile(join(wt.path, "a.txt"), "agent commit\n");
    await repo.gitIn(wt.path, "commit", "-qam", "the agent committed this itself");
    await writeFile(join(wt.path, "b.txt"), "uncommitted\n");

    const sha = await commitAll({
      git: wt.git,
      subject: "docs: sync\nREADME",
      body: "# Heading kept\n\nSigned-off-by: someone <s@e>",
      task: "docs",
      runId: "r9",
      trailers: { "Co-authored-by": "Claude <noreply@anthropic.com>" },
      base: wt.baseCommit,
    });
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await repo.git("rev-parse", `${sha}^`)).toBe(wt.baseCommit);
    expect(await repo.git("log", "-1", "--format=%an <%ae>|%cn", sha!)).toBe(
      "claude-tasks[bot] <claude-tasks[bot]@users.noreply.github.com>|claude-tasks[bot]",
    );
    expect(await repo.git("log", "-1", "--format=%B", sha!)).toBe(
      "docs: sync README\n\n# Heading kept\n\nSigned-off-by: someone <s@e>\n\n" +
        "Claude-Tasks-Task: docs\nClaude-Tasks-Run: r9\nCo-authored-by: Claude <noreply@anthropic.com>",
    );
    expect(await repo.git("log", "-1", "--format=%(trailers:key=Claude-Tasks-Run,valueonly)", sha!)).toBe(
      "r9",
    );
    expect(await repo.git("show", "--format=", "--name-only", sha!)).toBe("a.txt\nb.txt");
    expect(await commitAll({ git: wt.git, subject: "again", task: "docs", runId: "r9" })).toBeUndefined();
  });

  it("refuses a trailer key that would break the message", () => {
    expect(() => commitMessage("s", undefined, { "Bad: key": "v" })).toThrow(/invalid trailer key/);
  });
});

describe("foreignCommits", () => {
  it("finds commits on a branch that the bot did not make", async () => {
    await using repo = await makeRepo({ files: { "a.txt": "a\n" }, origin: true });
    const git = repo.client();
    const base = await repo.head();
    await using wt = await createWorktree({
      git,
      task: "docs",
      runId: "r",
      base: "HEAD",
      branch: "claude-tasks/docs",
    });
    await writeFile(join(wt.path, "a.txt"), "bot\n");
    const botCommit = await commitAll({ git: wt.git, subject: "bot", task: "docs", runId: "r" });
    await repo.git("branch", "claude-tasks/docs", botCommit!);
    expect(await foreignCommits({ git, branch: "claude-tasks/docs", base: "main" })).toEqual([]);

    // someone pushes to the bot branch
    await repo.git("push", "-q", "origin", "claude-tasks/docs");
    const other = await repo.clone();
    await repo.gitIn(other, "checkout", "-q", "-b", "claude-tasks/docs", "origin/claude-tasks/docs");
    await writeFile(join(other, "human.txt"), "h\n");
    await repo.gitIn(other, "add", "human.txt");
    await repo.gitIn(other, "commit", "-qm", "human fix");
    await repo.gitIn(other, "push", "-q", "origin", "claude-tasks/docs");
    await repo.git("fetch", "-q", "origin");

    const foreign = await foreignCommits({ git, branch: "refs/remotes/origin/claude-tasks/docs", base });
    expect(foreign).toMatchObject([
      {
        subject: "human fix",
        author: "Test User <test@example.com>",
        reason: "authored by Test User <test@example.com>",
      },
    ]);
    // a bot-authored commit without the trailer, or of another task, is not ours either
    await wt.git.run(["commit", "--allow-empty", "-qm", "no trailer"]);
    const noTrailer = (await wt.git.run(["rev-parse", "HEAD"])).stdout.trim();
    expect(await foreignCommits({ git, branch: noTrailer, base })).toMatchObject([
      { subject: "no trailer", reason: "has no Claude-Tasks-Task trailer" },
    ]);
    expect(await foreignCommits({ git, branch: botCommit!, base, task: "other" })).toMatchObject([
      { reason: "belongs to task docs" },
    ]);
  });
});

describe("updateBranch", () => {
  it("creates, fast-forwards, backs up before a rewrite, and loses a race without clobbering", async () => {
    await using repo = await makeRepo({ files: { "a.txt": "a\n" } });
    const git = repo.client();
    const c1 = await repo.head();
    const c2 = await repo.commit("two", { "a.txt": "2\n" });
    const side = await repo.git("commit-tree", "-p", c1, "-m", "side", `${c1}^{tree}`);

    expect(await updateBranch({ git, branch: "claude-tasks/t", commit: c1, expectedOld: null })).toEqual({
      updated: true,
      old: null,
    });
    expect(await updateBranch({ git, branch: "claude-tasks/t", commit: c1, expectedOld: null })).toEqual({
      updated: false,
      actual: c1,
    });
    // fast-forward: nothing to back up
    expect(await updateBranch({ git, branch: "claude-tasks/t", commit: c2, expectedOld: c1 })).toEqual({
      updated: true,
      old: c1,
    });
    // rewrite: the old tip is kept under refs/claude-tasks/backups/
    const rewrite = await updateBranch({
      git,
      branch: "refs/heads/claude-tasks/t",
      commit: side,
      expectedOld: c2,
    });
    expect(rewrite).toMatchObject({ updated: true, old: c2, backup: { commit: c2 } });
    if (!rewrite.updated) return;
    expect(rewrite.backup?.ref).toMatch(
      /^refs\/claude-tasks\/backups\/claude-tasks\/t\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/,
    );
    expect(await repo.head(rewrite.backup!.ref)).toBe(c2);

    // someone else moved the branch since we read it: CAS fails, their commit stays
    await repo.git("update-ref", "refs/heads/claude-tasks/t", c2);
    expect(await updateBranch({ git, branch: "claude-tasks/t", commit: c1, expectedOld: side })).toEqual({
      updated: false,
      actual: c2,
    });
    expect(await repo.head("claude-tasks/t")).toBe(c2);

    // a branch checked out in a work tree is never moved under it
    await expect(updateBranch({ git, branch: "main", commit: c1, expectedOld: c2 })).rejects.toThrow(
      /checked out/,
    );
  });

  it("backupRef stores a tip once per call, even within the same millisecond", async () => {
    await using repo = await makeRepo();
    const git = repo.client();
    const now = new Date("2025-05-01T10:00:00.000Z");
    const a = await backupRef(git, "main", { now });
    const b = await backupRef(git, "refs/heads/main", { now });
    expect(a?.ref).toBe("refs/claude-tasks/backups/main/2025-05-01T10-00-00.000Z");
    expect(b?.ref).toBe("refs/claude-tasks/backups/main/2025-05-01T10-00-00.000Z-2");
    expect(await backupRef(git, "missing")).toBeUndefined();
    expect((await listBackupRefs(git)).map((r) => r.ref)).toEqual([b!.ref, a!.ref]);
  });
});
