/**
 * `doctor` on real repositories, healthy and broken in different ways: real git, the real config
 * loader, real actionlint (WASM). Only `claude --version` is injected, so the result does not depend
 * on what is installed on the machine running the tests.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CheckResult, runDoctor } from "../../src/engine/doctor/index.ts";
import { stateDir, worktreesDir, writeBackup } from "../../src/engine/git/index.ts";
import { cli } from "../support/cli.ts";
import { makeRepo, type TestRepo } from "../support/git-repo.ts";

const claudeOk = async () => ({ available: true as const, version: "2.1.329", path: "/opt/claude" });
const SCHEDULE_WORKFLOW = readFileSync("templates/workflows/claude-tasks.yml", "utf8");

const byId = (checks: CheckResult[]) => Object.fromEntries(checks.map((c) => [c.id, c]));

async function doctor(repo: TestRepo | string, env: Record<string, string | undefined> = {}, extra = {}) {
  return runDoctor({
    cwd: typeof repo === "string" ? repo : repo.path,
    env: { PATH: process.env.PATH, HOME: "/nonexistent-home", ...env },
    claude: claudeOk,
    now: new Date("2026-11-20T12:00:00Z"),
    ...extra,
  });
}

describe("doctor on real repositories", () => {
  it("a healthy repository: every check passes or does not apply", async () => {
    await using repo = await makeRepo({
      files: {
        ".github/claude-tasks/docs.yml":
          'prompt: "Fix the docs. If nothing to do, change nothing."\nschedule: "0 6 * * 1-5"\nagent: { allowed_tools: [Read, Edit] }\npaths: { allow: ["docs/**"] }\n',
        ".github/claude-tasks/fmt.yml": 'run: "true"\nschedule: "@daily"\n',
        ".github/workflows/claude-tasks.yml": SCHEDULE_WORKFLOW,
        ".github/workflows/ci.yml":
          "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n",
      },
    });
    const report = await doctor(repo, { ANTHROPIC_API_KEY: "sk-ant-xyz-secret" });
    const c = byId(report.checks);
    expect(
      report.ok,
      JSON.stringify(
        report.checks.filter((x) => x.status !== "ok"),
        null,
        1,
      ),
    ).toBe(true);
    for (const id of [
      "node",
      "git",
      "sandbox",
      "claude",
      "credentials",
      "tasks",
      "workflows",
      "permissions",
      "schedule-reach",
      "worktrees",
      "history",
      "state-ref",
    ]) {
      expect(c[id]?.status, id).toBe("ok");
    }
    expect(c.token?.status).toBe("skip");
    expect(c.workflows?.message).toBe(".github/workflows/claude-tasks.yml: no problems");
    expect(JSON.stringify(report)).not.toContain("sk-ant-xyz-secret");
  });

  it("a repository broken in every way: each failure names its fix", async () => {
    await using repo = await makeRepo({
      files: {
        ".github/claude-tasks/docs.yml": 'prompt: "x"\nschedul: "@daily"\n',
        ".github/claude-tasks/late.yml": 'prompt: "y"\nschedule: "0 7 * * *"\nmissed: skip\n',
        ".github/workflows/claude-tasks.yml":
          'on:\n  schedule:\n    - cron: "0 6 * * *"\n    - cron: "61 * * * *"\npermissions:\n  contents: read\njobs:\n  run:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: claude-tasks/claude-tasks@v1\n',
      },
    });
    const git = repo.client();
    const state = await stateDir(git);
    // A leftover worktree: under the worktree folder, with no live owner.
    await repo.git(
      "worktree",
      "add",
      "-q",
      "--detach",
      join(worktreesDir(state), "docs-20260101-000000-aaaa"),
      "HEAD",
    );
    // A damaged schedule state ref.
    const blob = (await git.run(["hash-object", "-w", "--stdin"], { input: "{ not json" })).stdout.trim();
    const tree = (await git.run(["mktree"], { input: `100644 blob ${blob}\tstate.json\n` })).stdout.trim();
    const commit = (await git.run(["commit-tree", tree, "-m", "state"])).stdout.trim();
    await repo.git("update-ref", "refs/claude-tasks/state", commit);
    // Three backups of one task, with a retention of one.
    for (const [i, runId] of [
      "20261101-000000-aaaa",
      "20261102-000000-bbbb",
      "20261103-000000-cccc",
    ].entries()) {
      await writeBackup({
        stateDir: state,
        runId,
        task: "late",
        base: await repo.head(),
        reason: "run result",
        patch: Buffer.from(`diff --git a/x${i} b/x${i}\n`),
      });
    }

    const report = await doctor(repo, {}, { retention: { keep: 1 } });
    const c = byId(report.checks);
    expect(report.ok).toBe(false);
    expect(c.credentials).toMatchObject({ status: "fail", fix: expect.stringMatching(/ANTHROPIC_API_KEY/) });
    expect(c.tasks).toMatchObject({
      status: "fail",
      details: [expect.stringMatching(/docs\.yml:2:1: unknown key `schedul`, did you mean `schedule`\?/)],
    });
    expect(c.workflows?.status).toBe("fail");
    expect(c.workflows?.details?.join("\n")).toMatch(
      /claude-tasks\.yml:4:\d+: invalid CRON format "61 \* \* \* \*"/,
    );
    expect(c.permissions).toMatchObject({
      status: "fail",
      details: [expect.stringMatching(/needs contents: write, pull-requests: write/)],
    });
    expect(c["schedule-reach"]).toMatchObject({
      status: "fail",
      details: [expect.stringMatching(/`late` .* never runs/)],
    });
    expect(c.worktrees).toMatchObject({ status: "warn", fix: expect.stringMatching(/worktrees --prune/) });
    expect(c.history).toMatchObject({
      status: "warn",
      message: expect.stringMatching(/3 backup\(s\).*are 2 backup\(s\)/),
    });
    expect(c["state-ref"]).toMatchObject({
      status: "fail",
      fix: expect.stringMatching(/git push origin :refs\/claude-tasks\/state/),
    });
    for (const check of report.checks) if (check.status === "fail") expect(check.fix, check.id).toBeTruthy();
  });

  it("a readable state ref is summarised", async () => {
    await using repo = await makeRepo({ files: { ".github/claude-tasks/a.yml": 'run: "true"\n' } });
    const git = repo.client();
    const json = JSON.stringify({
      version: 1,
      updatedAt: "2026-11-20T06:00:00.000Z",
      tasks: { a: { until: "2026-11-20T06:00:00.000Z" } },
    });
    const blob = (await git.run(["hash-object", "-w", "--stdin"], { input: json })).stdout.trim();
    const tree = (await git.run(["mktree"], { input: `100644 blob ${blob}\tstate.json\n` })).stdout.trim();
    await repo.git(
      "update-ref",
      "refs/claude-tasks/state",
      (await git.run(["commit-tree", tree, "-m", "s"])).stdout.trim(),
    );
    const c = byId((await doctor(repo)).checks);
    expect(c["state-ref"]?.message).toMatch(
      /^refs\/claude-tasks\/state \([0-9a-f]{7}\): 1 task\(s\), updated 2026-11-20T06:00:00.000Z$/,
    );
    expect(c.workflows).toMatchObject({ status: "warn", fix: expect.stringMatching(/--workflows schedule/) });
  });

  it("outside a git repository: git-only checks are skipped, the missing tasks fail with init", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ct-doctor-nogit-"));
    try {
      const c = byId((await doctor(dir)).checks);
      expect(c.tasks).toMatchObject({ status: "fail", fix: expect.stringMatching(/claude-tasks init/) });
      expect(c.worktrees?.status).toBe("skip");
      expect(c.history?.status).toBe("skip");
      expect(c["state-ref"]?.status).toBe("skip");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("the CLI: icons and fixes on a terminal-less stdout, --json, exit 1 on a failure", async () => {
    await using repo = await makeRepo({ files: { ".github/claude-tasks/a.yml": 'prompt: "x"\n' } });
    const env = { CLAUDE_TASKS_CLAUDE: "/nonexistent/claude" };
    const text = cli(["doctor"], { cwd: repo.path, env });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^✅ Node\.js/m);
    expect(text.stdout).toMatch(/^❌ Claude Code CLI +\/nonexistent\/claude not found/m);
    expect(text.stdout).toMatch(/^ {5}fix: install it with `npm install -g @anthropic-ai\/claude-code`/m);
    expect(text.stdout).toMatch(/^⚠️ workflows \(actionlint\)/m);
    expect(text.stdout).not.toContain("\u001b[");
    const json = cli(["doctor", "--json"], { cwd: repo.path, env });
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.ok).toBe(false);
    expect(report.checks.map((x: CheckResult) => x.id)).toEqual([
      "node",
      "git",
      "sandbox",
      "claude",
      "credentials",
      "tasks",
      "workflows",
      "permissions",
      "ci",
      "schedule-reach",
      "token",
      "worktrees",
      "history",
      "state-ref",
      "local-schedule",
    ]);
  });
});
