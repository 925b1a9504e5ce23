import { afterEach, describe, expect, it } from "vitest";
import { parseConfigFiles, type Task } from "../../src/engine/config/index.ts";
import {
  adhocTask,
  type CommentFlowOptions,
  type CommentRunRequest,
  diffBlock,
  handleComment,
  type IssueCommentEvent,
} from "../../src/engine/event/index.ts";
import { newResult } from "../../src/engine/run/result.ts";
import type { RunReport, TaskResult } from "../../src/engine/run/types.ts";
import { type Harness, startHarness, TOKEN } from "../github/helpers.ts";
import { newId, nodeId, now } from "../support/github-fake/model.ts";

let h: Harness;
afterEach(async () => {
  await h?.fake.close();
});

const LINKS = {
  runUrl: "https://github.com/acme/widgets/actions/runs/7",
  serverUrl: "https://github.com",
  repository: "acme/widgets",
};

function configured(): Task[] {
  const loaded = parseConfigFiles([
    { path: ".github/claude-tasks/docs-sync.yml", text: "prompt: sync the docs\n" },
    { path: ".github/claude-tasks/lint-fix.yml", text: "run: npm run lint -- --fix\n" },
  ]);
  return loaded.tasks;
}

function seedIssue(state: Harness["fake"]["state"], title = "Typo in README"): number {
  const id = newId(state);
  const number = state.nextNumber++;
  state.issues.set(number, {
    number,
    id,
    nodeId: nodeId("I", id),
    title,
    body: null,
    state: "open",
    user: state.owner,
    labels: [],
    assignees: [],
    createdAt: now(),
    updatedAt: now(),
    closedAt: null,
    pull: null,
  });
  return number;
}

function event(
  issueNumber: number,
  commentId: number,
  body: string,
  o: { login?: string; type?: string; action?: string; pr?: boolean } = {},
): IssueCommentEvent {
  return {
    action: o.action ?? "created",
    comment: { id: commentId, body, user: { login: o.login ?? "alice", type: o.type ?? "User" } },
    issue: { number: issueNumber, ...(o.pr ? { pull_request: { url: "x" } } : {}) },
  };
}

function report(result: Partial<TaskResult> & { task: string }): RunReport {
  const r: TaskResult = {
    ...newResult(result.task, result.branch ?? `claude-tasks/${result.task}`, "main"),
    status: "success",
    message: "done",
    ...result,
  };
  return {
    version: 1,
    runId: "r1",
    mode: "pr",
    startedAt: now(),
    durationMs: 5,
    results: [r],
    crossConflicts: [],
    totalCostUsd: 0,
    ok: r.status === "success",
  };
}

interface Run {
  requests: CommentRunRequest[];
  options: CommentFlowOptions;
}

function flow(
  ev: IssueCommentEvent,
  execute?: (req: CommentRunRequest) => Promise<RunReport>,
  patch?: string,
): Run {
  const requests: CommentRunRequest[] = [];
  const options: CommentFlowOptions = {
    event: ev,
    command: "/claude-tasks",
    gh: h.gh,
    loadTasks: async () => ({ tasks: configured(), problems: [] }),
    adhocTask: async (o) => adhocTask({ ...o, configDir: ".github/claude-tasks" }),
    execute: async (req) => {
      requests.push(req);
      return execute ? execute(req) : report({ task: req.tasks[0]!.name });
    },
    patchOf: async () => patch,
    links: LINKS,
    progressIntervalMs: 0,
  };
  return { requests, options };
}

const comments = () => [...h.fake.state.comments.values()];
const reactions = () => h.fake.state.reactions.map((r) => r.content);

