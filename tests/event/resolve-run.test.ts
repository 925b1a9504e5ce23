/**
 * `resolveRun`, one trigger at a time: which tasks a decision selects and why, the plan's order and fire
 * times, the schedule claim (injected), notes, trigger line, run id, and the fork rule. No repository:
 * git is a handle that fails when asked for, so a trigger that needs none is seen not to touch it.
 */
import { describe, expect, it } from "vitest";
import { parseConfigFiles, type Task } from "../../src/engine/config/index.ts";
import { type ResolveRunInput, resolveRun } from "../../src/engine/event/resolve-run.ts";
import type { Git } from "../../src/engine/git/index.ts";
import { ontoPullRequest, pushesTo } from "../../src/engine/run/onto.ts";
import type { ClaimOptions, ClaimResult } from "../../src/engine/schedule/state.ts";

const NOW = new Date("2026-03-10T06:05:00Z");

function tasks(files: Record<string, string>): Task[] {
  const loaded = parseConfigFiles(
    Object.entries(files).map(([name, text]) => ({ path: `.github/claude-tasks/${name}.yml`, text })),
  );
  expect(loaded.problems.filter((p) => p.severity === "error")).toEqual([]);
  return loaded.tasks;
}

const TASKS = tasks({
  docs: 'prompt: "update the docs"\nschedule: "@hourly"\nwatch: ["docs/**"]\n',
  fmt: 'run: "npm run fmt"\nneeds: [docs]\nwatch: ["src/**"]\n',
  lint: 'run: "npm run lint"\nwatch: ["src/**"]\nbase: release\n',
  old: 'run: "true"\nenabled: false\nschedule: "@hourly"\n',
});

const noGit = async (): Promise<Git> => {
  throw new Error("git was asked for");
};

function input(decision: ResolveRunInput["decision"], o: Partial<ResolveRunInput> = {}): ResolveRunInput {
  return { decision, tasks: TASKS, now: NOW, dryRun: false, peek: false, git: noGit, remote: "origin", ...o };
}

