import { mkdir, readdir, readFile, realpath, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { listBackups } from "../../src/engine/git/backup.ts";
import { sandboxesDir, stateDir, worktreesDir } from "../../src/engine/git/paths.ts";
import {
  createWorktree,
  listWorktrees,
  lockAlive,
  parseWorktreeList,
  pruneWorktrees,
  type WorktreeLock,
} from "../../src/engine/git/worktree.ts";
import { makeRepo } from "../support/git-repo.ts";

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

describe("createWorktree", () => {
  it("creates a detached worktree under .git/claude-tasks that git status never shows", async () => {
    await using repo = await makeRepo({ files: { "a.txt": "a\n" } });
    const git = repo.client();
    const base = await repo.head();
    let path: string;
    {
      await using wt = await createWorktree({
        git,
        task: "docs",
        runId: "r1",
        base: "main",
        branch: "claude-tasks/docs",
      });
      path = wt.path;
      // Outside the repository: Claude Code refuses to edit paths with a `.git` segment.
      expect(path).toBe(join(await realpath(worktreesDir(await stateDir(git))), "docs-r1"));
      expect(path.startsWith(repo.path)).toBe(false);
      expect(wt.baseCommit).toBe(base);
      expect(await repo.gitIn(path, "rev-parse", "HEAD")).toBe(base);
      expect(await repo.gitIn(path, "symbolic-ref", "-q", "HEAD").catch(() => "detached")).toBe("detached");
      await writeFile(join(path, "new.txt"), "x\n");
      expect(await repo.status()).toBe("");
      const listed = await listWorktrees(git);
      expect(listed.find((w) => w.path === path)).toMatchObject({ ours: true, stale: false, detached: true });
      expect(listed.find((w) => w.main)).toMatchObject({ ours: false, stale: false });
    }
    expect(await exists(path)).toBe(false);
    expect(await repo.git("worktree", "list", "--porcelain")).not.toContain("docs-r1");
    expect(await repo.status()).toBe("");
    // the uncommitted file was backed up before removal
    const [backup] = await listBackups(await stateDir(git));
    expect(backup?.meta).toMatchObject({
      task: "docs",
      runId: "r1",
      base,
      reason: "before worktree removal",
    });
  });

  it("removes a clean worktree without a backup, and twice is harmless", async () => {
    await using repo = await makeRepo();
    const git = repo.client();
    const wt = await createWorktree({ git, task: "t", runId: "1", base: "HEAD", branch: "claude-tasks/t" });
    expect(await wt.remove()).toEqual({ removed: true });
    expect(await wt.remove()).toEqual({ removed: true });
    await wt[Symbol.asyncDispose]();
    expect(await listBackups(await stateDir(git))).toEqual([]);
  });

  it("backs up commits that no ref reaches before removing", async () => {
    await using repo = await makeRepo({ files: { "a.txt": "a\n" } });
    const git = repo.client();
    const wt = await createWorktree({ git, task: "t", runId: "2", base: "HEAD", branch: "claude-tasks/t" });
    await writeFile(join(wt.path, "a.txt"), "changed\n");
    await wt.git.run(["commit", "-qam", "work"]);
    const res = await wt.remove();
    expect(res.removed).toBe(true);
    expect(res.backup?.meta.files).toBe(1);
    expect(await readFile(res.backup!.patchPath, "utf8")).toContain("+changed");
  });

  it("gives parallel tasks their own worktrees and refuses to reuse one", async () => {
    await using repo = await makeRepo();
    const git = repo.client();
    const opts = { git, runId: "r", base: "HEAD", branch: "b" };
    await using a = await createWorktree({ ...opts, task: "a" });
    await using b = await createWorktree({ ...opts, task: "b" });
    expect(a.path).not.toBe(b.path);
    await expect(createWorktree({ ...opts, task: "a" })).rejects.toThrow(/already exists/);
    await expect(createWorktree({ ...opts, task: "../x" })).rejects.toThrow(/invalid task/);
    await expect(createWorktree({ ...opts, task: "c", base: "no-such-ref" })).rejects.toThrow(
      /does not name a commit/,
    );
  });

  it("creates and removes many worktrees at once (git alone trips over another add's half-written files)", async () => {
    await using repo = await makeRepo();
    const git = repo.client();
    for (let round = 0; round < 3; round++) {
      const wts = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          createWorktree({ git, task: `t${i}`, runId: `r${round}`, base: "HEAD", branch: "b" }),
        ),
      );
      expect(new Set(wts.map((w) => w.path)).size).toBe(8);
      await Promise.all(wts.map((w) => w.remove()));
    }
    expect((await repo.git("worktree", "list", "--porcelain")).match(/^worktree /gm)).toHaveLength(1);
  });
});

