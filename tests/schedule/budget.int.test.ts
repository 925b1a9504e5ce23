import { describe, expect, it } from "vitest";
import { admit, settle } from "../../src/engine/budget/admit.ts";
import { createRunControl } from "../../src/engine/budget/control.ts";
import { KEEP_DAYS, KEEP_RUNS, recordRun } from "../../src/engine/budget/ledger.ts";
import { ledgerStatus, renderLedgerStatus } from "../../src/engine/budget/status.ts";
import type { Task } from "../../src/engine/config/index.ts";
import type { Git } from "../../src/engine/git/index.ts";
import type { TaskResult } from "../../src/engine/run/types.ts";
import {
  advanceState,
  parseState,
  readRemoteState,
  type ScheduleState,
  serializeState,
} from "../../src/engine/schedule/state.ts";
import { makeRepo } from "../support/git-repo.ts";

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;
const req = (o: Partial<Parameters<typeof admit>[1]> = {}) => ({
  task: "t",
  runId: "r1",
  now: at("2026-03-10T06:00:00Z"),
  reserveUsd: 2,
  limits: {},
  holdMs: HOUR,
  lock: true,
  ...o,
});
const run = (runId: string, costUsd: number, iso = "2026-03-10T05:00:00Z", outcome = "success") => ({
  runId,
  at: iso,
  costUsd,
  durationMs: 1000,
  outcome,
  base: "a".repeat(40),
});
const withSpend = (usd: number, task = "t"): ScheduleState => ({
  version: 2,
  updatedAt: "2026-03-10T05:00:00.000Z",
  tasks: {},
  ledger: recordRun(undefined, task, run("r0", usd)),
});