describe("comment commands", () => {
  it("ignores edits, bots and comments not addressed to it, without any API call", async () => {
    h = await startHarness();
    const n = seedIssue(h.fake.state);
    for (const ev of [
      event(n, 1, "/claude-tasks run docs-sync", { action: "edited" }),
      event(n, 2, "/claude-tasks run docs-sync", { login: "claude-tasks[bot]", type: "Bot" }),
      event(n, 3, "/claude-tasks run docs-sync", { login: "dependabot[bot]" }),
      event(n, 4, "thanks!"),
    ]) {
      const r = await handleComment(flow(ev).options);
      expect(r.status).toBe("ignored");
    }
    expect(h.fake.calls).toEqual([]);
  });

  it("refuses people without write permission: a 😕, no reply, nothing runs", async () => {
    h = await startHarness();
    const n = seedIssue(h.fake.state);
    h.fake.addCollaborator("mallory", "triage");
    h.fake.addUser("stranger");
    for (const login of ["mallory", "stranger"]) {
      const c = h.fake.seedComment(n, "/claude-tasks fix everything", login);
      const run = flow(event(n, c.id, c.body, { login }));
      const r = await handleComment(run.options);
      expect(r).toMatchObject({
        status: "refused",
        reason: expect.stringMatching(new RegExp(`@${login} has (triage|read|none)`)),
      });
      expect(run.requests).toEqual([]);
    }
    expect(reactions()).toEqual(["confused", "confused"]);
    expect(comments().filter((c) => c.user !== "mallory" && c.user !== "stranger")).toEqual([]);
  });

  it("answers help and invalid commands after 👀", async () => {
    h = await startHarness();
    const n = seedIssue(h.fake.state);
    h.fake.addCollaborator("alice", "write");
    const c1 = h.fake.seedComment(n, "/claude-tasks help", "alice");
    expect(await handleComment(flow(event(n, c1.id, c1.body)).options)).toMatchObject({ status: "answered" });
    const c2 = h.fake.seedComment(n, "/claude-tasks run docs-sync --force", "alice");
    expect(await handleComment(flow(event(n, c2.id, c2.body)).options)).toMatchObject({ status: "answered" });
    expect(reactions()).toEqual(["eyes", "eyes"]);
    const replies = comments().filter((c) => c.user === h.fake.state.viewer);
    expect(replies[0]!.body).toMatch(/`\/claude-tasks run <task> \[--dry-run\]`/);
    expect(replies[1]!.body).toMatch(/⚠️ unknown option `--force`/);
  });

  it("an unknown task gets a suggestion in the progress reply", async () => {
    h = await startHarness();
    const n = seedIssue(h.fake.state);
    h.fake.addCollaborator("alice", "admin");
    const c = h.fake.seedComment(n, "/claude-tasks run docs-synk", "alice");
    const run = flow(event(n, c.id, c.body));
    expect(await handleComment(run.options)).toMatchObject({ status: "answered" });
    expect(run.requests).toEqual([]);
    const reply = comments().find((x) => x.user === h.fake.state.viewer)!;
    expect(reply.body).toMatch(/unknown task `docs-synk`, did you mean `docs-sync`\?/);
  });

  it("runs a task on an issue: its own pull request, one reply updated in place", async () => {
    h = await startHarness();
    const n = seedIssue(h.fake.state);
    h.fake.addCollaborator("alice", "maintain");
    const c = h.fake.seedComment(n, "/claude-tasks run docs-sync", "alice");
    const run = flow(event(n, c.id, c.body), async (req) => {
      req.progress("running Claude Code");
      await new Promise((r) => setTimeout(r, 20));
      return report({
        task: "docs-sync",
        pr: { action: "created", number: 9, url: "https://github.com/acme/widgets/pull/9" },
      });
    });
    const r = await handleComment(run.options);
    expect(r.status).toBe("ran");
    expect(run.requests[0]).toMatchObject({
      dryRun: false,
      publish: true,
      trigger: `comment by @alice on #${n}`,
    });
    expect(run.requests[0]!.onto).toBeUndefined();
    expect(run.requests[0]!.tasks.map((t) => t.name)).toEqual(["docs-sync"]);
    const replies = comments().filter((x) => x.user === h.fake.state.viewer);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toMatch(/`docs-sync` — success/);
    expect(replies[0]!.body).toContain("Pull request: https://github.com/acme/widgets/pull/9");
    expect(replies[0]!.body).toContain(LINKS.runUrl);
    expect(h.fake.callCount({ operation: "issues/update-comment" })).toBeGreaterThanOrEqual(1);
  });

  it("an ad-hoc task on an issue closes it from its pull request", async () => {
    h = await startHarness();
    const n = seedIssue(h.fake.state);
    h.fake.addCollaborator("alice", "write");
    const c = h.fake.seedComment(n, "/claude-tasks fix the typo in README\n\nThe word is 'teh'.", "alice");
    const run = flow(event(n, c.id, c.body));
    await handleComment(run.options);
    const task = run.requests[0]!.tasks[0]!;
    expect(task.name).toBe(`adhoc-${c.id}`);
    expect(task.branch).toBe(`claude-tasks/adhoc-${c.id}`);
    expect(task.kind).toBe("claude");
    expect(task.prompt).toBe("fix the typo in README\n\nThe word is 'teh'.");
    expect(task.pr.body).toBe(`Closes #${n}\n\nRequested by @alice in #${n}.`);
    expect(task.pr.title).toBe("claude-tasks: fix the typo in README");
    expect(task.paths.deny).toContain(".github/workflows/**");
  });

  it("on a pull request from the same repository: commits onto its branch, settings from the base", async () => {
    h = await startHarness();
    h.fake.addCollaborator("alice", "write");
    const pr = h.fake.seedPull({ head: "feature/x", base: "main" });
    const c = h.fake.seedComment(pr.number, "/claude-tasks add tests for the parser", "alice");
    const run = flow(event(pr.number, c.id, c.body, { pr: true }), async (req) =>
      report({
        task: req.tasks[0]!.name,
        branch: "feature/x",
        commit: "abcdef1234567890abcdef1234567890abcdef12",
      }),
    );
    await handleComment(run.options);
    const req = run.requests[0]!;
    expect(req).toMatchObject({
      dryRun: false,
      publish: false,
      onto: { branch: "feature/x" },
      base: "main",
      trustedConfig: { source: "main", paths: [".claude", ".mcp.json", "CLAUDE.md", "CLAUDE.local.md"] },
    });
    expect(req.onto?.fetchRef).toBeUndefined();
    expect(req.tasks[0]!.pr.body).not.toMatch(/Closes/);
    const reply = comments().find((x) => x.user === h.fake.state.viewer)!;
    expect(reply.body).toContain(
      "Pushed [`abcdef1`](https://github.com/acme/widgets/commit/abcdef1234567890abcdef1234567890abcdef12) onto `feature/x`.",
    );
  });

  it("on a fork's pull request: never pushed, a dry run with the diff in the reply", async () => {
    h = await startHarness();
    h.fake.addCollaborator("alice", "write");
    const pr = h.fake.seedPull({ head: "main", base: "main", forkOwner: "eve" });
    const c = h.fake.seedComment(pr.number, "/claude-tasks run docs-sync", "alice");
    const patch =
      "diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-old\n+new ```` fence\n";
    const run = flow(
      event(pr.number, c.id, c.body, { pr: true }),
      async (req) => report({ task: req.tasks[0]!.name, backup: "r1-docs-sync" }),
      patch,
    );
    await handleComment(run.options);
    expect(run.requests[0]).toMatchObject({
      dryRun: true,
      publish: false,
      onto: { branch: "main", fetchRef: `refs/pull/${pr.number}/head` },
    });
    const reply = comments().find((x) => x.user === h.fake.state.viewer)!.body;
    expect(reply).toContain(
      `comes from a fork, so this was a dry run: \`docs-sync\` ran on the fork's code at \`${pr.pull!.headSha.slice(0, 12)}\`, and nothing was pushed. The change it made:`,
    );
    expect(reply).toContain("`````diff\ndiff --git a/README.md");
  });

  it("on a fork's pull request, a change holding a credential: no diff, no agent text, where but never what", async () => {
    h = await startHarness();
    h.fake.addCollaborator("alice", "write");
    const pr = h.fake.seedPull({ head: "patch-1", base: "main", forkOwner: "eve" });
    const c = h.fake.seedComment(pr.number, "/claude-tasks run lint-fix", "alice");
    const token = "ghp_Zq3vN8xLp2Rt6Yw9Kd4Hs7Jm1Bc5Fg0Ae2Ui";
    const b64rev = [...Buffer.from(`DEPLOY=${token}\n`).toString("base64")].reverse().join("");
    const patch = `diff --git a/env.txt b/env.txt\nnew file mode 100644\n--- /dev/null\n+++ b/env.txt\n@@ -0,0 +1,2 @@\n+DEPLOY=${token}\n+${b64rev}\n`;
    let patchRead = false;
    const run = flow(event(pr.number, c.id, c.body, { pr: true }), async (req) =>
      report({
        task: req.tasks[0]!.name,
        status: "refused",
        message:
          "the change broke 1 guard rail: `env.txt` line 1 adds what looks like a GitHub token (github-token)",
        baseCommit: "f00dfeed".repeat(5),
        backup: "r1-lint-fix",
        agent: {
          kind: "command",
          status: "success",
          summary: `wrote env.txt\nDEPLOY=${token}\n${b64rev}`,
          durationMs: 3,
          transient: false,
        },
        files: [{ path: "env.txt", status: "A", additions: 2, deletions: 0, binary: false }],
        violations: [
          {
            rule: "secret.github-token",
            file: "env.txt",
            line: 1,
            message: "`env.txt` line 1 adds what looks like a GitHub token (github-token)",
          },
        ],
      }),
    );
    run.options.patchOf = async () => {
      patchRead = true;
      return patch;
    };
    await handleComment(run.options);
    const reply = comments().find((x) => x.user === h.fake.state.viewer)!.body;
    expect(patchRead).toBe(false);
    const sent = JSON.stringify(h.fake.calls.map((x) => x.body));
    for (const leak of [token, token.slice(4, 20), b64rev, b64rev.slice(8, 40), "wrote env.txt"])
      expect(sent).not.toContain(leak);
    expect(reply).toMatch(/env\.txt.* line 1 adds what looks like a GitHub token/);
    expect(reply).toContain("holds what looks like a credential");
    expect(reply).toContain(`this was a dry run: \`lint-fix\` ran on the fork's code at \`f00dfeedf00d\``);
    expect(reply).toContain("refused by the guards, so it is not shown");
    expect(reply).not.toContain("```diff");
  });

  it("any comment body holding a credential or a known secret is replaced by a notice before it is sent", async () => {
    h = await startHarness();
    const n = seedIssue(h.fake.state);
    const token = "ghp_Zq3vN8xLp2Rt6Yw9Kd4Hs7Jm1Bc5Fg0Ae2Ui";
    const own = TOKEN;
    const leaks = [
      `see ${token}`,
      `mine: ${[...Buffer.from(`T=${own}`).toString("base64")].reverse().join("")}`,
    ];
    for (const body of leaks) {
      const reply = await h.gh.createComment(n, body);
      await h.gh.updateComment(reply.id, `again\n${body}`);
    }
    const sent = JSON.stringify(h.fake.calls.map((x) => x.body));
    for (const body of leaks) expect(sent).not.toContain(body.split(" ")[1]);
    expect(comments().map((x) => x.body)).toEqual([
      expect.stringMatching(/^🛡️ claude-tasks withheld this comment: .*\(github-token; line 2 of the text\)/),
      expect.stringMatching(/^🛡️ claude-tasks withheld this comment: .*\(known-secret; line 2 of the text\)/),
    ]);
  });

  it("a closed pull request is not worked on", async () => {
    h = await startHarness();
    h.fake.addCollaborator("alice", "write");
    const pr = h.fake.seedPull({ head: "feature/y", state: "closed" });
    const c = h.fake.seedComment(pr.number, "/claude-tasks run docs-sync", "alice");
    const run = flow(event(pr.number, c.id, c.body, { pr: true }));
    expect(await handleComment(run.options)).toMatchObject({ status: "answered" });
    expect(run.requests).toEqual([]);
  });

  it("a failure ends the reply with the error, and is rethrown", async () => {
    h = await startHarness();
    const n = seedIssue(h.fake.state);
    h.fake.addCollaborator("alice", "write");
    const c = h.fake.seedComment(n, "/claude-tasks run docs-sync", "alice");
    const run = flow(event(n, c.id, c.body), async () => {
      throw new Error("no credentials for Claude Code");
    });
    await expect(handleComment(run.options)).rejects.toThrow(/no credentials/);
    const reply = comments().find((x) => x.user === h.fake.state.viewer)!;
    expect(reply.body).toMatch(/^❌ claude-tasks failed: no credentials for Claude Code/);
  });
});

describe("diffBlock", () => {
  it("uses a fence longer than any backtick run and cuts long diffs", () => {
    expect(diffBlock("+a ``` b\n")).toContain("````diff\n+a ``` b\n````");
    const long = diffBlock(`${"+x\n".repeat(20_000)}`);
    expect(long.length).toBeLessThan(41_000);
    expect(long).toMatch(/longer than 40000 characters/);
  });
});
