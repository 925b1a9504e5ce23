/**
 * What the guards see that a plain diff does not: credentials in binary content (behind a NUL byte,
 * in UTF-16), in file names and symlink targets, and in encoded forms; lines hidden behind a NUL
 * byte; bytes; changes too large to hold; files that steer the repository; and a worktree that
 * changes after the checks.
 */
import { execFileSync } from "node:child_process";
import { chmod, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectChanges } from "../../src/engine/git/changes.ts";
import { commitTree } from "../../src/engine/git/commit.ts";
import { createWorktree } from "../../src/engine/git/worktree.ts";
import { runGuards, scanSecrets } from "../../src/engine/guard/index.ts";
import { renderRunText } from "../../src/engine/report/terminal.ts";
import { makeRepo } from "../support/git-repo.ts";

// generated at run time (seeded): no realistic token is written in this file
let seed = 0x7e57;
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const pick = (n: number) => Array.from({ length: n }, () => ALNUM[Math.floor(rand() * 62)]).join("");
const ghToken = () => ["gh", "p_", pick(36)].join("");
const anthropicKey = () => ["sk-", "ant-", "api03-", pick(93), "AA"].join("");

/** A worktree of a fresh repository, the files written into it, and the guards' verdict. */
async function guarded(
  write: (at: (p: string) => string) => Promise<void>,
  opts: { allow?: string[]; limits?: Record<string, number>; files?: Record<string, string> } = {},
) {
  const repo = await makeRepo({ files: opts.files ?? { "README.md": "# r\n" } });
  const wt = await createWorktree({ git: repo.client(), task: "t", runId: "1", base: "HEAD", branch: "b" });
  await write((p) => join(wt.path, p));
  const change = await collectChanges({ git: wt.git, base: wt.baseCommit });
  const result = await runGuards({
    change,
    worktreePath: wt.path,
    paths: { allow: opts.allow ?? ["**"], deny: [] },
    limits: opts.limits ?? {},
  });
  const rules = result.violations.map((v) => `${v.rule}${v.file ? ` ${v.file}` : ""}`);
  return {
    change,
    result,
    rules,
    wt,
    async [Symbol.asyncDispose]() {
      await wt.remove();
      await repo[Symbol.asyncDispose]();
    },
  };
}

const utf16be = (s: string) => Buffer.from(s, "utf16le").swap16();

