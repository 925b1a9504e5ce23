import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfigFiles, type Task } from "../../src/engine/config/index.ts";
import { acquireLock, inspectLock, lockPath, systemProbe } from "../../src/engine/local/lock.ts";
import { LOCAL_STATE_REF, readTickRecord, type TickRunRequest, tick } from "../../src/engine/local/tick.ts";
import type { RunReport } from "../../src/engine/run/index.ts";
import { STATE_REF } from "../../src/engine/schedule/state.ts";
import { makeRepo, type TestRepo } from "../support/git-repo.ts";

const DIR = ".github/claude-tasks";

function load(files: Record<string, string>): Task[] {
  const parsed = parseConfigFiles(
    Object.entries(files).map(([name, text]) => ({ path: `${DIR}/${name}.yml`, text })),
    { configDir: DIR, env: {} },
  );
  const errors = parsed.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) throw new Error(JSON.stringify(errors));
  return parsed.tasks;
}

function fakeReport(req: TickRunRequest, ok = true): RunReport {
  return {
    version: 1,
    runId: req.runId,
    mode: "local",
    startedAt: new Date().toISOString(),
    durationMs: 1,
    results: [],
    crossConflicts: [],
    totalCostUsd: 0,
    ok,
  };
}

/** Ticks at `at` and returns the names of the tasks it ran (with their fire times). */
async function tickAt(repo: TestRepo, tasks: Task[], at: string, mode: "local" | "dry-run" | "pr" = "local") {
  const ran: TickRunRequest[] = [];
  const result = await tick({
    git: repo.client(),
    stateDir: join(repo.path, ".git", "claude-tasks"),
    tasks,
    now: new Date(at),
    mode,
    run: async (req) => {
      ran.push(req);
      return fakeReport(req);
    },
  });
  return { result, ran: ran.flatMap((r) => r.tasks.map((t) => t.name)), requests: ran };
}