describe("leftover worktrees", () => {
  async function leftover(repo: Awaited<ReturnType<typeof makeRepo>>, task: string) {
    const git = repo.client();
    const wt = await createWorktree({
      git,
      task,
      runId: "old",
      base: "HEAD",
      branch: `claude-tasks/${task}`,
    });
    // Pretend the owner died: a pid that does not exist.
    const lockFile = join(wt.stateDir, "locks", `${task}-old.json`);
    const lock = JSON.parse(await readFile(lockFile, "utf8")) as WorktreeLock;
    await writeFile(lockFile, JSON.stringify({ ...lock, pid: 2 ** 22 + 12345 }));
    return wt;
  }

  it("marks worktrees of dead processes stale, prunes them with a backup; a dry run only reports", async () => {
    await using repo = await makeRepo({ files: { "a.txt": "a\n" } });
    const git = repo.client();
    const dead = await leftover(repo, "dead");
    await writeFile(join(dead.path, "a.txt"), "unsaved work\n");
    await using live = await createWorktree({ git, task: "live", runId: "now", base: "HEAD", branch: "x" });

    const list = await listWorktrees(git);
    expect(list.find((w) => w.path === dead.path)).toMatchObject({ ours: true, stale: true });
    expect(list.find((w) => w.path === live.path)).toMatchObject({ ours: true, stale: false });

    const dry = await pruneWorktrees(git, { dryRun: true });
    expect(dry).toEqual([{ path: dead.path, task: "dead", runId: "old", removed: true }]);
    expect(await exists(dead.path)).toBe(true);

    const pruned = await pruneWorktrees(git);
    expect(pruned).toHaveLength(1);
    expect(pruned[0]?.backup?.meta).toMatchObject({
      task: "dead",
      runId: "old",
      reason: "leftover worktree",
    });
    expect(await readFile(pruned[0]!.backup!.patchPath, "utf8")).toContain("+unsaved work");
    expect(await exists(dead.path)).toBe(false);
    expect(await exists(live.path)).toBe(true);
    expect(await exists(join(dead.stateDir, "locks", "dead-old.json"))).toBe(false);
    expect((await listWorktrees(git)).filter((w) => w.ours).map((w) => w.path)).toEqual([live.path]);
  });

  it("removes what a killed run left of its sandboxes (HOME caches and all), never a live run's", async () => {
    await using repo = await makeRepo({ files: { "a.txt": "a\n" } });
    const git = repo.client();
    const dead = await leftover(repo, "dead");
    await using live = await createWorktree({ git, task: "live", runId: "now", base: "HEAD", branch: "y" });
    const sandboxes = sandboxesDir(dead.stateDir);
    // each sandbox folder as a task leaves it: named as its worktree, the agent's HOME and git dir
    for (const name of ["dead-old", "live-now", "orphan-gone"]) {
      await mkdir(join(sandboxes, name, "home", ".npm", "_cacache"), { recursive: true });
      await writeFile(join(sandboxes, name, "home", ".npm", "_cacache", "blob"), "cache\n");
      await mkdir(join(sandboxes, name, "git"), { recursive: true });
    }
    expect(basename(live.path)).toBe("live-now");
    await pruneWorktrees(git, { dryRun: true });
    expect((await readdir(sandboxes)).sort()).toEqual(["dead-old", "live-now", "orphan-gone"]);
    await pruneWorktrees(git);
    expect(await readdir(sandboxes)).toEqual(["live-now"]);
    expect(await readFile(join(sandboxes, "live-now", "home", ".npm", "_cacache", "blob"), "utf8")).toBe(
      "cache\n",
    );
  });

  it("treats a worktree whose directory vanished as prunable and cleans it up", async () => {
    await using repo = await makeRepo();
    const git = repo.client();
    const wt = await leftover(repo, "gone");
    await rm(wt.path, { recursive: true, force: true });
    expect((await listWorktrees(git)).find((w) => w.ours)).toMatchObject({ prunable: true, stale: true });
    const pruned = await pruneWorktrees(git);
    expect(pruned).toMatchObject([{ task: "gone", removed: true }]);
    expect((await listWorktrees(git)).some((w) => w.ours)).toBe(false);
  });

  it("detects a reused pid by its start time", async () => {
    const lock: WorktreeLock = {
      pid: process.ppid,
      processStart: 1, // 1970: the running parent cannot have started then
      hostname: (await import("node:os")).hostname(),
      task: "t",
      runId: "r",
      base: "",
      branch: "",
      path: "",
      createdAt: new Date().toISOString(),
    };
    const linux = process.platform === "linux";
    expect(await lockAlive(lock)).toBe(!linux);
    expect(await lockAlive({ ...lock, pid: process.pid })).toBe(true);
    expect(await lockAlive({ ...lock, hostname: "elsewhere" })).toBe(true);
    expect(await lockAlive({ ...lock, hostname: "elsewhere", createdAt: "2000-01-01T00:00:00Z" })).toBe(
      false,
    );
  });
});

describe("parseWorktreeList", () => {
  it("parses porcelain -z output", () => {
    const out =
      "worktree /r\0HEAD aaaa\0branch refs/heads/main\0\0" +
      "worktree /r/.git/claude-tasks/worktrees/t-1\0HEAD bbbb\0detached\0locked reason\0prunable gitdir file points to non-existent location\0\0";
    expect(parseWorktreeList(out)).toEqual([
      {
        path: "/r",
        head: "aaaa",
        branch: "refs/heads/main",
        detached: false,
        main: true,
        locked: false,
        prunable: false,
      },
      {
        path: "/r/.git/claude-tasks/worktrees/t-1",
        head: "bbbb",
        detached: true,
        main: false,
        locked: true,
        prunable: true,
      },
    ]);
  });
});
