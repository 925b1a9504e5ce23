import { chmod, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectChanges, parseNumstat, parseRaw } from "../../src/engine/git/changes.ts";
import { createWorktree } from "../../src/engine/git/worktree.ts";
import { makeRepo } from "../support/git-repo.ts";

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201ff8f0e0f0000000049454e44ae426082",
  "hex",
);

describe("collectChanges", () => {
  it("reads hostile file names right from the one diff (raw records, then numstat records)", async () => {
    await using repo = await makeRepo({ files: { "keep.txt": "keep\n", ":old": "moved away\nand more\n" } });
    const git = repo.client();
    await using wt = await createWorktree({ git, task: "t", runId: "1", base: "HEAD", branch: "b" });
    const at = (p: string) => join(wt.path, p);
    // names that look like a raw header, a numstat record, and a rename's empty path field
    const rawLike =
      ":100644 100644 0000000000000000000000000000000000000000 1111111111111111111111111111111111111111 M";
    await writeFile(at(rawLike), "a\nb\nc\n");
    await writeFile(at("7\t9\tcounts.txt"), "x\n");
    await writeFile(at("-\t-\tbin"), PNG);
    await rm(at(":old"));
    await writeFile(at(":new"), "moved away\nand more\n");
    const change = await collectChanges({ git: wt.git, base: wt.baseCommit });
    const byPath = Object.fromEntries(change.files.map((f) => [f.path, f]));
    expect(Object.keys(byPath).sort()).toEqual([rawLike, "7\t9\tcounts.txt", ":new", "-\t-\tbin"].sort());
    expect(byPath[rawLike]).toMatchObject({ status: "added", additions: 3, deletions: 0, binary: false });
    expect(byPath["7\t9\tcounts.txt"]).toMatchObject({ status: "added", additions: 1, binary: false });
    expect(byPath["-\t-\tbin"]).toMatchObject({ status: "added", binary: true });
    expect(byPath[":new"]).toMatchObject({ status: "renamed", oldPath: ":old", additions: 0, deletions: 0 });
    expect(change.additions).toBe(4 + (byPath["-\t-\tbin"]!.additions ?? 0));
  });

  it("describes new, deleted, renamed, binary, mode, symlink and type changes, and ignores ignored files", async () => {
    await using repo = await makeRepo({
      files: {
        ".gitignore": "*.log\n",
        "keep.txt": "keep\n",
        "gone.txt": "gone\n",
        "old-name.md": "a long enough line so that git sees a rename\nsecond line\nthird line\n",
        "run.sh": "#!/bin/sh\necho hi\n",
        "edit.txt": "one\ntwo\nthree\n",
        "was-file": "plain\n",
      },
    });
    const git = repo.client();
    await using wt = await createWorktree({ git, task: "t", runId: "1", base: "HEAD", branch: "b" });
    const at = (p: string) => join(wt.path, p);
    await writeFile(at("new.txt"), "n1\nn2\n");
    await rm(at("gone.txt"));
    await rm(at("old-name.md"));
    await mkdir(at("docs"));
    await writeFile(
      at("docs/new-name.md"),
      "a long enough line so that git sees a rename\nsecond line\nthird line\n",
    );
    await chmod(at("run.sh"), 0o755);
    await writeFile(at("edit.txt"), "one\n2\nthree\nfour\n");
    await writeFile(at("image.png"), PNG);
    await symlink("keep.txt", at("link"));
    await rm(at("was-file"));
    await symlink("keep.txt", at("was-file"));
    await writeFile(at("debug.log"), "ignored\n");

    const change = await collectChanges({ git: wt.git, base: wt.baseCommit });
    const byPath = Object.fromEntries(change.files.map((f) => [f.path, f]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        "docs/new-name.md",
        "edit.txt",
        "gone.txt",
        "image.png",
        "link",
        "new.txt",
        "run.sh",
        "was-file",
      ].sort(),
    );
    expect(byPath["new.txt"]).toMatchObject({ status: "added", additions: 2, deletions: 0, binary: false });
    expect(byPath["gone.txt"]).toMatchObject({ status: "deleted", deletions: 1, newMode: "000000" });
    expect(byPath["docs/new-name.md"]).toMatchObject({
      status: "renamed",
      oldPath: "old-name.md",
      similarity: 100,
    });
    expect(byPath["run.sh"]).toMatchObject({
      status: "modified",
      additions: 0,
      modeChange: { from: "100644", to: "100755" },
    });
    expect(byPath["edit.txt"]).toMatchObject({ status: "modified", additions: 2, deletions: 1 });
    expect(byPath["image.png"]).toMatchObject({ status: "added", binary: true, additions: 0, deletions: 0 });
    expect(byPath.link).toMatchObject({ status: "added", newMode: "120000", symlinkTarget: "keep.txt" });
    expect(byPath["was-file"]).toMatchObject({ status: "type-changed", symlinkTarget: "keep.txt" });
    expect(byPath["was-file"]?.modeChange).toBeUndefined();
    expect(change.totalLines).toBe(change.additions + change.deletions);
    expect(change.additions).toBe(2 + 2 + 1 + 1); // new.txt, edit.txt, link, was-file (now a link)

    // The patch applies onto the base, binary included, and reproduces the same tree.
    expect(await repo.status()).toBe(""); // the user's checkout is untouched
    const patchFile = join(repo.root, "change.patch");
    await writeFile(patchFile, change.patch);
    await repo.git("apply", "--binary", "--index", patchFile);
    expect(await repo.git("write-tree")).toBe(await wt.git.run(["write-tree"]).then((r) => r.stdout.trim()));
  });

  it("returns an empty change when nothing changed, and counts committed work too", async () => {
    await using repo = await makeRepo({ files: { "a.txt": "a\n" } });
    const git = repo.client();
    await using wt = await createWorktree({ git, task: "t", runId: "1", base: "HEAD", branch: "b" });
    const none = await collectChanges({ git: wt.git, base: wt.baseCommit });
    expect(none).toMatchObject({ files: [], totalLines: 0 });
    expect(none.patch.length).toBe(0);

    await writeFile(join(wt.path, "a.txt"), "b\n");
    await wt.git.run(["commit", "-qam", "agent committed"]);
    await writeFile(join(wt.path, "c.txt"), "c\n");
    const both = await collectChanges({ git: wt.git, base: wt.baseCommit });
    expect(both.files.map((f) => f.path)).toEqual(["a.txt", "c.txt"]);
  });
});

describe("parsers", () => {
  it("parse raw and numstat -z output with renames and binaries", () => {
    const z = (...parts: string[]) => `${parts.join("\0")}\0`;
    const raw = parseRaw(
      z(
        `:100644 100644 ${"a".repeat(40)} ${"b".repeat(40)} R087`,
        "old name.txt",
        "new\tname.txt",
        `:000000 100755 ${"0".repeat(40)} ${"c".repeat(40)} A`,
        "bin/tool",
      ),
    );
    expect(raw.map((r) => r.change)).toEqual([
      {
        path: "new\tname.txt",
        oldPath: "old name.txt",
        status: "renamed",
        similarity: 87,
        binary: false,
        additions: 0,
        deletions: 0,
        oldMode: "100644",
        newMode: "100644",
      },
      {
        path: "bin/tool",
        status: "added",
        binary: false,
        additions: 0,
        deletions: 0,
        oldMode: "000000",
        newMode: "100755",
      },
    ]);
    expect(parseNumstat(z("3\t1\t", "old name.txt", "new\tname.txt", "-\t-\tbin/tool"))).toEqual([
      { path: "new\tname.txt", additions: 3, deletions: 1 },
      { path: "bin/tool", additions: undefined, deletions: undefined },
    ]);
  });
});