describe("tick: what is due since the last tick, across time", () => {
  it("runs a task when its fire time passes, not again until the next one; exits clean with nothing due", async () => {
    await using repo = await makeRepo();
    const tasks = load({ hourly: 'run: "true"\nschedule: "@hourly"\n' });
    // first tick: the window is the last hour, so the 10:00 fire time is due
    const first = await tickAt(repo, tasks, "2026-03-10T10:05:00Z");
    expect(first.ran).toEqual(["hourly"]);
    expect(first.requests[0]!.fireTimes).toEqual({ hourly: ["2026-03-10T10:00:00.000Z"] });
    expect((await tickAt(repo, tasks, "2026-03-10T10:10:00Z")).result.status).toBe("nothing-due");
    expect((await tickAt(repo, tasks, "2026-03-10T10:59:59Z")).ran).toEqual([]);
    expect((await tickAt(repo, tasks, "2026-03-10T11:00:30Z")).ran).toEqual(["hourly"]);
    // the state is a local ref, never the shared one
    expect(await repo.git("rev-parse", "--verify", "--quiet", LOCAL_STATE_REF)).toMatch(/^[0-9a-f]{40}$/);
    await expect(repo.git("rev-parse", "--verify", "--quiet", STATE_REF)).rejects.toThrow();
    const record = await readTickRecord(join(repo.path, ".git", "claude-tasks"));
    expect(record.lastRun).toMatchObject({
      tasks: ["hourly"],
      status: "ok",
      now: "2026-03-10T11:00:30.000Z",
    });
  });

  it("after a pause, `missed` decides: all runs every fire time, once folds them, skip drops stale ones", async () => {
    await using repo = await makeRepo();
    const tasks = load({
      all: 'run: "true"\nschedule: "@hourly"\nmissed: all\n',
      once: 'run: "true"\nschedule: "@hourly"\nmissed: once\n',
      skip: 'run: "true"\nschedule: "0 */6 * * *"\nmissed: skip\n',
    });
    await tickAt(repo, tasks, "2026-03-10T00:30:00Z"); // records the windows (00:00 due for all three)
    // the machine sleeps until 05:20: five hourly fire times; `skip`'s last (00:00) is 5h old
    const later = await tickAt(repo, tasks, "2026-03-10T05:20:00Z");
    expect(later.ran.sort()).toEqual(["all", "once"]);
    const fire = later.requests[0]!.fireTimes;
    expect(fire.all).toHaveLength(5);
    expect(fire.once).toEqual(["2026-03-10T05:00:00.000Z"]);
    expect(
      later.result.status === "ran" && later.result.due.find((d) => d.name === "once")?.missedCount,
    ).toBe(4);
    // a skip task runs when its fire time is recent
    expect((await tickAt(repo, tasks, "2026-03-10T06:10:00Z")).ran.sort()).toEqual(["all", "once", "skip"]);
  });

  it("the local state records the fire times `missed: skip` dropped, as the shared state does", async () => {
    await using repo = await makeRepo();
    const tasks = load({ skip: 'run: "true"\nschedule: "0 */6 * * *"\nmissed: skip\n' });
    expect((await tickAt(repo, tasks, "2026-03-10T00:30:00Z")).ran).toEqual(["skip"]);
    // asleep until 07:30: the 06:00 fire time is more than an hour old, too old to run under `skip`
    expect((await tickAt(repo, tasks, "2026-03-10T07:30:00Z")).ran).toEqual([]);
    const state = JSON.parse(await repo.git("cat-file", "blob", `${LOCAL_STATE_REF}:state.json`));
    expect(state.notRun?.skip).toEqual([
      expect.objectContaining({ kind: "missed", at: "2026-03-10T07:30:00.000Z" }),
    ]);
  });

  it("a damaged local state is treated as absent, said so with how to reset it, and rewritten", async () => {
    await using repo = await makeRepo();
    const tasks = load({ hourly: 'run: "true"\nschedule: "@hourly"\n' });
    const git = repo.client();
    const blob = (await git.run(["hash-object", "-w", "--stdin"], { input: "not json" })).stdout.trim();
    const tree = (await git.run(["mktree"], { input: `100644 blob ${blob}\tstate.json\n` })).stdout.trim();
    const commit = (await repo.git("commit-tree", tree, "-m", "broken")).trim();
    await repo.git("update-ref", LOCAL_STATE_REF, commit);
    const r = await tickAt(repo, tasks, "2026-03-10T10:05:00Z");
    expect(r.ran).toEqual(["hourly"]);
    expect(r.result.status === "ran" && r.result.notes.join("\n")).toMatch(
      /local schedule state is damaged: state\.json is not JSON.*git update-ref -d refs\/claude-tasks\/local-state/,
    );
    expect((await tickAt(repo, tasks, "2026-03-10T10:10:00Z")).result.status).toBe("nothing-due");
  });

  it("needs order the due tasks (the plan's groups), and a task needed but not due is not pulled in", async () => {
    await using repo = await makeRepo();
    const tasks = load({
      a: 'run: "true"\nschedule: "@hourly"\n',
      b: 'run: "true"\nschedule: "@hourly"\nneeds: [a]\n',
      c: 'run: "true"\nschedule: "@daily"\n',
      d: 'run: "true"\nschedule: "@hourly"\nneeds: [c]\n',
    });
    const r = await tickAt(repo, tasks, "2026-03-10T10:05:00Z");
    expect(r.ran).toEqual(["a", "b", "d"]);
    expect(
      r.result.status === "ran" && r.result.plan.tasks.find((t) => t.name === "d")?.needsOutsidePlan,
    ).toEqual(["c"]);
  });

  it("--dry-run reads the state and claims nothing", async () => {
    await using repo = await makeRepo();
    const tasks = load({ hourly: 'run: "true"\nschedule: "@hourly"\n' });
    expect((await tickAt(repo, tasks, "2026-03-10T10:05:00Z", "dry-run")).ran).toEqual(["hourly"]);
    await expect(repo.git("rev-parse", "--verify", "--quiet", LOCAL_STATE_REF)).rejects.toThrow();
    expect((await tickAt(repo, tasks, "2026-03-10T10:06:00Z", "dry-run")).ran).toEqual(["hourly"]);
  });

  it("--pr claims the shared ref on origin, as the Action does, so the Action cannot run the same fire time", async () => {
    await using repo = await makeRepo({ origin: true });
    const tasks = load({ hourly: 'run: "true"\nschedule: "@hourly"\n' });
    expect((await tickAt(repo, tasks, "2026-03-10T10:05:00Z", "pr")).ran).toEqual(["hourly"]);
    const remote = await repo.git("ls-remote", "origin", STATE_REF);
    expect(remote).toContain(STATE_REF);
    const state = JSON.parse(await repo.gitIn(repo.origin!, "cat-file", "blob", `${STATE_REF}:state.json`));
    expect(state.tasks.hourly.lastFireTime).toBe("2026-03-10T10:00:00.000Z");
    // a second machine (or the Action) at the same time finds nothing due
    expect((await tickAt(repo, tasks, "2026-03-10T10:06:00Z", "pr")).ran).toEqual([]);
  });

  it("two ticks never overlap: the second finds the lock held and does nothing", async () => {
    await using repo = await makeRepo();
    const tasks = load({ hourly: 'run: "true"\nschedule: "@hourly"\n' });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const stateDir = join(repo.path, ".git", "claude-tasks");
    const first = tick({
      git: repo.client(),
      stateDir,
      tasks,
      now: new Date("2026-03-10T10:05:00Z"),
      mode: "local",
      run: async (req) => {
        await gate;
        return fakeReport(req);
      },
    });
    await waitFor(async () => (await inspectLock({ dir: stateDir }))?.holder?.pid === process.pid);
    const second = await tickAt(repo, tasks, "2026-03-10T11:05:00Z");
    expect(second.result.status).toBe("busy");
    expect(second.ran).toEqual([]);
    release();
    expect((await first).status).toBe("ran");
    expect(await inspectLock({ dir: stateDir })).toBeUndefined(); // released
    expect((await tickAt(repo, tasks, "2026-03-10T11:05:00Z")).ran).toEqual(["hourly"]);
  });

  it("a tick killed mid-run leaves a stale lock: the next tick takes it over, and the claim holds (no rerun)", async () => {
    await using repo = await makeRepo();
    const tasks = load({ hourly: 'run: "true"\nschedule: "@hourly"\n' });
    const stateDir = join(repo.path, ".git", "claude-tasks");
    // a tick that claims 10:00 and then dies during its run (SIGKILL: no cleanup at all)
    const dying = tick({
      git: repo.client(),
      stateDir,
      tasks,
      now: new Date("2026-03-10T10:05:00Z"),
      mode: "local",
      run: () => new Promise<RunReport>(() => {}),
    });
    void dying;
    await waitFor(async () => (await readTickRecord(stateDir)).lastRun?.status === "running");
    // replace our live lock by one of a process that was killed
    const dead = await deadPid();
    const lock = JSON.parse(await readFile(lockPath(stateDir), "utf8"));
    await writeFile(lockPath(stateDir), JSON.stringify({ ...lock, pid: dead, procStart: undefined }));
    expect((await inspectLock({ dir: stateDir }))?.stale).toBe(true);

    const next = await tickAt(repo, tasks, "2026-03-10T10:20:00Z");
    expect(next.result.status).toBe("nothing-due"); // 10:00 was claimed before the crash
    expect(next.result.status !== "busy" && next.result.replaced?.pid).toBe(dead);
    expect(next.result.status !== "busy" && next.result.notes.join("\n")).toMatch(/ended without releasing/);
    expect((await tickAt(repo, tasks, "2026-03-10T11:01:00Z")).ran).toEqual(["hourly"]);
  });
});

