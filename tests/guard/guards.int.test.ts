import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectChanges, type FileChange } from "../../src/engine/git/changes.ts";
import { createWorktree } from "../../src/engine/git/worktree.ts";
import {
  checkLimits,
  checkPaths,
  checkSymlinks,
  normalizeGlob,
  runGuards,
} from "../../src/engine/guard/index.ts";
import { makeRepo } from "../support/git-repo.ts";

function file(path: string, extra: Partial<FileChange> = {}): FileChange {
  return {
    path,
    status: "modified",
    binary: false,
    additions: 1,
    deletions: 0,
    oldMode: "100644",
    newMode: "100644",
    ...extra,
  };
}

describe("checkPaths", () => {
  const rules = { allow: ["README.md", "docs/**"], deny: [".github/workflows/**"] };

  it("denies workflow changes with a message that names the glob", () => {
    const v = checkPaths(
      { files: [file(".github/workflows/ci.yml")] },
      { allow: [], deny: [".github/workflows/**"] },
    );
    expect(v).toEqual([
      {
        rule: "paths.deny",
        file: ".github/workflows/ci.yml",
        message: "`.github/workflows/ci.yml` is denied by paths.deny `.github/workflows/**`",
      },
    ]);
    // case tricks do not slip past a deny glob
    expect(checkPaths({ files: [file(".GitHub/Workflows/x.yml")] }, rules)).toMatchObject([
      { rule: "paths.deny" },
    ]);
  });

  it("allows only matching paths, dot files included; deletions and both sides of a rename count", () => {
    const v = checkPaths(
      {
        files: [
          file("README.md"),
          file("docs/.vitepress/config.ts"),
          file("src/cli.ts"),
          file("docs/old.md", { status: "deleted" }),
          file("secret.md", { status: "deleted" }),
          file("docs/moved.md", { status: "renamed", oldPath: "src/moved.md" }),
          file("lib/out.md", { status: "renamed", oldPath: "docs/out.md" }),
        ],
      },
      rules,
    );
    expect(v.map((x) => x.message)).toEqual([
      "`src/cli.ts` is outside paths.allow (`README.md`, `docs/**`)",
      "`secret.md` (deleted) is outside paths.allow (`README.md`, `docs/**`)",
      "`src/moved.md` (renamed to `docs/moved.md`) is outside paths.allow (`README.md`, `docs/**`)",
      "`lib/out.md` (renamed from `docs/out.md`) is outside paths.allow (`README.md`, `docs/**`)",
    ]);
    expect(checkPaths({ files: [file("anything/.env")] }, { allow: [], deny: [] })).toEqual([]);
  });

  it("normalizes directory and rooted globs", () => {
    expect(normalizeGlob("./docs/")).toBe("docs/**");
    expect(normalizeGlob("/README.md")).toBe("README.md");
    expect(checkPaths({ files: [file("docs/a/b.md")] }, { allow: ["docs/"], deny: [] })).toEqual([]);
  });
});

describe("checkLimits", () => {
  it("counts files and text lines; binary files count as files only", () => {
    const change = {
      files: [file("a", { additions: 30, deletions: 5 }), file("img.png", { binary: true, additions: 0 })],
      totalLines: 35,
    };
    expect(checkLimits(change, { max_files: 2, max_lines: 35 })).toEqual([]);
    expect(checkLimits(change, { max_files: 1, max_lines: 2000 })).toEqual([
      { rule: "limits.max_files", message: "the change touches 2 files, more than limits.max_files 1" },
    ]);
    expect(checkLimits(change, { max_lines: 10 })).toEqual([
      {
        rule: "limits.max_lines",
        message:
          "the change adds or removes 35 lines, more than limits.max_lines 10 (1 binary files not counted)",
      },
    ]);
    expect(checkLimits(change, {})).toEqual([]);
  });
});

