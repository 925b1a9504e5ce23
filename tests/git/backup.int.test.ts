import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/engine/errors.ts";
import {
  listBackups,
  NoBackupError,
  readBackup,
  readPatchText,
  writeBackup,
  writeTreeBackup,
} from "../../src/engine/git/backup.ts";
import { collectChanges } from "../../src/engine/git/changes.ts";
import { stateDir } from "../../src/engine/git/paths.ts";
import { restoreBackup } from "../../src/engine/git/restore.ts";
import { createWorktree } from "../../src/engine/git/worktree.ts";
import { makeRepo } from "../support/git-repo.ts";

const BINARY = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37) % 256));

describe("patch backups", () => {
  it("round-trips a change with a binary file and restores it onto a new branch", async () => {
    await using repo = await makeRepo({ files: { "a.txt": "a\n", "bin/data.bin": Buffer.from([1, 2, 3]) } });
    const git = repo.client();
    const state = await stateDir(git);
    let patch: Buffer;
    let base: string;
    {
      await using wt = await createWorktree({ git, task: "docs", runId: "run1", base: "HEAD", branch: "b" });
      base = wt.baseCommit;
      await writeFile(join(wt.path, "a.txt"), "changed\n");
      await writeFile(join(wt.path, "bin/data.bin"), BINARY);
      await writeFile(join(wt.path, "new.bin"), BINARY.subarray(0, 100));
      const change = await collectChanges({ git: wt.git, base });
      patch = change.patch;
      const backup = await writeBackup({
        stateDir: state,
        runId: "run1",
        task: "docs",
        base,
        reason: "run result",
        patch,
        details: { costUsd: 0.12, guards: { ok: true } },
      });
      expect(backup.id).toBe("run1-docs");
      expect(backup.dir).toBe(join(repo.path, ".git/claude-tasks/backups/run1-docs"));
      expect((await readFile(backup.patchPath)).equals(patch)).toBe(true);
      expect(backup.meta).toMatchObject({
        task: "docs",
        runId: "run1",
        base,
        reason: "run result",
        files: 3,
        details: { costUsd: 0.12 },
      });
      await wt.git.run(["reset", "-q", "--hard"]);
      await wt.git.run(["clean", "-fdq"]);
    }
    expect(await repo.status()).toBe("");

    const restored = await restoreBackup({ git, id: "run1-docs" });
    expect(restored.branch).toBe("claude-tasks/restore/run1-docs");
    expect(await repo.head(`${restored.branch}^`)).toBe(base);
    expect(await repo.git("show", `${restored.branch}:a.txt`)).toBe("changed");
    const blob = await repo.git("rev-parse", `${restored.branch}:bin/data.bin`);
    const bytes = (await git.runBuffer(["cat-file", "blob", blob])).stdout;
    expect(bytes.equals(BINARY)).toBe(true);
    expect(
      await repo.git("log", "-1", "--format=%(trailers:key=Claude-Tasks-Backup,valueonly)", restored.branch),
    ).toBe("run1-docs");
    // the user's checkout and worktree list are untouched
    expect(await repo.status()).toBe("");
    expect(await repo.git("rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
    expect((await repo.git("worktree", "list")).split("\n")).toHaveLength(1);

    await expect(restoreBackup({ git, id: "run1-docs" })).rejects.toThrow(/already exists/);
    await expect(restoreBackup({ git, id: "nope" })).rejects.toBeInstanceOf(UserError);
    await expect(restoreBackup({ git, id: "../../x" })).rejects.toBeInstanceOf(UserError);
    const other = await restoreBackup({ git, id: "run1-docs", branch: "mine" });
    expect(other.branch).toBe("mine");
  });

  it("lists newest first, never writes the same patch twice and never overwrites a different one", async () => {
    await using repo = await makeRepo();
    const state = await stateDir(repo.client());
    const base = await repo.head();
    const opts = { stateDir: state, runId: "r", task: "t", base, reason: "x" };
    const a = await writeBackup({
      ...opts,
      patch: Buffer.from("one"),
      now: new Date("2025-01-01T00:00:00Z"),
    });
    const again = await writeBackup({
      ...opts,
      patch: Buffer.from("one"),
      now: new Date("2025-01-02T00:00:00Z"),
    });
    const b = await writeBackup({
      ...opts,
      patch: Buffer.from("two"),
      now: new Date("2025-01-03T00:00:00Z"),
    });
    const c = await writeBackup({
      ...opts,
      runId: "s",
      patch: Buffer.from("3"),
      now: new Date("2024-12-31T00:00:00Z"),
    });
    expect([a.id, again.id, b.id, c.id]).toEqual(["r-t", "r-t", "r-t-2", "s-t"]);
    const list = await listBackups(state);
    expect(list.map((x) => x.id)).toEqual(["r-t-2", "r-t", "s-t"]);
    expect(list[0]).toMatchObject({
      size: 3,
      meta: { patchBytes: 3, createdAt: "2025-01-03T00:00:00.000Z" },
    });
    // no temp dirs are left behind; a broken directory is skipped
    await writeFile(join(state, "backups", "r-t-2", "meta.json"), "{broken");
    expect((await listBackups(state)).map((x) => x.id)).toEqual(["r-t", "s-t"]);
    expect((await readdir(join(state, "backups"))).filter((n) => n.startsWith("."))).toEqual([]);
    await expect(readBackup(state, "r-t-2")).rejects.toThrow();
    expect(await listBackups(join(repo.root, "nowhere"))).toEqual([]);
  });

  it("refuses to restore a backup whose base commit is missing", async () => {
    await using repo = await makeRepo();
    const state = await stateDir(repo.client());
    await writeBackup({
      stateDir: state,
      runId: "r",
      task: "t",
      base: "1".repeat(40),
      reason: "x",
      patch: Buffer.from(""),
    });
    await expect(restoreBackup({ git: repo.client(), id: "r-t" })).rejects.toThrow(/fetch it first/);
  });
});

describe("backups of large changes", () => {
  it("a patch file moved into a backup keeps its hash, size and file count; too large a change says why", async () => {
    await using repo = await makeRepo({ files: { "a.txt": "a\n" } });
    const git = repo.client();
    const state = await stateDir(git);
    await using wt = await createWorktree({ git, task: "big", runId: "r1", base: "HEAD", branch: "b" });
    await writeFile(join(wt.path, "a.txt"), "b\n");
    await writeFile(join(wt.path, "c.txt"), "c\n");
    const change = await collectChanges({ git: wt.git, base: wt.baseCommit });
    const file = join(repo.root, "streamed.patch");
    await writeFile(file, change.patch);
    const backup = await writeBackup({
      stateDir: state,
      runId: "r1",
      task: "big",
      base: change.base,
      reason: "test",
      patch: { file },
    });
    const inMemory = await writeBackup({
      stateDir: join(repo.root, "other-state"),
      runId: "r1",
      task: "big",
      base: change.base,
      reason: "test",
      patch: change.patch,
    });
    expect(backup.meta).toMatchObject({
      files: 2,
      patchBytes: change.patch.length,
      patchSha256: inMemory.meta.patchSha256,
    });
    expect(await readFile(backup.patchPath)).toEqual(change.patch);
    // shown cut, never read whole
    expect(await readPatchText(backup.patchPath, 20)).toBe(
      `${change.patch.subarray(0, 20).toString()}\n… (the patch is ${change.patch.length} bytes; cut here)\n`,
    );

    const tooLarge = writeTreeBackup({
      git: wt.git,
      tree: change.tree,
      weight: 3 * 2 ** 30,
      stateDir: state,
      runId: "r2",
      task: "big",
      base: change.base,
      reason: "test",
    });
    await expect(tooLarge).rejects.toThrow(NoBackupError);
    await expect(tooLarge).rejects.toThrow("the change weighs 3.0 GB, more than the 1 GB a backup keeps");
  });
});
