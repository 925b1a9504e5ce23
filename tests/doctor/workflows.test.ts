/** Workflow checks: which workflows run claude-tasks, actionlint results, permissions, the token, the tick. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkActionlint,
  checkActionsToken,
  checkCiToken,
  checkScheduleReach,
  checkWorkflowPermissions,
  parseWorkflow,
  reachOf,
} from "../../src/engine/doctor/index.ts";
import type { ScheduledTask } from "../../src/engine/schedule/index.ts";

const wf = (text: string, path = ".github/workflows/ct.yml") => parseWorkflow({ path, text });

const ACTION_JOB = (permissions: string, withBlock = "") => `name: ct
on:
  schedule:
    - cron: "*/15 * * * *"
  workflow_dispatch:
${permissions}
jobs:
  run:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: claude-tasks/claude-tasks@v1
${withBlock}`;

describe("parseWorkflow", () => {
  it("finds the Action, the reusable workflow and the CLI; reads crons, events and permissions", () => {
    const a = wf(ACTION_JOB("permissions:\n  contents: write\n  pull-requests: write"));
    expect(a).toMatchObject({
      usesClaudeTasks: true,
      crons: ["*/15 * * * *"],
      events: ["schedule", "workflow_dispatch"],
    });
    expect(a.jobs).toEqual([
      {
        id: "run",
        permissions: { contents: "write", "pull-requests": "write" },
        needs: ["contents", "pull-requests"],
        wants: [],
        prToken: "workflow",
      },
    ]);
    const org = wf(readFileSync("templates/workflows/claude-tasks-org.yml", "utf8"));
    expect(org.usesClaudeTasks).toBe(true);
    expect(org.jobs[0]?.id).toBe("tasks");
    const cli = wf(
      "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: npx claude-tasks validate\n",
    );
    expect(cli).toMatchObject({ usesClaudeTasks: true, jobs: [] });
    expect(
      wf("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo hi\n").usesClaudeTasks,
    ).toBe(false);
  });

  it("a plan-mode step needs contents only; comment workflows would like issues: write", () => {
    const plan = wf(ACTION_JOB("", "        with:\n          mode: plan\n"));
    expect(plan.jobs[0]?.needs).toEqual(["contents"]);
    const comments = wf(readFileSync("templates/workflows/claude-tasks-comments.yml", "utf8"));
    expect(comments.jobs[0]?.wants).toEqual(["issues"]);
  });

  it("job permissions win over the workflow's; a broken file is reported, not thrown", () => {
    const text = `on: push\npermissions: read-all\njobs:\n  a:\n    permissions: write-all\n    runs-on: x\n    steps:\n      - uses: me/claude-tasks@main\n`;
    expect(wf(text).jobs[0]?.permissions).toBe("write-all");
    expect(wf("on: [push\njobs: {").parseError).toBeTruthy();
  });
});

describe("checkActionlint", () => {
  const ours = [wf(ACTION_JOB(""))];
  it("no claude-tasks workflow: a warning that says how to add one", () => {
    expect(checkActionlint([wf("on: push\njobs: {}\n")], () => [])).toMatchObject({
      status: "warn",
      fix: expect.stringMatching(/init --template none --workflows schedule/),
    });
  });
  it("clean, findings, or no linter", () => {
    expect(checkActionlint(ours, () => []).status).toBe("ok");
    const r = checkActionlint(ours, (file) => [
      { file, line: 3, column: 7, message: "bad cron", kind: "events" },
    ]);
    expect(r).toMatchObject({ status: "fail", details: [".github/workflows/ct.yml:3:7: bad cron [events]"] });
    expect(checkActionlint(ours, undefined, "actionlint could not be loaded").status).toBe("warn");
  });
});

describe("checkWorkflowPermissions", () => {
  it("ok / missing scopes fail / undeclared warns / write-all is enough", () => {
    expect(
      checkWorkflowPermissions([wf(ACTION_JOB("permissions:\n  contents: write\n  pull-requests: write"))])
        .status,
    ).toBe("ok");
    const missing = checkWorkflowPermissions([wf(ACTION_JOB("permissions:\n  contents: write"))]);
    expect(missing).toMatchObject({
      status: "fail",
      details: [".github/workflows/ct.yml job `run`: needs pull-requests: write"],
    });
    expect(checkWorkflowPermissions([wf(ACTION_JOB("permissions: {}"))]).status).toBe("fail");
    expect(checkWorkflowPermissions([wf(ACTION_JOB(""))]).status).toBe("warn");
    expect(checkWorkflowPermissions([wf(ACTION_JOB("permissions: write-all"))]).status).toBe("ok");
    expect(checkWorkflowPermissions([]).status).toBe("skip");
  });
  it("the shipped workflow templates pass", () => {
    const all = [
      "claude-tasks.yml",
      "claude-tasks-comments.yml",
      "claude-tasks-push.yml",
      "claude-tasks-org.yml",
    ].map((f) => wf(readFileSync(`templates/workflows/${f}`, "utf8"), `.github/workflows/${f}`));
    expect(checkWorkflowPermissions(all)).toMatchObject({ status: "ok" });
  });
});

describe("checkCiToken", () => {
  const PERMS = "permissions:\n  contents: write\n  pull-requests: write";
  const withToken = (expr: string) => `        with:\n          github-token: \${{ ${expr} }}\n`;

  it("the workflow's own token (the default, or spelled out): CI will not start, and how to fix it", () => {
    for (const job of [
      ACTION_JOB(PERMS),
      ACTION_JOB(PERMS, withToken("github.token")),
      ACTION_JOB(PERMS, withToken("secrets.GITHUB_TOKEN")),
    ]) {
      const r = checkCiToken([wf(job)]);
      expect(r.status).toBe("warn");
      expect(r.message).toMatch(/workflow's own GITHUB_TOKEN: CI will not start/);
      expect(r.fix).toMatch(
        /actions\/create-github-app-token.*fine-grained personal access token.*`github-token`/,
      );
      expect(r.details).toEqual([".github/workflows/ct.yml job `run`"]);
    }
  });

  it("an App token or a personal token: ok; plan-only jobs open no pull request", () => {
    expect(checkCiToken([wf(ACTION_JOB(PERMS, withToken("steps.app-token.outputs.token")))]).status).toBe(
      "ok",
    );
    expect(checkCiToken([wf(ACTION_JOB(PERMS, withToken("secrets.CLAUDE_TASKS_TOKEN")))]).status).toBe("ok");
    expect(checkCiToken([wf(ACTION_JOB("", "        with:\n          mode: plan\n"))]).status).toBe("skip");
  });

  it("the shipped templates take an App or a token; the reusable workflow without them warns", () => {
    const all = [
      "claude-tasks.yml",
      "claude-tasks-comments.yml",
      "claude-tasks-push.yml",
      "claude-tasks-org.yml",
    ].map((f) => wf(readFileSync(`templates/workflows/${f}`, "utf8"), `.github/workflows/${f}`));
    expect(checkCiToken(all)).toMatchObject({ status: "ok" });
    const bare = readFileSync("templates/workflows/claude-tasks-org.yml", "utf8").replace(
      /\n\s*(# CI on the pull requests[^\n]*|CLAUDE_TASKS_[A-Z_]+:[^\n]*)/g,
      "",
    );
    expect(checkCiToken([wf(bare)])).toMatchObject({
      status: "warn",
      details: [".github/workflows/ct.yml job `tasks`"],
    });
  });
});

describe("checkActionsToken", () => {
  const workflows = [wf(ACTION_JOB("permissions:\n  contents: write\n  pull-requests: read"))];
  const env = {
    GITHUB_ACTIONS: "true",
    GITHUB_WORKFLOW_REF: "o/r/.github/workflows/ct.yml@refs/heads/main",
    GITHUB_JOB: "run",
  };
  it("skips outside Actions", () => {
    expect(checkActionsToken({ env: {}, workflows }).status).toBe("skip");
  });
  it("says what this job declares, and fails on a missing scope", () => {
    const r = checkActionsToken({ env: { ...env, GITHUB_TOKEN: "ghs_secret" }, workflows });
    expect(r.status).toBe("fail");
    expect(r.message).toContain("job `run` declares contents: write, pull-requests: read");
    expect(JSON.stringify(r)).not.toContain("ghs_secret");
  });
  it("warns when the token is not in the environment", () => {
    const ok = [wf(ACTION_JOB("permissions:\n  contents: write\n  pull-requests: write"))];
    expect(checkActionsToken({ env, workflows: ok })).toMatchObject({
      status: "warn",
      fix: expect.stringMatching(/github\.token/),
    });
    expect(checkActionsToken({ env: { ...env, GITHUB_TOKEN: "x" }, workflows: ok }).status).toBe("ok");
  });
});

describe("checkScheduleReach", () => {
  const now = new Date("2026-03-01T00:00:00Z");
  const task = (schedule: string, over: Partial<ScheduledTask> = {}): ScheduledTask => ({
    name: "t",
    schedule,
    timezone: "UTC",
    missed: "once",
    enabled: true,
    ...over,
  });
  const ticks = (cron: string) => [{ workflow: ".github/workflows/ct.yml", cron }];

  it("on the tick: ok (DST-shifting zones included when the tick is fine enough)", () => {
    expect(
      checkScheduleReach({ tasks: [task("0 6 * * 1-5")], ticks: ticks("*/15 * * * *"), now }).status,
    ).toBe("ok");
    expect(
      checkScheduleReach({
        tasks: [task("30 6 * * *", { timezone: "Europe/Berlin" })],
        ticks: ticks("*/15 * * * *"),
        now,
      }).status,
    ).toBe("ok");
  });

  it("between ticks: a warning with how late", () => {
    const r = checkScheduleReach({ tasks: [task("7 6 * * *")], ticks: ticks("*/15 * * * *"), now });
    expect(r.status).toBe("warn");
    expect(r.details?.[0]).toMatch(/fires at minutes the tick never hits: it runs up to 8m late/);
  });

  it("more often than the tick: a warning about batching", () => {
    const r = checkScheduleReach({ tasks: [task("every 5m")], ticks: ticks("*/15 * * * *"), now });
    expect(r.details).toEqual([
      expect.stringMatching(/runs up to 10m late/),
      expect.stringMatching(/up to 3 fire times share one tick \(batched by `missed: once`\)/),
    ]);
  });

  it("missed: skip with a tick more than an hour later never runs: a failure", () => {
    const r = checkScheduleReach({
      tasks: [task("0 7 * * *", { missed: "skip" })],
      ticks: ticks("0 6 * * *"),
      now,
    });
    expect(r.status).toBe("fail");
    expect(r.details?.[0]).toMatch(/never runs/);
    expect(reachOf(task("0 7 * * *", { missed: "skip" }), ["0 6 * * *"], { now, samples: 5 })).toMatchObject({
      dropped: 5,
      maxLateMinutes: 23 * 60,
    });
  });

  it("no tick at all, or no scheduled task", () => {
    expect(checkScheduleReach({ tasks: [task("@daily")], ticks: [], now })).toMatchObject({
      status: "warn",
      fix: expect.stringMatching(/--workflows schedule/),
    });
    expect(checkScheduleReach({ tasks: [task("@daily", { enabled: false })], ticks: [], now }).status).toBe(
      "skip",
    );
  });
});