describe("the credential scan reads what a reader could decode", () => {
  it("binary content: a token after a NUL byte, UTF-16 LE/BE with and without a BOM", async () => {
    const tokens = Array.from({ length: 5 }, ghToken);
    await using g = await guarded(async (at) => {
      await writeFile(
        at("after-nul.bin"),
        Buffer.concat([Buffer.from([0]), Buffer.from(`x ${tokens[0]}\n`)]),
      );
      await writeFile(
        at("random.bin"),
        Buffer.concat([Buffer.from([7, 0, 255, 13]), Buffer.from(tokens[1]!), Buffer.from([0, 1])]),
      );
      await writeFile(
        at("le-bom.txt"),
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`token = ${tokens[2]}\r\n`, "utf16le")]),
      );
      await writeFile(at("le.txt"), Buffer.from(`a\nb\ntoken = ${tokens[3]}\n`, "utf16le"));
      await writeFile(
        at("be-bom.txt"),
        Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(`t: ${tokens[4]}\n`)]),
      );
      await writeFile(at("be.txt"), utf16be(`t: ${tokens[4]}\n`));
    });
    expect(g.change.files.every((f) => f.binary)).toBe(true);
    expect(g.rules.sort()).toEqual(
      [
        "secret.github-token after-nul.bin",
        "secret.github-token be-bom.txt",
        "secret.github-token be.txt",
        "secret.github-token le-bom.txt",
        "secret.github-token le.txt",
        "secret.github-token random.bin",
      ].sort(),
    );
    // the line of a UTF-16 file is its text line
    expect(g.result.violations.find((v) => v.file === "le.txt")?.line).toBe(3);
    for (const v of g.result.violations) for (const t of tokens) expect(v.message).not.toContain(t.slice(4));
  });

  it("a credential already in the old binary content is not reported again", async () => {
    const token = ghToken();
    const old = Buffer.concat([Buffer.from([0]), Buffer.from(`${token}\nold\n`)]);
    await using g = await guarded(
      async (at) => writeFile(at("data.bin"), Buffer.concat([old, Buffer.from("new line\n")])),
      { files: { "data.bin": old as unknown as string } },
    );
    expect(g.rules).toEqual([]);
  });

  it("file names and symlink targets; the name is withheld from every message", async () => {
    const inName = ghToken();
    const inTarget = ghToken();
    await using g = await guarded(
      async (at) => {
        await mkdir(at("docs"));
        await writeFile(at(`docs/${inName}.md`), "hello\n");
        await symlink(`../${inTarget}`, at("docs/link"));
      },
      { allow: ["README.md"] },
    );
    expect(g.rules).toEqual([
      "paths.allow", // docs/<token>.md: outside paths.allow, its name withheld
      "paths.allow docs/link",
      "secret.github-token docs/link", // the link's target, found by the diff scan
      "secret.github-token", // the name
    ]);
    expect(g.result.withheldNames).toEqual([`docs/${inName}.md`]);
    const text = JSON.stringify(g.result.violations);
    expect(text).not.toContain(inName.slice(4));
    expect(text).not.toContain(inTarget.slice(4));
    expect(text).toContain("[name withheld]");
  });

  it("base64 (every alignment), reversed, and split over two lines", () => {
    const diff = (file: string, lines: string[]) =>
      [
        `diff --git a/${file} b/${file}`,
        "new file mode 100644",
        "--- /dev/null",
        `+++ b/${file}`,
        `@@ -0,0 +1,${lines.length} @@`,
        ...lines.map((l) => `+${l}`),
        "",
      ].join("\n");
    const found = (lines: string[]) => scanSecrets(diff("f.txt", lines)).map((f) => `${f.rule}:${f.line}`);
    for (const make of [ghToken, anthropicKey]) {
      for (const pad of ["", "a", "ab"]) {
        const b64 = Buffer.from(`${pad}TOKEN=${make()}\n`).toString("base64");
        expect(found(["x", `data: ${b64}`]), `base64, ${pad.length} byte(s) before`).toHaveLength(1);
        // a base64 run that starts in the middle of a longer encoding
        expect(found([`blob: ${Buffer.from(`${pad}{"k":"${make()}"}`).toString("base64url")}`])).toHaveLength(
          1,
        );
      }
      expect(found([`const s = "${[...make()].reverse().join("")}";`])).toHaveLength(1);
      const t = make();
      for (const cut of [3, 10, 30]) {
        expect(found([`key = "${t.slice(0, cut)}" +`, `  "${t.slice(cut)}";`]), `split at ${cut}`).toEqual([
          expect.stringMatching(/:1$/),
        ]);
        expect(found([`KEY=${t.slice(0, cut)}\\`, `${t.slice(cut)}`])).toHaveLength(1);
      }
    }
    const findings = scanSecrets(diff("f.txt", [`x ${Buffer.from(ghToken()).toString("base64")}`]));
    expect(findings[0]?.message).toBe(
      "`f.txt` line 1 adds what looks like a GitHub token (github-token, base64-encoded)",
    );
  });
});

