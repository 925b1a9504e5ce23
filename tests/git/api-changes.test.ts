/** A commit as GitHub's `createCommitOnBranch` file changes, or why it cannot be one (real git). */
import { describe, expect, it } from "vitest";
import { apiFileChanges } from "../../src/engine/git/index.ts";
import { makeRepo } from "../support/git-repo.ts";

describe("apiFileChanges", () => {
  it("regular files: additions with their bytes, deletions by path", async () => {
    await using repo = await makeRepo({ files: { "old.txt": "old\n", "keep.txt": "a\n" } });
    const parent = await repo.head();
    await repo.git("rm", "-q", "old.txt");
    const commit = await repo.commit("change", {
      "keep.txt": "b\n",
      "dir/new.bin": Buffer.from([0, 255, 1]),
      "ünïcode.md": "x\n",
    });
    const r = await apiFileChanges({ git: repo.client(), parent, commit });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.changes.deletions).toEqual(["old.txt"]);
    expect(r.changes.additions.map((a) => [a.path, a.contents.toString("hex")])).toEqual([
      ["dir/new.bin", "00ff01"],
      ["keep.txt", Buffer.from("b\n").toString("hex")],
      ["ünïcode.md", Buffer.from("x\n").toString("hex")],
    ]);
  });

  it("what the API cannot express: an executable bit (new or changed), a symbolic link", async () => {
    await using repo = await makeRepo({ files: { "run.sh": "echo\n", "a.txt": "a\n" } });
    const parent = await repo.head();
    const commit = await repo.commit("modes", {
      "run.sh": { content: "echo\n", mode: 0o755 },
      tool: { content: "#!/bin/sh\n", mode: 0o755 },
      link: { symlink: "a.txt" },
    });
    const r = await apiFileChanges({ git: repo.client(), parent, commit });
    expect(r).toEqual({
      ok: false,
      reasons: [
        "`link` is a symbolic link",
        "`run.sh` is an executable file",
        "`tool` is an executable file",
      ],
    });
  });

  it("caps: a file too large, too much in all, too many files", async () => {
    await using repo = await makeRepo({ files: { "a.txt": "a\n" } });
    const parent = await repo.head();
    const commit = await repo.commit("big", { "big.txt": "x".repeat(3000), "b.txt": "b".repeat(1500) });
    const git = repo.client();
    const file = await apiFileChanges({
      git,
      parent,
      commit,
      limits: { fileBytes: 2000, totalBytes: 1e9, files: 10 },
    });
    expect(file).toEqual({ ok: false, reasons: ["`big.txt` has 3000 bytes (the limit is 2000 bytes)"] });
    const total = await apiFileChanges({
      git,
      parent,
      commit,
      limits: { fileBytes: 1e9, totalBytes: 4000, files: 10 },
    });
    expect(total).toEqual({ ok: false, reasons: ["4500 bytes in all (the limit is 4000 bytes)"] });
    const count = await apiFileChanges({
      git,
      parent,
      commit,
      limits: { fileBytes: 1e9, totalBytes: 1e9, files: 1 },
    });
    expect(count).toEqual({ ok: false, reasons: ["2 files (the limit for one API commit is 1)"] });
  });
});