describe("admission against the ledger", () => {
  it("refuses a run that could exceed the task's daily budget, with one line saying why", () => {
    const a = admit(withSpend(4), req({ limits: { daily_usd: 5 } }));
    expect(a.ok).toBe(false);
    expect(!a.ok && a.kind).toBe("budget");
    expect(!a.ok && a.reason).toBe(
      "refused by budget: the task's daily budget of $5.00 would be exceeded ($4.00 spent today + up to $2.00 for this run)",
    );
    // the refusal is recorded, for `status`
    expect(!a.ok && a.next.notRun?.t?.[0]).toMatchObject({ kind: "budget", runId: "r1" });
    // within budget: admitted, the money reserved and the lock taken
    const ok = admit(withSpend(2), req({ limits: { daily_usd: 5 } }));
    expect(ok.ok).toBe(true);
    expect(ok.next.ledger?.reservations).toMatchObject([{ task: "t", runId: "r1", usd: 2 }]);
    expect(ok.next.locks?.t).toMatchObject({ runId: "r1", expires: "2026-03-10T07:00:00.000Z" });
  });

  it("yesterday's and last month's spend do not count today; repository limits count every task", () => {
    const s = withSpend(9);
    const tomorrow = at("2026-03-11T06:00:00Z");
    expect(admit(s, req({ now: tomorrow, limits: { daily_usd: 5 } })).ok).toBe(true);
    expect(admit(s, req({ now: tomorrow, limits: { monthly_usd: 10 } })).ok).toBe(false);
    expect(admit(s, req({ now: at("2026-04-01T00:00:00Z"), limits: { monthly_usd: 10 } })).ok).toBe(true);
    const other = admit(withSpend(9, "other"), req({ limits: { repo_daily_usd: 10 } }));
    expect(!other.ok && other.reason).toMatch(/the repository's daily budget of \$10.00/);
  });

  it("a run without max_budget_usd is admitted only while money is left", () => {
    expect(admit(withSpend(4.99), req({ reserveUsd: 0, limits: { daily_usd: 5 } })).ok).toBe(true);
    expect(admit(withSpend(5), req({ reserveUsd: 0, limits: { daily_usd: 5 } })).ok).toBe(false);
  });

  it("reservations of running runs count until they settle or expire", () => {
    const first = admit(withSpend(0), req({ limits: { daily_usd: 5 }, reserveUsd: 3 }));
    expect(first.ok).toBe(true);
    // another task of the repository, while the first runs
    const second = admit(
      first.next,
      req({ task: "u", runId: "r2", limits: { repo_daily_usd: 5 }, reserveUsd: 3 }),
    );
    expect(!second.ok && second.reason).toMatch(/\$3.00 held by running runs \+ up to \$3.00 for this run/);
    // the first ends having spent $1: its reservation goes, its cost stays
    const settled = settle(first.next, {
      task: "t",
      runId: "r1",
      run: run("r1", 1),
      now: at("2026-03-10T06:10:00Z"),
    });
    expect(settled.ledger?.reservations).toEqual([]);
    expect(settled.locks?.t).toBeUndefined();
    expect(
      admit(settled, req({ task: "u", runId: "r2", limits: { repo_daily_usd: 5 }, reserveUsd: 3 })).ok,
    ).toBe(true);
    // a crashed run's reservation stops counting when it expires
    const later = at("2026-03-10T07:00:01Z");
    expect(
      admit(
        first.next,
        req({ task: "u", runId: "r2", now: later, limits: { repo_daily_usd: 5 }, reserveUsd: 3 }),
      ).ok,
    ).toBe(true);
  });

  it("one run per task: a live lock is in the way, an expired one (a crashed run) is not", () => {
    const first = admit(null, req());
    const second = admit(first.next, req({ runId: "r2", now: at("2026-03-10T06:30:00Z") }));
    expect(!second.ok && second.kind).toBe("busy");
    expect(!second.ok && second.reason).toMatch(
      /^run r1 of this task is running \(since 2026-03-10T06:00:00.000Z/,
    );
    expect(admit(first.next, req({ runId: "r2", now: at("2026-03-10T07:00:01Z") })).ok).toBe(true);
    // other tasks are not blocked
    expect(admit(first.next, req({ task: "u", runId: "r2" })).ok).toBe(true);
  });

  it("stays bounded whatever the history: days, months and recent runs are capped", () => {
    let ledger = recordRun(undefined, "t", run("r0", 1));
    for (let i = 1; i <= 400; i++) {
      const day = new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString();
      ledger = recordRun(ledger, "t", run(`r${i}`, 0.5, day));
    }
    expect(Object.keys(ledger.total.days)).toHaveLength(KEEP_DAYS);
    expect(Object.keys(ledger.tasks.t!.months).length).toBeLessThanOrEqual(13);
    expect(ledger.tasks.t!.recent).toHaveLength(KEEP_RUNS);
    expect(
      serializeState({ version: 2, updatedAt: "2026-03-10T00:00:00.000Z", tasks: {}, ledger }).length,
    ).toBeLessThan(20_000);
  });

  it("a run recorded again (its outcome changed after the push that recorded it) replaces its first record, also in the sums", () => {
    const once = recordRun(withSpend(3).ledger, "t", run("r1", 2));
    const again = recordRun(once, "t", { ...run("r1", 2.5, "2026-03-10T05:01:00Z"), outcome: "failed" });
    expect(once.total.days["2026-03-10"]).toEqual({ usd: 5, runs: 2 });
    expect(again.total.days["2026-03-10"]).toEqual({ usd: 5.5, runs: 2 });
    expect(again.tasks.t!.months["2026-03"]).toEqual({ usd: 5.5, runs: 2 });
    expect(again.tasks.t!.recent.map((r) => [r.runId, r.outcome])).toEqual([
      ["r0", "success"],
      ["r1", "failed"],
    ]);
    expect(again.tasks.t!.lastSuccess?.runId).toBe("r0"); // r1 is no success after all
  });

  it("state v2 round-trips; a v1 state reads as one without a ledger; the schedule claim keeps the ledger", () => {
    const s = {
      ...withSpend(3),
      locks: { t: { runId: "r", at: "2026-03-10T05:00:00.000Z", expires: "2026-03-10T06:00:00.000Z" } },
    };
    expect(parseState(serializeState(s))).toEqual({ ok: true, state: s });
    const v1 = parseState(
      '{"version":1,"updatedAt":"2026-03-10T00:00:00.000Z","tasks":{"t":{"until":"2026-03-10T00:00:00Z"}}}',
    );
    expect(v1.ok && v1.state.ledger).toBeUndefined();
    const next = advanceState({
      previous: s,
      tasks: [{ name: "t", schedule: "@hourly", timezone: "UTC", missed: "once", enabled: true }],
      due: [],
      now: at("2026-03-10T06:00:00Z"),
    });
    expect(next.version).toBe(2);
    expect(next.ledger).toEqual(s.ledger);
    expect(next.locks).toEqual(s.locks);
  });
});

describe("runs that never happened", () => {
  it("fire times dropped by `missed: skip`, budget refusals and skips are listed per task with the reason", () => {
    const tasks = [
      { name: "late", schedule: "0 4 * * *", timezone: "UTC", missed: "skip" as const, enabled: true },
      { name: "fine", schedule: "@hourly", timezone: "UTC", missed: "once" as const, enabled: true },
    ];
    const claimed = advanceState({
      previous: { version: 1, updatedAt: "2026-03-10T03:00:00.000Z", tasks: {} },
      tasks,
      due: [],
      now: at("2026-03-10T06:20:00Z"),
      runId: "tick-1",
      missed: [
        {
          name: "late",
          count: 1,
          reason:
            "missed: latest fire time 2026-03-10T04:00Z is more than 1h old (missed: skip); 1 fire time skipped",
        },
        { name: "fine", count: 0, reason: "no fire time" },
      ],
    });
    const refused = admit(
      claimed,
      req({ task: "fine", runId: "r2", now: at("2026-03-10T07:00:00Z"), limits: { daily_usd: 1 } }),
    );
    const status = ledgerStatus(refused.next, tasks as unknown as Task[], at("2026-03-10T07:05:00Z"));
    expect(status.tasks.map((t) => [t.name, t.notRun.map((n) => n.kind)])).toEqual([
      ["late", ["missed"]],
      ["fine", ["budget"]],
    ]);
    const text = renderLedgerStatus(status);
    expect(text).toContain(
      "not run 2026-03-10T06:20:00.000Z: missed: latest fire time 2026-03-10T04:00Z is more than 1h old",
    );
    expect(text).toContain(
      "not run 2026-03-10T07:00:00.000Z: refused by budget: the task's daily budget of $1.00",
    );
  });
});

// ---- against a real remote ------------------------------------------------------------------------

const claudeTask = (name: string, o: Partial<Task> = {}): Task =>
  ({
    name,
    kind: "claude",
    watch: [],
    retry: { attempts: 1, backoff: "0s" },
    agent: { timeout: "10m", max_budget_usd: 2 },
    ...o,
  }) as unknown as Task;
const ended = (cost: number): TaskResult =>
  ({ status: "success", durationMs: 5, agent: { costUsd: cost }, baseCommit: "b".repeat(40) }) as TaskResult;
const noWait = async () => {};

describe("the ledger on the state ref, under concurrency", () => {
  it("two runs admitted at once from two clones: the budget holds, both reservations are seen", async () => {
    await using repo = await makeRepo({ origin: true });
    const clones = [await repo.clone(), await repo.clone(), await repo.clone()];
    const tasks = ["a", "b", "c"].map((n) =>
      claudeTask(n, { budget: { repo_daily_usd: 5 } } as Partial<Task>),
    );
    const now = () => at("2026-03-10T06:00:00Z");
    const admitted = await Promise.all(
      clones.map((dir, i) =>
        createRunControl({ git: repo.client().at(dir), remote: "origin", now, backoff: noWait }).admit({
          task: tasks[i]!,
          runId: `run-${i}`,
          scheduled: false,
          baseCommit: async () => "",
        }),
      ),
    );
    // $2 reserved each against $5: exactly two get in, whatever the interleaving
    expect(admitted.filter((a) => a.ok)).toHaveLength(2);
    const refused = admitted.find((a) => !a.ok)!;
    expect(!refused.ok && refused.reason).toMatch(/\$4.00 held by running runs \+ up to \$2.00 for this run/);
    // they settle at once too: every cost lands, no reservation is left
    const control = (i: number) =>
      createRunControl({ git: repo.client().at(clones[i]!), remote: "origin", now, backoff: noWait });
    await Promise.all(
      admitted.map((a, i) => (a.ok ? control(i).settle(tasks[i]!, `run-${i}`, ended(1.25)) : undefined)),
    );
    const state = (await readRemoteState({ git: repo.client(), remote: "origin" })).state!;
    expect(state.ledger?.total.days["2026-03-10"]).toEqual({ usd: 2.5, runs: 2 });
    expect(state.ledger?.reservations).toEqual([]);
    expect(state.locks).toEqual({});
    expect(state.notRun?.[tasks[admitted.findIndex((a) => !a.ok)]!.name]?.[0]?.kind).toBe("budget");
  });

  it("overlapping runs of one task: the second skips (concurrency: skip) or waits for the first (wait)", async () => {
    await using repo = await makeRepo({ origin: true });
    const git = repo.client();
    const control = createRunControl({ git, remote: "origin", backoff: noWait, pollMs: 50 });
    const ctx = (task: Task, runId: string) => ({
      task,
      runId,
      scheduled: false,
      baseCommit: async () => "",
    });
    const skipper = claudeTask("t", { concurrency: "skip" } as Partial<Task>);
    expect(await control.admit(ctx(skipper, "first"))).toEqual({ ok: true });
    const skipped = await control.admit(ctx(skipper, "second"));
    expect(skipped).toMatchObject({ ok: false, kind: "busy" });
    expect(!skipped.ok && skipped.reason).toMatch(
      /^skipped: run first of this task is running .*\(concurrency: skip\)$/,
    );
    // wait: the second starts once the first settled
    const waiter = claudeTask("t", { concurrency: "wait" } as Partial<Task>);
    const order: string[] = [];
    const second = control.admit(ctx(waiter, "third")).then((a) => {
      order.push("third admitted");
      return a;
    });
    await new Promise((r) => setTimeout(r, 300));
    order.push("first settles");
    await control.settle(waiter, "first", ended(0.5));
    expect(await second).toEqual({ ok: true });
    expect(order).toEqual(["first settles", "third admitted"]);
  });

  it("two repositories share an organisation budget through one ledger repository", async () => {
    await using a = await makeRepo({ origin: true });
    await using b = await makeRepo({ origin: true });
    await using ledgerRepo = await makeRepo({ origin: true });
    const now = () => at("2026-03-10T06:00:00Z");
    const org = (repository: string, git = a.client()) => ({
      git,
      remote: ledgerRepo.origin!,
      repository,
      monthlyUsd: 3,
    });
    const inA = createRunControl({
      git: a.client(),
      remote: "origin",
      now,
      backoff: noWait,
      org: org("o/a"),
    });
    const inB = createRunControl({
      git: b.client(),
      remote: "origin",
      now,
      backoff: noWait,
      org: org("o/b", b.client()),
    });
    const ctx = (runId: string) => ({
      task: claudeTask("t"),
      runId,
      scheduled: false,
      baseCommit: async () => "",
    });
    expect(await inA.admit(ctx("a1"))).toEqual({ ok: true });
    await inA.settle(claudeTask("t"), "a1", ended(1.5));
    // repository b has spent nothing itself, but the organisation has: $1.50 + up to $2 > $3
    const refused = await inB.admit(ctx("b1"));
    expect(refused).toMatchObject({ ok: false, kind: "budget" });
    expect(!refused.ok && refused.reason).toBe(
      "refused by budget: the organisation's monthly budget of $3.00 would be exceeded ($1.50 spent this month + up to $2.00 for this run)",
    );
    // b gave its own reservation and lock back, and recorded why it did not run
    const bState = (await readRemoteState({ git: b.client(), remote: "origin" })).state!;
    expect(bState.ledger?.reservations).toEqual([]);
    expect(bState.locks).toEqual({});
    expect(bState.notRun?.t?.[0]).toMatchObject({ kind: "budget" });
    // the org ledger keys runs by repository and task
    const orgState = (
      await readRemoteState({
        git: a.client(),
        remote: ledgerRepo.origin!,
        ref: "refs/claude-tasks/org-ledger",
      })
    ).state!;
    expect(Object.keys(orgState.ledger!.tasks)).toEqual(["o/a/t"]);
    expect(orgState.ledger?.total.months["2026-03"]).toEqual({ usd: 1.5, runs: 1 });
  });
});

describe("the ledger starts from the state it last saw", () => {
  /** The engine's git for `dir`, counting the fetches and pushes it makes. */
  const counted = (git: Git) => {
    const seen = { fetch: 0, push: 0 };
    const wrap = (g: Git): Git =>
      Object.assign(Object.create(g) as Git, {
        run: (args: readonly string[], opts?: Parameters<Git["run"]>[1]) => {
          if (args[0] === "fetch") seen.fetch++;
          if (args[0] === "push") seen.push++;
          return g.run(args, opts);
        },
      });
    return { git: wrap(git), seen };
  };
  const ctx = (task: Task, runId: string) => ({ task, runId, scheduled: false, baseCommit: async () => "" });

  it("a run's settle after its own admission pushes without fetching first", async () => {
    await using repo = await makeRepo({ origin: true });
    const { git, seen } = counted(repo.client());
    const control = createRunControl({ git, remote: "origin", backoff: noWait });
    const t = claudeTask("t");
    expect(await control.admit(ctx(t, "r1"))).toEqual({ ok: true });
    expect(seen).toEqual({ fetch: 1, push: 1 });
    await control.settle(t, "r1", ended(0.5));
    expect(seen).toEqual({ fetch: 1, push: 2 }); // the admission's own write was the starting point
    const state = (await readRemoteState({ git: repo.client(), remote: "origin" })).state!;
    expect(state.locks).toEqual({});
    expect(state.ledger?.tasks.t?.recent[0]).toMatchObject({ runId: "r1", costUsd: 0.5 });
  });

  it("another run wrote the state in between: the lease catches it, and the settle is redone on the newer state", async () => {
    await using repo = await makeRepo({ origin: true });
    const other = await repo.clone();
    const { git, seen } = counted(repo.client());
    const mine = createRunControl({ git, remote: "origin", backoff: noWait });
    const theirs = createRunControl({ git: repo.client().at(other), remote: "origin", backoff: noWait });
    const t = claudeTask("t");
    const u = claudeTask("u");
    expect(await mine.admit(ctx(t, "r1"))).toEqual({ ok: true });
    expect(await theirs.admit(ctx(u, "r2"))).toEqual({ ok: true }); // moves the state this process saw
    await mine.settle(t, "r1", ended(0.5));
    expect(seen.push).toBe(3); // the stale attempt, refused by its lease, then the one on the fetched state
    const state = (await readRemoteState({ git: repo.client(), remote: "origin" })).state!;
    expect(state.locks?.u?.runId).toBe("r2"); // the other run's lock survived
    expect(state.locks?.t).toBeUndefined();
    expect(state.ledger?.tasks.t?.recent[0]).toMatchObject({ runId: "r1" });
  });

  it("a refusal is never decided on the remembered state: a lock released meanwhile is seen", async () => {
    await using repo = await makeRepo({ origin: true });
    const other = await repo.clone();
    const mine = createRunControl({ git: repo.client(), remote: "origin", backoff: noWait });
    const theirs = createRunControl({ git: repo.client().at(other), remote: "origin", backoff: noWait });
    const t = claudeTask("t", { concurrency: "skip" } as Partial<Task>);
    expect(await theirs.admit(ctx(t, "r-other"))).toEqual({ ok: true });
    expect(await mine.admit(ctx(t, "r1"), { once: true })).toMatchObject({ ok: false, kind: "busy" });
    await theirs.settle(t, "r-other", ended(0.1)); // released after this process last looked
    expect(await mine.admit(ctx(t, "r1"), { once: true })).toEqual({ ok: true });
  });
});
