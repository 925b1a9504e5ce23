/**
 * The Action's wiring in process: which engine options each event produces (the engine replaced by a
 * recorder), with a real repository and the fake GitHub.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ActionIO } from "../../src/action/io.ts";
import { runAction } from "../../src/action/run-action.ts";
import type { RunTasksOptions } from "../../src/engine/run/options.ts";
import { newResult } from "../../src/engine/run/result.ts";
import type { RunReport } from "../../src/engine/run/types.ts";
import { makeRepo, type TestRepo } from "../support/git-repo.ts";
import { type GitHubFake, startGitHubFake } from "../support/github-fake/index.ts";
import { commentPayload } from "./harness.ts";

const TOKEN = "ghs_runActionTestToken000000000000000000";
let fake: GitHubFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function recorder(inputs: Record<string, string>) {
  const outputs: Record<string, string> = {};
  const secrets: string[] = [];
  const log: string[] = [];
  const summary: string[] = [];
  const io: ActionIO = {
    getInput: (n) => inputs[n] ?? "",
    setSecret: (s) => secrets.push(s),
    setOutput: (k, v) => {
      outputs[k] = v;
    },
    appendSummary: async (m) => {
      summary.push(m);
    },
    annotate: (level, m) => log.push(`${level}: ${m}`),
    logger: {
      debug() {},
      info: (m) => log.push(m),
      warn: (m) => log.push(`warning: ${m}`),
      error: (m) => log.push(`error: ${m}`),
    },
    uploadArtifact: async () => {
      throw new Error("no artifacts here");
    },
  };
  return { io, outputs, secrets, log, summary };
}

function engine() {
  const calls: RunTasksOptions[] = [];
  const runTasks = async (opts: RunTasksOptions): Promise<RunReport> => {
    calls.push(opts);
    const results = opts.plan.tasks
      .map((p) => opts.tasks.find((t) => t.name === p.name)!)
      .map((t) => ({
        ...newResult(t.name, opts.onto?.branch ?? t.branch, opts.base ?? "main"),
        status: "success" as const,
        message: "ok",
      }));
    return {
      version: 1,
      runId: "r1",
      mode: opts.mode,
      startedAt: "2026-03-10T06:00:00.000Z",
      durationMs: 1,
      results,
      crossConflicts: [],
      totalCostUsd: 0,
      ok: true,
    };
  };
  return { calls, runTasks };
}

function env(repo: TestRepo, event: string, payload: unknown, extra: Record<string, string> = {}) {
  const dir = join(repo.root, `event-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  const bin = join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "claude"), "#!/bin/sh\n");
  chmodSync(join(bin, "claude"), 0o755);
  writeFileSync(join(dir, "event.json"), JSON.stringify(payload));
  return {
    PATH: `${bin}:/usr/bin:/bin`,
    ...repo.env,
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: join(dir, "event.json"),
    GITHUB_REPOSITORY: "acme/widgets",
    GITHUB_WORKSPACE: repo.path,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: fake?.url ?? "http://127.0.0.1:9",
    GITHUB_RUN_ID: "77",
    GITHUB_TOKEN: "ghs_fromTheEnvironment",
    ...extra,
  };
}

const FILES = {
  ".github/claude-tasks/docs.yml": 'prompt: "update the docs"\nschedule: "@hourly"\n',
  ".github/claude-tasks/fmt.yml": 'run: "npm run fmt"\nneeds: [docs]\n',
};

describe("runAction wiring", () => {
  it("a comment on a same-repository PR: onto its branch, base settings, a publisher only to sign the commit, key but no token for agents", async () => {
    await using repo = await makeRepo({ origin: true, files: FILES });
    fake = await startGitHubFake({ owner: "acme", repo: "widgets", token: TOKEN });
    fake.addCollaborator("alice", "write");
    const pr = fake.seedPull({ head: "feature/x", base: "main" });
    const c = fake.seedComment(pr.number, "/claude-tasks run docs", "alice");
    const { calls, runTasks } = engine();
    const rec = recorder({ "github-token": TOKEN, "anthropic-api-key": "sk-ant-1", "max-parallel": "2" });
    const out = await runAction({
      io: rec.io,
      env: env(
        repo,
        "issue_comment",
        commentPayload({ issue: pr.number, commentId: c.id, body: c.body, login: "alice", pr: true }),
      ),
      engine: { runTasks },
    });
    expect(out.ok).toBe(true);
    const o = calls[0]!;
    expect(o).toMatchObject({
      repoRoot: repo.path,
      mode: "pr",
      remote: "origin",
      base: "main",
      maxParallel: 2,
      onto: { branch: "feature/x" },
      trustedConfig: { source: "main" },
      trigger: `comment by @alice on #${pr.number}`,
    });
    // it opens no PR (onto runs never publish); it makes the commit through GitHub's API, which signs it
    expect(o.publisher?.signer).toBeDefined();
    expect(o.plan.tasks.map((t) => t.name)).toEqual(["docs"]);
    expect(o.claudePath).toMatch(/\/bin\/claude$/);
    expect(o.env?.ANTHROPIC_API_KEY).toBe("sk-ant-1");
    expect(o.env?.GITHUB_TOKEN).toBeUndefined();
    expect(Object.keys(o.env ?? {}).filter((k) => k.startsWith("INPUT_"))).toEqual([]);
    expect(o.gitEnv?.GIT_CONFIG_VALUE_0).toMatch(/^AUTHORIZATION: basic /);
    expect(rec.secrets).toEqual(expect.arrayContaining([TOKEN, "sk-ant-1"]));
    expect(JSON.parse(rec.outputs.results!)).toHaveLength(1);
  });

  it("a comment on a fork's PR: a dry run from refs/pull/N/head, base settings, no publisher", async () => {
    await using repo = await makeRepo({ origin: true, files: FILES });
    fake = await startGitHubFake({ owner: "acme", repo: "widgets", token: TOKEN });
    fake.addCollaborator("alice", "write");
    const pr = fake.seedPull({ head: "patch-1", base: "main", forkOwner: "eve" });
    const c = fake.seedComment(pr.number, "/claude-tasks run fmt", "alice");
    const { calls, runTasks } = engine();
    const rec = recorder({ "github-token": TOKEN });
    const out = await runAction({
      io: rec.io,
      env: env(
        repo,
        "issue_comment",
        commentPayload({ issue: pr.number, commentId: c.id, body: c.body, login: "alice", pr: true }),
      ),
      engine: { runTasks },
    });
    expect(out.ok).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      mode: "dry-run",
      base: "main",
      onto: { branch: "patch-1", fetchRef: `refs/pull/${pr.number}/head` },
      trustedConfig: { source: "main" },
    });
    expect(calls[0]!.publisher).toBeUndefined();
  });

  it("schedule in a dry run: reads the state without claiming, passes fire times, runs in dependency order", async () => {
    await using repo = await makeRepo({ origin: true, files: FILES });
    const { calls, runTasks } = engine();
    const rec = recorder({ "dry-run": "true", "anthropic-api-key": "k" });
    await runAction({
      io: rec.io,
      env: env(repo, "schedule", { schedule: "*/15 * * * *" }),
      engine: { runTasks },
      now: () => new Date("2026-03-10T06:05:00Z"),
    });
    const o = calls[0]!;
    expect(o.mode).toBe("dry-run");
    expect(o.plan.tasks.map((t) => t.name)).toEqual(["docs"]);
    expect(o.plan.tasks.map((t) => [t.name, t.fireTimes])).toEqual([["docs", ["2026-03-10T06:00:00.000Z"]]]);
    expect(o.trigger).toBe("schedule 2026-03-10T06:05Z");
    expect(o.publisher).toBeUndefined(); // no token: a dry run reports without GitHub
    expect(await repo.git("ls-remote", "origin", "refs/claude-tasks/state")).toBe("");
    expect(rec.summary.join("")).toMatch(/dry run: the schedule state was read, not claimed/);
  });

  it("schedule without credentials fails before claiming anything", async () => {
    await using repo = await makeRepo({ origin: true, files: FILES });
    const { calls, runTasks } = engine();
    const rec = recorder({});
    const e = env(repo, "schedule", {});
    await expect(
      runAction({ io: rec.io, env: e, engine: { runTasks }, now: () => new Date("2026-03-10T06:05:00Z") }),
    ).rejects.toThrow(/no credentials for Claude Code, needed by `docs`/);
    expect(calls).toEqual([]);
    expect(await repo.git("ls-remote", "origin", "refs/claude-tasks/state")).toBe("");
  });

  it("dispatch with named tasks and a base: a publisher for the PRs", async () => {
    await using repo = await makeRepo({ origin: true, files: FILES });
    const { calls, runTasks } = engine();
    const rec = recorder({ "github-token": TOKEN, tasks: "fmt", base: "main" });
    await runAction({
      io: rec.io,
      env: env(repo, "workflow_dispatch", {}, { GITHUB_ACTOR: "octocat" }),
      engine: { runTasks },
    });
    expect(calls[0]).toMatchObject({ mode: "pr", base: "main", trigger: "workflow_dispatch by @octocat" });
    expect(calls[0]!.plan.tasks.map((t) => t.name)).toEqual(["fmt"]);
    expect(calls[0]!.publisher).toBeDefined();
    expect(calls[0]!.claudePath).toBeUndefined(); // command tasks need no Claude Code
  });

  it("an ordinary comment is ignored without a token", async () => {
    await using repo = await makeRepo({ origin: true, files: FILES });
    const { calls, runTasks } = engine();
    const rec = recorder({});
    const out = await runAction({
      io: rec.io,
      env: env(repo, "issue_comment", commentPayload({ issue: 1, commentId: 5, body: "LGTM", login: "bob" })),
      engine: { runTasks },
    });
    expect(out).toMatchObject({ ok: true, ignored: expect.stringMatching(/does not start with/) });
    expect(calls).toEqual([]);
    expect(rec.outputs.results).toBe("[]");
  });
});
