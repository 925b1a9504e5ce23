/**
 * The Action as an adapter, with the engine replaced by a recorder: each entry point records its call
 * and returns a canned result. No repository, no GitHub: this checks the wiring alone — which inputs
 * and event reach `resolveRun`, that the plan it returns is what `runTasks` executes, and what the
 * outputs and summary say. (`run-action.test.ts` wires the real engine to a repository.)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ActionEngine } from "../../src/action/engine.ts";
import type { ActionIO } from "../../src/action/io.ts";
import { runAction } from "../../src/action/run-action.ts";
import { parseConfigFiles, type Task } from "../../src/engine/config/index.ts";
import type { CommentFlowOptions } from "../../src/engine/event/comment-flow.ts";
import { type ResolvedRun, type ResolveRunInput, resolveRun } from "../../src/engine/event/resolve-run.ts";
import { buildPlan } from "../../src/engine/plan/index.ts";
import type { Project } from "../../src/engine/project.ts";
import type { RunTasksOptions } from "../../src/engine/run/options.ts";
import { newResult } from "../../src/engine/run/result.ts";
import type { RunReport } from "../../src/engine/run/types.ts";

const TOKEN = "ghs_adapterTestToken0000000000000000000000";
const NOW = new Date("2026-03-10T06:05:00Z");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const TASKS: Task[] = parseConfigFiles([
  { path: ".github/claude-tasks/docs.yml", text: 'run: "make docs"\nschedule: "@hourly"\n' },
  { path: ".github/claude-tasks/fmt.yml", text: 'run: "npm run fmt"\nneeds: [docs]\n' },
  { path: ".github/claude-tasks/ask.yml", text: 'prompt: "answer"\n' },
]).tasks;

/** The canned run `resolveRun` returns: `docs` then `fmt`, with a fire time and a note. */
const CANNED: ResolvedRun = {
  plan: buildPlan({
    tasks: TASKS,
    selected: [
      { name: "docs", reason: "fired", fireTimes: [new Date("2026-03-10T06:00:00Z")] },
      { name: "fmt", reason: "fired" },
    ],
    now: NOW,
  }),
  tasks: TASKS,
  notes: ["`docs`: fired"],
  warnings: ["the state was damaged"],
  trigger: "schedule 2026-03-10T06:05Z",
  runId: "20260310-060500-abcd",
  dryRun: false,
  publish: true,
};

function recorder(o: {
  inputs?: Record<string, string>;
  event: string;
  payload?: unknown;
  run?: ResolvedRun;
  /** The ledger's answer per task (default: admitted). */
  refuse?: Record<string, string>;
}) {
  const workspace = mkdtempSync(join(tmpdir(), "adapter-")); // not a repository: nothing may need one
  dirs.push(workspace);
  writeFileSync(join(workspace, "event.json"), JSON.stringify(o.payload ?? {}));
  const outputs: Record<string, string> = {};
  const summary: string[] = [];
  const annotations: string[] = [];
  const calls: { resolveRun: ResolveRunInput[]; runTasks: RunTasksOptions[]; loadProject: unknown[] } = {
    resolveRun: [],
    runTasks: [],
    loadProject: [],
  };
  const io: ActionIO = {
    getInput: (n) => ({ isolation: "none", ...o.inputs })[n] ?? "",
    setSecret() {},
    setOutput: (k, v) => {
      outputs[k] = v;
    },
    appendSummary: async (m) => {
      summary.push(m);
    },
    annotate: (level, m) => annotations.push(`${level}: ${m}`),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    uploadArtifact: async () => ({}),
  };
  const engine: Partial<ActionEngine> = {
    loadProject: async (opts) => {
      calls.loadProject.push(opts);
      return {
        repoRoot: workspace,
        configDir: ".github/claude-tasks",
        tasks: TASKS,
        problems: [],
        locate: () => ({}),
      } as unknown as Project;
    },
    resolveRun: async (input) => {
      calls.resolveRun.push(input);
      return o.run ?? CANNED;
    },
    runTasks: async (opts) => {
      calls.runTasks.push(opts);
      return report(opts);
    },
    createRunControl: () => ({
      gatesStart: () => true,
      admit: async ({ task }) =>
        o.refuse?.[task.name] ? { ok: false, kind: "budget", reason: o.refuse[task.name]! } : { ok: true },
      settle: async () => {},
      settleInPush: async () => undefined,
      releaseHeld: async () => {},
    }),
  };
  const env = {
    GITHUB_EVENT_NAME: o.event,
    GITHUB_EVENT_PATH: join(workspace, "event.json"),
    GITHUB_REPOSITORY: "acme/widgets",
    GITHUB_WORKSPACE: workspace,
    GITHUB_RUN_ID: "77",
    GITHUB_ACTOR: "octocat",
    RUNNER_TEMP: workspace,
    PATH: "/usr/bin:/bin",
  };
  const run = () => runAction({ io, env, engine, now: () => NOW });
  return { run, engine, calls, outputs, summary, annotations, workspace };
}

