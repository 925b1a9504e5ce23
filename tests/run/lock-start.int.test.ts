/**
 * A task with no budget to check: its agent starts while the task's lock is being taken in the
 * ledger (a network round trip on a real remote), and the lock's answer is awaited before the work is
 * used. A lost lock stops the agent; nothing lands; the run then skips or waits as `concurrency` says.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type AdmitContext, createRunControl, type RunControl } from "../../src/engine/budget/index.ts";
import type { RunTasksOptions } from "../../src/engine/run/options.ts";
import { readRemoteState } from "../../src/engine/schedule/state.ts";
import { type EngineRepo, leftoverProcesses, makeEngineRepo } from "../support/engine.ts";

const control = (e: EngineRepo, pollMs = 15_000) =>
  createRunControl({ git: e.client(), remote: "origin", pollMs });

/** Another run of the task holding its lock (as a concurrent workflow run would). */
async function holdLock(e: EngineRepo, task: AdmitContext["task"], runId: string) {
  const other = control(e);
  const ctx = { task, runId, scheduled: false, baseCommit: async () => "" };
  expect(await other.admit(ctx)).toEqual({ ok: true });
  return () => other.settle(task, runId, { status: "no_changes" } as never);
}

/**
 * The control with a slow network: the lock's first round trip answers only once the agent has
 * started (`started` resolved from the run's spawn event), so a test sees what a remote's latency does.
 * `spawnedFirst()` says whether the agent had started when the round trip began to answer.
 */
function slowFirstAdmit(real: RunControl) {
  let spawned!: () => void;
  const agentStarted = new Promise<void>((ok) => {
    spawned = ok;
  });
  let first: boolean | undefined;
  let calls = 0;
  const c: RunControl = {
    ...real,
    gatesStart: (t, s) => real.gatesStart(t, s),
    admit: async (ctx, how) => {
      if (calls++ === 0) {
        const timeout = new Promise<boolean>((ok) => setTimeout(() => ok(false), 20_000).unref());
        first = await Promise.race([agentStarted.then(() => true), timeout]);
      }
      return real.admit(ctx, how);
    },
  };
  const onEvent = (ev: Parameters<NonNullable<RunTasksOptions["onEvent"]>>[0]) => {
    if (ev.type === "agent" && ev.event.type === "spawn") spawned();
  };
  return { control: c, onEvent, spawnedFirst: () => first };
}