describe("resolveRun", () => {
  it("workflow_dispatch: every enabled task, needed ones first, without touching git", async () => {
    const run = await resolveRun(input({ kind: "all", trigger: "workflow_dispatch by @octocat" }));
    expect(run.plan.tasks.map((t) => [t.name, t.needs])).toEqual([
      ["docs", []],
      ["fmt", ["docs"]],
      ["lint", []],
    ]);
    expect(run.plan.tasks.every((t) => t.reason === "workflow_dispatch by @octocat")).toBe(true);
    expect(run).toMatchObject({
      trigger: "workflow_dispatch by @octocat",
      dryRun: false,
      publish: true,
      notes: [],
    });
    expect(run.runId).toMatch(/^20260310-060500-/);
    expect(run.onto).toBeUndefined();
  });

  it("named tasks: globs select, an unknown name is a one-line error", async () => {
    const run = await resolveRun(input({ kind: "named", patterns: ["f*"], trigger: "push by @bob" }));
    expect(run.plan.tasks.map((t) => t.name)).toEqual(["fmt"]);
    expect(run.plan.tasks[0]!.needsOutsidePlan).toEqual(["docs"]);
    await expect(resolveRun(input({ kind: "named", patterns: ["fmtt"], trigger: "x" }))).rejects.toThrow(
      /unknown task `fmtt`, did you mean `fmt`\?/,
    );
  });

  it("push: the tasks whose base is the pushed branch and whose watch matches a changed file", async () => {
    const logged: string[] = [];
    const decision = {
      kind: "push" as const,
      branch: "main",
      changes: { files: ["src/a.ts", "README.md"] },
      trigger: "push abc1234 to main",
    };
    const run = await resolveRun(
      input(decision, {
        defaultBranch: "main",
        logger: { debug() {}, info: (m) => logged.push(m), warn() {}, error() {} },
      }),
    );
    // `lint` watches src/ too but its base is `release`; `docs` watches docs/ only
    expect(run.plan.tasks.map((t) => [t.name, t.reason])).toEqual([
      ["fmt", "push to `main` changed `src/a.ts`"],
    ]);
    expect(run.trigger).toBe("push abc1234 to main");
    expect(logged).toEqual(["2 changed file(s); 1 task(s) watch them"]);
    // the `base` input overrides every task's base, as when the tasks run
    const onRelease = await resolveRun(input({ ...decision, branch: "release" }, { base: "release" }));
    expect(onRelease.plan.tasks.map((t) => t.name)).toEqual(["fmt", "lint"]);
  });

  it("schedule: refuses before claiming, claims with the run's id, plans the due fire times", async () => {
    const order: string[] = [];
    const claims: ClaimOptions[] = [];
    const fire = new Date("2026-03-10T06:00:00Z");
    const claim = async (o: ClaimOptions): Promise<ClaimResult> => {
      order.push("claim");
      claims.push(o);
      return {
        due: [{ name: "docs", fireTimes: [fire], missedCount: 0, reason: "`@hourly` fired at 06:00Z" }],
        since: (name) => (name === "docs" ? new Date("2026-03-10T05:00:00Z") : undefined),
        oid: "abc",
        written: true,
        attempts: 1,
        firstRun: false,
      };
    };
    const fakeGit = {} as Git;
    const run = await resolveRun(
      input(
        { kind: "schedule", trigger: "schedule" },
        {
          claim,
          git: async () => fakeGit,
          beforeClaim: (scheduled) => order.push(`check ${scheduled.map((t) => t.name).join(",")}`),
        },
      ),
    );
    expect(order).toEqual(["check docs", "claim"]); // `old` is disabled: nothing to check for it
    expect(claims[0]).toMatchObject({
      git: fakeGit,
      remote: "origin",
      now: NOW,
      peek: false,
      runId: run.runId,
    });
    expect(run.trigger).toBe("schedule 2026-03-10T06:05Z");
    expect(run.plan.tasks.map((t) => [t.name, t.fireTimes, t.reason])).toEqual([
      ["docs", ["2026-03-10T06:00:00.000Z"], "`@hourly` fired at 06:00Z"],
    ]);
    expect(run.plan.since).toBe("2026-03-10T05:00:00.000Z");
    expect(run.notes).toEqual(["`docs`: `@hourly` fired at 06:00Z"]);
    expect(run.warnings).toEqual([]);

    // a plan job's summary shows the reasons in its table: the notes leave them out
    const planned = await resolveRun(
      input({ kind: "schedule", trigger: "schedule" }, { claim, git: async () => fakeGit, planOnly: true }),
    );
    expect(planned.notes).toEqual([]);
  });

  it("schedule: a refusal before the claim claims nothing; a dry run peeks and says so; a damaged state warns", async () => {
    let claimed = 0;
    const claim = async (o: ClaimOptions): Promise<ClaimResult> => {
      claimed++;
      expect(o.peek).toBe(true);
      return {
        due: [],
        since: () => undefined,
        oid: null,
        written: false,
        attempts: 1,
        firstRun: true,
        problem: "damaged",
      };
    };
    await expect(
      resolveRun(
        input(
          { kind: "schedule", trigger: "schedule" },
          {
            claim,
            git: async () => ({}) as Git,
            beforeClaim: () => {
              throw new Error("no credentials");
            },
          },
        ),
      ),
    ).rejects.toThrow("no credentials");
    expect(claimed).toBe(0);
    const run = await resolveRun(
      input(
        { kind: "schedule", trigger: "schedule" },
        { claim, git: async () => ({}) as Git, dryRun: true, peek: true },
      ),
    );
    expect(claimed).toBe(1);
    expect(run.plan.tasks).toEqual([]);
    expect(run.warnings).toEqual(["damaged"]);
    expect(run.notes).toEqual(["damaged", "dry run: the schedule state was read, not claimed"]);
  });

  it("a comment on a same-repository PR: its tasks (even ad hoc) on the PR's head, pushed, no PR of their own", async () => {
    const [adhoc] = tasks({ "adhoc-42": 'prompt: "fix the typo"\n' });
    const request = {
      tasks: [adhoc!],
      dryRun: false,
      publish: false,
      trigger: "comment by @alice on #7",
      onto: ontoPullRequest({ number: 7, headRef: "feature/x", isFork: false }),
      base: "main",
      trustedConfig: { source: "main", paths: [".claude/"] },
    };
    const run = await resolveRun(input({ kind: "comment-run", request }));
    expect(run.plan.tasks.map((t) => [t.name, t.reason])).toEqual([["adhoc-42", "comment by @alice on #7"]]);
    expect(run.tasks).toEqual([adhoc]);
    expect(run).toMatchObject({
      dryRun: false,
      publish: false,
      onto: { branch: "feature/x" },
      base: "main",
      trustedConfig: { source: "main" },
      trigger: "comment by @alice on #7",
    });
    expect(pushesTo(run.onto)).toBe(true);
    // the `dry-run` input makes it a dry run too
    expect((await resolveRun(input({ kind: "comment-run", request }, { dryRun: true }))).dryRun).toBe(true);
  });

  it("a comment on a fork's PR: its head is fetched read-only and the run is a dry run, whatever was asked", async () => {
    const onto = ontoPullRequest({ number: 9, headRef: "patch-1", isFork: true });
    expect(onto).toEqual({ branch: "patch-1", fetchRef: "refs/pull/9/head" });
    expect(pushesTo(onto)).toBe(false);
    const fmt = TASKS.find((t) => t.name === "fmt")!;
    const run = await resolveRun(
      input({
        kind: "comment-run",
        request: { tasks: [fmt], dryRun: false, publish: false, trigger: "comment by @alice on #9", onto },
      }),
    );
    expect(run.dryRun).toBe(true);
    expect(run.onto).toEqual(onto);
    // needs are not waited for on a comment's one task
    expect(run.plan.tasks.map((t) => [t.name, t.needs, t.needsOutsidePlan])).toEqual([["fmt", [], ["docs"]]]);
  });
});