function report(opts: RunTasksOptions): RunReport {
  return {
    version: 1,
    runId: opts.runId ?? "r",
    mode: opts.mode,
    startedAt: NOW.toISOString(),
    durationMs: 1,
    results: opts.plan.tasks.map((p) => ({
      ...newResult(p.name, `claude-tasks/${p.name}`, "main"),
      status: "success" as const,
    })),
    crossConflicts: [],
    totalCostUsd: 0,
    ok: true,
  };
}

describe("the Action adapter, with a recorder for the engine", () => {
  it("schedule: the event and inputs reach resolveRun; runTasks executes the very plan it returned", async () => {
    const r = recorder({
      event: "schedule",
      inputs: { "github-token": TOKEN, base: "main", "max-parallel": "3" },
      payload: { repository: { default_branch: "trunk" } },
    });
    const out = await r.run();
    expect(r.calls.loadProject).toEqual([
      { cwd: r.workspace, configDir: ".github/claude-tasks", env: expect.any(Object) },
    ]);
    expect(r.calls.resolveRun).toHaveLength(1);
    expect(r.calls.resolveRun[0]).toMatchObject({
      decision: { kind: "schedule" },
      tasks: TASKS,
      now: NOW,
      dryRun: false,
      peek: false,
      planOnly: false,
      base: "main",
      defaultBranch: "trunk",
      remote: "origin",
    });
    expect(r.calls.runTasks).toHaveLength(1);
    const o = r.calls.runTasks[0]!;
    expect(o.plan).toBe(CANNED.plan);
    expect(o.tasks).toBe(CANNED.tasks);
    expect(o).toMatchObject({
      repoRoot: r.workspace,
      mode: "pr",
      trigger: "schedule 2026-03-10T06:05Z",
      runId: "20260310-060500-abcd",
      remote: "origin",
      base: "main",
      maxParallel: 3,
      isolation: "none",
    });
    expect(o.publisher).toBeDefined();
    expect(o.gitEnv?.GIT_CONFIG_VALUE_0).toMatch(/^AUTHORIZATION: basic /);
    expect(out).toMatchObject({ ok: true, plan: CANNED.plan });
    expect(JSON.parse(r.outputs.results!).map((x: { task: string }) => x.task)).toEqual(["docs", "fmt"]);
    expect(r.summary.join("")).toContain("`docs`: fired");
    expect(r.annotations).toEqual(["warning: the state was damaged"]);
  });

  it("the credentials check runs before the claim: a Claude task without a key refuses", async () => {
    const r = recorder({ event: "schedule", inputs: { mode: "plan" } });
    await r.run();
    const { beforeClaim } = r.calls.resolveRun[0]!;
    const ask = TASKS.filter((t) => t.name === "ask");
    expect(() => beforeClaim!(ask)).toThrow(/no credentials for Claude Code, needed by `ask`/);
    expect(() => beforeClaim!(TASKS.filter((t) => t.kind === "command"))).not.toThrow();
  });

  it("mode plan: the matrix of the plan, nothing run", async () => {
    const r = recorder({ event: "schedule", inputs: { mode: "plan" } });
    await r.run();
    expect(r.calls.resolveRun[0]).toMatchObject({ planOnly: true, peek: false });
    expect(r.calls.runTasks).toEqual([]);
    expect(JSON.parse(r.outputs.matrix!)).toEqual({ include: [{ group: "docs", tasks: "docs fmt" }] });
  });

  it("mode plan: a task the ledger refuses leaves the matrix, and the summary says why", async () => {
    const reason =
      "refused by budget: the task's daily budget of $1.00 would be exceeded ($1.00 spent today)";
    const r = recorder({ event: "schedule", inputs: { mode: "plan" }, refuse: { fmt: reason } });
    await r.run();
    expect(JSON.parse(r.outputs.matrix!)).toEqual({ include: [{ group: "docs", tasks: "docs" }] });
    expect(r.summary.join("\n")).toContain(`\`fmt\` not run: ${reason}`);
  });

  it("mode run-only: the state is only read, tasks run without landing, each result handed over", async () => {
    const r = recorder({ event: "schedule", inputs: { mode: "run-only" } });
    const exported: unknown[] = [];
    r.engine.exportResults = async (o) => {
      exported.push(o.report.runId);
      return [];
    };
    await r.run();
    expect(r.calls.resolveRun[0]).toMatchObject({ peek: true, dryRun: false });
    expect(r.calls.runTasks[0]).toMatchObject({ mode: "dry-run", tipsFromRemote: true });
    expect(r.calls.runTasks[0]!.publisher).toBeUndefined();
    expect(exported).toEqual(["20260310-060500-abcd"]);
  });

  it("a dry run: passed on, and nothing needs a token", async () => {
    const r = recorder({
      event: "workflow_dispatch",
      inputs: { "dry-run": "true" },
      run: { ...CANNED, dryRun: true },
    });
    await r.run();
    expect(r.calls.resolveRun[0]).toMatchObject({ decision: { kind: "all" }, dryRun: true, peek: true });
    expect(r.calls.runTasks[0]).toMatchObject({ mode: "dry-run" });
    expect(r.calls.runTasks[0]!.publisher).toBeUndefined();
  });

  it("an empty plan runs nothing and says so", async () => {
    const empty = { ...CANNED, plan: buildPlan({ tasks: TASKS, selected: [], now: NOW }), notes: [] };
    const r = recorder({
      event: "push",
      payload: { ref: "refs/heads/main", after: "a".repeat(40), commits: [] },
      run: empty,
    });
    const out = await r.run();
    expect(r.calls.resolveRun[0]!.decision.kind).toBe("push");
    expect(r.calls.runTasks).toEqual([]);
    expect(out).toMatchObject({ ok: true });
    expect(r.outputs.results).toBe("[]");
  });

  it("a comment on a fork's PR: the request goes through resolveRun, which makes it a dry run", async () => {
    const r = recorder({
      event: "issue_comment",
      inputs: { "github-token": TOKEN },
      payload: {
        action: "created",
        issue: { number: 9, pull_request: {} },
        comment: { id: 1, body: "/claude-tasks run fmt", user: { login: "alice", type: "User" } },
      },
    });
    r.engine.resolveRun = async (input) => {
      r.calls.resolveRun.push(input);
      return resolveRun(input); // the real one: the fork rule is the engine's
    };
    r.engine.handleComment = async (o: CommentFlowOptions) => {
      const report = await o.execute({
        tasks: TASKS.filter((t) => t.name === "fmt"),
        dryRun: false,
        publish: false,
        trigger: "comment by @alice on #9",
        onto: { branch: "patch-1", fetchRef: "refs/pull/9/head" },
        base: "main",
        progress() {},
      });
      return { status: "ran", report, replyId: 1, command: { kind: "run", task: "fmt", dryRun: false } };
    };
    const out = await r.run();
    expect(r.calls.resolveRun[0]!.decision.kind).toBe("comment-run");
    expect(r.calls.runTasks[0]).toMatchObject({
      mode: "dry-run",
      base: "main",
      onto: { branch: "patch-1", fetchRef: "refs/pull/9/head" },
      trigger: "comment by @alice on #9",
    });
    expect(r.calls.runTasks[0]!.publisher).toBeUndefined();
    expect(r.calls.runTasks[0]!.plan.tasks.map((t) => t.name)).toEqual(["fmt"]);
    expect(out.ok).toBe(true);
  });
});