describe("the task's lock is taken while its agent starts", () => {
  it("no budget: the agent is running before the lock's round trip answers, and the lock is released after", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const [task] = await e.tasks({ quick: "run: echo done > done.txt\n" });
    const slow = slowFirstAdmit(control(e));
    const r = await e.run([task!], { control: slow.control, onEvent: slow.onEvent });
    expect(slow.spawnedFirst()).toBe(true);
    expect(r.result.status).toBe("success");
    expect(await e.branches()).toContain("claude-tasks/quick");
    const state = (await readRemoteState({ git: e.client(), remote: "origin" })).state!;
    expect(state.locks).toEqual({});
    expect(state.ledger?.tasks.quick?.recent[0]).toMatchObject({ outcome: "success" });
  });

  it("a budget: the lock and the reservation are answered before the agent starts", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const [task] = await e.tasks({ capped: "run: echo done > done.txt\nbudget:\n  daily_usd: 5\n" });
    const real = control(e);
    expect(real.gatesStart(task!, false)).toBe(true);
    const order: string[] = [];
    const watched: RunControl = {
      ...real,
      gatesStart: (t, s) => real.gatesStart(t, s),
      admit: async (ctx, how) => {
        const a = await real.admit(ctx, how);
        order.push("admitted");
        return a;
      },
    };
    const r = await e.run([task!], {
      control: watched,
      onEvent: (ev) => {
        if (ev.type === "agent" && ev.event.type === "spawn") order.push("spawn");
      },
    });
    expect(r.result.status).toBe("success");
    expect(order).toEqual(["admitted", "spawn"]);
  });

  it("concurrency: skip and the lock is held: the started command is stopped, nothing lands, the run is listed busy", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const [task] = await e.tasks({
      busy: "run: echo proof > proof.txt && sleep 60\nconcurrency: skip\n",
    });
    await holdLock(e, task!, "other-run");
    const t0 = Date.now();
    const slow = slowFirstAdmit(control(e));
    const r = await e.run([task!], { control: slow.control, onEvent: slow.onEvent });
    expect(slow.spawnedFirst()).toBe(true);
    expect(r.spawned.length).toBe(1); // it did start …
    expect(Date.now() - t0).toBeLessThan(30_000); // … and was stopped, not waited for
    expect(r.result).toMatchObject({ status: "skipped", notRun: "busy" });
    expect(r.result.message).toMatch(
      /^skipped: run other-run of this task is running .*\(concurrency: skip\)/,
    );
    expect(r.result.message).toMatch(/; the stopped start's work is in backup \S+$/);
    const backup = /backup (\S+)$/.exec(r.result.message)![1]!;
    expect(await readFile(join(e.state, "backups", backup, "changes.patch"), "utf8")).toContain("+proof");
    expect(await e.branches()).toEqual(["main"]);
    expect(leftoverProcesses(r.spawned)).toEqual([]);
    const state = (await readRemoteState({ git: e.client(), remote: "origin" })).state!;
    expect(state.locks?.busy?.runId).toBe("other-run"); // the other run's lock is untouched
    expect(state.notRun?.busy?.at(-1)).toMatchObject({ kind: "busy" });
  });

  it("concurrency: skip, the lock held, and the command already done when the refusal comes: nothing lands, the work is in the backup", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const [task] = await e.tasks({ done: "run: echo proof > proof.txt\nconcurrency: skip\n" });
    await holdLock(e, task!, "other-run");
    const real = control(e);
    let checking!: () => void;
    const checked = new Promise<void>((ok) => {
      checking = ok;
    });
    // the lock's answer comes once the command has ended and its change is being checked, so the
    // task commit is already under way when the run learns it may not land
    const late: RunControl = {
      ...real,
      gatesStart: (t, s) => real.gatesStart(t, s),
      admit: async (ctx, how) => {
        await checked;
        return real.admit(ctx, how);
      },
    };
    const r = await e.run([task!], {
      control: late,
      onEvent: (ev) => {
        if (ev.type === "task-phase" && ev.phase === "checking the change") checking();
      },
    });
    expect(r.result).toMatchObject({ status: "skipped", notRun: "busy" });
    const backup = /backup (\S+)$/.exec(r.result.message)![1]!;
    expect(await readFile(join(e.state, "backups", backup, "changes.patch"), "utf8")).toContain("+proof");
    expect(await e.branches()).toEqual(["main"]);
    expect(leftoverProcesses(r.spawned)).toEqual([]);
  });

  it("concurrency: wait and the lock is held: the start is stopped, the run waits for the other, then runs from the start", async () => {
    await using e = await makeEngineRepo({ origin: true });
    const [task] = await e.tasks({ waits: "run: echo $RANDOM >> runs.txt && sleep 3\n" });
    const release = await holdLock(e, task!, "other-run");
    setTimeout(() => void release(), 2_000);
    const slow = slowFirstAdmit(control(e, 200));
    const r = await e.run([task!], { control: slow.control, onEvent: slow.onEvent });
    expect(slow.spawnedFirst()).toBe(true);
    expect(r.spawned.length).toBe(2); // the stopped start, then the real run
    expect(r.result.status).toBe("success");
    expect(await e.branches()).toContain("claude-tasks/waits");
    const landed = await e.git("show", "claude-tasks/waits:runs.txt");
    expect(landed.trim().split("\n")).toHaveLength(1); // the stopped start's work did not leak into it
    expect(leftoverProcesses(r.spawned)).toEqual([]);
    const state = (await readRemoteState({ git: e.client(), remote: "origin" })).state!;
    expect(state.locks).toEqual({});
  });
});
