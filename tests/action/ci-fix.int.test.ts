/**
 * Self-healing pull requests end to end (dist/action.js with GITHUB_EVENT_NAME=workflow_run, a bare
 * origin, the fake GitHub with its Actions jobs and log downloads, the real Claude Code on the scripted
 * model): a failed CI run on a task's branch becomes a fix commit on top of the branch, with the failing
 * job's cleaned log in the prompt; the next failure finds the task out of attempts and comments; a
 * branch someone else pushed to is refused with a comment.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commitAll } from "../../src/engine/git/commit.ts";
import { type ModelServer, startModelServer } from "../support/model-server.ts";
import { type E2E, originRefs, results, startE2E, TOKEN } from "./harness.ts";

const TASK_DIR = ".github/claude-tasks";
const BRANCH = "claude-tasks/fix-calc";
const SECRET_IN_LOG = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A";

/** The task's branch as an earlier run left it: one claude-tasks commit on main. */
async function taskBranch(e2e: E2E): Promise<string> {
  const clone = await e2e.repo.clone();
  writeFileSync(join(clone, "calc.txt"), "2\n");
  const git = e2e.repo.client({ cwd: clone });
  const sha = await commitAll({ git, subject: "claude-tasks: fix-calc", task: "fix-calc", runId: "r1" });
  await e2e.repo.gitIn(clone, "push", "-q", "origin", `${sha}:refs/heads/${BRANCH}`);
  return sha!;
}

function failedRun(e2e: E2E, headSha: string) {
  const id = e2e.fake.seedWorkflowRun({
    headBranch: BRANCH,
    headSha,
    workflowName: "CI",
    jobs: [
      {
        name: "test",
        conclusion: "failure",
        log: [
          "2026-12-02T10:00:00.0000000Z ##[group]Run npm test",
          "2026-12-02T10:00:01.0000000Z \u001b[31mFAIL\u001b[0m calc.test: expected calc.txt to hold 3, got 2",
          `2026-12-02T10:00:01.5000000Z token=${SECRET_IN_LOG}`,
          "2026-12-02T10:00:02.0000000Z ##[error]Process completed with exit code 1.",
        ].join("\n"),
      },
      { name: "lint", conclusion: "success", log: "LINT-LOG-NEVER-READ" },
    ],
  });
  return {
    action: "completed",
    workflow_run: {
      id,
      name: "CI",
      conclusion: "failure",
      head_branch: BRANCH,
      head_sha: headSha,
      head_repository: { full_name: "acme/widgets" },
    },
    repository: { full_name: "acme/widgets", default_branch: "main" },
    sender: { login: "github-actions[bot]", type: "Bot" },
  };
}

const replies = (e2e: E2E) =>
  [...e2e.fake.state.comments.values()].filter((c) => c.user === e2e.fake.state.viewer).map((c) => c.body);