describe("checkSymlinks", () => {
  const link = (path: string, target: string) =>
    file(path, { status: "added", newMode: "120000", symlinkTarget: target });

  it("refuses absolute targets, .. escapes, links into .git and paths with .. segments", async () => {
    const v = await checkSymlinks(
      {
        files: [
          link("ok", "docs/readme.md"),
          link("docs/up", "../README.md"),
          link("abs", "/etc/passwd"),
          link("docs/escape", "../../outside"),
          link("win", "C:\\Windows"),
          link("git", "./.git/config"),
          file("a/../b"),
        ],
      },
      "/nonexistent/worktree",
    );
    expect(v.map((x) => `${x.rule} ${x.file}`)).toEqual([
      "symlink abs",
      "symlink docs/escape",
      "symlink win",
      "symlink git",
      "path a/../b",
    ]);
    expect(v[0]?.message).toBe("symlink `abs` → `/etc/passwd` points to an absolute path");
    expect(v[1]?.message).toBe("symlink `docs/escape` → `../../outside` points outside the repository");
  });

  it("follows symlink chains on disk", async () => {
    await using repo = await makeRepo({ files: { "escape-hatch": { symlink: "/tmp" } } });
    await symlink("escape-hatch", join(repo.path, "innocent"));
    const v = await checkSymlinks({ files: [link("innocent", "escape-hatch")] }, repo.path);
    expect(v).toMatchObject([
      { rule: "symlink", file: "innocent", message: expect.stringContaining("another symlink") },
    ]);
    await symlink("README.md", join(repo.path, "fine"));
    expect(await checkSymlinks({ files: [link("fine", "README.md")] }, repo.path)).toEqual([]);
  });
});

describe("runGuards on a collected change", () => {
  it("reports every violation of a real worktree change in one list", async () => {
    await using repo = await makeRepo({
      files: { "README.md": "# r\n", ".github/workflows/ci.yml": "on: push\n" },
    });
    const git = repo.client();
    await using wt = await createWorktree({ git, task: "t", runId: "1", base: "HEAD", branch: "b" });
    const at = (p: string) => join(wt.path, p);
    await writeFile(at("README.md"), "# r\nmore\n");
    await writeFile(at(".github/workflows/ci.yml"), "on: [push, pull_request]\n");
    await mkdir(at("docs"));
    await symlink("../../../../../../etc/passwd", at("docs/passwd"));
    await writeFile(at("docs/setup.md"), `export NPM_TOKEN=npm_${"aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5"}\n`);

    const change = await collectChanges({ git: wt.git, base: wt.baseCommit });
    const result = await runGuards({
      change,
      worktreePath: wt.path,
      paths: { allow: ["README.md", "docs/**"], deny: [".github/workflows/**"] },
      limits: { max_files: 3, max_lines: 100 },
    });
    expect(result.ok).toBe(false);
    expect(result.violations.map((v) => `${v.rule} ${v.file ?? ""}`.trim())).toEqual([
      "paths.deny .github/workflows/ci.yml",
      "limits.max_files",
      "symlink docs/passwd",
      "secret.npm-token docs/setup.md",
    ]);
    expect(result.violations.at(-1)).toMatchObject({ line: 1 });

    const fine = await runGuards({
      change: { ...change, files: [], patch: Buffer.alloc(0) },
      worktreePath: wt.path,
    });
    expect(fine).toEqual({ ok: true, violations: [] });
  });

  it("sees through .gitattributes that mark text as binary", async () => {
    await using repo = await makeRepo({ files: { "notes.txt": "old\n" } });
    const git = repo.client();
    await using wt = await createWorktree({ git, task: "t", runId: "1", base: "HEAD", branch: "b" });
    await writeFile(join(wt.path, ".gitattributes"), "* binary\n");
    const token = ["gh", "p_", "x7Kp2RmQ9vLw3NbT5hYc8JdF1gZs6AeU4oMi"].join("");
    await writeFile(join(wt.path, "notes.txt"), `one\ntwo\n${token}\n`);
    await writeFile(join(wt.path, "real.bin"), Buffer.from([0, 1, 2, 3]));

    const change = await collectChanges({ git: wt.git, base: wt.baseCommit });
    const byPath = Object.fromEntries(change.files.map((f) => [f.path, f]));
    expect(byPath["notes.txt"]).toMatchObject({ binary: false, additions: 3, deletions: 1 });
    expect(byPath["real.bin"]).toMatchObject({ binary: true });
    expect(change.patch.toString()).toContain("GIT binary patch"); // the backup patch stays binary-safe
    const result = await runGuards({ change, worktreePath: wt.path, limits: { max_lines: 3 } });
    expect(result.violations.map((v) => `${v.rule} ${v.file ?? ""}`.trim())).toEqual([
      "protected.path .gitattributes", // and .gitattributes itself is a protected file
      "limits.max_lines",
      "secret.github-token notes.txt",
    ]);
  });
});
