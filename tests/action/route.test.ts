import { describe, expect, it } from "vitest";
import { UserError } from "../../src/engine/errors.ts";
import {
  diffChangedFiles,
  matchWatch,
  ownPushReason,
  payloadChangedFiles,
  pushedBranch,
  routeEvent,
  watchedTasks,
  ZERO_SHA,
} from "../../src/engine/event/index.ts";
import { checkPaths } from "../../src/engine/guard/index.ts";
import { makeRepo } from "../support/git-repo.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);
const human = { sender: { login: "octocat", type: "User" }, pusher: { name: "octocat" } };
const commit = (
  files: { added?: string[]; modified?: string[]; removed?: string[] },
  message = "change",
) => ({
  id: B,
  message,
  ...files,
});

describe("routeEvent", () => {
  const route = (
    eventName: string,
    payload: Record<string, unknown> = {},
    tasks: string[] = [],
    mode: "run" | "plan" = "run",
  ) => routeEvent({ eventName, payload, tasks, mode, actor: "octocat" });

  it("schedule: the due tasks, or exactly the named ones (matrix jobs)", () => {
    expect(route("schedule")).toEqual({ kind: "schedule", trigger: "schedule" });
    expect(route("schedule", {}, ["a", "b"])).toEqual({
      kind: "named",
      patterns: ["a", "b"],
      trigger: "schedule by @octocat",
    });
  });

  it("workflow_dispatch: every enabled task, or the named ones", () => {
    expect(route("workflow_dispatch")).toEqual({ kind: "all", trigger: "workflow_dispatch by @octocat" });
    expect(route("workflow_dispatch", {}, ["docs-*"])).toMatchObject({ kind: "named", patterns: ["docs-*"] });
  });

  it("push: files from the payload, ignoring tags, deletions and claude-tasks' own pushes", () => {
    const payload = {
      ref: "refs/heads/main",
      before: A,
      after: B,
      commits: [
        commit({ added: ["src/a.ts"], modified: ["README.md"] }),
        commit({ removed: ["old.md"], modified: ["README.md"] }),
      ],
      ...human,
    };
    expect(route("push", payload)).toEqual({
      kind: "push",
      branch: "main",
      changes: { files: ["README.md", "old.md", "src/a.ts"] },
      trigger: "push bbbbbbb to main by @octocat",
    });
    expect(route("push", { ...payload, ref: "refs/tags/v1" })).toMatchObject({ kind: "ignore" });
    expect(route("push", { ...payload, deleted: true, after: ZERO_SHA })).toMatchObject({ kind: "ignore" });
    expect(
      route("push", { ...payload, sender: { login: "github-actions[bot]", type: "Bot" } }),
    ).toMatchObject({
      kind: "ignore",
      reason: expect.stringMatching(/claude-tasks/),
    });
    const trailer = {
      ...payload,
      head_commit: commit(
        { modified: ["README.md"] },
        "docs: sync\n\nClaude-Tasks-Task: docs-sync\nClaude-Tasks-Run: 1",
      ),
    };
    expect(route("push", trailer)).toMatchObject({
      kind: "ignore",
      reason: expect.stringMatching(/trailer/),
    });
  });

  it("issue_comment: handed to the comment flow; not in plan mode", () => {
    expect(route("issue_comment", { action: "created" })).toEqual({
      kind: "comment",
      event: { action: "created" },
    });
    expect(() => route("issue_comment", {}, [], "plan")).toThrow(UserError);
  });

  it("other events need named tasks", () => {
    expect(() => route("pull_request")).toThrow(/does not say which tasks to run/);
    expect(route("pull_request", {}, ["lint"])).toMatchObject({ kind: "named", patterns: ["lint"] });
  });
});