describe("self-healing pull requests (dist/action.js, workflow_run)", () => {
  it("a failed run becomes a fix commit on the branch; the next failure is out of attempts; another's commit is refused", async () => {
    let server: ModelServer | undefined;
    try {
      const srv = await startModelServer((req) => {
        const context = JSON.stringify([req.body.system, req.body.messages]);
        const cwd = /[Ww]orking directory: ([^\s"\\]+)/.exec(context)?.[1];
        if (!cwd) return { text: "No working directory." };
        if (req.index === 0)
          return { tool: "Write", input: { file_path: `${cwd}/calc.txt`, content: "3\n" } };
        return { text: "calc.txt now holds 3." };
      });
      server = srv;
      await using e2e = await startE2E({
        [`${TASK_DIR}/fix-calc.yml`]:
          "prompt: Keep calc.txt right.\nci_fix:\n  max_attempts: 1\nagent:\n  allowed_tools: [Read, Write, Edit]\n",
      });
      const first = await taskBranch(e2e);
      const pr = e2e.fake.seedPull({ head: BRANCH, title: "claude-tasks: fix-calc" });
      const env = { ANTHROPIC_BASE_URL: srv.url, CLAUDE_CODE_MAX_RETRIES: "1" };
      const inputs = { "anthropic-api-key": "sk-ant-e2e-dummy" };

      // 1. CI failed on the task's commit: a fix on top, marked as attempt 1
      const r1 = await e2e.run({ event: "workflow_run", payload: failedRun(e2e, first), inputs, env });
      expect(r1.code, r1.stdout + r1.stderr).toBe(0);
      expect(results(r1.outputs)).toMatchObject([{ task: "fix-calc", status: "success", branch: BRANCH }]);
      const fix = (await originRefs(e2e))[`refs/heads/${BRANCH}`]!;
      expect(fix).not.toBe(first);
      expect(await e2e.repo.gitIn(e2e.repo.origin!, "rev-parse", `${fix}^`)).toBe(first); // on top, no force
      expect(await e2e.repo.gitIn(e2e.repo.origin!, "show", `${fix}:calc.txt`)).toBe("3");
      const message = await e2e.repo.gitIn(e2e.repo.origin!, "log", "-1", "--format=%B", fix);
      expect(message).toMatch(/^Fix CI: claude-tasks: fix-calc\n/);
      expect(message).toMatch(/^Claude-Tasks-CI-Fix: 1$/m);
      expect(replies(e2e).at(-1)).toMatch(
        /🔧 CI failed; claude-tasks pushed a fix onto `claude-tasks\/fix-calc`: `[0-9a-f]{7}` \(attempt 1 of 1\)/,
      );

      // the prompt held the failing job's log, cleaned, fenced and marked as untrusted; nothing else
      const prompt = JSON.stringify(srv.mainRequests[0]?.body?.messages);
      expect(prompt).toContain("Keep calc.txt right.");
      expect(prompt).toContain("UNTRUSTED DATA");
      expect(prompt).toContain("FAIL calc.test: expected calc.txt to hold 3, got 2");
      expect(prompt).toContain("##[error]Process completed with exit code 1.");
      expect(prompt).not.toContain("\\u001b");
      expect(prompt).not.toContain("2026-12-02T10:00:01");
      expect(prompt).not.toContain(SECRET_IN_LOG);
      expect(prompt).not.toContain("LINT-LOG-NEVER-READ");
      // the log came from the download host, without the token
      expect(e2e.fake.downloads).toEqual([
        { path: expect.stringMatching(/^\/job-logs\/\d+$/), authorization: false },
      ]);
      const sent = JSON.stringify(srv.requests.map((q) => q.body));
      expect(sent).not.toContain(TOKEN);

      // 2. CI fails again on the fix: out of attempts, a comment, no agent run, nothing pushed
      const requests = srv.mainRequests.length;
      const before = await originRefs(e2e);
      const r2 = await e2e.run({ event: "workflow_run", payload: failedRun(e2e, fix), inputs, env });
      expect(r2.code, r2.stdout + r2.stderr).toBe(0);
      expect(r2.stdout).toMatch(/out of CI fix attempts \(1 of 1\)/);
      expect(srv.mainRequests.length).toBe(requests);
      expect(await originRefs(e2e)).toEqual(before);
      expect(replies(e2e).at(-1)).toMatch(/made its 1 fix attempt already \(`ci_fix.max_attempts`\)/);

      // 3. someone pushed to the branch: refused with a comment, whatever the attempts
      const clone = await e2e.repo.clone();
      await e2e.repo.gitIn(clone, "fetch", "-q", "origin", BRANCH);
      await e2e.repo.gitIn(clone, "checkout", "-q", "FETCH_HEAD");
      writeFileSync(join(clone, "notes.txt"), "mine\n");
      await e2e.repo.gitIn(clone, "add", "-A");
      await e2e.repo.gitIn(clone, "commit", "-q", "-m", "a human's commit");
      await e2e.repo.gitIn(clone, "push", "-q", "origin", `HEAD:refs/heads/${BRANCH}`);
      const human = await e2e.repo.gitIn(clone, "rev-parse", "HEAD");
      const r3 = await e2e.run({ event: "workflow_run", payload: failedRun(e2e, human), inputs, env });
      expect(r3.code, r3.stdout + r3.stderr).toBe(0);
      expect(r3.stdout).toMatch(/has commits not made by claude-tasks/);
      expect(srv.mainRequests.length).toBe(requests);
      expect((await originRefs(e2e))[`refs/heads/${BRANCH}`]).toBe(human);
      expect(replies(e2e).at(-1)).toMatch(
        /the branch has commits not made by claude-tasks \(`[0-9a-f]{7}`: authored by/,
      );
      expect(e2e.fake.openPulls(BRANCH).map((p) => p.number)).toEqual([pr.number]);
    } finally {
      await server?.close();
    }
  }, 240_000); // three runs of the Action, one with Claude Code

  it("ignores a success, a fork's run, a task without ci_fix and another branch, with no API write", async () => {
    await using e2e = await startE2E({
      [`${TASK_DIR}/fix-calc.yml`]: "prompt: Keep calc.txt right.\n",
    });
    const tip = await taskBranch(e2e);
    e2e.fake.seedPull({ head: BRANCH, title: "claude-tasks: fix-calc" });
    const base = failedRun(e2e, tip);
    const cases = [
      {
        payload: { ...base, workflow_run: { ...base.workflow_run, conclusion: "success" } },
        reason: /ended with success/,
      },
      {
        payload: {
          ...base,
          workflow_run: { ...base.workflow_run, head_repository: { full_name: "eve/widgets" } },
        },
        reason: /a fork's branch/,
      },
      {
        payload: { ...base, workflow_run: { ...base.workflow_run, head_sha: "1".repeat(40) } },
        reason: /does not fix CI/,
      },
      {
        payload: { ...base, workflow_run: { ...base.workflow_run, head_branch: "feature" } },
        reason: /is no task's branch/,
      },
    ];
    for (const { payload, reason } of cases) {
      const r = await e2e.run({ event: "workflow_run", payload });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(reason);
    }
    expect(e2e.fake.callCount({ writes: true })).toBe(0);
  });
});