describe("limits count what they should", () => {
  it("2,000 lines behind one NUL byte count as lines; an image counts none", async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i} of hidden text`).join("\n");
    await using g = await guarded(
      async (at) => {
        await writeFile(at("hidden.dat"), Buffer.concat([Buffer.from([0]), Buffer.from(lines)]));
        await writeFile(
          at("noise.bin"),
          Buffer.from(Array.from({ length: 200_000 }, () => Math.floor(rand() * 256))),
        );
      },
      { limits: { max_lines: 1000 } },
    );
    const byPath = Object.fromEntries(g.change.files.map((f) => [f.path, f]));
    expect(byPath["hidden.dat"]).toMatchObject({ binary: true, additions: 2000, deletions: 0 });
    expect(byPath["noise.bin"]?.additions).toBeLessThan(50);
    expect(g.rules).toEqual(["limits.max_lines"]);
  });

  it("limits.max_bytes counts the bytes of added and changed files (a one-line file too)", async () => {
    await using g = await guarded(async (at) => writeFile(at("one-line.txt"), "x".repeat(3 * 2 ** 20)), {
      limits: { max_lines: 2000, max_bytes: 2 * 2 ** 20 },
    });
    expect(g.change.bytes).toBe(3 * 2 ** 20);
    expect(g.result.violations).toEqual([
      {
        rule: "limits.max_bytes",
        message: "the change adds or rewrites 3.0 MB (3,145,728 bytes), more than limits.max_bytes 2,097,152",
      },
    ]);
  });

  it("a change larger than the memory cap is refused without being buffered", async () => {
    await using repo = await makeRepo();
    await using wt = await createWorktree({
      git: repo.client(),
      task: "t",
      runId: "1",
      base: "HEAD",
      branch: "b",
    });
    await writeFile(join(wt.path, "big.bin"), Buffer.alloc(300_000, 1));
    const change = await collectChanges({ git: wt.git, base: wt.baseCommit, memoryCap: 100_000 });
    expect(change.oversized).toEqual({ bytes: 300_000, cap: 100_000 });
    expect(change.patch.length).toBe(0);
    const result = await runGuards({ change, worktreePath: wt.path });
    expect(result.violations.map((v) => v.rule)).toEqual(["limits.diff_size"]);
    expect(result.violations[0]?.message).toBe(
      "the change is too large to check: its old and new content weigh 0.3 MB, more than the 0.1 MB the engine diffs and scans",
    );
  });

  it("the terminal report of 150,000 files does not overflow the stack", () => {
    const files = Array.from({ length: 150_000 }, (_, i) => ({
      path: `f/${i}.txt`,
      status: "added" as const,
      additions: 1,
      deletions: 0,
      binary: false,
    }));
    const report = {
      runId: "r",
      mode: "local",
      crossConflicts: [],
      durationMs: 1,
      results: [
        {
          task: "t",
          status: "refused",
          message: "m",
          branch: "b",
          base: "main",
          files,
          violations: [],
          conflicts: [],
          attempts: 1,
          durationMs: 1,
          additions: 150_000,
          deletions: 0,
        },
      ],
    };
    const text = renderRunText(report as unknown as Parameters<typeof renderRunText>[0]);
    expect(text).toContain("… 149970 more files");
  });
});

describe("files that steer the repository are refused unless named", () => {
  const STEERING = [
    ".github/CODEOWNERS",
    ".github/actions/setup/action.yml",
    ".github/claude-tasks/evil.yml",
    ".claude/settings.json",
    "pkg/.claude/commands/x.md",
    ".mcp.json",
    ".gitattributes",
    "sub/.gitattributes",
    ".gitmodules",
    "CLAUDE.md",
    "docs/AGENTS.md",
  ];

  it("each protected path, with paths.allow `**`", async () => {
    await using g = await guarded(async (at) => {
      for (const p of STEERING) {
        await mkdir(join(at(p), ".."), { recursive: true });
        await writeFile(at(p), "x\n");
      }
    });
    expect(g.rules.sort()).toEqual(STEERING.map((p) => `protected.path ${p}`).sort());
  });

  it("allowed when paths.allow spells the name out; a wildcard does not count", async () => {
    await using g = await guarded(
      async (at) => {
        for (const p of [".github/CODEOWNERS", "CLAUDE.md", "docs/AGENTS.md", ".gitattributes"]) {
          await mkdir(join(at(p), ".."), { recursive: true });
          await writeFile(at(p), "x\n");
        }
      },
      { allow: [".github/**", "CLAUDE.md", "**/*.md", "*"] },
    );
    expect(g.rules).toEqual(["protected.path .gitattributes", "protected.path docs/AGENTS.md"]);
  });

  it("a deleted or renamed protected file counts too", async () => {
    await using g = await guarded(
      async (at) => {
        execFileSync("git", ["mv", "CLAUDE.md", "notes.md"], { cwd: join(at("."), ".") });
        execFileSync("git", ["rm", "-q", ".github/CODEOWNERS"], { cwd: at(".") });
      },
      { files: { "CLAUDE.md": "rules\nmore rules\nand more\n", ".github/CODEOWNERS": "* @org\n" } },
    );
    expect(g.rules).toEqual(["protected.path .github/CODEOWNERS", "protected.path CLAUDE.md"]);
  });

  it("git links: a repository the agent creates inside the worktree, with and without a commit", async () => {
    await using g = await guarded(async (at) => {
      for (const dir of ["vendor/lib", "empty"]) {
        await mkdir(at(dir), { recursive: true });
        execFileSync("git", ["init", "-q"], { cwd: at(dir) });
      }
      await writeFile(at("vendor/lib/a.txt"), "a\n");
      execFileSync("git", ["add", "a.txt"], { cwd: at("vendor/lib") });
      execFileSync(
        "git",
        ["-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "x", "--no-gpg-sign"],
        { cwd: at("vendor/lib") },
      );
      await writeFile(at("kept.txt"), "still collected\n");
    });
    expect(g.rules).toEqual(["protected.gitlink vendor/lib", "unstaged empty/"]);
    expect(g.change.files.map((f) => f.path).sort()).toEqual(["kept.txt", "vendor/lib"]);
  });

  it("executables: added or made executable, unless a literal pattern names them", async () => {
    const files = { "run.sh": "#!/bin/sh\n", "scripts/build.sh": "#!/bin/sh\n" };
    const write = async (at: (p: string) => string) => {
      await chmod(at("run.sh"), 0o755);
      await chmod(at("scripts/build.sh"), 0o755);
      await writeFile(at("scripts/new.sh"), "#!/bin/sh\n", { mode: 0o755 });
    };
    {
      await using g = await guarded(write, { files });
      expect(g.rules).toEqual([
        "protected.executable run.sh",
        "protected.executable scripts/build.sh",
        "protected.executable scripts/new.sh",
      ]);
    }
    await using named = await guarded(write, { files, allow: ["scripts/**", "**/*.sh"] });
    expect(named.rules).toEqual(["protected.executable run.sh"]);
  });
});

describe("the commit is the checked tree", () => {
  it("a file changed or added after collectChanges does not reach the commit", async () => {
    await using repo = await makeRepo({ files: { "a.txt": "a\n" } });
    await using wt = await createWorktree({
      git: repo.client(),
      task: "t",
      runId: "1",
      base: "HEAD",
      branch: "b",
    });
    await writeFile(join(wt.path, "a.txt"), "checked\n");
    const change = await collectChanges({ git: wt.git, base: wt.baseCommit });
    const guards = await runGuards({ change, worktreePath: wt.path, paths: { allow: ["a.txt"], deny: [] } });
    expect(guards.ok).toBe(true);
    // after the checks: an edit, a new workflow, and a staged one
    await writeFile(join(wt.path, "a.txt"), "changed after the checks\n");
    await mkdir(join(wt.path, ".github/workflows"), { recursive: true });
    await writeFile(join(wt.path, ".github/workflows/pwn.yml"), "on: push\n");
    await wt.git.run(["add", "-A"]);
    const commit = await commitTree({
      git: wt.git,
      tree: change.tree,
      base: wt.baseCommit,
      subject: "s",
      task: "t",
      runId: "1",
    });
    expect(commit).toBeDefined();
    expect(await repo.git("rev-parse", `${commit}^{tree}`)).toBe(change.tree);
    expect(await repo.git("ls-tree", "-r", "--name-only", commit!)).toBe("a.txt");
    expect(await repo.git("show", `${commit}:a.txt`)).toBe("checked");
    expect(await repo.git("rev-parse", `${commit}^`)).toBe(wt.baseCommit);
    // the worktree is left as it was (a rebase starts by resetting it to the commit: see rebaseOnto)
    expect((await wt.git.run(["rev-parse", "HEAD"])).stdout.trim()).toBe(wt.baseCommit);
  });
});