describe("push payloads", () => {
  it("falls back to git when the payload cannot say", () => {
    const base = { ref: "refs/heads/main", before: A, after: B };
    const diff = { diff: { before: A, after: B } };
    expect(payloadChangedFiles({ ...base, commits: [{ id: B, message: "x" }] })).toMatchObject({
      ...diff,
      reason: expect.stringMatching(/does not list the files/),
    });
    expect(payloadChangedFiles({ ...base, commits: [] })).toMatchObject(diff);
    expect(payloadChangedFiles({ ...base, forced: true, commits: [commit({ added: ["a"] })] })).toMatchObject(
      {
        ...diff,
        reason: "a force push",
      },
    );
    expect(
      payloadChangedFiles({ ...base, commits: Array.from({ length: 2048 }, () => commit({ added: ["a"] })) }),
    ).toMatchObject({
      reason: expect.stringMatching(/truncated/),
    });
    expect(payloadChangedFiles({ ...base, before: ZERO_SHA, created: true, commits: [] })).toEqual({
      diff: { before: null, after: B },
      reason: "a new branch",
    });
  });

  it("knows the pushed branch", () => {
    expect(pushedBranch({ ref: "refs/heads/release/1.x" })).toBe("release/1.x");
    expect(pushedBranch({ ref: "refs/tags/v1" })).toBeUndefined();
  });

  it("recognises its own pushes; other bots and people trigger", () => {
    expect(ownPushReason({ sender: { login: "claude-tasks[bot]", type: "Bot" } })).toMatch(
      /claude-tasks\[bot\]/,
    );
    expect(ownPushReason({ pusher: { name: "github-actions[bot]" } })).toBeDefined();
    expect(
      ownPushReason({ head_commit: { committer: { email: "claude-tasks[bot]@users.noreply.github.com" } } }),
    ).toBeDefined();
    expect(
      ownPushReason({ head_commit: { message: "Squashed (#12)\n\nclaude-tasks-task: docs" } }),
    ).toBeDefined();
    expect(
      ownPushReason({
        sender: { login: "renovate[bot]", type: "Bot" },
        head_commit: { message: "chore: deps" },
      }),
    ).toBeUndefined();
    expect(
      ownPushReason({ ...human, head_commit: { message: "mentions Claude-Tasks-Task: in the middle" } }),
    ).toBeUndefined();
  });

  it("a merge commit of a pull request is its own only when every merged commit carries the trailer", () => {
    const human = { sender: { login: "alice", type: "User" }, pusher: { name: "alice" } };
    const [M, A, B] = ["a", "b", "c"].map((c) => c.repeat(40)) as [string, string, string];
    const merge = {
      id: M,
      message: "Merge pull request #12 from acme/claude-tasks/docs\n\ndocs: sync README",
      committer: { email: "noreply@github.com" },
    };
    const ours = { id: A, message: "docs: sync README\n\nClaude-Tasks-Task: docs\nClaude-Tasks-Run: r1" };
    const theirs = { id: B, message: "fix a typo the bot made" };
    expect(ownPushReason({ ...human, head_commit: merge, commits: [ours, merge] })).toMatch(/merges a pull/);
    // without head_commit, the last listed commit is the head
    expect(ownPushReason({ ...human, commits: [ours, merge] })).toMatch(/merges a pull/);
    expect(ownPushReason({ ...human, head_commit: merge, commits: [ours, theirs, merge] })).toBeUndefined();
    expect(ownPushReason({ ...human, head_commit: merge, commits: [merge] })).toBeUndefined();
    expect(ownPushReason({ ...human, head_commit: merge })).toBeUndefined();
    const feature = { ...merge, message: "Merge pull request #13 from acme/feature" };
    expect(ownPushReason({ ...human, head_commit: feature, commits: [theirs, feature] })).toBeUndefined();
  });
});

