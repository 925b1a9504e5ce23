import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildClaudeArgs,
  type DirLister,
  denyRules,
  protectedRoots,
  rulePath,
  scopeAllowedTools,
  splitToolRules,
  toolScope,
} from "../../src/engine/agent/index.ts";
import { makeRepo } from "../support/git-repo.ts";

const WT = "/runner/work/_temp/claude-tasks/worktrees/repo-0123/docs-r1";

describe("scopeAllowedTools", () => {
  it("bare file tools become rules on the worktree; writes go through Edit, the only rule the CLI consults for them", () => {
    expect(
      scopeAllowedTools(["Read", "Edit", "Write", "MultiEdit", "NotebookEdit", "Glob", "Grep"], WT),
    ).toEqual([`Read(/${WT}/**)`, `Edit(/${WT}/**)`, `Glob(/${WT}/**)`, `Grep(/${WT}/**)`]);
  });

  it("rules the task wrote itself and other tools pass unchanged", () => {
    const mine = ["Edit(docs/**)", "Read(./src/**)", "Bash(npm test:*)", "WebSearch", "mcp__x__y"];
    expect(scopeAllowedTools(mine, WT)).toEqual(mine);
  });

  it("a list item naming several tools is split as the CLI splits it, so no bare tool slips through", () => {
    expect(scopeAllowedTools(["Read, Glob", "Write Bash(git log:*)"], WT)).toEqual([
      `Read(/${WT}/**)`,
      `Glob(/${WT}/**)`,
      `Edit(/${WT}/**)`,
      "Bash(git log:*)",
    ]);
  });
});

describe("splitToolRules", () => {
  it("splits at commas and spaces outside parentheses, keeps escaped parentheses", () => {
    expect(splitToolRules(["Bash(npm test:*), Edit", " Read(//a\\(b/**) Grep "])).toEqual([
      "Bash(npm test:*)",
      "Edit",
      "Read(//a\\(b/**)",
      "Grep",
    ]);
  });
});

describe("rulePath", () => {
  it("starts absolute paths with // and escapes what gitignore patterns would read as syntax", () => {
    expect(rulePath("/a b/(x)[y]*?!#\\z")).toBe("//a b/\\(x\\)\\[y\\]\\*\\?\\!\\#\\\\z");
  });
  it("matches a control character or a trailing space with ?", () => {
    expect(rulePath("/a\nb/c ")).toBe("//a?b/c?");
  });
});

describe("denyRules", () => {
  // A runner's layout: the worktree under $RUNNER_TEMP, itself under $HOME.
  const tree: Record<string, string[]> = {
    "/runner": [".ssh", ".gitconfig", "work"],
    "/runner/work": ["_temp", "_actions", "repo"],
    "/runner/work/_temp": ["_runner_file_commands", "claude-tasks"],
    "/runner/work/_temp/claude-tasks": ["worktrees"],
    "/runner/work/_temp/claude-tasks/worktrees": ["repo-0123"],
    "/runner/work/_temp/claude-tasks/worktrees/repo-0123": ["docs-r1", "lint-r1"],
  };
  const fake: DirLister = {
    list: (dir) => tree[dir] ?? [],
    isDir: (p) => p in tree || !p.endsWith(".gitconfig"),
  };

  it("a root apart from the worktree is denied whole, for reading and editing", () => {
    expect(denyRules(WT, ["/proc"], fake)).toEqual(["Read(//proc/**)", "Edit(//proc/**)"]);
  });

  it("a root holding the worktree: every entry beside the path down to it, never the worktree itself", () => {
    const rules = denyRules(WT, ["/runner", "/runner/work/_temp"], fake);
    const denied = rules.filter((r) => r.startsWith("Read(")).map((r) => r.slice(5, -1));
    expect(denied).toEqual([
      "//runner/work/_temp/claude-tasks/worktrees/repo-0123/lint-r1/**",
      "//runner/work/_temp/_runner_file_commands/**",
      "//runner/work/_actions/**",
      "//runner/work/repo/**",
      "//runner/.ssh/**",
      "//runner/.gitconfig",
    ]);
    expect(rules.filter((r) => r.startsWith("Edit("))).toHaveLength(denied.length);
    expect(rules.some((r) => r.includes("docs-r1"))).toBe(false);
  });

  it("a root inside the worktree, or the worktree itself, adds nothing", () => {
    expect(denyRules(WT, [WT, `${WT}/home`], fake)).toEqual([]);
  });
});

describe("protectedRoots and toolScope", () => {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });

  it("find the checkout and git directory of a linked worktree, and HOME, RUNNER_TEMP, /proc", async () => {
    await using repo = await makeRepo();
    const wt = join(repo.root, "wts", "task-1");
    await repo.git("worktree", "add", "--detach", wt);
    const temp = realpathSync(mkdtempSync(join(tmpdir(), "ct-rules-temp-")));
    made.push(temp);
    const roots = protectedRoots(wt, { HOME: join(repo.root, "home"), RUNNER_TEMP: temp });
    expect(roots).toEqual(
      expect.arrayContaining([join(repo.root, "home"), temp, "/proc", join(repo.path, ".git"), repo.path]),
    );
    expect(roots).not.toContain(wt);
  });

  it("the scope of a run in a directory under HOME denies HOME's other entries and keeps the directory usable", () => {
    const home = realpathSync(mkdtempSync(join(tmpdir(), "ct-rules-home-")));
    made.push(home);
    const cwd = join(home, "cache", "wt");
    mkdirSync(cwd, { recursive: true });
    mkdirSync(join(home, ".ssh"));
    writeFileSync(join(home, ".netrc"), "machine x password y\n");
    const scope = toolScope(cwd, { HOME: home });
    expect(scope.worktree).toBe(cwd);
    expect(scope.deny).toEqual(
      expect.arrayContaining([`Read(/${home}/.ssh/**)`, `Read(/${home}/.netrc)`, "Read(//proc/**)"]),
    );
    expect(scope.deny.some((r) => r.includes(`/cache/wt`) || r === `Read(/${home}/**)`)).toBe(false);
  });
});

describe("buildClaudeArgs with a scope", () => {
  it("scopes the allow list and puts the scope's deny rules after the task's own", () => {
    const argv = buildClaudeArgs(
      { allowed_tools: ["Read", "Edit(docs/**)", "Bash(npm test:*)"], disallowed_tools: ["WebFetch"] },
      { worktree: "/w", deny: ["Read(//proc/**)", "Edit(//proc/**)"] },
    );
    expect(argv).toEqual([
      "-p",
      "--output-format",
      "stream-json",
      "--allowedTools",
      "Read(//w/**)",
      "Edit(docs/**)",
      "Bash(npm test:*)",
      "--disallowedTools",
      "WebFetch",
      "Read(//proc/**)",
      "Edit(//proc/**)",
      "--verbose",
    ]);
  });

  it("no allow list: none is invented; the deny rules still apply", () => {
    const argv = buildClaudeArgs({}, { worktree: "/w", deny: ["Read(//proc/**)"] });
    expect(argv).not.toContain("--allowedTools");
    expect(argv).toEqual(expect.arrayContaining(["--disallowedTools", "Read(//proc/**)"]));
  });
});