describe("the tick lock", () => {
  it("a reused pid (same pid, another process start time) is stale; another host's lock is not judged", async () => {
    await using repo = await makeRepo();
    const dir = join(repo.path, ".git", "claude-tasks");
    const first = await acquireLock({ dir });
    expect(first.ok).toBe(true);
    expect((await acquireLock({ dir })).ok).toBe(false); // held by this live process
    const reused = { alive: () => true, startTime: async () => "1" };
    if (first.ok && first.lock.info.procStart !== undefined) {
      const taken = await acquireLock({ dir, probe: reused });
      expect(taken.ok).toBe(true);
      if (taken.ok) await taken.lock.release();
    } else if (first.ok) await first.lock.release();
    await writeFile(
      lockPath(dir),
      JSON.stringify({
        pid: 1,
        host: `not-${hostname()}`,
        startedAt: new Date().toISOString(),
        purpose: "tick",
      }),
    );
    expect((await acquireLock({ dir, probe: { ...systemProbe, alive: () => false } })).ok).toBe(false);
    // a day later it is given up
    const late = await acquireLock({ dir, now: () => new Date(Date.now() + 25 * 3600_000) });
    expect(late.ok).toBe(true);
  });

  it("a half-written lock is left alone while fresh", async () => {
    await using repo = await makeRepo();
    const dir = join(repo.path, ".git", "claude-tasks");
    expect((await acquireLock({ dir })).ok).toBe(true);
    await writeFile(lockPath(dir), "");
    const r = await acquireLock({ dir });
    expect(r).toEqual({ ok: false, holder: undefined });
  });
});

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  const pid = child.pid!;
  await new Promise((r) => {
    child.on("exit", r);
    child.kill("SIGKILL");
  });
  return pid;
}

async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}