describe("watch", () => {
  const task = (name: string, watch: string[], extra: { enabled?: boolean; base?: string } = {}) => ({
    name,
    watch,
    enabled: extra.enabled ?? true,
    base: extra.base,
  });

  it("matches globs (dot files included) and names the files", () => {
    expect(
      matchWatch(["src/cli/**", "*.md"], ["src/cli/a.ts", "src/core/b.ts", "README.md", "docs/x.md"]),
    ).toEqual(["README.md", "src/cli/a.ts"]);
    expect(matchWatch([".github/**"], [".github/workflows/ci.yml"])).toEqual([".github/workflows/ci.yml"]);
    expect(matchWatch([], ["a"])).toEqual([]);
  });

  it("reads a glob as paths.allow does: a folder (`docs/`, `./docs/`) means everything under it", () => {
    const files = ["docs/a.md", "docs/deep/b.md", "docs.md", "src/docs/c.md"];
    for (const glob of ["docs/", "./docs/", "/docs/", "docs/**"]) {
      expect(matchWatch([glob], files), glob).toEqual(["docs/a.md", "docs/deep/b.md"]);
      expect(
        checkPaths(
          {
            files: files.map((path) => ({
              path,
              status: "modified" as const,
              binary: false,
              additions: 1,
              deletions: 0,
              oldMode: "100644",
              newMode: "100644",
            })),
          },
          { allow: [glob], deny: [] },
        ).map((v) => v.file),
        glob,
      ).toEqual(["docs.md", "src/docs/c.md"]);
    }
  });

  it("selects enabled tasks whose base is the pushed branch", () => {
    const tasks = [
      task("cli-docs", ["src/cli/**"]),
      task("off", ["src/**"], { enabled: false }),
      task("dev-only", ["src/**"], { base: "develop" }),
      task("nothing", []),
      task("many", ["**/*.ts"]),
    ];
    const files = ["src/cli/a.ts", "src/cli/b.ts", "src/c.ts", "src/d.ts", "README.md"];
    const got = watchedTasks(tasks, files, { branch: "main", defaultBase: "main" });
    expect(got.map((g) => g.name)).toEqual(["cli-docs", "many"]);
    expect(got[0]!.reason).toBe("push to `main` changed `src/cli/a.ts`, `src/cli/b.ts`");
    expect(got[1]!.reason).toMatch(/and 1 more$/);
    expect(watchedTasks(tasks, files, { branch: "develop", defaultBase: "main" }).map((g) => g.name)).toEqual(
      ["dev-only"],
    );
  });

  it("with the `base` input, every task's base is that branch, as when the tasks run", () => {
    const tasks = [task("on-main", ["src/**"]), task("dev-only", ["src/**"], { base: "develop" })];
    const files = ["src/a.ts"];
    const override = (branch: string) =>
      watchedTasks(tasks, files, { branch, base: "release", defaultBase: "main" }).map((g) => g.name);
    expect(override("release")).toEqual(["on-main", "dev-only"]);
    expect(override("main")).toEqual([]);
    expect(override("develop")).toEqual([]);
  });
});

describe("diffChangedFiles", () => {
  it("compares the two commits, fetching a missing one from the remote", async () => {
    await using repo = await makeRepo({ origin: true, files: { "a.txt": "1\n", "keep.txt": "k\n" } });
    const before = await repo.head();
    await repo.commit("two", { "a.txt": "2\n", "src/new.ts": "x\n" });
    await repo.git("mv", "keep.txt", "moved.txt");
    const after = await repo.commit("three");
    await repo.git("push", "-q", "origin", "HEAD:main");
    // a shallow clone that only has `after`, like actions/checkout
    const shallow = `${repo.root}/shallow`;
    await repo.gitIn(repo.root, "clone", "-q", "--depth=1", `file://${repo.origin}`, shallow);
    const git = repo.client().at(shallow);
    expect(await diffChangedFiles({ git, remote: "origin", before, after })).toEqual([
      "a.txt",
      "keep.txt",
      "moved.txt",
      "src/new.ts",
    ]);
    // a new branch: what its head commit changed
    expect(await diffChangedFiles({ git, remote: "origin", before: null, after })).toEqual(
      expect.arrayContaining(["moved.txt"]),
    );
  });
});
